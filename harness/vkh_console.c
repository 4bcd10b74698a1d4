/*
 * vkh_console.c - the console engine: the only file that touches
 * libexpect's global state.  It spawns the guest on a pty, reads its
 * console, keeps the transcript (in memory and gzip-compressed on disk),
 * cuts it into lines, and decides on every read whether the kernel
 * crashed or hung.
 *
 * libexpect spawns the guest (pty allocation, a new session, the pty as
 * controlling terminal, the child's environment through its exec
 * prelude).  Reading and matching are done here rather than with
 * exp_expectv(): its timeouts are whole seconds driven by alarm(2) and
 * longjmp, one per call, so it cannot tell a phase timeout from a silent
 * console, and its match buffer drops text the crash patterns must see.
 *
 * Crash rules.  A panic or fatal-trap line alone is not a verdict, since
 * a guest program may print it: it makes the guest a suspect for the
 * profile's panic-grace seconds.  The crash is confirmed by the kernel
 * exiting with the panic status, by a signal death, or by the debugger
 * prompt; a suspect that keeps running past the grace period is cleared.
 * A debugger prompt is a crash when it follows a panic line, or when it
 * stays the last, unterminated line for DEBUGGER_SETTLE seconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <tcl8.6/expect.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "harness/vkh_private.h"

#define MAX_LINE	(64 * 1024)
#define MAX_TRANSCRIPT	(8 * 1024 * 1024)
#define DEBUGGER_SETTLE 0.3
#define POLL_SLICE	0.1 /* also notices exits while the pty stays open */

/* The child's extra environment, read by the exec prelude. */
static char *const *spawn_env;
static struct vkh_guest *live_guests;
static bool atexit_done;

double
vkh_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

void
vkh_random_hex(char *buf, size_t size)
{
	unsigned char r[64];
	size_t i;

	if (size == 0)
		return;
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		for (i = 0; i < sizeof(r); i++)
			r[i] = (unsigned char)(rand() ^ getpid());
	for (i = 0; i + 1 < size && i < 2 * sizeof(r); i++)
		buf[i] = "0123456789abcdef"[(r[i / 2] >> (i % 2 * 4)) & 15];
	buf[i] = '\0';
}

