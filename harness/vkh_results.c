/*
 * vkh_results.c - what a run leaves in results/<run-id>/:
 *
 *	junit.xml	JUnit XML (a flaky test passes with <flakyFailure>)
 *	results.tap	TAP version 13
 *	summary.json	per test: verdict, duration, attempts, phase, message,
 *			boots with the time of each phase, logs, repro
 *	logs/		gzip console logs, one per boot
 *	output/		what each test program printed
 *	failures/SUITE.TEST/repro.sh	for every test that did not pass
 *
 * and results/latest, a symbolic link to the newest run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness/vkh_private.h"

static bool
is_bad(enum vkh_verdict v)
{
	return (v >= VKH_FAIL);
}

/*
 * KTAP cases a test read from its guest are results of their own: in
 * JUnit a testcase each (classname suite.test), in TAP an indented
 * subtest block, in JSON a "ktap" array.
 */
static void
write_junit_ktap(FILE *f, const struct vkh_result *r)
{
	int i;

	for (i = 0; i < r->rec.nktap; i++) {
		fprintf(f, "    <testcase classname=\"");
		vkh_xml_string(f, r->suite);
		fprintf(f, ".");
		vkh_xml_string(f, r->test);
		fprintf(f, "\" name=\"");
		vkh_xml_string(f, r->rec.ktap[i].name);
		if (strcmp(r->rec.ktap[i].result, "fail") == 0)
			fprintf(f,
			    "\">\n      <failure type=\"ktap\" "
			    "message=\"not ok\"/>\n    </testcase>\n");
		else if (strcmp(r->rec.ktap[i].result, "skip") == 0)
			fprintf(f, "\">\n      <skipped/>\n    </testcase>\n");
		else
			fprintf(f, "\"/>\n");
	}
}

static void
write_tap_ktap(FILE *f, const struct vkh_result *r)
{
	int i;

	if (r->rec.nktap == 0)
		return;
	fprintf(f, "    1..%d\n", r->rec.nktap);
	for (i = 0; i < r->rec.nktap; i++)
		fprintf(f, "    %s %d - %s%s\n",
		    strcmp(r->rec.ktap[i].result, "fail") == 0 ? "not ok" :
								 "ok",
		    i + 1, r->rec.ktap[i].name,
		    strcmp(r->rec.ktap[i].result, "skip") == 0 ? " # SKIP" :
								 "");
}

static void
write_json_ktap(FILE *f, const struct vkh_result *r)
{
	int i;

	if (r->rec.nktap == 0)
		return;
	fprintf(f, ",\n     \"ktap\": [");
	for (i = 0; i < r->rec.nktap; i++) {
		fprintf(f, "%s{\"name\": ", i ? ", " : "");
		vkh_json_string(f, r->rec.ktap[i].name);
		fprintf(f, ", \"result\": \"%s\"}", r->rec.ktap[i].result);
	}
	fprintf(f, "]");
}

static void
write_junit(FILE *f, const struct vkh_run *run, double wall)
{
	const struct vkh_result *r;
	int i, bad = 0, skipped = 0;

	for (i = 0; i < run->n; i++) {
		bad += is_bad(run->results[i].verdict);
		skipped += run->results[i].verdict == VKH_SKIP;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f,
	    "<testsuites name=\"vkh\" tests=\"%d\" failures=\"%d\" "
	    "skipped=\"%d\" time=\"%.3f\">\n",
	    run->n, bad, skipped, wall);
	fprintf(f, "  <testsuite name=\"");
	vkh_xml_string(f, run->id);
	fprintf(f, "\" tests=\"%d\" failures=\"%d\" skipped=\"%d\">\n", run->n,
	    bad, skipped);
	for (i = 0; i < run->n; i++) {
		r = &run->results[i];
		fprintf(f, "    <testcase classname=\"");
		vkh_xml_string(f, r->suite);
		fprintf(f, "\" name=\"");
		vkh_xml_string(f, r->test);
		fprintf(f, "\" time=\"%.3f\">\n", r->duration);
		if (r->verdict == VKH_SKIP) {
			fprintf(f, "      <skipped message=\"");
			vkh_xml_string(f, r->message);
			fprintf(f, "\"/>\n");
		} else if (r->verdict != VKH_PASS) {
			const char *tag = r->verdict == VKH_FLAKY ?
			    "flakyFailure" :
			    r->verdict == VKH_ERROR ? "error" :
						      "failure";

			fprintf(f, "      <%s type=\"%s\" message=\"", tag,
			    vkh_verdict_name(r->verdict));
			vkh_xml_string(f, r->message);
			fprintf(f, "\">%s%s%s%s", r->where[0] ? "phase: " : "",
			    r->where, r->where[0] ? "\n" : "",
			    r->repro[0] ? "repro: " : "");
			vkh_xml_string(f, r->repro);
			fprintf(f, "</%s>\n", tag);
		}
		fprintf(f, "      <system-out>");
		vkh_xml_string(f, r->output);
		fprintf(f, " ");
		vkh_xml_string(f, r->rec.logs);
		fprintf(f, "</system-out>\n    </testcase>\n");
		write_junit_ktap(f, r);
	}
	fprintf(f, "  </testsuite>\n</testsuites>\n");
}

