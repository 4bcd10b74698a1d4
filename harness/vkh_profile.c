/*
 * vkh_profile.c - boot profiles: the line format of vkh.profile(5), its
 * parser, variable expansion and the verdict names.
 *
 * A profile is a list of "key word..." lines.  Words are separated by
 * blanks; a word in double quotes may hold blanks and the escapes \" \\
 * \n \r \t; "#" at the start of a word begins a comment.  Every problem is
 * reported as "file:line: what" and the whole profile is refused.
 */
#include <errno.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/vkh_private.h"

static const char *const verdict_names[] = {
	[VKH_PASS] = "pass",
	[VKH_FLAKY] = "flaky",
	[VKH_SKIP] = "skip",
	[VKH_FAIL] = "fail",
	[VKH_CRASH] = "crash",
	[VKH_HANG] = "hang",
	[VKH_ERROR] = "error",
};

const char *
vkh_verdict_name(enum vkh_verdict v)
{
	if ((unsigned)v >= sizeof(verdict_names) / sizeof(verdict_names[0]))
		return ("error");
	return (verdict_names[v]);
}

int
vkh_verdict_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(verdict_names) / sizeof(verdict_names[0]); i++)
		if (strcmp(s, verdict_names[i]) == 0)
			return ((int)i);
	return (-1);
}

int
vkh_signal_number(const char *s)
{
	static const struct {
		const char *name;
		int num;
	} sigs[] = { { "TERM", SIGTERM }, { "INT", SIGINT }, { "HUP", SIGHUP },
		{ "QUIT", SIGQUIT }, { "KILL", SIGKILL }, { "USR1", SIGUSR1 },
		{ "USR2", SIGUSR2 } };
	char *end;
	long n;
	size_t i;

	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (strcmp(s, sigs[i].name) == 0)
			return (sigs[i].num);
	n = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || n <= 0 || n >= NSIG)
		return (-1);
	return ((int)n);
}

void
vkh_vars_set(struct vkh_vars *v, const char *name, const char *value)
{
	int i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->name[i], name) == 0) {
			v->value[i] = value;
			return;
		}
	if (v->n < (int)(sizeof(v->name) / sizeof(v->name[0]))) {
		v->name[v->n] = name;
		v->value[v->n++] = value;
	}
}

char *
vkh_expand(const char *in, const struct vkh_vars *v, char *err, size_t errlen)
{
	size_t cap = strlen(in) + 64, len = 0, vl;
	char *out = malloc(cap), *nout;
	const char *p, *end, *val;
	int i;

	if (out == NULL)
		return (NULL);
	for (p = in; *p != '\0';) {
		val = NULL;
		vl = 1;
		if (p[0] == '$' && p[1] == '{' && (end = strchr(p, '}'))) {
			for (i = v->n - 1; i >= 0; i--)
				if (strlen(v->name[i]) ==
					(size_t)(end - p - 2) &&
				    strncmp(v->name[i], p + 2, end - p - 2) ==
					0)
					break;
			if (i < 0) {
				snprintf(err, errlen,
				    "unknown variable '%.*s' in \"%s\"",
				    (int)(end - p - 2), p + 2, in);
				free(out);
				return (NULL);
			}
			val = v->value[i];
			vl = strlen(val);
			p = end + 1;
		} else {
			val = p++;
		}
		if (len + vl + 1 > cap) {
			cap = (len + vl + 1) * 2;
			if ((nout = realloc(out, cap)) == NULL) {
				free(out);
				return (NULL);
			}
			out = nout;
		}
		memcpy(out + len, val, vl);
		len += vl;
	}
	out[len] = '\0';
	return (out);
}

/* Splits line into words in place; returns the count or -1 with err. */
static int
split_words(char *line, char **words, int max, char *err, size_t errlen)
{
	char *r = line, *w;
	int n = 0;

	for (;;) {
		while (*r == ' ' || *r == '\t')
			r++;
		if (*r == '\0' || *r == '#')
			return (n);
		if (n == max) {
			snprintf(err, errlen, "more than %d words", max);
			return (-1);
		}
		words[n++] = w = r;
		if (*r != '"') {
			while (*r != '\0' && *r != ' ' && *r != '\t')
				r++;
			if (*r != '\0')
				*r++ = '\0';
			continue;
		}
		for (r++;; r++) {
			if (*r == '\0') {
				snprintf(err, errlen, "unterminated quote");
				return (-1);
			}
			if (*r == '"')
				break;
			if (*r == '\\' && r[1] != '\0' &&
			    strchr("nrt\"\\", r[1]) != NULL) {
				r++;
				*w++ = *r == 'n' ? '\n' :
				    *r == 'r'	 ? '\r' :
				    *r == 't'	 ? '\t' :
						   *r;
			} else
				*w++ = *r;
		}
		*w = '\0';
		r++;
		if (*r != '\0' && *r != ' ' && *r != '\t') {
			snprintf(err, errlen, "text after closing quote");
			return (-1);
		}
	}
}

