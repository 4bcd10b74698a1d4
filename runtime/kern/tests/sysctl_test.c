/*
 * sysctl_test.c - unit tests for the sysctl tree (kern_sysctl.c) and the
 * standard nodes and text forms built on it (kern_sysctl_std.c).
 *
 * Criterion runs every test in a fresh process, so each starts with an
 * empty tree.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "runtime/kern/kern.h"
#include "runtime/kern/sysctl.h"

/* subr_prf.o writes through this; nothing here prints. */
void
host_console_write(const void *buf, size_t len)
{
	(void)buf;
	(void)len;
}

static void
vm_counts(uint32_t *page_count, uint32_t *free_count)
{
	*page_count = 8192;
	*free_count = 1234;
}

static void
boot_standard(bool with_callback)
{
	struct sysctl_bootinfo bi = {
		.ncpu = 4,
		.physmem = 256ULL << 20,
		.version = "Vireo 0.1-DEVELOPMENT #7: today\n",
		.boottime = { .sec = 1700000000, .usec = 250 },
		.kmem_writable = true,
		.vm_counts = with_callback ? vm_counts : NULL,
	};

	cr_assert_eq(sysctl_init_standard(&bi), 0);
}

static struct sysctl_oid *
find(const char *name)
{
	struct sysctl_oid *oid = NULL;

	cr_assert_eq(sysctl_find(name, &oid), 0, "%s not found", name);
	return oid;
}

static int32_t
get_int(const char *name)
{
	int32_t v = -12345;
	size_t len = sizeof(v);

	cr_assert_eq(sysctl_byname(name, &v, &len, NULL, 0), 0);
	cr_assert_eq(len, sizeof(v));
	return v;
}

static const char *
get_string(const char *name)
{
	static char buf[1024];
	size_t len = sizeof(buf);

	memset(buf, 'x', sizeof(buf));
	cr_assert_eq(sysctl_byname(name, buf, &len, NULL, 0), 0);
	cr_assert_eq(len, strlen(buf) + 1, "%s: length %zu", name, len);
	return buf;
}

static const char *
format(const char *name)
{
	static char buf[512];

	cr_assert_eq(sysctl_format_value(find(name), buf, sizeof(buf)), 0, "%s",
	    name);
	return buf;
}

Test(sysctl_std, kern_nodes)
{
	struct sysctl_timeval tv;
	size_t len = sizeof(tv);

	boot_standard(true);
	cr_assert_str_eq(get_string("kern.ostype"), "Vireo");
	cr_assert_str_eq(get_string("kern.osrelease"), VK_OSRELEASE);
	cr_assert_str_eq(get_string("kern.version"),
	    "Vireo 0.1-DEVELOPMENT #7: today\n");
	cr_assert_str_eq(get_string("kern.hostname"), "");
	cr_assert_eq(get_int("kern.ngroups"), 16);
	cr_assert_eq(get_int("kern.kmem_writable"), 1);
	cr_assert_eq(sysctl_byname("kern.boottime", &tv, &len, NULL, 0), 0);
	cr_assert_eq(len, 16);
	cr_assert_eq(tv.sec, 1700000000);
	cr_assert_eq(tv.usec, 250);
	cr_assert_str_eq(format("kern.boottime"),
	    "{ sec = 1700000000, usec = 250 }");
}

Test(sysctl_std, hw_debug_vm_nodes)
{
	uint64_t physmem;
	size_t len = sizeof(physmem);

	boot_standard(true);
	cr_assert_eq(get_int("hw.ncpu"), 4);
	cr_assert_eq(get_int("hw.pagesize"), 4096);
	cr_assert_str_eq(get_string("hw.machine"), "x86_64");
	cr_assert_str_eq(get_string("hw.machine_arch"), "x86_64");
	cr_assert_eq(sysctl_byname("hw.physmem", &physmem, &len, NULL, 0), 0);
	cr_assert_eq(len, 8);
	cr_assert_eq(physmem, 256ULL << 20);
	cr_assert_str_eq(format("hw.physmem"), "268435456");
	cr_assert_eq(get_int("debug.debugger_on_panic"), 1);
	cr_assert_eq(get_int("vm.stats.vm.v_page_count"), 8192);
	cr_assert_eq(get_int("vm.stats.vm.v_free_count"), 1234);
	cr_assert_str_eq(format("vm.stats.vm.v_free_count"), "1234");
}

Test(sysctl_std, defaults_without_version_or_callback)
{
	struct sysctl_bootinfo bi = { .ncpu = 1, .physmem = 64ULL << 20 };

	cr_assert_eq(sysctl_init_standard(&bi), 0);
	cr_assert_str_eq(get_string("kern.version"),
	    "Vireo " VK_OSRELEASE "\n");
	cr_assert_eq(get_int("kern.kmem_writable"), 0);
	cr_assert_eq(get_int("vm.stats.vm.v_page_count"), 16384);
	cr_assert_eq(get_int("vm.stats.vm.v_free_count"), 16384);
}

