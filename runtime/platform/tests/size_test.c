/*
 * size_test.c - unit tests of -m size parsing and the memory size rule
 * (64 MiB minimum, multiples of 2 MiB), shared by -m and an existing -i
 * file.
 */
#include "runtime/platform/tests/platform_test.h"

TestSuite(size, .timeout = 30);

static uint64_t
size_ok(const char *s)
{
	const char *why = NULL;
	uint64_t bytes = 0;

	cr_assert_eq(vk_size_parse(s, &bytes, &why), 0, "%s: %s", s, why);
	return (bytes);
}

static const char *
size_bad(const char *s)
{
	const char *why = NULL;
	uint64_t bytes = 12345;

	cr_assert_eq(vk_size_parse(s, &bytes, &why), -1, "%s accepted", s);
	cr_assert_not_null(why);
	cr_assert_eq(bytes, 12345, "%s changed the result", s);
	return (why);
}

Test(size, plain_bytes_and_every_suffix)
{
	cr_assert_eq(size_ok("0"), 0);
	cr_assert_eq(size_ok("1"), 1);
	cr_assert_eq(size_ok("123456789"), 123456789);
	cr_assert_eq(size_ok("3k"), 3 * 1024);
	cr_assert_eq(size_ok("3K"), 3 * 1024);
	cr_assert_eq(size_ok("5m"), 5ULL << 20);
	cr_assert_eq(size_ok("5M"), 5ULL << 20);
	cr_assert_eq(size_ok("7g"), 7ULL << 30);
	cr_assert_eq(size_ok("7G"), 7ULL << 30);
	cr_assert_eq(size_ok("010"), 10); /* decimal, not octal */
}

Test(size, suffix_errors)
{
	cr_assert_not_null(strstr(size_bad("64t"), "suffix"));
	cr_assert_not_null(strstr(size_bad("64mb"), "suffix"));
	cr_assert_not_null(strstr(size_bad("64kk"), "suffix"));
	cr_assert_not_null(strstr(size_bad("1.5g"), "suffix"));
	cr_assert_not_null(strstr(size_bad("64 "), "suffix"));
}

Test(size, empty_negative_and_non_numbers)
{
	cr_assert_not_null(strstr(size_bad(""), "empty"));
	cr_assert_not_null(strstr(size_bad("-1"), "not a non-negative"));
	cr_assert_not_null(strstr(size_bad("+1"), "not a non-negative"));
	cr_assert_not_null(strstr(size_bad("k"), "not a non-negative"));
	cr_assert_not_null(strstr(size_bad("0x10"), "suffix"));
}

Test(size, overflow)
{
	/* The largest size is INT64_MAX: the file is sized with an off_t. */
	cr_assert_eq(size_ok("9223372036854775807"), INT64_MAX);
	cr_assert_not_null(strstr(size_bad("9223372036854775808"), "large"));
	cr_assert_not_null(strstr(size_bad("18446744073709551616"), "large"));
	cr_assert_not_null(strstr(size_bad("99999999999999999999999"),
	    "large"));
	cr_assert_eq(size_ok("8589934591g"), 8589934591ULL << 30);
	cr_assert_not_null(strstr(size_bad("8589934592g"), "large"));
	cr_assert_not_null(strstr(size_bad("8796093022208m"), "large"));
	cr_assert_not_null(strstr(size_bad("9007199254740992k"), "large"));
}

Test(size, minimum_and_alignment)
{
	cr_assert_null(vk_memsize_check(64ULL << 20));
	cr_assert_null(vk_memsize_check(66ULL << 20));
	cr_assert_null(vk_memsize_check(1ULL << 40));
	cr_assert_not_null(vk_memsize_check(0));
	cr_assert_not_null(vk_memsize_check(62ULL << 20));
	cr_assert_not_null(vk_memsize_check((64ULL << 20) - 1));
	cr_assert_not_null(vk_memsize_check(65ULL << 20));
	cr_assert_not_null(vk_memsize_check((64ULL << 20) + 4096));
	cr_assert_str_eq(vk_memsize_check(65ULL << 20),
	    "Bad maxmem specification: 64MB minimum, multiples of 2MB only");
}
