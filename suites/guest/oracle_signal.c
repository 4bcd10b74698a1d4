/*
 * oracle_signal.c - signals, checked against the host (suites/oracle_test.c):
 * handlers and their siginfo, masks and pending signals delivered when
 * unblocked, SA_RESTART against EINTR, SIGCHLD, sigaltstack, kill to a
 * process group, default actions seen in wait statuses, and the errors
 * of the signal calls.
 *
 * Usage: oracle_signal ROOT (ROOT is unused).  Cases where the kernel is
 * known to differ would be marked XXX and compiled only with
 * -DORACLE_ALL (none are left).
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>

#include "oracle.h"

static volatile sig_atomic_t hits, last_sig, last_code, on_alt;
static volatile int order[8], norder;
static volatile pid_t last_pid;
static volatile int last_status;
static char *alt_base;
static size_t alt_size;
static sigjmp_buf jump;

static void
handler(int sig)
{
	hits++;
	last_sig = sig;
	if (norder < 8)
		order[norder++] = sig;
}

static void
info_handler(int sig, siginfo_t *si, void *uc)
{
	char here;

	(void)uc;
	hits++;
	last_sig = sig;
	last_code = si->si_code;
	last_pid = si->si_pid;
	last_status = si->si_status;
	on_alt = alt_base != NULL && &here >= alt_base &&
	    &here < alt_base + alt_size;
}

static void
jump_handler(int sig)
{
	char here;

	on_alt = alt_base != NULL && &here >= alt_base &&
	    &here < alt_base + alt_size;
	siglongjmp(jump, sig);
}

static int
handle(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	return (sigaction(sig, &sa, NULL));
}

static int
catch_info(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = info_handler;
	sa.sa_flags = SA_SIGINFO | flags;
	return (sigaction(sig, &sa, NULL));
}

static void
msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void
handlers(void)
{
	pid_t me = getpid();

	hits = 0;
	ok("sigaction SIGUSR1", handle(SIGUSR1, handler, 0));
	ok("raise", raise(SIGUSR1));
	say("handler ran: %d, signal %d\n", hits, last_sig);
	ok("kill self", kill(me, SIGUSR1));
	say("handler ran: %d\n", hits);
	/* siginfo: how it was sent. */
	catch_info(SIGUSR2, 0);
	kill(me, SIGUSR2);
	say("kill: si_code %d\n", last_code);
	say("kill: si_pid is ours: %s\n", last_pid == me ? "yes" : "no");
	syscall(SYS_tgkill, me, me, SIGUSR2);
	say("tgkill: si_code %d\n", last_code);
	/* SIG_IGN: nothing happens. */
	hits = 0;
	handle(SIGUSR1, SIG_IGN, 0);
	kill(me, SIGUSR1);
	say("ignored, handler ran: %d\n", hits);
	handle(SIGUSR1, SIG_DFL, 0);
	handle(SIGUSR2, SIG_DFL, 0);
}

static void
show_action(const char *what, int sig)
{
	struct sigaction sa;

	if (sigaction(sig, NULL, &sa) != 0) {
		say("%s: %s\n", what, ename(errno));
		return;
	}
	/* SA_RESTORER (0x04000000) is libc's business, not compared. */
	say("%s: %s flags %#x\n", what,
	    sa.sa_handler == SIG_DFL	 ? "SIG_DFL" :
		sa.sa_handler == SIG_IGN ? "SIG_IGN" :
		sa.sa_handler == handler ? "handler" :
					   "other",
	    (unsigned)sa.sa_flags & ~0x04000000u);
}

