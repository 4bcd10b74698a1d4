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
#include <stddef.h>

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

#endif /* RUNTIME_KERN_KERN_H */