static int
parse_seconds(const char *s, double *out)
{
	char *end;

	*out = strtod(s, &end);
	return (*s != '\0' && *end == '\0' && *out > 0 && *out < 86400 ? 0 :
									 -1);
}

/* Compiles re when it holds no variable, to find bad patterns early. */
static int
check_regex(const char *re, char *err, size_t errlen)
{
	regex_t r;
	int e;

	if (strstr(re, "${") != NULL)
		return (0);
	if ((e = regcomp(&r, re, REG_EXTENDED)) != 0) {
		char msg[128];

		regerror(e, &r, msg, sizeof(msg));
		snprintf(err, errlen, "bad pattern \"%s\": %s", re, msg);
		return (-1);
	}
	regfree(&r);
	return (0);
}

static char *
dup_or_fail(const char *s, int *fail)
{
	char *d = strdup(s);

	if (d == NULL)
		*fail = 1;
	return (d);
}

static int
parse_phase(struct vkh_profile *p, char **w, int n, char *err, size_t errlen)
{
	struct vkh_phase *ph;
	int i, fail = 0;

	if (n < 4) {
		snprintf(err, errlen,
		    "usage: phase NAME SECONDS PATTERN "
		    "[optional] [send TEXT]");
		return (-1);
	}
	if (p->nphases == VKH_MAX_PHASES) {
		snprintf(err, errlen, "more than %d phases", VKH_MAX_PHASES);
		return (-1);
	}
	for (i = 0; i < p->nphases; i++)
		if (strcmp(p->phases[i].name, w[1]) == 0) {
			snprintf(err, errlen, "phase '%s' given twice", w[1]);
			return (-1);
		}
	ph = &p->phases[p->nphases];
	if (parse_seconds(w[2], &ph->timeout) != 0) {
		snprintf(err, errlen, "bad timeout '%s'", w[2]);
		return (-1);
	}
	if (check_regex(w[3], err, errlen) != 0)
		return (-1);
	for (i = 4; i < n; i++) {
		if (strcmp(w[i], "optional") == 0)
			ph->optional = true;
		else if (strcmp(w[i], "send") == 0 && i + 1 < n)
			ph->send = dup_or_fail(w[++i], &fail);
		else {
			snprintf(err, errlen, "unknown phase option '%s'",
			    w[i]);
			return (-1);
		}
	}
	ph->name = dup_or_fail(w[1], &fail);
	ph->pattern = dup_or_fail(w[3], &fail);
	p->nphases++;
	return (fail ? -1 : 0);
}

/* Sets *dst to a copy of the single argument of key. */
static int
one_string(char **dst, char **w, int n, char *err, size_t errlen)
{
	if (n != 2) {
		snprintf(err, errlen, "'%s' takes one value", w[0]);
		return (-1);
	}
	free(*dst);
	*dst = strdup(w[1]);
	return (*dst == NULL ? -1 : 0);
}

static int
one_number(double *dst, char **w, int n, char *err, size_t errlen)
{
	if (n != 2 || parse_seconds(w[1], dst) != 0) {
		snprintf(err, errlen, "'%s' takes a number of seconds", w[0]);
		return (-1);
	}
	return (0);
}

static int
one_status(int *dst, char **w, int n, char *err, size_t errlen)
{
	char *end;
	long v = n == 2 ? strtol(w[1], &end, 10) : -1;

	if (n != 2 || *end != '\0' || v < 0 || v > 255) {
		snprintf(err, errlen, "'%s' takes an exit status 0-255", w[0]);
		return (-1);
	}
	*dst = (int)v;
	return (0);
}

