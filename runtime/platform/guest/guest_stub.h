/*
 * guest_stub.h - the contract between the systrap backend and its stub:
 * the fixed layout of the stub region in every guest address space, the
 * mailboxes in shared memory and the commands they carry.
 *
 * Included by the kernel side (guest_systrap*.c) and by the stub itself
 * (guest_stub.c, built freestanding without libc), so it uses nothing but
 * <stdint.h>.  Everything in the shared region is writable by the guest
 * too: the kernel treats it as untrusted input (it never follows a pointer
 * found there and bounds every index and length it reads back).
 *
 * Layout, at GUEST_STUB_BASE in the stub process:
 *	+0		the stub's code (read and execute), STUB_CODE_SIZE
 *	+PRIV_OFF	private memory of the control thread: its stack
 *	+FORK_OFF	private memory of a fork by a guest thread: the saved
 *			mailbox page and signal stack, and the stack the fork
 *			runs on (private, so parent and child each have one)
 *	+SHARED_OFF	the shared region, a memfd also mapped by the kernel:
 *			slot 0 is the control channel, slots 1.. are guest
 *			threads.  A slot holds a mailbox page, a bounce buffer,
 *			a start stack and the thread's signal stack.
 */
#ifndef RUNTIME_PLATFORM_GUEST_GUEST_STUB_H
#define RUNTIME_PLATFORM_GUEST_GUEST_STUB_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#define STUB_BASE	 0x3ff000000000ULL
#define STUB_CODE_SIZE	 0x10000ULL
#define STUB_PRIV_OFF	 0x10000ULL
#define STUB_PRIV_SIZE	 0x10000ULL
#define STUB_FORK_OFF	 0x20000ULL
#define STUB_FORK_SIZE	 0x20000ULL
#define STUB_SHARED_OFF	 0x100000ULL
#define STUB_SLOT_SIZE	 0x20000ULL
#define STUB_MAX_THREADS 255
#define STUB_SHARED_SIZE (STUB_SLOT_SIZE * (1 + STUB_MAX_THREADS))
#define STUB_SHARED_BASE (STUB_BASE + STUB_SHARED_OFF)
#define STUB_END	 (STUB_SHARED_BASE + STUB_SHARED_SIZE)
#define STUB_TASK_TOP	 0x7ffffffff000ULL /* the host's 47-bit TASK_SIZE */

/* Inside a slot. */
#define SLOT_BOUNCE_OFF	     0x1000ULL
#define SLOT_BOUNCE_SIZE     0x10000ULL
#define SLOT_START_STACK_OFF 0x11000ULL /* top of a 4 KiB start stack */
#define SLOT_START_STACK_TOP 0x12000ULL
#define SLOT_ALTSTACK_OFF    0x12000ULL
#define SLOT_ALTSTACK_SIZE   (STUB_SLOT_SIZE - SLOT_ALTSTACK_OFF)

/* Inside the fork area: the saved signal stack, mailbox page, own stack. */
#define FORK_SAVE_STACK_OFF 0x0ULL
#define FORK_SAVE_MB_OFF    SLOT_ALTSTACK_SIZE
#define FORK_STACK_TOP	    STUB_FORK_SIZE

#define STUB_MAGIC 0x5649524553545542 /* "VIRESTUB" */

/* The kernel interrupts a running guest thread with this signal. */
#define STUB_SIG_INTR 40

/*
 * clone() flags of the stub: a guest thread (CLONE_VM | CLONE_FS |
 * CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
 * CLONE_PARENT_SETTID) and a fork (CLONE_PARENT, exit signal 0), whose
 * child is a sibling of its parent so that it outlives it but dies with
 * the kernel (PR_SET_PDEATHSIG).  The seccomp filter allows only these.
 */
#define STUB_THREAD_FLAGS 0x150f00UL
#define STUB_FORK_FLAGS	  0x8000UL

#ifndef __ASSEMBLER__
/* The header at STUB_BASE: absolute addresses of the stub's entry points. */
struct stub_header {
	uint64_t magic;
	uint64_t start;	      /* entry of a new stub process, rsp set */
	uint64_t syscall_ret; /* address after the stub's syscall insn */
	uint64_t size;	      /* bytes of code */
};

