/*
 * sys_proc.c - process system calls: fork, vfork, clone (processes and
 * threads), execve, exit, wait4 and waitid, and the clock calls
 * (clock_gettime, gettimeofday, nanosleep, clock_nanosleep).
 *
 * vfork, and clone with CLONE_VFORK, suspend the calling thread until the
 * child has executed a program or ended, as Linux does; that suspension is
 * the one guarantee kept (busybox sh and posix_spawn rely on it).  XXX The
 * child's memory is a copy-on-write copy, not the parent's memory: so it
 * is also for clone with CLONE_VM but without CLONE_THREAD (posix_spawn's
 * CLONE_VM|CLONE_VFORK), whose child runs on the stack it is given, in a
 * copy.  What a vfork child writes to memory the parent does not see.
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/sig_private.h"
#include "runtime/kern/syscall_private.h"
#include "runtime/vm/vm.h"

#define ARGV_MAX		1024	     /* arguments plus environment */
#define ARGS_BYTES		(128 * 1024) /* their strings together */
#define LT_WNOHANG		1
#define LT_WUNTRACED		2
#define LT_WEXITED		4
#define LT_WCONTINUED		8
#define LT_WNOWAIT		0x01000000
#define LT_WALL			0x40000000 /* __WALL, __WCLONE: accepted */
#define LT_WCLONE		0x80000000
#define LT_CLONE_VM		0x00000100
#define LT_CLONE_FS		0x00000200
#define LT_CLONE_FILES		0x00000400
#define LT_CLONE_SIGHAND	0x00000800
#define LT_CLONE_VFORK		0x00004000
#define LT_CLONE_PARENT		0x00008000
#define LT_CLONE_THREAD		0x00010000
#define LT_CLONE_NEWNS		0x00020000
#define LT_CLONE_SYSVSEM	0x00040000
#define LT_CLONE_SETTLS		0x00080000
#define LT_CLONE_PARENT_SETTID	0x00100000
#define LT_CLONE_CHILD_CLEARTID 0x00200000
#define LT_CLONE_DETACHED	0x00400000
#define LT_CLONE_CHILD_SETTID	0x01000000
/* What a thread may ask for: everything else is refused with EINVAL. */
#define THREAD_FLAGS                                                     \
	(LT_CLONE_VM | LT_CLONE_FS | LT_CLONE_FILES | LT_CLONE_SIGHAND | \
	    LT_CLONE_THREAD | LT_CLONE_SYSVSEM | LT_CLONE_SETTLS |       \
	    LT_CLONE_PARENT_SETTID | LT_CLONE_CHILD_CLEARTID |           \
	    LT_CLONE_DETACHED | LT_CLONE_CHILD_SETTID)
#define THREAD_NEEDS (LT_CLONE_VM | LT_CLONE_SIGHAND | LT_CLONE_FILES)

static int64_t
do_fork(struct lwp *l, struct proc **cp)
{
	struct proc *c;
	int error;

	if ((error = proc_fork(l->l_proc, l, &c)) != 0)
		return (-error);
	*cp = c;
	return (c->p_pid);
}

/*
 * The vfork wait: l sleeps until its new child c has executed a program
 * or ended (proc_vfork_release()).  As in Linux it is killable and
 * nothing else: SIGKILL, or l's process exiting, ends it; other signals
 * stay pending until it is over, and the call then returns the child's
 * pid (no EINTR, no restart).  The child cannot have run yet: it needs
 * the kernel lock, which l has held since proc_fork().
 */
static void
vfork_wait(struct lwp *l, struct proc *c)
{
	struct proc *p = l->l_proc;
	bool done = false;

	/* c holds the address only until the loop ends (both ways out
	 * clear it). */
	// cppcheck-suppress autoVariables
	c->p_vforkdone = &done;
	while (!done) {
		if (l->l_exiting || p->p_exiting ||
		    (sig_pending(l) & SIGBIT(LT_SIGKILL)) != 0) {
			/* Not released, so c is no zombie and still here. */
			c->p_vforkdone = NULL;
			break;
		}
		/* PCATCH to hear of signals; one that is not SIGKILL was
		 * looked at above, so sleep on (giant is held meanwhile). */
		if (tsleep(&done, PCATCH, "vfork", 0) == EINTR)
			l->l_td.td_sigpending = false;
	}
	l->l_td.td_sigpending = (sig_pending(l) & ~l->l_sigmask) != 0;
}

