/*
 * bench_conf.c - reading benchmark definitions (the format of benches.conf).
 *
 * A file is a list of benchmarks, each a "[name]" header followed by
 * "key = value" lines:
 *
 *	[boot.mountroot]
 *	description = start to mountroot prompt
 *	guest = env VKERNEL_DIR=${TMP} ${KERNEL} -m 64m
 *	guest.until = "mountroot> "
 *	native = /bin/sh -c 'echo mountroot\>; sleep 10'
 *	native.until = "mountroot> "
 *
 * Blank lines and lines starting with "#" are ignored.  A value runs to the
 * end of the line with the surrounding blanks removed, or is a "quoted"
 * string with the escapes \" \\ \n \r \t, to keep blanks at its ends.  The
 * keys "until" take the bare word exit (the run ends when the process
 * exits) or any other value, which is the pattern to wait for; "status"
 * gives the exit status that an until-exit run must have.  The keys
 * "value" name a label: the side then reports its own measurement on an
 * output line "<label> <nanoseconds>", which replaces the wall-clock time
 * of the run (so a guest can leave its boot out).  vkbench(1) documents
 * the format for users.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "harness/bench/bench.h"

/* Where the parser is, for messages. */
struct conf_cursor {
	const char *path;
	int line;
	char *err;
	size_t errlen;
};

/* Which keys a benchmark has been given, to catch repeats and omissions. */
enum {
	KEY_DESCRIPTION,
	KEY_GUEST,
	KEY_GUEST_UNTIL,
	KEY_GUEST_STATUS,
	KEY_GUEST_VALUE,
	KEY_NATIVE,
	KEY_NATIVE_UNTIL,
	KEY_NATIVE_STATUS,
	KEY_NATIVE_VALUE,
	NKEYS
};

static const char *const key_names[NKEYS] = {
	[KEY_DESCRIPTION] = "description",
	[KEY_GUEST] = "guest",
	[KEY_GUEST_UNTIL] = "guest.until",
	[KEY_GUEST_STATUS] = "guest.status",
	[KEY_GUEST_VALUE] = "guest.value",
	[KEY_NATIVE] = "native",
	[KEY_NATIVE_UNTIL] = "native.until",
	[KEY_NATIVE_STATUS] = "native.status",
	[KEY_NATIVE_VALUE] = "native.value",
};

static int conf_error(struct conf_cursor *cur, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
conf_error(struct conf_cursor *cur, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(cur->err, cur->errlen, "%s:%d: ", cur->path, cur->line);
	if (n >= 0 && (size_t)n < cur->errlen) {
		va_start(ap, fmt);
		vsnprintf(cur->err + n, cur->errlen - n, fmt, ap);
		va_end(ap);
	}
	return (EX_DATAERR);
}

static bool
is_blank(int c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v');
}

/* Removes blanks at both ends of s in place and returns the new start. */
static char *
trim(char *s)
{
	size_t len;

	while (is_blank((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && is_blank((unsigned char)s[len - 1]))
		s[--len] = '\0';
	return (s);
}

static bool
valid_name(const char *name)
{
	size_t len;
	const char *p;

	len = strlen(name);
	if (len == 0 || len > BENCH_NAME_MAX)
		return (false);
	for (p = name; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
			*p == '-'))
			return (false);
	}
	return (true);
}

/*
 * Decodes a quoted value in place: s points at the opening quote; the
 * decoded string starts at s.  Returns 0 or EX_DATAERR.
 */
static int
unquote(struct conf_cursor *cur, char *s)
{
	char *in, *out;

	out = s;
	for (in = s + 1; *in != '"'; in++) {
		if (*in == '\0')
			return (conf_error(cur, "unterminated quoted value"));
		if (*in != '\\') {
			*out++ = *in;
			continue;
		}
		switch (*++in) {
		case '"':
		case '\\':
			*out++ = *in;
			break;
		case 'n':
			*out++ = '\n';
			break;
		case 'r':
			*out++ = '\r';
			break;
		case 't':
			*out++ = '\t';
			break;
		case '\0':
			return (conf_error(cur, "unterminated quoted value"));
		default:
			return (conf_error(cur,
			    "unknown escape \\%c in quoted value (known: "
			    "\\\" \\\\ \\n \\r \\t)",
			    *in));
		}
	}
	if (*trim(in + 1) != '\0')
		return (conf_error(cur, "text after the closing quote"));
	*out = '\0';
	return (0);
}

static int
parse_status(struct conf_cursor *cur, const char *key, const char *value,
    int *status)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || v < 0 || v > 255)
		return (conf_error(cur,
		    "%s must be an exit status from 0 to 255, not \"%s\"", key,
		    value));
	*status = (int)v;
	return (0);
}

