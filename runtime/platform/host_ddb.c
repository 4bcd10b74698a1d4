/*
 * host_ddb.c - the host side of the kernel debugger: stopping and
 * restarting the virtual cpus, their registers and backtraces, safe
 * access to kernel memory, and console input while in the debugger.
 *
 * Stopping is real, as in the original vkernel (which uses SIGXCPU for
 * the same purpose): the debugger sets a thread's hold flag and sends it
 * SIGXCPU with tgkill(2).  The handler saves the interrupted registers
 * from its ucontext and a backtrace() of the thread, marks the thread
 * held, and waits in sigsuspend() with the interrupted signal mask until
 * the debugger clears the hold flag and sends SIGXCPU again.  SIGXCPU
 * stays blocked inside the handler except during sigsuspend(), so the
 * wake-up cannot be lost between the test of the flag and the wait.
 *
 * Symbol names live in host_ddb_sym.c.
 */
#include <dirent.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "runtime/platform/platform.h"

#define DDB_STOP_SIGNAL SIGXCPU
#define DDB_WAIT_MS	1000 /* how long to wait for a thread to stop */
#define DDB_POLL_MS	100  /* console poll period, for host signals */

/* One thread the debugger can hold. */
struct ddb_slot {
	volatile int tid;      /* 0: no such thread */
	volatile int hold;     /* set by the debugger: stop and wait */
	volatile int held;     /* in the handler, state saved */
	volatile int in_stop;  /* the handler is running (nesting guard) */
	volatile int debugger; /* state saved by host_ddb_snapshot() */
	volatile int saved;    /* regs and pcs are valid */
	struct host_ddb_regs regs;
	uint64_t pcs[HOST_DDB_MAXFRAMES];
	int npcs;
};

static struct ddb_slot ddb_cpu_slots[VK_MAXCPU];
static struct ddb_slot ddb_intr_slot;
static int ddb_mem_fd = -1; /* /proc/self/mem, opened on demand */

static int
ddb_gettid(void)
{
	return ((int)syscall(SYS_gettid));
}

static int
ddb_tgkill(int tid, int sig)
{
	return ((int)syscall(SYS_tgkill, (int)getpid(), tid, sig));
}

static void
ddb_sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = ms * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* The slot of host thread tid, or NULL. */
static struct ddb_slot *
ddb_slot_of(int tid)
{
	int i;

	if (tid == 0)
		return (NULL);
	for (i = 0; i < VK_MAXCPU; i++)
		if (ddb_cpu_slots[i].tid == tid)
			return (&ddb_cpu_slots[i]);
	if (ddb_intr_slot.tid == tid)
		return (&ddb_intr_slot);
	return (NULL);
}

static void
ddb_save_regs(struct host_ddb_regs *r, const mcontext_t *mc)
{
	const greg_t *g = mc->gregs;

	r->rax = (uint64_t)g[REG_RAX];
	r->rbx = (uint64_t)g[REG_RBX];
	r->rcx = (uint64_t)g[REG_RCX];
	r->rdx = (uint64_t)g[REG_RDX];
	r->rsi = (uint64_t)g[REG_RSI];
	r->rdi = (uint64_t)g[REG_RDI];
	r->rbp = (uint64_t)g[REG_RBP];
	r->rsp = (uint64_t)g[REG_RSP];
	r->r8 = (uint64_t)g[REG_R8];
	r->r9 = (uint64_t)g[REG_R9];
	r->r10 = (uint64_t)g[REG_R10];
	r->r11 = (uint64_t)g[REG_R11];
	r->r12 = (uint64_t)g[REG_R12];
	r->r13 = (uint64_t)g[REG_R13];
	r->r14 = (uint64_t)g[REG_R14];
	r->r15 = (uint64_t)g[REG_R15];
	r->rip = (uint64_t)g[REG_RIP];
	r->rflags = (uint64_t)g[REG_EFL];
	/* REG_CSGSFS packs cs, gs and fs in its low three 16-bit words. */
	r->cs = (uint64_t)g[REG_CSGSFS] & 0xffff;
	r->gs = ((uint64_t)g[REG_CSGSFS] >> 16) & 0xffff;
	r->fs = ((uint64_t)g[REG_CSGSFS] >> 32) & 0xffff;
}

/*
 * Keeps the backtrace from the saved pc on: the frames of the signal
 * handler and of the signal trampoline are not the thread's.  skip is
 * where to start when the pc is not among the frames.
 */
