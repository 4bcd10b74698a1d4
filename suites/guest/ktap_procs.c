/*
 * ktap_procs.c - a guest-side test program for processes and time: fork
 * with copy-on-write memory, wait4 with exit statuses and WNOHANG, execve
 * with arguments and environment, orphans, clock_gettime and nanosleep,
 * and vfork's suspended parent (until the child's execve or end, killable
 * only by SIGKILL).  Run as init from the suite's cd9660 image;
 * "ktap_procs exit N" just exits N (the execve target), "ktap_procs sleep
 * MS" sleeps MS milliseconds and exits 6.  Prints KTAP, then waits on the
 * console.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int n;
static volatile int shared_value = 1;

static void
result(int ok, const char *name)
{
	printf("%sok %d %s\n", ok ? "" : "not ", ++n, name);
}

static int
fork_and_wait(void)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0)
		_exit(getppid() == 1 ? 3 : 4);
	return (pid > 1 && waitpid(pid, &status, 0) == pid &&
	    WIFEXITED(status) && WEXITSTATUS(status) == 3);
}

static int
copy_on_write(void)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		shared_value = 99;
		_exit(shared_value == 99 ? 0 : 1);
	}
	return (pid > 0 && waitpid(pid, &status, 0) == pid &&
	    WEXITSTATUS(status) == 0 && shared_value == 1);
}

static int
exec_with_args(void)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { "/sbin/ktap_procs", "exit", "42", NULL };
		char *envp[] = { "VIREO_TEST=yes", NULL };

		execve(argv[0], argv, envp);
		_exit(127);
	}
	return (pid > 0 && waitpid(pid, &status, 0) == pid &&
	    WIFEXITED(status) && WEXITSTATUS(status) == 42);
}

static int
exec_errors(void)
{
	char *argv[] = { "x", NULL };

	return (execve("/nope", argv, argv + 1) == -1 && errno == ENOENT &&
	    execve("/etc", argv, argv + 1) == -1 && errno == EACCES);
}

static int
wait_rules(void)
{
	int status;
	pid_t pid;
	struct timespec ts = { 0, 100 * 1000 * 1000 };

	if (waitpid(-1, &status, WNOHANG) != -1 || errno != ECHILD)
		return (0);
	pid = fork();
	if (pid == 0) {
		nanosleep(&ts, NULL);
		_exit(5);
	}
	if (waitpid(pid, &status, WNOHANG) != 0)
		return (0); /* still running */
	return (waitpid(-1, &status, 0) == pid && WEXITSTATUS(status) == 5 &&
	    waitpid(pid, &status, 0) == -1 && errno == ECHILD);
}

static int
killed_by_fault(void)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		*(volatile int *)8 = 1;
		_exit(0);
	}
	return (pid > 0 && waitpid(pid, &status, 0) == pid &&
	    WIFSIGNALED(status) && WTERMSIG(status) == 11);
}

static int
many_children(void)
{
	int i, status, sum = 0;
	pid_t pid;

	for (i = 0; i < 8; i++) {
		pid = fork();
		if (pid == 0)
			_exit(i);
		if (pid < 0)
			return (0);
	}
	for (i = 0; i < 8; i++) {
		if (wait(&status) < 0)
			return (0);
		sum += WEXITSTATUS(status);
	}
	return (sum == 28);
}

static int
clocks(void)
{
	struct timespec a, b, d = { 0, 50 * 1000 * 1000 };
	long ms;

	if (clock_gettime(CLOCK_MONOTONIC, &a) != 0 ||
	    nanosleep(&d, NULL) != 0 || clock_gettime(CLOCK_MONOTONIC, &b) != 0)
		return (0);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	return (ms >= 50 && ms < 2000 && time(NULL) > 1700000000);
}

/* --- vfork: the parent waits for the child's execve or end --- */

static void
nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

static long
ms_since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return ((b.tv_sec - a->tv_sec) * 1000 +
	    (b.tv_nsec - a->tv_nsec) / 1000000);
}

/* True when child pid has ended (waited for, not blocking) with status. */
static int
ended_with(pid_t pid, int want)
{
	int status = -1;

	return (waitpid(pid, &status, WNOHANG) == pid && status == want);
}

/* The child sleeps 50 ms and exits: the parent runs on only after it. */
static int
vfork_waits_for_exit(void)
{
	struct timespec t0;
	pid_t pid;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = vfork()) == 0) {
		nap_ms(50);
		_exit(7);
	}
	ms = ms_since(&t0);
	/* Already a zombie when vfork returns. */
	return (pid > 0 && ms >= 50 && ended_with(pid, 7 << 8));
}

/*
 * The child sleeps 50 ms and executes a program that sleeps 300 ms: the
 * parent runs on at the execve, while the program still runs.
 */
static int
vfork_resumes_at_execve(void)
{
	struct timespec t0;
	int status = 0, ok;
	pid_t pid;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = vfork()) == 0) {
		char *argv[] = { "/sbin/ktap_procs", "sleep", "300", NULL };
		char *envp[] = { NULL };

		nap_ms(50);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	ms = ms_since(&t0);
	ok = pid > 0 && ms >= 50 && ms < 300 &&
	    waitpid(pid, &status, WNOHANG) == 0;
	return (ok && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 6);
}

/* A failed execve does not end the wait: the child's exit does. */
static int
vfork_failed_execve_waits_on(void)
{
	struct timespec t0;
	pid_t pid;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = vfork()) == 0) {
		char *argv[] = { "/nope", NULL };

		execve(argv[0], argv, argv + 1);
		nap_ms(50);
		_exit(8);
	}
	ms = ms_since(&t0);
	return (pid > 0 && ms >= 50 && ended_with(pid, 8 << 8));
}