static void
actions_and_errors(void)
{
	struct sigaction sa;
	sigset_t set, old;

	show_action("SIGTERM at start", SIGTERM);
	handle(SIGTERM, handler, SA_RESTART | SA_NODEFER);
	show_action("SIGTERM after sigaction", SIGTERM);
	handle(SIGTERM, SIG_IGN, 0);
	show_action("SIGTERM ignored", SIGTERM);
	handle(SIGTERM, SIG_DFL, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	num("sigaction(SIGKILL)", sigaction(SIGKILL, &sa, NULL));
	num("sigaction(SIGSTOP)", sigaction(SIGSTOP, &sa, NULL));
	num("sigaction(0)", syscall(SYS_rt_sigaction, 0, NULL, NULL, 8));
	num("sigaction(65)", syscall(SYS_rt_sigaction, 65, NULL, NULL, 8));
	num("sigaction bad sigsetsize",
	    syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4));
	num("sigaction bad pointer",
	    syscall(SYS_rt_sigaction, SIGUSR1, (void *)8, NULL, 8));
	/* SIGKILL and SIGSTOP cannot be blocked. */
	sigfillset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	sigprocmask(SIG_SETMASK, NULL, &old);
	say("blocked all: SIGKILL %d SIGSTOP %d SIGUSR1 %d SIGRTMIN+2 %d\n",
	    sigismember(&old, SIGKILL), sigismember(&old, SIGSTOP),
	    sigismember(&old, SIGUSR1), sigismember(&old, SIGRTMIN + 2));
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	num("sigprocmask bad how",
	    syscall(SYS_rt_sigprocmask, 7, &set, NULL, 8));
	num("sigprocmask bad sigsetsize",
	    syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 4));
}

