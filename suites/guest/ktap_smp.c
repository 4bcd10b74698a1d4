/*
 * ktap_smp.c - a guest-side test program: with -n 2 two busy threads
 * really run at the same time; with -n 1 they never do.
 *
 * Two threads spin for 300 ms, each bumping its own counter and watching
 * the other's, with no system call in the loop (the time stamp counter
 * says how far apart two iterations are).  When the other's counter moves
 * between two consecutive iterations of this thread that are less than
 * about 10 us apart, both ran in that instant: an overlap.  With one
 * virtual cpu the other thread can only move while this one is
 * descheduled, which takes a whole time slice (10 ms), so the count must
 * be zero; with two it must not be (up to five tries, as a loaded host
 * may not give both threads a core at the same time at first).  It also
 * prints how long a fixed amount of work takes on one thread and on two
 * at once (the speed-up the second cpu gives).  Reads the number of cpus
 * with sched_getaffinity (sysconf).  Prints KTAP, then waits on the
 * console.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define RUN_NS	  (300 * 1000 * 1000LL)
#define CLOSE_TSC 20000 /* cycles: 10 us at 2 GHz */
#define WORK	  (40 * 1000 * 1000L)

static volatile uint64_t counter[2];
static volatile int go;
static uint64_t overlaps[2];

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1000000000LL + ts.tv_nsec);
}

static uint64_t
tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32 | lo);
}

static void *
spin(void *arg)
{
	int me = (int)(intptr_t)arg, other = 1 - me;
	int64_t start = now_ns();
	uint64_t seen, t, last;

	while (!go)
		;
	last = tsc();
	seen = counter[other];
	for (;;) {
		counter[me]++;
		t = tsc();
		if (counter[other] != seen) {
			if (t - last < CLOSE_TSC)
				overlaps[me]++;
			seen = counter[other];
		}
		last = t;
		if ((counter[me] & 0xfff) == 0 && now_ns() - start > RUN_NS)
			break;
	}
	return (NULL);
}

static void *
work(void *arg)
{
	volatile long x = 0;

	(void)arg;
	for (long i = 0; i < WORK; i++)
		x += i;
	return (NULL);
}

/* Wall-clock ns for nthreads threads doing WORK each at once. */
static int64_t
timed_work(int nthreads)
{
	pthread_t t[2];
	int64_t start = now_ns();

	for (int i = 0; i < nthreads; i++)
		pthread_create(&t[i], NULL, work, NULL);
	for (int i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	return (now_ns() - start);
}

int
main(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	pthread_t t[2];
	int64_t one, two;
	uint64_t total;
	char c;

	printf("KTAP version 1\n1..2\n");
	printf("%sok 1 sched_getaffinity_counts_cpus\n", ncpu >= 1 ? "" : "not ");
	total = 0;
	for (int try = 0; try < (ncpu >= 2 ? 5 : 1) && total == 0; try++) {
		go = 0;
		for (int i = 0; i < 2; i++)
			pthread_create(&t[i], NULL, spin, (void *)(intptr_t)i);
		go = 1;
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		total = overlaps[0] + overlaps[1];
	}
	one = timed_work(1);
	two = timed_work(2);
	printf("# ncpu=%ld overlaps=%llu work: one thread %lld us, two %lld "
	       "us (%.2fx the time of one)\n",
	    ncpu, (unsigned long long)total, (long long)(one / 1000),
	    (long long)(two / 1000), (double)two / (double)one);
	if (ncpu >= 2)
		printf("%sok 2 two_cpus_run_two_threads_at_once\n",
		    total > 0 ? "" : "not ");
	else
		printf("%sok 2 one_cpu_runs_one_thread_at_a_time\n",
		    total == 0 ? "" : "not ");
	fflush(stdout);
	for (;;)
		if (read(0, &c, 1) <= 0)
			break;
	return (0);
}
