/*
 * kern.h - the machine-independent kernel's contract with the rest of the
 * vkernel: the boot entry point, console output and panic.
 *
 * Code under runtime/ outside runtime/platform/ uses ISO C headers only;
 * host services are reached through runtime/platform/platform.h.
 */
#ifndef RUNTIME_KERN_KERN_H
#define RUNTIME_KERN_KERN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/platform/platform.h"

#define VK_OSTYPE    "Vireo"
#define VK_OSRELEASE "0.1-DEVELOPMENT"

/*
 * Boots the kernel described by the options on the resources host setup
 * acquired.  Never returns: the kernel ends by halting, rebooting or
 * panicking, each of which exits the process.
 */
_Noreturn void kern_boot(const struct vk_options *opts, struct vk_host *host);

/*
 * Kernel formatted output (subr_prf.c).  The formatter is the kernel's
 * own, safe to call from host signal handlers: %d %i %u %x %X %o %c %s %p
 * %%, the l, ll, j, z and h length modifiers, field width, precision, and
 * the '-', '0', '+', ' ' and '#' flags.
 * kvsnprintf() and ksnprintf() return the length the full output needs,
 * like vsnprintf(3); kprintf() writes to the console and returns the
 * number of bytes written.
 */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/*
 * Reports a broken invariant: prints "panic: <message>" and the cpu, then
 * enters the debugger when debug.debugger_on_panic is set, otherwise syncs
 * and exits with VK_EXIT_PANIC.
 */
_Noreturn void panic(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/*
 * A named fault-injection point (kern_inject.c): does nothing unless the
 * kernel was built with INJECT=panic:<name> or INJECT=hang:<name>.
 */
void inject_point(const char *name);

/* Clock (kern_clock.c). */
#define HZ 100
extern uint64_t ticks;	  /* hardclock ticks since boot */
void clock_init(void);	  /* first in the boot: uptime origin */
void hardclock(void);	  /* interrupt thread, HZ times/s */
uint64_t uptime_ns(void); /* nanoseconds since boot */

/* Virtual CPUs (kern_mp.c). */
struct cpu_info {
	int cpuid;
	bool launched;	     /* AP has reached its idle loop */
	bool idle;	     /* nothing to run right now */
	uint64_t idle_ticks; /* hardclock ticks seen idle */
	uint64_t busy_ticks;
};
extern struct cpu_info cpu_infos[VK_MAXCPU];
extern int ncpus;
void mp_start(const struct vk_options *opts);
/* Adds kern.ticks and machdep.cpuN.{idle,busy}_ticks; after mp_start(). */
void mp_sysctl_init(void);

/* Console (kern_cons.c): input arrives from the interrupt thread. */
void cons_init(void); /* before the interrupt thread */
void cons_input(const char *buf, size_t len);
int cons_getc(void); /* blocks; returns a byte */
/*
 * From now on console input goes to sink (the console terminal) instead of
 * the ring; what the ring still holds (at most size bytes) is moved to
 * pending and its length returned, for the caller to feed first.
 */
size_t cons_redirect(void (*sink)(const char *buf, size_t len), char *pending,
    size_t size);
/* Reads a line with echo and erase; returns its length (no newline). */
size_t cons_gets(char *buf, size_t size);

/* Shutdown (kern_shutdown.c). */
#define RB_AUTOBOOT 0x000
#define RB_HALT	    0x008
#define RB_POWEROFF 0x4000
#define RB_SINGLE   0x002
extern int boothowto;
extern struct vk_host *kern_host; /* what reboot and halt release */
/*
 * Syncs (the file systems are left clean), then halts (exit 0), powers
 * off (exit 0) or reboots (re-exec).  Caller holds the kernel lock.
 */
_Noreturn void kern_reboot(int howto);
/* The host asked for a clean shutdown (SIGTERM). */
void shutdown_from_host(void);
/*
 * Set by the debugger: called by panic() after the message; enters the
 * debugger when debug.debugger_on_panic says so, and returns if the
 * panic should go on to sync and exit.
 */
extern void (*kdb_panic_hook)(const char *msg);
extern _Thread_local int curcpu; /* the virtual cpu of this thread */
/* True once init exists; SIGTERM then goes to init as SIGUSR2. */
extern bool init_running;

/* Root file system (vfs_mountroot.c). */
void vfs_mountroot(const struct vk_options *opts);

#endif /* RUNTIME_KERN_KERN_H */
