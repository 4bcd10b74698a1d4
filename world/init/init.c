/*
 * init.c - process 1 of the Vireo world, with BSD init(8)'s semantics.
 *
 * init is a state machine, as BSD's: single-user (a shell on the console),
 * runcom (/etc/rc), multi-user (a getty per "on" line of /etc/ttys,
 * restarted when it exits) and death (rc.shutdown, then every process is
 * killed; then single-user, or a halt, power-off or reboot with
 * reboot(2)).  Requests come as signals:
 *
 *	SIGHUP	re-read /etc/ttys		SIGTERM	back to single-user
 *	SIGINT	reboot				SIGUSR1	halt
 *	SIGUSR2	halt and power off (what the kernel sends on a host SIGTERM)
 *
 * init keeps every signal it acts on blocked and takes them with
 * sigtimedwait(2), so that no code runs in a handler; the handlers are
 * installed all the same because the kernel only forwards a host SIGTERM
 * to an init that catches SIGUSR2.  Run as another process, init sends
 * process 1 the signal of a run level ("init 0" powers off, as BSD's).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "world/lib/world.h"

#define PATH_CONSOLE	"/dev/console"
#define PATH_BSHELL	"/bin/sh"
#define PATH_RUNCOM	"/etc/rc"
#define PATH_RUNDOWN	"/etc/rc.shutdown"
#define GETTY_SPACING	5  /* a getty living less than this (s)... */
#define GETTY_NSPACE	3  /* ...this many times in a row... */
#define GETTY_SLEEP	30 /* ...waits this long (s) before the next */
#define DEATH_WATCH	10 /* seconds for processes to die per signal */
#define RUNDOWN_TIMEOUT 60 /* seconds /etc/rc.shutdown may take */
#define GETTY_ARGS	16

enum state {
	S_SINGLE,
	S_RUNCOM,
	S_MULTI,
	S_DEATH
};

/* Requests, weakest first: a stronger one is never replaced. */
enum request {
	R_NONE,
	R_RETTYS,
	R_SINGLE,
	R_HALT,
	R_POWEROFF,
	R_REBOOT
};

struct session {
	struct world_tty tty;
	pid_t pid;	/* its getty or login, 0 when none */
	time_t started; /* when pid started */
	time_t restart; /* not before this time */
	int quick;	/* exits in a row sooner than GETTY_SPACING */
	bool present;	/* still in /etc/ttys at the last reading */
};

static sigset_t init_signals;
static enum request requested;
static bool autoboot = true;
static struct session sessions[WORLD_TTYS_MAX];
static int nsessions;

static void
emsg(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(STDERR_FILENO, "init: ", 6) < 0 ||
	    write(STDERR_FILENO, buf, (size_t)n) < 0)
		return;
}

/* Never runs while init waits (the signals are blocked); see above. */
static void
catch_signal(int sig)
{
	(void)sig;
}

static void
request(enum request r)
{
	if (r > requested)
		requested = r;
}

/*
 * Waits up to timeout seconds (forever when negative) for a signal and
 * records what it asks.  Returns the signal, or 0 on a timeout.
 */
static int
wait_signal(int timeout)
{
	struct timespec ts = { timeout, 0 };
	int sig;

	do
		sig = sigtimedwait(&init_signals, NULL,
		    timeout < 0 ? NULL : &ts);
	while (sig < 0 && errno == EINTR);
	if (sig < 0) {
		if (errno != EAGAIN)
			emsg("sigtimedwait: %s", strerror(errno));
		return (0);
	}
	switch (sig) {
	case SIGHUP:
		request(R_RETTYS);
		break;
	case SIGTERM:
		request(R_SINGLE);
		break;
	case SIGUSR1:
		request(R_HALT);
		break;
	case SIGUSR2:
		request(R_POWEROFF);
		break;
	case SIGINT:
		request(R_REBOOT);
		break;
	default:
		break;
	}
	return (sig);
}

/*
 * In a new child: a session of its own with the console as controlling
 * terminal and descriptors 0-2, the signals unblocked, then argv.  Returns
 * the child's pid, or -1.
 */
