/*
 * sysctl_test.c - sysctl values follow the command line: -n, -m, -U, -s,
 * and -e tunables; read through the debugger's "show sysctl".
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "suites/vkt.h"

static struct vkt k;

static void
setup(void)
{
	vkt_init(&k);
}

static void
teardown(void)
{
	vkt_end(&k);
}

TestSuite(sysctl, .init = setup, .fini = teardown, .timeout = 60);

/* Boots to the mountroot prompt and enters the debugger with ^\. */
static void
boot_to_ddb(const char *const *args)
{
	vkt_spawn(&k, args);
	cr_assert(vkt_expect(&k, "mountroot> ", 10));
	vkt_send(&k, "\x1c");
	cr_assert(vkt_expect(&k, "db> ", 10));
}

/* Asks ddb for a sysctl and checks the whole answer line. */
static void
expect_sysctl(const char *name, const char *value)
{
	char cmd[128], line[256];

	snprintf(cmd, sizeof(cmd), "show sysctl %s\r", name);
	snprintf(line, sizeof(line), "%s: %s\r\n", name, value);
	vkt_send(&k, cmd);
	cr_assert(vkt_expect(&k, line, 5), "expected \"%s: %s\"", name, value);
	cr_assert(vkt_expect(&k, "db> ", 5));
}

Test(sysctl, defaults)
{
	const char *args[] = { "-m", "64m", NULL };

	boot_to_ddb(args);
	expect_sysctl("kern.ostype", "Vireo");
	expect_sysctl("hw.ncpu", "2");
	expect_sysctl("hw.physmem", "67108864");
	expect_sysctl("hw.pagesize", "4096");
	expect_sysctl("hw.machine", "x86_64");
	expect_sysctl("kern.kmem_writable", "0");
	expect_sysctl("debug.boothowto", "0");
	expect_sysctl("debug.debugger_on_panic", "1");
}

Test(sysctl, options_change_values)
{
	const char *args[] = { "-m", "128m", "-n", "4", "-U", "-s", NULL };

	boot_to_ddb(args);
	expect_sysctl("hw.ncpu", "4");
	expect_sysctl("hw.physmem", "134217728");
	expect_sysctl("kern.kmem_writable", "1");
	expect_sysctl("debug.boothowto", "2"); /* RB_SINGLE */
}

Test(sysctl, vm_stats_count_the_memory_image)
{
	const char *args[] = { "-m", "64m", NULL };

	boot_to_ddb(args);
	expect_sysctl("vm.stats.vm.v_page_count", "16384");
}

Test(sysctl, kenv_tunables_set_writable_sysctls)
{
	const char *args[] = { "-m", "64m", "-e", "kern.hostname=vk1:hw.ncpu=9",
		NULL };

	boot_to_ddb(args);
	expect_sysctl("kern.hostname", "vk1");
	/* hw.ncpu is read-only: the tunable does not change it. */
	expect_sysctl("hw.ncpu", "2");
}

/* With debug.debugger_on_panic=0 a panic syncs and exits 33. */
Test(sysctl, debugger_on_panic_off_exits_33)
{
	const char *args[] = { "-m", "64m", "-e", "debug.debugger_on_panic=0",
		NULL };

	vkt_spawn(&k, args);
	cr_assert(vkt_expect(&k, "mountroot> ", 10));
	vkt_send(&k, "abort\r");
	cr_assert(vkt_expect(&k,
	    "panic: Root mount failed, startup "
	    "aborted.",
	    5));
	cr_assert(vkt_wait(&k, 10), "the kernel did not exit");
	cr_assert(WIFEXITED(k.status) && WEXITSTATUS(k.status) == 33,
	    "status %#x", k.status);
	cr_assert_null(strstr(k.log, "db> "), "entered the debugger");
	cr_assert_not_null(strstr(k.log, "syncing disks... done"));
}

/* Reads a numeric sysctl through ddb. */
static unsigned long long
read_sysctl(const char *name)
{
	char cmd[128], want[128];
	const char *p;

	snprintf(cmd, sizeof(cmd), "show sysctl %s\r", name);
	snprintf(want, sizeof(want), "%s: ", name);
	vkt_send(&k, cmd);
	cr_assert(vkt_expect(&k, want, 5));
	cr_assert(vkt_expect(&k, "\r\n", 5));
	p = strrchr(k.log, ':');
	cr_assert_not_null(p);
	return (strtoull(p + 1, NULL, 10));
}

/*
 * The clock ticks HZ (100) times a second and every tick is charged to
 * each cpu as idle or busy; a kernel waiting at the mountroot prompt is
 * idle on every cpu.
 */
Test(sysctl, clock_ticks_and_idle_cpus)
{
	const char *args[] = { "-m", "64m", NULL };
	unsigned long long t, idle0, idle1, busy1;

	vkt_spawn(&k, args);
	cr_assert(vkt_expect(&k, "mountroot> ", 10));
	usleep(500 * 1000);
	vkt_send(&k, "\x1c");
	cr_assert(vkt_expect(&k, "db> ", 10));
	t = read_sysctl("kern.ticks");
	idle0 = read_sysctl("machdep.cpu0.idle_ticks");
	idle1 = read_sysctl("machdep.cpu1.idle_ticks");
	busy1 = read_sysctl("machdep.cpu1.busy_ticks");
	cr_assert(t >= 30 && t <= 500, "kern.ticks %llu after ~0.5 s", t);
	cr_assert_geq(idle0 * 10, t * 7, "cpu0 idle %llu of %llu", idle0, t);
	cr_assert_geq(idle1 * 10, t * 9, "cpu1 idle %llu of %llu", idle1, t);
	cr_assert_leq(busy1 * 10, t, "cpu1 busy %llu of %llu", busy1, t);
}
