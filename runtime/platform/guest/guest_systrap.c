/*
 * guest_systrap.c - the seccomp-trap ("systrap") backend: address spaces.
 *
 * Each address space is a stub process (guest_stub.c) cloned from the
 * kernel, never exec'd.  Before the first one, the stub blob is copied to
 * STUB_BASE in the kernel itself and the rest of the stub region is
 * reserved, so that every clone inherits the code at its fixed address.
 * The child maps its private control stack and the space's shared region
 * (a memfd the kernel maps too), closes every descriptor but the kept
 * ones and jumps into the stub, which unmaps everything else, resets its
 * signal dispositions, sets PR_SET_PDEATHSIG and PR_SET_NO_NEW_PRIVS and
 * installs the filter of guest_filter.c.
 *
 * PR_SET_PDEATHSIG fires when the thread that created the child exits,
 * not the process; so stubs are cloned by one long-lived "creator"
 * thread, and a fork of a space is a clone(CLONE_PARENT) by the stub: the
 * child is the creator's child too, outlives its guest parent and dies
 * with the kernel.  Stubs have exit signal 0 and are reaped through their
 * pidfd, so that they never disturb a waitpid(-1) elsewhere.
 *
 * Requests to a stub go through mailboxes (struct stub_mailbox) in the
 * shared region: the kernel fills one in and hands it over by storing the
 * stub thread's tid in its futex word; the stub answers by storing 0.
 * Both sides spin a while before they sleep on the futex.  The word is on
 * the stub thread's robust futex list, so if the thread dies while it
 * owns the mailbox the host marks it STATE_DIED and wakes the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/futex.h>

#include "runtime/platform/guest/guest_systrap.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#define HWCAP2_FSGSBASE_BIT (1UL << 1)

static int systrap_create(const struct guest_space_config *,
    struct guest_space **);
static void systrap_destroy(struct guest_space *);
static int systrap_fork(struct guest_space *, struct guest_space **);
static int systrap_pid(struct guest_space *);

const struct guest_ops guest_systrap_ops = {
	.name = "systrap",
	.space_create = systrap_create,
	.space_destroy = systrap_destroy,
	.space_fork = systrap_fork,
	.space_pid = systrap_pid,
	.thread_fork = systrap_thread_fork,
	.space_control = systrap_space_control,
	.map = systrap_map,
	.read = systrap_read,
	.write = systrap_write,
	.thread_create = systrap_thread_create,
	.thread_destroy = systrap_thread_destroy,
	.run = systrap_run,
	.interrupt = systrap_interrupt,
	.fpu_get = systrap_fpu_get,
	.fpu_set = systrap_fpu_set,
	.write_fill = systrap_write_fill,
};

/* A request to the creator thread. */
struct spawn {
	int memfd;
	const struct guest_space_config *cfg;
	pid_t pid;
	int pidfd;
	int error;
	bool done;
	struct spawn *next;
};

static struct {
	pthread_once_t once;
	int error; /* of the one-time setup */
	const struct stub_header *hdr;
	struct sock_filter filter[SYSTRAP_FILTER_MAX];
	size_t filter_len;
	bool fsgsbase;
	pthread_mutex_t lock;
	pthread_cond_t cv;
	struct spawn *queue;
	bool creator; /* the creator thread runs */
	pthread_cond_t reap_cv;
	struct systrap_space *reap; /* spaces for the reaper to free */
	bool reaper;		    /* the reaper thread runs */
} g = {
	.once = PTHREAD_ONCE_INIT,
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cv = PTHREAD_COND_INITIALIZER,
	.reap_cv = PTHREAD_COND_INITIALIZER,
};

static long
futex(uint32_t *word, int op, uint32_t val, const struct timespec *ts)
{
	return (syscall(SYS_futex, word, op, val, ts, NULL, 0));
}

