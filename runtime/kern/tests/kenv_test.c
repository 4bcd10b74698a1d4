/*
 * kenv_test.c - unit tests for the kernel environment
 * (kern_environment.c): boot values from -e, get, set, unset, limits,
 * iteration order and the dump format.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "runtime/kern/kenv.h"

static struct vk_kenv_pair boot_pairs[] = {
	{ "vfs.root.mountfrom", "ufs:vkd0s0a" }, { "boot_verbose", "YES" },
	{ "hint.foo.0.at", "nexus" },
	{ "boot_verbose", "NO" }, /* given twice: the last one wins */
};

static void
assert_entry(size_t i, const char *name, const char *value)
{
	const char *n, *v;

	cr_assert_eq(kenv_entry(i, &n, &v), 0, "entry %zu", i);
	cr_assert_str_eq(n, name, "entry %zu", i);
	cr_assert_str_eq(v, value, "entry %zu", i);
}

Test(kenv, init_from_boot_pairs)
{
	cr_assert_eq(kenv_init(boot_pairs, 4), 0);
	cr_assert_eq(kenv_count(), 3);
	cr_assert_str_eq(kenv_get("vfs.root.mountfrom"), "ufs:vkd0s0a");
	cr_assert_str_eq(kenv_get("boot_verbose"), "NO");
	cr_assert_str_eq(kenv_get("hint.foo.0.at"), "nexus");
	cr_assert_null(kenv_get("nothing"));
	cr_assert_null(kenv_get(""));
	cr_assert_null(kenv_get(NULL));
}

Test(kenv, init_empties_the_table)
{
	cr_assert_eq(kenv_set("old", "1"), 0);
	cr_assert_eq(kenv_init(NULL, 0), 0);
	cr_assert_eq(kenv_count(), 0);
	cr_assert_null(kenv_get("old"));
	cr_assert_eq(kenv_init(boot_pairs, 1), 0);
	cr_assert_eq(kenv_count(), 1);
}

Test(kenv, init_skips_bad_pairs_and_reports_the_first)
{
	char longval[KENV_MVALLEN + 2];
	struct vk_kenv_pair pairs[] = {
		{ "good", "1" },
		{ "bad=name", "2" },
		{ "long", longval },
		{ "also", "3" },
	};

	memset(longval, 'v', sizeof(longval) - 1);
	longval[sizeof(longval) - 1] = '\0';
	cr_assert_eq(kenv_init(pairs, 4), EINVAL);
	cr_assert_eq(kenv_count(), 2);
	cr_assert_str_eq(kenv_get("good"), "1");
	cr_assert_str_eq(kenv_get("also"), "3");
	cr_assert_null(kenv_get("long"));
}

Test(kenv, set_replaces_and_keeps_order)
{
	cr_assert_eq(kenv_set("a", "1"), 0);
	cr_assert_eq(kenv_set("b", "2"), 0);
	cr_assert_eq(kenv_set("c", "3"), 0);
	cr_assert_eq(kenv_set("a", "one"), 0);
	cr_assert_eq(kenv_count(), 3);
	assert_entry(0, "a", "one");
	assert_entry(1, "b", "2");
	assert_entry(2, "c", "3");
	cr_assert_eq(kenv_set("b", ""), 0, "empty values are allowed");
	cr_assert_str_eq(kenv_get("b"), "");
	/* Setting a variable to its own current value. */
	cr_assert_eq(kenv_set("a", kenv_get("a")), 0);
	cr_assert_str_eq(kenv_get("a"), "one");
}

Test(kenv, set_errors)
{
	cr_assert_eq(kenv_set("", "x"), EINVAL);
	cr_assert_eq(kenv_set(NULL, "x"), EINVAL);
	cr_assert_eq(kenv_set("a=b", "x"), EINVAL);
	cr_assert_eq(kenv_set("=", "x"), EINVAL);
	cr_assert_eq(kenv_set("a", NULL), EINVAL);
	cr_assert_eq(kenv_count(), 0);
}

Test(kenv, length_limits)
{
	char name[KENV_MNAMELEN + 2], value[KENV_MVALLEN + 2];

	memset(name, 'n', sizeof(name));
	memset(value, 'v', sizeof(value));
	name[KENV_MNAMELEN] = '\0';
	value[KENV_MVALLEN] = '\0';
	cr_assert_eq(kenv_set(name, value), 0, "exactly at the limits");
	cr_assert_eq(strlen(kenv_get(name)), KENV_MVALLEN);

	value[KENV_MVALLEN] = 'v';
	value[KENV_MVALLEN + 1] = '\0';
	cr_assert_eq(kenv_set(name, value), ENAMETOOLONG);
	cr_assert_eq(strlen(kenv_get(name)), KENV_MVALLEN, "unchanged");

	name[KENV_MNAMELEN] = 'n';
	name[KENV_MNAMELEN + 1] = '\0';
	cr_assert_eq(kenv_set(name, "x"), ENAMETOOLONG);
	cr_assert_null(kenv_get(name));
	cr_assert_eq(kenv_count(), 1);
}