Test(sysctl_std, bsd_mib_numbers)
{
	static const struct {
		const char *name;
		int mib[2];
	} known[] = {
		{ "kern.ostype", { CTL_KERN, KERN_OSTYPE } },
		{ "kern.osrelease", { CTL_KERN, KERN_OSRELEASE } },
		{ "kern.version", { CTL_KERN, KERN_VERSION } },
		{ "kern.hostname", { CTL_KERN, KERN_HOSTNAME } },
		{ "kern.boottime", { CTL_KERN, KERN_BOOTTIME } },
		{ "hw.machine", { CTL_HW, HW_MACHINE } },
		{ "hw.ncpu", { CTL_HW, HW_NCPU } },
		{ "hw.physmem", { CTL_HW, HW_PHYSMEM } },
		{ "hw.pagesize", { CTL_HW, HW_PAGESIZE } },
		{ "hw.machine_arch", { CTL_HW, HW_MACHINE_ARCH } },
	};
	int mib[CTL_MAXNAME];
	size_t i, len;

	boot_standard(true);
	cr_assert_eq(1, CTL_KERN);
	cr_assert_eq(6, CTL_HW);
	cr_assert_eq(1, KERN_OSTYPE);
	cr_assert_eq(3, HW_NCPU);
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		len = CTL_MAXNAME;
		cr_assert_eq(sysctl_name2mib(known[i].name, mib, &len), 0);
		cr_assert_eq(len, 2);
		cr_assert_eq(mib[0], known[i].mib[0], "%s", known[i].name);
		cr_assert_eq(mib[1], known[i].mib[1], "%s", known[i].name);
	}
}

Test(sysctl_std, hostname_is_writable_up_to_255)
{
	char name[300];
	size_t len;

	boot_standard(true);
	cr_assert_eq(sysctl_byname("kern.hostname", NULL, NULL, "vireo1", 6),
	    0);
	cr_assert_str_eq(kern_hostname, "vireo1");
	cr_assert_str_eq(get_string("kern.hostname"), "vireo1");
	/* A new value with its NUL is accepted the same. */
	cr_assert_eq(sysctl_byname("kern.hostname", NULL, NULL, "box", 4), 0);
	cr_assert_str_eq(kern_hostname, "box");

	memset(name, 'h', sizeof(name));
	cr_assert_eq(sysctl_byname("kern.hostname", NULL, NULL, name, 255), 0);
	cr_assert_eq(strlen(kern_hostname), 255);
	cr_assert_eq(sysctl_byname("kern.hostname", NULL, NULL, name, 256),
	    EINVAL);
	cr_assert_eq(strlen(kern_hostname), 255, "failed set changed it");
	len = 0;
	cr_assert_eq(sysctl_byname("kern.hostname", NULL, &len, NULL, 0), 0);
	cr_assert_eq(len, 256);
}

Test(sysctl_std, read_only_nodes_refuse)
{
	int32_t v = 8;

	boot_standard(true);
	cr_assert_eq(sysctl_byname("hw.ncpu", NULL, NULL, &v, sizeof(v)),
	    EPERM);
	cr_assert_eq(get_int("hw.ncpu"), 4);
	cr_assert_eq(sysctl_byname("kern.ostype", NULL, NULL, "Linux", 5),
	    EPERM);
	cr_assert_eq(sysctl_byname("hw.pagesize", NULL, NULL, &v, sizeof(v)),
	    EPERM);
	cr_assert_eq(sysctl_byname("vm.stats.vm.v_page_count", NULL, NULL, &v,
			 sizeof(v)),
	    EPERM);
	cr_assert_eq(sysctl_set_from_text(find("kern.ostype"), "x"), EPERM);
}

Test(sysctl_std, debugger_on_panic_is_the_global)
{
	int32_t v = 0, old = -1;
	size_t len = sizeof(old);

	boot_standard(true);
	cr_assert_eq(sysctl_byname("debug.debugger_on_panic", &old, &len, &v,
			 sizeof(v)),
	    0);
	cr_assert_eq(old, 1, "old value comes back with the set");
	cr_assert_eq(debugger_on_panic, 0);
	cr_assert_eq(sysctl_set_from_text(find("debug.debugger_on_panic"), "1"),
	    0);
	cr_assert_eq(debugger_on_panic, 1);
}

Test(sysctl_std, init_twice_is_refused)
{
	struct sysctl_bootinfo bi = { .ncpu = 1 };

	cr_assert_eq(sysctl_init_standard(&bi), 0);
	cr_assert_eq(sysctl_init_standard(&bi), EEXIST);
}

/* Registration and lookup on a private tree. */

static int32_t ivalue = 42;
static uint32_t uvalue = 4000000000u;
static int64_t lvalue = INT64_MIN;
static uint64_t ulvalue = UINT64_MAX;
static char svalue[8] = "abc";

static struct sysctl_oid *
make_tree(void)
{
	struct sysctl_oid *top, *sub;

	cr_assert_eq(sysctl_add_node(NULL, "t", "test top", &top), 0);
	cr_assert_eq(sysctl_add_int(top, "i", CTLFLAG_RW, &ivalue, "an int",
			 NULL),
	    0);
	cr_assert_eq(sysctl_add_uint(top, "u", CTLFLAG_RW, &uvalue, NULL, NULL),
	    0);
	cr_assert_eq(sysctl_add_long(top, "l", CTLFLAG_RW, &lvalue, NULL, NULL),
	    0);
	cr_assert_eq(sysctl_add_ulong(top, "ul", CTLFLAG_RW, &ulvalue, NULL,
			 NULL),
	    0);
	cr_assert_eq(sysctl_add_string(top, "s", CTLFLAG_RW, svalue,
			 sizeof(svalue), "a string", NULL),
	    0);
	cr_assert_eq(sysctl_add_node(top, "sub", NULL, &sub), 0);
	cr_assert_eq(sysctl_add_const_string(sub, "c", "constant", NULL, NULL),
	    0);
	return top;
}