static void
write_tap(FILE *f, const struct vkh_run *run)
{
	const struct vkh_result *r;
	int i;

	fprintf(f, "TAP version 13\n1..%d\n", run->n);
	for (i = 0; i < run->n; i++) {
		r = &run->results[i];
		write_tap_ktap(f, r);
		fprintf(f, "%s %d - %s/%s",
		    is_bad(r->verdict) ? "not ok" : "ok", i + 1, r->suite,
		    r->test);
		if (r->verdict == VKH_SKIP)
			fprintf(f, " # SKIP %s", r->message);
		fprintf(f, "\n");
		if (r->verdict != VKH_PASS && r->verdict != VKH_SKIP) {
			fprintf(f, "  ---\n  verdict: %s\n",
			    vkh_verdict_name(r->verdict));
			if (r->where[0] != '\0')
				fprintf(f, "  phase: %s\n", r->where);
			fprintf(f, "  message: ");
			vkh_json_string(f, r->message);
			fprintf(f, "\n  attempts: %d\n", r->attempts);
			if (r->repro[0] != '\0')
				fprintf(f, "  repro: %s\n", r->repro);
			fprintf(f, "  ...\n");
		}
	}
}

/* Writes the blank-separated words of s as JSON strings. */
static void
write_words(FILE *f, const char *s)
{
	char word[1024];
	int n, first = 1;

	while (sscanf(s, " %1023s%n", word, &n) == 1) {
		fputs(first ? "" : ", ", f);
		vkh_json_string(f, word);
		first = 0;
		s += n;
	}
}

static void
write_json(FILE *f, const struct vkh_run *run, double wall)
{
	const struct vkh_result *r;
	int i, v, count;

	fprintf(f, "{\n  \"run\": ");
	vkh_json_string(f, run->id);
	fprintf(f, ",\n  \"kernel\": ");
	vkh_json_string(f, run->kernel);
	fprintf(f, ",\n  \"wall_seconds\": %.3f,\n  \"counts\": {", wall);
	for (v = VKH_PASS; v <= VKH_ERROR; v++) {
		for (count = i = 0; i < run->n; i++)
			count += run->results[i].verdict == (enum vkh_verdict)v;
		fprintf(f, "%s\"%s\": %d", v ? ", " : "",
		    vkh_verdict_name((enum vkh_verdict)v), count);
	}
	fprintf(f, "},\n  \"tests\": [");
	for (i = 0; i < run->n; i++) {
		r = &run->results[i];
		fprintf(f, "%s\n    {\"suite\": ", i ? "," : "");
		vkh_json_string(f, r->suite);
		fprintf(f, ", \"test\": ");
		vkh_json_string(f, r->test);
		fprintf(f,
		    ", \"verdict\": \"%s\", \"duration\": %.3f, "
		    "\"attempts\": %d,\n     \"phase\": ",
		    vkh_verdict_name(r->verdict), r->duration, r->attempts);
		vkh_json_string(f, r->where);
		fprintf(f, ", \"message\": ");
		vkh_json_string(f, r->message);
		fprintf(f, ",\n     \"boots\": %s,\n     \"logs\": [",
		    r->rec.boots[0] ? r->rec.boots : "[]");
		write_words(f, r->rec.logs);
		fprintf(f, "],\n     \"output\": ");
		vkh_json_string(f, r->output);
		fprintf(f, ", \"repro\": ");
		if (r->repro[0] != '\0')
			vkh_json_string(f, r->repro);
		else
			fprintf(f, "null");
		write_json_ktap(f, r);
		fprintf(f, "}");
	}
	fprintf(f, "\n  ]\n}\n");
}

/* Writes shell text quoted in single quotes. */
static void
sh_quote(FILE *f, const char *s)
{
	putc('\'', f);
	for (; *s != '\0'; s++)
		*s == '\'' ? fputs("'\\''", f) : putc(*s, f);
	putc('\'', f);
}

