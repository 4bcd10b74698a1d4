/*
 * guest_stub.c - the systrap stub: the only code of a guest address space
 * that is not the guest's.  Built freestanding, without libc, sanitizers
 * or writable data, and linked at STUB_BASE (guest_stub.lds); the kernel
 * embeds the resulting blob (guest_blob.c) and maps it before cloning a
 * new stub process.
 *
 * A stub process has one control thread, which runs stub_main() on its
 * private stack and serves the control mailbox (batches of mapping
 * operations, new threads, fork), and one host thread per guest thread.
 * A guest thread lives in its signal handler whenever the guest is
 * stopped: every system call of the guest raises SIGSYS (seccomp
 * RET_TRAP), faults raise SIGSEGV or SIGBUS, and the kernel's interrupts
 * arrive as STUB_SIG_INTR.  The handler saves the registers in the
 * thread's mailbox, hands the mailbox to the kernel, waits for the next
 * command and returns to the guest with the (possibly changed) registers.
 * The signal frame, with the xsave area, lies on the thread's signal
 * stack in shared memory, where the kernel reads and writes the FPU state.
 */
#include <stddef.h>
#include <stdint.h>

#include <asm/prctl.h>
#include <asm/sigcontext.h>
#include <asm/siginfo.h>
#include <asm/signal.h>
#include <asm/ucontext.h>
#include <asm/unistd.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/mman.h>
#include <linux/prctl.h>
#include <linux/sched.h>
#include <linux/seccomp.h>

#include "runtime/platform/guest/guest_stub.h"

/* Every symbol is local to the blob: no GOT, only rip-relative lea. */
#pragma GCC visibility push(hidden)

#define SA_RESTORER_FLAG 0x04000000
#define SIGSET_ALL	 (~0UL)

long stub_syscall(long, long, long, long, long, long, long);
int stub_copy(void *, const void *, uint64_t);
void stub_restorer(void);
void stub_thread_entry(void);
void stub_park(void);
void stub_main(void);
void stub_thread_main(uint64_t);
void stub_control_entry(void);
void stub_control_main(uint64_t);
long stub_on_stack(uint64_t, long (*)(uint64_t, uint64_t), uint64_t);
extern char stub_copy_insn[], stub_copy_insn_end[], stub_copy_fault[];
extern char stub_park_ret[];

