/*
 * kern_proc.c - processes: creation, the thread that runs a process's
 * guest thread, exit and wait.
 *
 * Each guest thread has a kernel thread (struct lwp, whose first member
 * is its struct thread) that loops: run the guest until it traps, then
 * handle the trap under the kernel lock.  While the guest runs the kernel
 * thread holds a cpu token but not the kernel lock, so up to -n guests run
 * at once and the kernel stays available to everyone else.
 *
 * Threads (clone with CLONE_THREAD) are more lwps of one process, in
 * p_lwps, sharing its address space, descriptors and signal actions; each
 * has its own thread id from the pid space.  A thread ends alone with
 * exit(2); proc_exit() (exit_group, a fatal signal) ends them all, and
 * the last one out makes the process a zombie.  Ended lwps wait on
 * p_deadlwps until their host thread is gone, then are freed.
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/file.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/proc.h"
#include "runtime/kern/tty.h"

#define AUDIT_ARCH_X86_64 0xc000003eu
#define SIGSYS_NUMBER	  31 /* Linux's SIGSYS: a wait status of 31 */

static int pid_next = 1;
struct proc *initproc;
struct proc *allproc;

/* Process 1's limits, which every other process inherits. */
static void
rlimit_defaults(struct proc *p)
{
	for (int i = 0; i < PROC_NRLIMIT; i++)
		p->p_rlimit[i].cur = p->p_rlimit[i].max = UINT64_MAX;
	p->p_rlimit[3].cur = 8 * 1024 * 1024;	     /* RLIMIT_STACK */
	p->p_rlimit[4].cur = p->p_rlimit[4].max = 0; /* RLIMIT_CORE: none */
	p->p_rlimit[7].cur = p->p_rlimit[7].max = FD_MAX; /* RLIMIT_NOFILE */
}

void
proc_cputime(struct proc *p, uint64_t *utime, uint64_t *stime)
{
	uint64_t u = 0, s = 0;
	int pid;

	if (p->p_space != NULL && (pid = guest_space_pid(p->p_space)) > 0 &&
	    host_proc_times(pid, &u, &s) == 0) {
		p->p_utime = u;
		p->p_stime = s;
	}
	*utime = p->p_utime;
	*stime = p->p_stime;
}

int
proc_create(struct proc *parent, struct filedesc *fdp, struct proc **pp)
{
	struct proc *p;

	if (pid_next > PID_MAX)
		return (EAGAIN); /* XXX pids are not reused yet */
	if ((p = kmalloc(sizeof(*p))) == NULL)
		return (ENOMEM);
	p->p_pid = pid_next++;
	p->p_state = PRS_NEW;
	p->p_pptr = parent;
	p->p_fd = fdp;
	fdp->fd_refcnt++;
	if (parent != NULL) {
		p->p_sibling = parent->p_children;
		parent->p_children = p;
		p->p_pgid = parent->p_pgid;
		p->p_sid = parent->p_sid;
		/* fork keeps the signal actions (execve resets caught ones) */
		memcpy(p->p_sigacts, parent->p_sigacts, sizeof(p->p_sigacts));
		p->p_ruid = parent->p_ruid, p->p_euid = parent->p_euid;
		p->p_suid = parent->p_suid, p->p_rgid = parent->p_rgid;
		p->p_egid = parent->p_egid, p->p_sgid = parent->p_sgid;
		memcpy(p->p_groups, parent->p_groups, sizeof(p->p_groups));
		p->p_ngroups = parent->p_ngroups;
		memcpy(p->p_rlimit, parent->p_rlimit, sizeof(p->p_rlimit));
	} else {
		p->p_pgid = p->p_sid = p->p_pid;
		rlimit_defaults(p);
	}
	p->p_allnext = allproc;
	allproc = p;
	p->p_start_ticks = ticks;
	*pp = p;
	return (0);
}

/*
 * Ended lwps of reaped processes whose host thread has not let go of its
 * struct thread yet (one store after the kernel lock): freed later.
 */
static struct lwp *lwp_graveyard;

/* Frees the lwps of list *head whose host thread is done; keeps the rest. */
static void
free_done(struct lwp **head)
{
	struct lwp *l, *next, *keep = NULL;

	for (l = *head; l != NULL; l = next) {
		next = l->l_next;
		if (__atomic_load_n(&l->l_td.td_done, __ATOMIC_ACQUIRE))
			kfree(l);
		else {
			l->l_next = keep;
			keep = l;
		}
	}
	*head = keep;
}

/*
 * Frees the ended lwps of p whose host thread is gone; with all (p is
 * being reaped) the others go to the graveyard instead of waiting.
 */