static pid_t
spawn(const char *path, char *const argv[], const char *term)
{
	sigset_t none;
	pid_t pid;
	int fd;

	if ((pid = fork()) != 0) {
		if (pid < 0)
			emsg("fork: %s", strerror(errno));
		return (pid);
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	setsid();
	if (term != NULL) {
		if ((fd = open(PATH_CONSOLE, O_RDWR)) < 0) {
			emsg("%s: %s", PATH_CONSOLE, strerror(errno));
			_exit(1);
		}
		/* Steal it from a session that outlived its leader. */
		ioctl(fd, TIOCSCTTY, 1);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
		if (*term != '\0')
			setenv("TERM", term, 1);
	}
	execv(path, argv);
	emsg("can't exec %s: %s", path, strerror(errno));
	_exit(1);
}

/*
 * Waits for pid to exit while recording requests; reaps every other child
 * on the way.  Returns true with its status in *status, or false after
 * timeout seconds (when timeout >= 0) or, when interruptible, as soon as
 * a request stronger than R_RETTYS is pending.
 */
static bool
wait_child(pid_t pid, int *status, int timeout, bool interruptible)
{
	time_t end = time(NULL) + timeout;
	pid_t w;
	int st;

	for (;;) {
		while ((w = waitpid(-1, &st, WNOHANG)) > 0)
			if (w == pid) {
				*status = st;
				return (true);
			}
		if (w < 0 && errno == ECHILD)
			return (false);
		if (interruptible && requested > R_RETTYS)
			return (false);
		if (timeout >= 0 && time(NULL) >= end)
			return (false);
		wait_signal(timeout >= 0 ? (int)(end - time(NULL)) + 1 : -1);
	}
}

static enum state
single_user(void)
{
	char *argv[] = { "-sh", NULL };
	pid_t pid;
	int st;

	if ((pid = spawn(PATH_BSHELL, argv, "")) < 0) {
		sleep(5);
		return (S_SINGLE);
	}
	if (!wait_child(pid, &st, -1, true)) {
		if (requested == R_SINGLE) /* already there */
			requested = R_NONE;
		return (S_DEATH);
	}
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) {
		emsg("single user shell terminated, restarting");
		return (S_SINGLE);
	}
	autoboot = false; /* rc runs without "autoboot" after it */
	return (S_RUNCOM);
}

static enum state
runcom(void)
{
	char *argv[] = { "sh", PATH_RUNCOM, autoboot ? "autoboot" : NULL,
		NULL };
	pid_t pid;
	int st;

	if ((pid = spawn(PATH_BSHELL, argv, "")) < 0)
		return (S_SINGLE);
	/* A request made by rc itself (fsck's reboot) may come before or
	 * after its exit: both end in death. */
	if (!wait_child(pid, &st, -1, true) || requested > R_RETTYS)
		return (S_DEATH);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		emsg("%s terminated abnormally, going to single user mode",
		    PATH_RUNCOM);
		return (S_SINGLE);
	}
	return (S_MULTI);
}

/* Starts the getty of s (its command, then the terminal name). */
static void
start_getty(struct session *s)
{
	char cmd[WORLD_FIELD_MAX], *argv[GETTY_ARGS + 2], *p, *last;
	int n = 0;

	snprintf(cmd, sizeof(cmd), "%s", s->tty.getty);
	for (p = strtok_r(cmd, " \t", &last); p != NULL && n < GETTY_ARGS;
	     p = strtok_r(NULL, " \t", &last))
		argv[n++] = p;
	if (n == 0)
		return;
	argv[n++] = s->tty.name;
	argv[n] = NULL;
	s->pid = spawn(argv[0], argv, s->tty.type);
	if (s->pid < 0)
		s->pid = 0;
	s->started = time(NULL);
}

/* Reads /etc/ttys into the session table: new lines are added, lines gone
 * or turned off lose their session (SIGHUP). */
static void
read_ttys(void)
{
	struct world_tty t[WORLD_TTYS_MAX];
	int n, i, j;

	if ((n = world_ttys_read(PATH_TTYS, t, WORLD_TTYS_MAX)) < 0) {
		emsg("%s: %s", PATH_TTYS, strerror(errno));
		n = 0;
	}
	for (j = 0; j < nsessions; j++)
		sessions[j].present = false;
	for (i = 0; i < n; i++) {
		if (!t[i].on || t[i].getty[0] == '\0')
			continue;
		for (j = 0; j < nsessions; j++)
			if (strcmp(sessions[j].tty.name, t[i].name) == 0)
				break;
		if (j == nsessions) {
			if (nsessions == WORLD_TTYS_MAX)
				continue;
			memset(&sessions[nsessions++], 0, sizeof(sessions[0]));
		} else if (strcmp(sessions[j].tty.getty, t[i].getty) != 0 &&
		    sessions[j].pid > 0)
			kill(sessions[j].pid, SIGHUP); /* restarted as new */
		sessions[j].tty = t[i];
		sessions[j].present = true;
	}
	for (j = 0; j < nsessions; j++)
		if (!sessions[j].present && sessions[j].pid > 0)
			kill(sessions[j].pid, SIGHUP);
}

/* A child exited: the session it served is restarted, soon or later. */
static void
session_exited(pid_t pid)
{
	struct session *s;
	time_t now = time(NULL);

	for (s = sessions; s < sessions + nsessions; s++) {
		if (s->pid != pid)
			continue;
		s->pid = 0;
		s->restart = now;
		if (now - s->started < GETTY_SPACING) {
			if (++s->quick >= GETTY_NSPACE) {
				emsg("getty repeating too quickly on port "
				     "/dev/%s, sleeping %d secs",
				    s->tty.name, GETTY_SLEEP);
				s->restart = now + GETTY_SLEEP;
				s->quick = 0;
			}
		} else
			s->quick = 0;
		return;
	}
}

