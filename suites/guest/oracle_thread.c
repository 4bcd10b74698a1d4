/*
 * oracle_thread.c - threads and futexes, checked against the host
 * (suites/oracle_test.c): pthread_create and join with return values,
 * a mutex under contention, a condition variable handing turns between
 * threads, raw futex wait and wake (values, EAGAIN, timeouts, wake
 * counts), thread ids, and a process-wide exit from a thread.
 *
 * Usage: oracle_thread ROOT (ROOT is unused).
 */
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>

#include "oracle.h"

/* linux/futex.h is not among musl's headers. */
#define FUTEX_WAIT	   0
#define FUTEX_WAKE	   1
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | 128)
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | 128)

#define NTHREADS 4
#define ROUNDS	 2000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_cv = PTHREAD_COND_INITIALIZER;
static long counter;
static int turn;
static volatile int futex_word;

static long
futex(volatile int *uaddr, int op, int val, const struct timespec *ts)
{
	return (syscall(SYS_futex, uaddr, op, val, ts, NULL, 0));
}

static void *
returns_arg(void *arg)
{
	return ((void *)((intptr_t)arg * 2));
}

static void *
adder(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return (NULL);
}

/* Thread k waits for turn k, then passes the turn on; three laps. */
static void *
taker(void *arg)
{
	int k = (int)(intptr_t)arg;

	for (int lap = 0; lap < 3; lap++) {
		pthread_mutex_lock(&lock);
		while (turn % NTHREADS != k)
			pthread_cond_wait(&turn_cv, &lock);
		turn++;
		pthread_cond_broadcast(&turn_cv);
		pthread_mutex_unlock(&lock);
	}
	return (NULL);
}

static void *
tid_differs(void *arg)
{
	(void)arg;
	return ((void *)(intptr_t)(syscall(SYS_gettid) != getpid() &&
	    getpid() == (pid_t)(intptr_t)arg));
}

static void *
waker(void *arg)
{
	struct timespec ts = { 0, 20 * 1000000 };

	(void)arg;
	nanosleep(&ts, NULL);
	futex_word = 1;
	return ((void *)futex(&futex_word, FUTEX_WAKE_PRIVATE, 1, NULL));
}

static void
create_and_join(void)
{
	pthread_t t[NTHREADS];
	void *ret;

	for (intptr_t i = 0; i < NTHREADS; i++)
		num("pthread_create",
		    -pthread_create(&t[i], NULL, returns_arg, (void *)i));
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], &ret);
		say("thread %d returned %ld\n", i, (long)(intptr_t)ret);
	}
	pthread_create(&t[0], NULL, tid_differs, (void *)(intptr_t)getpid());
	pthread_join(t[0], &ret);
	yes("a thread has its own tid and the process's pid", ret != NULL);
}

static void
contention(void)
{
	pthread_t t[NTHREADS];

	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, adder, NULL);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	say("counter after %d x %d locked increments: %ld\n", NTHREADS, ROUNDS,
	    counter);
	for (intptr_t i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, taker, (void *)i);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	say("turns taken: %d\n", turn);
}

static void
futexes(void)
{
	struct timespec ts = { 0, 10 * 1000000 };
	pthread_t t;
	void *woken;

	futex_word = 5;
	num("FUTEX_WAIT, value differs",
	    futex(&futex_word, FUTEX_WAIT, 4, NULL));
	num("FUTEX_WAIT with a timeout",
	    futex(&futex_word, FUTEX_WAIT_PRIVATE, 5, &ts));
	num("FUTEX_WAKE, nobody waits",
	    futex(&futex_word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL));
	num("FUTEX_WAIT, bad address",
	    futex((volatile int *)8, FUTEX_WAIT_PRIVATE, 0, NULL));
	num("FUTEX_WAIT, unaligned",
	    futex((volatile int *)((char *)&futex_word + 1), FUTEX_WAIT_PRIVATE,
		0, NULL));
	num("bad futex op", futex(&futex_word, 99, 0, NULL));
	/* A waiter woken by another thread. */
	futex_word = 0;
	pthread_create(&t, NULL, waker, NULL);
	while (futex_word == 0)
		if (futex(&futex_word, FUTEX_WAIT_PRIVATE, 0, NULL) != 0 &&
		    errno != EAGAIN && errno != EINTR)
			break;
	pthread_join(t, &woken);
	say("futex_word after the wake: %d\n", futex_word);
	say("FUTEX_WAKE woke at most one: %s\n",
	    (intptr_t)woken <= 1 ? "yes" : "no");
}

static void *
exits_all(void *arg)
{
	(void)arg;
	exit(6);
}

static int
exit_from_thread(long unused)
{
	pthread_t t;

	(void)unused;
	pthread_create(&t, NULL, exits_all, NULL);
	for (;;)
		pause();
	return (1); /* not reached */
}

int
main(void)
{
	oracle_begin("oracle_thread");
	create_and_join();
	contention();
	futexes();
	say("exit(6) in a thread: %s\n", in_child(exit_from_thread, 0));
	return (oracle_end());
}
