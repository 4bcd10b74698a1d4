/*
 * sysctl_test.c - sysctl values follow the command line: -n, -m, -U, -s
 * and -e tunables; the clock and the idle cpus.  Read through the
 * debugger's "show sysctl" (the kernel has no processes yet).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/vkh.h"

#define T 10

TestSuite(sysctl, .fini = vkh_test_end, .timeout = 60);

/* Boots with memory, ncpu and args, and enters the debugger. */
static struct vkh_guest *
boot_to_ddb(const char *memory, const char *ncpu, const char *a0,
    const char *a1, const char *a2, bool share)
{
	static char m[32], n[32];
	struct vkh_guest *g;

	snprintf(m, sizeof(m), "memory=%s", memory);
	snprintf(n, sizeof(n), "ncpu=%s", ncpu);
	g = vkh_test_boot(&(struct vkh_boot_spec) { .vars = { m, n },
	    .args = { a0, a1, a2 },
	    .share = share });
	vkh_allow_debugger(g, true);
	cr_assert_eq(vkh_send(g, "\x1c"), 0);
	vkh_test_expect(g, "^db> ", T);
	return (g);
}

/* The pattern of a sysctl's answer line: "^NAME: VALUE$", dots quoted. */
static void
answer_re(char *re, size_t size, const char *name, const char *value)
{
	size_t n = 0;

	re[n++] = '^';
	for (; *name != '\0' && n + 3 < size; name++) {
		if (*name == '.')
			re[n++] = '\\';
		re[n++] = *name;
	}
	snprintf(re + n, size - n, ": %s$", value);
}

/* Asks ddb for a sysctl and checks the whole answer line. */
static void
expect_sysctl(struct vkh_guest *g, const char *name, const char *value)
{
	char cmd[128], re[256];

	snprintf(cmd, sizeof(cmd), "show sysctl %s", name);
	answer_re(re, sizeof(re), name, value);
	vkh_test_send(g, cmd);
	vkh_test_expect(g, re, T);
	vkh_test_expect(g, "^db> ", T);
}

/* Leaves ddb and hands the guest back. */
static void
leave(struct vkh_guest *g)
{
	vkh_test_send(g, "continue");
	vkh_test_expect(g, "^ restarted$", T);
	vkh_test_release(g);
}

Test(sysctl, defaults)
{
	struct vkh_guest *g = boot_to_ddb("64m", "2", NULL, NULL, NULL, true);

	expect_sysctl(g, "kern.ostype", "Vireo");
	expect_sysctl(g, "hw.ncpu", "2");
	expect_sysctl(g, "hw.physmem", "67108864");
	expect_sysctl(g, "hw.pagesize", "4096");
	expect_sysctl(g, "hw.machine", "x86_64");
	expect_sysctl(g, "kern.kmem_writable", "0");
	expect_sysctl(g, "debug.boothowto", "0");
	expect_sysctl(g, "debug.debugger_on_panic", "1");
	leave(g);
}

Test(sysctl, options_change_values)
{
	struct vkh_guest *g = boot_to_ddb("128m", "4", "-U", "-s", NULL, false);

	expect_sysctl(g, "hw.ncpu", "4");
	expect_sysctl(g, "hw.physmem", "134217728");
	expect_sysctl(g, "kern.kmem_writable", "1");
	expect_sysctl(g, "debug.boothowto", "2"); /* RB_SINGLE */
}

Test(sysctl, vm_stats_count_the_memory_image)
{
	struct vkh_guest *g = boot_to_ddb("64m", "2", NULL, NULL, NULL, true);

	expect_sysctl(g, "vm.stats.vm.v_page_count", "16384");
	leave(g);
}

Test(sysctl, kenv_tunables_set_writable_sysctls)
{
	struct vkh_guest *g = boot_to_ddb("64m", "2", "-e",
	    "kern.hostname=vk1:hw.ncpu=9", NULL, false);

	expect_sysctl(g, "kern.hostname", "vk1");
	/* hw.ncpu is read-only: the tunable does not change it. */
	expect_sysctl(g, "hw.ncpu", "2");
}

/* Reads a numeric sysctl through ddb. */
static unsigned long long
read_sysctl(struct vkh_guest *g, const char *name)
{
	char cmd[128], re[128];
	const char *p;

	snprintf(cmd, sizeof(cmd), "show sysctl %s", name);
	answer_re(re, sizeof(re), name, "[0-9]+");
	vkh_test_send(g, cmd);
	vkh_test_expect(g, re, T);
	p = strrchr(vkh_match(g), ':');
	cr_assert_not_null(p);
	return (strtoull(p + 1, NULL, 10));
}

/*
 * The clock ticks HZ (100) times a second and every tick is charged to
 * each cpu as idle or busy; a kernel waiting at the mountroot prompt is
 * idle on every cpu.  Its own boot: kern.ticks counts from it.
 */
Test(sysctl, clock_ticks_and_idle_cpus)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) { 0 });
	unsigned long long t, idle0, idle1, busy1;

	vkh_allow_debugger(g, true);
	usleep(500 * 1000);
	cr_assert_eq(vkh_send(g, "\x1c"), 0);
	vkh_test_expect(g, "^db> ", T);
	t = read_sysctl(g, "kern.ticks");
	idle0 = read_sysctl(g, "machdep.cpu0.idle_ticks");
	idle1 = read_sysctl(g, "machdep.cpu1.idle_ticks");
	busy1 = read_sysctl(g, "machdep.cpu1.busy_ticks");
	cr_assert(t >= 30 && t <= 500, "kern.ticks %llu after ~0.5 s", t);
	cr_assert_geq(idle0 * 10, t * 7, "cpu0 idle %llu of %llu", idle0, t);
	cr_assert_geq(idle1 * 10, t * 9, "cpu1 idle %llu of %llu", idle1, t);
	cr_assert_leq(busy1 * 10, t, "cpu1 busy %llu of %llu", busy1, t);
}
