/*
 * share_test.c - shared boots (vkh_share.c) on the scripted console: a
 * guest handed back clean serves the next test (same process), one left
 * dirty is rebooted, a busy keeper makes the test boot its own guest, and
 * a boot that fails is reported to the test that asked for it.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/vkh_private.h"

#define PROFILE "harness/tests/fake.profile"

static char share[] = "/tmp/vkh-share-test.XXXXXX";
static char run[] = "/tmp/vkh-share-run.XXXXXX";

static void
setup(void)
{
	cr_assert_not_null(mkdtemp(share));
	cr_assert_not_null(mkdtemp(run));
	setenv("VKH_SHARE_DIR", share, 1);
	setenv("VKH_RUN_DIR", run, 1);
	unsetenv("VKH_RECORD");
	unsetenv("VKH_LOG_PREFIX");
}

static void
teardown(void)
{
	vkh_test_end();
	vkh_share_cleanup(share);
	vkh_remove_tree(run);
}

TestSuite(share, .init = setup, .fini = teardown, .timeout = 30);

static struct vkh_guest *
boot(const char *mode)
{
	static char m[64];

	snprintf(m, sizeof(m), "mode=%s", mode);
	return (vkh_test_boot(&(struct vkh_boot_spec) { .profile = PROFILE,
	    .kernel = "fakeos",
	    .vars = { m },
	    .share = true }));
}

Test(share, a_guest_handed_back_clean_serves_the_next_test)
{
	struct vkh_guest *g1 = boot("normal"), *g2;
	pid_t pid = vkh_pid(g1);
	int code;
	char *out = vkh_test_run(g1, "echo one", 5, &code);

	cr_assert_str_eq(out, "one\n");
	free(out);
	cr_assert(vkh_shared(g1));
	vkh_test_release(g1);
	g2 = boot("normal");
	cr_assert(vkh_shared(g2));
	cr_assert_eq(vkh_pid(g2), pid, "a new guest was booted");
	/* The distinctive prompt of the first boot still works. */
	out = vkh_test_run(g2, "echo two", 5, &code);
	cr_assert_str_eq(out, "two\n");
	free(out);
	vkh_test_release(g2);
}

Test(share, a_guest_not_handed_back_is_rebooted)
{
	struct vkh_guest *g1 = boot("normal"), *g2;
	pid_t pid = vkh_pid(g1);

	cr_assert(vkh_shared(g1));
	vkh_test_end(); /* a test that failed, or left it dirty */
	g2 = boot("normal");
	cr_assert(vkh_shared(g2));
	cr_assert_neq(vkh_pid(g2), pid, "the dirty guest was handed out");
	cr_assert_eq(kill(pid, 0), -1, "the dirty guest still runs");
	vkh_test_release(g2);
}

Test(share, a_busy_keeper_makes_the_test_boot_its_own_guest)
{
	struct vkh_guest *g1 = boot("normal"), *g2 = boot("normal");

	cr_assert(vkh_shared(g1));
	cr_assert_not(vkh_shared(g2));
	cr_assert_neq(vkh_pid(g1), vkh_pid(g2));
	vkh_test_release(g2);
	vkh_test_release(g1);
}

Test(share, different_needs_get_different_guests)
{
	struct vkh_guest *g1 = boot("normal"), *g2;
	pid_t pid = vkh_pid(g1);

	vkh_test_release(g1);
	g2 = boot("noisy");
	cr_assert(vkh_shared(g2));
	cr_assert_neq(vkh_pid(g2), pid);
	vkh_test_release(g2);
}

/* The keeper's failed boot fails the test with the keeper's verdict. */
Test(share, a_failed_shared_boot_is_the_tests_verdict)
{
	struct vkh_share_info info;
	struct vkh_guest *g =
	    vkh_share_attach(&(struct vkh_boot_spec) { .profile = PROFILE,
				 .kernel = "fakeos",
				 .vars = { "mode=panic-midline" } },
		share, &info);

	cr_assert_not_null(g);
	cr_assert_eq(info.st.verdict, VKH_CRASH, "%s",
	    vkh_verdict_name(info.st.verdict));
	cr_assert_not_null(strstr(info.st.message, "panic: mid-line trouble"),
	    "%s", info.st.message);
	vkh_destroy(g);
}
