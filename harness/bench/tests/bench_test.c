/*
 * bench_test.c - unit tests of the benchmark runner's parts: statistics,
 * the configuration parser, variable expansion, JSON strings and the
 * timing of one run.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "harness/bench/bench.h"

/* Parses text as a configuration file; returns the parser's result. */
static int
parse(const char *text, struct bench_conf *conf, char *err, size_t errlen)
{
	FILE *fp;
	int error;

	fp = fmemopen((void *)text, strlen(text), "r");
	cr_assert_not_null(fp);
	memset(conf, 0, sizeof(*conf));
	err[0] = '\0';
	error = bench_conf_parse(fp, "t.conf", conf, err, errlen);
	fclose(fp);
	return (error);
}

/* Expects text to be rejected with a message that contains want. */
static void
expect_bad(const char *text, const char *want)
{
	struct bench_conf conf;
	char err[BENCH_ERR_MAX];

	cr_expect_eq(parse(text, &conf, err, sizeof(err)), EX_DATAERR,
	    "accepted: %s", text);
	cr_expect_not_null(strstr(err, want), "message \"%s\" lacks \"%s\"",
	    err, want);
	bench_conf_free(&conf);
}

/* The text of a stream that bench_json_string() writes to. */
static char *
json_of(const char *s)
{
	char *buf;
	size_t len;
	FILE *fp;

	fp = open_memstream(&buf, &len);
	cr_assert_not_null(fp);
	bench_json_string(fp, s);
	fclose(fp);
	return (buf);
}

Test(stats, odd_count_median_is_middle_sample)
{
	const uint64_t s[] = { 50, 10, 40, 20, 30 };
	struct bench_stats st;

	cr_assert_eq(bench_stats_compute(s, 5, &st), 0);
	cr_expect_float_eq(st.median, 30.0, 1e-9);
	cr_expect_float_eq(st.min, 10.0, 1e-9);
	cr_expect_float_eq(st.max, 50.0, 1e-9);
	cr_expect_eq(s[0], 50, "the samples were reordered");
}

Test(stats, even_count_median_is_mean_of_middle_two)
{
	const uint64_t s[] = { 7, 1, 4, 2 };
	struct bench_stats st;

	cr_assert_eq(bench_stats_compute(s, 4, &st), 0);
	cr_expect_float_eq(st.median, 3.0, 1e-9);
	cr_expect_float_eq(st.min, 1.0, 1e-9);
	cr_expect_float_eq(st.max, 7.0, 1e-9);
}

Test(stats, single_and_no_sample)
{
	const uint64_t s[] = { 123456789012ull };
	struct bench_stats st;

	cr_assert_eq(bench_stats_compute(s, 1, &st), 0);
	cr_expect_float_eq(st.median, 123456789012.0, 1e-3);
	cr_expect_float_eq(st.min, st.max, 1e-9);
	cr_expect_eq(bench_stats_compute(s, 0, &st), EX_SOFTWARE);
}

Test(stats, ratio_of_medians_and_failures)
{
	struct bench_result r;

	memset(&r, 0, sizeof(r));
	r.guest.nsamples = r.native.nsamples = 1;
	r.guest.stats.median = 300;
	r.native.stats.median = 100;
	cr_expect_float_eq(bench_ratio(&r), 3.0, 1e-9);
	r.native.stats.median = 0;
	cr_expect_lt(bench_ratio(&r), 0);
	r.native.stats.median = 100;
	r.failed = true;
	cr_expect_lt(bench_ratio(&r), 0);
}

