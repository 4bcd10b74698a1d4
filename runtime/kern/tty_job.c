/*
 * tty_job.c - terminals and processes: the controlling terminal of a
 * session, the foreground process group, and job control.
 *
 * A session acquires a terminal when its leader opens it (without
 * O_NOCTTY) while the terminal belongs to no session, or with TIOCSCTTY;
 * it loses it when the leader exits or gives it up (TIOCNOTTY), and then
 * the foreground group gets SIGHUP and SIGCONT.  A process of the
 * terminal's session that is not in the foreground group and reads it is
 * sent SIGTTIN (its group is, as BSD and Linux do), which stops it; the
 * read starts again once it continues.  Writes (with TOSTOP) and
 * changes of the terminal's settings from the background get SIGTTOU the
 * same way.  Where the signal is ignored or blocked, a read fails with
 * EIO and a write goes ahead; an orphaned group is never stopped (EIO).
 */
#include <errno.h>

#include "runtime/kern/kern.h"
#include "runtime/kern/proc.h"
#include "runtime/kern/tty.h"
#include "runtime/sys/linux_fcntl.h"

#define LT_SIGHUP  1
#define LT_SIGCONT 18
#define LT_SIGTTIN 21
#define LT_SIGTTOU 22
#define LT_SIG_IGN 1
#define TTY_MAX	   8

static struct tty *ttys[TTY_MAX]; /* the terminals sessions may own */

static struct proc *
curproc(void)
{
	return (curthread != NULL ? curthread->td_proc : NULL);
}

/* True when a process of p's group has a parent in another group of the
 * same session: then the group is not orphaned (POSIX). */
static bool
pgrp_orphaned(int pgid)
{
	struct proc *q;

	for (q = allproc; q != NULL; q = q->p_allnext)
		if (q->p_pgid == pgid && q->p_state == PRS_ACTIVE &&
		    q->p_pptr != NULL && q->p_pptr->p_pgid != pgid &&
		    q->p_pptr->p_sid == q->p_sid)
			return (false);
	return (true);
}

bool
tty_is_ctty(const struct tty *tp, const struct proc *p)
{
	return (p != NULL && tp->t_session != 0 && p->p_sid == tp->t_session);
}

int
tty_job_check(struct tty *tp, int sig)
{
	struct proc *p = curproc();
	struct lwp *l;

	if (!tty_is_ctty(tp, p) || tp->t_pgrp == 0 || p->p_pgid == tp->t_pgrp)
		return (0);
	l = (struct lwp *)curthread; /* a process's thread: an lwp */
	if (p->p_sigacts[sig - 1].handler == LT_SIG_IGN ||
	    (l->l_sigmask & ((uint64_t)1 << (sig - 1))))
		return (sig == LT_SIGTTIN ? EIO : 0);
	if (pgrp_orphaned(p->p_pgid))
		return (EIO);
	pgsignal(p->p_pgid, sig);
	return (EINTR); /* the stop restarts the call afterwards */
}

/* Makes p's session the owner of tp, with p's group in the foreground. */
static void
acquire(struct tty *tp, const struct proc *p)
{
	tp->t_session = p->p_sid;
	tp->t_pgrp = p->p_pgid;
}

int
tty_job_open(struct tty *tp, int flags, bool devtty)
{
	struct proc *p = curproc();

	if (devtty)
		return (tty_is_ctty(tp, p) ? 0 : ENXIO);
	if (p != NULL && p->p_pid == p->p_sid && tp->t_session == 0 &&
	    !(flags & LT_O_NOCTTY))
		acquire(tp, p);
	return (0);
}

/* The session gives tp up: its foreground group hears of it. */
static void
release(struct tty *tp)
{
	if (tp->t_pgrp > 0) {
		pgsignal(tp->t_pgrp, LT_SIGHUP);
		pgsignal(tp->t_pgrp, LT_SIGCONT);
	}
	tp->t_session = 0;
	tp->t_pgrp = 0;
}

int
tty_job_register(struct tty *tp)
{
	for (int i = 0; i < TTY_MAX; i++)
		if (ttys[i] == NULL) {
			ttys[i] = tp;
			return (0);
		}
	return (ENOSPC);
}

void
tty_session_end(int sid)
{
	for (int i = 0; i < TTY_MAX; i++)
		if (ttys[i] != NULL && ttys[i]->t_session == sid && sid != 0)
			release(ttys[i]);
}

/* True when some process of session sid is in process group pgid. */
static bool
pgrp_in_session(int pgid, int sid)
{
	struct proc *q;

	for (q = allproc; q != NULL; q = q->p_allnext)
		if (q->p_pgid == pgid && q->p_sid == sid &&
		    q->p_state == PRS_ACTIVE)
			return (true);
	return (false);
}

int
tty_job_ioctl(struct tty *tp, unsigned long cmd, void *data)
{
	struct proc *p = curproc();
	int *ip = data, error;

	switch (cmd) {
	case LT_TIOCGPGRP:
	case LT_TIOCGSID:
		if (!tty_is_ctty(tp, p))
			return (ENOTTY);
		*ip = cmd == LT_TIOCGPGRP ? tp->t_pgrp : tp->t_session;
		return (0);
	case LT_TIOCSPGRP:
		if (!tty_is_ctty(tp, p))
			return (ENOTTY);
		if ((error = tty_job_check(tp, LT_SIGTTOU)) != 0)
			return (error);
		if (*ip <= 0)
			return (EINVAL);
		if (!pgrp_in_session(*ip, p->p_sid))
			return (EPERM);
		tp->t_pgrp = *ip;
		return (0);
	case LT_TIOCSCTTY:
		if (p == NULL || p->p_pid != p->p_sid)
			return (EPERM);
		if (tp->t_session == p->p_sid)
			return (0);
		/* XXX Stealing (arg 1) needs privilege; all are root. */
		if (tp->t_session != 0 && *ip != 1)
			return (EPERM);
		acquire(tp, p);
		return (0);
	case LT_TIOCNOTTY:
		if (!tty_is_ctty(tp, p))
			return (ENOTTY);
		if (p->p_pid == p->p_sid)
			release(tp);
		return (0);
	case LT_TCSETS:
	case LT_TCSETSW:
	case LT_TCSETSF:
	case LT_TIOCSWINSZ:
	case LT_TCFLSH:
		if ((error = tty_job_check(tp, LT_SIGTTOU)) != 0)
			return (error);
		return (tty_ioctl(tp, cmd, data));
	default:
		return (tty_ioctl(tp, cmd, data));
	}
}
