/*
 * host_exit.c - leaving the process: halt and reboot.
 *
 * Halt restores the console, releases the host resources (the pidfile goes
 * away, image locks are dropped) and exits.  Reboot does the same and then
 * re-executes the kernel binary with the arguments it was started with, as
 * vkernel(7) describes: the new kernel boots from scratch in the same
 * process, so a supervisor (or a test harness) sees one process throughout.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "runtime/platform/platform.h"

_Noreturn void
host_exit(struct vk_host *host, int status)
{
	host_console_restore();
	if (host != NULL)
		vk_host_release(host);
	_exit(status);
}

int
host_reboot(struct vk_host *host)
{
	sigset_t none;

	host_console_restore();
	vk_host_release(host);
	/*
	 * The signal mask survives execve: unblock what the interrupt thread
	 * had blocked so that the new kernel starts like a fresh process.
	 * /proc/self/exe is used rather than argv[0] so that a kernel started
	 * through $PATH or a relative path after a chdir still finds itself.
	 */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execv("/proc/self/exe", host->argv);
	execv(host->argv[0], host->argv);
	return (errno);
}

int
host_disks_sync(struct vk_host *host)
{
	int i, error = 0;

	if (host == NULL)
		return (0);
	for (i = 0; i < host->ndisks; i++) {
		if (host->disks[i].spec->type != VK_DISK_RW)
			continue;
		if (fsync(host->disks[i].fd) != 0 && error == 0)
			error = errno;
	}
	return (error);
}

_Noreturn void
host_park(void)
{
	for (;;)
		pause();
}
