/*
 * inject_test.c - deliberately broken kernels are reported right: vkh(1)
 * runs an ordinary test (mountroot/no_root_device_goes_straight_to_the_
 * prompt) on kernels built with a fault injected (runtime/kern/
 * kern_inject.c, make INJECT=kind:point) and must call
 *
 *	panic:mountroot	a crash, in phase mountroot, with the panic message,
 *			and write a repro.sh that, run, crashes the same way;
 *	hang:mp		a hang in phase mountroot (the cpus start between
 *			the banner and the mountroot prompt);
 *	hang:boot	a hang in phase banner (nothing is printed at all).
 *
 * The kernels are $VK_INJECT_DIR/inject-<kind>-<point>/bin/kernel, built
 * by "make test-kernel"; without them the tests skip.  vkh and the suite
 * programs are found beside this program.  The hang runs use vkh -w 2 (a
 * two-second silence watchdog) to stay fast.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define VICTIM "mountroot/no_root_device_goes_straight_to_the_prompt"
#define VICTIM_DIR                                                \
	"failures/mountroot.no_root_device_goes_straight_to_the_" \
	"prompt/repro.sh"

static char dir[] = "/tmp/vk-inject.XXXXXX";
static char bindir[PATH_MAX];

static void
setup(void)
{
	ssize_t n = readlink("/proc/self/exe", bindir, sizeof(bindir) - 1);
	char path[PATH_MAX + 32];
	FILE *f;

	cr_assert(n > 0);
	bindir[n] = '\0';
	*strrchr(bindir, '/') = '\0';
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/suites", dir);
	cr_assert_not_null(f = fopen(path, "w"));
	fprintf(f, "mountroot_test\n");
	fclose(f);
}

static void
teardown(void)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", dir);
}

TestSuite(inject, .init = setup, .fini = teardown, .timeout = 120);

/* The injected kernel of kind and point; skips the test when missing. */
static const char *
kernel(const char *kind, const char *point)
{
	static char path[PATH_MAX];
	const char *top = getenv("VK_INJECT_DIR");

	if (top == NULL)
		cr_skip_test("VK_INJECT_DIR is not set (make test-kernel "
			     "builds the injected kernels)");
	snprintf(path, sizeof(path), "%s/inject-%s-%s/bin/kernel", top, kind,
	    point);
	if (access(path, X_OK) != 0)
		cr_skip_test("no %s (make test-kernel builds it)", path);
	return (path);
}

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

/* Runs vkh on the victim test with kernel k; returns summary.json. */
static char *
vkh_on(const char *k, const char *extra, int *status, char **out)
{
	char cmd[4 * PATH_MAX], *json;

	snprintf(cmd, sizeof(cmd),
	    "%s/vkh run -b %s -s %s/suites -o %s/results -k %s -r 0 %s %s "
	    "2>&1",
	    bindir, bindir, dir, dir, k, extra, VICTIM);
	*status = run(cmd, out);
	snprintf(cmd, sizeof(cmd), "cat %s/results/latest/summary.json", dir);
	cr_assert_eq(run(cmd, &json), 0, "no summary.json; vkh said:\n%s",
	    *out);
	return (json);
}

Test(inject, panic_in_the_root_mount_is_a_crash_with_a_working_repro)
{
	const char *k = kernel("panic", "mountroot");
	char cmd[4 * PATH_MAX], *out, *json, *again;
	int status;

	json = vkh_on(k, "", &status, &out);
	cr_assert_eq(status, 1, "vkh exited %d:\n%s", status, out);
	cr_assert_not_null(strstr(json, "\"verdict\": \"crash\""), "%s", json);
	cr_assert_not_null(strstr(json, "\"phase\": \"mountroot\""), "%s",
	    json);
	cr_assert_not_null(strstr(json,
			       "\"message\": \"panic: injected at mountroot"),
	    "%s", json);
	cr_assert_not_null(strstr(out, "crash mountroot/"), "%s", out);
	/* The repro re-creates the boot and the crash with one command. */
	snprintf(cmd, sizeof(cmd),
	    "mkdir %s/repro && VKH_RUN_DIR=%s/repro "
	    "sh %s/results/latest/%s 2>&1",
	    dir, dir, dir, VICTIM_DIR);
	cr_assert_neq(run(cmd, &again), 0, "the repro passed:\n%s", again);
	cr_assert_not_null(strstr(again,
			       "crash in phase mountroot: panic: injected at "
			       "mountroot"),
	    "the repro did not crash the same way:\n%s", again);
	free(out);
	free(json);
	free(again);
}

/* A kernel hung at point is a hang in phase; no crash is made up. */
static void
check_hang(const char *point, const char *phase)
{
	const char *k = kernel("hang", point);
	char want[64], *out, *json;
	int status;

	json = vkh_on(k, "-w 2", &status, &out);
	cr_assert_eq(status, 1, "vkh exited %d:\n%s", status, out);
	cr_assert_not_null(strstr(json, "\"verdict\": \"hang\""), "%s", json);
	snprintf(want, sizeof(want), "\"phase\": \"%s\"", phase);
	cr_assert_not_null(strstr(json, want), "%s", json);
	cr_assert_not_null(strstr(json, "silent"), "%s", json);
	cr_assert_null(strstr(json, "panic"), "%s", json);
	free(out);
	free(json);
}

Test(inject, hang_when_the_cpus_start_is_a_hang_before_mountroot)
{
	check_hang("mp", "mountroot");
}

Test(inject, hang_at_the_start_of_the_boot_is_a_hang_before_the_banner)
{
	check_hang("boot", "banner");
}
