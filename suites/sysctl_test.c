/*
 * sysctl_test.c - sysctl values follow the command line: -n, -m, -U, -s,
 * and -e tunables; read through the debugger's "show sysctl".
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
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
