/*
 * prf_test.c - unit tests for the kernel formatter (subr_prf.c).
 *
 * Every supported conversion is compared with the host C library's
 * snprintf(3): a table of hand-picked formats, then a generated cross
 * product of flags, widths, precisions, length modifiers and boundary
 * values.  kprintf() is checked through a capturing host_console_write().
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/kern/kern.h"

/* The console as the formatter sees it: every write, concatenated. */
static char console[256 * 1024];
static size_t console_len;
static int console_writes;
static size_t console_largest;

void
host_console_write(const void *buf, size_t len)
{
	cr_assert_leq(console_len + len, sizeof(console));
	memcpy(console + console_len, buf, len);
	console_len += len;
	console_writes++;
	if (len > console_largest)
		console_largest = len;
}

/*
 * Formats with both the host and the kernel and compares the results:
 * return values and every byte up to the terminating NUL.
 */
static void __attribute__((format(printf, 3, 4)))
same(const char *file, int line, const char *fmt, ...)
{
	char want[1024], got[1024];
	va_list ap, aq;
	int wn, gn;

	va_start(ap, fmt);
	va_copy(aq, ap);
	wn = vsnprintf(want, sizeof(want), fmt, ap);
	memset(got, 0x5a, sizeof(got));
	gn = kvsnprintf(got, sizeof(got), fmt, aq);
	va_end(aq);
	va_end(ap);
	cr_assert_eq(gn, wn, "%s:%d: format \"%s\": returned %d, host %d", file,
	    line, fmt, gn, wn);
	cr_assert(memcmp(got, want, (size_t)wn + 1) == 0,
	    "%s:%d: format \"%s\": got \"%s\", host \"%s\"", file, line, fmt,
	    got, want);
}

#define SAME(...) same(__FILE__, __LINE__, __VA_ARGS__)

Test(prf, plain_text)
{
	SAME("hello, world");
	SAME("100%% sure %%");
	SAME("%%d");
	SAME("tab\there\nnewline");
}

Test(prf, signed_decimal)
{
	SAME("%d", 0);
	SAME("%d", 1);
	SAME("%d", -1);
	SAME("%d", INT_MAX);
	SAME("%d", INT_MIN);
	SAME("%i", -42);
	SAME("%5d|%-5d|%05d", 42, 42, 42);
	SAME("%5d|%-5d|%05d", -42, -42, -42);
	SAME("%+d|%+d|% d|% d", 5, -5, 5, -5);
	SAME("%.3d|%.3d|%8.3d|%-8.3d", 7, -7, 7, -7);
	SAME("%.0d|%5.0d|%-5.0d|%+.0d|% .0d", 0, 0, 0, 0, 0);
	SAME("%.0d", 3);
	SAME("%-+8d|%+08d", 12, 12);
	SAME("%+011d", INT_MIN);
	SAME("%.15d", INT_MIN);
	SAME("%1d", 123456);
}

Test(prf, unsigned_conversions)
{
	SAME("%u|%u|%u", 0u, 1u, UINT_MAX);
	SAME("%x|%X|%o", 0xdeadbeefu, 0xdeadbeefu, 0777u);
	SAME("%#x|%#X|%#o", 255u, 255u, 8u);
	SAME("%#x|%#X|%#o", 0u, 0u, 0u);
	SAME("%#.0x|%#.0o|%.0x|%.0o", 0u, 0u, 0u, 0u);
	SAME("%#08x|%#-8x|%#8x", 255u, 255u, 255u);
	SAME("%#.5o|%#.2o|%#5o|%#05o", 8u, 8u, 8u, 8u);
	SAME("%8.3x|%-8x|%.10u", 0xabu, 0xabu, 42u);
	SAME("%#.8X", 0xabcu);
}