Test(sysctl, register_and_find)
{
	struct sysctl_oid *top, *oid;
	char name[64];
	int mib[CTL_MAXNAME];
	size_t len;

	top = make_tree();
	cr_assert_eq(sysctl_find("t", &oid), 0);
	cr_assert_eq(oid, top);
	oid = find("t.sub.c");
	cr_assert_str_eq(sysctl_oid_name(oid), "c");
	cr_assert_eq(sysctl_oid_fullname(oid, name, sizeof(name)), 0);
	cr_assert_str_eq(name, "t.sub.c");
	cr_assert_eq(sysctl_oid_kind(oid), CTLTYPE_STRING | CTLFLAG_RD);
	cr_assert_str_eq(sysctl_oid_fmt(oid), "A");
	cr_assert_str_eq(sysctl_oid_descr(oid), "");
	cr_assert_str_eq(sysctl_oid_descr(find("t.i")), "an int");
	cr_assert_str_eq(sysctl_oid_fmt(find("t.i")), "I");
	cr_assert_str_eq(sysctl_oid_fmt(find("t.ul")), "LU");

	sysctl_oid_mib(oid, mib, &len);
	cr_assert_eq(len, 3);
	/* Automatic numbers start at CTL_AUTO_START, in order. */
	cr_assert_eq(mib[0], CTL_AUTO_START);
	cr_assert_eq(mib[1], CTL_AUTO_START + 5);
	cr_assert_eq(mib[2], CTL_AUTO_START);
	cr_assert_eq(sysctl_find_mib(mib, len, &oid), 0);
	cr_assert_eq(oid, find("t.sub.c"));
	cr_assert_eq(sysctl_oid_number(find("t.u")), CTL_AUTO_START + 1);
}

Test(sysctl, lookup_errors)
{
	struct sysctl_oid *oid;
	int mib[CTL_MAXNAME + 1] = { 0 };
	size_t len = 1;

	make_tree();
	cr_assert_eq(sysctl_find("t.nope", &oid), ENOENT);
	cr_assert_eq(sysctl_find("nope", &oid), ENOENT);
	cr_assert_eq(sysctl_find("t.i.x", &oid), ENOENT);
	cr_assert_eq(sysctl_find("", &oid), EINVAL);
	cr_assert_eq(sysctl_find("t..i", &oid), EINVAL);
	cr_assert_eq(sysctl_find(".t", &oid), EINVAL);
	cr_assert_eq(sysctl_find("t.", &oid), EINVAL);
	cr_assert_eq(sysctl_find("t.iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii",
			 &oid),
	    ENOENT);
	mib[0] = CTL_AUTO_START;
	mib[1] = 7;
	cr_assert_eq(sysctl_find_mib(mib, 2, &oid), ENOENT);
	mib[1] = CTL_AUTO_START; /* t.i */
	mib[2] = 0;
	cr_assert_eq(sysctl_find_mib(mib, 3, &oid), ENOENT);
	cr_assert_eq(sysctl_find_mib(mib, 0, &oid), EINVAL);
	cr_assert_eq(sysctl_find_mib(mib, CTL_MAXNAME + 1, &oid), EINVAL);
	cr_assert_eq(sysctl_name2mib("t.sub.c", mib, &len), ENOMEM);
	cr_assert_eq(sysctl_byname("t.nope", NULL, NULL, NULL, 0), ENOENT);
	cr_assert_eq(sysctl_mib(mib, 0, NULL, NULL, NULL, 0), EINVAL);
}

Test(sysctl, duplicates_and_bad_names)
{
	struct sysctl_oid *top, *leaf;
	int32_t v;
	char longname[SYSCTL_NAMEMAX + 2];

	top = make_tree();
	cr_assert_eq(sysctl_add_int(top, "i", CTLFLAG_RD, &v, NULL, NULL),
	    EEXIST);
	cr_assert_eq(sysctl_add_node(NULL, "t", NULL, NULL), EEXIST);
	cr_assert_eq(sysctl_add_oid(top, CTL_AUTO_START, "other",
			 CTLTYPE_INT | CTLFLAG_RD, &v, 0, NULL, NULL, NULL,
			 NULL),
	    EEXIST, "number taken");
	cr_assert_eq(sysctl_add_oid(top, -5, "neg", CTLTYPE_INT | CTLFLAG_RD,
			 &v, 0, NULL, NULL, NULL, NULL),
	    EINVAL);
	cr_assert_eq(sysctl_add_int(top, "", CTLFLAG_RD, &v, NULL, NULL),
	    EINVAL);
	cr_assert_eq(sysctl_add_int(top, "a.b", CTLFLAG_RD, &v, NULL, NULL),
	    EINVAL);
	cr_assert_eq(sysctl_add_int(top, "a=b", CTLFLAG_RD, &v, NULL, NULL),
	    EINVAL);
	cr_assert_eq(sysctl_add_int(top, "a b", CTLFLAG_RD, &v, NULL, NULL),
	    EINVAL);
	cr_assert_eq(sysctl_add_int(top, NULL, CTLFLAG_RD, &v, NULL, NULL),
	    EINVAL);
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	cr_assert_eq(sysctl_add_int(top, longname, CTLFLAG_RD, &v, NULL, NULL),
	    ENAMETOOLONG);
	longname[SYSCTL_NAMEMAX] = '\0';
	cr_assert_eq(sysctl_add_int(top, longname, CTLFLAG_RD, &v, NULL, NULL),
	    0, "a name of exactly SYSCTL_NAMEMAX bytes fits");
	/* A leaf is no parent; a bad type is refused. */
	leaf = find("t.i");
	cr_assert_eq(sysctl_add_int(leaf, "x", CTLFLAG_RD, &v, NULL, NULL),
	    EINVAL);
	cr_assert_eq(sysctl_add_oid(top, OID_AUTO, "bad", 0xc, &v, 0, NULL,
			 NULL, NULL, NULL),
	    EINVAL);
	cr_assert_eq(sysctl_add_oid(top, OID_AUTO, "nostr",
			 CTLTYPE_STRING | CTLFLAG_RD, NULL, 0, NULL, NULL, NULL,
			 NULL),
	    EINVAL);
	cr_assert_eq(sysctl_add_string(top, "zero", CTLFLAG_RW, svalue, 0, NULL,
			 NULL),
	    EINVAL);
}

