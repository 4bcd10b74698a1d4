/*
 * kern_sig.c - signals: posting, default actions, delivery to a handler,
 * and job-control stop and continue.
 *
 * A signal sent to a process (kill) is pending in p_sigpend until one of
 * its threads takes it; one sent to a thread (tgkill, a fault) is pending
 * in that thread's l_sigpend.  Posting pokes a thread that does not block
 * it: a PCATCH sleep is cut short (EINTR) and guest code is stopped with
 * guest_interrupt(), so that the thread reaches signal_deliver() before
 * it runs guest code again.  There the first deliverable signal either
 * runs its default action or goes to the guest's handler
 * (kern_sigframe.c builds the frame).
 *
 * Stop signals (SIGSTOP, and SIGTSTP, SIGTTIN, SIGTTOU by default) stop
 * the whole process: its threads park before their next guest
 * instruction until SIGCONT (or SIGKILL) arrives, and the parent hears of
 * it through SIGCHLD (unless SA_NOCLDSTOP) and wait4(WUNTRACED).  A
 * system call cut short by a signal that runs no handler starts again,
 * as Linux restarts it.
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/kern.h"
#include "runtime/kern/sig_private.h"

/*
 * Default actions: 'T' terminate, 'C' terminate with core, 'I' ignore,
 * 'S' stop, 'c' continue.
 */
static const char sig_default[34 + 1] = "?TTCCCCCCTCTCTTTTIcSSSSICCTTITTCTT";

static char
default_action(int sig)
{
	if (sig >= 32)
		return ('T'); /* real-time signals terminate */
	return (sig_default[sig]);
}

/*
 * Calls that Linux never restarts after a handler, SA_RESTART or not:
 * pause, sigsuspend, the sleeps and poll report EINTR.
 */
static bool
restartable(uint64_t nr)
{
	switch (nr) {
	case 7:	  /* poll */
	case 23:  /* select */
	case 34:  /* pause */
	case 35:  /* nanosleep */
	case 130: /* rt_sigsuspend */
	case 230: /* clock_nanosleep */
	case 270: /* pselect6 */
	case 271: /* ppoll */
		return (false);
	default:
		return (true);
	}
}

bool
signal_caught(const struct proc *p, int sig)
{
	uint64_t h = p->p_sigacts[sig - 1].handler;

	return (h != LT_SIG_DFL && h != LT_SIG_IGN);
}

bool
sig_ignored(const struct proc *p, int sig)
{
	uint64_t h = p->p_sigacts[sig - 1].handler;
	char act = default_action(sig);

	return (sig != LT_SIGKILL && sig != LT_SIGSTOP &&
	    (h == LT_SIG_IGN ||
		(h == LT_SIG_DFL && (act == 'I' || act == 'c'))));
}

void
sig_notify(struct lwp *l)
{
	if ((sig_pending(l) & (~l->l_sigmask | l->l_sigwait)) == 0)
		return;
	thread_signal(&l->l_td);
	if (l->l_gt != NULL)
		guest_interrupt(l->l_gt);
}

void
sig_discard(struct proc *p, uint64_t mask)
{
	struct lwp *l;

	p->p_sigpend &= ~mask;
	for (l = p->p_lwps; l != NULL; l = l->l_next)
		l->l_sigpend &= ~mask;
}

/* Tells p's parent that p stopped or continued (how: CLD_*). */
static void
notify_parent(struct proc *p, int how)
{
	struct proc *pp = p->p_pptr;

	struct ksiginfo si = { how, p->p_pid, p->p_ruid,
		how == LT_CLD_STOPPED ? p->p_stopsig : LT_SIGCONT };

	p->p_jobreport = how;
	if (pp == NULL)
		return;
	wakeup(pp); /* a wait4(WUNTRACED) or waitid(WCONTINUED) */
	if (!(pp->p_sigacts[LT_SIGCHLD - 1].flags & LT_SA_NOCLDSTOP))
		psignal_info(pp, LT_SIGCHLD, &si);
}

/* Stops p: its threads park in lwp_main until it continues. */
static void
proc_stop(struct proc *p, int sig)
{
	struct lwp *l;

	if (p->p_stopped)
		return;
	p->p_stopped = true;
	p->p_stopsig = sig;
	for (l = p->p_lwps; l != NULL; l = l->l_next)
		if (&l->l_td != curthread && l->l_gt != NULL)
			guest_interrupt(l->l_gt);
	notify_parent(p, LT_CLD_STOPPED);
}

void
proc_stopwait(struct lwp *l)
{
	struct proc *p = l->l_proc;

	while (p->p_stopped && !l->l_exiting)
		tsleep(&p->p_stopped, 0, "stopped", 0);
}

/* Wakes a stopped p; report: tell the parent (SIGCONT, not SIGKILL). */
static void
proc_continue(struct proc *p, bool report)
{
	if (!p->p_stopped)
		return;
	p->p_stopped = false;
	wakeup(&p->p_stopped);
	if (report)
		notify_parent(p, LT_CLD_CONTINUED);
}

/* The work of posting sig, once p is known to take it. */
static bool
post_prepare(struct proc *p, int sig)
{
	if (sig < 1 || sig > SIG_NUM || p->p_state != PRS_ACTIVE ||
	    p->p_lwps == NULL || p->p_exiting)
		return (false);
	/* A continue or stop cancels the opposite pending signals. */
	if (sig == LT_SIGCONT) {
		sig_discard(p, STOPSIGS);
		proc_continue(p, true);
	} else if (SIGBIT(sig) & STOPSIGS)
		sig_discard(p, SIGBIT(LT_SIGCONT));
	else if (sig == LT_SIGKILL)
		proc_continue(p, false);
	if (sig_ignored(p, sig))
		return (false);
	/* init is not killed or stopped by signals it does not catch;
	 * blocked ones stay pending for sigtimedwait (Linux). */
	if (p == initproc && !signal_caught(p, sig) &&
	    !(p->p_lwps->l_sigmask & SIGBIT(sig)))
		return (false);
	return (true);
}

