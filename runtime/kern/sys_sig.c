/*
 * sys_sig.c - the signal system calls: actions, masks, the alternate
 * stack, kill and its thread forms, process groups and sessions, and the
 * waits for a signal (pause, sigsuspend, sigtimedwait).
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/kern.h"
#include "runtime/kern/sig_private.h"
#include "runtime/kern/syscall_private.h"

int64_t
sys_rt_sigaction(struct lwp *l, const uint64_t *a)
{
	struct proc *p = l->l_proc;
	int sig = (int)a[0], error;
	struct sigaction_k k;

	if (sig < 1 || sig > SIG_NUM || a[3] != 8)
		return (-EINVAL);
	if (a[2] != 0 &&
	    (error = copyout(l, &p->p_sigacts[sig - 1], a[2], sizeof(k))) != 0)
		return (-error);
	if (a[1] == 0)
		return (0);
	if (sig == LT_SIGKILL || sig == LT_SIGSTOP)
		return (-EINVAL);
	if ((error = copyin(l, a[1], &k, sizeof(k))) != 0)
		return (-error);
	k.mask &= ~CANTMASK;
	p->p_sigacts[sig - 1] = k;
	/* Ignoring a signal discards it if pending. */
	if (sig_ignored(p, sig))
		sig_discard(p, SIGBIT(sig));
	return (0);
}

int64_t
sys_rt_sigprocmask(struct lwp *l, const uint64_t *a)
{
	uint64_t set, old = l->l_sigmask;
	int error;

	if (a[3] != 8)
		return (-EINVAL);
	if (a[1] != 0) {
		if ((error = copyin(l, a[1], &set, 8)) != 0)
			return (-error);
		switch ((int)a[0]) {
		case 0: /* SIG_BLOCK */
			l->l_sigmask |= set;
			break;
		case 1: /* SIG_UNBLOCK */
			l->l_sigmask &= ~set;
			break;
		case 2: /* SIG_SETMASK */
			l->l_sigmask = set;
			break;
		default:
			return (-EINVAL);
		}
		l->l_sigmask &= ~CANTMASK;
		sig_retarget(l);
	}
	if (a[2] != 0 && (error = copyout(l, &old, a[2], 8)) != 0)
		return (-error);
	return (0);
}

int64_t
sys_rt_sigpending(struct lwp *l, const uint64_t *a)
{
	uint64_t set = sig_pending(l) & l->l_sigmask;

	if (a[1] > 8)
		return (-EINVAL);
	return (-copyout(l, &set, a[0], (size_t)a[1]));
}

int64_t
sys_sigaltstack(struct lwp *l, const uint64_t *a)
{
	struct {
		uint64_t sp;
		int32_t flags, pad;
		uint64_t size;
	} ss;
	int error;

	if (a[1] != 0) {
		memset(&ss, 0, sizeof(ss));
		ss.sp = l->l_altstack_sp;
		ss.size = l->l_altstack_size;
		ss.flags = l->l_altstack_size == 0 ? 2 /* SS_DISABLE */ : 0;
		if ((error = copyout(l, &ss, a[1], sizeof(ss))) != 0)
			return (-error);
	}
	if (a[0] != 0) {
		if ((error = copyin(l, a[0], &ss, sizeof(ss))) != 0)
			return (-error);
		/* SS_DISABLE 2, SS_ONSTACK 1, SS_AUTODISARM 1 << 31. */
		if ((ss.flags & ~(2 | 1 | (int32_t)(1U << 31))) != 0)
			return (-EINVAL);
		if (ss.flags & 2) {
			l->l_altstack_sp = l->l_altstack_size = 0;
		} else {
			if (ss.size < 2048)
				return (-ENOMEM);
			l->l_altstack_sp = ss.sp;
			l->l_altstack_size = ss.size;
		}
	}
	return (0);
}

static bool
zombie(int pid)
{
	struct proc *p;

	for (p = allproc; p != NULL; p = p->p_allnext)
		if (p->p_pid == pid && p->p_state == PRS_ZOMBIE)
			return (true);
	return (false);
}

int64_t
sys_kill(struct lwp *l, const uint64_t *a)
{
	int pid = (int)a[0], sig = (int)a[1], n = 0;
	struct ksiginfo si = { LT_SI_USER, l->l_proc->p_pid, l->l_proc->p_ruid,
		0 };
	struct proc *p;

	if (sig < 0 || sig > SIG_NUM)
		return (-EINVAL);
	if (pid > 0) {
		if ((p = pfind(pid)) == NULL)
			/* A zombie still exists: kill(zombie, 0) is 0. */
			return (zombie(pid) ? 0 : -ESRCH);
		if (sig != 0)
			psignal_info(p, sig, &si);
		return (0);
	}
	for (p = allproc; p != NULL; p = p->p_allnext) {
		if (p->p_state != PRS_ACTIVE)
			continue;
		if ((pid == 0 && p->p_pgid == l->l_proc->p_pgid) ||
		    (pid == -1 && p->p_pid != 1 && p != l->l_proc) ||
		    (pid < -1 && p->p_pgid == -pid)) {
			n++;
			if (sig != 0)
				psignal_info(p, sig, &si);
		}
	}
	return (n > 0 ? 0 : -ESRCH);
}

