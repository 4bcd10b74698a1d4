/*
 * ktap_test.c - the KTAP reader on console-like input.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "harness/vkh.h"

static struct vkh_ktap k;

Test(ktap, plain_document_with_noise)
{
	const char *text = "Vireo boot noise\r\n"
			   "KTAP version 1\r\n"
			   "1..3\r\n"
			   "ok 1 getpid\r\n"
			   "a kernel message in between\r\n"
			   "not ok 2 - uname # reason\r\n"
			   "ok 3 mmap # SKIP no files yet\r\n";
	char failed[64];

	cr_assert_eq(vkh_ktap_parse(text, &k), 0);
	cr_assert(k.header && k.complete);
	cr_assert_eq(k.planned, 3);
	cr_assert_eq(k.ncases, 3);
	cr_assert_str_eq(k.cases[0].name, "getpid");
	cr_assert_eq(k.cases[0].result, VKH_KTAP_PASS);
	cr_assert_str_eq(k.cases[1].name, "uname");
	cr_assert_eq(k.cases[1].result, VKH_KTAP_FAIL);
	cr_assert_eq(k.cases[2].result, VKH_KTAP_SKIP);
	cr_assert_eq(vkh_ktap_failures(&k, failed, sizeof(failed)), 1);
	cr_assert_str_eq(failed, "uname");
}

Test(ktap, subtests_are_named_under_their_parent)
{
	const char *text = "KTAP version 1\n"
			   "1..2\n"
			   "    KTAP version 1\n"
			   "    1..2\n"
			   "    ok 1 small\n"
			   "    not ok 2 large\n"
			   "not ok 1 malloc\n"
			   "ok 2 exit\n";

	cr_assert_eq(vkh_ktap_parse(text, &k), 0);
	cr_assert(k.complete);
	cr_assert_eq(k.ncases, 4);
	cr_assert_str_eq(k.cases[0].name, "malloc.small");
	cr_assert_str_eq(k.cases[1].name, "malloc.large");
	cr_assert_eq(k.cases[1].result, VKH_KTAP_FAIL);
	cr_assert_str_eq(k.cases[2].name, "malloc");
	cr_assert_str_eq(k.cases[3].name, "exit");
}

Test(ktap, incomplete_and_missing)
{
	cr_assert_eq(vkh_ktap_parse("no document here\nok 1 x\n", &k), -1,
	    "result lines without a header are not KTAP");
	cr_assert_eq(vkh_ktap_parse("KTAP version 1\n1..3\nok 1 a\n", &k), 0);
	cr_assert(!k.complete, "two results missing");
	cr_assert_eq(vkh_ktap_parse("KTAP version 1\nok 1 a\n", &k), 0);
	cr_assert(!k.complete, "no plan");
	/* A second document is not mixed into the first. */
	cr_assert_eq(vkh_ktap_parse("KTAP version 1\n1..1\nok 1 a\n"
				    "KTAP version 1\n1..1\nnot ok 1 b\n",
			 &k),
	    0);
	cr_assert_eq(k.ncases, 1);
}
