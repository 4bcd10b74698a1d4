/*
 * db_expr.c - expressions of the debugger's command lines, by recursive
 * descent, lowest precedence first:
 *
 *	expr	:= sum (("<<" | ">>") sum)*
 *	sum	:= product (("+" | "-" | "|") product)*
 *	product := unary (("*" | "/" | "%" | "&") unary)*
 *	unary	:= ("-" | "~" | "*") unary | "(" expr ")" | term
 *	term	:= number | symbol | "." | "$radix"
 *
 * Arithmetic is on 64 bits, wrapping like the machine's; division and
 * remainder are signed, as in BSD's ddb.  A unary "*" reads the 8 bytes
 * at an address through db_ops, so a bad address is an error, not a
 * fault.  The first error is printed and ends the evaluation.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "runtime/ddb/db_private.h"

#define DB_EXPR_DEPTH 32 /* nesting of parentheses and unary operators */

int db_radix = 16;
uintptr_t db_next;

struct db_eval {
	struct db_lex *lx;
	int error; /* the first error, 0 while there is none */
	int depth;
};

static uint64_t db_eval_expr(struct db_eval *ev);

/* Records the first error and prints msg for it. */
static void
db_eval_fail(struct db_eval *ev, int error, const char *msg)
{
	if (ev->error != 0)
		return;
	ev->error = error;
	db_printf("%s", msg);
}

/* The same for a name that means nothing: a symbol or a $variable. */
static void
db_eval_unknown(struct db_eval *ev, const char *name)
{
	if (ev->error != 0)
		return;
	ev->error = ENOENT;
	if (name[0] == '$')
		db_printf("Unknown variable %s\n", name);
	else
		db_printf("Symbol '%s' not found\n", name);
}

static int
db_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'z')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'Z')
		return (c - 'A' + 10);
	return (-1);
}

/* A number at lx->p, which is a digit: "0x", "0t", "0o" or db_radix. */
static uint64_t
db_eval_number(struct db_eval *ev)
{
	const char *p = ev->lx->p;
	uint64_t v = 0;
	int radix = db_radix, d;

	if (p[0] == '0' && p[1] != '\0' && strchr("xXtToO", p[1]) != NULL &&
	    db_digit_value(p[2]) >= 0) {
		radix = (p[1] == 'x' || p[1] == 'X') ? 16 :
		    (p[1] == 't' || p[1] == 'T')     ? 10 :
						       8;
		p += 2;
	}
	while ((d = db_digit_value(*p)) >= 0 || *p == '_') {
		if (*p == '_' || d >= radix) {
			db_eval_fail(ev, EINVAL, "Bad character in number\n");
			return (0);
		}
		v = v * (uint64_t)radix + (uint64_t)d;
		p++;
	}
	ev->lx->p = p;
	return (v);
}

/* A symbol, "." or a $variable. */
static uint64_t
db_eval_name(struct db_eval *ev)
{
	char name[DB_NAME_MAX];
	uintptr_t value;
	size_t len;

	len = db_lex_word(ev->lx, name, sizeof(name));
	if (len >= sizeof(name)) {
		db_eval_fail(ev, EINVAL, "Symbol name too long\n");
		return (0);
	}
	if (strcmp(name, ".") == 0)
		return (db_next);
	if (name[0] == '$') {
		if (strcmp(name, "$radix") == 0)
			return ((uint64_t)db_radix);
		db_eval_unknown(ev, name);
		return (0);
	}
	if (db_ops->sym_value(name, &value) != 0) {
		db_eval_unknown(ev, name);
		return (0);
	}
	return ((uint64_t)value);
}

static uint64_t
db_eval_unary(struct db_eval *ev)
{
	struct db_lex *lx = ev->lx;
	uint64_t v;
	char c;

	if (ev->error != 0)
		return (0);
	if (++ev->depth > DB_EXPR_DEPTH) {
		db_eval_fail(ev, EINVAL, "Expression too complex\n");
		return (0);
	}
	db_lex_eol(lx); /* skips the blanks */
	c = *lx->p;
	if (c == '-' || c == '~' || c == '*') {
		lx->p++;
		v = db_eval_unary(ev);
		if (c == '-')
			v = 0 - v;
		else if (c == '~')
			v = ~v;
		else if (ev->error == 0 &&
		    db_ops->read_mem((uintptr_t)v, &v, sizeof(v)) != 0) {
			db_printf("Cannot read memory at 0x%lx\n",
			    (unsigned long)v);
			ev->error = EFAULT;
		}
	} else if (c == '(') {
		lx->p++;
		v = db_eval_expr(ev);
		if (!db_lex_accept(lx, ')'))
			db_eval_fail(ev, EINVAL, "Syntax error\n");
	} else if (c >= '0' && c <= '9') {
		v = db_eval_number(ev);
	} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    c == '_' || c == '$' || c == '.') {
		v = db_eval_name(ev);
	} else {
		db_eval_fail(ev, EINVAL, "Syntax error\n");
		v = 0;
	}
	ev->depth--;
	return (v);
}

/* a / b and a % b with signed operands, without undefined behaviour. */
static uint64_t
db_eval_divide(struct db_eval *ev, uint64_t a, uint64_t b, bool rem)
{
	int64_t sa = (int64_t)a, sb = (int64_t)b;

	if (b == 0) {
		db_eval_fail(ev, EDOM, "Division by 0\n");
		return (0);
	}
	if (sb == -1) /* INT64_MIN / -1 overflows; the machine wraps */
		return (rem ? 0 : 0 - a);
	return (rem ? (uint64_t)(sa % sb) : (uint64_t)(sa / sb));
}

static uint64_t
db_eval_product(struct db_eval *ev)
{
	uint64_t v, r;
	char c;

	v = db_eval_unary(ev);
	while (ev->error == 0) {
		db_lex_eol(ev->lx);
		c = *ev->lx->p;
		if (c != '*' && c != '/' && c != '%' && c != '&')
			break;
		ev->lx->p++;
		r = db_eval_unary(ev);
		if (c == '*')
			v *= r;
		else if (c == '&')
			v &= r;
		else
			v = db_eval_divide(ev, v, r, c == '%');
	}
	return (v);
}

static uint64_t
db_eval_sum(struct db_eval *ev)
{
	uint64_t v, r;
	char c;

	v = db_eval_product(ev);
	while (ev->error == 0) {
		db_lex_eol(ev->lx);
		c = *ev->lx->p;
		if (c != '+' && c != '-' && c != '|')
			break;
		ev->lx->p++;
		r = db_eval_product(ev);
		v = c == '+' ? v + r : c == '-' ? v - r : (v | r);
	}
	return (v);
}

static uint64_t
db_eval_expr(struct db_eval *ev)
{
	uint64_t v, r;
	char c;

	v = db_eval_sum(ev);
	while (ev->error == 0) {
		db_lex_eol(ev->lx);
		c = ev->lx->p[0];
		if ((c != '<' && c != '>') || ev->lx->p[1] != c)
			break;
		ev->lx->p += 2;
		r = db_eval_sum(ev);
		if (r >= 64)
			v = 0;
		else
			v = c == '<' ? v << r : v >> r;
	}
	return (v);
}

int
db_expression(struct db_lex *lx, uint64_t *valp)
{
	struct db_eval ev = { .lx = lx, .error = 0, .depth = 0 };
	uint64_t v;

	v = db_eval_expr(&ev);
	if (ev.error != 0)
		return (ev.error);
	*valp = v;
	return (0);
}

bool
db_expr_present(struct db_lex *lx)
{
	return (!db_lex_eol(lx) && *lx->p != ',');
}