Test(conf, parses_both_kinds_of_until)
{
	static const char text[] = "# comment\n"
				   "\n"
				   "[a.b-c_1]\n"
				   "  description =  two words  \n"
				   "guest = ${KERNEL} -m 64m\n"
				   "guest.until = exit\n"
				   "guest.status = 64\n"
				   "native=/bin/true\n"
				   "native.until = \"ready> \\\"x\\\"\\n\"\n"
				   "[second]\n"
				   "description = d\n"
				   "guest = echo $HOME ${TMP}\n"
				   "guest.until = \"exit\"\n"
				   "native = true\n"
				   "native.until = exit\n";
	struct bench_conf conf;
	const struct bench *b;
	char err[BENCH_ERR_MAX];

	cr_assert_eq(parse(text, &conf, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(conf.nbenches, 2);
	b = &conf.benches[0];
	cr_expect_str_eq(b->name, "a.b-c_1");
	cr_expect_eq(b->line, 3);
	cr_expect_str_eq(b->description, "two words");
	cr_expect_str_eq(b->guest.command, "${KERNEL} -m 64m");
	cr_expect_eq(b->guest.vars, BENCH_VAR_KERNEL);
	cr_expect_eq(b->guest.until, BENCH_UNTIL_EXIT);
	cr_expect_eq(b->guest.status, 64);
	cr_expect_str_eq(b->native.command, "/bin/true");
	cr_expect_eq(b->native.until, BENCH_UNTIL_PATTERN);
	cr_expect_str_eq(b->native.pattern, "ready> \"x\"\n");
	cr_expect_eq(b->native.status, -1);
	b = bench_conf_find(&conf, "second");
	cr_assert_not_null(b);
	cr_expect_eq(b->guest.vars, BENCH_VAR_TMP);
	cr_expect_eq(b->guest.until, BENCH_UNTIL_PATTERN,
	    "a quoted \"exit\" is a pattern");
	cr_expect_str_eq(b->guest.pattern, "exit");
	cr_expect_null(bench_conf_find(&conf, "third"));
	bench_conf_free(&conf);
	cr_expect_eq(conf.nbenches, 0);
}

/* A complete benchmark to which the malformed cases add one line. */
#define GOOD                                                        \
	"[ok]\ndescription = d\nguest = true\nguest.until = exit\n" \
	"native = true\nnative.until = exit\n"

Test(conf, malformed_lines_are_named)
{
	expect_bad("description = d\n", "t.conf:1: description is outside");
	expect_bad(GOOD "guest.until = exit\n",
	    "t.conf:7: guest.until given twice");
	expect_bad(GOOD "colour = red\n", "t.conf:7: unknown key \"colour\"");
	expect_bad(GOOD "no equals sign\n", "t.conf:7: expected");
	expect_bad(GOOD "[bad name]\n", "t.conf:7: bad benchmark name");
	expect_bad(GOOD "[]\n", "t.conf:7: bad benchmark name");
	expect_bad(GOOD "[open\n", "t.conf:7: header \"[open\" lacks");
	expect_bad(GOOD "[ok]\n",
	    "t.conf:7: benchmark ok defined twice (first at line 1)");
	expect_bad(GOOD "\n\n[x]\ndescription = d\n",
	    "t.conf:9: benchmark x has no guest");
	expect_bad(GOOD "[x]\nguest = ${KERNL}\n",
	    "t.conf:8: guest: unknown variable ${KERNL}");
	expect_bad(GOOD "[x]\nnative = a ${TMP\n",
	    "t.conf:8: native: unterminated \"${\"");
	expect_bad(GOOD "[x]\ndescription = \"abc\n",
	    "t.conf:8: unterminated quoted value");
	expect_bad(GOOD "[x]\ndescription = \"a\\qb\"\n",
	    "t.conf:8: unknown escape \\q");
	expect_bad(GOOD "[x]\ndescription = \"a\" b\n",
	    "t.conf:8: text after the closing quote");
	expect_bad(GOOD "[x]\ndescription =\n",
	    "t.conf:8: description is empty");
	expect_bad(GOOD "[x]\nguest.status = 256\n",
	    "t.conf:8: guest.status must be an exit status");
	expect_bad(GOOD "[x]\nnative.status = 1x\n",
	    "t.conf:8: native.status must be");
	expect_bad("[p]\ndescription = d\nguest = true\nguest.until = \"$ \"\n"
		   "guest.status = 0\nnative = true\nnative.until = exit\n",
	    "t.conf:1: benchmark p: guest.status needs guest.until = exit");
	expect_bad("# nothing\n", "t.conf: defines no benchmark");
}

Test(conf, value_labels)
{
	static const char text[] = "[v]\n"
				   "description = d\n"
				   "guest = true\n"
				   "guest.until = \"fs: done\"\n"
				   "guest.value =  fs.write \n"
				   "native = true\n"
				   "native.until = exit\n"
				   "native.value = \"n_1\"\n"
				   "[plain]\n"
				   "description = d\n"
				   "guest = true\n"
				   "guest.until = exit\n"
				   "native = true\n"
				   "native.until = exit\n";
	struct bench_conf conf;
	const struct bench *b;
	char err[BENCH_ERR_MAX];

	cr_assert_eq(parse(text, &conf, err, sizeof(err)), 0, "%s", err);
	b = bench_conf_find(&conf, "v");
	cr_assert_not_null(b);
	cr_expect_str_eq(b->guest.value, "fs.write");
	cr_expect_str_eq(b->native.value, "n_1");
	b = bench_conf_find(&conf, "plain");
	cr_assert_not_null(b);
	cr_expect_null(b->guest.value);
	cr_expect_null(b->native.value);
	bench_conf_free(&conf);
}

Test(conf, bad_value_labels)
{
	char text[256];

	expect_bad(GOOD "guest.value = a\nguest.value = b\n",
	    "t.conf:8: guest.value given twice");
	expect_bad(GOOD "native.value =\n", "t.conf:7: native.value is empty");
	expect_bad(GOOD "guest.value = two words\n",
	    "t.conf:7: guest.value: the label \"two words\" has a blank");
	expect_bad(GOOD "native.value = \"a\\tb\"\n",
	    "t.conf:7: native.value: the label");
	snprintf(text, sizeof(text), GOOD "guest.value = %0*d\n",
	    BENCH_NAME_MAX + 1, 0);
	expect_bad(text, "t.conf:7: guest.value: label longer than 63");
	expect_bad(GOOD "[x]\nvalue = v\n", "t.conf:8: unknown key \"value\"");
}

Test(conf, nul_byte_is_an_error)
{
	static const char text[] = "[x]\ndescription = a\0b\n";
	struct bench_conf conf;
	char err[BENCH_ERR_MAX];
	FILE *fp;

	fp = fmemopen((void *)text, sizeof(text) - 1, "r");
	cr_assert_not_null(fp);
	memset(&conf, 0, sizeof(conf));
	cr_expect_eq(bench_conf_parse(fp, "t.conf", &conf, err, sizeof(err)),
	    EX_DATAERR);
	cr_expect_str_eq(err, "t.conf:2: NUL byte in line");
	fclose(fp);
	bench_conf_free(&conf);
}

Test(conf, overlong_pattern)
{
	char text[2 * BENCH_PATTERN_MAX];

	snprintf(text, sizeof(text), "[x]\nguest.until = %0*d\n",
	    BENCH_PATTERN_MAX + 1, 0);
	expect_bad(text, "t.conf:2: guest.until: pattern longer than");
}

Test(conf, the_shipped_file_parses)
{
	struct bench_conf conf;
	char err[BENCH_ERR_MAX];
	FILE *fp;

	fp = fopen("harness/bench/benches.conf", "r");
	cr_assert_not_null(fp, "run from the top of the source tree");
	memset(&conf, 0, sizeof(conf));
	cr_assert_eq(bench_conf_parse(fp, "benches.conf", &conf, err,
			 sizeof(err)),
	    0, "%s", err);
	fclose(fp);
	cr_expect_not_null(bench_conf_find(&conf, "kernel.usage"));
	cr_expect_not_null(bench_conf_find(&conf, "boot.mountroot"));
	cr_assert_not_null(bench_conf_find(&conf, "fs.read"));
	cr_expect_str_eq(bench_conf_find(&conf, "fs.read")->guest.value,
	    "fs.read");
	bench_conf_free(&conf);
}

Test(vars, expands_to_quoted_words)
{
	struct bench_vars vars = { "/k dir/kernel", "/tmp/it's" };
	char err[BENCH_ERR_MAX], *out;
	unsigned used;

	cr_assert_eq(bench_expand("a ${KERNEL} -m ${TMP}/x $HOME $$ ${TMP}",
			 &vars, &out, err, sizeof(err)),
	    0, "%s", err);
	cr_expect_str_eq(out,
	    "a '/k dir/kernel' -m '/tmp/it'\\''s'/x $HOME $$ '/tmp/it'\\''s'");
	free(out);
	cr_assert_eq(bench_expand("plain", &vars, &out, err, sizeof(err)), 0);
	cr_expect_str_eq(out, "plain");
	free(out);
	cr_assert_eq(bench_expand("", &vars, &out, err, sizeof(err)), 0);
	cr_expect_str_eq(out, "");
	free(out);
	cr_assert_eq(bench_command_check("${TMP}${KERNEL}", &used, err,
			 sizeof(err)),
	    0);
	cr_expect_eq(used, BENCH_VAR_KERNEL | BENCH_VAR_TMP);
}

Test(vars, errors)
{
	struct bench_vars vars = { NULL, "/tmp" };
	char err[BENCH_ERR_MAX], *out;

	cr_expect_eq(bench_expand("${KERNEL}", &vars, &out, err, sizeof(err)),
	    EX_DATAERR);
	cr_expect_str_eq(err, "${KERNEL} has no value here");
	cr_expect_null(out);
	cr_expect_eq(bench_expand("x ${HOME}", &vars, &out, err, sizeof(err)),
	    EX_DATAERR);
	cr_expect_not_null(strstr(err, "unknown variable ${HOME}"), "%s", err);
	cr_expect_eq(bench_expand("${}", &vars, &out, err, sizeof(err)),
	    EX_DATAERR);
	cr_expect_eq(bench_expand("${TMP", &vars, &out, err, sizeof(err)),
	    EX_DATAERR);
	cr_expect_not_null(strstr(err, "unterminated"), "%s", err);
}

Test(json, escapes_strings)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "\"\"" },
		{ "plain text", "\"plain text\"" },
		{ "q\"b\\s/", "\"q\\\"b\\\\s/\"" },
		{ "\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"" },
		{ "\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"" },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		    "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"" },
		{ "bad \xff \xc3 \xc0\xaf \xed\xa0\x80 x",
		    "\"bad \\ufffd \\ufffd \\ufffd\\ufffd "
		    "\\ufffd\\ufffd\\ufffd x\"" },
		{ "cut \xe2\x82", "\"cut \\ufffd\\ufffd\"" },
	};
	size_t i;
	char *s;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = json_of(cases[i].in);
		cr_expect_str_eq(s, cases[i].out, "case %zu", i);
		free(s);
	}
}

