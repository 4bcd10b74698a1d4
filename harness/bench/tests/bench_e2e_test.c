/*
 * bench_e2e_test.c - runs the vkbench program, which lies next to this
 * test in $(O)/bin, on small benchmark files made of host commands, and
 * checks its exit status, its messages and its reports.  python3 checks
 * that the JSON report is valid and reads values out of it.
 */
#include <criterion/criterion.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

/* A scratch directory with the files of one test. */
static char dir[PATH_MAX];
static char vkbench[PATH_MAX];

static void
setup(void)
{
	char self[PATH_MAX];
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	cr_assert_gt(n, 0);
	self[n] = '\0';
	snprintf(vkbench, sizeof(vkbench), "%s/vkbench", dirname(self));
	cr_assert_eq(access(vkbench, X_OK), 0, "no %s", vkbench);
	snprintf(dir, sizeof(dir), "%s/bench_e2e.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	cr_assert_not_null(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

TestSuite(vkbench, .init = setup, .fini = teardown, .timeout = 60);

static void
write_file(const char *name, const char *text)
{
	char path[PATH_MAX + 64];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	cr_assert_not_null(fp);
	fputs(text, fp);
	cr_assert_eq(fclose(fp), 0);
}

/* Reads dir/name into a new string, or returns NULL. */
static char *
read_file(const char *name)
{
	char path[PATH_MAX + 64], *buf;
	size_t len;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "r")) == NULL)
		return (NULL);
	buf = calloc(1, 1 << 16);
	cr_assert_not_null(buf);
	len = fread(buf, 1, (1 << 16) - 1, fp);
	buf[len] = '\0';
	fclose(fp);
	return (buf);
}

/*
 * Runs "vkbench args" in dir with its output in dir/stdout and dir/err;
 * returns its exit status.
 */
static int
vkbench_run(const char *args)
{
	char cmd[3 * PATH_MAX];
	int status;

	snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' %s >stdout 2>err", dir,
	    vkbench, args);
	status = system(cmd);
	cr_assert(WIFEXITED(status), "vkbench died: %#x", status);
	return (WEXITSTATUS(status));
}

/*
 * Runs a python3 program on dir/out/latest.json that prints one value per
 * line; returns them in a new string.  Fails the test when python3 does.
 */
static char *
python_on_report(const char *program)
{
	char cmd[PATH_MAX + 4096];
	int status;

	snprintf(cmd, sizeof(cmd),
	    "cd '%s' && python3 -m json.tool out/latest.json >/dev/null && "
	    "python3 -c '%s' out/latest.json >py.out 2>py.err",
	    dir, program);
	status = system(cmd);
	cr_assert_eq(status, 0, "python3 failed (is it installed?): %s",
	    read_file("py.err"));
	return (read_file("py.out"));
}

