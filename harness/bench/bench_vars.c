/*
 * bench_vars.c - ${KERNEL} and ${TMP} in benchmark commands.
 *
 * vkbench expands these itself, before the command goes to /bin/sh -c,
 * because ${TMP} changes with every run.  Each value is inserted as one
 * single-quoted shell word.  Any other "${" is an error, so that a typo
 * cannot silently become an empty shell variable; shell variables are
 * written $NAME.
 */
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "harness/bench/bench.h"

static const struct {
	const char *name;
	unsigned bit;
} bench_var_names[] = {
	{ "KERNEL", BENCH_VAR_KERNEL },
	{ "TMP", BENCH_VAR_TMP },
};

/* A growing string. */
struct strbuf {
	char *s;
	size_t len;
	size_t cap;
	bool nomem;
};

static void
sb_add(struct strbuf *sb, const char *s, size_t len)
{
	size_t ncap;
	char *ns;

	if (sb->nomem)
		return;
	if (sb->len + len + 1 > sb->cap) {
		ncap = sb->cap == 0 ? 64 : sb->cap;
		while (ncap < sb->len + len + 1)
			ncap *= 2;
		if ((ns = realloc(sb->s, ncap)) == NULL) {
			sb->nomem = true;
			return;
		}
		sb->s = ns;
		sb->cap = ncap;
	}
	memcpy(sb->s + sb->len, s, len);
	sb->len += len;
	sb->s[sb->len] = '\0';
}

/* Appends value as a single-quoted shell word: ' becomes '\''. */
static void
sb_add_quoted(struct strbuf *sb, const char *value)
{
	const char *p;

	sb_add(sb, "'", 1);
	for (p = value; *p != '\0'; p++) {
		if (*p == '\'')
			sb_add(sb, "'\\''", 4);
		else
			sb_add(sb, p, 1);
	}
	sb_add(sb, "'", 1);
}

static const char *
var_value(const struct bench_vars *vars, unsigned bit)
{
	return (bit == BENCH_VAR_KERNEL ? vars->kernel : vars->tmp);
}

/*
 * Walks cmd; with vars and sb set, also builds the expansion.  Returns 0
 * or EX_DATAERR with a message in err.
 */
static int
scan(const char *cmd, const struct bench_vars *vars, struct strbuf *sb,
    unsigned *used, char *err, size_t errlen)
{
	const char *p, *start, *end, *value;
	size_t i, len;

	*used = 0;
	for (p = cmd; *p != '\0'; p = end + 1) {
		start = strstr(p, "${");
		if (start == NULL) {
			if (sb != NULL)
				sb_add(sb, p, strlen(p));
			break;
		}
		if (sb != NULL)
			sb_add(sb, p, start - p);
		if ((end = strchr(start, '}')) == NULL) {
			snprintf(err, errlen, "unterminated \"${\" in \"%s\"",
			    cmd);
			return (EX_DATAERR);
		}
		len = end - (start + 2);
		for (i = 0;
		     i < sizeof(bench_var_names) / sizeof(bench_var_names[0]);
		     i++) {
			if (strlen(bench_var_names[i].name) == len &&
			    strncmp(bench_var_names[i].name, start + 2, len) ==
				0)
				break;
		}
		if (i == sizeof(bench_var_names) / sizeof(bench_var_names[0])) {
			snprintf(err, errlen,
			    "unknown variable ${%.*s} (known: ${KERNEL}, "
			    "${TMP}; write shell variables as $NAME)",
			    (int)len, start + 2);
			return (EX_DATAERR);
		}
		*used |= bench_var_names[i].bit;
		if (sb == NULL)
			continue;
		if ((value = var_value(vars, bench_var_names[i].bit)) == NULL) {
			snprintf(err, errlen, "${%s} has no value here",
			    bench_var_names[i].name);
			return (EX_DATAERR);
		}
		sb_add_quoted(sb, value);
	}
	return (0);
}

int
bench_command_check(const char *cmd, unsigned *vars, char *err, size_t errlen)
{
	return (scan(cmd, NULL, NULL, vars, err, errlen));
}

int
bench_expand(const char *cmd, const struct bench_vars *vars, char **out,
    char *err, size_t errlen)
{
	struct strbuf sb = { NULL, 0, 0, false };
	unsigned used;
	int error;

	*out = NULL;
	sb_add(&sb, "", 0);
	if ((error = scan(cmd, vars, &sb, &used, err, errlen)) != 0) {
		free(sb.s);
		return (error);
	}
	if (sb.nomem) {
		free(sb.s);
		snprintf(err, errlen, "out of memory");
		return (EX_OSERR);
	}
	*out = sb.s;
	return (0);
}
