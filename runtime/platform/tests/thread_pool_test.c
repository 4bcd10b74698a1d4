/*
 * thread_pool_test.c - unit tests of host_thread_create()'s pool: a host
 * thread whose function returned runs the next one, every function runs
 * under its own name and its creator's signal mask, many creates at once
 * all run, and no more threads stay parked than the cap (or longer than
 * the idle time).
 */
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "runtime/platform/platform.h"
#include "runtime/platform/tests/platform_test.h"

TestSuite(thread_pool, .timeout = 30);

/* What one function saw of its host thread. */
struct seen {
	pthread_mutex_t lock;
	pthread_cond_t cv;
	int done;
	pid_t tid;
	char name[16];
	sigset_t mask;
};

static struct seen seen[2];

static void
record(void *arg)
{
	struct seen *s = arg;

	pthread_mutex_lock(&s->lock);
	s->tid = (pid_t)syscall(SYS_gettid);
	prctl(PR_GET_NAME, s->name, 0, 0, 0);
	pthread_sigmask(SIG_SETMASK, NULL, &s->mask);
	s->done = 1;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->lock);
}

static void
seen_wait(struct seen *s)
{
	pthread_mutex_lock(&s->lock);
	while (!s->done)
		pthread_cond_wait(&s->cv, &s->lock);
	pthread_mutex_unlock(&s->lock);
}

/* Waits up to 5 s for host_thread_idle() to be n. */
static void
idle_wait(int n)
{
	int i;

	for (i = 0; i < 5000 && host_thread_idle() != n; i++)
		usleep(1000);
	cr_assert_eq(host_thread_idle(), n, "parked: %d, not %d",
	    host_thread_idle(), n);
}

/* The host threads of this process now (/proc/self/task). */
static int
task_count(void)
{
	struct dirent *d;
	DIR *dir = opendir("/proc/self/task");
	int n = 0;

	cr_assert_not_null(dir);
	while ((d = readdir(dir)) != NULL)
		if (d->d_name[0] != '.')
			n++;
	closedir(dir);
	return (n);
}

Test(thread_pool, a_parked_thread_runs_the_next_function)
{
	sigset_t usr1;

	for (int i = 0; i < 2; i++) {
		pthread_mutex_init(&seen[i].lock, NULL);
		pthread_cond_init(&seen[i].cv, NULL);
	}
	cr_assert_eq(host_thread_create(record, &seen[0], "first"), 0);
	seen_wait(&seen[0]);
	idle_wait(1);
	/* The second creator blocks SIGUSR1: the reused thread does too. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	cr_assert_eq(host_thread_create(record, &seen[1],
			 "a-name-longer-than-fifteen"),
	    0);
	pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
	seen_wait(&seen[1]);
	cr_assert_eq(seen[0].tid, seen[1].tid, "not reused: %d then %d",
	    seen[0].tid, seen[1].tid);
	cr_assert_neq(seen[0].tid, (pid_t)syscall(SYS_gettid));
	cr_assert_str_eq(seen[0].name, "first");
	cr_assert_str_eq(seen[1].name, "a-name-longer-t");
	cr_assert(!sigismember(&seen[0].mask, SIGUSR1));
	cr_assert(sigismember(&seen[1].mask, SIGUSR1));
	idle_wait(1);
}

/* Many functions at once: each waits until all have started. */
#define MANY 40
static pthread_mutex_t many_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t many_cv = PTHREAD_COND_INITIALIZER;
static int many_started, many_ran;
static pid_t many_tids[MANY];

static void
gather(void *arg)
{
	pthread_mutex_lock(&many_lock);
	many_tids[(intptr_t)arg] = (pid_t)syscall(SYS_gettid);
	many_started++;
	pthread_cond_broadcast(&many_cv);
	while (many_started < MANY)
		pthread_cond_wait(&many_cv, &many_lock);
	many_ran++;
	pthread_cond_broadcast(&many_cv);
	pthread_mutex_unlock(&many_lock);
}

static void
run_many(void)
{
	int i, j;

	many_started = many_ran = 0;
	for (i = 0; i < MANY; i++)
		cr_assert_eq(host_thread_create(gather, (void *)(intptr_t)i,
				 "many"),
		    0);
	pthread_mutex_lock(&many_lock);
	while (many_ran < MANY)
		pthread_cond_wait(&many_cv, &many_lock);
	pthread_mutex_unlock(&many_lock);
	/* All ran at the same time, so on MANY different threads. */
	for (i = 0; i < MANY; i++)
		for (j = i + 1; j < MANY; j++)
			cr_assert_neq(many_tids[i], many_tids[j]);
}

Test(thread_pool, many_at_once_and_the_cap_holds)
{
	int base = task_count();

	run_many();
	/* 16 park, the other 24 end. */
	idle_wait(16);
	for (int i = 0; i < 5000 && task_count() != base + 16; i++)
		usleep(1000);
	cr_assert_eq(task_count(), base + 16);
	/* Again: 16 are reused, 24 more are made, and 16 stay. */
	run_many();
	idle_wait(16);
	for (int i = 0; i < 5000 && task_count() != base + 16; i++)
		usleep(1000);
	cr_assert_eq(task_count(), base + 16);
}

static void
nothing(void *arg)
{
	(void)arg;
}

Test(thread_pool, parked_threads_end_after_the_idle_time)
{
	int base = task_count();

	host_thread_pool_limits(4, 100 * 1000 * 1000); /* 100 ms */
	for (int i = 0; i < 3; i++)
		cr_assert_eq(host_thread_create(nothing, NULL, "brief"), 0);
	for (int i = 0; i < 5000 && host_thread_idle() != 0; i++)
		usleep(1000);
	cr_assert_eq(host_thread_idle(), 0);
	for (int i = 0; i < 5000 && task_count() != base; i++)
		usleep(1000);
	cr_assert_eq(task_count(), base);
	host_thread_pool_limits(0, 1000000000); /* no pool at all */
	cr_assert_eq(host_thread_create(nothing, NULL, "brief"), 0);
	usleep(50 * 1000);
	cr_assert_eq(host_thread_idle(), 0);
}

/* A host fork's child has no parked threads, and can make its own. */
Test(thread_pool, a_forked_child_starts_with_an_empty_pool)
{
	pid_t pid;
	int status;

	for (int i = 0; i < 2; i++) {
		pthread_mutex_init(&seen[i].lock, NULL);
		pthread_cond_init(&seen[i].cv, NULL);
	}
	cr_assert_eq(host_thread_create(record, &seen[0], "parent"), 0);
	seen_wait(&seen[0]);
	idle_wait(1);
	if ((pid = fork()) == 0) {
		if (host_thread_idle() != 0 ||
		    host_thread_create(record, &seen[1], "child") != 0)
			_exit(1);
		seen_wait(&seen[1]);
		_exit(seen[1].tid != seen[0].tid && host_thread_idle() <= 1 ?
			0 :
			2);
	}
	cr_assert_gt(pid, 0);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "child status %#x", status);
	cr_assert_eq(host_thread_idle(), 1);
}