static void
reclaim_lwps(struct proc *p, bool all)
{
	struct lwp *l;

	free_done(&lwp_graveyard);
	free_done(&p->p_deadlwps);
	while (all && (l = p->p_deadlwps) != NULL) {
		p->p_deadlwps = l->l_next;
		l->l_next = lwp_graveyard;
		lwp_graveyard = l;
	}
}

/* Undoes proc_create() of a child that never ran. */
static void
proc_exit_early(struct proc *c)
{
	if (c->p_fd != NULL)
		fd_free(c->p_fd);
	c->p_fd = NULL;
	c->p_state = PRS_ZOMBIE;
	proc_reap(c);
}

void
proc_reap(struct proc *p)
{
	struct proc **pp;

	if (p->p_pptr != NULL) {
		/* times(2) and RUSAGE_CHILDREN: the child and its own. */
		p->p_pptr->p_cutime += p->p_utime + p->p_cutime;
		p->p_pptr->p_cstime += p->p_stime + p->p_cstime;
	}
	for (pp = &allproc; *pp != NULL; pp = &(*pp)->p_allnext)
		if (*pp == p) {
			*pp = p->p_allnext;
			break;
		}

	if (p->p_pptr != NULL) {
		for (pp = &p->p_pptr->p_children; *pp != NULL;
		     pp = &(*pp)->p_sibling)
			if (*pp == p) {
				*pp = p->p_sibling;
				break;
			}
	}
	reclaim_lwps(p, true);
	kfree(p->p_args);
	kfree(p);
}

int
proc_fork(struct proc *p, struct lwp *l, struct proc **childp)
{
	struct filedesc *fdp;
	struct proc *c;
	struct lwp *cl;
	int error;

	if ((cl = kmalloc(sizeof(*cl))) == NULL)
		return (ENOMEM);
	if ((error = fd_copy(p->p_fd, &fdp)) != 0) {
		kfree(cl);
		return (error);
	}
	error = proc_create(p, fdp, &c);
	fd_free(fdp); /* proc_create took its own reference */
	if (error != 0) {
		kfree(cl);
		return (error);
	}
	/* The forking thread makes the child's copy of itself (and of its
	 * FPU state). */
	if ((error = guest_thread_fork(l->l_gt, &c->p_space, &cl->l_gt)) != 0) {
		if (c->p_space != NULL)
			guest_space_destroy(c->p_space);
		kfree(cl);
		c->p_space = NULL;
		proc_exit_early(c);
		return (error);
	}
	cl->l_proc = c;
	cl->l_tid = c->p_pid;
	cl->l_regs = l->l_regs;
	cl->l_regs.rax = 0; /* fork returns 0 in the child */
	cl->l_sigmask = l->l_sigmask;
	cl->l_altstack_sp = l->l_altstack_sp;
	cl->l_altstack_size = l->l_altstack_size;
	c->p_lwps = cl;
	c->p_nlwps = 1;
	c->p_brk_base = p->p_brk_base;
	c->p_brk = p->p_brk;
	c->p_mmap_next = p->p_mmap_next;
	memcpy(c->p_comm, p->p_comm, sizeof(c->p_comm));
	if (p->p_args != NULL &&
	    (c->p_args = kmalloc(p->p_argslen + 1)) != NULL) {
		memcpy(c->p_args, p->p_args, p->p_argslen);
		c->p_argslen = p->p_argslen;
	}
	if ((error = proc_start(c)) != 0) {
		guest_thread_destroy(cl->l_gt);
		guest_space_destroy(c->p_space);
		c->p_space = NULL;
		c->p_lwps = NULL;
		c->p_nlwps = 0;
		kfree(cl);
		proc_exit_early(c);
		return (error);
	}
	*childp = c;
	return (0);
}

void
proc_vfork_release(struct proc *p)
{
	if (p->p_vforkdone == NULL)
		return;
	*p->p_vforkdone = true;
	wakeup(p->p_vforkdone);
	p->p_vforkdone = NULL;
}

/* Signal number of a fatal guest event, as a wait status. */
static int
fatal_status(const struct guest_event *ev)
{
	return (ev->type == GUEST_EVENT_DIED ? 9 : ev->signo);
}

/* Orphans go to init; zombies among them are reaped at once. */
static void
reparent_children(struct proc *p)
{
	struct proc *c, *next;

	for (c = p->p_children; c != NULL; c = next) {
		next = c->p_sibling;
		if (initproc == NULL || initproc == p) {
			c->p_pptr = NULL;
			if (c->p_state == PRS_ZOMBIE)
				proc_reap(c);
			continue;
		}
		c->p_pptr = initproc;
		c->p_sibling = initproc->p_children;
		initproc->p_children = c;
		if (c->p_state == PRS_ZOMBIE)
			wakeup(initproc);
	}
	p->p_children = NULL;
}