/* tgkill and tkill: tgid 0 matches any process. */
static int64_t
thread_kill(struct lwp *l, int tgid, int tid, int sig)
{
	struct ksiginfo si = { LT_SI_TKILL, l->l_proc->p_pid, l->l_proc->p_ruid,
		0 };
	struct lwp *t;

	if (sig < 0 || sig > SIG_NUM || tid <= 0 || tgid < 0)
		return (-EINVAL);
	if ((t = lwp_find(tid)) == NULL ||
	    (tgid != 0 && t->l_proc->p_pid != tgid))
		return (-ESRCH);
	if (sig != 0)
		lwp_signal(t, sig, &si);
	return (0);
}

int64_t
sys_tgkill(struct lwp *l, const uint64_t *a)
{
	if ((int)a[0] <= 0)
		return (-EINVAL);
	return (thread_kill(l, (int)a[0], (int)a[1], (int)a[2]));
}

int64_t
sys_tkill(struct lwp *l, const uint64_t *a)
{
	return (thread_kill(l, 0, (int)a[0], (int)a[1]));
}

int64_t
sys_getpgid(struct lwp *l, const uint64_t *a)
{
	struct proc *p = a[0] == 0 ? l->l_proc : pfind((int)a[0]);

	return (p != NULL ? p->p_pgid : -ESRCH);
}

int64_t
sys_getpgrp(struct lwp *l, const uint64_t *a)
{
	(void)a;
	return (l->l_proc->p_pgid);
}

int64_t
sys_setpgid(struct lwp *l, const uint64_t *a)
{
	struct proc *p = a[0] == 0 ? l->l_proc : pfind((int)a[0]);
	int pgid = (int)a[1];

	if (p == NULL || (p != l->l_proc && p->p_pptr != l->l_proc))
		return (-ESRCH);
	if (pgid < 0)
		return (-EINVAL);
	if (p->p_sid != l->l_proc->p_sid || p->p_pid == p->p_sid)
		return (-EPERM); /* another session's, or a session leader */
	p->p_pgid = pgid == 0 ? p->p_pid : pgid;
	return (0);
}

int64_t
sys_getsid(struct lwp *l, const uint64_t *a)
{
	struct proc *p = a[0] == 0 ? l->l_proc : pfind((int)a[0]);

	return (p != NULL ? p->p_sid : -ESRCH);
}

int64_t
sys_setsid(struct lwp *l, const uint64_t *a)
{
	struct proc *p = l->l_proc;

	(void)a;
	if (p->p_pgid == p->p_pid)
		return (-EPERM);
	p->p_sid = p->p_pgid = p->p_pid;
	return (p->p_sid);
}

int64_t
sys_pause(struct lwp *l, const uint64_t *a)
{
	static int never; /* nobody wakes this channel */

	(void)l;
	(void)a;
	while (tsleep(&never, PCATCH, "pause", 0) == 0)
		;
	return (-EINTR);
}

int64_t
sys_rt_sigsuspend(struct lwp *l, const uint64_t *a)
{
	uint64_t mask;
	int error;

	if (a[1] != 8)
		return (-EINVAL);
	if ((error = copyin(l, a[0], &mask, 8)) != 0)
		return (-error);
	/*
	 * The handler runs with the suspend mask; its frame records the
	 * caller's mask, which sigreturn puts back (l_oldmask).
	 */
	l->l_oldmask = l->l_sigmask;
	l->l_hasoldmask = true;
	l->l_sigmask = mask & ~CANTMASK;
	l->l_td.td_sigpending = (sig_pending(l) & ~l->l_sigmask) != 0;
	return (sys_pause(l, a));
}

struct lt_timespec {
	int64_t sec, nsec;
};

/* rt_sigtimedwait(2): takes a signal of the set, waiting for one. */
int64_t
sys_rt_sigtimedwait(struct lwp *l, const uint64_t *a)
{
	struct {
		int32_t si_signo, si_errno, si_code, pad;
		uint8_t rest[128 - 16];
	} info;
	struct lt_timespec ts;
	uint64_t set, ready, ns = 0;
	int sig, error;

	if (a[3] != 8)
		return (-EINVAL);
	if ((error = copyin(l, a[0], &set, 8)) != 0)
		return (-error);
	set &= ~CANTMASK;
	if (a[2] != 0) {
		if ((error = copyin(l, a[2], &ts, sizeof(ts))) != 0)
			return (-error);
		if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000)
			return (-EINVAL);
		ns = (uint64_t)ts.sec * 1000000000u + (uint64_t)ts.nsec;
	}
	for (;;) {
		if ((ready = sig_pending(l) & set) != 0)
			break;
		if (a[2] != 0 && ns == 0)
			return (-EAGAIN);
		l->l_sigwait = set;
		error = tsleep(&l->l_sigwait, PCATCH, "sigwait", ns);
		l->l_sigwait = 0;
		if (error == EWOULDBLOCK)
			return (-EAGAIN);
		if (error != 0 && (sig_pending(l) & set) == 0)
			return (-error);
		/* XXX A wait cut short starts again with its whole time. */
	}
	sig = __builtin_ctzll(ready) + 1;
	if (l->l_sigpend & SIGBIT(sig))
		l->l_sigpend &= ~SIGBIT(sig);
	else
		l->l_proc->p_sigpend &= ~SIGBIT(sig);
	if (a[1] != 0) {
		memset(&info, 0, sizeof(info));
		info.si_signo = sig;
		info.si_code = LT_SI_USER;
		if ((error = copyout(l, &info, a[1], sizeof(info))) != 0)
			return (-error);
	}
	return (sig);
}