Test(prf, length_modifiers)
{
	SAME("%hhd|%hhd|%hhu|%hhx", (signed char)-128, (signed char)127,
	    (unsigned char)255, (unsigned char)0xab);
	SAME("%hd|%hd|%hu|%ho", (short)SHRT_MIN, (short)SHRT_MAX,
	    (unsigned short)USHRT_MAX, (unsigned short)0777);
	SAME("%ld|%ld|%lu|%lx", LONG_MIN, LONG_MAX, ULONG_MAX, ULONG_MAX);
	SAME("%lld|%lld|%llu|%llo", LLONG_MIN, LLONG_MAX, ULLONG_MAX,
	    ULLONG_MAX);
	SAME("%jd|%ju|%jx", INTMAX_MIN, UINTMAX_MAX, UINTMAX_MAX);
	SAME("%zu|%zx|%zd", SIZE_MAX, (size_t)4096, (ptrdiff_t)-4096);
	SAME("%td|%tx", PTRDIFF_MIN, (ptrdiff_t)0x1234);
	SAME("%" PRId64 "|%" PRIu64 "|%" PRIx64, INT64_MIN, UINT64_MAX,
	    UINT64_MAX);
	SAME("%#llx|%#llo|%+lld|% lld", ULLONG_MAX, ULLONG_MAX, LLONG_MAX,
	    LLONG_MIN);
	SAME("%30lld|%-30lld|%030lld|%.25lld", LLONG_MIN, LLONG_MIN, LLONG_MIN,
	    LLONG_MIN);
	/* The argument is promoted, the conversion truncates. */
	SAME("%hhu|%hu", 0x1ff, 0x1ffff);
}

Test(prf, characters_and_strings)
{
	const char *volatile null = NULL;

	SAME("%c|%3c|%-3c|", 'a', 'b', 'c');
	SAME("%s|%10s|%-10s|", "abc", "abc", "abc");
	SAME("%.2s|%10.2s|%-10.2s|%.0s|", "abc", "abc", "abc", "abc");
	SAME("%.10s|%.3s", "ab", "abc");
	SAME("%s|%10s|%-10s|%.6s|%.5s|%.0s|", null, null, null, null, null,
	    null);
	SAME("%s", "");
	SAME("%5s|%-5s|", "", "");
	SAME("[%s] [%s]", "kern.ostype", "Vireo");
}

Test(prf, pointers)
{
	void *volatile null = NULL;
	int x;

	SAME("%p", (void *)&x);
	SAME("%p", (void *)0x1);
	SAME("%p", (void *)UINTPTR_MAX);
	SAME("%p|%20p|%-20p|", null, null, null);
	SAME("%20p|%-20p|", (void *)0x1234, (void *)0x1234);
}

Test(prf, star_width_and_precision)
{
	SAME("%*d|%-*d|%*d", 6, 42, 6, 42, -6, 42);
	SAME("%.*d|%.*d", 4, 42, -1, 42);
	SAME("%*.*s|", 8, 2, "abcdef");
	SAME("%*s|%*s|", -3, "x", 0, "y");
	SAME("%.*s|", -5, "abcdef");
}

Test(prf, embedded_nul_character)
{
	char buf[8];
	int n;

	memset(buf, 'x', sizeof(buf));
	n = ksnprintf(buf, sizeof(buf), "a%cb", '\0');
	cr_assert_eq(n, 3);
	cr_assert(memcmp(buf, "a\0b\0", 4) == 0);
}

/* Conversions the kernel does not support are copied as written. */
Test(prf, unsupported_conversions)
{
	char buf[64];
	int n;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
	n = ksnprintf(buf, sizeof(buf), "a%fb%5.2kc%d", 7);
#pragma GCC diagnostic pop
	cr_assert_str_eq(buf, "a%fb%5.2kc7");
	cr_assert_eq(n, 11);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
	n = ksnprintf(buf, sizeof(buf), "end%");
	cr_assert_str_eq(buf, "end%");
	cr_assert_eq(n, 4);
	n = ksnprintf(buf, sizeof(buf), "end%-5");
#pragma GCC diagnostic pop
	cr_assert_str_eq(buf, "end%-5");
	cr_assert_eq(n, 6);
}