Test(sysctl, get_size_semantics)
{
	char buf[16];
	int32_t v;
	size_t len;

	make_tree();
	/* No buffer: the size needed. */
	len = 0;
	cr_assert_eq(sysctl_byname("t.i", NULL, &len, NULL, 0), 0);
	cr_assert_eq(len, 4);
	len = 0;
	cr_assert_eq(sysctl_byname("t.l", NULL, &len, NULL, 0), 0);
	cr_assert_eq(len, 8);
	len = 0;
	cr_assert_eq(sysctl_byname("t.sub.c", NULL, &len, NULL, 0), 0);
	cr_assert_eq(len, 9);
	/* Too small: what fits, its length, ENOMEM. */
	memset(buf, 'x', sizeof(buf));
	len = 4;
	cr_assert_eq(sysctl_byname("t.sub.c", buf, &len, NULL, 0), ENOMEM);
	cr_assert_eq(len, 4);
	cr_assert(memcmp(buf, "consx", 5) == 0);
	len = 8;
	cr_assert_eq(sysctl_byname("t.sub.c", buf, &len, NULL, 0), ENOMEM,
	    "no room for the NUL");
	cr_assert_eq(len, 8);
	v = 0;
	len = 2;
	cr_assert_eq(sysctl_byname("t.i", &v, &len, NULL, 0), ENOMEM);
	cr_assert_eq(len, 2);
	/* Larger than needed: the exact length comes back. */
	len = sizeof(buf);
	cr_assert_eq(sysctl_byname("t.sub.c", buf, &len, NULL, 0), 0);
	cr_assert_eq(len, 9);
	cr_assert_str_eq(buf, "constant");
	/* Interior nodes have no value. */
	len = sizeof(buf);
	cr_assert_eq(sysctl_byname("t.sub", buf, &len, NULL, 0), EISDIR);
}

Test(sysctl, set_semantics)
{
	int32_t v = 7, old = 0;
	int64_t l = -3;
	size_t len = sizeof(old);
	char big[16];

	make_tree();
	cr_assert_eq(sysctl_byname("t.i", &old, &len, &v, sizeof(v)), 0);
	cr_assert_eq(old, 42);
	cr_assert_eq(ivalue, 7);
	/* Wrong sizes. */
	cr_assert_eq(sysctl_byname("t.i", NULL, NULL, &l, sizeof(l)), EINVAL);
	cr_assert_eq(sysctl_byname("t.i", NULL, NULL, &v, 2), EINVAL);
	cr_assert_eq(sysctl_byname("t.l", NULL, NULL, &v, sizeof(v)), EINVAL);
	cr_assert_eq(ivalue, 7);
	cr_assert_eq(sysctl_byname("t.l", NULL, NULL, &l, sizeof(l)), 0);
	cr_assert_eq(lvalue, -3);
	/* A failed old copy leaves the value alone. */
	v = 99;
	len = 1;
	cr_assert_eq(sysctl_byname("t.i", &old, &len, &v, sizeof(v)), ENOMEM);
	cr_assert_eq(ivalue, 7);
	/* Strings must fit their buffer with the NUL. */
	memset(big, 'q', sizeof(big));
	cr_assert_eq(sysctl_byname("t.s", NULL, NULL, big, 8), EINVAL);
	cr_assert_str_eq(svalue, "abc");
	cr_assert_eq(sysctl_byname("t.s", NULL, NULL, big, 7), 0);
	cr_assert_str_eq(svalue, "qqqqqqq");
	cr_assert_eq(sysctl_byname("t.s", NULL, NULL, "", 0), 0);
	cr_assert_str_eq(svalue, "");
	/* Constants and interior nodes. */
	cr_assert_eq(sysctl_byname("t.sub.c", NULL, NULL, "x", 1), EPERM);
	cr_assert_eq(sysctl_byname("t.sub", NULL, NULL, &v, sizeof(v)), EISDIR);
}

