/*
 * db_expr_test.c - expressions: numbers in every radix, operators and
 * their precedence, symbols, memory, and the errors.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "runtime/ddb/tests/db_fake.h"

static void
setup(void)
{
	fake_setup("", DB_INPUT_EOF);
}

TestSuite(db_expr, .init = setup, .timeout = 10);

/* Evaluates s, which must be a whole expression; returns the error. */
static int
eval(const char *s, uint64_t *v)
{
	struct db_lex lx;
	int error;

	fake_clear_output();
	db_lex_init(&lx, s);
	*v = 0xbadbadbad;
	error = db_expression(&lx, v);
	if (error == 0)
		cr_assert(db_lex_eol(&lx), "'%s': left '%s'", s, lx.p);
	return (error);
}

static uint64_t
value(const char *s)
{
	uint64_t v;

	cr_assert_eq(eval(s, &v), 0, "'%s' failed: %s", s, fake_out);
	cr_assert_str_eq(fake_out, "", "'%s' printed something", s);
	return (v);
}

Test(db_expr, numbers_in_the_default_radix_are_hex)
{
	cr_assert_eq(value("10"), 0x10);
	cr_assert_eq(value("0ff"), 0xff);
}

Test(db_expr, a_word_starting_with_a_letter_is_a_symbol)
{
	uint64_t v;

	/* As in BSD: "ff" is a name even in radix 16; "0ff" is a number. */
	cr_assert_eq(eval("ff", &v), ENOENT);
	cr_assert_str_eq(fake_out, "Symbol 'ff' not found\n");
}

Test(db_expr, radix_prefixes)
{
	cr_assert_eq(value("0x1F"), 31);
	cr_assert_eq(value("0t10"), 10);
	cr_assert_eq(value("0o17"), 15);
	cr_assert_eq(value("0"), 0);
	cr_assert_eq(value("1f"), 0x1f);
	cr_assert_eq(value("0xffffffffffffffff"), UINT64_MAX);
}

Test(db_expr, other_radix)
{
	db_radix = 10;
	cr_assert_eq(value("10"), 10);
	cr_assert_eq(value("0x10"), 16);
	cr_assert_eq(value("$radix"), 10);
	db_radix = 8;
	cr_assert_eq(value("17"), 15);
}

Test(db_expr, precedence_and_parentheses)
{
	cr_assert_eq(value("2+3*4"), 14);
	cr_assert_eq(value("(2+3)*4"), 20);
	cr_assert_eq(value("0t20-0t5-0t5"), 10); /* left to right */
	cr_assert_eq(value("1<<4+1"), 32);	 /* shift binds loosest */
	cr_assert_eq(value("0xf0|0x0f&0x3"), 0xf3);
	cr_assert_eq(value(" ( ( 7 ) ) "), 7);
}

Test(db_expr, unary_operators)
{
	cr_assert_eq(value("-1"), UINT64_MAX);
	cr_assert_eq(value("~0"), UINT64_MAX);
	cr_assert_eq(value("--5"), 5);
	cr_assert_eq(value("-(2*3)"), (uint64_t)-6);
}

Test(db_expr, division_is_signed)
{
	cr_assert_eq(value("0t7/0t2"), 3);
	cr_assert_eq(value("-0t7/0t2"), (uint64_t)-3);
	cr_assert_eq(value("0t7%0t3"), 1);
	cr_assert_eq(value("-0t7%0t3"), (uint64_t)-1);
	/* The one overflowing division wraps instead of trapping. */
	cr_assert_eq(value("0x8000000000000000/-1"), 0x8000000000000000u);
	cr_assert_eq(value("0x8000000000000000%-1"), 0);
}

Test(db_expr, shifts_past_the_width_give_zero)
{
	cr_assert_eq(value("1<<0t63"), 0x8000000000000000u);
	cr_assert_eq(value("1<<0t64"), 0);
	cr_assert_eq(value("-1>>0t100"), 0);
}

Test(db_expr, symbols_and_dot)
{
	cr_assert_eq(value("alpha"), FAKE_ALPHA);
	cr_assert_eq(value("beta+4"), FAKE_BETA + 4);
	cr_assert_eq(value("text-alpha"), FAKE_TEXT - FAKE_ALPHA);
	db_next = 0x1234;
	cr_assert_eq(value("."), 0x1234);
	cr_assert_eq(value(".+2"), 0x1236);
}

Test(db_expr, star_reads_memory)
{
	cr_assert_eq(value("*alpha"), 0xfffffffe04030201u);
	cr_assert_eq(value("*gamma"), FAKE_BETA + 2);
	cr_assert_eq(value("**gamma&0xff"), 'l');
}

static void
expect_error(const char *s, int error, const char *msg)
{
	uint64_t v;

	cr_assert_eq(eval(s, &v), error, "'%s'", s);
	cr_assert_str_eq(fake_out, msg, "'%s'", s);
}

Test(db_expr, errors_are_reported_once)
{
	expect_error("1/0", EDOM, "Division by 0\n");
	expect_error("5%(1-1)", EDOM, "Division by 0\n");
	expect_error("nosuch", ENOENT, "Symbol 'nosuch' not found\n");
	expect_error("nosuch+other", ENOENT, "Symbol 'nosuch' not found\n");
	expect_error("$frob", ENOENT, "Unknown variable $frob\n");
	expect_error("1+", EINVAL, "Syntax error\n");
	expect_error("(1", EINVAL, "Syntax error\n");
	expect_error("", EINVAL, "Syntax error\n");
	expect_error("1g", EINVAL, "Bad character in number\n");
	expect_error("0t1a", EINVAL, "Bad character in number\n");
	expect_error("*0", EFAULT, "Cannot read memory at 0x0\n");
	expect_error("*(alpha+0xfc)", EFAULT,
	    "Cannot read memory at 0x100fc\n");
}

Test(db_expr, deep_nesting_is_refused_not_overflowed)
{
	char s[400];

	memset(s, '(', 200);
	s[200] = '1';
	memset(s + 201, ')', 198);
	s[399] = '\0';
	expect_error(s, EINVAL, "Expression too complex\n");
	memset(s, '-', 300);
	s[300] = '1';
	s[301] = '\0';
	expect_error(s, EINVAL, "Expression too complex\n");
}

Test(db_expr, presence)
{
	struct db_lex lx;

	db_lex_init(&lx, "  ");
	cr_assert(!db_expr_present(&lx));
	db_lex_init(&lx, " ,4");
	cr_assert(!db_expr_present(&lx));
	db_lex_init(&lx, " 4");
	cr_assert(db_expr_present(&lx));
}

Test(db_expr, set_radix)
{
	cr_assert_str_eq(fake_run("set $radix = 0t10"), "");
	cr_assert_eq(db_radix, 10);
	cr_assert_str_eq(fake_run("set $radix 16"), ""); /* 16 in radix 10 */
	cr_assert_eq(db_radix, 16);
	cr_assert_str_eq(fake_run("set $radix 7"), "Bad radix: 8, 10 or 16\n");
	cr_assert_eq(db_radix, 16);
	cr_assert_str_eq(fake_run("set $foo 1"), "Unknown variable $foo\n");
	cr_assert_str_eq(fake_run("set radix 1"),
	    "usage: set $variable [=] expr\n");
}