Test(vkbench, measures_both_sides_and_writes_reports)
{
	static const char prog[] =
	    "import json, sys\n"
	    "d = json.load(open(sys.argv[1]))\n"
	    "b = d[\"benchmarks\"][0]\n"
	    "g, n = b[\"guest\"], b[\"native\"]\n"
	    "print(d[\"format\"], d[\"runs\"], d[\"warmups\"], d[\"kernel\"])\n"
	    "print(b[\"name\"], b[\"status\"], b[\"reason\"])\n"
	    "print(len(g[\"samples_ms\"]), len(n[\"samples_ms\"]))\n"
	    "print(g[\"min_ms\"] <= g[\"median_ms\"] <= g[\"max_ms\"],\n"
	    "    n[\"min_ms\"] <= n[\"median_ms\"] <= n[\"max_ms\"])\n"
	    "print(abs(b[\"ratio\"] - g[\"median_ms\"] / n[\"median_ms\"])\n"
	    "    < 1e-3)\n"
	    "print(g[\"until\"], n[\"until\"])\n"
	    "print(\"ratio=%.3f\" % b[\"ratio\"])\n"
	    "print(d[\"benchmarks\"][1][\"description\"])\n";
	char *out, *txt, target[PATH_MAX], path[PATH_MAX + 32];
	double ratio;
	ssize_t n;

	write_file("t.conf",
	    "[two.sleeps]\n"
	    "description = 300 ms against 100 ms\n"
	    "guest = sleep 0.3\n"
	    "guest.until = exit\n"
	    "native = sleep 0.1\n"
	    "native.until = exit\n"
	    "[prompt]\n"
	    "description = \"tab\\there, \\\"quoted\\\"\"\n"
	    "guest = cd ${TMP} && printf 'ok> ' && sleep 20\n"
	    "guest.until = \"ok> \"\n"
	    "native = echo ok\\>; sleep 20\n"
	    "native.until = ok>\n");
	cr_assert_eq(vkbench_run("-r 3 -w 1 -o out t.conf"), 0, "%s",
	    read_file("err"));

	out = python_on_report(prog);
	cr_assert_not_null(out);
	cr_expect_eq(strncmp(out,
			 "1 3 1 None\ntwo.sleeps ok None\n3 3\n"
			 "True True\nTrue\n",
			 strlen("1 3 1 None\ntwo.sleeps ok None\n3 3\n"
				"True True\nTrue\n")),
	    0, "report says:\n%s", out);
	cr_assert_not_null(txt = strstr(out, "ratio="), "%s", out);
	ratio = strtod(txt + strlen("ratio="), NULL);
	cr_expect(ratio > 2.0 && ratio < 3.5, "ratio %g, not near 3", ratio);
	cr_expect_not_null(strstr(out, "\nexit exit\n"), "%s", out);
	cr_expect_not_null(strstr(out, "tab\there, \"quoted\"\n"), "%s", out);
	free(out);

	/* latest.json links to the timestamped report; the table is there. */
	snprintf(path, sizeof(path), "%s/out/latest.json", dir);
	n = readlink(path, target, sizeof(target) - 1);
	cr_assert_gt(n, 0, "latest.json is not a symbolic link");
	target[n] = '\0';
	cr_expect_eq(strlen(target), strlen("20240131T123456Z.json"), "%s",
	    target);
	cr_expect_str_eq(target + 8 + 7, "Z.json");
	txt = read_file("out/latest.txt");
	cr_assert_not_null(txt);
	cr_expect_not_null(strstr(txt, "two.sleeps"), "%s", txt);
	free(txt);
	txt = read_file("stdout");
	cr_assert_not_null(txt);
	cr_expect_not_null(strstr(txt, "RATIO"), "table not printed: %s", txt);
	free(txt);
}

Test(vkbench, sides_that_report_their_own_time)
{
	static const char prog[] =
	    "import json, sys\n"
	    "d = json.load(open(sys.argv[1]))\n"
	    "b = d[\"benchmarks\"][0]\n"
	    "g, n = b[\"guest\"], b[\"native\"]\n"
	    "print(b[\"status\"], g[\"value\"], n[\"value\"])\n"
	    "print(g[\"samples_ms\"], n[\"samples_ms\"])\n"
	    "print(g[\"median_ms\"], n[\"max_ms\"], b[\"ratio\"])\n"
	    "b = d[\"benchmarks\"][1]\n"
	    "print(b[\"name\"], b[\"guest\"][\"value\"])\n";
	char *out;

	/*
	 * The guest takes 0.3 s but says 3 ms, the native side says 1 ms:
	 * the samples and the ratio are theirs, not the wall clock's.
	 */
	write_file("t.conf",
	    "[self]\n"
	    "description = d\n"
	    "guest = echo 'boot...'; sleep 0.3; echo 'g.ns 3000000'; "
	    "echo end\n"
	    "guest.until = end\n"
	    "guest.value = g.ns\n"
	    "native = echo 'n.ns 1000000'\n"
	    "native.until = exit\n"
	    "native.value = n.ns\n"
	    "[clock]\n"
	    "description = d\n"
	    "guest = true\n"
	    "guest.until = exit\n"
	    "native = true\n"
	    "native.until = exit\n");
	cr_assert_eq(vkbench_run("-r 2 -w 1 -o out t.conf"), 0, "%s",
	    read_file("err"));
	out = python_on_report(prog);
	cr_assert_not_null(out);
	cr_expect_str_eq(out,
	    "ok g.ns n.ns\n[3.0, 3.0] [1.0, 1.0]\n3.0 1.0 3.0\nclock None\n");
	free(out);

	/* A side that does not print its line fails the benchmark. */
	write_file("t.conf",
	    "[mute]\n"
	    "description = d\n"
	    "guest = echo end\n"
	    "guest.until = end\n"
	    "guest.value = g.ns\n"
	    "native = true\n"
	    "native.until = exit\n");
	cr_assert_eq(vkbench_run("-r 1 -w 0 t.conf"), EX_SOFTWARE);
	out = read_file("err");
	cr_expect_not_null(strstr(out,
			       "mute: guest run 1: no line \"g.ns "
			       "<nanoseconds>\" in the output"),
	    "%s", out);
	free(out);
}

