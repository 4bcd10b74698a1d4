/*
 * kern_syscall.c - the Linux x86-64 system-call table, copyin/copyout,
 * and the first system calls: enough for a static musl program to start,
 * write and exit.
 *
 * A guest's system call arrives as a GUEST_EVENT_SYSCALL with the number
 * in rax and the arguments in rdi, rsi, rdx, r10, r8 and r9; the result,
 * or a negative errno value, goes back in rax.  Numbers without a handler
 * answer ENOSYS and are counted (kern.nosys_calls) so that missing calls
 * are easy to find.  XXX The table grows with the rest of issue 5.
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/file.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/proc.h"
#include "runtime/kern/sysctl.h"
#include "runtime/sys/linux_fcntl.h"
#include "runtime/sys/linux_termios.h"
#include "runtime/kern/syscall_private.h"

#define SYS_MAX 512
#define IOV_MAX 1024

uint64_t syscall_nosys_count;
bool syscall_verbose;
static uint64_t nosys_seen[SYS_MAX / 64];


int
copyin(struct lwp *l, uint64_t uaddr, void *kaddr, size_t len)
{
	if (len == 0)
		return (0);
	return (guest_read(l->l_proc->p_space, l->l_gt, uaddr, kaddr, len));
}

int
copyout(struct lwp *l, const void *kaddr, uint64_t uaddr, size_t len)
{
	if (len == 0)
		return (0);
	return (guest_write(l->l_proc->p_space, l->l_gt, uaddr, kaddr, len));
}

int
copyinstr(struct lwp *l, uint64_t uaddr, char *buf, size_t size)
{
	size_t done = 0, n;
	int error;

	/* Whole pages at a time: reading past the NUL within a page that
	 * holds part of the string cannot fault. */
	while (done < size) {
		n = 4096 - ((uaddr + done) % 4096);
		if (n > size - done)
			n = size - done;
		if ((error = copyin(l, uaddr + done, buf + done, n)) != 0)
			return (error);
		if (memchr(buf + done, '\0', n) != NULL)
			return (0);
		done += n;
	}
	return (ENAMETOOLONG);
}

/* --- Transfers to and from guest memory ------------------------------- */

int
uio_move_user(struct uio *uio, void *kbuf, size_t n, size_t done)
{
	struct uio_user *u = uio->uio_arg;

	if (uio->uio_rw == UIO_READ)
		return (copyout(u->l, kbuf, u->base + done, n));
	return (copyin(u->l, u->base + done, kbuf, n));
}

/*
 * copyout() of bytes that fill produces, stored straight into the memory
 * the backend copies out from (a stopped thread's bounce buffer): one
 * copy fewer than filling a kernel buffer and copying it out.  *moved:
 * the bytes that reached the guest, also after an error.
 */
static int
copyout_fill(struct lwp *l, uint64_t uaddr, size_t len, uio_fill_fn *fill,
    void *arg, size_t *moved)
{
	return (guest_write_fill(l->l_proc->p_space, l->l_gt, uaddr, len, fill,
	    arg, moved));
}

/* The fill form of the guest kind (uiomove_fill). */
int
uio_fill_user(struct uio *uio, size_t n, size_t done, uio_fill_fn *fill,
    void *arg, size_t *moved)
{
	struct uio_user *u = uio->uio_arg;

	return (copyout_fill(u->l, u->base + done, n, fill, arg, moved));
}

int64_t
file_rw(struct lwp *l, int fd, uint64_t buf, size_t len, enum uio_rw rw)
{
	struct uio_user u = { l, buf };
	struct uio uio = { rw, 0, len, uio_move_user, &u, 0, uio_fill_user };
	struct file *fp;
	int error;

	if ((error = fd_get(l->l_proc->p_fd, fd, &fp)) != 0)
		return (-error);
	if (rw == UIO_READ)
		error = fp->f_ops->fo_read != NULL ?
		    fp->f_ops->fo_read(fp, &uio) :
		    EINVAL;
	else
		error = fp->f_ops->fo_write != NULL ?
		    fp->f_ops->fo_write(fp, &uio) :
		    EINVAL;
	fdrop(fp);
	/* A transfer cut short by an error still reports what it moved. */
	if (error != 0 && uio.uio_done == 0)
		return (-error);
	return ((int64_t)uio.uio_done);
}

static int64_t
sys_read(struct lwp *l, const uint64_t *a)
{
	return (file_rw(l, (int)a[0], a[1], (size_t)a[2], UIO_READ));
}

static int64_t
sys_write(struct lwp *l, const uint64_t *a)
{
	return (file_rw(l, (int)a[0], a[1], (size_t)a[2], UIO_WRITE));
}

