/*
 * reboot.c - reboot(8) and halt(8) for the Vireo guest, one program told
 * apart by its name (a name containing "halt" halts, "poweroff" powers
 * off), as on DragonFly.
 *
 *	reboot [-lnpq]
 *	halt [-lnpq]
 *
 * By default the program asks init to take the system down (SIGINT to
 * reboot, SIGUSR1 to halt, SIGUSR2 to power off) and falls back to
 * reboot(2) when init does not (rb_down.h).  -q calls reboot(2) at once,
 * -n skips sync(2), -p powers off (the kernel then exits 0, as for a
 * halt), -l is accepted for compatibility (nothing is logged: there is
 * no syslog yet).  With the kernel's Linux ABI a reboot re-executes the
 * kernel, a halt or power-off makes it exit 0.
 *
 * Exit status: 1 with a message when the system could not be taken down
 * or the command line is bad (BSD's).
 */
#include <err.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "world/reboot/rb_down.h"

static const char *progname = "reboot";

static _Noreturn void
usage(void)
{
	fprintf(stderr, "usage: %s [-lnpq]\n", progname);
	exit(1);
}

int
main(int argc, char **argv)
{
	const char *slash = strrchr(argv[0], '/');
	enum rb_how how = RB_HOW_REBOOT;
	bool nosync = false, quick = false;
	int ch;

	progname = slash != NULL ? slash + 1 : argv[0];
	if (strstr(progname, "halt") != NULL)
		how = RB_HOW_HALT;
	else if (strstr(progname, "poweroff") != NULL)
		how = RB_HOW_POWEROFF;
	while ((ch = getopt(argc, argv, "lnpq")) != -1) {
		switch (ch) {
		case 'l':
			break;
		case 'n':
			nosync = true;
			break;
		case 'p':
			how = RB_HOW_POWEROFF;
			break;
		case 'q':
			quick = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (geteuid() != 0) {
		errno = EPERM;
		err(1, NULL);
	}
	rb_down(how, quick, nosync);
	err(1, NULL);
}