static struct bench_side
side(const char *pattern, int status)
{
	struct bench_side s;

	memset(&s, 0, sizeof(s));
	s.until = pattern == NULL ? BENCH_UNTIL_EXIT : BENCH_UNTIL_PATTERN;
	s.pattern = (char *)pattern;
	s.status = status;
	return (s);
}

Test(run, times_until_exit, .timeout = 20)
{
	struct bench_side s = side(NULL, 0);
	struct bench_run_result res;

	bench_run("sleep 0.2", &s, 5, 1, &res);
	cr_assert(res.ok, "%s", res.reason);
	cr_expect_geq(res.elapsed_ns, 200000000u);
	cr_expect_lt(res.elapsed_ns, 1500000000u);
}

Test(run, times_until_pattern_and_kills, .timeout = 20)
{
	struct bench_side s = side("go> ", -1);
	struct bench_run_result res;

	/* The pattern arrives in two writes; the command would run 30 s. */
	bench_run("printf 'abc g'; sleep 0.2; printf 'o> '; sleep 30", &s, 10,
	    1, &res);
	cr_assert(res.ok, "%s", res.reason);
	cr_expect_geq(res.elapsed_ns, 200000000u);
	cr_expect_lt(res.elapsed_ns, 1500000000u);
	cr_expect_str_eq(res.tail, "abc go> ");
}