void
systrap_handover(struct stub_mailbox *mb, uint32_t tid, uint32_t cmd)
{
	uint32_t old;

	__atomic_store_n(&mb->cmd, cmd, __ATOMIC_RELAXED);
	old = __atomic_exchange_n(&mb->state, tid, __ATOMIC_SEQ_CST);
	if (old & STATE_WAITERS)
		futex(&mb->state, FUTEX_WAKE, 1, NULL);
}

bool
systrap_exited(struct systrap_space *sp)
{
	struct pollfd pfd = { .fd = sp->pidfd, .events = POLLIN };

	if (sp->dead)
		return (true);
	if (poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLIN | POLLHUP)))
		sp->dead = true;
	return (sp->dead);
}

int
systrap_status(struct systrap_space *sp)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid((idtype_t)P_PIDFD, (id_t)sp->pidfd, &si,
		WEXITED | WNOHANG | WNOWAIT | __WALL) != 0 ||
	    si.si_pid == 0)
		return (-1);
	if (si.si_code == CLD_EXITED)
		return (W_EXITCODE(si.si_status, 0));
	return (si.si_status & 0x7f);
}

int
systrap_await(struct systrap_space *sp, uint32_t *word, uint32_t busy)
{
	const struct timespec tick = { 0, 100 * 1000 * 1000 };
	unsigned i, spin = sp->cfg.spin;
	uint32_t s;

	for (i = 0;; i++) {
		s = __atomic_load_n(word, __ATOMIC_ACQUIRE);
		if (s & STATE_DIED)
			return (ECHILD);
		if ((s & STATE_TID_MASK) != busy)
			return (0);
		if (i < spin) {
			/* On a CPU it shares with the other side, let it run. */
			if (i % 256 == 255)
				sched_yield();
			else
				__builtin_ia32_pause();
			continue;
		}
		if (!(s & STATE_WAITERS) &&
		    !__atomic_compare_exchange_n(word, &s, s | STATE_WAITERS,
			false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			continue;
		if (futex(word, FUTEX_WAIT, s | STATE_WAITERS, &tick) != 0 &&
		    errno == ETIMEDOUT && systrap_exited(sp))
			return (ECHILD);
	}
}

int
systrap_control(struct systrap_space *sp, uint32_t cmd, uint64_t arg,
    int64_t *result)
{
	int error;

	if (sp->dead)
		return (ECHILD);
	if (sp->no_ctl)
		return (ENOTCONN);
	sp->ctl->arg = arg;
	systrap_handover(sp->ctl, (uint32_t)sp->pid, cmd);
	if ((error = systrap_await(sp, &sp->ctl->state, (uint32_t)sp->pid)) !=
	    0) {
		sp->dead = true;
		return (error);
	}
	*result = sp->ctl->result;
	return (0);
}

/*
 * The child of the creator's clone: still a copy of the kernel.  Only
 * raw system calls from here on; then into the stub for good.
 */
static __attribute__((noreturn)) void
spawn_child(const struct spawn *req)
{
	const struct guest_space_config *cfg = req->cfg;
	unsigned lo = 0;
	int i;

	/*
	 * The creator's rseq area (glibc registers one per thread) is
	 * inherited and lies in memory the stub unmaps: the host would
	 * fail to update it and kill the stub.  glibc registers at least
	 * the original 32 bytes, whatever __rseq_size says.
	 */
	if (__rseq_size > 0)
		syscall(SYS_rseq,
		    (char *)__builtin_thread_pointer() + __rseq_offset,
		    __rseq_size < 32 ? 32 : __rseq_size, RSEQ_FLAG_UNREGISTER,
		    RSEQ_SIG);
	if (syscall(SYS_mmap, STUB_BASE + STUB_PRIV_OFF,
		STUB_PRIV_SIZE + STUB_FORK_SIZE, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == -1 ||
	    syscall(SYS_mmap, STUB_SHARED_BASE, STUB_SHARED_SIZE,
		PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, req->memfd,
		0) == -1)
		syscall(SYS_exit_group, 120);
	/* cfg->fds is sorted; close everything else. */
	for (i = 0; i < cfg->nfds; i++) {
		if ((unsigned)cfg->fds[i] > lo)
			syscall(SYS_close_range, lo, cfg->fds[i] - 1, 0);
		lo = (unsigned)cfg->fds[i] + 1;
	}
	syscall(SYS_close_range, lo, ~0U, 0);
	__asm__ volatile("movq %0, %%rsp\n\t"
			 "jmp *%1"
			 :
			 : "r"(STUB_BASE + STUB_PRIV_OFF + STUB_PRIV_SIZE),
			 "r"(g.hdr->start)
			 : "memory");
	__builtin_unreachable();
}

static void
spawn_one(struct spawn *req)
{
	int pidfd = -1;
	long pid;

	pid = syscall(SYS_clone, CLONE_PIDFD, NULL, &pidfd, NULL, NULL);
	if (pid == 0)
		spawn_child(req);
	if (pid < 0) {
		req->error = errno;
		return;
	}
	req->pid = (pid_t)pid;
	req->pidfd = pidfd;
	req->error = 0;
}

/* The creator thread: the parent of every stub, for life. */
static void *
creator_main(void *arg)
{
	struct spawn *req;

	pthread_mutex_lock(&g.lock);
	for (;;) {
		while (g.queue == NULL)
			pthread_cond_wait(&g.cv, &g.lock);
		req = g.queue;
		g.queue = req->next;
		spawn_one(req);
		req->done = true;
		pthread_cond_broadcast(&g.cv);
	}
	return (arg);
}

/*
 * In the child of a host fork of the kernel (tests do that) the creator
 * thread is gone and the lock may be in any state: start afresh.  The
 * stubs of the parent stay the parent's.
 */
static void
forked(void)
{
	pthread_mutex_init(&g.lock, NULL);
	pthread_cond_init(&g.cv, NULL);
	pthread_cond_init(&g.reap_cv, NULL);
	g.queue = NULL;
	g.creator = false;
	g.reap = NULL; /* the parent's reaper frees them */
	g.reaper = false;
}

static void
setup_once(void)
{
	size_t size = (size_t)((uintptr_t)guest_stub_blob_end -
	    (uintptr_t)guest_stub_blob);
	void *p;

	g.hdr = (const struct stub_header *)STUB_BASE;
	if (size < sizeof(struct stub_header) || size > STUB_CODE_SIZE ||
	    ((const struct stub_header *)guest_stub_blob)->magic !=
		STUB_MAGIC) {
		g.error = ENOEXEC;
		return;
	}
	p = mmap((void *)STUB_BASE, STUB_END - STUB_BASE, PROT_NONE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
	    -1, 0);
	if (p == MAP_FAILED || p != (void *)STUB_BASE ||
	    mprotect(p, STUB_CODE_SIZE, PROT_READ | PROT_WRITE) != 0) {
		g.error = ENOMEM;
		return;
	}
	memcpy(p, guest_stub_blob, size);
	if (mprotect(p, STUB_CODE_SIZE, PROT_READ | PROT_EXEC) != 0 ||
	    (g.error = systrap_filter(g.filter, SYSTRAP_FILTER_MAX,
		 g.hdr->syscall_ret, &g.filter_len)) != 0) {
		g.error = g.error ? g.error : ENOMEM;
		return;
	}
	g.fsgsbase = (getauxval(AT_HWCAP2) & HWCAP2_FSGSBASE_BIT) != 0;
	g.error = pthread_atfork(NULL, NULL, forked);
}

/*
 * Starts fn in a detached thread that blocks all signals, unless *running
 * says it runs already; sets *running.  g.lock held.
 */
static int
start_detached(void *(*fn)(void *), bool *running)
{
	pthread_attr_t attr;
	sigset_t all, old;
	pthread_t thr;
	int error;

	if (*running)
		return (0);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	error = pthread_create(&thr, &attr, fn, NULL);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	*running = error == 0;
	return (error);
}

/*
 * Starts the creator thread if it is not running; g.lock held.  It blocks
 * all signals; its stubs start with none blocked.
 */
static int
creator_start(void)
{
	return (start_detached(creator_main, &g.creator));
}

static int
int_cmp(const void *a, const void *b)
{
	return (*(const int *)a - *(const int *)b);
}

static void
space_free(struct systrap_space *sp)
{
	siginfo_t si;

	if (sp->pidfd >= 0) {
		syscall(SYS_pidfd_send_signal, sp->pidfd, SIGKILL, NULL, 0);
		(void)waitid((idtype_t)P_PIDFD, (id_t)sp->pidfd, &si,
		    WEXITED | __WALL);
		close(sp->pidfd);
	}
	if (sp->shared != NULL)
		munmap(sp->shared, STUB_SHARED_SIZE);
	pthread_mutex_destroy(&sp->lock);
	free(sp);
}

/*
 * The reaper thread: waits for killed stubs to exit and frees their
 * spaces, so that the end of a guest process does not wait for the host
 * to tear its stub down (about 80 us here, more with threads).
 */
static void *
reaper_main(void *arg)
{
	struct systrap_space *sp;

	pthread_mutex_lock(&g.lock);
	for (;;) {
		while (g.reap == NULL)
			pthread_cond_wait(&g.reap_cv, &g.lock);
		sp = g.reap;
		g.reap = sp->reap_next;
		pthread_mutex_unlock(&g.lock);
		space_free(sp);
		pthread_mutex_lock(&g.lock);
	}
	return (arg);
}

/* Starts the reaper thread if it is not running; g.lock held. */
static int
reaper_start(void)
{
	return (start_detached(reaper_main, &g.reaper));
}

/* A space with its shared region mapped from memfd, no process yet. */
static struct systrap_space *
space_alloc(int memfd, const struct guest_space_config *cfg)
{
	struct systrap_space *sp;
	void *p;

	if ((sp = calloc(1, sizeof(*sp))) == NULL)
		return (NULL);
	sp->gs.ops = &guest_systrap_ops;
	sp->pidfd = -1;
	sp->cfg = *cfg;
	if (sp->cfg.spin == 0)
		sp->cfg.spin = SYSTRAP_SPIN_DEFAULT;
	pthread_mutex_init(&sp->lock, NULL);
	p = mmap(NULL, STUB_SHARED_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
	    memfd, 0);
	if (p == MAP_FAILED) {
		space_free(sp);
		return (NULL);
	}
	sp->shared = p;
	sp->ctl = p;
	return (sp);
}

static int
systrap_create(const struct guest_space_config *cfg0, struct guest_space **out)
{
	struct guest_space_config cfg = *cfg0;
	struct spawn req = { 0 };
	struct systrap_space *sp;
	int memfd, error;

	if ((error = pthread_once(&g.once, setup_once)) != 0 ||
	    (error = g.error) != 0)
		return (error);
	if (cfg.nfds < 0 || cfg.nfds > GUEST_MAX_FDS)
		return (EINVAL);
	qsort(cfg.fds, (size_t)cfg.nfds, sizeof(cfg.fds[0]), int_cmp);
	if ((memfd = memfd_create("vireo-guest", MFD_CLOEXEC)) < 0)
		return (errno);
	if (ftruncate(memfd, STUB_SHARED_SIZE) != 0 ||
	    (sp = space_alloc(memfd, &cfg)) == NULL) {
		close(memfd);
		return (ENOMEM);
	}
	sp->ctl->kernel_pid = (uint32_t)getpid();
	sp->ctl->spin = sp->cfg.spin;
	sp->ctl->fsgsbase = g.fsgsbase;
	sp->ctl->filter_len = (uint32_t)g.filter_len;
	memcpy(sp->shared + SLOT_BOUNCE_OFF, g.filter,
	    g.filter_len * sizeof(g.filter[0]));
	req.memfd = memfd;
	req.cfg = &sp->cfg;
	pthread_mutex_lock(&g.lock);
	if ((req.error = creator_start()) == 0) {
		req.next = g.queue;
		g.queue = &req;
		pthread_cond_broadcast(&g.cv);
		while (!req.done)
			pthread_cond_wait(&g.cv, &g.lock);
	}
	pthread_mutex_unlock(&g.lock);
	close(memfd);
	if (req.error != 0) {
		space_free(sp);
		return (req.error == ENOMEM ? ENOMEM : EAGAIN);
	}
	sp->pid = req.pid;
	sp->pidfd = req.pidfd;
	if (systrap_await(sp, &sp->ctl->ready, 0) != 0) {
		space_free(sp);
		return (ECHILD);
	}
	*out = &sp->gs;
	return (0);
}

/*
 * Kills the stub at once (it stops using the CPU and its threads'
 * mailboxes) and leaves the wait and the freeing to the reaper.
 */
static void
systrap_destroy(struct guest_space *gs)
{
	struct systrap_space *sp = (struct systrap_space *)gs;

	if (sp->pidfd >= 0)
		syscall(SYS_pidfd_send_signal, sp->pidfd, SIGKILL, NULL, 0);
	sp->dead = true;
	pthread_mutex_lock(&g.lock);
	if (reaper_start() != 0) {
		pthread_mutex_unlock(&g.lock);
		space_free(sp);
		return;
	}
	sp->reap_next = g.reap;
	g.reap = sp;
	pthread_cond_signal(&g.reap_cv);
	pthread_mutex_unlock(&g.lock);
}

static int
systrap_pid(struct guest_space *gs)
{
	return (((struct systrap_space *)gs)->pid);
}

/*
 * The second half of a fork: fetch the child's memfd, announced in the
 * parent's mailbox ann, map it and wait for the child to be ready.  The
 * child's descriptor number goes to *fdnum: its copy must be closed (a
 * grandchild could otherwise reach it).
 */
static int
fork_map(struct systrap_space *child, struct stub_mailbox *ann, int *fdnum)
{
	int fd, error;
	void *p;

	if ((error = systrap_await(child, &ann->fork_ready, 0)) != 0)
		return (error);
	*fdnum = ann->fork_fd;
	fd = (int)syscall(SYS_pidfd_getfd, child->pidfd, *fdnum, 0);
	if (fd < 0)
		return (errno);
	p = mmap(NULL, STUB_SHARED_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
	    0);
	close(fd);
	if (p == MAP_FAILED)
		return (ENOMEM);
	child->shared = p;
	child->ctl = p;
	return (systrap_await(child, &child->ctl->ready, 0));
}

/* A space for the child of sp, without process or mapping yet. */
static struct systrap_space *
child_alloc(const struct systrap_space *sp)
{
	struct systrap_space *child;

	if ((child = calloc(1, sizeof(*child))) == NULL)
		return (NULL);
	child->gs.ops = &guest_systrap_ops;
	child->cfg = sp->cfg;
	child->pidfd = -1;
	pthread_mutex_init(&child->lock, NULL);
	return (child);
}

/* The pid a fork returned (result) becomes the child's; 0 or an errno. */
static int
child_pid(struct systrap_space *child, int64_t result)
{
	if (result <= 0)
		return (result < 0 && result > -4096 ? (int)-result : EAGAIN);
	child->pid = (pid_t)result;
	child->pidfd = (int)syscall(SYS_pidfd_open, child->pid, 0);
	return (child->pidfd < 0 ? errno : 0);
}

static int
systrap_fork(struct guest_space *gs, struct guest_space **out)
{
	struct systrap_space *sp = (struct systrap_space *)gs, *child;
	int64_t result;
	int error, fdnum;

	if ((child = child_alloc(sp)) == NULL)
		return (ENOMEM);
	pthread_mutex_lock(&sp->lock);
	sp->ctl->fork_ready = 0;
	sp->ctl->fork_fd = -1;
	error = systrap_control(sp, STUB_CMD_FORK, 0, &result);
	if (error == 0 && (error = child_pid(child, result)) == 0 &&
	    (error = fork_map(child, sp->ctl, &fdnum)) == 0) {
		pthread_mutex_lock(&child->lock);
		error = systrap_control(child, STUB_CMD_CLOSE_FD,
		    (uint64_t)fdnum, &result);
		pthread_mutex_unlock(&child->lock);
	}
	pthread_mutex_unlock(&sp->lock);
	if (error != 0) {
		space_free(child);
		return (error);
	}
	*out = &child->gs;
	return (0);
}

/*
 * A fork by a stopped thread (guest_stub.c, thread_fork()): the child's
 * copy of the thread, in the same slot, is the child's first thread.
 * Only one fork of a space at a time: sp->lock is held throughout.
 */
int
systrap_thread_fork(struct guest_thread *gt, struct guest_space **out,
    struct guest_thread **outth)
{
	struct systrap_thread *th = (struct systrap_thread *)gt, *cth;
	struct systrap_space *sp = th->sp, *child;
	struct stub_mailbox *mb = th->mb, *cmb = NULL;
	int error, fdnum;

	if (th->dead || __atomic_load_n(&th->running, __ATOMIC_SEQ_CST))
		return (EINVAL);
	if (sp->dead)
		return (ECHILD);
	if ((child = child_alloc(sp)) == NULL)
		return (ENOMEM);
	if ((cth = calloc(1, sizeof(*cth))) == NULL) {
		space_free(child);
		return (ENOMEM);
	}
	pthread_mutex_lock(&sp->lock);
	mb->fork_ready = 0;
	mb->fork_fd = -1;
	systrap_handover(mb, th->tid, STUB_CMD_FORK);
	if ((error = systrap_await(sp, &mb->state, th->tid)) != 0)
		th->dead = true;
	else if ((error = child_pid(child, mb->result)) == 0 &&
	    (error = fork_map(child, mb, &fdnum)) == 0) {
		cmb = (struct stub_mailbox *)(child->shared +
		    th->slot * STUB_SLOT_SIZE);
		/* The child's thread replies once it is back in its handler. */
		if ((error = systrap_await(child, &cmb->state,
			 (uint32_t)child->pid)) == 0) {
			cmb->arg = (uint64_t)fdnum;
			systrap_handover(cmb, (uint32_t)child->pid,
			    STUB_CMD_CLOSE_FD);
			error = systrap_await(child, &cmb->state,
			    (uint32_t)child->pid);
		}
	}
	pthread_mutex_unlock(&sp->lock);
	if (error != 0) {
		free(cth);
		space_free(child);
		return (error == ECHILD || error == ENOMEM ? error : EAGAIN);
	}
	child->used[th->slot] = 1;
	child->no_ctl = true;
	cth->gt.ops = gt->ops;
	cth->gt.space = &child->gs;
	cth->sp = child;
	cth->slot = th->slot;
	cth->tid = (uint32_t)child->pid;
	cth->mb = cmb;
	*out = &child->gs;
	*outth = &cth->gt;
	return (0);
}

/*
 * Gives a space made by systrap_thread_fork() its control thread, started
 * by the stopped thread gt.
 */
int
systrap_space_control(struct guest_space *gs, struct guest_thread *gt)
{
	struct systrap_space *sp = (struct systrap_space *)gs;
	struct systrap_thread *th = (struct systrap_thread *)gt;
	int error = 0;

	if (th->sp != sp || th->dead ||
	    __atomic_load_n(&th->running, __ATOMIC_SEQ_CST))
		return (EINVAL);
	pthread_mutex_lock(&sp->lock);
	if (sp->no_ctl) {
		systrap_handover(th->mb, th->tid, STUB_CMD_CONTROL);
		if ((error = systrap_await(sp, &th->mb->state, th->tid)) != 0)
			th->dead = true;
		else if (th->mb->result <= 0)
			error = th->mb->result < 0 && th->mb->result > -4096 ?
			    (int)-th->mb->result :
			    EAGAIN;
		else
			sp->no_ctl = false;
	}
	pthread_mutex_unlock(&sp->lock);
	return (error);
}
