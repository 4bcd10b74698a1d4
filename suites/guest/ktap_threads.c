/*
 * ktap_threads.c - a guest-side test program for threads and futexes:
 * pthread_create/join (clone with CLONE_VM|CLONE_THREAD, set_tid_address
 * and CLONE_CHILD_CLEARTID), thread ids, mutex and condition variable
 * contention, raw futex(2) answers, exit of one thread against
 * exit_group, execve from a threaded process, and signals aimed at a
 * thread (tgkill) or at the process.  Run as init from the suite's
 * cd9660 image; "ktap_threads exit N" just exits N (the execve target).
 * Prints KTAP, then waits on the console.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NTHREADS 4
/* From linux/futex.h, which musl's headers do not carry. */
#define FUTEX_WAIT	   0
#define FUTEX_WAKE	   1
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129
#define NINCR	 20000

static int n;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int turn;
static volatile pid_t handler_tid;

static void
result(int ok, const char *name)
{
	printf("%sok %d %s\n", ok ? "" : "not ", ++n, name);
}

static pid_t
gettid_(void)
{
	return ((pid_t)syscall(SYS_gettid));
}

static long
futex(uint32_t *uaddr, int op, uint32_t val, const struct timespec *ts)
{
	return (syscall(SYS_futex, uaddr, op, val, ts, NULL, 0));
}

static void *
square(void *arg)
{
	uintptr_t v = (uintptr_t)arg;

	return ((void *)(v * v));
}

static int
create_join(void)
{
	pthread_t t[NTHREADS];
	void *r;
	uintptr_t sum = 0;
	int i;

	for (i = 0; i < NTHREADS; i++)
		if (pthread_create(&t[i], NULL, square,
			(void *)(uintptr_t)(i + 1)) != 0)
			return (0);
	for (i = 0; i < NTHREADS; i++) {
		if (pthread_join(t[i], &r) != 0)
			return (0);
		sum += (uintptr_t)r;
	}
	return (sum == 1 + 4 + 9 + 16);
}

static void *
ids(void *arg)
{
	pid_t *out = arg;

	out[0] = getpid();
	out[1] = gettid_();
	return (NULL);
}

static int
thread_ids(void)
{
	pthread_t t;
	pid_t got[2] = { 0, 0 };

	if (pthread_create(&t, NULL, ids, got) != 0 ||
	    pthread_join(t, NULL) != 0)
		return (0);
	return (got[0] == getpid() && got[1] != getpid() && got[1] > 0 &&
	    gettid_() == getpid());
}

static void *
add(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < NINCR; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return (NULL);
}

static int
mutex_contention(void)
{
	pthread_t t[NTHREADS];
	int i;

	counter = 0;
	for (i = 0; i < NTHREADS; i++)
		if (pthread_create(&t[i], NULL, add, NULL) != 0)
			return (0);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	return (counter == (long)NTHREADS * NINCR);
}

static void *
pong(void *arg)
{
	int i;

	(void)arg;
	pthread_mutex_lock(&lock);
	for (i = 0; i < 200; i++) {
		while (turn != 1)
			pthread_cond_wait(&cond, &lock);
		turn = 0;
		pthread_cond_signal(&cond);
	}
	pthread_mutex_unlock(&lock);
	return (NULL);
}

static int
condvar_pingpong(void)
{
	pthread_t t;
	int i;

	turn = 0;
	if (pthread_create(&t, NULL, pong, NULL) != 0)
		return (0);
	pthread_mutex_lock(&lock);
	for (i = 0; i < 200; i++) {
		turn = 1;
		pthread_cond_signal(&cond);
		while (turn != 0)
			pthread_cond_wait(&cond, &lock);
	}
	pthread_mutex_unlock(&lock);
	return (pthread_join(t, NULL) == 0 && i == 200);
}

static int
futex_answers(void)
{
	uint32_t word = 5;
	struct timespec ts = { 0, 20 * 1000 * 1000 }, a, b;
	long ms;

	if (futex(&word, FUTEX_WAIT_PRIVATE, 4, NULL) != -1 || errno != EAGAIN)
		return (0);
	if (futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL) != 0)
		return (0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (futex(&word, FUTEX_WAIT_PRIVATE, 5, &ts) != -1 ||
	    errno != ETIMEDOUT)
		return (0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	if (ms < 20 || ms > 2000)
		return (0);
	if (futex((uint32_t *)((char *)&word + 1), FUTEX_WAKE, 1, NULL) !=
		-1 ||
	    errno != EINVAL)
		return (0);
	return (futex(&word, 99, 0, NULL) == -1 && errno == ENOSYS);
}

static uint32_t wake_word;

static void *
waker(void *arg)
{
	struct timespec d = { 0, 10 * 1000 * 1000 };

	(void)arg;
	nanosleep(&d, NULL);
	__atomic_store_n(&wake_word, 1, __ATOMIC_SEQ_CST);
	return ((void *)futex(&wake_word, FUTEX_WAKE_PRIVATE, 1, NULL));
}

static int
futex_wait_wake(void)
{
	pthread_t t;
	void *woke = NULL;

	wake_word = 0;
	if (pthread_create(&t, NULL, waker, NULL) != 0)
		return (0);
	while (__atomic_load_n(&wake_word, __ATOMIC_SEQ_CST) == 0)
		if (futex(&wake_word, FUTEX_WAIT_PRIVATE, 0, NULL) != 0 &&
		    errno != EAGAIN && errno != EINTR)
			return (0);
	pthread_join(t, &woke);
	return ((uintptr_t)woke <= 1);
}

static void *
spin_forever(void *arg)
{
	(void)arg;
	for (;;)
		;
	return (NULL);
}

static void *
sleep_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return (NULL);
}

