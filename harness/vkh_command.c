/*
 * vkh_command.c - commands in the guest between random markers, and the
 * shutdown the profile's way.
 *
 * Commands are typed as one line:
 *	printf '%s%s\n' VKB. TOKEN; eval 'CMD'; printf '%s%s:%d\n' VKE. TOKEN $?
 * The terminal echoes that line with a blank inside each marker, so only
 * the command's real output contains "VKB.TOKEN" and "VKE.TOKEN:status".
 * TOKEN is random for each command: neither a guest program nor a kernel
 * message interleaved on the console can forge an end marker or a status.
 */
#include <errno.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "harness/vkh_private.h"

#define MAX_OUTPUT (1024 * 1024)

struct run_state {
	char begin[48], end[48];
	bool started;
	FILE *out;
	size_t len;
	int status;
};

static int
run_fn(struct vkh_guest *g, const char *text, bool complete, void *arg)
{
	struct run_state *rs = arg;
	const char *m;
	size_t n;

	if (!complete)
		return (0);
	if (!rs->started) {
		/* The marker ends its line; a message may precede it. */
		n = strlen(text);
		rs->started = n >= strlen(rs->begin) &&
		    strcmp(text + n - strlen(rs->begin), rs->begin) == 0;
		return (0);
	}
	m = strstr(text, rs->end);
	n = m != NULL ? (size_t)(m - text) : strlen(text);
	if (rs->len + n < MAX_OUTPUT) {
		fwrite(text, 1, n, rs->out);
		if (m == NULL)
			putc('\n', rs->out);
		rs->len += n + 1;
	}
	if (m == NULL)
		return (0);
	rs->status = atoi(m + strlen(rs->end));
	return (1);
}

bool
vkh_run(struct vkh_guest *g, const char *cmd, double timeout, char **output,
    int *exitcode, struct vkh_status *st)
{
	struct run_state rs = { .status = -1 };
	char token[17], *buf = NULL;
	size_t len = 0;
	FILE *line;
	int r;

	memset(st, 0, sizeof(*st));
	*output = NULL;
	if (!g->at_shell) {
		vkh_console_verdict(g, st, VKH_ERROR, "command",
		    "no shell: the boot did not reach the profile's "
		    "shell-phase");
		return (false);
	}
	vkh_random_hex(token, sizeof(token));
	snprintf(rs.begin, sizeof(rs.begin), "VKB.%s", token);
	snprintf(rs.end, sizeof(rs.end), "VKE.%s:", token);
	if ((line = open_memstream(&buf, &len)) == NULL ||
	    (rs.out = open_memstream(output, &rs.len)) == NULL) {
		if (line != NULL)
			fclose(line);
		free(buf);
		vkh_console_verdict(g, st, VKH_ERROR, "command", "no memory");
		return (false);
	}
	fprintf(line, "printf '%%s%%s\\n' VKB. %s; eval '", token);
	for (const char *c = cmd; *c != '\0'; c++)
		*c == '\'' ? fputs("'\\''", line) : putc(*c, line);
	fprintf(line, "'; printf '%%s%%s:%%d\\n' VKE. %s $?%s", token,
	    g->profile->newline);
	fclose(line);
	if ((r = vkh_send(g, buf)) != 0)
		vkh_console_verdict(g, st, VKH_ERROR, "command",
		    "console write: %s", strerror(r));
	free(buf);
	if (r == 0)
		r = vkh_console_wait(g, run_fn, &rs, timeout, 0, "command",
			st) == 1 ?
		    0 :
		    -1;
	fclose(rs.out);
	rs.out = NULL;
	if (r != 0) {
		if (st->verdict == VKH_HANG)
			snprintf(st->message, sizeof(st->message),
			    "command \"%.200s\" did not finish in %.1f s", cmd,
			    timeout);
		free(*output);
		*output = NULL;
		return (false);
	}
	*exitcode = rs.status;
	st->verdict = VKH_PASS;
	return (true);
}

static int
shutdown_fn(struct vkh_guest *g, const char *text, bool complete, void *arg)
{
	return (complete && regexec(arg, text, 0, NULL, 0) == 0);
}

/* Checks the way the kernel ended after a shutdown. */
static bool
judge_shutdown(struct vkh_guest *g, bool saw_line, struct vkh_status *st)
{
	struct vkh_profile *p = g->profile;
	int ws = g->wstatus;

	if (WIFSIGNALED(ws) || WEXITSTATUS(ws) == p->panic_status)
		vkh_console_verdict(g, st, VKH_CRASH, "shutdown", "%s%s",
		    g->suspect ? g->suspect_msg : "kernel died",
		    WIFSIGNALED(ws) ? " (killed by a signal)" : "");
	else if (WEXITSTATUS(ws) != p->shutdown_status)
		vkh_console_verdict(g, st, VKH_FAIL, "shutdown",
		    "exit status %d, expected %d", WEXITSTATUS(ws),
		    p->shutdown_status);
	else if (!saw_line)
		vkh_console_verdict(g, st, VKH_FAIL, "shutdown",
		    "exited without the halt line");
	else {
		st->verdict = VKH_PASS;
		st->wstatus = ws;
		return (true);
	}
	return (false);
}

bool
vkh_shutdown(struct vkh_guest *g, struct vkh_status *st)
{
	struct vkh_profile *p = g->profile;
	double t0 = vkh_now(), left;
	bool saw_line = p->shutdown_line == NULL;
	regex_t re;
	int r = 2;

	memset(st, 0, sizeof(*st));
	if (g->wstatus == -1 && p->shutdown_signal != 0)
		kill(g->pid, p->shutdown_signal);
	else if (g->wstatus == -1) {
		vkh_send(g, p->shutdown_command);
		vkh_send(g, p->newline);
	}
	if (p->shutdown_line != NULL && g->wstatus == -1) {
		if (regcomp(&re, p->shutdown_line, REG_EXTENDED | REG_NOSUB)) {
			vkh_console_verdict(g, st, VKH_ERROR, "shutdown",
			    "bad shutdown-line");
			return (false);
		}
		r = vkh_console_wait(g, shutdown_fn, &re, p->shutdown_timeout,
		    VKH_WAIT_EXIT_OK, "shutdown", st);
		regfree(&re);
		if (r == 0)
			return (false);
		saw_line = r == 1;
	}
	left = p->shutdown_timeout - (vkh_now() - t0);
	if (!vkh_wait_exit(g, left > 0.1 ? left : 0.1, NULL)) {
		vkh_console_verdict(g, st, VKH_HANG, "shutdown",
		    "kernel still runs %.1f s after the shutdown request",
		    p->shutdown_timeout);
		return (false);
	}
	return (judge_shutdown(g, saw_line, st));
}
