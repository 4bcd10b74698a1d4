/*
 * db_show_test.c - show registers, show sysctl, trace and ps on the fake
 * machine.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "runtime/ddb/tests/db_fake.h"

static void
setup(void)
{
	fake_setup("", DB_INPUT_EOF);
}

TestSuite(db_show, .init = setup, .timeout = 10);

static bool
starts_with(const char *s, const char *prefix)
{
	return (strncmp(s, prefix, strlen(prefix)) == 0);
}

Test(db_show, registers_of_the_current_cpu)
{
	const char *out = fake_run("show registers");

	cr_assert(strstr(out, "rax                     0x1234\n") != NULL, "%s",
	    out);
	cr_assert(strstr(out, "rsp                 0x7ffc0000\n") != NULL, "%s",
	    out);
	cr_assert(strstr(out, "rip                    0x100c4  text+0x4\n") !=
		NULL,
	    "%s", out);
	cr_assert(strstr(out, "rflags                   0x246\n") != NULL, "%s",
	    out);
	cr_assert(starts_with(out, "cs                        0x33\n"), "%s",
	    out);
	cr_assert_str_eq(fake_run("sh reg"), out);
}

Test(db_show, registers_of_another_cpu)
{
	cr_assert_str_eq(fake_run("show registers/c 1"),
	    "cpu1 is not stopped\n");
	cr_assert_str_eq(fake_run("show registers 7"), "No such cpu 7\n");
	cr_assert_str_eq(fake_run("show registers/c"),
	    "Syntax error: a decimal cpu number\n");
	cr_assert_str_eq(fake_run("show registers/c x"),
	    "Syntax error: a decimal cpu number\n");
	db_cpu = 1;
	cr_assert_str_eq(fake_run("show registers"), "cpu1 is not stopped\n");
	cr_assert_neq(strstr(fake_run("show registers 0"), "text+0x4"), NULL);
}

Test(db_show, trace)
{
	cr_assert_str_eq(fake_run("trace"),
	    "Tracing cpu0\n"
	    "text() at text+0x4\n"
	    /* a return address is named by its call: beta+1 - 1 */
	    "beta() at beta+0x1\n"
	    "?() at 0xdead0000\n");
	cr_assert_str_eq(fake_run("where 0"), fake_run("trace"));
	cr_assert_str_eq(fake_run("trace 1"), "cpu1 is not stopped\n");
	cr_assert_str_eq(fake_run("trace 3"), "No such cpu 3\n");
	cr_assert_str_eq(fake_run("trace 0t1"),
	    "Syntax error: a decimal cpu number\n");
}

Test(db_show, sysctl_values)
{
	fake_sysctl(false);
	cr_assert_str_eq(fake_run("show sysctl hw.ncpu"), "hw.ncpu: 4\n");
	cr_assert_str_eq(fake_run("sh sysc kern.ostype"),
	    "kern.ostype: Vireo\n");
	cr_assert_str_eq(fake_run("show sysctl debug.debugger_on_panic"),
	    "debug.debugger_on_panic: 1\n");
	cr_assert_str_eq(fake_run("show sysctl kern.boottime"),
	    "kern.boottime: { sec = 0, usec = 0 }\n");
}

Test(db_show, sysctl_node_lists_its_leaves)
{
	fake_sysctl(false);
	cr_assert_str_eq(fake_run("show sysctl hw"),
	    "hw.machine: x86_64\n"
	    "hw.ncpu: 4\n"
	    "hw.physmem: 67108864\n"
	    "hw.pagesize: 4096\n"
	    "hw.machine_arch: x86_64\n");
}

Test(db_show, sysctl_errors)
{
	fake_sysctl(false);
	cr_assert_str_eq(fake_run("show sysctl hw.nosuch"),
	    "No such sysctl: hw.nosuch\n");
	cr_assert_str_eq(fake_run("show sysctl"), "usage: show sysctl name\n");
	cr_assert_str_eq(fake_run("show sysctl hw.ncpu extra"),
	    "usage: show sysctl name\n");
}

Test(db_show, ps_lists_threads)
{
	const char *out = fake_run("ps");

	cr_assert(starts_with(out,
		      "  pid   proc     uid  ppid  pgrp  flag stat wmesg"
		      "   wchan   cmd\n"
		      "No processes: init has not been started.\n"),
	    "%s", out);
	cr_assert(strstr(out, "    100  cpu0   run   stopped   text+0x4\n") !=
		NULL,
	    "%s", out);
	cr_assert(strstr(out, "    101  cpu1   idle  running   -\n") != NULL,
	    "%s", out);
	cr_assert(strstr(out, "    102  intr   intr  debugger  text\n") != NULL,
	    "%s", out);
	cr_assert(strstr(out, "CURCPU 0 CURTHREAD intr (tid 102)\n") != NULL,
	    "%s", out);
	cr_assert_str_eq(fake_run("show all procs"), out);
	cr_assert_str_eq(fake_run("sh a p"), out);
}
