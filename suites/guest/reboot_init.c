/*
 * reboot_init.c - an init that asks the kernel to stop at once, by its
 * own name: reboot_init restarts (RB_AUTOBOOT), halt_init halts,
 * poweroff_init powers off.  Each says so first.
 */
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/');

	(void)argc;
	name = name != NULL ? name + 1 : argv[0];
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