Test(run, pattern_just_before_exit_counts, .timeout = 20)
{
	struct bench_side s = side("ready", -1);
	struct bench_run_result res;

	bench_run("echo ready", &s, 5, 1, &res);
	cr_expect(res.ok, "%s", res.reason);
}

Test(run, failures_have_reasons, .timeout = 30)
{
	struct bench_side pat = side("never", -1);
	struct bench_side any = side(NULL, -1);
	struct bench_side zero = side(NULL, 0);
	struct bench_run_result res;

	bench_run("echo other; exit 3", &pat, 5, 1, &res);
	cr_expect(!res.ok);
	cr_expect_str_eq(res.reason,
	    "exited with status 3 before printing the pattern");
	bench_run("sleep 30", &pat, 0.3, 1, &res);
	cr_expect(!res.ok);
	cr_expect_str_eq(res.reason, "no pattern within 0.3 s");
	bench_run("sleep 30", &any, 0.3, 1, &res);
	cr_expect(!res.ok);
	cr_expect_str_eq(res.reason, "did not exit within 0.3 s");
	bench_run("/nonexistent/command", &any, 5, 1, &res);
	cr_expect(!res.ok);
	cr_expect_str_eq(res.reason, "exit status 127 (command not found)");
	bench_run("exit 5", &zero, 5, 1, &res);
	cr_expect(!res.ok);
	cr_expect_str_eq(res.reason, "exit status 5, expected 0");
	bench_run("kill -KILL $$", &any, 5, 1, &res);
	cr_expect(!res.ok);
	cr_expect_str_eq(res.reason, "killed by signal 9 (Killed)");
	bench_run("exit 5", &any, 5, 1, &res);
	cr_expect(res.ok, "any status was allowed: %s", res.reason);
}