/* Blocked signals stay pending and arrive, lowest first, when unblocked. */
static void
masks(void)
{
	sigset_t set, pend;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigfillset(&sa.sa_mask); /* one at a time: a defined order */
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGRTMIN + 1, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	hits = norder = 0;
	raise(SIGTERM);
	raise(SIGRTMIN + 1);
	raise(SIGUSR2);
	raise(SIGUSR1);
	raise(SIGUSR1); /* standard signals do not queue */
	say("while blocked, handler ran: %d\n", hits);
	sigpending(&pend);
	say("pending: USR1 %d USR2 %d TERM %d RTMIN+1 %d HUP %d\n",
	    sigismember(&pend, SIGUSR1), sigismember(&pend, SIGUSR2),
	    sigismember(&pend, SIGTERM), sigismember(&pend, SIGRTMIN + 1),
	    sigismember(&pend, SIGHUP));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	say("after unblock, handler ran: %d, order:", hits);
	for (int i = 0; i < norder; i++)
		say(" %d",
		    order[i] >= SIGRTMIN ? 100 + order[i] - SIGRTMIN :
					   order[i]);
	say("\n");
	sigpending(&pend);
	say("pending now: USR1 %d\n", sigismember(&pend, SIGUSR1));
	handle(SIGUSR1, SIG_DFL, 0);
	handle(SIGUSR2, SIG_DFL, 0);
	handle(SIGTERM, SIG_DFL, 0);
	handle(SIGRTMIN + 1, SIG_DFL, 0);
	/* sigsuspend: waits with a temporary mask, then restores ours. */
	handle(SIGUSR1, handler, 0);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR1);
	hits = 0;
	sigemptyset(&pend);
	num("sigsuspend", sigsuspend(&pend));
	say("handler ran: %d\n", hits);
	sigprocmask(SIG_SETMASK, NULL, &pend);
	say("mask restored: USR1 %d\n", sigismember(&pend, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	handle(SIGUSR1, SIG_DFL, 0);
}

/*
 * SA_RESTART: a read blocked on an empty pipe is interrupted by a
 * handled signal; without SA_RESTART it fails with EINTR, with it the
 * read goes on and returns the data written afterwards.
 */
static void
restart(int flags, const char *what)
{
	int p[2], st;
	pid_t pid, parent = getpid();
	char buf[8];
	long n;

	if (pipe(p) != 0)
		return;
	handle(SIGUSR1, handler, flags);
	hits = 0;
	/*
	 * The parent must be blocked in read(2) when the signal comes: 80
	 * ms is the margin (XXX a timing assumption, the only one here).
	 */
	if ((pid = fork()) == 0) {
		msleep(80);
		kill(parent, SIGUSR1);
		msleep(40);
		write(p[1], "data", 4);
		_exit(0);
	}
	n = read(p[0], buf, sizeof(buf));
	if (n < 0)
		say("%s: read %s, handler ran %d\n", what, ename(errno), hits);
	else
		say("%s: read %ld, handler ran %d\n", what, n, hits);
	waitpid(pid, &st, 0);
	close(p[0]);
	close(p[1]);
	handle(SIGUSR1, SIG_DFL, 0);
}

static void
sigchld(void)
{
	sigset_t set, none;
	pid_t pid;
	int st;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	catch_info(SIGCHLD, 0);
	hits = 0;
	if ((pid = fork()) == 0)
		_exit(7);
	sigemptyset(&none);
	sigsuspend(&none);
	say("SIGCHLD: hits %d\n", hits);
	say("SIGCHLD: si_code %d, si_status %d, si_pid is the child: %s\n",
	    last_code, last_status, last_pid == pid ? "yes" : "no");
	yes("reaped after SIGCHLD", waitpid(pid, &st, 0) == pid);
	/* Killed by a signal: CLD_KILLED and the signal. */
	if ((pid = fork()) == 0) {
		kill(getpid(), SIGTERM);
		_exit(1);
	}
	sigsuspend(&none);
	say("SIGCHLD: si_code %d, si_status %d\n", last_code, last_status);
	waitpid(pid, &st, 0);
	say("killed child: %s\n", wstatus(st));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	handle(SIGCHLD, SIG_DFL, 0);
	handle(SIGCHLD, SIG_IGN, 0);
	if ((pid = fork()) == 0)
		_exit(0);
	msleep(30);
	num("wait with SIGCHLD ignored", waitpid(pid, &st, 0));
	handle(SIGCHLD, SIG_DFL, 0);
}

/* sigaltstack: handlers with SA_ONSTACK run on it, even on overflow. */
static int
recurse(int n)
{
	volatile char pad[1024];

	pad[0] = (char)n;
	return (recurse(n + 1) + pad[0]);
}

static void
altstack(void)
{
	stack_t ss, old;

	alt_size = 64 * 1024;
	alt_base = malloc(alt_size);
	memset(&ss, 0, sizeof(ss));
	ok("sigaltstack query", sigaltstack(NULL, &old));
	say("at start: flags %d\n", old.ss_flags);
	ss.ss_size = 100;
	ss.ss_sp = alt_base;
	num("sigaltstack too small", sigaltstack(&ss, NULL));
	ss.ss_size = alt_size;
	ss.ss_flags = 0x1234;
	num("sigaltstack bad flags", sigaltstack(&ss, NULL));
	ss.ss_flags = 0;
	ok("sigaltstack", sigaltstack(&ss, NULL));
	sigaltstack(NULL, &old);
	say("installed: flags %d, size is ours: %s\n", old.ss_flags,
	    old.ss_size == alt_size ? "yes" : "no");
	catch_info(SIGUSR1, SA_ONSTACK);
	raise(SIGUSR1);
	yes("SA_ONSTACK handler on the alternate stack", on_alt);
	catch_info(SIGUSR1, 0);
	raise(SIGUSR1);
	yes("plain handler on the alternate stack", on_alt);
	/* Stack overflow: only a handler on the other stack can run. */
	handle(SIGSEGV, jump_handler, SA_ONSTACK);
	on_alt = 0;
	if (sigsetjmp(jump, 1) == 0)
		recurse(0);
	yes("stack overflow caught on the alternate stack", on_alt);
	handle(SIGSEGV, SIG_DFL, 0);
	handle(SIGUSR1, SIG_DFL, 0);
	ss.ss_flags = SS_DISABLE;
	ok("sigaltstack disable", sigaltstack(&ss, NULL));
	sigaltstack(NULL, &old);
	say("disabled: flags %d\n", old.ss_flags);
}

/*
 * kill to a process group: a child makes a group of its own with two
 * grandchildren and signals it; every member that does not catch or
 * ignore the signal dies.
 */
static int
group_leader(long sig)
{
	pid_t kids[2];
	int st, code = 0;
	sigset_t set;

	setpgid(0, 0);
	/* The leader blocks it and survives its own kill; the members
	 * unblock it, whether it came already or not. */
	sigemptyset(&set);
	sigaddset(&set, (int)sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (int i = 0; i < 2; i++)
		if ((kids[i] = fork()) == 0) {
			sigprocmask(SIG_UNBLOCK, &set, NULL);
			for (;;)
				pause();
		}
	if (kill(0, (int)sig) != 0)
		return (90);
	for (int i = 0; i < 2; i++) {
		if (waitpid(kids[i], &st, 0) != kids[i])
			return (91);
		if (WIFSIGNALED(st) && WTERMSIG(st) == sig)
			code++;
	}
	return (code);
}

static _Noreturn void
sleeper(void)
{
	for (;;)
		pause();
}

static void
groups(void)
{
	pid_t pid;
	int st;

	say("kill(0, SIGTERM) in a group of three: %s\n",
	    in_child(group_leader, SIGTERM));
	say("kill(0, SIGUSR2) in a group of three: %s\n",
	    in_child(group_leader, SIGUSR2));
	/* kill(-pgid) from outside the group. */
	if ((pid = fork()) == 0) {
		setpgid(0, 0);
		sleeper();
	}
	setpgid(pid, pid); /* either side may get there first */
	ok("kill(-pgid)", kill(-pid, SIGHUP));
	waitpid(pid, &st, 0);
	say("group member: %s\n", wstatus(st));
	num("kill(-pgid) once empty", kill(-pid, SIGHUP));
}

/* Default actions, seen in the wait status of a child. */
static int
fault_segv(long unused)
{
	(void)unused;
	*(volatile int *)16 = 1;
	return (0);
}

static int
fault_fpe(long d)
{
	volatile int x = 1;

	return (x / (int)d);
}

static int
fault_ill(long unused)
{
	(void)unused;
	__asm__ volatile("ud2");
	return (0);
}

static int
fault_trap(long unused)
{
	(void)unused;
	__asm__ volatile("int3");
	return (0);
}

static int
self_kill(long sig)
{
	kill(getpid(), (int)sig);
	msleep(10);
	return (0);
}

static void
defaults(void)
{
	/* 35 is SIGRTMIN (musl's, a constant here). */
	static const int sigs[] = { SIGINT, SIGQUIT, SIGUSR2, SIGALRM, SIGTERM,
		SIGCHLD, SIGURG, SIGWINCH, SIGCONT, 35, SIGSYS, SIGXCPU };
	char what[48];

	say("null pointer write: %s\n", in_child(fault_segv, 0));
	say("divide by zero: %s\n", in_child(fault_fpe, 0));
	say("ud2: %s\n", in_child(fault_ill, 0));
	say("int3: %s\n", in_child(fault_trap, 0));
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		snprintf(what, sizeof(what), "default action of %d",
		    sigs[i] >= SIGRTMIN ? 100 + sigs[i] - SIGRTMIN : sigs[i]);
		say("%s: %s\n", what, in_child(self_kill, sigs[i]));
	}
}

/* pause returns EINTR once a handler ran. */
static void
pausing(void)
{
	pid_t pid, parent = getpid();
	int st;

	handle(SIGUSR1, handler, SA_RESTART);
	/* Signals until the parent ends it: one comes after pause(2). */
	if ((pid = fork()) == 0)
		for (int i = 0; i < 500; i++) {
			msleep(10);
			kill(parent, SIGUSR1);
		}
	num("pause", pause());
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	handle(SIGUSR1, SIG_DFL, 0);
}

int
main(void)
{
	oracle_begin("oracle_signal");
	handlers();
	actions_and_errors();
	masks();
	restart(0, "no SA_RESTART");
	restart(SA_RESTART, "SA_RESTART");
	sigchld();
	altstack();
	groups();
	defaults();
	pausing();
	return (oracle_end());
}