static void
ddb_save_trace(struct ddb_slot *s, void *const *frames, int n, int skip)
{
	int i, start = -1;

	for (i = 0; i < n; i++) {
		if ((uint64_t)(uintptr_t)frames[i] == s->regs.rip) {
			start = i;
			break;
		}
	}
	if (start < 0)
		start = skip < n ? skip : n;
	s->npcs = 0;
	for (i = start; i < n && s->npcs < HOST_DDB_MAXFRAMES; i++)
		s->pcs[s->npcs++] = (uint64_t)(uintptr_t)frames[i];
}

/* SIGXCPU: save the state and wait until the debugger lets go. */
static void
ddb_stop_handler(int sig, siginfo_t *si, void *ucv)
{
	void *frames[HOST_DDB_MAXFRAMES + 4];
	ucontext_t *uc = ucv;
	struct ddb_slot *s;
	int saved_errno = errno, n;

	(void)sig;
	(void)si;
	s = ddb_slot_of(ddb_gettid());
	if (s == NULL || s->in_stop ||
	    !__atomic_load_n(&s->hold, __ATOMIC_ACQUIRE)) {
		errno = saved_errno;
		return; /* a wake-up, or not ours to hold */
	}
	s->in_stop = 1;
	ddb_save_regs(&s->regs, &uc->uc_mcontext);
	n = backtrace(frames, HOST_DDB_MAXFRAMES + 4);
	ddb_save_trace(s, frames, n, 2);
	s->debugger = 0;
	s->saved = 1;
	__atomic_store_n(&s->held, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&s->hold, __ATOMIC_ACQUIRE))
		sigsuspend(&uc->uc_sigmask);
	s->saved = 0;
	__atomic_store_n(&s->held, 0, __ATOMIC_RELEASE);
	s->in_stop = 0;
	errno = saved_errno;
}

/* Finds the interrupt thread by its name, "intr"; returns its tid or 0. */
static int
ddb_find_intr(void)
{
	char path[300], comm[32];
	struct dirent *de;
	ssize_t n;
	DIR *d;
	int fd, tid = 0;

	if ((d = opendir("/proc/self/task")) == NULL)
		return (0);
	while (tid == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm",
		    de->d_name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		n = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		if (n == 5 && memcmp(comm, "intr\n", 5) == 0)
			tid = (int)strtol(de->d_name, NULL, 10);
	}
	closedir(d);
	return (tid);
}

static void
ddb_intr_lookup(void)
{
	if (ddb_intr_slot.tid == 0)
		ddb_intr_slot.tid = ddb_find_intr();
}

void
host_ddb_init(void)
{
	struct sigaction sa;
	void *frame;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = ddb_stop_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(DDB_STOP_SIGNAL, &sa, NULL);
	/*
	 * The first backtrace() loads the unwinder (libgcc_s), which
	 * allocates: do it now rather than in the signal handler.
	 */
	(void)backtrace(&frame, 1);
	host_ddb_sym_init();
	/* Now, while no thread is held: the search allocates. */
	ddb_intr_lookup();
}

void
host_cpu_register_self(int cpuid)
{
	if (cpuid < 0 || cpuid >= VK_MAXCPU)
		return;
	ddb_cpu_slots[cpuid].tid = ddb_gettid();
}

int
host_ddb_thread_id(void)
{
	return (ddb_gettid());
}

int
host_ddb_self_cpu(void)
{
	int tid = ddb_gettid(), i;

	for (i = 0; i < VK_MAXCPU; i++)
		if (ddb_cpu_slots[i].tid == tid)
			return (i);
	ddb_intr_lookup();
	if (ddb_intr_slot.tid == tid)
		return (HOST_DDB_INTR);
	return (HOST_DDB_NOCPU);
}

uint32_t
host_ddb_cpus(void)
{
	uint32_t mask = 0;
	int i;

	for (i = 0; i < VK_MAXCPU; i++)
		if (ddb_cpu_slots[i].tid != 0)
			mask |= (uint32_t)1 << i;
	return (mask);
}