Test(run, ignoring_sigterm_gets_sigkill, .timeout = 20)
{
	struct bench_side s = side("up", -1);
	struct bench_run_result res;

	bench_run("trap '' TERM; echo up; while :; do sleep 1; done", &s, 5,
	    0.3, &res);
	cr_expect(res.ok, "%s", res.reason);
}

Test(run, value_line_syntax)
{
	static const struct {
		const char *line;
		int ok;
		uint64_t ns;
	} cases[] = {
		{ "fs.write 123", 1, 123 },
		{ "fs.write\t 0 \t", 1, 0 },
		{ "fs.write 18446744073709551615", 1, UINT64_MAX },
		{ "fs.write 18446744073709551616", 0, 0 },
		{ "fs.write", 0, 0 },
		{ "fs.write ", 0, 0 },
		{ "fs.write 12x", 0, 0 },
		{ "fs.write -5", 0, 0 },
		{ "fs.write 1.5", 0, 0 },
		{ "fs.writes 5", 0, 0 },
		{ "xfs.write 5", 0, 0 },
		{ " fs.write 5", 0, 0 },
		{ "fs.write 5 6", 0, 0 },
	};
	uint64_t ns;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ns = 42;
		cr_expect_eq(bench_value_line(cases[i].line,
				 strlen(cases[i].line), "fs.write", &ns) == 0,
		    cases[i].ok, "\"%s\"", cases[i].line);
		if (cases[i].ok)
			cr_expect_eq(ns, cases[i].ns, "\"%s\"", cases[i].line);
	}
	/* Only len bytes count: the rest of the buffer is not the line. */
	cr_expect_eq(bench_value_line("v 12345", 4, "v", &ns), 0);
	cr_expect_eq(ns, 12);
}

Test(run, reports_the_value_line, .timeout = 20)
{
	struct bench_side s = side("done", -1);
	struct bench_run_result res;

	/*
	 * The label also ends a longer line and starts a false one; the line
	 * arrives in two writes, with a carriage return, and takes the place
	 * of the 0.3 s the run lasts.
	 */
	s.value = "t.ns";
	bench_run("echo 'x t.ns 1'; echo 't.ns 9 ms'; sleep 0.3; "
		  "printf 't.n'; sleep 0.1; printf 's 4321\r\nt.ns 5\n'; "
		  "echo done; sleep 30",
	    &s, 10, 1, &res);
	cr_assert(res.ok, "%s", res.reason);
	cr_expect(res.has_value);
	cr_expect_eq(res.value_ns, 4321);
	cr_expect_geq(res.elapsed_ns, 400000000u);

	/* Until exit, the last line may lack its newline. */
	s = side(NULL, 0);
	s.value = "v";
	bench_run("printf 'v 77'", &s, 5, 1, &res);
	cr_assert(res.ok, "%s", res.reason);
	cr_expect_eq(res.value_ns, 77);
}

Test(run, a_missing_value_line_fails, .timeout = 20)
{
	struct bench_side s = side("done", -1);
	struct bench_run_result res;
	char cmd[2 * BENCH_LINE_MAX];

	s.value = "t.ns";
	bench_run("echo 't.ns soon'; echo done", &s, 5, 1, &res);
	cr_expect(!res.ok);
	cr_expect_str_eq(res.reason,
	    "no line \"t.ns <nanoseconds>\" in the output");
	/* A line longer than BENCH_LINE_MAX is not a value line. */
	snprintf(cmd, sizeof(cmd), "echo 't.ns 1%*s'; echo done",
	    BENCH_LINE_MAX, "");
	bench_run(cmd, &s, 5, 1, &res);
	cr_expect(!res.ok, "a %d-byte line was taken", BENCH_LINE_MAX + 6);
	/* After a failed run for another reason, that reason is kept. */
	bench_run("echo 't.ns 5'; exit 3", &s, 5, 1, &res);
	cr_expect_str_eq(res.reason,
	    "exited with status 3 before printing the pattern");
}
