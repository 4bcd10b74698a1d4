/*
 * ktap_jobs.c - a guest-side test program for job control: stop and
 * continue signals with wait4(WUNTRACED|WCONTINUED) and waitid, SIGCHLD
 * and SA_NOCLDSTOP, a stopped process really not running, SIGKILL of a
 * stopped process, and the controlling terminal: /dev/tty, tcgetpgrp and
 * tcsetpgrp, SIGTTIN for a background read and SIGTTOU for a background
 * write with TOSTOP.  Run as init (a session leader with the console as
 * its terminal) from the suite's cd9660 image.  Prints KTAP, then waits
 * on the console.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static int n;
static volatile int chld_count;

static void
result(int ok, const char *name)
{
	printf("%sok %d %s\n", ok ? "" : "not ", ++n, name);
}

static void
nap(int ms)
{
	struct timespec d = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&d, &d) != 0 && errno == EINTR)
		;
}

/* A child that writes a byte to fd every 2 ms until killed. */
static pid_t
ticker(int fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;) {
			if (write(fd, "t", 1) != 1)
				_exit(1);
			nap(2);
		}
	}
	return (pid);
}

/* Bytes readable now from the non-blocking fd (drains it). */
static int
drain(int fd)
{
	char buf[256];
	ssize_t r;
	int total = 0;

	while ((r = read(fd, buf, sizeof(buf))) > 0)
		total += (int)r;
	return (total);
}

static int
stop_continue_kill(void)
{
	int p[2], status = 0, ok = 1;
	pid_t pid;

	if (pipe(p) != 0)
		return (0);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	if ((pid = ticker(p[1])) < 0)
		return (0);
	nap(20);
	kill(pid, SIGSTOP);
	if (waitpid(pid, &status, WUNTRACED) != pid || !WIFSTOPPED(status) ||
	    WSTOPSIG(status) != SIGSTOP) {
		printf("# stop: status %#x\n", status);
		ok = 0;
	}
	nap(10);
	drain(p[0]);
	nap(40);
	if (drain(p[0]) != 0) {
		printf("# a stopped child still ran\n");
		ok = 0;
	}
	kill(pid, SIGCONT);
	if (waitpid(pid, &status, WCONTINUED) != pid ||
	    !WIFCONTINUED(status)) {
		printf("# continue: status %#x\n", status);
		ok = 0;
	}
	nap(40);
	if (drain(p[0]) == 0) {
		printf("# a continued child did not run\n");
		ok = 0;
	}
	kill(pid, SIGSTOP);
	waitpid(pid, &status, WUNTRACED);
	kill(pid, SIGKILL); /* kills a stopped process */
	if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status) ||
	    WTERMSIG(status) != SIGKILL) {
		printf("# kill while stopped: status %#x\n", status);
		ok = 0;
	}
	close(p[0]);
	close(p[1]);
	return (ok);
}

static void
on_tstp(int sig)
{
	(void)sig;
	_exit(5);
}

static int
tstp_default_and_caught(void)
{
	int status = 0, ok;
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGTSTP);
	ok = waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status) &&
	    WSTOPSIG(status) == SIGTSTP;
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	pid = fork();
	if (pid == 0) {
		signal(SIGTSTP, on_tstp);
		for (;;)
			pause();
	}
	nap(10);
	kill(pid, SIGTSTP);
	return (ok && waitpid(pid, &status, WUNTRACED) == pid &&
	    WIFEXITED(status) && WEXITSTATUS(status) == 5);
}

static void
on_chld(int sig)
{
	(void)sig;
	chld_count++;
}

