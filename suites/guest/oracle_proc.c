/*
 * oracle_proc.c - processes, checked against the host (suites/oracle_test.c
 * runs it natively and in the guest and compares the output): fork, exit
 * statuses, death by signals, wait4/waitpid options and errors, orphans
 * reparented, process groups and sessions, execve of itself.
 *
 * Usage: oracle_proc ROOT (ROOT is unused; every oracle program takes it).
 * Run with "exit N" as arguments it is the program executed, and exits
 * with status N.  Cases where the kernel is known to differ would be
 * marked XXX and compiled only with -DORACLE_ALL (none are left).
 */
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "oracle.h"

/* A pid no kernel hands out (Linux's pid_max is at most 2^22). */
#define NOPID 2147483000

static volatile sig_atomic_t chld_seen;

static void
on_chld(int sig)
{
	(void)sig;
	chld_seen = 1;
}

static int
exit_with(long code)
{
	return ((int)code);
}

static int
kill_self(long sig)
{
	kill(getpid(), (int)sig);
	return (100); /* not reached for a deadly signal */
}

static int
do_abort(long unused)
{
	(void)unused;
	abort();
}

static void
statuses(void)
{
	static const int codes[] = { 0, 1, 42, 127, 255, 256 + 3 };
	static const int sigs[] = { SIGTERM, SIGKILL, SIGUSR1, SIGHUP, SIGALRM,
		SIGPIPE };
	char what[48];

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		snprintf(what, sizeof(what), "_exit(%d)", codes[i]);
		say("%s: %s\n", what, in_child(exit_with, codes[i]));
	}
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		snprintf(what, sizeof(what), "kill(self, %d)", sigs[i]);
		say("%s: %s\n", what, in_child(kill_self, sigs[i]));
	}
	/* Ignored by default: the child lives on. */
	say("kill(self, SIGCHLD): %s\n", in_child(kill_self, SIGCHLD));
	say("kill(self, SIGWINCH): %s\n", in_child(kill_self, SIGWINCH));
	say("kill(self, SIGURG): %s\n", in_child(kill_self, SIGURG));
	say("abort: %s\n", in_child(do_abort, 0));
}

/* wait4 and waitpid: errors, WNOHANG, order of several children. */
static void
waiting(void)
{
	pid_t kids[3], pid;
	int st, fds[2];
	char c;

	errno = 0;
	num("wait4 without children", wait4(-1, &st, 0, NULL));
	num("waitpid(parent)", waitpid(getppid(), &st, 0));
	num("waitpid bad options", waitpid(-1, &st, 0x1000));
	/* A running child: WNOHANG answers 0. */
	if (pipe(fds) != 0)
		return;
	if ((pid = fork()) == 0) {
		close(fds[1]);
		read(fds[0], &c, 1);
		_exit(9);
	}
	close(fds[0]);
	num("WNOHANG with a running child", waitpid(pid, &st, WNOHANG));
	close(fds[1]);
	yes("waitpid after the child ends", waitpid(pid, &st, 0) == pid);
	say("its status: %s\n", wstatus(st));
	/* Three children, reaped in the reverse order of their births. */
	for (int i = 0; i < 3; i++)
		if ((kids[i] = fork()) == 0)
			_exit(10 + i);
	for (int i = 2; i >= 0; i--) {
		yes("waitpid(kid)", waitpid(kids[i], &st, 0) == kids[i]);
		say("kid %d: %s\n", i, wstatus(st));
	}
	num("no more children", waitpid(-1, &st, WNOHANG));
	{
		sigset_t chld, none;

		/* SIGCHLD (caught, blocked until the wait) marks the moment
		 * the child is a zombie. */
		sigemptyset(&chld);
		sigaddset(&chld, SIGCHLD);
		sigemptyset(&none);
		signal(SIGCHLD, on_chld);
		sigprocmask(SIG_BLOCK, &chld, NULL);
		if ((pid = fork()) == 0)
			_exit(0);
		while (!chld_seen)
			sigsuspend(&none);
		sigprocmask(SIG_UNBLOCK, &chld, NULL);
		signal(SIGCHLD, SIG_DFL);
		ok("kill(zombie, 0)", kill(pid, 0));
	}
	yes("reaped", waitpid(pid, &st, 0) == pid);
	num("kill(reaped, 0)", kill(pid, 0));
	/* rusage of a child is filled in (the values are not compared). */
	if ((pid = fork()) == 0)
		_exit(5);
	{
		struct rusage ru;

		memset(&ru, 0xff, sizeof(ru));
		yes("wait4 with rusage", wait4(pid, &st, 0, &ru) == pid);
		say("its status: %s\n", wstatus(st));
	}
}