void
host_ddb_snapshot(void)
{
	void *frames[HOST_DDB_MAXFRAMES + 4];
	struct ddb_slot *s;
	ucontext_t uc;
	int n;

	ddb_intr_lookup();
	if ((s = ddb_slot_of(ddb_gettid())) == NULL)
		return;
	/*
	 * getcontext() is obsolescent in POSIX but is the one way to have
	 * the calling thread's registers in the same form as a signal's.
	 */
	// cppcheck-suppress getcontextCalled
	if (getcontext(&uc) != 0)
		return;
	ddb_save_regs(&s->regs, &uc.uc_mcontext);
	n = backtrace(frames, HOST_DDB_MAXFRAMES + 4);
	/* frames[0] and the saved rip are both in this function. */
	ddb_save_trace(s, frames, n, 0);
	if (s->npcs > 0)
		s->pcs[0] = s->regs.rip;
	s->debugger = 1;
	s->saved = 1;
}

/* Asks the thread of s to stop; returns true if the signal went out. */
static bool
ddb_send_hold(struct ddb_slot *s, int self)
{
	if (s->tid == 0 || s->tid == self || s->hold)
		return (false);
	__atomic_store_n(&s->hold, 1, __ATOMIC_RELEASE);
	if (ddb_tgkill(s->tid, DDB_STOP_SIGNAL) != 0) {
		__atomic_store_n(&s->hold, 0, __ATOMIC_RELEASE);
		return (false);
	}
	return (true);
}

/* Waits until s->held is want; returns 0 or ETIMEDOUT. */
static int
ddb_wait_held(struct ddb_slot *s, int want)
{
	int ms;

	for (ms = 0; ms < DDB_WAIT_MS; ms++) {
		if (__atomic_load_n(&s->held, __ATOMIC_ACQUIRE) == want)
			return (0);
		ddb_sleep_ms(1);
	}
	return (ETIMEDOUT);
}

int
host_ddb_hold(uint32_t cpus, bool intr, uint32_t *heldp)
{
	bool sent[VK_MAXCPU], intr_sent = false;
	int self = ddb_gettid(), i, error = 0;
	uint32_t held = 0;

	for (i = 0; i < VK_MAXCPU; i++)
		sent[i] = (cpus & ((uint32_t)1 << i)) != 0 &&
		    ddb_send_hold(&ddb_cpu_slots[i], self);
	if (intr) {
		ddb_intr_lookup();
		intr_sent = ddb_send_hold(&ddb_intr_slot, self);
	}
	for (i = 0; i < VK_MAXCPU; i++)
		if (sent[i] && ddb_wait_held(&ddb_cpu_slots[i], 1) != 0)
			error = ETIMEDOUT;
	if (intr_sent && ddb_wait_held(&ddb_intr_slot, 1) != 0)
		error = ETIMEDOUT;
	for (i = 0; i < VK_MAXCPU; i++)
		if (ddb_cpu_slots[i].held)
			held |= (uint32_t)1 << i;
	if (heldp != NULL)
		*heldp = held;
	return (error);
}

/* Lets the thread of s go. */
static void
ddb_send_release(struct ddb_slot *s)
{
	if (!s->hold)
		return;
	__atomic_store_n(&s->hold, 0, __ATOMIC_RELEASE);
	if (s->held)
		ddb_tgkill(s->tid, DDB_STOP_SIGNAL);
}

void
host_ddb_release(bool intr)
{
	int i;

	for (i = 0; i < VK_MAXCPU; i++)
		ddb_send_release(&ddb_cpu_slots[i]);
	if (intr)
		ddb_send_release(&ddb_intr_slot);
	for (i = 0; i < VK_MAXCPU; i++)
		if (!ddb_cpu_slots[i].hold)
			(void)ddb_wait_held(&ddb_cpu_slots[i], 0);
	if (intr)
		(void)ddb_wait_held(&ddb_intr_slot, 0);
	for (i = 0; i < VK_MAXCPU; i++)
		ddb_cpu_slots[i].debugger = 0;
	ddb_intr_slot.debugger = 0;
}

/* The slot of cpuid with saved state, or an error. */
static int
ddb_saved_slot(int cpuid, struct ddb_slot **sp)
{
	struct ddb_slot *s;

	if (cpuid == HOST_DDB_INTR)
		s = &ddb_intr_slot;
	else if (cpuid < 0 || cpuid >= VK_MAXCPU)
		return (EINVAL);
	else
		s = &ddb_cpu_slots[cpuid];
	if (s->tid == 0)
		return (ESRCH);
	if (!s->saved || !(s->held || s->debugger))
		return (EBUSY);
	*sp = s;
	return (0);
}

int
host_ddb_regs(int cpuid, struct host_ddb_regs *regs)
{
	struct ddb_slot *s;
	int error;

	if ((error = ddb_saved_slot(cpuid, &s)) != 0)
		return (error);
	*regs = s->regs;
	return (0);
}

