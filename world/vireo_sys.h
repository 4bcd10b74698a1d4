/*
 * vireo_sys.h - the Vireo kernel's own system calls, for the world's
 * programs (sysctl, kenv, reboot, shutdown), built with musl-gcc -static.
 *
 * The guest ABI is Linux's; these calls use numbers Linux leaves free
 * (500..502) and are made with syscall(2).  Each wrapper returns what the
 * kernel returns: 0 (or a byte count) on success, -1 with errno set on
 * failure.  Run on Linux itself they fail with ENOSYS.
 *
 *   vireo_sysctl(name, oldbuf, oldlenp, newval, newlen)
 *	name is dotted ("kern.hostname").  The old value comes back as
 *	NUL-terminated text, as "sysctl -n" prints it; *oldlenp is the
 *	buffer size in and the text size out (ENOMEM and the size needed
 *	when too small; oldbuf NULL asks for the size).  newval (newlen
 *	bytes of text, not necessarily NUL-terminated) sets the value,
 *	parsed by the node's type.  Errors: ENOENT unknown name, ENOTDIR
 *	not a leaf, EPERM read-only, EINVAL bad value.
 *   vireo_sysctl_next(name, next, size)
 *	the name of the first leaf after name in tree order ("" gives the
 *	first leaf).  ENOENT after the last, ENOMEM when size is too small.
 *   vireo_kenv(op, name, value, len)
 *	KENV_GET fills value (NUL-terminated; ENOENT when unset), KENV_SET
 *	sets name to the string value, KENV_UNSET removes name, KENV_DUMP
 *	writes "name=value\0"... and returns the bytes the whole dump
 *	needs (ENOMEM when len is too small).
 */
#ifndef WORLD_VIREO_SYS_H
#define WORLD_VIREO_SYS_H

#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SYS_vireo_sysctl      500
#define SYS_vireo_sysctl_next 501
#define SYS_vireo_kenv	      502

#define KENV_GET   0
#define KENV_SET   1
#define KENV_UNSET 2
#define KENV_DUMP  3

/* Linux reboot(2), as the kernel takes it (runtime/kern/kern_syscall.c). */
#define VIREO_REBOOT_MAGIC1    0xfee1deadu
#define VIREO_REBOOT_MAGIC2    672274793u
#define VIREO_REBOOT_RESTART   0x01234567u /* re-execute the kernel */
#define VIREO_REBOOT_HALT      0xcdef0123u /* halt, kernel exits 0 */
#define VIREO_REBOOT_POWER_OFF 0x4321fedcu /* power off, exits 0 */

static inline int
vireo_sysctl(const char *name, char *oldbuf, size_t *oldlenp,
    const char *newval, size_t newlen)
{
	return ((int)syscall(SYS_vireo_sysctl, name, oldbuf, oldlenp, newval,
	    newlen));
}

static inline int
vireo_sysctl_next(const char *name, char *next, size_t size)
{
	return ((int)syscall(SYS_vireo_sysctl_next, name, next, size));
}

static inline long
vireo_kenv(int op, const char *name, char *value, size_t len)
{
	return (syscall(SYS_vireo_kenv, op, name, value, len));
}

/* Returns only on failure (-1, errno set). */
static inline int
vireo_reboot(unsigned cmd)
{
	return ((int)syscall(SYS_reboot, VIREO_REBOOT_MAGIC1,
	    VIREO_REBOOT_MAGIC2, cmd, NULL));
}

#endif /* WORLD_VIREO_SYS_H */
