/*
 * bench_run.c - timing one command on a pseudo terminal.
 *
 * The command runs as /bin/sh -c in a new session whose controlling
 * terminal is a pty, as a console would be: the vkernel's console is its
 * standard input and output, and a program writes to a terminal as soon as
 * it prints, where a pipe would let stdio buffer.  Output processing is
 * turned off on the pty so that the bytes read are the bytes written.
 *
 * A side with a value label also has its output cut into lines, and the
 * first line "<label> <nanoseconds>" gives the run's value.
 *
 * Waiting uses poll(2) on the pty and on a pidfd of the child, which
 * becomes readable when the child exits but before it is reaped: until
 * then its pid, which is also its process group id, cannot be reused, so
 * signalling the group cannot reach a stranger.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "harness/bench/bench.h"

#define READ_CHUNK 4096

volatile sig_atomic_t bench_interrupted;

/* The state of one run. */
struct run {
	const struct bench_side *side;
	struct bench_run_result *res;
	pid_t pid;
	int master; /* -1 once the pty has no writer left */
	int pidfd;
	bool exited;  /* the child is a zombie */
	bool matched; /* the pattern has been seen */
	size_t carry; /* bytes at the start of buf kept from the last read */
	size_t taillen;
	size_t linelen; /* bytes of the current output line in line */
	bool longline;	/* the current line did not fit: not a value line */
	char line[BENCH_LINE_MAX];
	char buf[BENCH_PATTERN_MAX + READ_CHUNK];
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

static void fail(struct bench_run_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
fail(struct bench_run_result *res, const char *fmt, ...)
{
	va_list ap;

	if (!res->ok && res->reason[0] != '\0')
		return; /* keep the first reason */
	res->ok = false;
	va_start(ap, fmt);
	vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
	va_end(ap);
}

/* Keeps the last BENCH_TAIL_MAX bytes of output for diagnostics. */
static void
tail_add(struct run *r, const char *p, size_t n)
{
	char *tail = r->res->tail;
	size_t keep;

	if (n >= BENCH_TAIL_MAX) {
		memcpy(tail, p + n - BENCH_TAIL_MAX, BENCH_TAIL_MAX);
		r->taillen = BENCH_TAIL_MAX;
	} else {
		keep = r->taillen + n > BENCH_TAIL_MAX ? BENCH_TAIL_MAX - n :
							 r->taillen;
		memmove(tail, tail + r->taillen - keep, keep);
		memcpy(tail + keep, p, n);
		r->taillen = keep + n;
	}
	tail[r->taillen] = '\0';
}

int
bench_value_line(const char *line, size_t len, const char *label, uint64_t *ns)
{
	size_t i, lablen = strlen(label);
	unsigned d;
	uint64_t v;

	if (len <= lablen || memcmp(line, label, lablen) != 0 ||
	    (line[lablen] != ' ' && line[lablen] != '\t'))
		return (-1);
	for (i = lablen; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		continue;
	if (i == len || !isdigit((unsigned char)line[i]))
		return (-1);
	for (v = 0; i < len && isdigit((unsigned char)line[i]); i++) {
		d = (unsigned)(line[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return (-1); /* does not fit */
		v = v * 10 + d;
	}
	for (; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		continue;
	if (i != len)
		return (-1);
	*ns = v;
	return (0);
}

/* Cuts the output into lines and looks for the side's value line. */
static void
value_scan(struct run *r, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && !r->res->has_value; i++) {
		if (p[i] != '\n' && p[i] != '\r') {
			if (r->linelen < sizeof(r->line))
				r->line[r->linelen++] = p[i];
			else
				r->longline = true;
			continue;
		}
		if (!r->longline &&
		    bench_value_line(r->line, r->linelen, r->side->value,
			&r->res->value_ns) == 0)
			r->res->has_value = true;
		r->linelen = 0;
		r->longline = false;
	}
}

/*
 * Reads what the pty has and looks for the pattern across read
 * boundaries.  Returns when the pty would block or has closed.
 */
static void
drain(struct run *r)
{
	const char *pat = r->side->pattern;
	size_t patlen, total;
	ssize_t n;

	patlen = r->side->until == BENCH_UNTIL_PATTERN ? strlen(pat) : 0;
	while (r->master != -1) {
		n = read(r->master, r->buf + r->carry, READ_CHUNK);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		if (n <= 0) {
			/* EIO: the last holder of the slave side closed it. */
			close(r->master);
			r->master = -1;
			return;
		}
		tail_add(r, r->buf + r->carry, (size_t)n);
		if (r->side->value != NULL)
			value_scan(r, r->buf + r->carry, (size_t)n);
		if (patlen == 0 || r->matched)
			continue;
		total = r->carry + (size_t)n;
		if (memmem(r->buf, total, pat, patlen) != NULL) {
			r->matched = true;
			r->res->elapsed_ns = now_ns();
			continue;
		}
		r->carry = total < patlen - 1 ? total : patlen - 1;
		memmove(r->buf, r->buf + total - r->carry, r->carry);
	}
}

/*
 * Waits until the child exits or until deadline (CLOCK_MONOTONIC ns),
 * draining the pty meanwhile.  The measuring wait also stops when the
 * pattern is seen or the program is interrupted; the waits of terminate()
 * do not.
 */
static void
wait_child(struct run *r, uint64_t deadline, bool measuring)
{
	struct pollfd pfd[2];
	uint64_t now;
	int ms, n;

	while (!r->exited && !(measuring && r->matched)) {
		if (measuring && bench_interrupted) {
			fail(r->res, "interrupted");
			return;
		}
		if ((now = now_ns()) >= deadline)
			return;
		ms = (int)((deadline - now + 999999) / 1000000);
		pfd[0].fd = r->pidfd;
		pfd[0].events = POLLIN;
		pfd[1].fd = r->master;
		pfd[1].events = POLLIN;
		n = poll(pfd, r->master == -1 ? 1 : 2, ms);
		if (n == -1 && errno != EINTR) {
			fail(r->res, "poll: %s", strerror(errno));
			return;
		}
		if (n > 0 && r->master != -1 && pfd[1].revents != 0)
			drain(r);
		if (n > 0 && pfd[0].revents != 0) {
			r->exited = true;
			if (r->res->elapsed_ns == 0 &&
			    r->side->until == BENCH_UNTIL_EXIT)
				r->res->elapsed_ns = now_ns();
			drain(r); /* what it printed just before exiting */
		}
	}
}

/*
 * Reaps the rest of the process group, which has been sent SIGKILL: as a
 * child subreaper this process inherits the members whose parent died.
 * Returns when the group is empty, so that nothing of one run is left to
 * disturb the next, or after a second.
 */
static void
reap_group(pid_t pgid)
{
	int i;

	for (i = 0; i < 1000; i++) {
		while (waitpid(-pgid, NULL, WNOHANG) > 0)
			continue;
		if (kill(-pgid, 0) == -1 && errno == ESRCH)
			return;
		usleep(1000);
	}
}

/* Ends the process group and reaps the child; returns its wait status. */
static int
terminate(struct run *r, double grace)
{
	int status;

	/*
	 * The child itself is signalled too in case it has not yet made its
	 * session (and group) when a very short timeout expires.
	 */
	if (!r->exited) {
		kill(-r->pid, SIGTERM);
		kill(r->pid, SIGTERM);
		wait_child(r, now_ns() + (uint64_t)(grace * 1e9), false);
	}
	if (!r->exited) {
		kill(-r->pid, SIGKILL);
		kill(r->pid, SIGKILL);
		wait_child(r, now_ns() + 10 * (uint64_t)1000000000, false);
	}
	/* The leader is a zombie now: also end what it left in its group. */
	kill(-r->pid, SIGKILL);
	while (waitpid(r->pid, &status, 0) == -1) {
		if (errno != EINTR) {
			fail(r->res, "waitpid: %s", strerror(errno));
			return (0);
		}
	}
	reap_group(r->pid);
	return (status);
}

static const char *
status_hint(int code)
{
	if (code == 127)
		return (" (command not found)");
	if (code == 126)
		return (" (command not executable)");
	return ("");
}

/* Decides whether a finished run counts, from how it ended. */
static void
judge(struct run *r, int status)
{
	const struct bench_side *side = r->side;
	int code;

	if (!r->exited) {
		fail(r->res, "did not end after SIGKILL");
		return;
	}
	if (side->until == BENCH_UNTIL_PATTERN) {
		if (r->matched || r->res->reason[0] != '\0')
			return;
		if (WIFSIGNALED(status))
			fail(r->res,
			    "killed by signal %d (%s) before printing the "
			    "pattern",
			    WTERMSIG(status), strsignal(WTERMSIG(status)));
		else
			fail(r->res,
			    "exited with status %d%s before printing the "
			    "pattern",
			    WEXITSTATUS(status),
			    status_hint(WEXITSTATUS(status)));
		return;
	}
	if (WIFSIGNALED(status)) {
		fail(r->res, "killed by signal %d (%s)", WTERMSIG(status),
		    strsignal(WTERMSIG(status)));
		return;
	}
	code = WEXITSTATUS(status);
	if (code == 126 || code == 127)
		fail(r->res, "exit status %d%s", code, status_hint(code));
	else if (side->status >= 0 && code != side->status)
		fail(r->res, "exit status %d, expected %d", code, side->status);
}

/* In the child: make the pty pass bytes through, then run the command. */
static void
child(const char *cmd)
{
	struct termios tio;

	if (tcgetattr(STDIN_FILENO, &tio) == 0) {
		tio.c_oflag &= ~OPOST;
		tio.c_lflag &= ~(ECHO | ECHONL);
		tcsetattr(STDIN_FILENO, TCSANOW, &tio);
	}
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

void
bench_run(const char *cmd, const struct bench_side *side, double timeout,
    double grace, struct bench_run_result *res)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	struct run *r;
	uint64_t start;
	int status;

	memset(res, 0, sizeof(*res));
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		fail(res, "out of memory");
		return;
	}
	r->side = side;
	r->res = res;
	r->pidfd = -1;
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	start = now_ns();
	r->pid = forkpty(&r->master, NULL, NULL, &ws);
	if (r->pid == -1) {
		fail(res, "forkpty: %s", strerror(errno));
		free(r);
		return;
	}
	if (r->pid == 0)
		child(cmd);
	r->pidfd = (int)syscall(SYS_pidfd_open, r->pid, 0);
	if (r->pidfd == -1) {
		fail(res, "pidfd_open: %s", strerror(errno));
		kill(r->pid, SIGKILL);
		waitpid(r->pid, &status, 0);
		close(r->master);
		free(r);
		return;
	}
	fcntl(r->master, F_SETFL, fcntl(r->master, F_GETFL) | O_NONBLOCK);
	fcntl(r->master, F_SETFD, FD_CLOEXEC);
	res->ok = true;
	wait_child(r, start + (uint64_t)(timeout * 1e9), true);
	if (!r->exited && !r->matched)
		fail(res,
		    side->until == BENCH_UNTIL_EXIT ?
			"did not exit within %g s" :
			"no pattern within %g s",
		    timeout);
	status = terminate(r, grace);
	judge(r, status);
	if (side->value != NULL && !res->has_value && !r->longline &&
	    bench_value_line(r->line, r->linelen, side->value,
		&res->value_ns) == 0)
		res->has_value = true; /* the last line, without its end */
	if (res->ok && side->value != NULL && !res->has_value)
		fail(res, "no line \"%s <nanoseconds>\" in the output",
		    side->value);
	if (res->ok)
		res->elapsed_ns -= start;
	close(r->pidfd);
	if (r->master != -1)
		close(r->master);
	free(r);
}