/* vfork(2): a fork whose parent waits for the child's execve or exit. */
int64_t
sys_vfork(struct lwp *l, const uint64_t *a)
{
	struct proc *c = NULL;
	int64_t pid;

	(void)a;
	if ((pid = do_fork(l, &c)) > 0)
		vfork_wait(l, c);
	return (pid);
}

int64_t
sys_fork(struct lwp *l, const uint64_t *a)
{
	struct proc *c = NULL;

	(void)a;
	return (do_fork(l, &c));
}

/* clone(2) of a thread: CLONE_THREAD with the address space shared. */
static int64_t
clone_thread(struct lwp *l, const uint64_t *a)
{
	uint64_t flags = a[0];
	struct lwp *nl;
	int32_t tid;
	int error;

	if ((flags & ~(uint64_t)(THREAD_FLAGS | 0xff)) != 0 ||
	    (flags & THREAD_NEEDS) != THREAD_NEEDS || (flags & 0xff) != 0)
		return (-EINVAL);
	error = lwp_create(l, a[1], (flags & LT_CLONE_SETTLS) != 0, a[4], &nl);
	if (error != 0)
		return (-error);
	tid = nl->l_tid;
	/* Both ids are written before either thread runs on (Linux). */
	if (flags & LT_CLONE_PARENT_SETTID)
		(void)copyout(l, &tid, a[2], sizeof(tid));
	if (flags & LT_CLONE_CHILD_SETTID)
		(void)copyout(l, &tid, a[3], sizeof(tid));
	if (flags & LT_CLONE_CHILD_CLEARTID)
		nl->l_clear_tid = a[3];
	return (tid);
}

int64_t
sys_clone(struct lwp *l, const uint64_t *a)
{
	uint64_t flags = a[0];
	struct guest_regs saved = l->l_regs;
	struct proc *c = NULL;
	int64_t pid;
	int32_t tid;

	if (flags & LT_CLONE_THREAD)
		return (clone_thread(l, a));
	if (flags & (LT_CLONE_SIGHAND | LT_CLONE_NEWNS))
		return (-EINVAL);
	if (a[1] != 0)
		l->l_regs.rsp = a[1]; /* the child's stack (see above) */
	pid = do_fork(l, &c);
	l->l_regs = saved;
	if (pid > 0 && (flags & LT_CLONE_PARENT_SETTID)) {
		tid = (int32_t)pid;
		(void)copyout(l, &tid, a[2], sizeof(tid));
	}
	/* XXX CLONE_CHILD_SETTID writes into the child's memory. */
	if (pid > 0 && (flags & LT_CLONE_VFORK))
		vfork_wait(l, c);
	return (pid);
}