/*
 * The futex word of a mailbox.  0 (plus STATE_WAITERS): the kernel owns
 * the mailbox.  The stub thread's tid: the stub owns it.  The tid bits
 * and the two flags are those of robust futexes, so that when the owning
 * stub thread dies the host sets STATE_DIED and wakes the kernel.
 */
#define STATE_TID_MASK 0x3fffffffU
#define STATE_DIED     0x40000000U
#define STATE_WAITERS  0x80000000U

/* Commands, kernel to stub. */
enum {
	STUB_CMD_NONE,
	STUB_CMD_RUN,	   /* thread: load the registers, run the guest */
	STUB_CMD_OPS,	   /* run the batch in ops[] */
	STUB_CMD_EXIT,	   /* thread: exit; control: exit the process */
	STUB_CMD_THREAD,   /* control: clone a thread into slot arg */
	STUB_CMD_FORK,	   /* fork the process; from a thread: the */
			   /* child's copy of the thread goes on */
	STUB_CMD_CLOSE_FD, /* close fd arg */
	STUB_CMD_CONTROL,  /* thread: start the process's control thread */
};

/* Operations of a batch. */
enum {
	STUB_OP_MMAP = 1, /* a[0..5]: addr len prot flags fd offset */
	STUB_OP_MUNMAP,	  /* a[0..1]: addr len */
	STUB_OP_MPROTECT, /* a[0..2]: addr len prot */
	STUB_OP_COPYIN,	  /* guest a[0] to bounce+a[2], a[1] bytes */
	STUB_OP_COPYOUT,  /* bounce+a[2] to guest a[0], a[1] bytes */
	STUB_OP_MMAP_SHM, /* a[0..2]: addr len prot; shared anonymous */
	STUB_OP_MREMAP,	  /* a[0..3]: old oldlen newlen new (moves) */
	STUB_OP_DISCARD,  /* a[0..1]: addr len; madvise MADV_DONTNEED */
};
#define STUB_MAX_OPS 32

struct stub_op {
	uint32_t op;
	int32_t result; /* 0 or a positive errno value */
	uint64_t a[6];
};

/* Events, stub to kernel. */
enum {
	STUB_EV_NONE,
	STUB_EV_SYSCALL,
	STUB_EV_FAULT,
	STUB_EV_SIGNAL,
	STUB_EV_INTERRUPT,
};

/* The guest's registers as the stub saves them. */
struct stub_regs {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp;
	uint64_t rip, rflags, fs_base;
};

struct stub_mailbox {
	uint32_t state; /* the futex word, see STATE_* */
	uint32_t cmd;
	uint32_t tid;  /* host tid of the stub thread */
	uint32_t intr; /* an interrupt is pending */
	uint64_t arg;
	int64_t result;
	uint32_t nops;
	uint32_t event;
	/* Robust futex list of the owning thread: head, then one entry. */
	uint64_t robust_next, robust_offset, robust_pending;
	uint64_t robust_entry;
	struct stub_regs regs;
	int32_t signo, code;
	uint64_t addr, err, trapno;
	uint32_t arch, syscall_nr;
	uint64_t fpu_off, fpu_len; /* xsave area, offset within the slot */
	uint64_t fs_cur;	   /* fs base the stub last set */
	uint32_t fs_known, spare;
	/* Control channel only. */
	uint32_t ready;	     /* the stub finished its setup */
	uint32_t fsgsbase;   /* rdfsbase/wrfsbase may be used */
	uint32_t kernel_pid; /* expected parent (PR_SET_PDEATHSIG) */
	uint32_t filter_len; /* BPF instructions in the bounce buffer */
	uint32_t spin;	     /* spin iterations before sleeping */
	int32_t fork_fd;     /* fork: the child's memfd in the child */
	uint32_t fork_ready; /* fork: fork_fd is valid */
	uint32_t fork_pid;   /* fork: pid of the child */
	struct stub_op ops[STUB_MAX_OPS];
};

#endif /* !__ASSEMBLER__ */
#endif /* !RUNTIME_PLATFORM_GUEST_GUEST_STUB_H */
