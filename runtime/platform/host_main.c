/*
 * host_main.c - main() of the kernel process.
 *
 * Parses the command line, acquires the host resources it names and
 * hands over to the machine-independent kernel:
 *
 *	1. vk_options_parse(): a bad command line exits EX_USAGE (64), -h
 *	   prints the help and exits 0; neither touches any file.
 *	2. -I: the vke network device is not built yet, so any -I is
 *	   refused with EX_UNAVAILABLE (69), after the whole command line
 *	   has been checked and before any file is touched.
 *	3. SIGTERM, SIGINT and SIGHUP are blocked: from here on the kernel
 *	   holds files that an untimely default action would leave behind
 *	   (the pidfile).  A signal arriving now stays pending until the
 *	   kernel's interrupt thread reads it (host_intr_start() reads these
 *	   from a signalfd, which also sees signals already pending).
 *	4. vk_host_setup(): disk images, memory image, pidfile; a failure
 *	   exits with its sysexits(3) code and leaves every file as it was.
 *	5. kern_boot(), which never returns.
 */
#include <signal.h>
#include <sysexits.h>

#include "runtime/kern/kern.h"
#include "runtime/platform/host_private.h"

static struct vk_options opts;
static struct vk_host host;

int
main(int argc, char **argv)
{
	sigset_t set;
	int error;

	if ((error = vk_options_parse(argc, argv, &opts)) != 0)
		return (error);
	if (opts.help) {
		vk_options_free(&opts);
		return (EX_OK);
	}
	if (opts.nnetifs > 0) {
		vk_report("-I %s: the vke network device is not built into "
			  "this kernel yet",
		    opts.netifs[0].iface);
		vk_options_free(&opts);
		return (EX_UNAVAILABLE);
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if ((error = vk_host_setup(&opts, argc, argv, &host)) != 0) {
		vk_options_free(&opts);
		return (error);
	}
	kern_boot(&opts, &host);
}
