/*
 * oracle.h - what the oracle programs (suites/guest/oracle_*.c) share:
 * unbuffered output, errno names and the start and end lines.
 *
 * An oracle program runs twice, natively on the host and in the guest,
 * and suites/oracle_test.c compares what it printed line by line: the
 * host is the oracle.  So a program prints only what both kernels must
 * agree on: values, errno names and yes/no answers, never pids,
 * addresses, times, inode numbers or other things that legitimately
 * differ.  Output goes straight to write(2), never through stdio's
 * buffer, so that a fork never duplicates unwritten lines; children
 * report through their exit status or a pipe and the parent prints.
 */
#ifndef SUITES_GUEST_ORACLE_H
#define SUITES_GUEST_ORACLE_H

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *oracle_name;

/* Not every program uses every helper. */
#define ORACLE_HELPER static __attribute__((unused))

/* Prints one formatted line (or part of one) with write(2). */
ORACLE_HELPER void __attribute__((format(printf, 1, 2)))
say(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n, off = 0;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = (int)sizeof(buf) - 1;
	while (off < n) {
		ssize_t w = write(1, buf + off, (size_t)(n - off));

		if (w <= 0 && errno != EINTR)
			break;
		if (w > 0)
			off += (int)w;
	}
}

/* The symbolic name of an errno value (the same on both sides). */
ORACLE_HELPER const char *
ename(int e)
{
	static const struct {
		int e;
		const char *name;
	} names[] = {
		{ 0, "0" },
		{ EPERM, "EPERM" },
		{ ENOENT, "ENOENT" },
		{ ESRCH, "ESRCH" },
		{ EINTR, "EINTR" },
		{ EIO, "EIO" },
		{ ENXIO, "ENXIO" },
		{ E2BIG, "E2BIG" },
		{ ENOEXEC, "ENOEXEC" },
		{ EBADF, "EBADF" },
		{ ECHILD, "ECHILD" },
		{ EAGAIN, "EAGAIN" },
		{ ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" },
		{ EFAULT, "EFAULT" },
		{ EBUSY, "EBUSY" },
		{ EEXIST, "EEXIST" },
		{ EXDEV, "EXDEV" },
		{ ENODEV, "ENODEV" },
		{ ENOTDIR, "ENOTDIR" },
		{ EISDIR, "EISDIR" },
		{ EINVAL, "EINVAL" },
		{ ENFILE, "ENFILE" },
		{ EMFILE, "EMFILE" },
		{ ENOTTY, "ENOTTY" },
		{ EFBIG, "EFBIG" },
		{ ENOSPC, "ENOSPC" },
		{ ESPIPE, "ESPIPE" },
		{ EROFS, "EROFS" },
		{ EMLINK, "EMLINK" },
		{ EPIPE, "EPIPE" },
		{ ERANGE, "ERANGE" },
		{ ENAMETOOLONG, "ENAMETOOLONG" },
		{ ENOSYS, "ENOSYS" },
		{ ENOTEMPTY, "ENOTEMPTY" },
		{ ELOOP, "ELOOP" },
		{ EOPNOTSUPP, "EOPNOTSUPP" },
		{ EOVERFLOW, "EOVERFLOW" },
		{ ETIMEDOUT, "ETIMEDOUT" },
	};
	static char other[24];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return (names[i].name);
	snprintf(other, sizeof(other), "errno %d", e);
	return (other);
}

/* Prints "what: N" for a call's result r, or "what: ENAME" for -1. */
ORACLE_HELPER void
num(const char *what, long r)
{
	if (r < 0)
		say("%s: %s\n", what, ename(errno));
	else
		say("%s: %ld\n", what, r);
}

/* Prints "what: ok" when r is not negative, else "what: ENAME". */
ORACLE_HELPER void
ok(const char *what, long r)
{
	if (r < 0)
		say("%s: %s\n", what, ename(errno));
	else
		say("%s: ok\n", what);
}

/* Prints "what: yes" or "what: no". */
ORACLE_HELPER void
yes(const char *what, int cond)
{
	say("%s: %s\n", what, cond ? "yes" : "no");
}

/* Describes a wait(2) status without anything host-specific. */
ORACLE_HELPER const char *
wstatus(int st)
{
	static char buf[48];

	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exited %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "killed by %d", WTERMSIG(st));
	else
		snprintf(buf, sizeof(buf), "status %#x", st);
	return (buf);
}

/* Forks; the child runs fn(arg) and exits with what it returns.  Returns
 * the child's wait status, described. */
ORACLE_HELPER const char *
in_child(int (*fn)(long), long arg)
{
	pid_t pid = fork();
	int st = 0;

	if (pid < 0)
		return ("fork failed");
	if (pid == 0)
		_exit(fn(arg));
	if (waitpid(pid, &st, 0) != pid)
		return ("waitpid failed");
	return (wstatus(st));
}

/*
 * The first thing a program does: the same starting state on both sides
 * (no descriptors above 2 inherited from the harness, every signal at its
 * default action and unblocked) and the first line.
 */
ORACLE_HELPER void
oracle_begin(const char *name)
{
	struct sigaction sa;
	sigset_t none;

	oracle_name = name;
	for (int fd = 3; fd < 1024; fd++)
		close(fd);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (int s = 1; s < 65; s++)
		if (s != SIGKILL && s != SIGSTOP)
			sigaction(s, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	say("%s: begin\n", name);
}

/* The last line: the suite requires it on both sides. */
ORACLE_HELPER int
oracle_end(void)
{
	say("%s: done\n", oracle_name);
	return (0);
}

#endif /* SUITES_GUEST_ORACLE_H */