static int
word_list(char **dst, int *ndst, int max, char **w, int n, char *err,
    size_t errlen)
{
	int i;

	if (n < 2 || *ndst + n - 1 > max) {
		snprintf(err, errlen, "'%s' needs 1 to %d words", w[0], max);
		return (-1);
	}
	for (i = 1; i < n; i++)
		if ((dst[(*ndst)++] = strdup(w[i])) == NULL)
			return (-1);
	return (0);
}

static int
parse_shutdown(struct vkh_profile *p, char **w, int n, char *err, size_t errlen)
{
	if (n == 3 && strcmp(w[1], "signal") == 0) {
		if ((p->shutdown_signal = vkh_signal_number(w[2])) < 0) {
			snprintf(err, errlen, "unknown signal '%s'", w[2]);
			return (-1);
		}
		return (0);
	}
	if (n == 3 && strcmp(w[1], "command") == 0) {
		p->shutdown_signal = 0;
		return (one_string(&p->shutdown_command, w + 1, 2, err,
		    errlen));
	}
	snprintf(err, errlen, "usage: shutdown signal NAME | command TEXT");
	return (-1);
}

/* Handles one split line; returns 0 or -1 with err. */
static int
parse_line(struct vkh_profile *p, char **w, int n, char *err, size_t errlen)
{
	const char *k = w[0];

	if (strcmp(k, "name") == 0)
		return (one_string(&p->name, w, n, err, errlen));
	if (strcmp(k, "command") == 0)
		return (word_list(p->command, &p->ncommand, VKH_MAX_WORDS - 1,
		    w, n, err, errlen));
	if (strcmp(k, "image") == 0)
		return (word_list(p->image_words, &p->nimage_words, 8, w, n,
		    err, errlen));
	if (strcmp(k, "env") == 0) {
		if (n != 2 || strchr(w[1], '=') == NULL) {
			snprintf(err, errlen, "usage: env NAME=VALUE");
			return (-1);
		}
		return (word_list(p->env, &p->nenv, VKH_MAX_SETS, w, n, err,
		    errlen));
	}
	if (strcmp(k, "set") == 0) {
		if (n != 3 || p->nset == VKH_MAX_SETS) {
			snprintf(err, errlen, "usage: set NAME VALUE");
			return (-1);
		}
		p->set_name[p->nset] = strdup(w[1]);
		p->set_value[p->nset++] = strdup(w[2]);
		return (0);
	}
	if (strcmp(k, "phase") == 0)
		return (parse_phase(p, w, n, err, errlen));
	if (strcmp(k, "silence") == 0)
		return (one_number(&p->silence, w, n, err, errlen));
	if (strcmp(k, "panic") == 0 || strcmp(k, "trap") == 0 ||
	    strcmp(k, "debugger") == 0 || strcmp(k, "shutdown-line") == 0) {
		char **dst = k[0] == 'p' ? &p->panic :
		    k[0] == 't'		 ? &p->trap :
		    k[0] == 'd'		 ? &p->debugger :
					   &p->shutdown_line;

		if (n == 2 && check_regex(w[1], err, errlen) != 0)
			return (-1);
		return (one_string(dst, w, n, err, errlen));
	}
	if (strcmp(k, "panic-status") == 0)
		return (one_status(&p->panic_status, w, n, err, errlen));
	if (strcmp(k, "panic-grace") == 0)
		return (one_number(&p->panic_grace, w, n, err, errlen));
	if (strcmp(k, "newline") == 0)
		return (one_string(&p->newline, w, n, err, errlen));
	if (strcmp(k, "shell-phase") == 0)
		return (one_string(&p->shell_phase, w, n, err, errlen));
	if (strcmp(k, "prompt-command") == 0)
		return (one_string(&p->prompt_command, w, n, err, errlen));
	if (strcmp(k, "shutdown") == 0)
		return (parse_shutdown(p, w, n, err, errlen));
	if (strcmp(k, "shutdown-status") == 0)
		return (one_status(&p->shutdown_status, w, n, err, errlen));
	if (strcmp(k, "shutdown-timeout") == 0)
		return (one_number(&p->shutdown_timeout, w, n, err, errlen));
	snprintf(err, errlen, "unknown key '%s'", k);
	return (-1);
}