/* Takes l out of p's threads, onto the list of ended ones. */
static void
lwp_unlink(struct proc *p, struct lwp *l)
{
	struct lwp **lp;

	for (lp = &p->p_lwps; *lp != NULL; lp = &(*lp)->l_next)
		if (*lp == l) {
			*lp = l->l_next;
			break;
		}
	p->p_nlwps--;
	l->l_next = p->p_deadlwps;
	p->p_deadlwps = l;
}

/* The end of a thread; the last thread of p makes it a zombie. */
static void
lwp_end(struct lwp *l)
{
	struct proc *p = l->l_proc;
	uint32_t zero = 0;

	/* CLONE_CHILD_CLEARTID: what pthread_join waits for. */
	if (!p->p_exiting && p->p_nlwps > 1 && l->l_clear_tid != 0 &&
	    guest_write(p->p_space, l->l_gt, l->l_clear_tid, &zero, 4) == 0)
		(void)futex_wake(p, l->l_clear_tid, 1);
	guest_thread_destroy(l->l_gt);
	l->l_gt = NULL;
	lwp_unlink(p, l);
	if (p->p_nlwps > 0) {
		wakeup(&p->p_nlwps); /* an execve waiting for the others */
		return;
	}
	proc_vfork_release(p); /* a vfork parent waits no more */
	if (p->p_fd != NULL) {
		fd_free(p->p_fd);
		p->p_fd = NULL;
	}
	/* The stub's use is the process's: keep it for the parent. */
	{
		uint64_t u, st;

		proc_cputime(p, &u, &st);
	}
	guest_space_destroy(p->p_space);
	p->p_space = NULL;
	if (p->p_pid == p->p_sid)
		tty_session_end(p->p_sid); /* the leader: its terminal goes */
	reparent_children(p);
	p->p_state = PRS_ZOMBIE;
	wakeup(p);
	if (p->p_pptr != NULL) {
		struct proc *pp = p->p_pptr;
		struct ksiginfo si = { (p->p_xstat & 0x7f) == 0 ? 1 : 2,
			p->p_pid, p->p_ruid,
			(p->p_xstat & 0x7f) == 0 ? (p->p_xstat >> 8) & 0xff :
						   p->p_xstat & 0x7f };

		/* A parent that ignores SIGCHLD (or SA_NOCLDWAIT) waits
		 * for no zombies: this one goes at once (Linux, POSIX). */
		if (pp != initproc &&
		    (pp->p_sigacts[16].handler == 1 ||
			(pp->p_sigacts[16].flags & 2)))
			p->p_autoreap = true;
		wakeup(pp);		   /* a wait4() in the parent */
		psignal_info(pp, 17, &si); /* SIGCHLD, CLD_EXITED/KILLED */
	}
}

void
proc_autoreap(void)
{
	struct proc *p, *next;

	for (p = allproc; p != NULL; p = next) {
		next = p->p_allnext;
		if (p->p_state == PRS_ZOMBIE && p->p_autoreap)
			proc_reap(p);
	}
}

static void
lwp_main(void *arg)
{
	struct lwp *l = arg;
	struct proc *p = l->l_proc;
	struct guest_event ev;
	int error;

	curthread->td_proc = p; /* for curproc: /proc/self, ... */
	while (!l->l_exiting) {
		proc_stopwait(l);
		while (signal_deliver(l) && !l->l_exiting)
			proc_stopwait(l);
		if (l->l_exiting)
			break;
		l->l_insyscall = false; /* later signals interrupt guest code */
		if (l->l_hasoldmask) {
			/* sigsuspend woke without a handler to run. */
			l->l_sigmask = l->l_oldmask;
			l->l_hasoldmask = false;
		}
		kernel_unlock();
		/* Calls that touch no shared state run without the lock. */
		while ((error = guest_run(l->l_gt, &l->l_regs, &ev)) == 0 &&
		    ev.type == GUEST_EVENT_SYSCALL &&
		    ev.arch == AUDIT_ARCH_X86_64 &&
		    syscall_dispatch_unlocked(l))
			continue;
		kernel_lock();
		if (error != 0)
			panic("guest_run: pid %d: error %d", p->p_pid, error);
		switch (ev.type) {
		case GUEST_EVENT_SYSCALL:
			if (ev.arch != AUDIT_ARCH_X86_64) {
				/* int $0x80: the 32-bit entry is not served. */
				proc_exit(p, SIGSYS_NUMBER);
				break;
			}
			syscall_dispatch(l);
			break;
		case GUEST_EVENT_INTERRUPT:
			/* Preempted: let the threads in line go first. */
			cpu_release();
			cpu_acquire();
			break;
		case GUEST_EVENT_FAULT:
		case GUEST_EVENT_SIGNAL:
			/* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP: the
			 * guest's handler or death. */
			signal_trap(l, ev.signo, ev.addr, ev.code);
			break;
		case GUEST_EVENT_DIED:
		default:
			proc_exit(p, fatal_status(&ev));
			break;
		}
	}
	lwp_end(l);
}