/* Checks that the benchmark that ends here has everything it needs. */
static int
bench_finish(struct conf_cursor *cur, struct bench *b, const bool *seen)
{
	static const int required[] = { KEY_DESCRIPTION, KEY_GUEST,
		KEY_GUEST_UNTIL, KEY_NATIVE, KEY_NATIVE_UNTIL };
	struct conf_cursor at = *cur;
	size_t i;

	/* The messages name the header line of the benchmark. */
	at.line = b->line;
	cur = &at;
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		if (!seen[required[i]])
			return (conf_error(cur, "benchmark %s has no %s",
			    b->name, key_names[required[i]]));
	}
	if (seen[KEY_GUEST_STATUS] && b->guest.until != BENCH_UNTIL_EXIT)
		return (conf_error(cur,
		    "benchmark %s: guest.status needs guest.until = exit",
		    b->name));
	if (seen[KEY_NATIVE_STATUS] && b->native.until != BENCH_UNTIL_EXIT)
		return (conf_error(cur,
		    "benchmark %s: native.status needs native.until = exit",
		    b->name));
	return (0);
}

static int
set_until(struct conf_cursor *cur, struct bench_side *side, const char *key,
    const char *value, bool quoted)
{
	if (!quoted && strcmp(value, "exit") == 0) {
		side->until = BENCH_UNTIL_EXIT;
		return (0);
	}
	if (strlen(value) > BENCH_PATTERN_MAX)
		return (conf_error(cur, "%s: pattern longer than %d bytes", key,
		    BENCH_PATTERN_MAX));
	if ((side->pattern = strdup(value)) == NULL)
		return (EX_OSERR);
	side->until = BENCH_UNTIL_PATTERN;
	return (0);
}

/*
 * A value label: printable bytes without blanks, since the output line is
 * "<label> <number>" and is split at the first blank.
 */
static int
set_value(struct conf_cursor *cur, struct bench_side *side, const char *key,
    const char *value)
{
	const unsigned char *p;

	if (strlen(value) > BENCH_NAME_MAX)
		return (conf_error(cur, "%s: label longer than %d bytes", key,
		    BENCH_NAME_MAX));
	for (p = (const unsigned char *)value; *p != '\0'; p++) {
		if (*p <= ' ' || *p == 0x7f)
			return (conf_error(cur,
			    "%s: the label \"%s\" has a blank or a control "
			    "character",
			    key, value));
	}
	if ((side->value = strdup(value)) == NULL)
		return (EX_OSERR);
	return (0);
}

static int
set_command(struct conf_cursor *cur, struct bench_side *side, const char *key,
    const char *value)
{
	char msg[BENCH_ERR_MAX];

	if (bench_command_check(value, &side->vars, msg, sizeof(msg)) != 0)
		return (conf_error(cur, "%s: %s", key, msg));
	if ((side->command = strdup(value)) == NULL)
		return (EX_OSERR);
	return (0);
}

/* Stores key = value into b; value has been trimmed or unquoted. */
static int
set_key(struct conf_cursor *cur, struct bench *b, bool *seen, int key,
    const char *value, bool quoted)
{
	const char *name = key_names[key];

	if (seen[key])
		return (conf_error(cur, "%s given twice for benchmark %s", name,
		    b->name));
	seen[key] = true;
	if (*value == '\0')
		return (conf_error(cur, "%s is empty", name));
	switch (key) {
	case KEY_DESCRIPTION:
		if ((b->description = strdup(value)) == NULL)
			return (EX_OSERR);
		return (0);
	case KEY_GUEST:
		return (set_command(cur, &b->guest, name, value));
	case KEY_NATIVE:
		return (set_command(cur, &b->native, name, value));
	case KEY_GUEST_UNTIL:
		return (set_until(cur, &b->guest, name, value, quoted));
	case KEY_NATIVE_UNTIL:
		return (set_until(cur, &b->native, name, value, quoted));
	case KEY_GUEST_STATUS:
		return (parse_status(cur, name, value, &b->guest.status));
	case KEY_GUEST_VALUE:
		return (set_value(cur, &b->guest, name, value));
	case KEY_NATIVE_VALUE:
		return (set_value(cur, &b->native, name, value));
	default:
		return (parse_status(cur, name, value, &b->native.status));
	}
}

