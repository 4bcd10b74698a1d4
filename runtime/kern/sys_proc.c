/*
 * sys_proc.c - process system calls: fork, vfork, clone (fork-like),
 * execve, wait4, and the clock calls (clock_gettime, gettimeofday,
 * nanosleep, clock_nanosleep).
 *
 * XXX vfork is a fork (copy-on-write makes it cheap; the parent is not
 * suspended), clone creates processes only (CLONE_VM/CLONE_THREAD threads
 * come with multi-threaded processes), and wait4 knows no process groups
 * yet: a pid of 0 or below waits for any child.
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/syscall_private.h"
#include "runtime/vm/vm.h"

#define ARGV_MAX	       1024	    /* arguments plus environment */
#define ARGS_BYTES	       (128 * 1024) /* their strings together */
#define LT_WNOHANG	       1
#define LT_CLONE_VM	       0x00000100
#define LT_CLONE_THREAD	       0x00010000
#define LT_CLONE_CHILD_SETTID  0x01000000
#define LT_CLONE_PARENT_SETTID 0x00100000

static int64_t
do_fork(struct lwp *l)
{
	struct proc *c;
	int error;

	if ((error = proc_fork(l->l_proc, l, &c)) != 0)
		return (-error);
	return (c->p_pid);
}

int64_t
sys_fork(struct lwp *l, const uint64_t *a)
{
	(void)a;
	return (do_fork(l));
}

int64_t
sys_clone(struct lwp *l, const uint64_t *a)
{
	uint64_t flags = a[0];
	int64_t pid;
	int32_t tid;

	if (flags & (LT_CLONE_VM | LT_CLONE_THREAD))
		return (-ENOSYS); /* threads: not yet */
	if (a[1] != 0)
		return (-EINVAL); /* a new stack without CLONE_VM */
	pid = do_fork(l);
	if (pid > 0 && (flags & LT_CLONE_PARENT_SETTID)) {
		tid = (int32_t)pid;
		(void)copyout(l, &tid, a[2], sizeof(tid));
	}
	/* XXX CLONE_CHILD_SETTID writes into the child's memory. */
	return (pid);
}

/* Copies a NULL-terminated array of guest strings into one buffer. */
static int
copyin_strings(struct lwp *l, uint64_t uarr, const char **vec, size_t max,
    char *buf, size_t *used)
{
	uint64_t uptr;
	size_t n = 0, len;
	int error;

	for (;; n++) {
		if (n == max)
			return (E2BIG);
		if (uarr == 0)
			break;
		if ((error = copyin(l, uarr + n * 8, &uptr, 8)) != 0)
			return (error);
		if (uptr == 0)
			break;
		error = copyinstr(l, uptr, buf + *used, ARGS_BYTES - *used);
		if (error != 0)
			return (error == ENAMETOOLONG ? E2BIG : error);
		len = strlen(buf + *used);
		vec[n] = buf + *used;
		*used += len + 1;
	}
	vec[n] = NULL;
	return (0);
}

int64_t
sys_execve(struct lwp *l, const uint64_t *a)
{
	const char **argv = NULL, **envp;
	char *buf = NULL, *path = NULL;
	size_t used = 0, argc;
	int error = ENOMEM;

	if ((argv = kmalloc(2 * ARGV_MAX * sizeof(char *))) == NULL ||
	    (buf = kmalloc(ARGS_BYTES)) == NULL ||
	    (path = kmalloc(VFS_PATH_MAX)) == NULL)
		goto out;
	if ((error = copyinstr(l, a[0], path, VFS_PATH_MAX)) != 0)
		goto out;
	if ((error = copyin_strings(l, a[1], argv, ARGV_MAX, buf, &used)) != 0)
		goto out;
	for (argc = 0; argv[argc] != NULL; argc++)
		;
	envp = argv + argc + 1;
	if ((error = copyin_strings(l, a[2], envp, ARGV_MAX - argc - 1, buf,
		 &used)) != 0)
		goto out;
	error = proc_exec(l->l_proc, path, argv, envp);
out:
	kfree(path);
	kfree(buf);
	kfree(argv);
	/* On success the registers are the new program's: leave rax 0. */
	return (-error);
}