static int64_t
sys_writev(struct lwp *l, const uint64_t *a)
{
	struct {
		uint64_t base, len;
	} iov;
	int64_t total = 0, n;
	uint64_t i, cnt = a[2];
	int error;

	if (cnt > IOV_MAX)
		return (-EINVAL);
	for (i = 0; i < cnt; i++) {
		if ((error = copyin(l, a[1] + i * sizeof(iov), &iov,
			 sizeof(iov))) != 0)
			return (total > 0 ? total : -error);
		n = file_rw(l, (int)a[0], iov.base, iov.len, UIO_WRITE);
		if (n < 0)
			return (total > 0 ? total : n);
		total += n;
		if ((uint64_t)n < iov.len)
			break;
	}
	return (total);
}

static int64_t
sys_close(struct lwp *l, const uint64_t *a)
{
	return (-fd_close(l->l_proc->p_fd, (int)a[0]));
}

/* The size of what an ioctl takes in and gives out, by request. */
static int
ioctl_sizes(unsigned long cmd, size_t *in, size_t *out)
{
	*in = *out = 0;
	switch (cmd) {
	case LT_TCGETS:
		*out = sizeof(struct linux_termios);
		return (0);
	case LT_TCSETS:
	case LT_TCSETSW:
	case LT_TCSETSF:
		*in = sizeof(struct linux_termios);
		return (0);
	case LT_TIOCGWINSZ:
		*out = sizeof(struct linux_winsize);
		return (0);
	case LT_TIOCSWINSZ:
		*in = sizeof(struct linux_winsize);
		return (0);
	case LT_FIONREAD:
	case LT_TIOCGPGRP:
	case LT_TIOCGSID:
		*out = sizeof(int);
		return (0);
	case LT_TIOCSPGRP:
		*in = sizeof(int);
		return (0);
	case LT_TIOCSCTTY:
	case LT_TCFLSH:
		return (0); /* the argument is the value itself */
	case LT_TIOCNOTTY:
		return (0);
	case 0x80081272: /* BLKGETSIZE64 */
		*out = 8;
		return (0);
	default:
		return (ENOTTY);
	}
}

static int64_t
sys_ioctl(struct lwp *l, const uint64_t *a)
{
	union {
		struct linux_termios t;
		struct linux_winsize w;
		int i;
		uint64_t u64;
	} u;
	unsigned long cmd = (unsigned long)a[1] & 0xffffffffu;
	struct file *fp;
	size_t in, out;
	int error;

	if ((error = fd_get(l->l_proc->p_fd, (int)a[0], &fp)) != 0)
		return (-error);
	memset(&u, 0, sizeof(u));
	if ((error = ioctl_sizes(cmd, &in, &out)) != 0)
		goto out;
	if (cmd == LT_TCFLSH || cmd == LT_TIOCSCTTY)
		u.i = (int)a[2];
	if ((error = copyin(l, a[2], &u, in)) != 0)
		goto out;
	error = fp->f_ops->fo_ioctl != NULL ? fp->f_ops->fo_ioctl(fp, cmd, &u) :
					      ENOTTY;
	if (error == 0)
		error = copyout(l, &u, a[2], out);
out:
	fdrop(fp);
	return (-error);
}

static int64_t
sys_getpid(struct lwp *l, const uint64_t *a)
{
	(void)a;
	return (l->l_proc->p_pid);
}

static int64_t
sys_getppid(struct lwp *l, const uint64_t *a)
{
	(void)a;
	return (l->l_proc->p_pptr != NULL ? l->l_proc->p_pptr->p_pid : 0);
}

static int64_t
sys_exit_group(struct lwp *l, const uint64_t *a)
{
	proc_exit(l->l_proc, (int)((a[0] & 0xff) << 8));
	return (0);
}

static int64_t
sys_set_tid_address(struct lwp *l, const uint64_t *a)
{
	l->l_clear_tid = a[0];
	return (l->l_tid);
}

static int64_t
sys_gettid(struct lwp *l, const uint64_t *a)
{
	(void)a;
	return (l->l_tid);
}

/* The robust futex list is kept for get_robust_list, not walked. */
static int64_t
sys_set_robust_list(struct lwp *l, const uint64_t *a)
{
	if (a[1] != 24) /* sizeof(struct robust_list_head) */
		return (-EINVAL);
	l->l_robust_list = a[0];
	return (0);
}

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

static int64_t
sys_arch_prctl(struct lwp *l, const uint64_t *a)
{
	switch (a[0]) {
	case ARCH_SET_FS:
		/* Any user address; the kernel's half is refused. */
		if (a[1] >= GUEST_ADDR_MAX)
			return (-EPERM);
		l->l_regs.fs_base = a[1];
		return (0);
	case ARCH_GET_FS:
		return (-copyout(l, &l->l_regs.fs_base, a[1], 8));
	default:
		return (-EINVAL);
	}
}

