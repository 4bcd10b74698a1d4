/*
 * guest_systrap.h - private to the systrap backend: its space and thread
 * structures and the helpers its files share.  See guest_systrap.c for the
 * design and guest_stub.h for the stub's side of the contract.
 */
#ifndef RUNTIME_PLATFORM_GUEST_GUEST_SYSTRAP_H
#define RUNTIME_PLATFORM_GUEST_GUEST_SYSTRAP_H

#include <linux/filter.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

#include "runtime/platform/guest/guest.h"
#include "runtime/platform/guest/guest_stub.h"

#define SYSTRAP_SPIN_DEFAULT 4000 /* pause iterations, about 20-100 us */
#define SYSTRAP_FILTER_MAX   128  /* BPF instructions */

struct systrap_space {
	struct guest_space gs;
	pthread_mutex_t lock; /* the control mailbox and the slots */
	pid_t pid;	      /* of the stub */
	int pidfd;
	char *shared; /* the kernel's mapping of the shared region */
	struct stub_mailbox *ctl;
	struct guest_space_config cfg;
	unsigned char used[STUB_MAX_THREADS + 1];
	bool dead;
	bool no_ctl; /* no control thread yet (guest_space_control) */
	struct systrap_space *reap_next; /* on the reaper's list */
};

struct systrap_thread {
	struct guest_thread gt;
	struct systrap_space *sp;
	unsigned slot;
	uint32_t tid;
	struct stub_mailbox *mb;
	int running; /* inside guest_run(), atomic */
	bool dead;
};

extern const char guest_stub_blob[], guest_stub_blob_end[];

/* guest_filter.c */

/*
 * Builds the seccomp filter of a stub into prog (room for max
 * instructions) and stores its length in *len: system calls whose
 * instruction pointer is syscall_ret pass if they are among the stub's
 * own (others kill the process); every other call traps (SIGSYS).
 * Returns 0 or ENOSPC.
 */
int systrap_filter(struct sock_filter *prog, size_t max, uint64_t syscall_ret,
    size_t *len);

/* guest_systrap.c */

/* Gives mb to the stub thread tid with command cmd. */
void systrap_handover(struct stub_mailbox *mb, uint32_t tid, uint32_t cmd);

/*
 * Waits while the futex word *word (a mailbox state or a flag) holds busy
 * in its tid bits: spins, then sleeps, checking every 100 ms that the
 * stub is alive.  Returns 0, or ECHILD when the owner died (the word has
 * STATE_DIED) or the stub process is gone.
 */
int systrap_await(struct systrap_space *, uint32_t *word, uint32_t busy);

/*
 * Sends cmd with arg to the control thread and waits for its reply.
 * Caller holds sp->lock.  Returns 0 and the stub's result in *result,
 * ECHILD, or ENOTCONN when the space has no control thread yet.
 */
int systrap_control(struct systrap_space *, uint32_t cmd, uint64_t arg,
    int64_t *result);

/* True when the stub process has exited (it is a zombie or reaped). */
bool systrap_exited(struct systrap_space *);

/* The wait status of an exited stub without reaping it, or -1. */
int systrap_status(struct systrap_space *);

int systrap_thread_fork(struct guest_thread *, struct guest_space **,
    struct guest_thread **);
int systrap_space_control(struct guest_space *, struct guest_thread *);

/* guest_memory.c */
int systrap_map(struct guest_space *, struct guest_thread *,
    const struct guest_map_op *, int);
int systrap_read(struct guest_space *, struct guest_thread *, uint64_t, void *,
    size_t);
int systrap_write(struct guest_space *, struct guest_thread *, uint64_t,
    const void *, size_t);
int systrap_write_fill(struct guest_space *, struct guest_thread *, uint64_t,
    size_t, guest_fill_fn *, void *, size_t *);

/* guest_thread.c */
int systrap_thread_create(struct guest_space *, struct guest_thread **);
void systrap_thread_destroy(struct guest_thread *);
int systrap_run(struct guest_thread *, struct guest_regs *,
    struct guest_event *);
void systrap_interrupt(struct guest_thread *);
int systrap_fpu_get(struct guest_thread *, void *, size_t, size_t *);
int systrap_fpu_set(struct guest_thread *, const void *, size_t);

#endif /* !RUNTIME_PLATFORM_GUEST_GUEST_SYSTRAP_H */
