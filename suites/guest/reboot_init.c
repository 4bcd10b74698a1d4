/*
 * reboot_init.c - an init that asks the kernel to stop at once, by its
 * own name: reboot_init restarts (RB_AUTOBOOT), halt_init halts,
 * poweroff_init powers off.  Each says so first.  usr2_init instead waits
 * for SIGUSR2 (what the kernel sends init on SIGTERM from the host), as
 * BSD's init does, and then powers off.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

/* Only async-signal-safe calls here: write(2), not stdio. */
static void
on_usr2(int sig)
{
	static const char msg[] = "usr2_init: SIGUSR2, powering off\n";

	(void)sig;
	write(1, msg, sizeof(msg) - 1);
	reboot(RB_POWER_OFF);
}

int
main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/');

	(void)argc;
	name = name != NULL ? name + 1 : argv[0];
	if (strcmp(name, "usr2_init") == 0) {
		signal(SIGUSR2, on_usr2);
		printf("usr2_init: waiting for SIGUSR2\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	printf("%s: pid %d asks the kernel\n", name, (int)getpid());
	fflush(stdout);
	if (strcmp(name, "reboot_init") == 0)
		reboot(RB_AUTOBOOT);
	else if (strcmp(name, "halt_init") == 0)
		reboot(RB_HALT_SYSTEM);
	else
		reboot(RB_POWER_OFF);
	printf("%s: reboot(2) returned\n", name);
	return (1);
}
