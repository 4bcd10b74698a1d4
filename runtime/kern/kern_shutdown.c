/*
 * kern_shutdown.c - halt, power-off, reboot and panic.
 *
 * Every way out of the kernel passes through here so that the order is
 * always the same: say why, sync the disks, print the uptime, then leave
 * the process through the platform (host_exit() or host_reboot()), which
 * restores the console and releases the host resources.
 */
#include "runtime/kern/kern.h"
#include "runtime/vfs/vfs.h"
#include "runtime/kern/proc.h"

int boothowto;
bool init_running;
struct vk_host *kern_host;
_Thread_local int curcpu;
void (*kdb_panic_hook)(const char *msg);

static volatile int shutting_down;
static volatile int panicking;

/*
 * Writes kernel state to the disks; returns 0 or an errno value.  The
 * file systems write what they hold and are marked clean (the buffer
 * cache writes through, so nothing else is pending), then the images are
 * flushed.  After a panic only the images are flushed: the file systems'
 * state may be what is broken.
 */
static int
sync_disks(bool file_systems)
{
	if (file_systems)
		vfs_shutdown_all();
	return (host_disks_sync(kern_host));
}

static void
print_uptime(void)
{
	uint64_t s = uptime_ns() / 1000000000u;

	kprintf("Uptime: ");
	if (s >= 86400)
		kprintf("%llud", (unsigned long long)(s / 86400));
	if (s >= 3600)
		kprintf("%lluh", (unsigned long long)(s / 3600 % 24));
	if (s >= 60)
		kprintf("%llum", (unsigned long long)(s / 60 % 60));
	kprintf("%llus\n", (unsigned long long)(s % 60));
}

_Noreturn void
kern_reboot(int howto)
{
	int error;

	if (__atomic_exchange_n(&shutting_down, 1, __ATOMIC_SEQ_CST) != 0) {
		/* Another thread is already shutting down: let it finish. */
		host_park();
	}
	kprintf("\nsyncing disks... ");
	error = sync_disks(true);
	if (error != 0)
		kprintf("giving up: error %d\n", error);
	else
		kprintf("done\n");
	print_uptime();
	if (howto & (RB_HALT | RB_POWEROFF)) {
		kprintf("\nThe operating system has halted.\n");
		host_exit(kern_host, 0);
	}
	kprintf("Rebooting...\n");
	error = host_reboot(kern_host);
	/* The images are released; nothing sane is left to do. */
	kprintf("reboot: cannot re-execute the kernel: error %d\n", error);
	host_exit(NULL, VK_EXIT_PANIC);
}

void
shutdown_from_host(void)
{
	kprintf("Caught SIGTERM from host system. Shutting down...\n");
	/*
	 * As the original: SIGUSR2 to init, whose handler runs rc.shutdown
	 * and halts.  An init that does not catch SIGUSR2 (a shell as
	 * init_path) could not act on it, so then the kernel powers off by
	 * itself, and SIGTERM always stops the kernel cleanly.
	 */
	if (init_running) {
		bool caught;

		kernel_lock();
		caught = signal_caught(initproc, 12);
		if (caught)
			psignal(initproc, 12);
		kernel_unlock();
		if (caught)
			return;
	}
	kernel_lock(); /* kern_reboot's file systems need it; never given up */
	kern_reboot(RB_POWEROFF | RB_HALT);
}

_Noreturn void
panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (__atomic_fetch_add(&panicking, 1, __ATOMIC_SEQ_CST) != 0) {
		kprintf("panic: (recursive) %s\n", msg);
		host_exit(NULL, VK_EXIT_PANIC);
	}
	kprintf("panic: %s\n", msg);
	kprintf("cpuid = %d\n", curcpu);
	if (kdb_panic_hook != NULL)
		kdb_panic_hook(msg);
	kprintf("\nsyncing disks... ");
	kprintf(sync_disks(false) == 0 ? "done\n" : "failed\n");
	host_exit(kern_host, VK_EXIT_PANIC);
}