Test(prf, truncation_and_return_value)
{
	char buf[16];
	int n;

	memset(buf, 'x', sizeof(buf));
	n = ksnprintf(buf, 6, "%s", "abcdefghij");
	cr_assert_eq(n, 10);
	cr_assert_str_eq(buf, "abcde");
	cr_assert_eq(buf[6], 'x', "wrote past the size given");

	memset(buf, 'x', sizeof(buf));
	n = ksnprintf(buf, 1, "%d", 12345);
	cr_assert_eq(n, 5);
	cr_assert_eq(buf[0], '\0');
	cr_assert_eq(buf[1], 'x');

	n = ksnprintf(NULL, 0, "%s=%d", "hw.ncpu", 31);
	cr_assert_eq(n, 10);

	memset(buf, 'x', sizeof(buf));
	n = ksnprintf(buf, 0, "abc");
	cr_assert_eq(n, 3);
	cr_assert_eq(buf[0], 'x');

	/* Exactly fitting output. */
	n = ksnprintf(buf, 4, "abc");
	cr_assert_eq(n, 3);
	cr_assert_str_eq(buf, "abc");
	n = ksnprintf(buf, 3, "%05d", -1);
	cr_assert_eq(n, 5);
	cr_assert_str_eq(buf, "-0");
}

/* Truncation at every size gives the host's prefix. */
Test(prf, truncation_matches_host_at_every_size)
{
	char want[64], got[64];
	size_t size;

	for (size = 0; size < sizeof(got); size++) {
		int wn, gn;

		memset(want, 'w', sizeof(want));
		memset(got, 'w', sizeof(got));
		wn = snprintf(want, size, "%-6s|%+08lld|%#x|%p", "ab", -12345LL,
		    0xbeefu, (void *)0x10);
		gn = ksnprintf(got, size, "%-6s|%+08lld|%#x|%p", "ab", -12345LL,
		    0xbeefu, (void *)0x10);
		cr_assert_eq(gn, wn);
		cr_assert(memcmp(got, want, sizeof(got)) == 0,
		    "size %zu: \"%.*s\" vs \"%.*s\"", size, (int)size, got,
		    (int)size, want);
	}
}

/*
 * The generated cross product, which also covers the combinations the
 * compiler warns about in literal formats ("%-05d", "%08.3x", "%+ d").
 * The formats are built at run time, so the compiler cannot check them;
 * the arguments match them by construction.
 */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

static const char *const flag_sets[] = { "", "-", "0", "+", " ", "#", "-0",
	"+0", " 0", "#0", "-+", "- ", "-#", "+ ", "#+", "-+ #0" };
static const char *const widths[] = { "", "1", "6", "24" };
static const char *const precisions[] = { "", ".", ".0", ".1", ".4", ".22" };