void
psignal_info(struct proc *p, int sig, const struct ksiginfo *si)
{
	struct lwp *l;

	if (!post_prepare(p, sig))
		return;
	p->p_sigpend |= SIGBIT(sig);
	if (si != NULL)
		p->p_siginfo[sig - 1] = *si;
	else
		memset(&p->p_siginfo[sig - 1], 0, sizeof(struct ksiginfo));
	/* Any thread that does not block it (or waits for it) takes it. */
	for (l = p->p_lwps; l != NULL; l = l->l_next)
		if (((~l->l_sigmask | l->l_sigwait) & SIGBIT(sig)) &&
		    !l->l_exiting) {
			sig_notify(l);
			return;
		}
}

void
psignal(struct proc *p, int sig)
{
	psignal_info(p, sig, NULL);
}

void
sig_retarget(struct lwp *l)
{
	struct proc *p = l->l_proc;
	uint64_t moved = p->p_sigpend & l->l_sigmask;
	struct lwp *o;

	if (moved == 0)
		return;
	for (o = p->p_lwps; o != NULL; o = o->l_next)
		if (o != l && (moved & ~o->l_sigmask) != 0)
			sig_notify(o);
}

void
lwp_signal(struct lwp *l, int sig, const struct ksiginfo *si)
{
	if (!post_prepare(l->l_proc, sig))
		return;
	l->l_sigpend |= SIGBIT(sig);
	if (si != NULL)
		l->l_siginfo[sig - 1] = *si;
	else
		memset(&l->l_siginfo[sig - 1], 0, sizeof(struct ksiginfo));
	sig_notify(l);
}

void
pgsignal(int pgid, int sig)
{
	struct proc *p;

	for (p = allproc; p != NULL; p = p->p_allnext)
		if (p->p_pgid == pgid)
			psignal(p, sig);
}

/* A call cut short by a signal that runs no handler starts again. */
static void
restart_call(struct lwp *l)
{
	if (l->l_insyscall && (int64_t)l->l_regs.rax == -EINTR) {
		l->l_regs.rax = l->l_sysnr;
		l->l_regs.rip -= 2;
	}
	l->l_insyscall = false;
}

bool
signal_deliver(struct lwp *l)
{
	struct proc *p = l->l_proc;
	uint64_t ready = sig_pending(l) & ~l->l_sigmask;
	struct ksiginfo si;
	int sig;
	char act;

	l->l_td.td_sigpending = false;
	if (ready == 0)
		return (false);
	sig = __builtin_ctzll(ready) + 1;
	if (l->l_sigpend & SIGBIT(sig)) {
		l->l_sigpend &= ~SIGBIT(sig);
		si = l->l_siginfo[sig - 1];
	} else {
		p->p_sigpend &= ~SIGBIT(sig);
		si = p->p_siginfo[sig - 1];
	}
	l->l_td.td_sigpending = (sig_pending(l) & ~l->l_sigmask) != 0;
	if (signal_caught(p, sig) && sig != LT_SIGKILL && sig != LT_SIGSTOP) {
		/* A call cut short by the signal restarts after it. */
		if ((int64_t)l->l_regs.rax == -EINTR && l->l_insyscall &&
		    (p->p_sigacts[sig - 1].flags & LT_SA_RESTART) &&
		    restartable(l->l_sysnr)) {
			l->l_regs.rax = l->l_sysnr;
			l->l_regs.rip -= 2;
		}
		l->l_insyscall = false;
		sig_run_handler(l, sig, 0, si.code, &si);
		return (true);
	}
	act = default_action(sig);
	/* init dies of no signal it does not catch, even one that was
	 * caught when it was posted (Linux's SIGNAL_UNKILLABLE). */
	if (p->p_sigacts[sig - 1].handler == LT_SIG_IGN || act == 'I' ||
	    act == 'c' || p == initproc) {
		restart_call(l);
		return (true);
	}
	if (act == 'S') {
		restart_call(l);
		proc_stop(p, sig);
		return (true);
	}
	proc_exit(p, sig); /* no core dumps: WCOREDUMP stays clear */
	return (true);
}

void
signal_trap(struct lwp *l, int sig, uint64_t addr, int code)
{
	struct proc *p = l->l_proc;

	if (sig < 1 || sig > SIG_NUM)
		sig = LT_SIGSEGV;
	if (signal_caught(p, sig) && !(l->l_sigmask & SIGBIT(sig))) {
		sig_run_handler(l, sig, addr, code, NULL);
		return;
	}
	/* Blocked or not caught: a synchronous fault kills. */
	kprintf("pid %d (%s): signal %d at %#llx rip %#llx\n", p->p_pid,
	    p->p_comm, sig, (unsigned long long)addr,
	    (unsigned long long)l->l_regs.rip);
	proc_exit(p, sig);
}

struct proc *
pfind(int pid)
{
	struct proc *p;

	for (p = allproc; p != NULL; p = p->p_allnext)
		if (p->p_pid == pid && p->p_state == PRS_ACTIVE)
			return (p);
	return (NULL);
}
