/*
 * ktap_signals.c - a guest-side test program for signals: handlers with
 * and without SA_SIGINFO, masks, default actions on children, EINTR and
 * SA_RESTART, SIGCHLD, a SIGSEGV handler leaving by siglongjmp, FPU state
 * across a handler, SIG_IGN, process groups, the alternate stack.  Prints
 * KTAP, then waits on the console.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int n;
static volatile sig_atomic_t got, got_info_signo, chld;
static sigjmp_buf jb;
static char altstack[65536];
static volatile int on_alt;

static void
result(int ok, const char *name)
{
	printf("%sok %d %s\n", ok ? "" : "not ", ++n, name);
}

static void
on_sig(int sig)
{
	got = sig;
}

static void
on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_info_signo = si->si_signo == sig ? sig : -1;
}

static void
on_chld(int sig)
{
	(void)sig;
	chld++;
}

static void
on_segv(int sig)
{
	(void)sig;
	siglongjmp(jb, 1);
}

static void
on_alt_sig(int sig)
{
	char here;

	(void)sig;
	on_alt = &here >= altstack && &here < altstack + sizeof(altstack);
}

static void
handler_runs(void)
{
	signal(SIGUSR1, on_sig);
	got = 0;
	raise(SIGUSR1);
	result(got == SIGUSR1, "handler_runs_and_returns");
}

static void
siginfo(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	result(got_info_signo == SIGUSR2, "sa_siginfo");
}

static void
masked(void)
{
	sigset_t s, old;

	signal(SIGUSR1, on_sig);
	got = 0;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, &old);
	kill(getpid(), SIGUSR1);
	int blocked = got == 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	result(blocked && got == SIGUSR1, "blocked_until_unblocked");
}

static void
child_killed(void)
{
	int p[2], status = 0;
	pid_t pid;
	char c;

	pipe(p);
	if ((pid = fork()) == 0) {
		read(p[0], &c, 1); /* blocks */
		_exit(0);
	}
	usleep(20000);
	kill(pid, SIGTERM);
	result(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
		WTERMSIG(status) == SIGTERM,
	    "sigterm_kills_blocked_child");
	close(p[0]);
	close(p[1]);
}

/* A child blocked in read gets SIGUSR1: EINTR, or a restart. */
static int
interrupted_read(int restart)
{
	int p[2], status = 0;
	pid_t pid;
	char c;

	pipe(p);
	if ((pid = fork()) == 0) {
		struct sigaction sa;
		ssize_t r;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_sig;
		sa.sa_flags = restart ? SA_RESTART : 0;
		sigaction(SIGUSR1, &sa, NULL);
		r = read(p[0], &c, 1);
		if (restart)
			_exit(r == 1 && c == 'z' && got == SIGUSR1 ? 0 : 1);
		_exit(r == -1 && errno == EINTR && got == SIGUSR1 ? 0 : 1);
	}
	usleep(30000);
	kill(pid, SIGUSR1);
	usleep(30000);
	write(p[1], "z", 1);
	waitpid(pid, &status, 0);
	close(p[0]);
	close(p[1]);
	return (WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void
sigchld(void)
{
	pid_t pid;
	int status;

	signal(SIGCHLD, on_chld);
	chld = 0;
	if ((pid = fork()) == 0)
		_exit(0);
	waitpid(pid, &status, 0);
	usleep(10000);
	result(chld >= 1, "sigchld_to_parent");
	signal(SIGCHLD, SIG_DFL);
}

static void
segv_handler(void)
{
	volatile int jumped = 0;

	signal(SIGSEGV, on_segv);
	if (sigsetjmp(jb, 1) == 0)
		*(volatile int *)16 = 1;
	else
		jumped = 1;
	signal(SIGSEGV, SIG_DFL);
	result(jumped, "sigsegv_handler_siglongjmp");
}

static void
fpu_kept(void)
{
	volatile double x = 1.5, y;

	signal(SIGUSR1, on_sig);
	y = x * 3.0;
	raise(SIGUSR1);
	result(y == 4.5 && x * 2.0 == 3.0, "fpu_state_kept");
}

static void
ignored(void)
{
	signal(SIGUSR1, SIG_IGN);
	got = 0;
	raise(SIGUSR1);
	result(got == 0, "sig_ign");
	signal(SIGUSR1, SIG_DFL);
}

static void
pgroups(void)
{
	int status = 0;
	pid_t pid;

	if ((pid = fork()) == 0) {
		setpgid(0, 0);
		pause();
		_exit(0);
	}
	setpgid(pid, pid);
	usleep(20000);
	result(getpgid(pid) == pid && kill(-pid, SIGKILL) == 0 &&
		waitpid(pid, &status, 0) == pid && WTERMSIG(status) == SIGKILL,
	    "process_group_kill");
}

static void
alt_stack(void)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alt_sig;
	sa.sa_flags = SA_ONSTACK;
	sigaltstack(&ss, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	/* A caught SIGUSR2 is what the kernel sends init on SIGTERM from the
	 * host: give it back before the last result line, after which the
	 * harness may stop the kernel at any moment. */
	signal(SIGUSR2, SIG_DFL);
	result(on_alt, "sigaltstack");
}

int
main(void)
{
	char c;

	printf("KTAP version 1\n1..12\n");
	handler_runs();
	siginfo();
	masked();
	child_killed();
	result(interrupted_read(0), "eintr_without_sa_restart");
	result(interrupted_read(1), "sa_restart_restarts_read");
	sigchld();
	segv_handler();
	fpu_kept();
	ignored();
	pgroups();
	alt_stack();
	fflush(stdout);
	for (;;)
		if (read(0, &c, 1) <= 0)
			break;
	return (0);
}
