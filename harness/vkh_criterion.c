/*
 * vkh_criterion.c - the engine inside Criterion tests: boots made for the
 * current test write their console log and the test's record under the
 * run directory, and an engine verdict fails the test with the phase,
 * the message and the last console lines.
 *
 * Where things go: $VKH_RECORD (the record file) and $VKH_LOG_PREFIX
 * (console logs, one per boot: PREFIX.N.console.gz) when vkh(1) runs the
 * test; otherwise $VKH_RUN_DIR, default results/direct, with
 * records/SUITE.TEST.rec and logs/SUITE.TEST.N.console.gz.
 *
 * A boot with .share set comes from a keeper (vkh_share.c) when
 * $VKH_SHARE_DIR is set; the record then names the keeper's log of the
 * boot and this test's own log of what it saw after taking the guest.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/vkh_private.h"

#define MAX_TEST_GUESTS 8

static struct vkh_guest *guests[MAX_TEST_GUESTS];
static int nguests, nboots;
static char record[1024], log_prefix[1024], log_rel[1024];
static bool verdict_recorded;

/* mkdir -p for the run directory's few levels. */
static void
make_dirs(const char *path)
{
	char tmp[1024], *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p != '\0'; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(tmp, 0755);
			*p = '/';
		}
	mkdir(tmp, 0755);
}

static void
init_paths(void)
{
	const char *dir = getenv("VKH_RUN_DIR");
	const char *rec = getenv("VKH_RECORD");
	const char *pre = getenv("VKH_LOG_PREFIX");
	char name[512], sub[1100];

	if (record[0] != '\0')
		return;
	snprintf(name, sizeof(name), "%s.%s",
	    criterion_current_suite ? criterion_current_suite->name : "none",
	    criterion_current_test ? criterion_current_test->name : "none");
	if (dir == NULL)
		dir = "results/direct";
	if (rec != NULL && pre != NULL) {
		snprintf(record, sizeof(record), "%s", rec);
		snprintf(log_prefix, sizeof(log_prefix), "%s", pre);
	} else {
		snprintf(sub, sizeof(sub), "%s/records", dir);
		make_dirs(sub);
		snprintf(sub, sizeof(sub), "%s/logs", dir);
		make_dirs(sub);
		snprintf(record, sizeof(record), "%s/records/%s.rec", dir,
		    name);
		snprintf(log_prefix, sizeof(log_prefix), "%s/logs/%s", dir,
		    name);
		remove(record);
	}
	/* Logs are named relative to the run directory in the record. */
	snprintf(log_rel, sizeof(log_rel), "%s",
	    strncmp(log_prefix, dir, strlen(dir)) == 0 &&
		    log_prefix[strlen(dir)] == '/' ?
		log_prefix + strlen(dir) + 1 :
		log_prefix);
}

void
vkh_test_verdict(const struct vkh_status *st)
{
	init_paths();
	if (verdict_recorded || st->verdict == VKH_PASS)
		return;
	verdict_recorded = true;
	vkh_record_add(record, "verdict %s", vkh_verdict_name(st->verdict));
	vkh_record_add(record, "where %s", st->phase);
	vkh_record_add(record, "message %s", st->message);
}

/* Records st and fails the current test with it. */
static void
fail_with(const struct vkh_status *st)
{
	vkh_test_verdict(st);
	cr_assert_fail("%s in phase %s: %s\n--- last console lines ---\n%s",
	    vkh_verdict_name(st->verdict), st->phase, st->message, st->tail);
}

/* Writes the record lines of boot n of g. */
static void
record_boot(struct vkh_guest *g, int n, const char *boot_log, int uses)
{
	int i;

	vkh_record_add(record, "boot %d %s", n,
	    g->profile ? g->profile->name : "?");
	for (i = 0; g->profile != NULL && i < g->profile->nphases; i++)
		if (g->phase_time[i] >= 0)
			vkh_record_add(record, "phase %d %s %.3f", n,
			    g->profile->phases[i].name, g->phase_time[i]);
	if (boot_log != NULL)
		vkh_record_add(record, "log %d %s", n, boot_log);
	vkh_record_add(record, "log %d %s.%d.console.gz", n, log_rel, n);
	vkh_record_add(record, "cmdline %d %s", n, vkh_command_line(g));
	if (uses >= 0)
		vkh_record_add(record, "shared %d %d", n, uses);
}

struct vkh_guest *
vkh_test_boot(const struct vkh_boot_spec *spec)
{
	const char *share_dir = getenv("VKH_SHARE_DIR");
	struct vkh_boot_spec s = *spec;
	struct vkh_share_info info = { .uses = -1 };
	struct vkh_guest *g = NULL;
	char log[1100];
	int n;

	init_paths();
	n = ++nboots;
	snprintf(log, sizeof(log), "%s.%d.console.gz", log_prefix, n);
	if (s.log == NULL)
		s.log = log;
	if (s.share && share_dir != NULL && *share_dir != '\0')
		g = vkh_share_attach(&s, share_dir, &info);
	if (g != NULL)
		record_boot(g, n, info.log, info.uses);
	else {
		g = vkh_boot(&s, &info.st);
		cr_assert_not_null(g, "vkh_boot: out of memory");
		record_boot(g, n, NULL, -1);
	}
	if (nguests < MAX_TEST_GUESTS)
		guests[nguests++] = g;
	if (info.st.verdict != VKH_PASS)
		fail_with(&info.st);
	return (g);
}