Test(sysctl, secure_flag)
{
	struct sysctl_oid *top;
	int32_t sv = 1, v = 5;

	top = make_tree();
	cr_assert_eq(sysctl_add_int(top, "sec", CTLFLAG_RW | CTLFLAG_SECURE,
			 &sv, NULL, NULL),
	    0);
	cr_assert(sysctl_secure_writable(), "writable at boot");
	cr_assert_eq(sysctl_byname("t.sec", NULL, NULL, &v, sizeof(v)), 0);
	cr_assert_eq(sv, 5);
	sysctl_secure_set(false);
	cr_assert(!sysctl_secure_writable());
	v = 6;
	cr_assert_eq(sysctl_byname("t.sec", NULL, NULL, &v, sizeof(v)), EPERM);
	cr_assert_eq(sv, 5);
	cr_assert_eq(get_int("t.sec"), 5, "still readable");
	/* Other writable nodes are not affected. */
	cr_assert_eq(sysctl_byname("t.i", NULL, NULL, &v, sizeof(v)), 0);
	sysctl_secure_set(true);
	cr_assert_eq(sysctl_byname("t.sec", NULL, NULL, &v, sizeof(v)), 0);
	cr_assert_eq(sv, 6);
}

/* A computed node: counts its reads, accepts even numbers only. */
static int32_t proc_store = 10;
static int proc_reads;

static int
even_handler(struct sysctl_oid *oid, void *arg1, intptr_t arg2,
    struct sysctl_req *req)
{
	int32_t v = *(int32_t *)arg1 + (int32_t)arg2;
	int error;

	proc_reads++;
	error = sysctl_handle_int(oid, &v, 0, req);
	if (error != 0 || req->newptr == NULL)
		return error;
	if (v % 2 != 0)
		return EINVAL;
	*(int32_t *)arg1 = v - (int32_t)arg2;
	return 0;
}

static int
failing_handler(struct sysctl_oid *oid, void *arg1, intptr_t arg2,
    struct sysctl_req *req)
{
	return EIO;
}

Test(sysctl, proc_handlers)
{
	struct sysctl_oid *top;
	int32_t v;
	size_t len = sizeof(v);

	top = make_tree();
	cr_assert_eq(sysctl_add_proc(top, "even", CTLTYPE_INT | CTLFLAG_RW,
			 even_handler, &proc_store, 1000, NULL, "even", NULL),
	    0);
	cr_assert_eq(sysctl_add_proc(top, "fail", CTLTYPE_INT | CTLFLAG_RD,
			 failing_handler, NULL, 0, NULL, NULL, NULL),
	    0);
	cr_assert_eq(sysctl_add_proc(top, "noh", CTLTYPE_INT | CTLFLAG_RD, NULL,
			 NULL, 0, NULL, NULL, NULL),
	    EINVAL);
	cr_assert_eq(get_int("t.even"), 1010);
	proc_store = 20;
	cr_assert_eq(get_int("t.even"), 1020, "computed at each read");
	v = 1044;
	cr_assert_eq(sysctl_byname("t.even", NULL, NULL, &v, sizeof(v)), 0);
	cr_assert_eq(proc_store, 44);
	v = 1045;
	cr_assert_eq(sysctl_byname("t.even", NULL, NULL, &v, sizeof(v)),
	    EINVAL);
	cr_assert_eq(proc_store, 44);
	cr_assert_eq(sysctl_set_from_text(find("t.even"), "1002"), 0);
	cr_assert_eq(proc_store, 2);
	cr_assert_eq(proc_reads, 5);
	cr_assert_eq(sysctl_byname("t.fail", &v, &len, NULL, 0), EIO);
	{
		char buf[32];

		cr_assert_eq(sysctl_format_value(find("t.fail"), buf,
				 sizeof(buf)),
		    EIO);
		cr_assert_str_eq(buf, "");
	}
}

Test(sysctl, deep_names)
{
	struct sysctl_oid *parent = NULL, *oid;
	char name[CTL_MAXNAME * 4], comp[8];
	int mib[CTL_MAXNAME], leafv = 3;
	size_t len, i;

	name[0] = '\0';
	for (i = 0; i < CTL_MAXNAME - 1; i++) {
		snprintf(comp, sizeof(comp), "d%zu", i);
		cr_assert_eq(sysctl_add_node(parent, comp, NULL, &parent), 0);
		strcat(name, comp);
		strcat(name, ".");
	}
	cr_assert_eq(sysctl_add_int(parent, "leaf", CTLFLAG_RD, &leafv, NULL,
			 &oid),
	    0);
	cr_assert_eq(sysctl_add_int(oid, "x", CTLFLAG_RD, &leafv, NULL, NULL),
	    EINVAL);
	cr_assert_eq(sysctl_add_node(parent, "n", NULL, &parent), 0);
	cr_assert_eq(sysctl_add_int(parent, "toodeep", CTLFLAG_RD, &leafv, NULL,
			 NULL),
	    E2BIG);
	strcat(name, "leaf");
	cr_assert_eq(get_int(name), 3);
	len = CTL_MAXNAME;
	cr_assert_eq(sysctl_name2mib(name, mib, &len), 0);
	cr_assert_eq(len, CTL_MAXNAME);
	cr_assert_eq(sysctl_mib(mib, len, &leafv, &(size_t) { 4 }, NULL, 0), 0);
	{
		char full[CTL_MAXNAME * 4];

		cr_assert_eq(sysctl_oid_fullname(oid, full, sizeof(full)), 0);
		cr_assert_str_eq(full, name);
		cr_assert_eq(sysctl_oid_fullname(oid, full, 6), ENOMEM);
		cr_assert_str_eq(full, "d0.d1");
	}
}

