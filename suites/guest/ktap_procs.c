/*
 * ktap_procs.c - a guest-side test program for processes and time: fork
 * with copy-on-write memory, wait4 with exit statuses and WNOHANG, execve
 * with arguments and environment, orphans, clock_gettime and nanosleep.
 * Run as init from the suite's cd9660 image; "ktap_procs exit N" just
 * exits N (the execve target).  Prints KTAP, then waits on the console.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int
main(int argc, char **argv)
{
	char c;

	if (argc == 3 && strcmp(argv[1], "exit") == 0) {
		const char *e = getenv("VIREO_TEST");

		return (e != NULL && strcmp(e, "yes") == 0 ? atoi(argv[2]) : 1);
	}
	printf("KTAP version 1\n1..8\n");
	result(fork_and_wait(), "fork_wait_getppid");
	result(copy_on_write(), "fork_copy_on_write");
	result(exec_with_args(), "execve_args_env");
	result(exec_errors(), "execve_errors");
	result(wait_rules(), "wait4_wnohang_echild");
	result(killed_by_fault(), "fault_kills_child_sigsegv");
	result(many_children(), "eight_children");
	result(clocks(), "clock_gettime_nanosleep");
	fflush(stdout);
	for (;;)
		if (read(0, &c, 1) <= 0)
			break;
	return (0);
}