Test(kenv, unset)
{
	cr_assert_eq(kenv_init(boot_pairs, 3), 0);
	cr_assert_eq(kenv_unset("boot_verbose"), 0);
	cr_assert_null(kenv_get("boot_verbose"));
	cr_assert_eq(kenv_count(), 2);
	assert_entry(0, "vfs.root.mountfrom", "ufs:vkd0s0a");
	assert_entry(1, "hint.foo.0.at", "nexus");
	cr_assert_eq(kenv_unset("boot_verbose"), ENOENT);
	cr_assert_eq(kenv_unset(""), ENOENT);
	cr_assert_eq(kenv_unset("hint.foo.0.at"), 0);
	cr_assert_eq(kenv_unset("vfs.root.mountfrom"), 0);
	cr_assert_eq(kenv_count(), 0);
	/* Set again after unset: goes to the end. */
	cr_assert_eq(kenv_set("x", "1"), 0);
	cr_assert_eq(kenv_set("boot_verbose", "2"), 0);
	assert_entry(1, "boot_verbose", "2");
}

Test(kenv, iteration_bounds)
{
	const char *n = "untouched", *v = "untouched";

	cr_assert_eq(kenv_entry(0, &n, &v), ENOENT);
	cr_assert_str_eq(n, "untouched");
	cr_assert_eq(kenv_set("k", "v"), 0);
	assert_entry(0, "k", "v");
	cr_assert_eq(kenv_entry(1, &n, &v), ENOENT);
}

Test(kenv, capacity)
{
	char name[32];
	int i;

	for (i = 0; i < KENV_MAXENTRIES; i++) {
		snprintf(name, sizeof(name), "var%d", i);
		cr_assert_eq(kenv_set(name, "x"), 0, "%s", name);
	}
	cr_assert_eq(kenv_count(), KENV_MAXENTRIES);
	cr_assert_eq(kenv_set("one.more", "x"), ENOMEM);
	cr_assert_null(kenv_get("one.more"));
	/* Replacing still works when full, and unset makes room. */
	cr_assert_eq(kenv_set("var7", "y"), 0);
	cr_assert_str_eq(kenv_get("var7"), "y");
	cr_assert_eq(kenv_unset("var0"), 0);
	cr_assert_eq(kenv_set("one.more", "x"), 0);
	assert_entry(KENV_MAXENTRIES - 1, "one.more", "x");
	assert_entry(0, "var1", "x");
}

Test(kenv, get_copy)
{
	char buf[8];

	cr_assert_eq(kenv_set("root", "ufs:vkd0s0a"), 0);
	cr_assert_eq(kenv_get_copy("none", buf, sizeof(buf)), ENOENT);
	cr_assert_eq(kenv_get_copy("root", buf, sizeof(buf)), ENOMEM);
	cr_assert_str_eq(buf, "ufs:vkd");
	cr_assert_eq(kenv_get_copy("root", buf, 0), ENOMEM);
	cr_assert_eq(kenv_set("root", "cd9660"), 0);
	cr_assert_eq(kenv_get_copy("root", buf, 7), 0);
	cr_assert_str_eq(buf, "cd9660");
}

Test(kenv, dump)
{
	char buf[64];
	size_t n, needed;

	cr_assert_eq(kenv_set("a", "1"), 0);
	cr_assert_eq(kenv_set("bb", "22"), 0);
	cr_assert_eq(kenv_set("c", ""), 0);
	memset(buf, 'x', sizeof(buf));
	n = kenv_dump(buf, sizeof(buf), &needed);
	cr_assert_eq(n, 13);
	cr_assert_eq(needed, 13);
	cr_assert(memcmp(buf, "a=1\0bb=22\0c=\0x", 14) == 0);
	/* Whole entries only. */
	memset(buf, 'x', sizeof(buf));
	n = kenv_dump(buf, 9, &needed);
	cr_assert_eq(n, 4);
	cr_assert_eq(needed, 13);
	cr_assert(memcmp(buf, "a=1\0x", 5) == 0);
	n = kenv_dump(NULL, 0, &needed);
	cr_assert_eq(n, 0);
	cr_assert_eq(needed, 13);
}