/* Another process kills the child after 50 ms: the parent runs on then. */
static int
vfork_child_killed(void)
{
	struct timespec t0;
	int fds[2], status = 0, ok;
	pid_t killer, pid;
	long ms;

	if (pipe(fds) != 0)
		return (0);
	if ((killer = fork()) == 0) {
		pid_t victim = 0;

		close(fds[1]);
		if (read(fds[0], &victim, sizeof(victim)) != sizeof(victim))
			_exit(1);
		nap_ms(50);
		_exit(kill(victim, SIGKILL) == 0 ? 0 : 2);
	}
	close(fds[0]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = vfork()) == 0) {
		pid_t self = getpid();

		if (write(fds[1], &self, sizeof(self)) != sizeof(self))
			_exit(1);
		nap_ms(5000);
		_exit(3);
	}
	ms = ms_since(&t0);
	close(fds[1]);
	ok = killer > 0 && pid > 0 && ms >= 50 && ms < 4000 &&
	    ended_with(pid, SIGKILL);
	return (waitpid(killer, &status, 0) == killer && status == 0 && ok);
}

static volatile sig_atomic_t usr1_seen;

static void
on_usr1(int sig)
{
	(void)sig;
	usr1_seen++;
}

/*
 * A signal with a handler does not cut the wait short (Linux's vfork
 * wait is killable only): vfork returns the pid after the child's end,
 * and the handler runs then.
 */
static int
vfork_wait_not_interrupted(void)
{
	struct sigaction sa, old;
	struct timespec t0;
	pid_t pid;
	long ms;
	int ok;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1; /* no SA_RESTART: an EINTR would show */
	sigemptyset(&sa.sa_mask);
	usr1_seen = 0;
	if (sigaction(SIGUSR1, &sa, &old) != 0)
		return (0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = vfork()) == 0) {
		kill(getppid(), SIGUSR1);
		nap_ms(50);
		_exit(4);
	}
	ms = ms_since(&t0);
	ok = pid > 0 && ms >= 50 && usr1_seen == 1 && ended_with(pid, 4 << 8);
	sigaction(SIGUSR1, &old, NULL);
	return (ok);
}

/*
 * SIGKILL ends the wait: a process whose vfork child sleeps 3 s is
 * killed at once.  The child, an orphan now, is init's (this program's)
 * to kill and reap.
 */
static int
vfork_parent_killable(void)
{
	struct timespec t0;
	int fds[2], status = 0, ok;
	pid_t mid, child = 0;
	long ms;

	if (pipe(fds) != 0)
		return (0);
	if ((mid = fork()) == 0) {
		close(fds[0]);
		if (vfork() == 0) {
			pid_t self = getpid();

			if (write(fds[1], &self, sizeof(self)) != sizeof(self))
				_exit(1);
			nap_ms(3000);
			_exit(0);
		}
		_exit(5); /* not before the child's end */
	}
	close(fds[1]);
	if (mid < 0 || read(fds[0], &child, sizeof(child)) != sizeof(child))
		return (0);
	close(fds[0]);
	nap_ms(20); /* mid is in its vfork wait */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ok = kill(mid, SIGKILL) == 0 && waitpid(mid, &status, 0) == mid &&
	    WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL &&
	    (ms = ms_since(&t0)) < 1000;
	/* The orphan is reparented to init, this program. */
	kill(child, SIGKILL);
	return (waitpid(child, &status, 0) == child && ok);
}

/* clone(CLONE_VFORK) without CLONE_VM waits as vfork does. */
static int
clone_vfork_waits(void)
{
	struct timespec t0;
	long pid, ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = syscall(SYS_clone, CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		nap_ms(50);
		_exit(9);
	}
	ms = ms_since(&t0);
	return (pid > 0 && ms >= 50 && ended_with((pid_t)pid, 9 << 8));
}

int
main(int argc, char **argv)
{
	char c;

	if (argc == 3 && strcmp(argv[1], "exit") == 0) {
		const char *e = getenv("VIREO_TEST");

		return (e != NULL && strcmp(e, "yes") == 0 ? atoi(argv[2]) : 1);
	}
	if (argc == 3 && strcmp(argv[1], "sleep") == 0) {
		nap_ms(atol(argv[2]));
		return (6);
	}
	printf("KTAP version 1\n1..15\n");
	result(fork_and_wait(), "fork_wait_getppid");
	result(copy_on_write(), "fork_copy_on_write");
	result(exec_with_args(), "execve_args_env");
	result(exec_errors(), "execve_errors");
	result(wait_rules(), "wait4_wnohang_echild");
	result(killed_by_fault(), "fault_kills_child_sigsegv");
	result(many_children(), "eight_children");
	result(clocks(), "clock_gettime_nanosleep");
	result(vfork_waits_for_exit(), "vfork_parent_waits_for_exit");
	result(vfork_resumes_at_execve(), "vfork_parent_resumes_at_execve");
	result(vfork_failed_execve_waits_on(), "vfork_failed_execve_waits_on");
	result(vfork_child_killed(), "vfork_parent_resumes_when_child_killed");
	result(vfork_wait_not_interrupted(), "vfork_wait_not_interrupted");
	result(vfork_parent_killable(), "vfork_parent_killed_by_sigkill");
	result(clone_vfork_waits(), "clone_vfork_parent_waits");
	fflush(stdout);
	for (;;)
		if (read(0, &c, 1) <= 0)
			break;
	return (0);
}
