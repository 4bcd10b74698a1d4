/*
 * kern_sig.c - signals: posting, default actions, handler frames on the
 * guest's stack in the Linux x86-64 layout, and sigreturn.
 *
 * A signal is posted to a process (one thread per process yet) by setting
 * its bit; if it is not blocked, a sleeping thread is interrupted (its
 * PCATCH sleep returns EINTR) and a running guest is stopped with
 * guest_interrupt(), so the thread reaches signal_deliver() before it
 * runs guest code again.  There the first deliverable signal either runs
 * its default action or is handed to the guest's handler: the kernel
 * writes an rt_sigframe (return address = sa_restorer, ucontext with the
 * registers, the mask and the FPU state, siginfo) below the stack pointer
 * (or on the alternate stack) and points the registers at the handler.
 * rt_sigreturn(2) reads the frame back.
 * XXX Stop and continue are not modelled yet: SIGSTOP and friends are
 * ignored by default; process groups are one per process unless setpgid
 * changes them.
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/syscall_private.h"

#define SIGBIT(sig)	((uint64_t)1 << ((sig)-1))
#define LT_SIGKILL	9
#define LT_SIGSTOP	19
#define LT_SA_SIGINFO	0x00000004u
#define LT_SA_ONSTACK	0x08000000u
#define LT_SA_RESTART	0x10000000u
#define LT_SA_NODEFER	0x40000000u
#define LT_SA_RESETHAND 0x80000000u
#define LT_SA_RESTORER	0x04000000u
#define LT_SIG_DFL	0
#define LT_SIG_IGN	1
#define CANTMASK	(SIGBIT(LT_SIGKILL) | SIGBIT(LT_SIGSTOP))
#define FPU_MAX		4096

/* Default actions: 'T' terminate, 'C' terminate with core, 'I' ignore. */
static const char sig_default[SIG_NUM + 1] =
    "?TTCCCCCTCTCTTTTTIITTTITTCCITITCC";

static char
default_action(int sig)
{
	if (sig >= 34)
		return ('T'); /* real-time signals terminate */
	/* SIGCHLD 17, SIGCONT 18, SIGURG 23, SIGWINCH 28 are ignored;
	 * XXX SIGSTOP 19, SIGTSTP 20, SIGTTIN 21, SIGTTOU 22 should stop. */
	if (sig == 17 || sig == 18 || sig == 23 || sig == 28 ||
	    (sig >= 19 && sig <= 22))
		return ('I');
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
	case 34:  /* pause */
	case 35:  /* nanosleep */
	case 130: /* rt_sigsuspend */
	case 230: /* clock_nanosleep */
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

static bool
ignored(const struct proc *p, int sig)
{
	uint64_t h = p->p_sigacts[sig - 1].handler;

	return (sig != LT_SIGKILL &&
	    (h == LT_SIG_IGN ||
		(h == LT_SIG_DFL && default_action(sig) == 'I')));
}

/* Re-evaluates whether l has a deliverable signal, and pokes it. */
static void
signal_notify(struct lwp *l)
{
	if ((l->l_sigpend & ~l->l_sigmask) == 0)
		return;
	thread_signal(&l->l_td);
	if (l->l_gt != NULL)
		guest_interrupt(l->l_gt);
}

void
psignal(struct proc *p, int sig)
{
	struct lwp *l = p->p_lwp;

	if (sig < 1 || sig > SIG_NUM || p->p_state != PRS_ACTIVE || l == NULL)
		return;
	if (ignored(p, sig))
		return;
	/* init is not killed by signals it does not catch (Linux). */
	if (p == initproc && !signal_caught(p, sig))
		return;
	l->l_sigpend |= SIGBIT(sig);
	signal_notify(l);
}

void
pgsignal(int pgid, int sig)
{
	struct proc *p;

	for (p = allproc; p != NULL; p = p->p_allnext)
		if (p->p_pgid == pgid)
			psignal(p, sig);
}

/* --- Frames ------------------------------------------------------------- */

struct lt_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp;
	uint64_t rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;
	uint64_t reserved[8];
};
_Static_assert(sizeof(struct lt_sigcontext) == 256, "sigcontext");

struct lt_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	uint64_t ss_sp;
	int32_t ss_flags, pad;
	uint64_t ss_size;
	struct lt_sigcontext uc_mcontext;
	uint64_t uc_sigmask;
};

struct lt_siginfo {
	int32_t si_signo, si_errno, si_code, pad;
	uint64_t si_addr; /* or pid/uid for kill */
	uint8_t rest[128 - 24];
};

struct lt_rt_sigframe {
	uint64_t pretcode;
	struct lt_ucontext uc;
	struct lt_siginfo info;
};