/* Runs in the child between fork and exec. */
static void
exec_prelude(void)
{
	char *const *e;

	for (e = spawn_env; e != NULL && *e != NULL; e++)
		putenv(*e);
	signal(SIGPIPE, SIG_DFL);
	/* A test process killed by a watchdog takes its guest along. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* Kills what is left of the guests when the test process ends. */
static void
kill_live_guests(void)
{
	struct vkh_guest *g;

	for (g = live_guests; g != NULL; g = g->next)
		if (g->pid > 0 && g->wstatus == -1) {
			kill(-g->pid, SIGKILL);
			kill(g->pid, SIGKILL);
			waitpid(g->pid, &g->wstatus, 0);
			if (g->own_scratch)
				vkh_remove_tree(g->scratch);
		}
}

int
vkh_console_spawn(struct vkh_guest *g, char *const *argv, char *const *env,
    struct vkh_status *st)
{
	int fd;

	exp_loguser = 0;
	exp_logfile = NULL;
	exp_child_exec_prelude = exec_prelude;
	spawn_env = env;
	fd = exp_spawnv(argv[0], (char **)argv);
	spawn_env = NULL;
	g->start = g->last_output = vkh_now();
	if (fd < 0) {
		vkh_console_verdict(g, st, VKH_ERROR, "spawn",
		    "cannot start %s: %s", argv[0], strerror(errno));
		return (-1);
	}
	g->fd = fd;
	g->pid = exp_pid;
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	g->next = live_guests;
	live_guests = g;
	if (!atexit_done) {
		atexit(kill_live_guests);
		atexit_done = true;
	}
	return (0);
}

void
vkh_console_forget(struct vkh_guest *g)
{
	struct vkh_guest **pp;

	for (pp = &live_guests; *pp != NULL; pp = &(*pp)->next)
		if (*pp == g) {
			*pp = g->next;
			break;
		}
}

static int
grow(char **buf, size_t *cap, size_t need)
{
	char *n;
	size_t c = *cap == 0 ? 4096 : *cap;

	while (c < need)
		c *= 2;
	if (c == *cap)
		return (0);
	if ((n = realloc(*buf, c)) == NULL)
		return (ENOMEM);
	*buf = n;
	*cap = c;
	return (0);
}

/* Keeps raw console bytes: the gzip log and the in-memory transcript. */
static void
keep(struct vkh_guest *g, const char *p, size_t n)
{
	if (g->log != NULL)
		gzwrite(g->log, p, (unsigned)n);
	if (g->tlen + n > MAX_TRANSCRIPT && g->tlen > MAX_TRANSCRIPT / 2) {
		/* Forget the older half; the gzip log has everything. */
		memmove(g->transcript, g->transcript + g->tlen / 2,
		    g->tlen - g->tlen / 2);
		g->tlen -= g->tlen / 2;
	}
	if (grow(&g->transcript, &g->tcap, g->tlen + n + 1) == 0) {
		memcpy(g->transcript + g->tlen, p, n);
		g->tlen += n;
		g->transcript[g->tlen] = '\0';
	}
	if (grow(&g->pending, &g->pendcap, g->npending + n) == 0) {
		memcpy(g->pending + g->npending, p, n);
		g->npending += n;
	}
}

/* Reads what the pty has; notes the end of the console. */
static void
read_console(struct vkh_guest *g)
{
	char buf[8192];
	ssize_t n;

	while (g->fd >= 0) {
		n = read(g->fd, buf, sizeof(buf));
		if (n > 0) {
			keep(g, buf, (size_t)n);
			g->last_output = vkh_now();
			if (g->npending > 256 * 1024)
				return; /* let the lines be looked at */
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		/* EOF or EIO: every writer of the pty is gone. */
		close(g->fd);
		g->fd = -1;
	}
}

static void
reap(struct vkh_guest *g, bool block)
{
	if (g->adopted) {
		/* Not our child: its keeper reaps it. */
		if (g->wstatus == -1)
			g->wstatus = vkh_share_status(g);
		return;
	}
	if (g->pid > 0 && g->wstatus == -1 &&
	    waitpid(g->pid, &g->wstatus, block ? 0 : WNOHANG) <= 0)
		g->wstatus = -1;
}

void
vkh_console_reap(struct vkh_guest *g)
{
	reap(g, false);
}

/* Puts a complete line into the tail ring. */
static void
ring_add(struct vkh_guest *g, const char *line)
{
	free(g->ring[g->ringpos]);
	g->ring[g->ringpos] = strdup(line);
	g->ringpos = (g->ringpos + 1) % VKH_TAIL_LINES;
}

static bool
line_matches(const regex_t *re, const char *text)
{
	return (regexec(re, text, 0, NULL, 0) == 0);
}

/* Applies the crash patterns to a complete line. */
static void
check_crash_line(struct vkh_guest *g, const char *text)
{
	regmatch_t m;

	if ((g->have_panic && regexec(&g->panic_re, text, 1, &m, 0) == 0) ||
	    (g->have_trap && regexec(&g->trap_re, text, 1, &m, 0) == 0)) {
		/* The message starts where the pattern does: mid-line. */
		if (!g->suspect)
			snprintf(g->suspect_msg, sizeof(g->suspect_msg), "%s",
			    text + m.rm_so);
		g->suspect = true;
		g->suspect_until = vkh_now() + g->profile->panic_grace;
	}
}

/*
 * Cuts pending bytes into lines, checking each for crashes and offering
 * it to fn.  Returns fn's first non-zero answer, or 0 when the pending
 * bytes are used up.
 */
static int
process_pending(struct vkh_guest *g, vkh_line_fn fn, void *arg)
{
	size_t i;
	int r = 0;
	char c;

	for (i = 0; i < g->npending && r == 0; i++) {
		c = g->pending[i];
		if (c == '\r' || c == '\0')
			continue;
		if (c != '\n') {
			if (g->linelen + 1 < MAX_LINE &&
			    grow(&g->line, &g->linecap, g->linelen + 2) == 0)
				g->line[g->linelen++] = c;
			continue;
		}
		if (g->line == NULL && grow(&g->line, &g->linecap, 2) != 0)
			continue;
		g->line[g->linelen] = '\0';
		ring_add(g, g->line);
		check_crash_line(g, g->line);
		g->debugger_since = 0;
		if (fn != NULL)
			r = fn(g, g->line + g->line_matched, true, arg);
		g->linelen = g->line_matched = 0;
	}
	if (i > 0) {
		memmove(g->pending, g->pending + i, g->npending - i);
		g->npending -= i;
	}
	if (r != 0 || g->line == NULL)
		return (r);
	/* The partial line: a prompt, perhaps the debugger's. */
	g->line[g->linelen] = '\0';
	if (g->have_debugger && line_matches(&g->debugger_re, g->line)) {
		if (g->debugger_since == 0)
			g->debugger_since = vkh_now();
	} else
		g->debugger_since = 0;
	if (fn != NULL && g->linelen > g->line_matched &&
	    (r = fn(g, g->line + g->line_matched, false, arg)) == 1)
		g->line_matched = g->linelen;
	return (r);
}

void
vkh_console_verdict(struct vkh_guest *g, struct vkh_status *st,
    enum vkh_verdict v, const char *phase, const char *fmt, ...)
{
	va_list ap;

	st->verdict = v;
	snprintf(st->phase, sizeof(st->phase), "%s", phase);
	va_start(ap, fmt);
	vsnprintf(st->message, sizeof(st->message), fmt, ap);
	va_end(ap);
	st->elapsed = g->start > 0 ? vkh_now() - g->start : 0;
	st->wstatus = g->wstatus;
	vkh_tail(g, 20, st->tail, sizeof(st->tail));
}

/* Decides what an exit means.  Returns 2 for a clean one when allowed. */
static int
judge_exit(struct vkh_guest *g, int flags, const char *phase,
    struct vkh_status *st)
{
	int ws = g->wstatus;
	const char *why = g->suspect ? g->suspect_msg : NULL;

	if (WIFSIGNALED(ws)) {
		vkh_console_verdict(g, st, VKH_CRASH, phase,
		    "%s%skernel killed by signal %d (%s)", why ? why : "",
		    why ? "; " : "", WTERMSIG(ws), strsignal(WTERMSIG(ws)));
		return (0);
	}
	if (WEXITSTATUS(ws) == g->profile->panic_status) {
		vkh_console_verdict(g, st, VKH_CRASH, phase, "%s",
		    why ? why : "kernel exited with the panic status");
		return (0);
	}
	if (flags & VKH_WAIT_EXIT_OK) {
		st->verdict = VKH_PASS;
		st->wstatus = ws;
		return (2);
	}
	vkh_console_verdict(g, st, VKH_CRASH, phase,
	    "%s%skernel exited unexpectedly with status %d", why ? why : "",
	    why ? "; " : "", WEXITSTATUS(ws));
	return (0);
}

int
vkh_console_wait(struct vkh_guest *g, vkh_line_fn fn, void *arg, double timeout,
    int flags, const char *phase, struct vkh_status *st)
{
	double now, deadline = vkh_now() + timeout, next;
	double silence = g->profile->silence;
	struct pollfd pfd;
	int r;

	for (;;) {
		if ((r = process_pending(g, fn, arg)) != 0)
			break;
		reap(g, false);
		if (g->wstatus != -1 || g->fd < 0) {
			/* Drain what the kernel said last, then judge. */
			read_console(g);
			if (g->npending > 0)
				continue;
			if (g->fd < 0 || g->wstatus != -1) {
				for (int i = 0; i < 40 && g->wstatus == -1;
				     i++) {
					usleep(50 * 1000);
					reap(g, false);
				}
				if (g->wstatus == -1) {
					vkh_console_verdict(g, st, VKH_CRASH,
					    phase,
					    "the console closed but the kernel "
					    "still runs");
					r = 0;
				} else
					r = judge_exit(g, flags, phase, st);
				break;
			}
		}
		now = vkh_now();
		if (g->suspect && now >= g->suspect_until) {
			/* Still running: it was text, not a panic. */
			g->suspect = false;
		}
		if (g->debugger_since > 0 && !g->allow_debugger &&
		    (g->suspect ||
			now - g->debugger_since >= DEBUGGER_SETTLE)) {
			vkh_console_verdict(g, st, VKH_CRASH, phase,
			    "%s%sstopped in the debugger",
			    g->suspect ? g->suspect_msg : "",
			    g->suspect ? "; " : "");
			r = 0;
			break;
		}
		if (now >= deadline) {
			vkh_console_verdict(g, st, VKH_HANG, phase,
			    "%s not reached in %.1f s (console quiet for "
			    "%.1f s)",
			    phase, timeout, now - g->last_output);
			r = 0;
			break;
		}
		if ((flags & VKH_WAIT_SILENCE) &&
		    now - g->last_output >= silence) {
			vkh_console_verdict(g, st, VKH_HANG, phase,
			    "console silent for %.1f s while waiting for %s",
			    now - g->last_output, phase);
			r = 0;
			break;
		}
		next = deadline;
		if ((flags & VKH_WAIT_SILENCE) &&
		    g->last_output + silence < next)
			next = g->last_output + silence;
		if (next > now + POLL_SLICE)
			next = now + POLL_SLICE;
		pfd.fd = g->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)((next - now) * 1000) + 1) > 0)
			read_console(g);
	}
	if (g->log != NULL)
		gzflush(g->log, Z_SYNC_FLUSH);
	return (r);
}

