/*
 * vkh_expect.c - waiting for console text: patterns (POSIX extended
 * regular expressions) and literal text, one line at a time, with the
 * cursor semantics of the console engine (a match is only looked for
 * after the previous one) and its crash and hang rules on every read.
 *
 * A line still being printed (a prompt) is offered too, so that prompts
 * without a newline can be waited for.  A pattern ending in '$' after
 * anything but a blank asks for a whole line and is only tried on
 * complete lines, so that "^hw.ncpu: 3$" cannot match the first part of
 * "hw.ncpu: 30"; one ending in " $" is a prompt waiting for input
 * ("^db> $") and matches the line being printed.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/vkh_private.h"

#define MAX_PATTERNS 16

struct expect_state {
	regex_t re[MAX_PATTERNS];
	bool whole_line[MAX_PATTERNS];
	const char *text; /* literal text instead of patterns, or NULL */
	int n;
	int hit;
};

/* Keeps the text a match was found in, for vkh_match(). */
static void
keep_match(struct vkh_guest *g, const char *text)
{
	free(g->match);
	g->match = strdup(text);
}

static int
expect_fn(struct vkh_guest *g, const char *text, bool complete, void *arg)
{
	struct expect_state *es = arg;
	int i;

	if (es->text != NULL) {
		if (strstr(text, es->text) == NULL)
			return (0);
		es->hit = 0;
		keep_match(g, text);
		return (1);
	}
	for (i = 0; i < es->n; i++) {
		if (!complete && es->whole_line[i])
			continue;
		if (regexec(&es->re[i], text, 0, NULL, 0) == 0) {
			es->hit = i;
			keep_match(g, text);
			return (1);
		}
	}
	return (0);
}

/* Waits with es; names the wait after what it waits for. */
static int
wait_for(struct vkh_guest *g, struct expect_state *es, const char *what,
    double timeout, struct vkh_status *st)
{
	char phase[32];

	/* The status names the pattern, cut to fit, as its phase. */
	snprintf(phase, sizeof(phase), "%s", what);
	es->hit = -1;
	if (vkh_console_wait(g, expect_fn, es, timeout, VKH_WAIT_SILENCE, phase,
		st) != 1)
		return (-1);
	memset(st, 0, sizeof(*st));
	st->verdict = VKH_PASS;
	st->wstatus = -1;
	return (es->hit);
}

int
vkh_expect_any(struct vkh_guest *g, const char *const *res, int n,
    double timeout, struct vkh_status *st)
{
	struct expect_state es = { .n = 0 };
	size_t len;
	int i, r;

	memset(st, 0, sizeof(*st));
	st->wstatus = -1;
	if (n < 1 || n > MAX_PATTERNS) {
		vkh_console_verdict(g, st, VKH_ERROR, "expect",
		    "%d patterns: 1 to %d allowed", n, MAX_PATTERNS);
		return (-1);
	}
	for (i = 0; i < n; i++, es.n++) {
		if (regcomp(&es.re[i], res[i], REG_EXTENDED | REG_NOSUB) != 0) {
			vkh_console_verdict(g, st, VKH_ERROR, "expect",
			    "bad pattern \"%s\"", res[i]);
			r = -1;
			goto out;
		}
		len = strlen(res[i]);
		es.whole_line[i] = len >= 2 && res[i][len - 1] == '$' &&
		    res[i][len - 2] != '\\' && res[i][len - 2] != ' ';
	}
	r = wait_for(g, &es, res[0], timeout, st);
out:
	for (i = 0; i < es.n; i++)
		regfree(&es.re[i]);
	return (r);
}

bool
vkh_expect(struct vkh_guest *g, const char *re, double timeout,
    struct vkh_status *st)
{
	return (vkh_expect_any(g, &re, 1, timeout, st) == 0);
}

bool
vkh_expect_text(struct vkh_guest *g, const char *text, double timeout,
    struct vkh_status *st)
{
	struct expect_state es = { .text = text };

	memset(st, 0, sizeof(*st));
	st->wstatus = -1;
	return (wait_for(g, &es, text, timeout, st) == 0);
}

const char *
vkh_match(struct vkh_guest *g)
{
	return (g->match != NULL ? g->match : "");
}

int
vkh_send_line(struct vkh_guest *g, const char *text)
{
	int e = vkh_send(g, text);

	return (e != 0 ? e : vkh_send(g, g->profile->newline));
}
