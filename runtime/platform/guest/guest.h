/*
 * guest.h - the guest-execution backend: address spaces and threads of
 * guest programs (static x86-64 Linux binaries) that run in host "stub"
 * processes while the kernel answers every system call they make.
 *
 * A backend is a table of operations (struct guest_ops).  The kernel
 * calls it through the guest_*() functions below, which turn a missing
 * operation into EOPNOTSUPP.  Two kinds of object:
 *
 *	struct guest_space	an address space: one host stub process
 *	struct guest_thread	a guest thread in it: one host thread
 *
 * The kernel drives a thread with guest_run(): it loads a register set,
 * lets the guest run until the next event (system call, fault, other
 * synchronous signal, interruption, death of the stub) and returns the
 * registers and the event.  A thread is "stopped" between two runs; only
 * a stopped thread may be handed to the functions that take a "via"
 * thread, fpu access or guest_thread_destroy().  guest_interrupt() may be
 * called from any kernel thread at any time.
 *
 * Memory: anonymous private guest memory is private host memory of the
 * stub (the host does demand paging, and copy-on-write after
 * guest_space_fork(), which is a host fork of the stub).  Shared memory is
 * a MAP_SHARED mapping of a descriptor (the kernel's memory image at an
 * offset) named in the space's configuration.  The range
 * [GUEST_STUB_BASE, GUEST_STUB_END) belongs to the stub; no guest mapping
 * may touch it.
 *
 * Functions return 0 or an errno value.  Implementations:
 * guest_systrap_ops (seccomp RET_TRAP, guest_systrap.c).
 */
#ifndef RUNTIME_PLATFORM_GUEST_GUEST_H
#define RUNTIME_PLATFORM_GUEST_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GUEST_STUB_BASE 0x3ff000000000ULL
#define GUEST_STUB_END	(GUEST_STUB_BASE + 0x100000ULL + 0x2000000ULL)
#define GUEST_ADDR_MAX	0x7ffffffff000ULL /* end of the user range */
#define GUEST_MAX_FDS	8		  /* descriptors a space keeps */
#define GUEST_FPU_MAX	8192		  /* bound of an xsave area */

struct guest_space {
	const struct guest_ops *ops;
};

struct guest_thread {
	const struct guest_ops *ops;
	struct guest_space *space;
};

/* General registers, instruction pointer, flags and the TLS base. */
struct guest_regs {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp;
	uint64_t rip, rflags, fs_base;
};

enum guest_event_type {
	GUEST_EVENT_SYSCALL = 1, /* nr: rax; args: rdi rsi rdx r10 r8 r9 */
	GUEST_EVENT_FAULT,	 /* SIGSEGV or SIGBUS at addr */
	GUEST_EVENT_SIGNAL,	 /* SIGILL, SIGFPE, SIGTRAP... */
	GUEST_EVENT_INTERRUPT,	 /* guest_interrupt() */
	GUEST_EVENT_DIED,	 /* the stub process is gone */
};

#define GUEST_ACCESS_READ  0x1
#define GUEST_ACCESS_WRITE 0x2
#define GUEST_ACCESS_EXEC  0x4

/*
 * For a system call, rip is past the syscall instruction and rax holds the
 * number: the kernel stores the result in rax and runs the thread again
 * (rip -= 2 and rax = number restarts it).  "arch" is the audit arch of
 * the entry (AUDIT_ARCH_X86_64, or AUDIT_ARCH_I386 for int $0x80); the
 * kernel must refuse anything but x86-64 calls without the x32 bit.
 */
struct guest_event {
	enum guest_event_type type;
	int signo;	 /* host signal number (SIGSYS for system calls) */
	int code;	 /* si_code */
	uint64_t addr;	 /* fault address; for other signals si_addr */
	unsigned access; /* GUEST_ACCESS_* of a fault */
	uint64_t trapno; /* hardware trap number and error code */
	uint64_t err;
	uint32_t arch; /* system call: audit arch */
	int status;    /* died: wait status if known, else -1 */
};