static int
write_repro(const struct vkh_run *run, struct vkh_result *r)
{
	char path[1800];
	FILE *f;

	snprintf(r->repro, sizeof(r->repro), "failures/%s.%s/repro.sh",
	    r->suite, r->test);
	snprintf(path, sizeof(path), "%s/failures/%s.%s", run->dir, r->suite,
	    r->test);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s", run->dir, r->repro);
	if ((f = fopen(path, "w")) == NULL)
		return (errno);
	fprintf(f,
	    "#!/bin/sh\n# repro.sh - re-creates the failing boot and "
	    "test %s/%s of run %s.\n",
	    r->suite, r->test, run->id);
	fprintf(f, "# Verdict: %s%s%s: ", vkh_verdict_name(r->verdict),
	    r->where[0] ? " in phase " : "", r->where);
	fprintf(f, "%.300s\n", r->message);
	if (r->rec.cmdline[0] != '\0')
		fprintf(f, "# The test booted:\n#   %.900s\n", r->rec.cmdline);
	fprintf(f,
	    "# Usage: sh repro.sh [criterion options]; the console "
	    "logs go to $VKH_RUN_DIR\n# (default: a new directory in "
	    "/tmp).  Exit status 0 means it passed this time.\n");
	fprintf(f, "cd ");
	sh_quote(f, run->cwd);
	fprintf(f, " || exit 66\nVK_KERNEL=");
	sh_quote(f, run->kernel);
	fprintf(f,
	    "\nexport VK_KERNEL\n: \"${VKH_RUN_DIR:=$(mktemp -d "
	    "\"${TMPDIR:-/tmp}/vkh-repro.XXXXXX\")}\"\n"
	    "export VKH_RUN_DIR\n# Criterion's worker variable, when run "
	    "from a test.\nunset VKH_RECORD VKH_LOG_PREFIX BXFI_MAP\n"
	    "# A repro boots its own guest, with the profile's watchdogs.\n"
	    "unset VKH_SHARE_DIR VKH_RUNNER_PID VKH_SILENCE\n"
	    "echo \"vkh repro: console logs in $VKH_RUN_DIR/logs\" "
	    ">&2\nexec ");
	sh_quote(f, r->prog);
	fprintf(f, " --filter=");
	sh_quote(f, r->suite);
	fprintf(f, "/");
	sh_quote(f, r->test);
	fprintf(f, " -j1 --verbose \"$@\"\n");
	if (fclose(f) != 0)
		return (errno);
	chmod(path, 0755);
	return (0);
}

/* Writes one result file through a temporary name. */
static int
write_file(const struct vkh_run *run, const char *name, double wall,
    void (*fn)(FILE *, const struct vkh_run *, double))
{
	char path[1200], tmp[1300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", run->dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		return (errno);
	fn(f, run, wall);
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		return (errno);
	return (0);
}

static void
tap_fn(FILE *f, const struct vkh_run *run, double wall)
{
	write_tap(f, run);
}

int
vkh_write_results(struct vkh_run *run, double wall)
{
	char latest[1200], tmp[1300], *slash;
	int i, e = 0;

	for (i = 0; i < run->n; i++)
		if (run->results[i].verdict != VKH_PASS &&
		    run->results[i].verdict != VKH_SKIP && e == 0)
			e = write_repro(run, &run->results[i]);
	if (e == 0)
		e = write_file(run, "junit.xml", wall, write_junit);
	if (e == 0)
		e = write_file(run, "results.tap", wall, tap_fn);
	if (e == 0)
		e = write_file(run, "summary.json", wall, write_json);
	/* results/latest -> <run-id>, replaced in one rename. */
	snprintf(latest, sizeof(latest), "%s", run->dir);
	if ((slash = strrchr(latest, '/')) != NULL) {
		snprintf(slash + 1,
		    sizeof(latest) - (size_t)(slash + 1 - latest), "latest");
		snprintf(tmp, sizeof(tmp), "%s.%d", latest, (int)getpid());
		unlink(tmp);
		if (symlink(run->id, tmp) != 0 || rename(tmp, latest) != 0)
			e = e ? e : errno;
	}
	return (e);
}

int
vkh_print_summary(const struct vkh_run *run, double wall)
{
	int counts[VKH_ERROR + 1] = { 0 }, i, bad = 0, shown = 0;
	const struct vkh_result *r;

	for (i = 0; i < run->n; i++)
		counts[run->results[i].verdict]++;
	printf("\n== vkh run %s: %d tests in %.1f s\n  ", run->id, run->n,
	    wall);
	for (i = VKH_PASS; i <= VKH_ERROR; i++)
		if (counts[i] > 0)
			printf(" %s %d", vkh_verdict_name((enum vkh_verdict)i),
			    counts[i]);
	printf("\n");
	for (i = 0; i < run->n; i++) {
		r = &run->results[i];
		if (r->verdict == VKH_PASS || r->verdict == VKH_SKIP)
			continue;
		bad += is_bad(r->verdict);
		if (shown++ == 12) {
			printf("  ... more in %s/summary.json\n", run->dir);
			continue;
		}
		if (shown > 12)
			continue;
		printf("  %-5s %s/%s%s%s\n        %.100s\n        sh %s/%s\n",
		    vkh_verdict_name(r->verdict), r->suite, r->test,
		    r->where[0] ? " in phase " : "", r->where, r->message,
		    run->dir, r->repro);
	}
	printf("   results: %s/ (junit.xml results.tap summary.json logs/)\n",
	    run->dir);
	return (bad);
}