static int64_t
sys_uname(struct lwp *l, const uint64_t *a)
{
	char u[6][65];
	const char *v;
	size_t n;

	memset(u, 0, sizeof(u));
	strcpy(u[0], VK_OSTYPE);
	v = kern_hostname[0] != '\0' ? kern_hostname : "vireo";
	n = strnlen(v, 64);
	memcpy(u[1], v, n);
	strcpy(u[2], VK_OSRELEASE);
	/* The version is the first line of the banner. */
	v = host_version;
	n = strcspn(v, "\n");
	memcpy(u[3], v, n < 64 ? n : 64);
	strcpy(u[4], "x86_64");
	strcpy(u[5], "(none)");
	return (-copyout(l, u, a[0], sizeof(u)));
}

/* reboot(2): Linux's magic numbers and commands. */
#define LINUX_REBOOT_MAGIC1	   0xfee1deadu
#define LINUX_REBOOT_MAGIC2	   672274793u
#define LINUX_REBOOT_MAGIC2A	   85072278u
#define LINUX_REBOOT_MAGIC2B	   369367448u
#define LINUX_REBOOT_MAGIC2C	   537993216u
#define LINUX_REBOOT_CMD_RESTART   0x01234567u
#define LINUX_REBOOT_CMD_HALT	   0xcdef0123u
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcu

static int64_t
sys_reboot(struct lwp *l, const uint64_t *a)
{
	uint32_t m2 = (uint32_t)a[1];

	if ((uint32_t)a[0] != LINUX_REBOOT_MAGIC1 ||
	    (m2 != LINUX_REBOOT_MAGIC2 && m2 != LINUX_REBOOT_MAGIC2A &&
		m2 != LINUX_REBOOT_MAGIC2B && m2 != LINUX_REBOOT_MAGIC2C))
		return (-EINVAL);
	if (l->l_proc->p_euid != 0)
		return (-EPERM); /* only the superuser halts or reboots */
	switch ((uint32_t)a[2]) {
	case LINUX_REBOOT_CMD_RESTART:
		kern_reboot(RB_AUTOBOOT);
	case LINUX_REBOOT_CMD_HALT:
		kern_reboot(RB_HALT);
	case LINUX_REBOOT_CMD_POWER_OFF:
		kern_reboot(RB_HALT | RB_POWEROFF);
	default:
		return (-EINVAL);
	}
}

/* --- The table -------------------------------------------------------- */

