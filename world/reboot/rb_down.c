/*
 * rb_down.c - taking the guest down through init, or through reboot(2)
 * when init does not (contract in rb_down.h).
 */
#include <errno.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "world/reboot/rb_down.h"
#include "world/vireo_sys.h"

void
rb_reboot(enum rb_how how)
{
	static const unsigned cmd[] = {
		[RB_HOW_REBOOT] = VIREO_REBOOT_RESTART,
		[RB_HOW_HALT] = VIREO_REBOOT_HALT,
		[RB_HOW_POWEROFF] = VIREO_REBOOT_POWER_OFF,
	};

	(void)vireo_reboot(cmd[how]);
}

void
rb_down(enum rb_how how, bool quick, bool nosync)
{
	static const int initsig[] = {
		[RB_HOW_REBOOT] = SIGINT,
		[RB_HOW_HALT] = SIGUSR1,
		[RB_HOW_POWEROFF] = SIGUSR2,
	};
	/* The hangup of our terminal must not stop us half-way. */
	(void)signal(SIGHUP, SIG_IGN);
	if (!quick) {
		/* Start the disks on their way while init works. */
		if (!nosync)
			sync();
		if (kill(1, initsig[how]) == 0) {
			/*
			 * A working init ends us with the other processes;
			 * sleep() comes back early for signals we catch,
			 * which are none, so the loop is for safety.
			 */
			struct timespec left = { RB_INIT_WAIT, 0 };

			while (nanosleep(&left, &left) != 0 && errno == EINTR)
				;
		}
	}
	if (!nosync)
		sync();
	rb_reboot(how);
}
