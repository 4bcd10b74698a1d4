/*
 * results_test.c - vkh(1) end to end: runs the deliberately misbehaving
 * fake suite (fake_suite.c) and checks every verdict, the result files
 * (JUnit well-formed, JSON valid for python3 -m json.tool, TAP), the
 * compressed console logs, results/latest and that a repro.sh re-creates
 * the failure.  vkh and vkh_fake_suite are found beside this program.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[] = "/tmp/vkh-results-test.XXXXXX";
static char bindir[PATH_MAX];
static char *out; /* what vkh printed */
static int status;

/* Runs cmd with sh; returns its exit status and its output in *text. */
static int
run(const char *cmd, char **text)
{
	char buf[4096];
	size_t len = 0, n;
	FILE *p = popen(cmd, "r");
	int st;

	cr_assert_not_null(p);
	*text = malloc(1);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0) {
		*text = realloc(*text, len + n + 1);
		memcpy(*text + len, buf, n);
		len += n;
	}
	(*text)[len] = '\0';
	st = pclose(p);
	return (WIFEXITED(st) ? WEXITSTATUS(st) : 128);
}

static void
setup(void)
{
	char cmd[3 * PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", bindir, sizeof(bindir) - 1);

	cr_assert(n > 0);
	bindir[n] = '\0';
	*strrchr(bindir, '/') = '\0';
	cr_assert_not_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd),
	    "echo vkh_fake_suite >%s/suites && FAKE_STATE=%s/flaky "
	    "%s/vkh run -s %s/suites -o %s/results -k /bin/true -r 1 2>&1",
	    dir, dir, bindir, dir, dir);
	status = run(cmd, &out);
}

static void
teardown(void)
{
	char cmd[PATH_MAX];

	free(out);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", dir);
}

TestSuite(results, .init = setup, .fini = teardown, .timeout = 120);

/* Runs a shell check in the results directory; returns its output. */
static char *
check(const char *what, int want)
{
	char cmd[2 * PATH_MAX], *text;
	int st;

	snprintf(cmd, sizeof(cmd), "cd %s/results/latest && %s 2>&1", dir,
	    what);
	st = run(cmd, &text);
	cr_assert_eq(st, want, "\"%s\" exited %d:\n%s\nvkh said:\n%s", what, st,
	    text, out);
	return (text);
}

Test(results, every_verdict_is_reported)
{
	static const char *const lines[] = { "fake/passes ", "pass",
		"fake/fails ", "fail", "fake/crashes ", "crash", "fake/hangs ",
		"hang", "fake/skips ", "skip", "fake/errs ", "error",
		"fake/flaky ", "flaky" };
	char want[128], *p;
	size_t i;

	cr_assert_eq(status, 1, "vkh must fail a run with failures:\n%s", out);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i += 2) {
		p = strstr(out, lines[i]);
		cr_assert_not_null(p, "no progress line for %s\n%s", lines[i],
		    out);
		snprintf(want, sizeof(want), " %s ", lines[i + 1]);
		cr_assert(strncmp(p + 44, want + 0, strlen(want)) == 0 ||
			strstr(p, want) < strchr(p, '\n'),
		    "%s is not %s:\n%s", lines[i], lines[i + 1], out);
	}
	cr_assert_not_null(strstr(out, "panic: mid-line trouble"));
	cr_assert_not_null(strstr(out, "silent"));
	cr_assert_not_null(strstr(out, "passed on attempt 2"));
}

Test(results, files_are_well_formed)
{
	char *t;

	free(check("python3 -m json.tool summary.json >/dev/null", 0));
	free(check("python3 -c 'import sys, xml.dom.minidom as m; "
		   "d = m.parse(\"junit.xml\"); "
		   "sys.exit(len(d.getElementsByTagName(\"testcase\")) != 7)'",
	    0));
	t = check("cat results.tap", 0);
	cr_assert(strncmp(t, "TAP version 13\n1..7\n", 20) == 0, "%s", t);
	cr_assert_not_null(strstr(t, "not ok "));
	cr_assert_not_null(strstr(t, " # SKIP nothing to do here"));
	free(t);
	t = check(
	    "python3 -c 'import json; d = json.load(open(\"summary."
	    "json\")); t = {x[\"test\"]: x for x in d[\"tests\"]}; "
	    "print(t[\"crashes\"][\"verdict\"], t[\"crashes\"][\"phase\"],"
	    " t[\"hangs\"][\"phase\"], t[\"flaky\"][\"verdict\"], "
	    "sorted(t[\"passes\"][\"boots\"][0][\"phases\"]))'",
	    0);
	cr_assert_str_eq(t,
	    "crash login login flaky ['banner', 'login', "
	    "'password', 'rootmount', 'shell']\n");
	free(t);
	t = check("grep -o '<flakyFailure' junit.xml | wc -l", 0);
	cr_assert_str_eq(t, "1\n");
	free(t);
}

Test(results, console_logs_are_gzip_files)
{
	char *t = check("for f in logs/fake.crashes.*.gz; do gzip -t $f && "
			"zcat $f; done",
	    0);

	cr_assert_not_null(strstr(t, "Mounting root from fapanic: mid-line"),
	    "%s", t);
	free(t);
}

Test(results, repro_sh_re_creates_the_failure)
{
	char *t = check("ls failures", 0);

	cr_assert_str_eq(t,
	    "fake.crashes\nfake.errs\nfake.fails\n"
	    "fake.flaky\nfake.hangs\n");
	free(t);
	/* The repros keep their console logs in the run, not in /tmp. */
	t = check("mkdir -p repro && VKH_RUN_DIR=$PWD/repro "
		  "sh failures/fake.crashes/repro.sh",
	    1);
	cr_assert_not_null(strstr(t,
			       "crash in phase login: panic: mid-line "
			       "trouble"),
	    "%s", t);
	free(t);
	t = check("VKH_RUN_DIR=$PWD/repro sh failures/fake.hangs/repro.sh", 1);
	cr_assert_not_null(strstr(t, "hang in phase login"), "%s", t);
	free(t);
}

Test(results, a_selection_runs_only_those_tests)
{
	char cmd[3 * PATH_MAX], *t;

	snprintf(cmd, sizeof(cmd),
	    "%s/vkh list -s %s/suites 'fake/pa*' fake/skips", bindir, dir);
	cr_assert_eq(run(cmd, &t), 0);
	cr_assert_str_eq(t, "fake/passes\nfake/skips\n");
	free(t);
	snprintf(cmd, sizeof(cmd),
	    "%s/vkh run -s %s/suites -o %s/sel -k /bin/true fake/passes",
	    bindir, dir, dir);
	cr_assert_eq(run(cmd, &t), 0, "%s", t);
	cr_assert_not_null(strstr(t, "1 tests"), "%s", t);
	free(t);
}
