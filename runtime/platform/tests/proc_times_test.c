/*
 * proc_times_test.c - unit tests of host_proc_times(): a child that spins
 * in user mode shows user time, one that makes system calls shows system
 * time, both agree with /proc/pid/stat, and a process that is gone is an
 * error.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/platform/platform.h"
#include "runtime/platform/tests/platform_test.h"

TestSuite(proc_times, .timeout = 30);

/* user + system time of pid in ns, from /proc/pid/stat (the reference). */
static uint64_t
stat_total(pid_t pid)
{
	unsigned long long ut, st;
	char path[64], buf[1024], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	cr_assert_geq(fd = open(path, O_RDONLY), 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	cr_assert_gt(n, 0);
	buf[n] = '\0';
	cr_assert_not_null(p = strrchr(buf, ')'));
	cr_assert_eq(sscanf(p + 1,
			 " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu "
			 "%llu",
			 &ut, &st),
	    2);
	return ((ut + st) * (1000000000ULL / (uint64_t)sysconf(_SC_CLK_TCK)));
}

/* A child that spins (user time) or calls getppid (system time). */
static pid_t
busy_child(int syscalls)
{
	volatile unsigned long x = 0;
	pid_t pid;

	if ((pid = fork()) == 0) {
		/* Never outlives the test, even one that fails. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		alarm(20);
		for (;;)
			if (syscalls)
				(void)getppid();
			else
				x++;
	}
	cr_assert_gt(pid, 0);
	usleep(300 * 1000);
	return (pid);
}

static void
end_child(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

Test(proc_times, user_time_of_a_spinning_child)
{
	uint64_t ut, st, ref;
	pid_t pid = busy_child(0);
	int error;

	error = host_proc_times(pid, &ut, &st);
	ref = stat_total(pid);
	end_child(pid);
	cr_assert_eq(error, 0);
	cr_assert_gt(ut, 100 * 1000 * 1000ULL, "user %llu ns",
	    (unsigned long long)ut);
	cr_assert_lt(st, ut / 4, "system %llu ns", (unsigned long long)st);
	/* /proc counts in ticks of 10 ms, read a little later. */
	cr_assert_lt(ut + st, ref + 50 * 1000 * 1000ULL);
	cr_assert_gt(ut + st + 50 * 1000 * 1000ULL, ref);
}

Test(proc_times, system_time_of_a_child_in_system_calls)
{
	uint64_t ut, st;
	pid_t pid = busy_child(1);
	int error;

	error = host_proc_times(pid, &ut, &st);
	end_child(pid);
	cr_assert_eq(error, 0);
	cr_assert_gt(st, 10 * 1000 * 1000ULL, "system %llu ns",
	    (unsigned long long)st);
}

Test(proc_times, a_process_that_is_gone)
{
	uint64_t ut, st;
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	cr_assert_neq(host_proc_times(pid, &ut, &st), 0);
}