/* Checks what single lines cannot: required keys and references. */
static int
check_profile(struct vkh_profile *p, char *err, size_t errlen)
{
	int i;

	if (p->ncommand == 0) {
		snprintf(err, errlen, "no 'command' line");
		return (-1);
	}
	if (p->nphases == 0) {
		snprintf(err, errlen, "no 'phase' line");
		return (-1);
	}
	if (p->shell_phase != NULL) {
		for (i = 0; i < p->nphases; i++)
			if (strcmp(p->phases[i].name, p->shell_phase) == 0)
				break;
		if (i == p->nphases || p->prompt_command == NULL) {
			snprintf(err, errlen,
			    "shell-phase '%s' needs a phase of that name and "
			    "a prompt-command",
			    p->shell_phase);
			return (-1);
		}
	}
	return (0);
}

struct vkh_profile *
vkh_profile_parse(const char *text, const char *name, char *err, size_t errlen)
{
	struct vkh_profile *p = calloc(1, sizeof(*p));
	char *copy = strdup(text), *line, *next, *w[VKH_MAX_WORDS];
	char msg[256];
	int lineno = 0, n;

	if (p == NULL || copy == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		goto fail;
	}
	p->panic_status = -1;
	p->panic_grace = 5;
	p->silence = 30;
	p->shutdown_status = 0;
	p->shutdown_signal = SIGTERM;
	p->shutdown_timeout = 15;
	for (line = copy; line != NULL; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		msg[0] = '\0';
		if ((n = split_words(line, w, VKH_MAX_WORDS, msg,
			 sizeof(msg))) < 0 ||
		    (n > 0 && parse_line(p, w, n, msg, sizeof(msg)) != 0)) {
			snprintf(err, errlen, "%s:%d: %s", name, lineno,
			    msg[0] != '\0' ? msg : "out of memory");
			goto fail;
		}
	}
	if (check_profile(p, msg, sizeof(msg)) != 0) {
		snprintf(err, errlen, "%s: %s", name, msg);
		goto fail;
	}
	if (p->newline == NULL)
		p->newline = strdup("\n");
	if (p->name == NULL)
		p->name = strdup(name);
	free(copy);
	return (p);
fail:
	free(copy);
	vkh_profile_free(p);
	return (NULL);
}

struct vkh_profile *
vkh_profile_load(const char *path, char *err, size_t errlen)
{
	struct vkh_profile *p;
	char *text = NULL;
	size_t len = 0;
	FILE *f, *m;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	if ((m = open_memstream(&text, &len)) == NULL) {
		fclose(f);
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	for (int c; (c = getc(f)) != EOF;)
		putc(c, m);
	fclose(f);
	fclose(m);
	p = vkh_profile_parse(text, path, err, errlen);
	free(text);
	return (p);
}

void
vkh_profile_free(struct vkh_profile *p)
{
	int i;

	if (p == NULL)
		return;
	free(p->name);
	for (i = 0; i < p->ncommand; i++)
		free(p->command[i]);
	for (i = 0; i < p->nimage_words; i++)
		free(p->image_words[i]);
	for (i = 0; i < p->nenv; i++)
		free(p->env[i]);
	for (i = 0; i < p->nset; i++) {
		free(p->set_name[i]);
		free(p->set_value[i]);
	}
	for (i = 0; i < p->nphases; i++) {
		free(p->phases[i].name);
		free(p->phases[i].pattern);
		free(p->phases[i].send);
	}
	free(p->panic);
	free(p->trap);
	free(p->debugger);
	free(p->newline);
	free(p->shell_phase);
	free(p->prompt_command);
	free(p->shutdown_command);
	free(p->shutdown_line);
	free(p);
}

const char *
vkh_profile_name(const struct vkh_profile *p)
{
	return (p->name);
}

int
vkh_profile_nphases(const struct vkh_profile *p)
{
	return (p->nphases);
}

const char *
vkh_profile_phase(const struct vkh_profile *p, int i)
{
	return (i >= 0 && i < p->nphases ? p->phases[i].name : NULL);
}

int
vkh_profile_find(const char *name, char *buf, size_t size)
{
	const char *dir = getenv("VKH_PROFILES");

	if (strchr(name, '/') != NULL) {
		snprintf(buf, size, "%s", name);
		return (access(buf, R_OK) == 0 ? 0 : ENOENT);
	}
	if (dir != NULL) {
		snprintf(buf, size, "%s/%s.profile", dir, name);
		if (access(buf, R_OK) == 0)
			return (0);
	}
	snprintf(buf, size, "harness/profiles/%s.profile", name);
	return (access(buf, R_OK) == 0 ? 0 : ENOENT);
}