int
proc_start(struct proc *p)
{
	if (p->p_lwps == NULL || p->p_state != PRS_NEW)
		return (EINVAL);
	p->p_state = PRS_ACTIVE;
	return (kthread_start(&p->p_lwps->l_td, lwp_main, p->p_lwps,
	    p->p_comm));
}

/* Makes l leave its run loop soon, wherever it is. */
static void
lwp_stop(struct lwp *l)
{
	l->l_exiting = true;
	if (&l->l_td == curthread)
		return;
	thread_signal(&l->l_td);
	if (l->l_gt != NULL)
		guest_interrupt(l->l_gt);
}

void
proc_exit(struct proc *p, int xstat)
{
	struct lwp *l;

	if (!p->p_exiting) {
		p->p_exiting = true;
		p->p_xstat = xstat;
	}
	for (l = p->p_lwps; l != NULL; l = l->l_next)
		lwp_stop(l);
}

int
proc_wait(struct proc *p)
{
	while (p->p_state != PRS_ZOMBIE)
		tsleep(p, 0, "wait", 0);
	return (p->p_xstat);
}

int
lwp_create(struct lwp *l, uint64_t stack, bool settls, uint64_t tls,
    struct lwp **nlp)
{
	struct proc *p = l->l_proc;
	struct lwp *nl, **lp;
	size_t size = 0;
	void *fpu;
	int error;

	reclaim_lwps(p, false);
	if (pid_next > PID_MAX)
		return (EAGAIN);
	if ((nl = kmalloc(sizeof(*nl))) == NULL)
		return (ENOMEM);
	memset(nl, 0, sizeof(*nl));
	/* A forked process gets its stub's control thread when it first
	 * needs it: here. */
	if ((error = guest_space_control(p->p_space, l->l_gt)) != 0 ||
	    (error = guest_thread_create(p->p_space, &nl->l_gt)) != 0) {
		kfree(nl);
		return (error == ENOSPC ? EAGAIN : error);
	}
	/* The new thread starts with its creator's FPU state (Linux). */
	if ((fpu = kmalloc(GUEST_FPU_MAX)) != NULL) {
		if (guest_fpu_get(l->l_gt, fpu, GUEST_FPU_MAX, &size) == 0)
			(void)guest_fpu_set(nl->l_gt, fpu, size);
		kfree(fpu);
	}
	nl->l_proc = p;
	nl->l_tid = pid_next++;
	nl->l_regs = l->l_regs;
	nl->l_regs.rax = 0; /* clone returns 0 in the new thread */
	nl->l_regs.rsp = stack;
	if (settls)
		nl->l_regs.fs_base = tls;
	nl->l_sigmask = l->l_sigmask; /* and no alternate stack (Linux) */
	for (lp = &p->p_lwps; *lp != NULL; lp = &(*lp)->l_next)
		continue;
	*lp = nl;
	p->p_nlwps++;
	if ((error = kthread_start(&nl->l_td, lwp_main, nl, p->p_comm)) != 0) {
		guest_thread_destroy(nl->l_gt);
		*lp = NULL;
		p->p_nlwps--;
		kfree(nl);
		return (error);
	}
	*nlp = nl;
	return (0);
}

int
proc_single_thread(struct lwp *l)
{
	struct proc *p = l->l_proc;
	struct lwp *o;

	for (o = p->p_lwps; o != NULL; o = o->l_next)
		if (o != l)
			lwp_stop(o);
	while (p->p_nlwps > 1) {
		if (p->p_exiting)
			return (EINTR);
		tsleep(&p->p_nlwps, 0, "exec", 0);
	}
	if (p->p_exiting)
		return (EINTR);
	l->l_tid = p->p_pid; /* the thread that execs takes the pid */
	return (0);
}

struct lwp *
lwp_find(int tid)
{
	struct proc *p;
	struct lwp *l;

	for (p = allproc; p != NULL; p = p->p_allnext) {
		if (p->p_state != PRS_ACTIVE)
			continue;
		for (l = p->p_lwps; l != NULL; l = l->l_next)
			if (l->l_tid == tid && !l->l_exiting)
				return (l);
	}
	return (NULL);
}
