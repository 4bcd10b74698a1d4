/*
 * kern_sigframe.c - signal handler frames in the Linux x86-64 layout, and
 * rt_sigreturn(2).
 *
 * To run a handler the kernel writes an rt_sigframe below the guest's
 * stack pointer (past the 128-byte red zone, or on the alternate stack):
 * the return address (sa_restorer, which calls rt_sigreturn), a ucontext
 * with the registers, the signal mask and a pointer to the FPU state
 * (saved just above the frame, 64-byte aligned), and the siginfo.
 * rt_sigreturn(2) reads the ucontext back, so a handler may change the
 * registers and the mask it returns to, as on Linux.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/sig_private.h"
#include "runtime/kern/syscall_private.h"

#define FPU_MAX 4096

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
	union {
		uint64_t si_addr; /* a fault's address */
		struct {
			int32_t si_pid; /* kill, SIGCHLD: the process */
			uint32_t si_uid;
			int32_t si_status; /* SIGCHLD */
		} k;
	} u;
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
push_frame(struct lwp *l, int sig, const struct sigaction_k *sa, uint64_t addr,
    int code, const struct ksiginfo *si)
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
	if (si != NULL) {
		f.info.si_code = si->code;
		f.info.u.k.si_pid = si->pid;
		f.info.u.k.si_uid = si->uid;
		f.info.u.k.si_status = si->status;
	} else {
		f.info.si_code = code; /* SEGV_MAPERR, SEGV_ACCERR... */
		f.info.u.si_addr = addr;
	}
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

void
sig_run_handler(struct lwp *l, int sig, uint64_t addr, int code,
    const struct ksiginfo *si)
{
	struct proc *p = l->l_proc;
	struct sigaction_k *sa = &p->p_sigacts[sig - 1];

	if (push_frame(l, sig, sa, addr, code, si) != 0) {
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
	sig_notify(l);
	/* The dispatcher stores this in rax: give it rax's own value. */
	return ((int64_t)l->l_regs.rax);
}