/* exit of the main thread's process from a child with busy threads. */
static int
exit_group_ends_threads(void)
{
	int status = 0;
	pid_t pid = fork();
	pthread_t t;

	if (pid == 0) {
		pthread_create(&t, NULL, spin_forever, NULL);
		pthread_create(&t, NULL, sleep_forever, NULL);
		_exit(7);
	}
	return (pid > 0 && waitpid(pid, &status, 0) == pid &&
	    WIFEXITED(status) && WEXITSTATUS(status) == 7);
}

static void *
exit_thread(void *arg)
{
	(void)arg;
	syscall(SYS_exit, 3); /* this thread only */
	return (NULL);
}

/* A thread that exits alone leaves the process running. */
static int
thread_exit_alone(void)
{
	int status = 0;
	pid_t pid = fork();
	pthread_t t;

	if (pid == 0) {
		struct timespec d = { 0, 20 * 1000 * 1000 };

		pthread_create(&t, NULL, exit_thread, NULL);
		nanosleep(&d, NULL);
		_exit(9);
	}
	return (pid > 0 && waitpid(pid, &status, 0) == pid &&
	    WIFEXITED(status) && WEXITSTATUS(status) == 9);
}

static void *
exec_from_thread(void *arg)
{
	char *argv[] = { "/sbin/ktap_threads", "exit", "42", NULL };

	(void)arg;
	execv(argv[0], argv);
	_exit(1); /* not found: fail, do not hang */
}

/* execve from a second thread ends the others and keeps the pid. */
static int
exec_in_thread(void)
{
	int status = 0;
	pid_t pid = fork();
	pthread_t t;

	if (pid == 0) {
		pthread_create(&t, NULL, spin_forever, NULL);
		pthread_create(&t, NULL, exec_from_thread, NULL);
		for (;;)
			pause();
	}
	return (pid > 0 && waitpid(pid, &status, 0) == pid &&
	    WIFEXITED(status) && WEXITSTATUS(status) == 42);
}

static void
on_usr1(int sig)
{
	(void)sig;
	handler_tid = gettid_();
}

static void *
wait_for_usr1(void *arg)
{
	pid_t *tid = arg;

	*tid = gettid_();
	while (handler_tid == 0)
		pause();
	return (NULL);
}

/* tgkill reaches the thread named, and its handler runs there. */
static int
tgkill_targets_thread(void)
{
	pthread_t t;
	volatile pid_t tid = 0;
	struct timespec d = { 0, 1000 * 1000 };

	handler_tid = 0;
	signal(SIGUSR1, on_usr1);
	if (pthread_create(&t, NULL, wait_for_usr1, (void *)&tid) != 0)
		return (0);
	while (tid == 0)
		nanosleep(&d, NULL);
	if (syscall(SYS_tgkill, getpid(), tid, SIGUSR1) != 0)
		return (0);
	pthread_join(t, NULL);
	signal(SIGUSR1, SIG_DFL);
	return (handler_tid == tid &&
	    syscall(SYS_tgkill, getpid(), 999999, SIGUSR1) == -1 &&
	    errno == ESRCH);
}

static void *
unblock_and_wait(void *arg)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	return (wait_for_usr1(arg));
}

/* A signal to the process goes to a thread that does not block it. */
static int
signal_to_process(void)
{
	pthread_t t;
	volatile pid_t tid = 0;
	sigset_t set, old;
	struct timespec d = { 0, 1000 * 1000 };

	handler_tid = 0;
	signal(SIGUSR1, on_usr1);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	if (pthread_create(&t, NULL, unblock_and_wait, (void *)&tid) != 0)
		return (0);
	while (tid == 0)
		nanosleep(&d, NULL);
	kill(getpid(), SIGUSR1);
	pthread_join(t, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
	return (handler_tid == tid);
}

static int
sigtimedwait_takes_blocked(void)
{
	sigset_t set, old;
	struct timespec zero = { 0, 0 };
	siginfo_t si;
	int got;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, &old);
	if ((got = sigtimedwait(&set, &si, &zero)) != -1 || errno != EAGAIN) {
		printf("# sigtimedwait with nothing pending: %d (%s)\n", got,
		    strerror(errno));
		return (0);
	}
	kill(getpid(), SIGUSR2);
	if (sigpending(&old) != 0 || !sigismember(&old, SIGUSR2)) {
		printf("# sigpending does not show SIGUSR2\n");
		return (0);
	}
	got = sigtimedwait(&set, &si, &zero);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	if (got != SIGUSR2 || si.si_signo != SIGUSR2)
		printf("# sigtimedwait: %d (%s), si_signo %d\n", got,
		    strerror(errno), si.si_signo);
	return (got == SIGUSR2 && si.si_signo == SIGUSR2);
}

int
main(int argc, char **argv)
{
	char c;

	if (argc == 3 && strcmp(argv[1], "exit") == 0)
		return (atoi(argv[2]));
	printf("KTAP version 1\n1..12\n");
	result(create_join(), "pthread_create_join");
	result(thread_ids(), "gettid_getpid");
	result(mutex_contention(), "mutex_contention");
	result(condvar_pingpong(), "condvar_pingpong");
	result(futex_answers(), "futex_eagain_etimedout_einval_enosys");
	result(futex_wait_wake(), "futex_wait_wake");
	result(exit_group_ends_threads(), "exit_group_ends_threads");
	result(thread_exit_alone(), "thread_exit_alone");
	result(exec_in_thread(), "execve_from_thread");
	result(tgkill_targets_thread(), "tgkill_targets_thread");
	result(signal_to_process(), "process_signal_unblocked_thread");
	result(sigtimedwait_takes_blocked(), "sigtimedwait_sigpending");
	fflush(stdout);
	for (;;)
		if (read(0, &c, 1) <= 0)
			break;
	return (0);
}
