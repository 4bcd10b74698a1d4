/*
 * sig_private.h - what the files of the signal layer share: kern_sig.c
 * (posting, delivery, stop and continue), kern_sigframe.c (handler frames
 * and sigreturn) and sys_sig.c (the system calls).
 */
#ifndef RUNTIME_KERN_SIG_PRIVATE_H
#define RUNTIME_KERN_SIG_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/kern/proc.h"

/* Linux's numbers and flags. */
#define SIGBIT(sig)	((uint64_t)1 << ((sig)-1))
#define LT_SIGKILL	9
#define LT_SIGSEGV	11
#define LT_SIGCHLD	17
#define LT_SIGCONT	18
#define LT_SIGSTOP	19
#define LT_SIGTSTP	20
#define LT_SIGTTIN	21
#define LT_SIGTTOU	22
#define LT_SA_NOCLDSTOP 0x00000001u
#define LT_SA_SIGINFO	0x00000004u
#define LT_SA_ONSTACK	0x08000000u
#define LT_SA_RESTART	0x10000000u
#define LT_SA_NODEFER	0x40000000u
#define LT_SA_RESETHAND 0x80000000u
#define LT_SA_RESTORER	0x04000000u
#define LT_SIG_DFL	0
#define LT_SIG_IGN	1
#define CANTMASK	(SIGBIT(LT_SIGKILL) | SIGBIT(LT_SIGSTOP))
#define STOPSIGS                                                        \
	(SIGBIT(LT_SIGSTOP) | SIGBIT(LT_SIGTSTP) | SIGBIT(LT_SIGTTIN) | \
	    SIGBIT(LT_SIGTTOU))

/* si_code values of a signal's siginfo. */
#define LT_SI_USER	 0
#define LT_SI_TKILL	 (-6)
#define LT_CLD_EXITED	 1
#define LT_CLD_KILLED	 2
#define LT_CLD_STOPPED	 5
#define LT_CLD_CONTINUED 6

/* True when sig is discarded on posting (SIG_IGN, or ignored by default). */
bool sig_ignored(const struct proc *p, int sig);
/* Signals pending for l: its own and its process's. */
static inline uint64_t
sig_pending(const struct lwp *l)
{
	return (l->l_sigpend | l->l_proc->p_sigpend);
}
/*
 * Re-evaluates whether l has a deliverable (or awaited) signal, and pokes
 * it.
 */
void sig_notify(struct lwp *l);
/* Drops the pending signals in mask from p and all its threads. */
void sig_discard(struct proc *p, uint64_t mask);
/* l blocked more: its process's pending signals go to another thread. */
void sig_retarget(struct lwp *l);
/*
 * Builds sig's handler frame on l's stack (addr and code: the fault's
 * address and si_code; si: the sender's side of the siginfo, or NULL for
 * a fault) and
 * points l at the handler, blocking what the action says; kills the
 * process if the frame does not fit (kern_sigframe.c).
 */
void sig_run_handler(struct lwp *l, int sig, uint64_t addr, int code,
    const struct ksiginfo *si);

#endif /* RUNTIME_KERN_SIG_PRIVATE_H */