enum guest_map_kind {
	GUEST_MAP_ANON = 1, /* private anonymous: fd and offset unused */
	GUEST_MAP_SHARED,   /* MAP_SHARED of fd at offset */
	GUEST_MAP_PRIVATE,  /* MAP_PRIVATE of fd at offset */
	GUEST_UNMAP,
	GUEST_PROTECT,
	GUEST_MAP_SHARED_ANON, /* shared anonymous: shared with the spaces */
			       /* forked from this one, fd unused */
	GUEST_REMAP,	       /* mremap: [addr, +len) moves to [to, +tolen) */
	GUEST_WRITE,	       /* copy len bytes from data to addr (any */
			       /* alignment): a copy in the batch */
	GUEST_DISCARD,	       /* madvise(MADV_DONTNEED) */
};

/* One operation of a batch; prot is PROT_* of <sys/mman.h>. */
struct guest_map_op {
	enum guest_map_kind kind;
	int prot;
	int fd; /* one of guest_space_config.fds */
	uint64_t addr, len, offset;
	uint64_t to, tolen; /* GUEST_REMAP: where to, and the new length */
	const void *data;   /* GUEST_WRITE: the bytes */
};

struct guest_space_config {
	int nfds;		/* descriptors the stub keeps */
	int fds[GUEST_MAX_FDS]; /* same numbers in the stub */
	unsigned spin;		/* spin iterations before sleeping; 0 */
				/* means the default */
};

/*
 * A source of bytes for guest_write_fill(): stores up to len bytes at dst
 * and their count in *done; fewer than len (0 included) means there are
 * no more.  Returns 0 or an errno value.  dst may be memory the guest can
 * write (a bounce buffer): fill must not read back what it stored.
 */
typedef int guest_fill_fn(void *arg, void *dst, size_t len, size_t *done);

struct guest_ops {
	const char *name;
	int (*space_create)(const struct guest_space_config *,
	    struct guest_space **);
	void (*space_destroy)(struct guest_space *);
	int (*space_fork)(struct guest_space *, struct guest_space **);
	int (*space_pid)(struct guest_space *);
	int (*thread_fork)(struct guest_thread *, struct guest_space **,
	    struct guest_thread **);
	int (*space_control)(struct guest_space *, struct guest_thread *);
	int (*map)(struct guest_space *, struct guest_thread *via,
	    const struct guest_map_op *, int n);
	int (*read)(struct guest_space *, struct guest_thread *via,
	    uint64_t addr, void *buf, size_t len);
	int (*write)(struct guest_space *, struct guest_thread *via,
	    uint64_t addr, const void *buf, size_t len);
	int (*thread_create)(struct guest_space *, struct guest_thread **);
	void (*thread_destroy)(struct guest_thread *);
	int (*run)(struct guest_thread *, struct guest_regs *,
	    struct guest_event *);
	void (*interrupt)(struct guest_thread *);
	int (*fpu_get)(struct guest_thread *, void *, size_t, size_t *);
	int (*fpu_set)(struct guest_thread *, const void *, size_t);
	int (*write_fill)(struct guest_space *, struct guest_thread *via,
	    uint64_t addr, size_t len, guest_fill_fn *, void *arg,
	    size_t *moved);
};

extern const struct guest_ops guest_systrap_ops;

/*
 * Creates an address space: a new stub process with nothing mapped below
 * GUEST_STUB_BASE or above GUEST_STUB_END, keeping cfg->fds.  Returns 0
 * and *out, ENOMEM, EAGAIN (no process), ECHILD (the stub died during
 * setup) or another errno value.
 */
int guest_space_create(const struct guest_ops *,
    const struct guest_space_config *, struct guest_space **out);

/* Kills the stub and frees the space; its threads must be destroyed. */
void guest_space_destroy(struct guest_space *);

/*
 * Creates *out as a copy-on-write copy of space (a host fork of the stub)
 * with the same kept descriptors and no threads.  Shared mappings stay
 * shared.  The threads of space should be stopped.
 */
int guest_space_fork(struct guest_space *, struct guest_space **out);

/*
 * fork(2) of the space of a stopped thread, done by that thread: *out is
 * a copy-on-write copy of its space (shared mappings stay shared) and
 * *outth its one thread, stopped, with the thread's FPU state; its
 * registers are whatever the first guest_run() gives it.  Cheaper than
 * guest_space_fork() + guest_thread_create(): the thread is awake, and
 * the child needs no thread of its own made.  One fork of a space at a
 * time.  Returns 0, EINVAL (thread running), ECHILD (a stub died),
 * ENOMEM or EAGAIN.
 */