/* An orphan gets a new parent; its first parent cannot reap it. */
static void
orphans(void)
{
	int fds[2], st;
	pid_t child, grandchild = 0;
	char answer[8] = "";

	if (pipe(fds) != 0)
		return;
	if ((child = fork()) == 0) {
		pid_t me = getpid();

		if (fork() == 0) {
			struct timespec ts = { 0, 1000000 };
			pid_t mine = getpid();
			int i;

			/* Wait until the parent is gone. */
			for (i = 0; i < 5000 && getppid() == me; i++)
				nanosleep(&ts, NULL);
			write(fds[1], &mine, sizeof(mine));
			write(fds[1], getppid() != me ? "moved" : "stuck", 5);
			_exit(0);
		}
		_exit(3);
	}
	close(fds[1]);
	yes("child reaped", waitpid(child, &st, 0) == child);
	say("child: %s\n", wstatus(st));
	if (read(fds[0], &grandchild, sizeof(grandchild)) == sizeof(grandchild))
		read(fds[0], answer, 5);
	close(fds[0]);
	say("orphan: %s\n", answer);
	num("waitpid(orphan)", waitpid(grandchild, &st, 0));
}

/* Process groups and sessions of a child. */
static int
groups_child(long unused)
{
	int bad = 0;

	(void)unused;
	bad |= (getpgrp() == getpid()) << 0; /* born in the parent's group */
	bad |= (setpgid(0, 0) != 0) << 1;
	bad |= (getpgrp() != getpid()) << 2;
	bad |= (getpgid(0) != getpid()) << 3;
	/* A group leader cannot make a new session. */
	bad |= (setsid() != -1 || errno != EPERM) << 4;
	return (bad);
}

static int
session_child(long unused)
{
	int bad = 0;

	(void)unused;
	bad |= (setsid() != getpid()) << 0;
	bad |= (getsid(0) != getpid()) << 1;
	bad |= (getpgrp() != getpid()) << 2;
	/* Now a session (and group) leader: no second session. */
	bad |= (setsid() != -1 || errno != EPERM) << 3;
	bad |= (setpgid(0, 0) != -1 || errno != EPERM) << 4;
	return (bad);
}

static void
groups(void)
{
	say("child process group: %s\n", in_child(groups_child, 0));
	say("child session: %s\n", in_child(session_child, 0));
	num("setpgid(no such pid)", setpgid(NOPID, 0));
	num("getpgid(no such pid)", getpgid(NOPID));
	num("getsid(no such pid)", getsid(NOPID));
	num("kill(no such pid, 0)", kill(NOPID, 0));
	num("kill(bad signal)", kill(getpid(), 99));
}

static void
exec_self(const char *self)
{
	pid_t pid, me = getpid();
	int st;

	if ((pid = fork()) == 0) {
		char *args[] = { (char *)self, "exit", "7", NULL };
		char *env[] = { NULL };

		execve(self, args, env);
		_exit(99);
	}
	yes("exec child reaped", waitpid(pid, &st, 0) == pid);
	say("execve(self, exit 7): %s\n", wstatus(st));
	/* vfork: the parent waits until the child exits. */
	if ((pid = vfork()) == 0)
		_exit(4);
	yes("vfork child reaped", waitpid(pid, &st, 0) == pid);
	say("vfork: %s\n", wstatus(st));
	/* getppid in the child is our pid. */
	if ((pid = fork()) == 0)
		_exit(getppid() == me ? 0 : 1);
	waitpid(pid, &st, 0);
	say("child's getppid is our pid: %s\n", wstatus(st));
}

int
main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "exit") == 0)
		return (atoi(argv[2]));
	oracle_begin("oracle_proc");
	statuses();
	waiting();
	orphans();
	groups();
	exec_self(argv[0]);
	return (oracle_end());
}