static void
cross_check(const char *length, const char *convs, void (*one)(const char *))
{
	char fmt[64];
	size_t f, w, p;
	const char *c;

	for (f = 0; f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++)
		for (w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
			for (p = 0;
			     p < sizeof(precisions) / sizeof(precisions[0]);
			     p++)
				for (c = convs; *c != '\0'; c++) {
					snprintf(fmt, sizeof(fmt),
					    "<%%%s%s%s%s%c>", flag_sets[f],
					    widths[w], precisions[p], length,
					    *c);
					one(fmt);
				}
}

static void
one_int(const char *fmt)
{
	static const int values[] = { 0, 1, -1, 7, -7, 255, 4096, INT_MAX,
		INT_MIN, 123456789 };
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		same(__FILE__, __LINE__, fmt, values[i]);
}

static void
one_llong(const char *fmt)
{
	static const long long values[] = { 0, 1, -1, 8, -100, LLONG_MAX,
		LLONG_MIN, (long long)INT_MIN - 1, 0x123456789abcLL };
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		same(__FILE__, __LINE__, fmt, values[i]);
}

static void
one_uint64(const char *fmt)
{
	static const uint64_t values[] = { 0, 1, 8, 0xff, UINT32_MAX,
		(uint64_t)UINT32_MAX + 1, UINT64_MAX, UINT64_MAX / 3 };
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		same(__FILE__, __LINE__, fmt, values[i]);
}

static void
one_short(const char *fmt)
{
	static const int values[] = { 0, -1, SHRT_MIN, SHRT_MAX, USHRT_MAX,
		0x12345 };
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		same(__FILE__, __LINE__, fmt, values[i]);
}

static void
one_string(const char *fmt)
{
	static const char *const values[] = { "", "a", "kern.ostype",
		"a string longer than most of the widths used here", NULL };
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		same(__FILE__, __LINE__, fmt, values[i]);
}

static void
one_char(const char *fmt)
{
	same(__FILE__, __LINE__, fmt, 'z');
	same(__FILE__, __LINE__, fmt, 0x1ff); /* converted to 0xff */
}

static void
one_pointer(const char *fmt)
{
	static int object;
	void *values[] = { NULL, &object, (void *)1, (void *)UINTPTR_MAX };
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		same(__FILE__, __LINE__, fmt, values[i]);
}

Test(prf_cross, int_conversions)
{
	cross_check("", "diuxXo", one_int);
}

Test(prf_cross, long_long_conversions)
{
	cross_check("ll", "diuxXo", one_llong);
	cross_check("l", "di", one_llong);
	cross_check("j", "d", one_llong);
}

Test(prf_cross, uint64_conversions)
{
	cross_check("l", "uxXo", one_uint64);
	cross_check("z", "ux", one_uint64);
	cross_check("j", "uo", one_uint64);
}

Test(prf_cross, short_conversions)
{
	cross_check("h", "diuxo", one_short);
	cross_check("hh", "diuX", one_short);
}

Test(prf_cross, strings_chars_pointers)
{
	cross_check("", "s", one_string);
	cross_check("", "c", one_char);
	cross_check("", "p", one_pointer);
}

Test(kprintf, short_output_is_one_write)
{
	int n;

	n = kprintf("panic: %s\ncpuid = %d\n", "vm_fault: bad page", 3);
	cr_assert_eq(console_writes, 1);
	cr_assert_eq(n, (int)console_len);
	cr_assert(memcmp(console, "panic: vm_fault: bad page\ncpuid = 3\n",
		      console_len) == 0);
	cr_assert_eq(console_len, strlen(console));
}

Test(kprintf, empty_output_writes_nothing)
{
	int n;

	n = kprintf("%s", "");
	cr_assert_eq(n, 0);
	cr_assert_eq(console_writes, 0);
}

/* Many lines that fit the buffer still go out as one write. */
Test(kprintf, several_lines_one_write)
{
	char line[80];
	int n;

	memset(line, '=', sizeof(line) - 2);
	line[sizeof(line) - 2] = '\n';
	line[sizeof(line) - 1] = '\0';
	n = kprintf("%s%s%s%s%s%s%s%s%s%s%s%s", line, line, line, line, line,
	    line, line, line, line, line, line, line);
	cr_assert_eq(n, 12 * 79);
	cr_assert_eq(console_writes, 1);
	cr_assert_eq(console_len, (size_t)n);
}

/* Long output is chunked, complete and in order. */
Test(kprintf, long_output_is_chunked)
{
	static char big[100000], want[100100];
	size_t i;
	int n;

	for (i = 0; i < sizeof(big) - 1; i++)
		big[i] = (char)('a' + i % 26);
	big[sizeof(big) - 1] = '\0';
	n = kprintf("<%s>%d", big, -1);
	snprintf(want, sizeof(want), "<%s>%d", big, -1);
	cr_assert_eq(n, (int)strlen(want));
	cr_assert_eq(console_len, strlen(want));
	cr_assert(memcmp(console, want, console_len) == 0);
	cr_assert_gt(console_writes, 1);
	/* As few writes as the buffer allows: all but the last are full. */
	cr_assert_eq(console_writes,
	    (int)((console_len + console_largest - 1) / console_largest));
	cr_assert_geq(console_largest, 512);
}

static int
call_kvprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}

Test(kprintf, kvprintf_matches_host)
{
	char want[128];
	int n;

	n = call_kvprintf("%s: %#llx %-4d|%c", "vkd0", 0x1000ULL, -3, '!');
	snprintf(want, sizeof(want), "%s: %#llx %-4d|%c", "vkd0", 0x1000ULL, -3,
	    '!');
	cr_assert_eq(n, (int)strlen(want));
	cr_assert_eq(console_len, strlen(want));
	cr_assert(memcmp(console, want, console_len) == 0);
	cr_assert_eq(console_writes, 1);
}