int guest_thread_fork(struct guest_thread *, struct guest_space **out,
    struct guest_thread **outth);

/*
 * A space made by guest_thread_fork() starts without the stub's control
 * thread (most such children execve and exit without needing one, and a
 * second host thread costs at every munmap and at the stub's exit).  The
 * requests that need it (guest_thread_create(), guest_space_fork(), and
 * guest_map()/guest_write_fill() with via NULL) answer ENOTCONN until
 * this call has started it, through the stopped thread via of the space;
 * 0 at once when it runs already.  (guest_read/guest_write with via NULL
 * do not need it.)
 */
int guest_space_control(struct guest_space *, struct guest_thread *via);

/* The host pid of the stub (for tests and diagnostics), or -1. */
int guest_space_pid(struct guest_space *);

/*
 * Runs a batch of n mapping operations in order and stops at the first
 * that fails, returning its error; EINVAL for a range that is not page
 * aligned or touches the stub region (GUEST_WRITE: any alignment, EFAULT
 * for memory it cannot write).  via: a stopped thread of the space whose
 * stub does the work (cheaper: it is awake), or NULL.  A batch costs one
 * round trip to the stub for every 32 operations or 64 KiB of
 * GUEST_WRITE data.
 */
int guest_map(struct guest_space *, struct guest_thread *via,
    const struct guest_map_op *, int n);

/*
 * Copies len bytes from (read) or to (write) guest memory at addr.
 * Returns EFAULT if any part is not mapped with the right access.  With
 * via NULL the host copies (process_vm_readv/writev); with a stopped
 * thread its stub copies through shared memory.
 */
int guest_read(struct guest_space *, struct guest_thread *via, uint64_t addr,
    void *buf, size_t len);
int guest_write(struct guest_space *, struct guest_thread *via, uint64_t addr,
    const void *buf, size_t len);

/*
 * guest_write() from a filler instead of a buffer, without a copy in
 * between: the backend hands fill the memory it copies out from (with a
 * stopped thread, its stub's bounce buffer), one piece of at most 64 KiB
 * at a time, and copies out what fill stored, until len bytes are moved
 * or fill gives fewer than it was asked for.  *moved is the count that
 * reached guest memory, also after an error: EFAULT (of the piece that
 * did not fit, consumed from fill, the bytes before the page that faults
 * count, as for the host's own copies), or fill's error (its piece is
 * dropped).  With via NULL the pieces go through a temporary buffer and
 * process_vm_writev.
 */
int guest_write_fill(struct guest_space *, struct guest_thread *via,
    uint64_t addr, size_t len, guest_fill_fn *fill, void *arg, size_t *moved);

/*
 * Creates a stopped thread in space; its registers are whatever the first
 * guest_run() gives it, its FPU state the host's initial one.  ENOSPC
 * when the space has its maximum of threads.
 */
int guest_thread_create(struct guest_space *, struct guest_thread **out);

/* Ends a stopped thread (or one of a dead space) and frees it. */
void guest_thread_destroy(struct guest_thread *);

/*
 * Runs a stopped thread with *regs until the next event, then stores the
 * registers back in *regs and the event in *ev.  Returns 0 (including
 * for GUEST_EVENT_DIED, after which only destroy is allowed) or an errno
 * value for a misuse.  Caller: one kernel thread per guest thread at a
 * time.
 */
int guest_run(struct guest_thread *, struct guest_regs *regs,
    struct guest_event *ev);

/*
 * Makes the current or next guest_run() of thread return
 * GUEST_EVENT_INTERRUPT as soon as possible.  Any kernel thread.
 */
void guest_interrupt(struct guest_thread *);

/*
 * Copies the xsave area of a stopped thread (its FPU, SSE and AVX state,
 * in the layout of the XSAVE instruction with the fxsave legacy area
 * first) into buf of size len and stores its size in *size; ERANGE if len
 * is too small.  guest_fpu_set() loads such an area back (len bytes, at
 * most the size given by get) for the next run.
 */
int guest_fpu_get(struct guest_thread *, void *buf, size_t len, size_t *size);
int guest_fpu_set(struct guest_thread *, const void *buf, size_t len);

/* True if [addr, addr + len) may hold guest mappings. */
bool guest_range_ok(uint64_t addr, uint64_t len);

#endif /* !RUNTIME_PLATFORM_GUEST_GUEST_H */