static sys_fn *const sysent[SYS_MAX] = {
	[0] = sys_read,
	[1] = sys_write,
	[2] = sys_open,
	[3] = sys_close,
	[4] = sys_stat,
	[5] = sys_fstat,
	[6] = sys_lstat,
	[7] = sys_poll,
	[8] = sys_lseek,
	[17] = sys_pread64,
	[18] = sys_pwrite64,
	[19] = sys_readv,
	[21] = sys_access,
	[22] = sys_pipe,
	[32] = sys_dup,
	[33] = sys_dup2,
	[72] = sys_fcntl,
	[79] = sys_getcwd,
	[80] = sys_chdir,
	[81] = sys_fchdir,
	[89] = sys_readlink,
	[95] = sys_umask,
	[217] = sys_getdents64,
	[257] = sys_openat,
	[262] = sys_newfstatat,
	[267] = sys_readlinkat,
	[271] = sys_ppoll,
	[269] = sys_faccessat,
	[292] = sys_dup3,
	[293] = sys_pipe2,
	[9] = sys_mmap,
	[10] = sys_mprotect,
	[11] = sys_munmap,
	[12] = sys_brk,
	[13] = sys_rt_sigaction,
	[14] = sys_rt_sigprocmask,
	[15] = sys_rt_sigreturn,
	[16] = sys_ioctl,
	[20] = sys_writev,
	[34] = sys_pause,
	[35] = sys_nanosleep,
	[39] = sys_getpid,
	[56] = sys_clone,
	[57] = sys_fork,
	[58] = sys_vfork,
	[59] = sys_execve,
	[61] = sys_wait4,
	[62] = sys_kill,
	[96] = sys_gettimeofday,
	[99] = sys_sysinfo,
	[60] = sys_exit,
	[63] = sys_uname,
	[102] = sys_getuid,
	[104] = sys_getgid,
	[105] = sys_setuid,
	[106] = sys_setgid,
	[107] = sys_geteuid,
	[108] = sys_getegid,
	[113] = sys_setreuid,
	[114] = sys_setregid,
	[115] = sys_getgroups,
	[116] = sys_setgroups,
	[117] = sys_setresuid,
	[118] = sys_getresuid,
	[119] = sys_setresgid,
	[120] = sys_getresgid,
	[170] = sys_sethostname,
	[500] = sys_vireo_sysctl,
	[501] = sys_vireo_sysctl_next,
	[502] = sys_vireo_kenv,
	[109] = sys_setpgid,
	[110] = sys_getppid,
	[111] = sys_getpgrp,
	[112] = sys_setsid,
	[121] = sys_getpgid,
	[124] = sys_getsid,
	[130] = sys_rt_sigsuspend,
	[131] = sys_sigaltstack,
	[158] = sys_arch_prctl,
	[165] = sys_mount,
	[166] = sys_umount2,
	[169] = sys_reboot,
	[127] = sys_rt_sigpending,
	[128] = sys_rt_sigtimedwait,
	[186] = sys_gettid,
	[201] = sys_time,
	[229] = sys_clock_getres,
	[23] = sys_select,
	[270] = sys_pselect6,
	[25] = sys_mremap,
	[28] = sys_madvise,
	[97] = sys_getrlimit,
	[98] = sys_getrusage,
	[100] = sys_times,
	[157] = sys_prctl,
	[160] = sys_setrlimit,
	[302] = sys_prlimit64,
	[318] = sys_getrandom,
	[74] = sys_fsync,
	[75] = sys_fsync, /* fdatasync */
	[76] = sys_truncate,
	[77] = sys_ftruncate,
	[82] = sys_rename,
	[83] = sys_mkdir,
	[84] = sys_rmdir,
	[85] = sys_creat,
	[86] = sys_link,
	[87] = sys_unlink,
	[88] = sys_symlink,
	[90] = sys_chmod,
	[91] = sys_fchmod,
	[92] = sys_chown,
	[93] = sys_fchown,
	[94] = sys_lchown,
	[133] = sys_mknod,
	[137] = sys_statfs,
	[138] = sys_fstatfs,
	[162] = sys_sync,
	[258] = sys_mkdirat,
	[259] = sys_mknodat,
	[260] = sys_fchownat,
	[263] = sys_unlinkat,
	[264] = sys_renameat,
	[265] = sys_linkat,
	[266] = sys_symlinkat,
	[268] = sys_fchmodat,
	[280] = sys_utimensat,
	[316] = sys_renameat2,
	[24] = sys_sched_yield,
	[203] = sys_sched_setaffinity,
	[204] = sys_sched_getaffinity,
	[202] = sys_futex,
	[247] = sys_waitid,
	[273] = sys_set_robust_list,
	[200] = sys_tkill,
	[218] = sys_set_tid_address,
	[228] = sys_clock_gettime,
	[230] = sys_clock_nanosleep,
	[231] = sys_exit_group,
	[234] = sys_tgkill,
};

bool
syscall_dispatch_unlocked(struct lwp *l)
{
	struct guest_regs *r = &l->l_regs;
	uint64_t args[LWP_MAXARGS] = { r->rdi, r->rsi, r->rdx, r->r10, r->r8,
		r->r9 };
	sys_fn *fn;

	switch (r->rax) {
	case 39: /* getpid: fixed for the life of the process */
		fn = sys_getpid;
		break;
	case 96: /* gettimeofday */
		fn = sys_gettimeofday;
		break;
	case 186: /* gettid: fixed for the life of the thread */
		fn = sys_gettid;
		break;
	case 228: /* clock_gettime */
		if (!clock_unlocked((int)args[0]))
			return (false);
		fn = sys_clock_gettime;
		break;
	case 201: /* time */
		fn = sys_time;
		break;
	default:
		return (false);
	}
	l->l_sysnr = r->rax;
	l->l_insyscall = false; /* never EINTR: nothing to restart */
	r->rax = (uint64_t)fn(l, args);
	return (true);
}

void
syscall_dispatch(struct lwp *l)
{
	struct guest_regs *r = &l->l_regs;
	uint64_t args[LWP_MAXARGS] = { r->rdi, r->rsi, r->rdx, r->r10, r->r8,
		r->r9 };
	uint64_t nr = r->rax;
	if (nr >= SYS_MAX || sysent[nr] == NULL) {
		syscall_nosys_count++;
		/* With -v, each missing call is named once. */
		if (syscall_verbose &&
		    (nr >= SYS_MAX ||
			!(nosys_seen[nr / 64] >> (nr % 64) & 1))) {
			if (nr < SYS_MAX)
				nosys_seen[nr / 64] |= (uint64_t)1 << (nr % 64);
			kprintf("pid %d (%s): system call %llu is not "
				"implemented\n",
			    l->l_proc->p_pid, l->l_proc->p_comm,
			    (unsigned long long)nr);
		}
		r->rax = (uint64_t)-ENOSYS;
		return;
	}
	l->l_sysnr = nr;
	l->l_insyscall = true;
	r->rax = (uint64_t)sysent[nr](l, args);
}
