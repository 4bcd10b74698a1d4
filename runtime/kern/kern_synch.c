/*
 * kern_synch.c - the kernel lock, cpu tokens, sleep and wakeup, kernel
 * threads (see proc.h for the rules).
 *
 * Everything here waits on host condition variables whose mutex is the
 * kernel lock itself, so giving up the lock and starting to wait are one
 * step and a wakeup cannot be missed.  The cpu tokens are a ticket queue:
 * a thread takes a ticket and waits until its ticket is served and a
 * token is free, which keeps waiters in arrival order.
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/proc.h"

#define SLPQ_HASH 64

_Thread_local struct thread *curthread;

static host_mutex_t giant;
static _Thread_local bool giant_held;
static host_cond_t token_cv;
static bool token_busy[VK_MAXCPU];
static int ntokens, tokens_busy;
static uint64_t ticket_next, ticket_served;
static struct thread *slpq[SLPQ_HASH];
static int next_tid;

void
kernel_lock(void)
{
	host_mutex_lock(&giant);
	giant_held = true;
}

void
kernel_unlock(void)
{
	giant_held = false;
	host_mutex_unlock(&giant);
}

bool
kernel_lock_held(void)
{
	return (giant_held);
}

static void
thread_init(struct thread *td, const char *name)
{
	memset(td, 0, sizeof(*td));
	td->td_tid = next_tid++;
	td->td_cpu = -1;
	strncpy(td->td_name, name, sizeof(td->td_name) - 1);
	host_cond_init(&td->td_cv);
}

void
sched_init(int ncpu, struct thread *td0)
{
	host_mutex_init(&giant);
	host_cond_init(&token_cv);
	ntokens = ncpu;
	thread_init(td0, "thread0");
	curthread = td0;
	kernel_lock();
	cpu_acquire();
}

/* Waits, giving up the kernel lock meanwhile; caller holds it. */
static void
giant_wait(host_cond_t *cv)
{
	giant_held = false;
	host_cond_wait(cv, &giant);
	giant_held = true;
}

static int
giant_timedwait(host_cond_t *cv, uint64_t ns)
{
	int error;

	giant_held = false;
	error = host_cond_timedwait(cv, &giant, ns);
	giant_held = true;
	return (error);
}

void
cpu_acquire(void)
{
	struct thread *td = curthread;
	int i;

	if (!giant_held || td->td_cpu >= 0)
		panic("cpu_acquire: thread %d %s", td->td_tid,
		    td->td_cpu >= 0 ? "holds a token" : "without the lock");
	td->td_ticket = ticket_next++;
	while (td->td_ticket != ticket_served || tokens_busy == ntokens)
		giant_wait(&token_cv);
	ticket_served++;
	for (i = 0; token_busy[i]; i++)
		;
	token_busy[i] = true;
	tokens_busy++;
	td->td_cpu = i;
	cpu_infos[i].idle = false;
	curcpu = i;
	/* The next in line may find a token too. */
	host_cond_broadcast(&token_cv);
}

void
cpu_release(void)
{
	struct thread *td = curthread;

	if (!giant_held || td->td_cpu < 0)
		panic("cpu_release: thread %d holds no token", td->td_tid);
	token_busy[td->td_cpu] = false;
	cpu_infos[td->td_cpu].idle = true;
	tokens_busy--;
	td->td_cpu = -1;
	host_cond_broadcast(&token_cv);
}

int
cpu_tokens_busy(void)
{
	return (tokens_busy);
}

int
cpu_tokens_waiting(void)
{
	return ((int)(ticket_next - ticket_served));
}

static unsigned
slpq_hash(const void *chan)
{
	uintptr_t h = (uintptr_t)chan;

	return ((unsigned)((h >> 4) ^ (h >> 12)) % SLPQ_HASH);
}

static void
slpq_remove(struct thread *td)
{
	struct thread **pp;

	for (pp = &slpq[slpq_hash(td->td_wchan)]; *pp != NULL;
	     pp = &(*pp)->td_slpnext) {
		if (*pp == td) {
			*pp = td->td_slpnext;
			break;
		}
	}
	td->td_slpnext = NULL;
	td->td_wchan = NULL;
}