int
vkh_send(struct vkh_guest *g, const char *text)
{
	size_t len = strlen(text), off = 0;
	struct pollfd pfd;
	ssize_t n;

	while (off < len) {
		if (g->fd < 0)
			return (EIO);
		n = write(g->fd, text + off, len - off);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return (errno);
		/* The guest is not reading: keep draining its output. */
		pfd.fd = g->fd;
		pfd.events = POLLOUT | POLLIN;
		if (poll(&pfd, 1, 100) > 0 && (pfd.revents & POLLIN))
			read_console(g);
	}
	return (0);
}

bool
vkh_wait_exit(struct vkh_guest *g, double timeout, int *wstatus)
{
	double deadline = vkh_now() + timeout;

	while (vkh_now() < deadline) {
		struct pollfd pfd = { .fd = g->fd, .events = POLLIN };

		reap(g, false);
		if (g->wstatus != -1) {
			read_console(g);
			process_pending(g, NULL, NULL);
			if (wstatus != NULL)
				*wstatus = g->wstatus;
			return (true);
		}
		if (poll(&pfd, 1, 50) > 0)
			read_console(g);
		process_pending(g, NULL, NULL);
	}
	return (false);
}

void
vkh_console_drain(struct vkh_guest *g)
{
	read_console(g);
	process_pending(g, NULL, NULL);
	if (g->log != NULL)
		gzflush(g->log, Z_SYNC_FLUSH);
}