static void
regs_to_sc(const struct guest_regs *r, struct lt_sigcontext *sc)
{
	sc->r8 = r->r8, sc->r9 = r->r9, sc->r10 = r->r10, sc->r11 = r->r11;
	sc->r12 = r->r12, sc->r13 = r->r13, sc->r14 = r->r14, sc->r15 = r->r15;
	sc->rdi = r->rdi, sc->rsi = r->rsi, sc->rbp = r->rbp, sc->rbx = r->rbx;
	sc->rdx = r->rdx, sc->rax = r->rax, sc->rcx = r->rcx, sc->rsp = r->rsp;
	sc->rip = r->rip, sc->eflags = r->rflags;
	sc->cs = 0x33, sc->ss = 0x2b;
}

static void
sc_to_regs(const struct lt_sigcontext *sc, struct guest_regs *r)
{
	r->r8 = sc->r8, r->r9 = sc->r9, r->r10 = sc->r10, r->r11 = sc->r11;
	r->r12 = sc->r12, r->r13 = sc->r13, r->r14 = sc->r14, r->r15 = sc->r15;
	r->rdi = sc->rdi, r->rsi = sc->rsi, r->rbp = sc->rbp, r->rbx = sc->rbx;
	r->rdx = sc->rdx, r->rax = sc->rax, r->rcx = sc->rcx, r->rsp = sc->rsp;
	r->rip = sc->rip;
	/* Only the arithmetic flags and DF come back (not TF, IOPL...). */
	r->rflags = (r->rflags & ~0xcd5ULL) | (sc->eflags & 0xcd5ULL);
}

/* Builds the handler frame; returns 0, or an errno (then: kill). */
static int
push_frame(struct lwp *l, int sig, const struct sigaction_k *sa, uint64_t addr)
{
	struct lt_rt_sigframe f;
	uint8_t *fpu;
	size_t fpsize = 0;
	uint64_t sp = l->l_regs.rsp - 128, fpaddr = 0, frame;
	int error;

	if ((sa->flags & LT_SA_ONSTACK) && l->l_altstack_size != 0 &&
	    !(sp >= l->l_altstack_sp &&
		sp < l->l_altstack_sp + l->l_altstack_size))
		sp = l->l_altstack_sp + l->l_altstack_size;
	if ((fpu = kmalloc(FPU_MAX)) == NULL)
		return (ENOMEM);
	if (guest_fpu_get(l->l_gt, fpu, FPU_MAX, &fpsize) == 0 && fpsize > 0) {
		fpaddr = (sp - fpsize) & ~63ULL;
		sp = fpaddr;
		error = copyout(l, fpu, fpaddr, fpsize);
	} else
		error = 0;
	kfree(fpu);
	if (error != 0)
		return (error);
	frame = ((sp - sizeof(f)) & ~15ULL) - 8;
	memset(&f, 0, sizeof(f));
	f.pretcode = sa->restorer;
	f.uc.ss_sp = l->l_altstack_sp;
	f.uc.ss_size = l->l_altstack_size;
	regs_to_sc(&l->l_regs, &f.uc.uc_mcontext);
	f.uc.uc_mcontext.fpstate = fpaddr;
	f.uc.uc_mcontext.cr2 = addr;
	f.uc.uc_mcontext.oldmask = l->l_sigmask;
	f.uc.uc_sigmask = l->l_hasoldmask ? l->l_oldmask : l->l_sigmask;
	l->l_hasoldmask = false;
	f.info.si_signo = sig;
	f.info.si_addr = addr;
	if ((error = copyout(l, &f, frame, sizeof(f))) != 0)
		return (error);
	l->l_regs.rsp = frame;
	l->l_regs.rip = sa->handler;
	l->l_regs.rdi = (uint64_t)sig;
	l->l_regs.rsi = frame + offsetof(struct lt_rt_sigframe, info);
	l->l_regs.rdx = frame + offsetof(struct lt_rt_sigframe, uc);
	l->l_regs.rax = 0;
	l->l_regs.rflags &= ~0x400ULL; /* DF clear, as the ABI wants */
	return (0);
}

/* Hands sig to its handler; kills the process if that fails. */
static void
run_handler(struct lwp *l, int sig, uint64_t addr)
{
	struct proc *p = l->l_proc;
	struct sigaction_k *sa = &p->p_sigacts[sig - 1];

	if (push_frame(l, sig, sa, addr) != 0) {
		/* No room for the frame: Linux kills with SIGSEGV. */
		proc_exit(p, 11);
		return;
	}
	l->l_sigmask |= sa->mask;
	if (!(sa->flags & LT_SA_NODEFER))
		l->l_sigmask |= SIGBIT(sig);
	l->l_sigmask &= ~CANTMASK;
	if (sa->flags & LT_SA_RESETHAND)
		sa->handler = LT_SIG_DFL;
}