Test(sysctl, capacity_limit)
{
	struct sysctl_oid *top, *last = NULL, *oid;
	char name[16];
	int n, error, v = 0;

	cr_assert_eq(sysctl_add_node(NULL, "cap", NULL, &top), 0);
	for (n = 1;; n++) {
		snprintf(name, sizeof(name), "n%d", n);
		error = sysctl_add_int(top, name, CTLFLAG_RD, &v, NULL, &oid);
		if (error != 0)
			break;
		last = oid;
	}
	cr_assert_eq(error, ENOSPC);
	cr_assert_eq(n, SYSCTL_MAXOIDS, "pool of %d, full after %d",
	    SYSCTL_MAXOIDS, n);
	snprintf(name, sizeof(name), "cap.n%d", n);
	cr_assert_eq(sysctl_find(name, &oid), ENOENT, "the refused node");
	/* Removing one node makes room for one more. */
	cr_assert_eq(sysctl_remove(last), 0);
	cr_assert_eq(sysctl_add_int(top, "again", CTLFLAG_RD, &v, NULL, NULL),
	    0);
	cr_assert_eq(sysctl_add_int(top, "more", CTLFLAG_RD, &v, NULL, NULL),
	    ENOSPC);
}

Test(sysctl, remove_subtree)
{
	struct sysctl_oid *top, *hw, *vke;
	int32_t unit = 3;
	int n = 0, mib[CTL_MAXNAME], next[CTL_MAXNAME];
	size_t len = 0, nextlen;

	top = make_tree();
	boot_standard(true);
	hw = find("hw");
	cr_assert_eq(sysctl_add_node(hw, "vke0", "Virtual ethernet", &vke), 0);
	cr_assert_eq(sysctl_add_int(vke, "tap_unit", CTLFLAG_RD, &unit,
			 "Backend tap(4) unit", NULL),
	    0);
	cr_assert_eq(get_int("hw.vke0.tap_unit"), 3);
	cr_assert_eq(sysctl_remove(vke), 0);
	cr_assert_eq(sysctl_find("hw.vke0.tap_unit", &vke), ENOENT);
	cr_assert_eq(sysctl_find("hw.vke0", &vke), ENOENT);
	cr_assert_eq(get_int("hw.ncpu"), 4, "siblings stay");
	cr_assert_eq(sysctl_remove(vke), EINVAL, "already gone");
	cr_assert_eq(sysctl_remove(NULL), EINVAL);
	cr_assert_eq(sysctl_remove(top), 0);
	cr_assert_eq(sysctl_find("t.i", &vke), ENOENT);
	/* The walk no longer sees them. */
	while (sysctl_next(mib, len, next, &nextlen) == 0) {
		struct sysctl_oid *oid;
		char name[128];

		cr_assert_eq(sysctl_find_mib(next, nextlen, &oid), 0);
		sysctl_oid_fullname(oid, name, sizeof(name));
		cr_assert(strncmp(name, "t.", 2) != 0, "%s", name);
		cr_assert(strncmp(name, "hw.vke0", 7) != 0, "%s", name);
		memcpy(mib, next, nextlen * sizeof(int));
		len = nextlen;
		n++;
	}
	cr_assert_gt(n, 10);
}