int64_t
sys_wait4(struct lwp *l, const uint64_t *a)
{
	struct proc *p = l->l_proc, *c;
	int pid = (int)a[0], status, error, cpid;
	bool found;

	if ((a[2] & ~(uint64_t)(LT_WNOHANG | 2 | 8)) != 0)
		return (-EINVAL);
	for (;;) {
		found = false;
		for (c = p->p_children; c != NULL; c = c->p_sibling) {
			if (pid > 0 && c->p_pid != pid)
				continue;
			found = true;
			if (c->p_state != PRS_ZOMBIE)
				continue;
			status = c->p_xstat;
			cpid = c->p_pid;
			if (a[1] != 0 &&
			    (error = copyout(l, &status, a[1],
				 sizeof(status))) != 0)
				return (-error);
			proc_reap(c);
			return (cpid);
		}
		if (!found)
			return (-ECHILD);
		if (a[2] & LT_WNOHANG)
			return (0);
		if ((error = tsleep(p, PCATCH, "wait", 0)) != 0)
			return (-error);
	}
}

/* --- Time ------------------------------------------------------------- */

#define LT_CLOCK_REALTIME  0
#define LT_CLOCK_MONOTONIC 1
#define LT_CLOCK_BOOTTIME  7

struct lt_timespec {
	int64_t sec, nsec;
};

int64_t
sys_clock_gettime(struct lwp *l, const uint64_t *a)
{
	struct lt_timespec ts;
	uint64_t ns;

	switch ((int)a[0]) {
	case LT_CLOCK_REALTIME:
		host_realtime(&ts.sec, &ts.nsec);
		break;
	case LT_CLOCK_MONOTONIC:
	case LT_CLOCK_BOOTTIME:
		ns = uptime_ns();
		ts.sec = (int64_t)(ns / 1000000000u);
		ts.nsec = (int64_t)(ns % 1000000000u);
		break;
	default:
		return (-EINVAL);
	}
	return (-copyout(l, &ts, a[1], sizeof(ts)));
}

int64_t
sys_gettimeofday(struct lwp *l, const uint64_t *a)
{
	struct lt_timespec tv;

	if (a[0] == 0)
		return (0);
	host_realtime(&tv.sec, &tv.nsec);
	tv.nsec /= 1000; /* microseconds */
	return (-copyout(l, &tv, a[0], sizeof(tv)));
}

static int64_t
sleep_for(struct lwp *l, uint64_t ureq)
{
	static int nap; /* the channel nobody wakes */
	struct lt_timespec ts;
	uint64_t ns;
	int error;

	if ((error = copyin(l, ureq, &ts, sizeof(ts))) != 0)
		return (-error);
	if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000)
		return (-EINVAL);
	ns = (uint64_t)ts.sec * 1000000000u + (uint64_t)ts.nsec;
	if (ns == 0)
		return (0);
	error = tsleep(&nap, PCATCH, "nanslp", ns);
	return (error == EWOULDBLOCK ? 0 : -error);
}

int64_t
sys_nanosleep(struct lwp *l, const uint64_t *a)
{
	return (sleep_for(l, a[0]));
}

int64_t
sys_clock_nanosleep(struct lwp *l, const uint64_t *a)
{
	/* XXX TIMER_ABSTIME is not honoured yet: relative only. */
	if ((int)a[1] != 0)
		return (-EINVAL);
	return (sleep_for(l, a[2]));
}

/* sysinfo(2): uptime, memory (the memory image), process count. */
int64_t
sys_sysinfo(struct lwp *l, const uint64_t *a)
{
	struct {
		int64_t uptime;
		uint64_t loads[3];
		uint64_t totalram, freeram, sharedram, bufferram;
		uint64_t totalswap, freeswap;
		uint16_t procs, pad;
		uint32_t pad2;
		uint64_t totalhigh, freehigh;
		uint32_t mem_unit;
		char pad3[4];
	} si;
	struct proc *p;

	_Static_assert(sizeof(si) == 112, "Linux x86-64 struct sysinfo");
	memset(&si, 0, sizeof(si));
	si.uptime = (int64_t)(uptime_ns() / 1000000000u);
	si.totalram = vm_page_count() * PAGE_SIZE;
	si.freeram = vm_page_free_count() * PAGE_SIZE;
	for (p = allproc; p != NULL; p = p->p_allnext)
		si.procs++;
	si.mem_unit = 1;
	return (-copyout(l, &si, a[0], sizeof(si)));
}