bool
signal_deliver(struct lwp *l)
{
	struct proc *p = l->l_proc;
	uint64_t ready = l->l_sigpend & ~l->l_sigmask;
	int sig;
	char act;

	l->l_td.td_sigpending = false;
	if (ready == 0)
		return (false);
	sig = __builtin_ctzll(ready) + 1;
	l->l_sigpend &= ~SIGBIT(sig);
	l->l_td.td_sigpending = (l->l_sigpend & ~l->l_sigmask) != 0;
	if (signal_caught(p, sig) && sig != LT_SIGKILL) {
		/* A call cut short by the signal restarts after it. */
		if ((int64_t)l->l_regs.rax == -EINTR && l->l_insyscall &&
		    (p->p_sigacts[sig - 1].flags & LT_SA_RESTART) &&
		    restartable(l->l_sysnr)) {
			l->l_regs.rax = l->l_sysnr;
			l->l_regs.rip -= 2;
		}
		l->l_insyscall = false;
		run_handler(l, sig, 0);
		return (true);
	}
	act = default_action(sig);
	if (p->p_sigacts[sig - 1].handler == LT_SIG_IGN || act == 'I')
		return (true);
	/* init dies of no signal it does not catch, even one that was
	 * caught when it was posted (Linux's SIGNAL_UNKILLABLE). */
	if (p == initproc)
		return (true);
	proc_exit(p, sig); /* no core dumps: WCOREDUMP stays clear */
	return (true);
}

void
signal_trap(struct lwp *l, int sig, uint64_t addr)
{
	struct proc *p = l->l_proc;

	if (sig < 1 || sig > SIG_NUM)
		sig = 11;
	if (signal_caught(p, sig) && !(l->l_sigmask & SIGBIT(sig))) {
		run_handler(l, sig, addr);
		return;
	}
	/* Blocked or not caught: a synchronous fault kills. */
	kprintf("pid %d (%s): signal %d at %#llx rip %#llx\n", p->p_pid,
	    p->p_comm, sig, (unsigned long long)addr,
	    (unsigned long long)l->l_regs.rip);
	proc_exit(p, sig);
}

/* --- System calls --------------------------------------------------------- */

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
	if (ignored(p, sig))
		l->l_sigpend &= ~SIGBIT(sig);
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
	}
	if (a[2] != 0 && (error = copyout(l, &old, a[2], 8)) != 0)
		return (-error);
	return (0);
}

int64_t
sys_rt_sigreturn(struct lwp *l, const uint64_t *a)
{
	struct lt_ucontext uc;
	uint8_t *fpu;
	uint64_t frame = l->l_regs.rsp - 8; /* the handler's ret popped 8 */
	int error;

	(void)a;
	if ((error = copyin(l, frame + offsetof(struct lt_rt_sigframe, uc), &uc,
		 sizeof(uc))) != 0) {
		proc_exit(l->l_proc, 11);
		return (0);
	}
	sc_to_regs(&uc.uc_mcontext, &l->l_regs);
	l->l_sigmask = uc.uc_sigmask & ~CANTMASK;
	if (uc.uc_mcontext.fpstate != 0 && (fpu = kmalloc(FPU_MAX)) != NULL) {
		size_t size = 0;

		/* The area is as large as get reports; read that much. */
		if (guest_fpu_get(l->l_gt, fpu, FPU_MAX, &size) == 0 &&
		    copyin(l, uc.uc_mcontext.fpstate, fpu, size) == 0)
			(void)guest_fpu_set(l->l_gt, fpu, size);
		kfree(fpu);
	}
	l->l_insyscall = false;
	signal_notify(l);
	/* The dispatcher stores this in rax: give it rax's own value. */
	return ((int64_t)l->l_regs.rax);
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

static struct proc *
pfind(int pid)
{
	struct proc *p;

	for (p = allproc; p != NULL; p = p->p_allnext)
		if (p->p_pid == pid && p->p_state == PRS_ACTIVE)
			return (p);
	return (NULL);
}

int64_t
sys_kill(struct lwp *l, const uint64_t *a)
{
	int pid = (int)a[0], sig = (int)a[1], n = 0;
	struct proc *p;

	if (sig < 0 || sig > SIG_NUM)
		return (-EINVAL);
	if (pid > 0) {
		if ((p = pfind(pid)) == NULL)
			return (-ESRCH);
		if (sig != 0)
			psignal(p, sig);
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
				psignal(p, sig);
		}
	}
	return (n > 0 ? 0 : -ESRCH);
}

int64_t
sys_tgkill(struct lwp *l, const uint64_t *a)
{
	uint64_t b[2] = { a[1], a[2] };

	/* One thread per process: the thread id is the pid. */
	return (sys_kill(l, b));
}

int64_t
sys_tkill(struct lwp *l, const uint64_t *a)
{
	return (sys_kill(l, a));
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
	if (p->p_sid != l->l_proc->p_sid)
		return (-EPERM);
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
	l->l_td.td_sigpending = (l->l_sigpend & ~l->l_sigmask) != 0;
	return (sys_pause(l, a));
}
