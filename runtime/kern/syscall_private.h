/*
 * syscall_private.h - what the files of the system-call layer share
 * (kern_syscall.c, sys_file.c).
 */
#ifndef RUNTIME_KERN_SYSCALL_PRIVATE_H
#define RUNTIME_KERN_SYSCALL_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/kern/proc.h"
#include "runtime/vfs/vfs.h"

/* A handler: arguments in a[0..5]; returns the result or -errno. */
typedef int64_t sys_fn(struct lwp *l, const uint64_t *a);

/* A transfer to or from guest memory at base (uio_arg points at it). */
struct uio_user {
	struct lwp *l;
	uint64_t base;
};
int uio_move_user(struct uio *uio, void *kbuf, size_t n, size_t done);
int uio_fill_user(struct uio *uio, size_t n, size_t done, uio_fill_fn *fill,
    void *arg, size_t *moved);

/* read(2)/write(2) of one guest buffer on descriptor fd. */
int64_t file_rw(struct lwp *l, int fd, uint64_t buf, size_t len,
    enum uio_rw rw);

/* sys_file.c: the vnode of descriptor fd (referenced), for *at() calls */
int fd_vnode(struct lwp *l, int fd, struct vnode **vpp);
/*
 * Looks the guest path upath up relative to dirfd (LT_AT_FDCWD: the
 * current directory) with namei flags, path being a VFS_PATH_MAX buffer
 * for the copy; nd as namei() leaves it.
 */
int namei_at(struct lwp *l, int dirfd, uint64_t upath, int flags,
    struct nameidata *nd, char *path);
/*
 * Appends path to the absolute path cwd (VFS_PATH_MAX bytes), resolving
 * "." and ".."; 0 or ENAMETOOLONG.
 */
int cwd_join(char *cwd, const char *path);

/* sys_file.c */
sys_fn sys_open, sys_openat, sys_stat, sys_fstat, sys_lstat, sys_newfstatat,
    sys_lseek, sys_pread64, sys_pwrite64, sys_readv, sys_access, sys_faccessat,
    sys_dup, sys_dup2, sys_dup3, sys_fcntl, sys_getcwd, sys_chdir, sys_fchdir,
    sys_readlink, sys_readlinkat, sys_umask, sys_getdents64, sys_poll,
    sys_ppoll, sys_mount, sys_umount2;

/* sys_proc.c */
sys_fn sys_fork, sys_vfork, sys_clone, sys_exit, sys_execve, sys_wait4,
    sys_waitid, sys_clock_gettime, sys_gettimeofday, sys_nanosleep,
    sys_clock_nanosleep, sys_sysinfo, sys_sched_yield, sys_sched_getaffinity,
    sys_sched_setaffinity, sys_clock_getres, sys_time;
/* True when clock id can be read without the kernel lock. */
bool clock_unlocked(int id);

/* sys_pipe.c */
sys_fn sys_pipe, sys_pipe2;

/* sys_sig.c, kern_sigframe.c */
sys_fn sys_rt_sigaction, sys_rt_sigprocmask, sys_rt_sigreturn, sys_sigaltstack,
    sys_kill, sys_tgkill, sys_tkill, sys_getpgid, sys_getpgrp, sys_setpgid,
    sys_getsid, sys_setsid, sys_pause, sys_rt_sigsuspend, sys_rt_sigpending,
    sys_rt_sigtimedwait;

/* sys_namei.c */
sys_fn sys_mkdir, sys_mkdirat, sys_mknod, sys_mknodat, sys_symlink,
    sys_symlinkat, sys_unlink, sys_unlinkat, sys_rmdir, sys_rename,
    sys_renameat, sys_renameat2, sys_link, sys_linkat, sys_chmod, sys_fchmod,
    sys_fchmodat, sys_chown, sys_lchown, sys_fchown, sys_fchownat, sys_truncate,
    sys_ftruncate, sys_utimensat, sys_fsync, sys_sync, sys_statfs, sys_fstatfs,
    sys_creat;

/* sys_vireo.c */
sys_fn sys_vireo_sysctl, sys_vireo_sysctl_next, sys_vireo_kenv, sys_sethostname,
    sys_getuid, sys_geteuid, sys_getgid, sys_getegid, sys_setuid, sys_setgid,
    sys_setreuid, sys_setregid, sys_setresuid, sys_setresgid, sys_getresuid,
    sys_getresgid, sys_getgroups, sys_setgroups;

/* sys_mem.c */
sys_fn sys_brk, sys_mmap, sys_munmap, sys_mprotect;

/* sys_poll.c (also sys_poll and sys_ppoll, declared above) */
sys_fn sys_select, sys_pselect6;

/* sys_misc.c */
sys_fn sys_times, sys_getrandom, sys_getrlimit, sys_setrlimit, sys_prlimit64,
    sys_getrusage, sys_madvise, sys_prctl, sys_mremap;

/* kern_futex.c */
sys_fn sys_futex;

#endif /* RUNTIME_KERN_SYSCALL_PRIVATE_H */