/* SIGCHLD for a stop, unless SA_NOCLDSTOP; waitid reports CLD_STOPPED. */
static int
sigchld_on_stop(void)
{
	struct sigaction sa;
	siginfo_t si;
	int status, ok = 1, before;
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_chld;
	sigaction(SIGCHLD, &sa, NULL);
	chld_count = 0;
	pid = fork();
	if (pid == 0)
		for (;;)
			pause();
	kill(pid, SIGSTOP);
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, pid, &si, WSTOPPED) != 0 || si.si_pid != pid ||
	    si.si_code != CLD_STOPPED || si.si_status != SIGSTOP) {
		printf("# waitid: code %d status %d\n", si.si_code,
		    si.si_status);
		ok = 0;
	}
	nap(10);
	if (chld_count != 1) {
		printf("# SIGCHLD count after a stop: %d\n", chld_count);
		ok = 0;
	}
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	before = chld_count;
	kill(pid, SIGCONT);
	kill(pid, SIGSTOP);
	nap(20);
	if (chld_count != before) {
		printf("# SIGCHLD with SA_NOCLDSTOP\n");
		ok = 0;
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	signal(SIGCHLD, SIG_DFL);
	return (ok);
}

static int
controlling_terminal(void)
{
	int fd = open("/dev/tty", O_RDWR), status = 0;
	pid_t pid;

	if (fd < 0 || tcgetpgrp(fd) != getpgrp() || tcgetpgrp(0) != getpgrp())
		return (0);
	close(fd);
	pid = fork();
	if (pid == 0) {
		/* A new session has no terminal. */
		if (setsid() < 0)
			_exit(1);
		if (open("/dev/tty", O_RDWR) >= 0 || errno != ENXIO)
			_exit(2);
		if (tcgetpgrp(0) != -1 || errno != ENOTTY)
			_exit(3);
		_exit(0);
	}
	return (waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0);
}

static int
tcsetpgrp_rules(void)
{
	int status = 0, ok;
	pid_t pid = fork();

	if (pid == 0) {
		setsid();
		for (;;)
			pause();
	}
	nap(10);
	/* A group of another session: EPERM. */
	ok = tcsetpgrp(0, pid) == -1 && errno == EPERM &&
	    tcsetpgrp(0, getpgrp()) == 0;
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return (ok);
}

/* A background read stops its group with SIGTTIN, or fails with EIO. */
static int
background_read(void)
{
	int status = 0, ok;
	char c;
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		(void)read(0, &c, 1);
		_exit(9);
	}
	setpgid(pid, pid);
	ok = waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status) &&
	    WSTOPSIG(status) == SIGTTIN;
	if (!ok)
		printf("# background read: status %#x\n", status);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		signal(SIGTTIN, SIG_IGN);
		_exit(read(0, &c, 1) == -1 && errno == EIO ? 0 : 1);
	}
	setpgid(pid, pid);
	return (ok && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0);
}

/* With TOSTOP a background write stops with SIGTTOU; without, it writes. */
static int
background_write(void)
{
	struct termios t, saved;
	int status = 0, ok;
	pid_t pid;

	if (tcgetattr(1, &saved) != 0)
		return (0);
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		_exit(write(1, "# background write\n", 19) == 19 ? 0 : 1);
	}
	setpgid(pid, pid);
	ok = waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0;
	t = saved;
	t.c_lflag |= TOSTOP;
	tcsetattr(1, TCSANOW, &t);
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		_exit(write(1, "# must not appear\n", 18) == 18 ? 7 : 8);
	}
	setpgid(pid, pid);
	ok = ok && waitpid(pid, &status, WUNTRACED) == pid &&
	    WIFSTOPPED(status) && WSTOPSIG(status) == SIGTTOU;
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	tcsetattr(1, TCSANOW, &saved);
	return (ok);
}

int
main(void)
{
	char c;

	printf("KTAP version 1\n1..7\n");
	fflush(stdout);
	result(stop_continue_kill(), "sigstop_sigcont_sigkill_wait");
	result(tstp_default_and_caught(), "sigtstp_default_and_caught");
	result(sigchld_on_stop(), "sigchld_waitid_nocldstop");
	result(controlling_terminal(), "dev_tty_and_new_session");
	result(tcsetpgrp_rules(), "tcsetpgrp_other_session_eperm");
	result(background_read(), "background_read_sigttin_eio");
	result(background_write(), "background_write_tostop_sigttou");
	fflush(stdout);
	for (;;)
		if (read(0, &c, 1) <= 0)
			break;
	return (0);
}