int
tsleep(const void *chan, int flags, const char *wmesg, uint64_t timo)
{
	struct thread *td = curthread, **pp;
	uint64_t deadline = 0, now;
	int error = 0;

	if (!giant_held || td->td_cpu < 0)
		panic("tsleep(%s): without the kernel lock or a cpu", wmesg);
	if ((flags & PCATCH) && td->td_sigpending)
		return (EINTR);
	/* Queue at the tail: wakeup_one() wakes the longest sleeper. */
	td->td_wchan = chan;
	td->td_wmesg = wmesg;
	td->td_woken = false;
	for (pp = &slpq[slpq_hash(chan)]; *pp != NULL; pp = &(*pp)->td_slpnext)
		;
	*pp = td;
	cpu_release();
	if (timo != 0)
		deadline = host_monotonic_ns() + timo;
	while (!td->td_woken) {
		if ((flags & PCATCH) && td->td_sigpending) {
			error = EINTR;
			break;
		}
		if (timo == 0) {
			giant_wait(&td->td_cv);
			continue;
		}
		now = host_monotonic_ns();
		if (now >= deadline) {
			error = EWOULDBLOCK;
			break;
		}
		(void)giant_timedwait(&td->td_cv, deadline - now);
	}
	if (!td->td_woken)
		slpq_remove(td);
	td->td_woken = false;
	td->td_wmesg = NULL;
	cpu_acquire();
	return (error);
}

static void
wake(const void *chan, bool one)
{
	struct thread **pp, *td;

	if (!giant_held)
		panic("wakeup: without the kernel lock");
	pp = &slpq[slpq_hash(chan)];
	while ((td = *pp) != NULL) {
		if (td->td_wchan != chan) {
			pp = &td->td_slpnext;
			continue;
		}
		*pp = td->td_slpnext;
		td->td_slpnext = NULL;
		td->td_wchan = NULL;
		td->td_woken = true;
		host_cond_signal(&td->td_cv);
		if (one)
			return;
	}
}

void
wakeup(const void *chan)
{
	wake(chan, false);
}

void
wakeup_one(const void *chan)
{
	wake(chan, true);
}

int selwait;

void
selwakeup(void)
{
	wakeup(&selwait);
}

void
thread_signal(struct thread *td)
{
	td->td_sigpending = true;
	host_cond_signal(&td->td_cv);
}

struct kthread_start {
	struct thread *td;
	void (*fn)(void *);
	void *arg;
};

static void
kthread_main(void *arg)
{
	struct kthread_start ks = *(struct kthread_start *)arg;

	kfree(arg);
	curthread = ks.td;
	kernel_lock();
	cpu_acquire();
	ks.fn(ks.arg);
	cpu_release();
	kernel_unlock();
	/* The last touch: from here the owner may free the thread. */
	__atomic_store_n(&ks.td->td_done, true, __ATOMIC_RELEASE);
	/* XXX The struct thread stays allocated: others may still point at
	 * it.  Reaping comes with processes (issue 5). */
}

int
kthread_start(struct thread *td, void (*fn)(void *), void *arg,
    const char *name)
{
	struct kthread_start *ks;
	int error;

	if ((ks = kmalloc(sizeof(*ks))) == NULL)
		return (ENOMEM);
	thread_init(td, name);
	*ks = (struct kthread_start) { td, fn, arg };
	if ((error = host_thread_create(kthread_main, ks, name)) != 0)
		kfree(ks);
	return (error);
}

int
kthread_create(void (*fn)(void *), void *arg, const char *name,
    struct thread **tdp)
{
	struct thread *td;
	int error;

	if ((td = kmalloc(sizeof(*td))) == NULL)
		return (ENOMEM);
	if ((error = kthread_start(td, fn, arg, name)) != 0) {
		kfree(td);
		return (error);
	}
	if (tdp != NULL)
		*tdp = td;
	return (0);
}