char *
vkh_tail(struct vkh_guest *g, int nlines, char *buf, size_t size)
{
	size_t off = 0;
	int i, idx;

	if (size == 0)
		return (buf);
	buf[0] = '\0';
	if (nlines > VKH_TAIL_LINES)
		nlines = VKH_TAIL_LINES;
	for (i = nlines; i > 0; i--) {
		idx = (g->ringpos - i + VKH_TAIL_LINES) % VKH_TAIL_LINES;
		if (g->ring[idx] != NULL && off < size)
			off += (size_t)snprintf(buf + off, size - off, "%.*s\n",
			    (int)(size / 4), g->ring[idx]);
	}
	if (g->linelen > 0 && off < size)
		snprintf(buf + off, size - off, "%.*s", (int)g->linelen,
		    g->line);
	return (buf);
}

bool
vkh_console_contains(struct vkh_guest *g, const char *text)
{
	return (g->transcript != NULL && strstr(g->transcript, text) != NULL);
}

const char *
vkh_transcript(struct vkh_guest *g)
{
	return (g->transcript != NULL ? g->transcript : "");
}

void
vkh_console_close(struct vkh_guest *g)
{
	bool shared = g->adopted;
	int i;

	/* The guest leads its own session: end all it started.  A shared
	 * guest is its keeper's to end; not handed back clean before, it
	 * is rebooted. */
	if (shared)
		vkh_share_detach(g, false);
	else if (g->pid > 0)
		kill(-g->pid, SIGKILL);
	if (!shared && g->pid > 0 && g->wstatus == -1) {
		kill(g->pid, SIGKILL);
		reap(g, true);
	}
	vkh_console_forget(g);
	if (g->fd >= 0)
		close(g->fd);
	g->fd = -1;
	if (g->log != NULL)
		gzclose(g->log);
	g->log = NULL;
	for (i = 0; i < VKH_TAIL_LINES; i++)
		free(g->ring[i]);
	free(g->pending);
	free(g->line);
	free(g->transcript);
}
