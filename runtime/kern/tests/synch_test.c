/*
 * synch_test.c - unit tests of the kernel lock, cpu tokens, sleep/wakeup
 * and kernel threads, with real host threads.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/proc.h"
#include "runtime/vm/vm.h"

/* What kern_mp.c and kern_shutdown.c provide in the kernel. */
struct cpu_info cpu_infos[VK_MAXCPU];
_Thread_local int curcpu;

_Noreturn void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	abort();
}

static struct thread td0;
static void *mem;

static void
boot(int ncpu)
{
	mem = aligned_alloc(PAGE_SIZE, 4 << 20);
	vm_page_init(mem, 4 << 20);
	kmalloc_init();
	sched_init(ncpu, &td0);
}

/* Waits (giving up the lock and the token) until cond holds. */
#define WAIT_UNTIL(cond)                                 \
	do {                                             \
		int n_ = 0;                              \
		while (!(cond)) {                        \
			cpu_release();                   \
			kernel_unlock();                 \
			usleep(1000);                    \
			kernel_lock();                   \
			cpu_acquire();                   \
			cr_assert_lt(++n_, 5000, #cond); \
		}                                        \
	} while (0)

/* --- cpu tokens bound concurrency --- */

static volatile int running, max_running, finished;

static void
spinner(void *arg)
{
	struct timespec ts = { 0, 200 * 1000 };
	int i, now;

	(void)arg;
	for (i = 0; i < 20; i++) {
		/* Like guest code: holding a cpu, not the lock. */
		kernel_unlock();
		now = __atomic_add_fetch(&running, 1, __ATOMIC_SEQ_CST);
		if (now > max_running)
			max_running = now;
		nanosleep(&ts, NULL);
		__atomic_sub_fetch(&running, 1, __ATOMIC_SEQ_CST);
		kernel_lock();
		cpu_release();
		cpu_acquire();
	}
	finished++;
}

Test(synch, at_most_ncpu_threads_run)
{
	int i;

	boot(2);
	for (i = 0; i < 6; i++)
		cr_assert_eq(kthread_create(spinner, NULL, "spin", NULL), 0);
	/* thread0 gives its token up while it waits. */
	WAIT_UNTIL(finished == 6);
	cr_assert_eq(max_running, 2, "max running %d with 2 cpus", max_running);
	cr_assert_eq(cpu_tokens_busy(), 1, "only thread0 holds one now");
}

/* --- tokens are handed out in arrival order --- */

static int order[8], norder;

static void
recorder(void *arg)
{
	order[norder++] = (int)(intptr_t)arg;
}

Test(synch, tokens_go_in_arrival_order)
{
	int i;

	boot(1);
	/* thread0 holds the only token; each starter queues in turn. */
	for (i = 0; i < 5; i++) {
		cr_assert_eq(kthread_create(recorder, (void *)(intptr_t)i, "r",
				 NULL),
		    0);
		/* Keep the token; wait until the starter is in line. */
		while (cpu_tokens_waiting() != i + 1) {
			kernel_unlock();
			usleep(1000);
			kernel_lock();
		}
	}
	WAIT_UNTIL(norder == 5);
	for (i = 0; i < 5; i++)
		cr_assert_eq(order[i], i, "position %d: %d", i, order[i]);
}

/* --- sleep and wakeup --- */

static int chan, result[4], done[4];

static void
sleeper(void *arg)
{
	int i = (int)(intptr_t)arg;

	result[i] = tsleep(&chan, (i & 1) ? PCATCH : 0, "slp", 0);
	done[i] = 1;
}

Test(synch, wakeup_wakes_all_and_one_wakes_one)
{
	struct thread *t0, *t2;

	boot(2);
	/* s0 is asleep before s2 starts: s0 is the longest sleeper. */
	cr_assert_eq(kthread_create(sleeper, (void *)0, "s0", &t0), 0);
	WAIT_UNTIL(t0->td_wchan == &chan);
	cr_assert_eq(kthread_create(sleeper, (void *)(intptr_t)2, "s2", &t2),
	    0);
	WAIT_UNTIL(t2->td_wchan == &chan);
	cr_assert(!done[0] && !done[2], "they sleep");
	cr_assert_eq(cpu_tokens_busy(), 1, "sleepers give their cpu back");
	wakeup_one(&chan);
	WAIT_UNTIL(done[0] || done[2]);
	kernel_unlock();
	usleep(30 * 1000);
	kernel_lock();
	cr_assert_eq(done[0] + done[2], 1, "wakeup_one woke one");
	cr_assert(done[0], "the longest sleeper goes first");
	wakeup(&chan);
	WAIT_UNTIL(done[2]);
	cr_assert_eq(result[0], 0);
	cr_assert_eq(result[2], 0);
}

Test(synch, timeout)
{
	uint64_t t0;

	boot(1);
	t0 = host_monotonic_ns();
	cr_assert_eq(tsleep(&chan, 0, "tmo", 30 * 1000 * 1000), EWOULDBLOCK);
	cr_assert_geq(host_monotonic_ns() - t0, 30 * 1000 * 1000);
	cr_assert_eq(cpu_tokens_busy(), 1, "the token is back");
}

Test(synch, signals_interrupt_only_pcatch_sleeps)
{
	struct thread *t1, *t3;

	boot(2);
	cr_assert_eq(kthread_create(sleeper, (void *)1, "s1", &t1), 0);
	cr_assert_eq(kthread_create(sleeper, (void *)3, "s3", &t3), 0);
	cr_assert_eq(kthread_create(sleeper, (void *)0, "s0", NULL), 0);
	kernel_unlock();
	usleep(30 * 1000);
	kernel_lock();
	thread_signal(t1);
	WAIT_UNTIL(done[1]);
	cr_assert_eq(result[1], EINTR);
	cr_assert(!done[0] && !done[3]);
	wakeup(&chan);
	WAIT_UNTIL(done[0] && done[3]);
	cr_assert_eq(result[0], 0);
	cr_assert_eq(result[3], 0);
	/* A signal already pending: a PCATCH sleep does not even start. */
	td0.td_sigpending = true;
	cr_assert_eq(tsleep(&chan, PCATCH, "pend", 0), EINTR);
	(void)t3;
}