/* exit(2): ends the calling thread; the last one ends the process. */
int64_t
sys_exit(struct lwp *l, const uint64_t *a)
{
	struct proc *p = l->l_proc;
	struct lwp *o;
	int others = 0;

	for (o = p->p_lwps; o != NULL; o = o->l_next)
		if (o != l && !o->l_exiting)
			others++;
	if (others == 0)
		proc_exit(p, (int)((a[0] & 0xff) << 8));
	else
		l->l_exiting = true;
	return (0);
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

/* What a wait found: the child, its status, and whether to reap it. */
struct waitres {
	struct proc *c;
	int pid, status, code; /* code: CLD_* for waitid */
};

#define LT_CLD_EXITED	 1
#define LT_CLD_KILLED	 2
#define LT_CLD_STOPPED	 5
#define LT_CLD_CONTINUED 6

/* True when child c is one that wait id (wait4's pid rules) asks for. */
static bool
wait_matches(const struct proc *p, const struct proc *c, int pid)
{
	if (pid > 0)
		return (c->p_pid == pid);
	if (pid == 0)
		return (c->p_pgid == p->p_pgid);
	if (pid < -1)
		return (c->p_pgid == -pid);
	return (true);
}

/*
 * The common part of wait4 and waitid: finds a child of p that pid
 * selects and that has something to report under options (LT_W*),
 * sleeping for one unless WNOHANG.  Returns 0 with *wr (wr->c NULL:
 * nothing yet, WNOHANG), ECHILD or EINTR.  Reaps the child unless
 * WNOWAIT or it only stopped or continued.
 */
static int
wait_common(struct proc *p, int pid, int options, struct waitres *wr)
{
	struct proc *c;
	bool found;
	int error;

	for (;;) {
		found = false;
		for (c = p->p_children; c != NULL; c = c->p_sibling) {
			if (!wait_matches(p, c, pid) || c->p_autoreap)
				continue;
			found = true;
			wr->c = c;
			wr->pid = c->p_pid;
			if (c->p_state == PRS_ZOMBIE &&
			    (options & LT_WEXITED)) {
				wr->status = c->p_xstat;
				wr->code = (c->p_xstat & 0x7f) == 0 ?
				    LT_CLD_EXITED :
				    LT_CLD_KILLED;
				if (!(options & LT_WNOWAIT))
					proc_reap(c);
				return (0);
			}
			if (c->p_state != PRS_ACTIVE)
				continue;
			if (c->p_jobreport == LT_CLD_STOPPED && c->p_stopped &&
			    (options & LT_WUNTRACED)) {
				wr->status = c->p_stopsig << 8 | 0x7f;
				wr->code = LT_CLD_STOPPED;
				if (!(options & LT_WNOWAIT))
					c->p_jobreport = 0;
				return (0);
			}
			if (c->p_jobreport == LT_CLD_CONTINUED &&
			    (options & LT_WCONTINUED)) {
				wr->status = 0xffff;
				wr->code = LT_CLD_CONTINUED;
				if (!(options & LT_WNOWAIT))
					c->p_jobreport = 0;
				return (0);
			}
		}
		wr->c = NULL;
		if (!found)
			return (ECHILD);
		if (options & LT_WNOHANG)
			return (0);
		if ((error = tsleep(p, PCATCH, "wait", 0)) != 0)
			return (error);
	}
}

int64_t
sys_wait4(struct lwp *l, const uint64_t *a)
{
	struct waitres wr;
	int error;

	if ((a[2] &
		~(uint64_t)(LT_WNOHANG | LT_WUNTRACED | LT_WCONTINUED |
		    LT_WALL | LT_WCLONE)) != 0)
		return (-EINVAL);
	error = wait_common(l->l_proc, (int)a[0], (int)a[2] | LT_WEXITED, &wr);
	if (error != 0)
		return (-error);
	if (wr.c == NULL)
		return (0);
	/* XXX The status is lost if the copy fails after a reap. */
	if (a[1] != 0 &&
	    (error = copyout(l, &wr.status, a[1], sizeof(wr.status))) != 0)
		return (-error);
	return (wr.pid);
}

/* waitid(2): P_ALL, P_PID, P_PGID; the answer as a siginfo. */
int64_t
sys_waitid(struct lwp *l, const uint64_t *a)
{
	struct {
		int32_t si_signo, si_errno, si_code, pad;
		int32_t si_pid, si_uid, si_status, pad2;
		uint8_t rest[128 - 32];
	} info;
	int idtype = (int)a[0], id = (int)a[1], options = (int)a[3], pid;
	struct waitres wr;
	int error;

	if ((options &
		~(LT_WNOHANG | LT_WUNTRACED | LT_WEXITED | LT_WCONTINUED |
		    LT_WNOWAIT | LT_WALL | LT_WCLONE)) != 0 ||
	    (options & (LT_WUNTRACED | LT_WEXITED | LT_WCONTINUED)) == 0)
		return (-EINVAL);
	switch (idtype) {
	case 0: /* P_ALL */
		pid = -1;
		break;
	case 1: /* P_PID */
		if (id <= 0)
			return (-EINVAL);
		pid = id;
		break;
	case 2: /* P_PGID */
		if (id < 0)
			return (-EINVAL);
		pid = id == 0 ? 0 : -id;
		break;
	default:
		return (-EINVAL);
	}
	if ((error = wait_common(l->l_proc, pid, options, &wr)) != 0)
		return (-error);
	memset(&info, 0, sizeof(info));
	if (wr.c != NULL) {
		info.si_signo = 17; /* SIGCHLD */
		info.si_code = wr.code;
		info.si_pid = wr.pid;
		info.si_status = wr.code == LT_CLD_EXITED ?
		    (wr.status >> 8) & 0xff :
		    wr.code == LT_CLD_KILLED  ? wr.status & 0x7f :
		    wr.code == LT_CLD_STOPPED ? (wr.status >> 8) & 0xff :
						18 /* SIGCONT */;
	}
	if (a[2] != 0 && (error = copyout(l, &info, a[2], sizeof(info))) != 0)
		return (-error);
	return (0);
}

/* --- Time ------------------------------------------------------------- */

#define LT_CLOCK_REALTIME  0
#define LT_CLOCK_MONOTONIC 1
#define LT_CLOCK_BOOTTIME  7

struct lt_timespec {
	int64_t sec, nsec;
};

/*
 * The clocks: the realtime family from the host, the monotonic family
 * from the kernel's boot, CPU time from the stub (proc_cputime).  Returns
 * 0, or EINVAL for a clock that does not exist.
 */
static int
clock_read(struct lwp *l, int id, struct lt_timespec *ts)
{
	uint64_t ns, u, s;

	switch (id) {
	case 0:	 /* CLOCK_REALTIME */
	case 5:	 /* CLOCK_REALTIME_COARSE */
	case 8:	 /* CLOCK_REALTIME_ALARM */
	case 11: /* CLOCK_TAI, XXX without the leap seconds */
		host_realtime(&ts->sec, &ts->nsec);
		return (0);
	case 1: /* CLOCK_MONOTONIC */
	case 4: /* CLOCK_MONOTONIC_RAW */
	case 6: /* CLOCK_MONOTONIC_COARSE */
	case 7: /* CLOCK_BOOTTIME */
	case 9: /* CLOCK_BOOTTIME_ALARM */
		ns = uptime_ns();
		break;
	case 2: /* CLOCK_PROCESS_CPUTIME_ID */
	case 3: /* CLOCK_THREAD_CPUTIME_ID, XXX the process's */
		proc_cputime(l->l_proc, &u, &s);
		ns = u + s;
		break;
	default:
		return (EINVAL);
	}
	ts->sec = (int64_t)(ns / 1000000000u);
	ts->nsec = (int64_t)(ns % 1000000000u);
	return (0);
}

bool
clock_unlocked(int id)
{
	return (id != 2 && id != 3); /* CPU time reads the process */
}

int64_t
sys_clock_gettime(struct lwp *l, const uint64_t *a)
{
	struct lt_timespec ts;
	int error;

	if ((error = clock_read(l, (int)a[0], &ts)) != 0)
		return (-error);
	return (-copyout(l, &ts, a[1], sizeof(ts)));
}

int64_t
sys_clock_getres(struct lwp *l, const uint64_t *a)
{
	struct lt_timespec ts = { 0, 1 }; /* the host's clocks: nanoseconds */
	int id = (int)a[0];

	/* The ids clock_read() knows: 0..11 but Linux's retired 10. */
	if (id < 0 || id > 11 || id == 10)
		return (-EINVAL);
	return (a[1] != 0 ? -copyout(l, &ts, a[1], sizeof(ts)) : 0);
}

/* time(2): seconds of the realtime clock. */
int64_t
sys_time(struct lwp *l, const uint64_t *a)
{
	int64_t sec, nsec;
	int error;

	host_realtime(&sec, &nsec);
	if (a[0] != 0 && (error = copyout(l, &sec, a[0], sizeof(sec))) != 0)
		return (-error);
	return (sec);
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

/* --- Scheduling --------------------------------------------------------- */

/* sched_yield(2): lets the threads waiting for a cpu go first. */
int64_t
sys_sched_yield(struct lwp *l, const uint64_t *a)
{
	(void)l;
	(void)a;
	cpu_release();
	cpu_acquire();
	return (0);
}

/*
 * sched_getaffinity(2): every virtual cpu (-n), as a mask of one 64-bit
 * word; returns the bytes written, as Linux does.
 */
int64_t
sys_sched_getaffinity(struct lwp *l, const uint64_t *a)
{
	uint64_t mask = ncpus >= 64 ? ~0ULL : (1ULL << ncpus) - 1;

	if (a[1] < sizeof(mask) || (a[1] % sizeof(mask)) != 0)
		return (-EINVAL);
	if ((int)a[0] != 0 && lwp_find((int)a[0]) == NULL)
		return (-ESRCH);
	if (copyout(l, &mask, a[2], sizeof(mask)) != 0)
		return (-EFAULT);
	return ((int64_t)sizeof(mask));
}

/* sched_setaffinity(2): accepted; XXX threads are not pinned to cpus. */
int64_t
sys_sched_setaffinity(struct lwp *l, const uint64_t *a)
{
	uint64_t mask = 0;
	int error;

	if (a[1] < sizeof(mask))
		return (-EINVAL);
	if ((int)a[0] != 0 && lwp_find((int)a[0]) == NULL)
		return (-ESRCH);
	if ((error = copyin(l, a[2], &mask, sizeof(mask))) != 0)
		return (-error);
	return ((mask & ((1ULL << ncpus) - 1)) != 0 ? 0 : -EINVAL);
}