/* Handles a "key = value" line inside benchmark b. */
static int
parse_pair(struct conf_cursor *cur, struct bench *b, bool *seen, char *s)
{
	char *eq, *key, *value;
	bool quoted;
	int error, k;

	if ((eq = strchr(s, '=')) == NULL)
		return (conf_error(cur,
		    "expected \"key = value\" or \"[name]\", not \"%s\"", s));
	*eq = '\0';
	key = trim(s);
	value = trim(eq + 1);
	if (b == NULL)
		return (conf_error(cur,
		    "%s is outside a benchmark; start one with [name]", key));
	for (k = 0; k < NKEYS; k++) {
		if (strcmp(key, key_names[k]) == 0)
			break;
	}
	if (k == NKEYS)
		return (conf_error(cur,
		    "unknown key \"%s\" (known: description, guest, "
		    "guest.until, guest.status, guest.value, native, "
		    "native.until, native.status, native.value)",
		    key));
	quoted = *value == '"';
	if (quoted && (error = unquote(cur, value)) != 0)
		return (error);
	return (set_key(cur, b, seen, k, value, quoted));
}

/* Starts a new benchmark from a "[name]" line. */
static int
parse_header(struct conf_cursor *cur, struct bench_conf *conf, char *s)
{
	struct bench *b, *nb;
	const struct bench *old;
	size_t len;
	char *name;

	len = strlen(s);
	if (s[len - 1] != ']')
		return (conf_error(cur, "header \"%s\" lacks its closing ]",
		    s));
	s[len - 1] = '\0';
	name = trim(s + 1);
	if (!valid_name(name))
		return (conf_error(cur,
		    "bad benchmark name \"%s\" (1 to %d of A-Z a-z 0-9 . _ -)",
		    name, BENCH_NAME_MAX));
	if ((old = bench_conf_find(conf, name)) != NULL)
		return (conf_error(cur,
		    "benchmark %s defined twice (first at line %d)", name,
		    old->line));
	nb = realloc(conf->benches, (conf->nbenches + 1) * sizeof(*nb));
	if (nb == NULL)
		return (EX_OSERR);
	conf->benches = nb;
	b = &nb[conf->nbenches];
	memset(b, 0, sizeof(*b));
	b->guest.status = b->native.status = -1;
	b->line = cur->line;
	if ((b->name = strdup(name)) == NULL)
		return (EX_OSERR);
	conf->nbenches++;
	return (0);
}

int
bench_conf_parse(FILE *fp, const char *path, struct bench_conf *conf, char *err,
    size_t errlen)
{
	struct conf_cursor cur = { path, 0, err, errlen };
	struct bench *b;
	bool seen[NKEYS];
	char *line, *s;
	size_t cap, first;
	ssize_t len;
	int error;

	line = NULL;
	cap = 0;
	b = NULL;
	first = conf->nbenches;
	error = 0;
	while ((len = getline(&line, &cap, fp)) != -1) {
		cur.line++;
		if (memchr(line, '\0', len) != NULL) {
			error = conf_error(&cur, "NUL byte in line");
			goto out;
		}
		if (len > 0 && line[len - 1] == '\n')
			line[len - 1] = '\0';
		s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		if (*s == '[') {
			if (b != NULL &&
			    (error = bench_finish(&cur, b, seen)) != 0)
				goto out;
			if ((error = parse_header(&cur, conf, s)) != 0)
				goto out;
			b = &conf->benches[conf->nbenches - 1];
			memset(seen, 0, sizeof(seen));
			continue;
		}
		if ((error = parse_pair(&cur, b, seen, s)) != 0)
			goto out;
	}
	if (ferror(fp)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		error = EX_IOERR;
		goto out;
	}
	if (b != NULL)
		error = bench_finish(&cur, b, seen);
	else if (conf->nbenches == first) {
		snprintf(err, errlen, "%s: defines no benchmark", path);
		error = EX_DATAERR;
	}
out:
	if (error == EX_OSERR)
		snprintf(err, errlen, "%s: out of memory", path);
	free(line);
	return (error);
}

void
bench_conf_free(struct bench_conf *conf)
{
	struct bench *b;
	size_t i;

	for (i = 0; i < conf->nbenches; i++) {
		b = &conf->benches[i];
		free(b->name);
		free(b->description);
		free(b->guest.command);
		free(b->guest.pattern);
		free(b->guest.value);
		free(b->native.command);
		free(b->native.pattern);
		free(b->native.value);
	}
	free(conf->benches);
	memset(conf, 0, sizeof(*conf));
}

const struct bench *
bench_conf_find(const struct bench_conf *conf, const char *name)
{
	size_t i;

	for (i = 0; i < conf->nbenches; i++) {
		if (strcmp(conf->benches[i].name, name) == 0)
			return (&conf->benches[i]);
	}
	return (NULL);
}