static enum state
multi_user(void)
{
	struct session *s;
	time_t now, next;
	pid_t pid;
	int st, j;

	if (requested == R_RETTYS) /* read below anyway */
		requested = R_NONE;
	nsessions = 0;
	read_ttys();
	for (;;) {
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
			session_exited(pid);
		if (requested == R_RETTYS) {
			requested = R_NONE;
			read_ttys();
		}
		if (requested > R_RETTYS)
			return (S_DEATH);
		/* Drop sessions gone from ttys whose process has ended. */
		for (j = 0; j < nsessions; j++)
			if (!sessions[j].present && sessions[j].pid == 0)
				sessions[j--] = sessions[--nsessions];
		now = time(NULL);
		next = 0;
		for (s = sessions; s < sessions + nsessions; s++) {
			if (s->pid != 0)
				continue;
			if (s->restart <= now)
				start_getty(s);
			else if (next == 0 || s->restart < next)
				next = s->restart;
		}
		wait_signal(next != 0 ? (int)(next - now) : -1);
	}
}

/* Runs /etc/rc.shutdown; gives up on it after RUNDOWN_TIMEOUT seconds. */
static void
run_shutdown(bool reboot)
{
	char *argv[] = { "sh", PATH_RUNDOWN, reboot ? "reboot" : "single",
		NULL };
	pid_t pid;
	int st;

	if (access(PATH_RUNDOWN, R_OK) != 0)
		return;
	if ((pid = spawn(PATH_BSHELL, argv, "")) < 0)
		return;
	/* Further requests do not cut the rundown short. */
	if (!wait_child(pid, &st, RUNDOWN_TIMEOUT, false)) {
		emsg("%s hung, killed", PATH_RUNDOWN);
		kill(pid, SIGKILL);
	} else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		emsg("%s returned status %d", PATH_RUNDOWN,
		    WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

/* Kills every process but init, as BSD: SIGHUP, SIGTERM, SIGKILL. */
static void
kill_all(void)
{
	static const int sigs[] = { SIGHUP, SIGTERM, SIGKILL };
	time_t end;
	unsigned i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (kill(-1, sigs[i]) < 0 && errno == ESRCH)
			goto done; /* nobody left */
		end = time(NULL) + DEATH_WATCH;
		while (time(NULL) < end) {
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
			if (kill(-1, 0) < 0 && errno == ESRCH)
				goto done;
			/* SIGCHLD wakes this early; a second at most. */
			wait_signal(1);
		}
	}
	emsg("some processes would not die; ps axl advised");
done:
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	for (i = 0; i < (unsigned)nsessions; i++)
		sessions[i].pid = 0;
}

static enum state
death(void)
{
	enum request r = requested;
	int cmd;

	/* What comes in from here on is a new request. */
	requested = R_NONE;
	if (r >= R_HALT)
		run_shutdown(r == R_REBOOT);
	kill_all();
	if (r < R_HALT) {
		/* A halt asked for meanwhile is not lost. */
		if (requested > R_SINGLE)
			return (S_DEATH);
		requested = R_NONE;
		return (S_SINGLE);
	}
	sync();
	cmd = r == R_REBOOT ? RB_AUTOBOOT :
	    r == R_POWEROFF ? RB_POWER_OFF :
			      RB_HALT_SYSTEM;
	reboot(cmd);
	emsg("reboot: %s", strerror(errno));
	requested = R_NONE;
	return (S_SINGLE);
}

/* "init 0" and friends, from a process other than 1. */
static int
telinit(const char *level)
{
	int sig;

	switch (level[0] != '\0' && level[1] == '\0' ? level[0] : '?') {
	case '0':
		sig = SIGUSR2;
		break;
	case '1':
		sig = SIGTERM;
		break;
	case '6':
		sig = SIGINT;
		break;
	case 'q':
		sig = SIGHUP;
		break;
	default:
		fprintf(stderr, "usage: init [0156q]\n");
		return (1);
	}
	if (kill(1, sig) < 0) {
		fprintf(stderr, "init: kill 1: %s\n", strerror(errno));
		return (1);
	}
	return (0);
}

int
main(int argc, char *argv[])
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGTERM, SIGUSR1, SIGUSR2,
		SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU };
	struct sigaction sa;
	enum state state = S_RUNCOM;
	unsigned i;
	int c;

	if (getpid() != 1) {
		if (argc == 2)
			return (telinit(argv[1]));
		fprintf(stderr, "init: already running\n");
		return (1);
	}
	/* Boot flags from the kernel; others are ignored, as BSD does. */
	while ((c = getopt(argc, argv, "s")) != -1)
		if (c == 's')
			state = S_SINGLE;
	setsid();
	umask(022);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = catch_signal;
	sa.sa_flags = SA_NOCLDSTOP;
	sigfillset(&sa.sa_mask);
	sigemptyset(&init_signals);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaddset(&init_signals, sigs[i]);
		sigaction(sigs[i], &sa, NULL);
	}
	sigprocmask(SIG_BLOCK, &init_signals, NULL);
	for (;;) {
		switch (state) {
		case S_SINGLE:
			state = single_user();
			break;
		case S_RUNCOM:
			state = runcom();
			break;
		case S_MULTI:
			state = multi_user();
			break;
		case S_DEATH:
			state = death();
			break;
		}
	}
}
