/*
 * db_lex.c - a cursor over one debugger command line: blanks, single
 * characters, words and decimal numbers.  Expressions build on it in
 * db_expr.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "runtime/ddb/db_private.h"

static bool
db_is_blank(char c)
{
	return (c == ' ' || c == '\t');
}

/* Characters of a word: command names, symbols, sysctl names. */
static bool
db_is_word(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '$');
}

static void
db_skip_blanks(struct db_lex *lx)
{
	while (db_is_blank(*lx->p))
		lx->p++;
}

void
db_lex_init(struct db_lex *lx, const char *line)
{
	lx->p = line;
}

bool
db_lex_eol(struct db_lex *lx)
{
	db_skip_blanks(lx);
	return (*lx->p == '\0');
}

bool
db_lex_accept(struct db_lex *lx, char c)
{
	db_skip_blanks(lx);
	if (*lx->p != c || c == '\0')
		return (false);
	lx->p++;
	return (true);
}

/* Copies the run of characters for which pred holds; see db_lex_word(). */
static size_t
db_lex_run(struct db_lex *lx, char *buf, size_t size, bool (*pred)(char))
{
	size_t len = 0;

	db_skip_blanks(lx);
	while (*lx->p != '\0' && pred(*lx->p)) {
		if (len + 1 < size)
			buf[len] = *lx->p;
		len++;
		lx->p++;
	}
	if (size > 0)
		buf[len < size ? len : size - 1] = '\0';
	return (len);
}

size_t
db_lex_word(struct db_lex *lx, char *buf, size_t size)
{
	return (db_lex_run(lx, buf, size, db_is_word));
}

static bool
db_is_nonblank(char c)
{
	return (!db_is_blank(c));
}

size_t
db_lex_arg(struct db_lex *lx, char *buf, size_t size)
{
	return (db_lex_run(lx, buf, size, db_is_nonblank));
}

int
db_lex_decimal(struct db_lex *lx, int *valp)
{
	long v = 0;

	db_skip_blanks(lx);
	if (*lx->p < '0' || *lx->p > '9')
		return (EINVAL);
	while (*lx->p >= '0' && *lx->p <= '9') {
		if (v < 1000000)
			v = v * 10 + (*lx->p - '0');
		lx->p++;
	}
	if (db_is_word(*lx->p))
		return (EINVAL); /* "1x": not a decimal number */
	*valp = (int)v;
	return (0);
}