bool
vkh_shared(struct vkh_guest *g)
{
	return (g->adopted);
}

void
vkh_test_release(struct vkh_guest *g)
{
	struct vkh_status st;

	if (!vkh_at_rest(g, 5, &st))
		fail_with(&st);
	if (!g->adopted)
		return;
	vkh_share_detach(g, true);
	/* The next test reads the console from here on. */
	close(g->fd);
	g->fd = -1;
}

void
vkh_test_expect(struct vkh_guest *g, const char *re, double timeout)
{
	struct vkh_status st;

	if (vkh_expect(g, re, timeout, &st))
		return;
	/* Text that does not come from a live kernel is a failed check;
	 * the silence watchdog still calls a quiet kernel hung. */
	if (st.verdict == VKH_HANG && strstr(st.message, "silent") == NULL)
		st.verdict = VKH_FAIL;
	fail_with(&st);
}

char *
vkh_test_run(struct vkh_guest *g, const char *cmd, double timeout,
    int *exitcode)
{
	struct vkh_status st;
	char *out;

	if (!vkh_run(g, cmd, timeout, &out, exitcode, &st))
		fail_with(&st);
	return (out);
}

int
vkh_test_expect_any(struct vkh_guest *g, const char *const *res, int n,
    double timeout)
{
	struct vkh_status st;
	int i = vkh_expect_any(g, res, n, timeout, &st);

	if (i >= 0)
		return (i);
	if (st.verdict == VKH_HANG && strstr(st.message, "silent") == NULL)
		st.verdict = VKH_FAIL;
	fail_with(&st);
	return (-1);
}

void
vkh_test_expect_text(struct vkh_guest *g, const char *text, double timeout)
{
	struct vkh_status st;

	if (vkh_expect_text(g, text, timeout, &st))
		return;
	if (st.verdict == VKH_HANG && strstr(st.message, "silent") == NULL)
		st.verdict = VKH_FAIL;
	fail_with(&st);
}

void
vkh_test_send(struct vkh_guest *g, const char *line)
{
	int e = vkh_send_line(g, line);

	cr_assert_eq(e, 0, "typing \"%s\": %s", line, strerror(e));
}

void
vkh_test_signal(struct vkh_guest *g, int sig)
{
	int e = vkh_signal(g, sig);

	cr_assert_eq(e, 0, "signal %d to the kernel: %s", sig, strerror(e));
}

int
vkh_test_wait_exit(struct vkh_guest *g, double timeout)
{
	struct vkh_status st;
	int ws = -1;

	if (vkh_wait_exit(g, timeout, &ws))
		return (ws);
	vkh_console_verdict(g, &st, VKH_HANG, "exit",
	    "the kernel did not exit in %.1f s", timeout);
	fail_with(&st);
	return (-1);
}

void
vkh_test_shutdown(struct vkh_guest *g)
{
	struct vkh_status st;

	if (!vkh_shutdown(g, &st))
		fail_with(&st);
}

void
vkh_test_end(void)
{
	while (nguests > 0)
		vkh_destroy(guests[--nguests]);
}

void
vkh_test_ktap(struct vkh_guest *g, double timeout)
{
	static const char *const names[] = { "pass", "fail", "skip" };
	struct vkh_ktap *k;
	struct vkh_status st;
	double waited = 0;
	char failed[512];
	int i, nfail;

	cr_assert_not_null(k = malloc(sizeof(*k)));
	/* Wait for each result line until the plan is complete. */
	for (;;) {
		if (vkh_ktap_parse(vkh_transcript(g), k) == 0 && k->complete)
			break;
		if (waited >= timeout)
			break;
		(void)vkh_expect(g, "^(not )?ok [0-9]+", 1.0, &st);
		waited += 1.0;
		if (st.verdict != VKH_PASS && st.verdict != VKH_HANG)
			fail_with(&st);
	}
	for (i = 0; i < k->ncases; i++)
		vkh_record_add(record, "ktap %s %s", names[k->cases[i].result],
		    k->cases[i].name);
	nfail = vkh_ktap_failures(k, failed, sizeof(failed));
	if (!k->header) {
		free(k);
		cr_assert_fail("no KTAP document on the console");
	}
	if (!k->complete) {
		i = k->planned;
		nfail = k->seen_results;
		free(k);
		cr_assert_fail("KTAP incomplete: %d of %d results", nfail, i);
	}
	free(k);
	cr_assert_eq(nfail, 0, "KTAP: %d failed: %s", nfail, failed);
}
