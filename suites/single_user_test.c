/*
 * single_user_test.c - single-user boots: -s sets RB_SINGLE in
 * debug.boothowto (2), a normal boot leaves it 0.  Read through the
 * debugger's "show sysctl".  XXX Once init runs, -s must also stop at a
 * single-user shell instead of multi-user; that test comes with init.
 */
#include <criterion/criterion.h>
#include <stdio.h>

#include "harness/vkh.h"

#define T 10

TestSuite(single_user, .fini = vkh_test_end, .timeout = 60);

/* Boots with args, reads debug.boothowto in ddb and leaves ddb. */
static void
check_boothowto(const char *arg, const char *want, bool share)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .args = { arg },
	    .share = share });
	char re[64];

	vkh_allow_debugger(g, true);
	cr_assert_eq(vkh_send(g, "\x1c"), 0);
	vkh_test_expect(g, "^db> ", T);
	vkh_test_send(g, "show sysctl debug.boothowto");
	snprintf(re, sizeof(re), "^debug\\.boothowto: %s$", want);
	vkh_test_expect(g, re, T);
	vkh_test_expect(g, "^db> ", T);
	vkh_test_send(g, "continue");
	vkh_test_expect(g, "^ restarted$", T);
	vkh_test_release(g);
}

Test(single_user, s_sets_rb_single)
{
	check_boothowto("-s", "2", true);
}

Test(single_user, multi_user_by_default)
{
	check_boothowto(NULL, "0", true);
}