static int
mib_compare(const int *a, size_t alen, const int *b, size_t blen)
{
	size_t i;

	for (i = 0; i < alen && i < blen; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return alen < blen ? -1 : alen > blen;
}

Test(sysctl, walk_in_mib_order)
{
	static const char *const expect[] = { "kern.ostype", "kern.osrelease",
		"kern.version", "kern.hostname", "kern.ngroups",
		"kern.boottime", "kern.kmem_writable",
		"vm.stats.vm.v_page_count", "vm.stats.vm.v_free_count",
		"debug.debugger_on_panic", "hw.machine", "hw.ncpu",
		"hw.physmem", "hw.pagesize", "hw.machine_arch", "t.i", "t.u",
		"t.l", "t.ul", "t.s", "t.sub.c" };
	int mib[CTL_MAXNAME], next[CTL_MAXNAME];
	size_t len = 0, nextlen, n = 0;
	struct sysctl_oid *empty;

	boot_standard(true);
	make_tree();
	/* An empty node contributes nothing to the walk. */
	cr_assert_eq(sysctl_add_node(find("t.sub"), "empty", NULL, &empty), 0);
	while (sysctl_next(mib, len, next, &nextlen) == 0) {
		struct sysctl_oid *oid;
		char name[128];

		cr_assert_lt(n, sizeof(expect) / sizeof(expect[0]));
		if (len > 0)
			cr_assert_lt(mib_compare(mib, len, next, nextlen), 0);
		cr_assert_eq(sysctl_find_mib(next, nextlen, &oid), 0);
		sysctl_oid_fullname(oid, name, sizeof(name));
		cr_assert_str_eq(name, expect[n]);
		memcpy(mib, next, nextlen * sizeof(int));
		len = nextlen;
		n++;
	}
	cr_assert_eq(n, sizeof(expect) / sizeof(expect[0]));
	/* Next of an interior node is its first leaf. */
	mib[0] = CTL_HW;
	cr_assert_eq(sysctl_next(mib, 1, next, &nextlen), 0);
	cr_assert_eq(nextlen, 2);
	cr_assert_eq(next[1], HW_MACHINE);
	/* Next of a name that does not exist is the following leaf. */
	mib[0] = CTL_KERN;
	mib[1] = 3;
	cr_assert_eq(sysctl_next(mib, 2, next, &nextlen), 0);
	cr_assert_eq(next[1], KERN_VERSION);
	mib[0] = CTL_USER + 1;
	cr_assert_eq(sysctl_next(mib, 1, next, &nextlen), 0);
	cr_assert_eq(next[0], CTL_AUTO_START, "the t tree");
}

Test(sysctl, meta_mib)
{
	int mib[CTL_MAXNAME + 2], out[CTL_MAXNAME];
	char buf[128];
	size_t len;
	uint32_t kind;

	boot_standard(true);
	/* name */
	mib[0] = CTL_SYSCTL;
	mib[1] = CTL_SYSCTL_NAME;
	mib[2] = CTL_HW;
	mib[3] = HW_NCPU;
	len = sizeof(buf);
	cr_assert_eq(sysctl_mib(mib, 4, buf, &len, NULL, 0), 0);
	cr_assert_str_eq(buf, "hw.ncpu");
	cr_assert_eq(len, 8);
	len = 0;
	cr_assert_eq(sysctl_mib(mib, 4, NULL, &len, NULL, 0), 0);
	cr_assert_eq(len, 8);
	cr_assert_eq(sysctl_mib(mib, 4, NULL, NULL, "x", 1), EPERM);
	/* next */
	mib[1] = CTL_SYSCTL_NEXT;
	len = sizeof(out);
	cr_assert_eq(sysctl_mib(mib, 4, out, &len, NULL, 0), 0);
	cr_assert_eq(len, 2 * sizeof(int));
	cr_assert_eq(out[0], CTL_HW);
	cr_assert_eq(out[1], HW_PHYSMEM);
	len = sizeof(out);
	cr_assert_eq(sysctl_mib(mib, 2, out, &len, NULL, 0), 0, "first");
	cr_assert_eq(out[0], CTL_KERN);
	cr_assert_eq(out[1], KERN_OSTYPE);
	/* name2oid */
	mib[1] = CTL_SYSCTL_NAME2OID;
	len = sizeof(out);
	cr_assert_eq(sysctl_mib(mib, 2, out, &len, "kern.hostname", 13), 0);
	cr_assert_eq(len, 2 * sizeof(int));
	cr_assert_eq(out[0], CTL_KERN);
	cr_assert_eq(out[1], KERN_HOSTNAME);
	cr_assert_eq(sysctl_mib(mib, 2, out, &len, "kern.nothing", 12), ENOENT);
	cr_assert_eq(sysctl_mib(mib, 2, out, &len, NULL, 0), EINVAL);
	/* oidfmt */
	mib[1] = CTL_SYSCTL_OIDFMT;
	mib[2] = CTL_KERN;
	mib[3] = KERN_BOOTTIME;
	len = sizeof(buf);
	cr_assert_eq(sysctl_mib(mib, 4, buf, &len, NULL, 0), 0);
	memcpy(&kind, buf, sizeof(kind));
	cr_assert_eq(kind, CTLTYPE_OPAQUE | CTLFLAG_RD);
	cr_assert_str_eq(buf + 4, "S,timeval");
	cr_assert_eq(len, 4 + 10);
	/* oiddescr */
	mib[1] = CTL_SYSCTL_OIDDESCR;
	mib[3] = KERN_OSTYPE;
	len = sizeof(buf);
	cr_assert_eq(sysctl_mib(mib, 4, buf, &len, NULL, 0), 0);
	cr_assert_str_eq(buf, "Operating system type");
	/* Unknown questions, missing nodes. */
	mib[1] = 99;
	cr_assert_eq(sysctl_mib(mib, 4, buf, &len, NULL, 0), ENOENT);
	mib[1] = CTL_SYSCTL_NAME;
	mib[3] = 999;
	cr_assert_eq(sysctl_mib(mib, 4, buf, &len, NULL, 0), ENOENT);
}

Test(sysctl, set_from_text)
{
	struct sysctl_oid *oid, *top;
	static unsigned char blob[4];

	top = make_tree();
	oid = find("t.i");
	cr_assert_eq(sysctl_set_from_text(oid, "-2147483648"), 0);
	cr_assert_eq(ivalue, INT32_MIN);
	cr_assert_eq(sysctl_set_from_text(oid, "2147483647"), 0);
	cr_assert_eq(ivalue, INT32_MAX);
	cr_assert_eq(sysctl_set_from_text(oid, "0x10"), 0);
	cr_assert_eq(ivalue, 16);
	cr_assert_eq(sysctl_set_from_text(oid, "010"), 0);
	cr_assert_eq(ivalue, 8);
	cr_assert_eq(sysctl_set_from_text(oid, "+0"), 0);
	cr_assert_eq(ivalue, 0);
	cr_assert_eq(sysctl_set_from_text(oid, "2147483648"), ERANGE);
	cr_assert_eq(sysctl_set_from_text(oid, "-2147483649"), ERANGE);
	cr_assert_eq(sysctl_set_from_text(oid, ""), EINVAL);
	cr_assert_eq(sysctl_set_from_text(oid, "12abc"), EINVAL);
	cr_assert_eq(sysctl_set_from_text(oid, "09"), EINVAL);
	cr_assert_eq(sysctl_set_from_text(oid, "-"), EINVAL);
	cr_assert_eq(sysctl_set_from_text(oid, " 1"), EINVAL);
	cr_assert_eq(ivalue, 0);

	oid = find("t.u");
	cr_assert_eq(sysctl_set_from_text(oid, "4294967295"), 0);
	cr_assert_eq(uvalue, UINT32_MAX);
	cr_assert_eq(sysctl_set_from_text(oid, "4294967296"), ERANGE);
	cr_assert_eq(sysctl_set_from_text(oid, "-1"), ERANGE);
	cr_assert_eq(sysctl_set_from_text(oid, "-0"), 0);
	cr_assert_eq(uvalue, 0);

	oid = find("t.l");
	cr_assert_eq(sysctl_set_from_text(oid, "-9223372036854775808"), 0);
	cr_assert_eq(lvalue, INT64_MIN);
	cr_assert_eq(sysctl_set_from_text(oid, "9223372036854775807"), 0);
	cr_assert_eq(lvalue, INT64_MAX);
	cr_assert_eq(sysctl_set_from_text(oid, "9223372036854775808"), ERANGE);

	oid = find("t.ul");
	cr_assert_eq(sysctl_set_from_text(oid, "0xffffffffffffffff"), 0);
	cr_assert_eq(ulvalue, UINT64_MAX);
	cr_assert_eq(sysctl_set_from_text(oid, "18446744073709551616"), ERANGE);
	cr_assert_eq(sysctl_set_from_text(oid, "12"), 0);
	cr_assert_eq(ulvalue, 12);

	cr_assert_eq(sysctl_set_from_text(find("t.s"), "xyz"), 0);
	cr_assert_str_eq(svalue, "xyz");
	cr_assert_eq(sysctl_set_from_text(find("t.s"), "12345678"), EINVAL);
	cr_assert_eq(sysctl_set_from_text(find("t.sub"), "1"), EISDIR);
	cr_assert_eq(sysctl_add_opaque(top, "blob", CTLFLAG_RW, blob,
			 sizeof(blob), NULL, NULL, &oid),
	    0);
	cr_assert_eq(sysctl_set_from_text(oid, "1"), EINVAL);
}

Test(sysctl, format_value)
{
	struct sysctl_oid *top, *oid;
	static unsigned char blob[3] = { 0x01, 0xab, 0xff };
	char buf[64];

	top = make_tree();
	cr_assert_str_eq(format("t.i"), "42");
	cr_assert_str_eq(format("t.u"), "4000000000");
	cr_assert_str_eq(format("t.l"), "-9223372036854775808");
	cr_assert_str_eq(format("t.ul"), "18446744073709551615");
	cr_assert_str_eq(format("t.s"), "abc");
	cr_assert_str_eq(format("t.sub.c"), "constant");
	cr_assert_eq(sysctl_add_opaque(top, "blob", CTLFLAG_RD, blob,
			 sizeof(blob), NULL, NULL, &oid),
	    0);
	cr_assert_str_eq(sysctl_oid_fmt(oid), "S");
	cr_assert_str_eq(format("t.blob"), "0x01abff");
	cr_assert_eq(sysctl_format_value(oid, buf, 7), ENOMEM);
	cr_assert_str_eq(buf, "0x01ab");
	cr_assert_eq(sysctl_format_value(find("t.sub"), buf, sizeof(buf)),
	    EISDIR);
	cr_assert_eq(sysctl_format_value(find("t.l"), buf, 5), ENOMEM);
	cr_assert_str_eq(buf, "-922");
	cr_assert_eq(sysctl_format_value(find("t.sub.c"), buf, 5), ENOMEM);
	cr_assert_str_eq(buf, "cons");
	cr_assert_eq(sysctl_format_value(find("t.sub.c"), buf, 9), 0);
	cr_assert_str_eq(buf, "constant");
	cr_assert_eq(sysctl_format_value(find("t.i"), buf, 0), ENOMEM);
}

/* Children are ordered by number, whatever the registration order. */
Test(sysctl, order_by_number)
{
	static const int numbers[] = { 5, 2, OID_AUTO, 9, 0 };
	static const int expect[] = { 0, 2, 5, 9, CTL_AUTO_START };
	struct sysctl_oid *top;
	int32_t v = 0;
	int mib[CTL_MAXNAME], next[CTL_MAXNAME];
	size_t i, len, nextlen;
	char name[8];

	cr_assert_eq(sysctl_add_node(NULL, "o", NULL, &top), 0);
	for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		snprintf(name, sizeof(name), "n%zu", i);
		cr_assert_eq(sysctl_add_oid(top, numbers[i], name,
				 CTLTYPE_INT | CTLFLAG_RD, &v, 0, NULL, NULL,
				 NULL, NULL),
		    0);
	}
	len = 0;
	for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		cr_assert_eq(sysctl_next(mib, len, next, &nextlen), 0);
		cr_assert_eq(nextlen, 2);
		cr_assert_eq(next[1], expect[i], "step %zu: %d", i, next[1]);
		memcpy(mib, next, sizeof(next));
		len = nextlen;
	}
	cr_assert_eq(sysctl_next(mib, len, next, &nextlen), ENOENT);
}
