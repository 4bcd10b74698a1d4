/*
 * fake_suite.c - a suite on the scripted console whose tests pass, fail,
 * crash, hang, skip, err and flake on purpose.  results_test.c runs it
 * through vkh(1) and checks the verdicts and result files; it is not run
 * on its own by "make test".
 *
 * FAKE_STATE names the file that makes "flaky" fail only once.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/vkh.h"

#define PROFILE "harness/tests/fake.profile"

TestSuite(fake, .fini = vkh_test_end, .timeout = 30);

static struct vkh_guest *
boot(const char *mode, const char *arg)
{
	static char m[64], a[512];
	struct vkh_boot_spec spec = { .profile = PROFILE,
		.kernel = "fakeos",
		.vars = { m, a } };

	snprintf(m, sizeof(m), "mode=%s", mode);
	snprintf(a, sizeof(a), "arg=%s", arg != NULL ? arg : "");
	return (vkh_test_boot(&spec));
}

Test(fake, passes)
{
	struct vkh_guest *g = boot("normal", NULL);
	int code;
	char *out = vkh_test_run(g, "echo hello", 5, &code);

	cr_assert_str_eq(out, "hello\n");
	free(out);
	vkh_test_shutdown(g);
}

Test(fake, fails)
{
	struct vkh_guest *g = boot("normal", NULL);
	int code;
	char *out = vkh_test_run(g, "uname -s", 5, &code);

	cr_assert_str_eq(out, "FakeOS\n", "uname printed %s", out);
	free(out);
}

Test(fake, crashes)
{
	boot("panic-midline", NULL);
}

Test(fake, hangs)
{
	boot("silence", "login");
}

Test(fake, skips)
{
	cr_skip_test("nothing to do here");
}

Test(fake, errs)
{
	vkh_test_boot(&(struct vkh_boot_spec) { .profile = "no-such-profile",
	    .kernel = "fakeos" });
}

Test(fake, flaky)
{
	const char *state = getenv("FAKE_STATE");

	boot("flaky", state != NULL ? state : "/tmp/vkh-fake-flaky");
}