int
host_ddb_trace(int cpuid, uint64_t *pcs, int max, int *np)
{
	struct ddb_slot *s;
	int error, i;

	if ((error = ddb_saved_slot(cpuid, &s)) != 0)
		return (error);
	for (i = 0; i < s->npcs && i < max; i++)
		pcs[i] = s->pcs[i];
	*np = i;
	return (0);
}

static void
ddb_thread_info(const struct ddb_slot *s, int cpuid, struct host_ddb_thread *t)
{
	t->tid = s->tid;
	t->cpuid = cpuid;
	t->held = s->held != 0;
	t->debugger = s->tid == ddb_gettid();
	t->pc = s->saved && (s->held || s->debugger) ? s->regs.rip : 0;
}

int
host_ddb_threads(struct host_ddb_thread *t, int max)
{
	int i, n = 0;

	for (i = 0; i < VK_MAXCPU && n < max; i++)
		if (ddb_cpu_slots[i].tid != 0)
			ddb_thread_info(&ddb_cpu_slots[i], i, &t[n++]);
	ddb_intr_lookup();
	if (ddb_intr_slot.tid != 0 && n < max)
		ddb_thread_info(&ddb_intr_slot, HOST_DDB_INTR, &t[n++]);
	return (n);
}

/* /proc/self/mem, for hosts that refuse process_vm_readv on ourselves. */
static int
ddb_mem(void)
{
	if (ddb_mem_fd < 0)
		ddb_mem_fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	return (ddb_mem_fd);
}

int
host_ddb_read(uintptr_t addr, void *buf, size_t len)
{
	struct iovec local = { .iov_base = buf, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)addr, .iov_len = len };
	ssize_t n;

	if (len == 0)
		return (0);
	n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	if (n < 0 && (errno == ENOSYS || errno == EPERM) && ddb_mem() >= 0)
		n = pread(ddb_mem_fd, buf, len, (off_t)addr);
	return (n == (ssize_t)len ? 0 : EFAULT);
}

int
host_ddb_write(uintptr_t addr, const void *buf, size_t len)
{
	struct iovec local = { .iov_base = (void *)(uintptr_t)buf,
		.iov_len = len };
	struct iovec remote = { .iov_base = (void *)addr, .iov_len = len };
	ssize_t n;

	if (len == 0)
		return (0);
	/* process_vm_writev respects page protection: text stays intact. */
	n = process_vm_writev(getpid(), &local, 1, &remote, 1, 0);
	if (n < 0 && (errno == ENOSYS || errno == EPERM) && ddb_mem() >= 0)
		n = pwrite(ddb_mem_fd, buf, len, (off_t)addr);
	return (n == (ssize_t)len ? 0 : EFAULT);
}

/* Returns true if sig is pending for this thread or the process. */
static bool
ddb_pending(const sigset_t *pending, int sig)
{
	return (sigismember(pending, sig) == 1);
}

/* Takes a pending, blocked sig off the queue. */
static void
ddb_discard(int sig)
{
	struct timespec zero = { 0, 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	(void)sigtimedwait(&set, NULL, &zero);
}

/* Looks at the host signals; returns true if the debugger must leave. */
static bool
ddb_check_signals(void)
{
	sigset_t pending;

	if (sigpending(&pending) != 0)
		return (false);
	if (ddb_pending(&pending, SIGQUIT))
		ddb_discard(SIGQUIT); /* ^\ again: we are already here */
	if (ddb_pending(&pending, SIGTSTP)) {
		ddb_discard(SIGTSTP);
		host_console_restore();
		kill(getpid(), SIGSTOP);
		host_console_debug(true);
	}
	return (ddb_pending(&pending, SIGTERM) ||
	    ddb_pending(&pending, SIGINT) || ddb_pending(&pending, SIGHUP));
}

int
host_ddb_getc(void)
{
	struct pollfd pfd;
	int n;

	for (;;) {
		if (ddb_check_signals())
			return (HOST_DDB_SIGNAL);
		pfd.fd = STDIN_FILENO;
		pfd.events = POLLIN;
		pfd.revents = 0;
		n = poll(&pfd, 1, DDB_POLL_MS);
		if (n > 0)
			return (host_console_getc_sync());
		if (n < 0 && errno != EINTR)
			return (HOST_DDB_EOF);
	}
}