Test(vkbench, failed_benchmark_is_reported_and_exits_70)
{
	static const char prog[] =
	    "import json, sys\n"
	    "d = json.load(open(sys.argv[1]))\n"
	    "for b in d[\"benchmarks\"]:\n"
	    "    print(b[\"name\"], b[\"status\"], b[\"reason\"], b[\"ratio\"])\n";
	char *out;

	write_file("t.conf",
	    "[missing]\n"
	    "description = d\n"
	    "guest = /nonexistent/kernel\n"
	    "guest.until = \"zzz\"\n"
	    "native = true\n"
	    "native.until = exit\n"
	    "[fine]\n"
	    "description = d\n"
	    "guest = true\n"
	    "guest.until = exit\n"
	    "native = true\n"
	    "native.until = exit\n");
	cr_assert_eq(vkbench_run("-r 1 -w 0 -o out t.conf"), EX_SOFTWARE);
	out = read_file("err");
	cr_expect_not_null(strstr(out,
			       "missing: guest run 1: exited with "
			       "status 127 (command not found)"),
	    "%s", out);
	free(out);
	out = python_on_report(prog);
	cr_assert_not_null(out);
	cr_expect_not_null(strstr(out,
			       "missing failed guest run 1: exited "
			       "with status 127 (command not found) "
			       "before printing the pattern None\n"),
	    "%s", out);
	cr_expect_not_null(strstr(out, "\nfine ok None "), "%s", out);
	free(out);
}

Test(vkbench, bad_usage_and_bad_files)
{
	static const struct {
		const char *args;
		int status;
		const char *message;
	} cases[] = {
		{ "", EX_USAGE, "no benchmark file given" },
		{ "-x t.conf", EX_USAGE, "usage: vkbench" },
		{ "-r 0 t.conf", EX_USAGE, "-r 0: expected a whole number" },
		{ "-t -1 t.conf", EX_USAGE, "-t -1: expected seconds" },
		{ "-w x t.conf", EX_USAGE, "-w x: expected a whole number" },
		{ "nothere.conf", EX_NOINPUT, "nothere.conf: No such file" },
		{ "bad.conf", EX_DATAERR, "bad.conf:3: unknown key \"gust\"" },
		{ "-b nope t.conf", EX_USAGE, "-b nope: no benchmark" },
		{ "t.conf", EX_USAGE,
		    "benchmark k uses ${KERNEL}: give the kernel with -k" },
		{ "-k ./nokernel t.conf", EX_NOINPUT, "kernel ./nokernel" },
		{ "t.conf t.conf", EX_DATAERR,
		    "t.conf:1: benchmark k defined twice" },
	};
	size_t i;
	char *err;

	write_file("t.conf",
	    "[k]\ndescription = d\nguest = ${KERNEL}\n"
	    "guest.until = exit\nnative = true\n"
	    "native.until = exit\n");
	write_file("bad.conf", "[k]\ndescription = d\ngust = x\n");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_expect_eq(vkbench_run(cases[i].args), cases[i].status,
		    "vkbench %s", cases[i].args);
		err = read_file("err");
		cr_expect_not_null(strstr(err, cases[i].message),
		    "vkbench %s: \"%s\" lacks \"%s\"", cases[i].args, err,
		    cases[i].message);
		free(err);
	}
}

Test(vkbench, check_only_lists_without_running)
{
	char *out;

	write_file("t.conf",
	    "[k]\ndescription = the kernel\n"
	    "guest = ${KERNEL}\nguest.until = exit\n"
	    "native = exit 1\nnative.until = exit\n");
	cr_assert_eq(vkbench_run("-n t.conf"), 0);
	out = read_file("stdout");
	cr_expect_str_eq(out, "k\tthe kernel\n");
	free(out);
}
