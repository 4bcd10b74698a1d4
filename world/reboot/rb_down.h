/*
 * rb_down.h - bringing the Vireo guest down, shared by reboot(8), halt(8)
 * and shutdown(8).
 *
 * As on BSD, the programs ask init: SIGINT for a reboot, SIGUSR1 for a
 * halt, SIGUSR2 for a power-off; init then stops the system in order.
 * An init that does not act on the signal (busybox sh as init, which the
 * kernel shields from signals it does not catch) leaves the system up;
 * after RB_INIT_WAIT seconds the program syncs and calls reboot(2)
 * itself.
 */
#ifndef WORLD_REBOOT_RB_DOWN_H
#define WORLD_REBOOT_RB_DOWN_H

#include <stdbool.h>

#define RB_INIT_WAIT 5 /* seconds init has to take the system down */

enum rb_how {
	RB_HOW_REBOOT,	 /* re-execute the kernel */
	RB_HOW_HALT,	 /* halt: the kernel exits 0 */
	RB_HOW_POWEROFF, /* power off: the kernel exits 0 */
};

/*
 * Takes the system down.  Unless quick, signals init and waits for it as
 * described above; then, unless nosync, sync(2)s and calls reboot(2).
 * Returns only when that failed, with errno set: the caller reports it.
 */
void rb_down(enum rb_how how, bool quick, bool nosync);

/* Calls reboot(2) with the Linux command for how; returns on failure. */
void rb_reboot(enum rb_how how);

#endif /* WORLD_REBOOT_RB_DOWN_H */