#define SYS0(n)	      stub_syscall((n), 0, 0, 0, 0, 0, 0)
#define SYS1(n, a)    stub_syscall((n), (long)(a), 0, 0, 0, 0, 0)
#define SYS2(n, a, b) stub_syscall((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define SYS3(n, a, b, c) \
	stub_syscall((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define SYS4(n, a, b, c, d) \
	stub_syscall((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define SYS6(n, a, b, c, d, e, f)                                     \
	stub_syscall((n), (long)(a), (long)(b), (long)(c), (long)(d), \
	    (long)(e), (long)(f))

static inline struct stub_mailbox *
slot_mailbox(uint64_t slot)
{
	return ((struct stub_mailbox *)(STUB_SHARED_BASE +
	    slot * STUB_SLOT_SIZE));
}

static inline char *
slot_bounce(uint64_t slot)
{
	return ((char *)(STUB_SHARED_BASE + slot * STUB_SLOT_SIZE +
	    SLOT_BOUNCE_OFF));
}

static __attribute__((noreturn)) void
die(int code)
{
	for (;;)
		SYS1(__NR_exit_group, code);
}

static void
futex_wake(uint32_t *word)
{
	SYS3(__NR_futex, word, FUTEX_WAKE, 1);
}

/* Hands the mailbox to the kernel. */
static void
post(struct stub_mailbox *mb)
{
	uint32_t old = __atomic_exchange_n(&mb->state, 0, __ATOMIC_SEQ_CST);

	if (old & STATE_WAITERS)
		futex_wake(&mb->state);
}

/* Waits until the kernel hands the mailbox to tid; returns the command. */
static uint32_t
wait_command(struct stub_mailbox *mb, uint32_t tid)
{
	struct stub_mailbox *ctl = slot_mailbox(0);
	uint32_t s, spin = __atomic_load_n(&ctl->spin, __ATOMIC_RELAXED);
	uint32_t i;

	for (i = 0;; i++) {
		s = __atomic_load_n(&mb->state, __ATOMIC_ACQUIRE);
		if ((s & STATE_TID_MASK) == tid)
			return (__atomic_load_n(&mb->cmd, __ATOMIC_RELAXED));
		if (i < spin) {
			/* On a CPU it shares with the kernel, let it run. */
			if (i % 256 == 255)
				SYS0(__NR_sched_yield);
			else
				__builtin_ia32_pause();
			continue;
		}
		if (!(s & STATE_WAITERS) &&
		    !__atomic_compare_exchange_n(&mb->state, &s,
			s | STATE_WAITERS, 0, __ATOMIC_SEQ_CST,
			__ATOMIC_SEQ_CST))
			continue;
		SYS4(__NR_futex, &mb->state, FUTEX_WAIT, s | STATE_WAITERS, 0);
	}
}

static int
in_stub(uint64_t addr, uint64_t len)
{
	return (addr < STUB_END && addr + len > STUB_BASE);
}

static int
errno_of(long r)
{
	return (r < 0 && r > -4096 ? (int)-r : 0);
}

/*
 * Shared anonymous memory: a memfd of its own, mapped and closed, so that
 * the pages are shared with the children of later forks (MAP_SHARED
 * stays shared across a fork) and with nobody else.
 */
static int
map_shm(uint64_t addr, uint64_t len, uint64_t prot)
{
	long fd, r;

	if ((fd = SYS2(__NR_memfd_create, "vireo-shm", 0)) < 0)
		return (errno_of(fd));
	if ((r = SYS2(__NR_ftruncate, fd, len)) == 0)
		r = SYS6(__NR_mmap, addr, len, prot, MAP_SHARED | MAP_FIXED, fd,
		    0);
	SYS1(__NR_close, fd);
	return (errno_of(r));
}

/* Runs the batch of mb; bounce is the buffer of the same slot. */
static void
run_ops(struct stub_mailbox *mb, char *bounce)
{
	uint32_t i, n = mb->nops;
	struct stub_op *op;
	int error = 0;

	if (n > STUB_MAX_OPS)
		n = STUB_MAX_OPS;
	for (i = 0; i < n; i++) {
		op = &mb->ops[i];
		if (error != 0) {
			op->result = 125; /* ECANCELED */
			continue;
		}
		switch (op->op) {
		case STUB_OP_MMAP:
			error = in_stub(op->a[0], op->a[1]) ?
			    22 :
			    errno_of(SYS6(__NR_mmap, op->a[0], op->a[1],
				op->a[2], op->a[3] | MAP_FIXED, op->a[4],
				op->a[5]));
			break;
		case STUB_OP_MUNMAP:
			error = in_stub(op->a[0], op->a[1]) ?
			    22 :
			    errno_of(SYS2(__NR_munmap, op->a[0], op->a[1]));
			break;
		case STUB_OP_MPROTECT:
			error = in_stub(op->a[0], op->a[1]) ?
			    22 :
			    errno_of(SYS3(__NR_mprotect, op->a[0], op->a[1],
				op->a[2]));
			break;
		case STUB_OP_MMAP_SHM:
			error = in_stub(op->a[0], op->a[1]) ?
			    22 :
			    map_shm(op->a[0], op->a[1], op->a[2]);
			break;
		case STUB_OP_MREMAP:
			error = in_stub(op->a[0], op->a[1]) ||
				in_stub(op->a[3], op->a[2]) ?
			    22 :
			    errno_of(SYS6(__NR_mremap, op->a[0], op->a[1],
				op->a[2], MREMAP_MAYMOVE | MREMAP_FIXED,
				op->a[3], 0));
			break;
		case STUB_OP_DISCARD:
			error = in_stub(op->a[0], op->a[1]) ?
			    22 :
			    errno_of(SYS3(__NR_madvise, op->a[0], op->a[1],
				MADV_DONTNEED));
			break;
		case STUB_OP_COPYIN:
		case STUB_OP_COPYOUT:
			if (op->a[1] > SLOT_BOUNCE_SIZE ||
			    op->a[2] > SLOT_BOUNCE_SIZE - op->a[1] ||
			    in_stub(op->a[0], op->a[1]))
				error = 14;
			else if (op->op == STUB_OP_COPYIN)
				error = stub_copy(bounce + op->a[2],
				    (const void *)op->a[0], op->a[1]);
			else
				error = stub_copy((void *)op->a[0],
				    bounce + op->a[2], op->a[1]);
			break;
		default:
			error = 22; /* EINVAL */
		}
		op->result = error;
	}
	mb->result = error;
}

static uint64_t
fs_read(struct stub_mailbox *mb)
{
	uint64_t v;

	if (slot_mailbox(0)->fsgsbase) {
		__asm__ volatile("rdfsbase %0" : "=r"(v));
		return (v);
	}
	return (mb->fs_known ? mb->fs_cur : 0);
}

static void
fs_write(struct stub_mailbox *mb, uint64_t v)
{
	if (mb->fs_known && mb->fs_cur == v)
		return;
	if (slot_mailbox(0)->fsgsbase)
		__asm__ volatile("wrfsbase %0" : : "r"(v) : "memory");
	else
		SYS2(__NR_arch_prctl, ARCH_SET_FS, v);
	mb->fs_cur = v;
	mb->fs_known = 1;
}

/* Puts the mailbox's futex word on the calling thread's robust list. */
static void
set_robust(struct stub_mailbox *mb)
{
	mb->robust_next = (uint64_t)&mb->robust_entry;
	mb->robust_entry = (uint64_t)&mb->robust_next;
	mb->robust_offset = (uint64_t)&mb->state - (uint64_t)&mb->robust_entry;
	mb->robust_pending = 0;
	SYS2(__NR_set_robust_list, &mb->robust_next, 24);
}

/* Notes where the xsave area of the frame lies within the slot. */
static void
note_fpu(struct stub_mailbox *mb, struct ucontext *uc)
{
	uint64_t fp = (uint64_t)uc->uc_mcontext.fpstate;
	const struct _fpx_sw_bytes *sw;

	mb->fpu_off = fp - (uint64_t)mb;
	mb->fpu_len = 512;
	sw = (const struct _fpx_sw_bytes *)(fp + 464);
	if (sw->magic1 == FP_XSTATE_MAGIC1 && sw->xstate_size > 512 &&
	    sw->xstate_size <= SLOT_ALTSTACK_SIZE)
		mb->fpu_len = sw->xstate_size;
}

/* Fills in the event of a trap. */
static int
record_event(struct stub_mailbox *mb, int sig, siginfo_t *si,
    struct ucontext *uc)
{
	mb->signo = sig;
	mb->code = si->si_code;
	mb->addr = (uint64_t)si->si_addr;
	mb->err = uc->uc_mcontext.err;
	mb->trapno = uc->uc_mcontext.trapno;
	switch (sig) {
	case SIGSYS:
		mb->arch = si->si_arch;
		mb->syscall_nr = (uint32_t)si->si_syscall;
		mb->addr = (uint64_t)si->si_call_addr;
		return (STUB_EV_SYSCALL);
	case SIGSEGV:
	case SIGBUS:
		return (STUB_EV_FAULT);
	case STUB_SIG_INTR:
		if (__atomic_exchange_n(&mb->intr, 0, __ATOMIC_SEQ_CST) == 0)
			return (STUB_EV_NONE); /* stale: run on */
		return (STUB_EV_INTERRUPT);
	default:
		return (STUB_EV_SIGNAL);
	}
}

/*
 * In the child of a fork: a memfd for its own shared region, announced to
 * the kernel in ann (a mailbox of the parent's region, still shared) and
 * then mapped over the parent's.  The new, zero-filled control mailbox
 * gets the parent's settings; the child dies with the kernel, which must
 * still be its parent.
 */
static void
new_region(struct stub_mailbox *ann)
{
	struct stub_mailbox *ctl = slot_mailbox(0);
	uint32_t kernel_pid = ctl->kernel_pid, spin = ctl->spin;
	uint32_t fsgsbase = ctl->fsgsbase;
	long fd;

	fd = SYS2(__NR_memfd_create, "vireo-guest", 0);
	if (fd < 0 || SYS2(__NR_ftruncate, fd, STUB_SHARED_SIZE) != 0)
		die(124);
	ann->fork_fd = (int32_t)fd;
	__atomic_store_n(&ann->fork_ready, 1, __ATOMIC_SEQ_CST);
	futex_wake(&ann->fork_ready);
	if (SYS6(__NR_mmap, STUB_SHARED_BASE, STUB_SHARED_SIZE,
		PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd,
		0) != (long)STUB_SHARED_BASE)
		die(124);
	ctl->kernel_pid = kernel_pid;
	ctl->spin = spin;
	ctl->fsgsbase = fsgsbase;
	SYS2(__NR_prctl, PR_SET_PDEATHSIG, SIGKILL);
	if ((uint32_t)SYS0(__NR_getppid) != kernel_pid)
		die(123);
}

/* The control mailbox says the new stub process is set up. */
static void
stub_ready(struct stub_mailbox *ctl)
{
	__atomic_store_n(&ctl->ready, 1, __ATOMIC_SEQ_CST);
	futex_wake(&ctl->ready);
}

/*
 * Starts the control thread of a process made by thread_fork(), which has
 * none until the kernel asks (most such children execve and exit without
 * needing one, and a second thread costs at every munmap and at exit).
 * It answers to the pid, as the first stub's does.  Returns its tid.
 */
static long
start_control(void)
{
	struct stub_mailbox *ctl = slot_mailbox(0);
	uint64_t *csp;

	csp = (uint64_t *)(STUB_BASE + STUB_PRIV_OFF + STUB_PRIV_SIZE - 16);
	csp[0] = (uint64_t)stub_control_entry;
	csp[1] = (uint64_t)SYS0(__NR_getpid);
	return (SYS6(__NR_clone, STUB_THREAD_FLAGS, csp, &ctl->tid, 0, 0, 0));
}

/*
 * A fork by the guest thread of slot, on the fork area's stack (private
 * memory, so that the parent and the child each have their own); old is
 * the lowest address in use of the thread's signal stack, which holds
 * the signal frame of the stopped guest and the handler's own frames.
 * The parent saves that stack and the mailbox page in the fork area and
 * clones.  The child announces its new memfd in the parent's mailbox
 * (still shared), maps it over the shared region, puts the saved stack
 * and mailbox back where they were, starts a control thread and returns
 * 0: its copy of the thread goes on in the handler as the child's thread
 * of the same slot, stopped with the same registers and FPU state.  The
 * parent returns the child's pid.
 */
static long
thread_fork(uint64_t slot, uint64_t old)
{
	struct stub_mailbox *mb = slot_mailbox(slot), *ctl = slot_mailbox(0);
	char *area = (char *)(STUB_BASE + STUB_FORK_OFF);
	uint64_t top = (uint64_t)mb + STUB_SLOT_SIZE, n = top - old;
	uint32_t tid;
	long r;

	if (old < (uint64_t)mb + SLOT_ALTSTACK_OFF || old >= top)
		return (-22);
	__builtin_memcpy(area + FORK_SAVE_STACK_OFF, (void *)old, n);
	__builtin_memcpy(area + FORK_SAVE_MB_OFF, mb, 4096);
	if ((r = SYS6(__NR_clone, STUB_FORK_FLAGS, 0, 0, 0, 0, 0)) != 0)
		return (r);
	/* The child, on its copy of the fork area. */
	new_region(mb);
	/* From here mb and ctl are the child's own. */
	__builtin_memcpy(mb, area + FORK_SAVE_MB_OFF, 4096);
	__builtin_memcpy((void *)old, area + FORK_SAVE_STACK_OFF, n);
	tid = (uint32_t)SYS0(__NR_gettid);
	mb->tid = tid;
	mb->state = tid; /* the thread owns it until its reply */
	mb->intr = 0;
	set_robust(mb);
	/* No control thread yet: start_control() makes it on demand. */
	stub_ready(ctl);
	return (0);
}

static void
handler(int sig, siginfo_t *si, void *ctx)
{
	struct ucontext *uc = ctx;
	uint64_t rip = uc->uc_mcontext.rip, sp = (uint64_t)&sig, slot;
	struct stub_mailbox *mb;
	uint32_t cmd;
	int ev;

	if ((sig == SIGSEGV || sig == SIGBUS) &&
	    rip >= (uint64_t)stub_copy_insn &&
	    rip < (uint64_t)stub_copy_insn_end) {
		uc->uc_mcontext.rip = (uint64_t)stub_copy_fault;
		return;
	}
	if (sp < STUB_SHARED_BASE + STUB_SLOT_SIZE || sp >= STUB_END)
		die(126); /* a trap of the control thread: a stub bug */
	slot = (sp - STUB_SHARED_BASE) / STUB_SLOT_SIZE;
	mb = slot_mailbox(slot);
	if (sig == SIGTRAP && rip == (uint64_t)stub_park_ret)
		ev = STUB_EV_NONE; /* a new thread: wait for its first run */
	else if ((ev = record_event(mb, sig, si, uc)) == STUB_EV_NONE)
		return;
	note_fpu(mb, uc);
	if (ev != STUB_EV_NONE) {
		__builtin_memcpy(&mb->regs, &uc->uc_mcontext.r8,
		    18 * sizeof(uint64_t));
		mb->regs.fs_base = fs_read(mb);
	}
	mb->event = ev;
	post(mb); /* for the park, this says the thread is ready */
	for (;;) {
		cmd = wait_command(mb, mb->tid);
		if (cmd == STUB_CMD_RUN)
			break;
		if (cmd == STUB_CMD_OPS)
			run_ops(mb, slot_bounce(slot));
		else if (cmd == STUB_CMD_FORK)
			mb->result = stub_on_stack(STUB_BASE + STUB_FORK_OFF +
				FORK_STACK_TOP,
			    thread_fork, slot);
		else if (cmd == STUB_CMD_CLOSE_FD)
			mb->result = SYS1(__NR_close, mb->arg);
		else if (cmd == STUB_CMD_CONTROL)
			mb->result = start_control();
		else if (cmd == STUB_CMD_EXIT)
			for (;;)
				SYS1(__NR_exit, 0);
		else
			mb->result = 22;
		post(mb);
	}
	__builtin_memcpy(&uc->uc_mcontext.r8, &mb->regs, 18 * sizeof(uint64_t));
	fs_write(mb, mb->regs.fs_base);
	/* The kernel owns the mailbox until the next trap says otherwise. */
}

/* The life of a guest thread: set up, then trap into the handler. */
void
stub_thread_main(uint64_t slot)
{
	struct stub_mailbox *mb = slot_mailbox(slot);
	stack_t ss;

	set_robust(mb);
	ss.ss_sp = (char *)mb + SLOT_ALTSTACK_OFF;
	ss.ss_flags = 0;
	ss.ss_size = SLOT_ALTSTACK_SIZE;
	if (SYS2(__NR_sigaltstack, &ss, 0) != 0)
		die(125);
	stub_park();
}

static long
new_thread(uint64_t slot)
{
	struct stub_mailbox *mb;
	uint64_t *sp;

	if (slot < 1 || slot > STUB_MAX_THREADS)
		return (-22);
	mb = slot_mailbox(slot);
	sp = (uint64_t *)((char *)mb + SLOT_START_STACK_TOP - 16);
	sp[0] = (uint64_t)stub_thread_entry;
	sp[1] = slot;
	return (SYS6(__NR_clone, STUB_THREAD_FLAGS, sp, &mb->tid, 0, 0, 0));
}

/*
 * The child of a fork: tell the kernel (through the parent's control
 * mailbox, still shared) which memfd will be its own shared region, then
 * map it over the parent's.  Returns the child's tid.
 */
static uint32_t
fork_child(struct stub_mailbox *ctl)
{
	new_region(ctl);
	/* ctl is now the child's own control mailbox. */
	set_robust(ctl);
	stub_ready(ctl);
	return ((uint32_t)SYS0(__NR_gettid));
}

/*
 * Serves the control mailbox until told to exit.  tid is the value the
 * kernel hands it over with: the process's pid (the control thread's tid
 * except in a child of thread_fork()).
 */
static __attribute__((noreturn)) void
control_loop(uint32_t tid)
{
	struct stub_mailbox *ctl = slot_mailbox(0);
	long r;

	for (;;) {
		switch (wait_command(ctl, tid)) {
		case STUB_CMD_OPS:
			run_ops(ctl, slot_bounce(0));
			break;
		case STUB_CMD_THREAD:
			ctl->result = new_thread(ctl->arg);
			break;
		case STUB_CMD_FORK:
			r = SYS6(__NR_clone, STUB_FORK_FLAGS, 0, 0, 0, 0, 0);
			if (r == 0) {
				tid = fork_child(ctl);
				continue; /* no reply from the child */
			}
			ctl->result = r;
			break;
		case STUB_CMD_CLOSE_FD:
			ctl->result = SYS1(__NR_close, ctl->arg);
			break;
		case STUB_CMD_EXIT:
			die(0);
		default:
			ctl->result = -22;
		}
		post(ctl);
	}
}

/* The control thread of a child of thread_fork(). */
void
stub_control_main(uint64_t key)
{
	unsigned long none = 0;

	/* The mask of the handler it was cloned from: its threads would
	 * start with their traps blocked. */
	SYS4(__NR_rt_sigprocmask, SIG_SETMASK, &none, 0, 8);
	control_loop((uint32_t)key);
}

static void
set_handlers(void)
{
	static const int traps[] = { SIGSYS, SIGSEGV, SIGBUS, SIGILL, SIGFPE,
		SIGTRAP, STUB_SIG_INTR };
	struct sigaction sa;
	unsigned i;
	int sig;

	/* Dispositions inherited from the kernel point at unmapped code. */
	__builtin_memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig <= 64; sig++)
		SYS4(__NR_rt_sigaction, sig, &sa, 0, 8);
	for (i = 0; i < sizeof(traps) / sizeof(traps[0]); i++) {
		sa.sa_handler = (__sighandler_t)(void *)handler;
		sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTORER_FLAG;
		/* A fault inside the handler (a copy) must nest. */
		if (traps[i] == SIGSEGV || traps[i] == SIGBUS)
			sa.sa_flags |= SA_NODEFER;
		sa.sa_restorer = stub_restorer;
		sa.sa_mask = (1UL << (SIGSYS - 1)) | (1UL << (SIGILL - 1)) |
		    (1UL << (SIGFPE - 1)) | (1UL << (SIGTRAP - 1)) |
		    (1UL << (STUB_SIG_INTR - 1));
		SYS4(__NR_rt_sigaction, traps[i], &sa, 0, 8);
	}
}

/*
 * A new stub process, on its private stack.  The kernel has mapped the
 * shared region and closed every descriptor but the kept ones.
 */
void
stub_main(void)
{
	struct stub_mailbox *ctl = slot_mailbox(0);
	struct sock_fprog prog;
	unsigned long none = 0;
	uint32_t tid;

	/* Nothing of the kernel stays: not its code, heap, stack or vDSO. */
	SYS2(__NR_munmap, 0, STUB_BASE);
	SYS2(__NR_munmap, STUB_END, STUB_TASK_TOP - STUB_END);
	SYS0(__NR_setsid);
	SYS2(__NR_prctl, PR_SET_PDEATHSIG, SIGKILL);
	if ((uint32_t)SYS0(__NR_getppid) != ctl->kernel_pid)
		die(123);
	set_handlers();
	SYS4(__NR_rt_sigprocmask, SIG_SETMASK, &none, 0, 8);
	tid = (uint32_t)SYS0(__NR_gettid);
	set_robust(ctl);
	if (SYS2(__NR_prctl, PR_SET_NO_NEW_PRIVS, 1) != 0)
		die(122);
	prog.len = (unsigned short)ctl->filter_len;
	prog.filter = (struct sock_filter *)slot_bounce(0);
	if (SYS3(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
		die(121);
	stub_ready(ctl);
	control_loop(tid);
}
