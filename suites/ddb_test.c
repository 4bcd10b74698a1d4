/*
 * ddb_test.c - the kernel debugger on the harness engine: entering it
 * from the console (^\), its commands, ps and trace of the real threads,
 * registers, examine and write (-U), panics into it, and reset.
 *
 * Each test boots the vireo profile (-m 64m -n 2 unless said) to the
 * mountroot prompt and drives the console as a user would: ^\ is the
 * byte 0x1c, which the terminal turns into SIGQUIT.  Patterns are
 * anchored so that the echo of what the test types cannot match them.
 * Tests that come back to the prompt declare .share and hand the guest
 * back with vkh_test_release(), so that one boot serves several of them.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/vkh.h"

#define T	  10 /* seconds for any one console answer */
#define QUIT_CHAR "\x1c"
#define BANNER_RE "^Vireo 0\\.1-DEVELOPMENT #"
#define RESTARTED "^ restarted$"

TestSuite(ddb, .fini = vkh_test_end, .timeout = 90);

/* Boots to mountroot with ncpu cpus and extra words of the command. */
static struct vkh_guest *
boot(const char *ncpu, bool share)
{
	static char n[16];
	struct vkh_guest *g;

	snprintf(n, sizeof(n), "ncpu=%s", ncpu);
	g = vkh_test_boot(&(struct vkh_boot_spec) { .vars = { n },
	    .share = share });
	vkh_allow_debugger(g, true);
	return (g);
}

/* Enters ddb from the console. */
static void
enter(struct vkh_guest *g)
{
	cr_assert_eq(vkh_send(g, QUIT_CHAR), 0);
	vkh_test_expect(g, "^Debugger\\(\"interrupt from console\"\\)$", T);
	vkh_test_expect(g, "^db> ", T);
}

/* Types a command line. */
static void
command(struct vkh_guest *g, const char *line)
{
	vkh_test_send(g, line);
}

/* Waits for good; fails when bad comes first. */
static void
expect_not(struct vkh_guest *g, const char *good, const char *bad)
{
	const char *res[] = { good, bad };

	cr_assert_eq(vkh_test_expect_any(g, res, 2, T), 0,
	    "unexpected \"%s\" before \"%s\"", vkh_match(g), good);
}

/* Leaves ddb. */
static void
leave_only(struct vkh_guest *g)
{
	command(g, "continue");
	vkh_test_expect(g, RESTARTED, T);
}

/* Leaves ddb and hands the guest back at the mountroot prompt. */
static void
leave(struct vkh_guest *g)
{
	leave_only(g);
	vkh_test_release(g);
}

Test(ddb, console_enters_with_cpu0_context_and_continue_returns)
{
	struct vkh_guest *g = boot("2", true);
	unsigned long rip = 0, rsp = 0;
	const char *m;
	int td = 0;

	cr_assert_eq(vkh_send(g, QUIT_CHAR), 0);
	vkh_test_expect(g, "CAUGHT SIG 3 RIP [0-9a-f]+ RSP [0-9a-f]+ TD [0-9]+",
	    T);
	m = strstr(vkh_match(g), "CAUGHT");
	cr_assert_eq(sscanf(m, "CAUGHT SIG 3 RIP %lx RSP %lx TD %d", &rip, &rsp,
			 &td),
	    3);
	cr_assert_neq(rip, 0);
	cr_assert_neq(rsp, 0);
	/* cpu0 is the thread that booted: its tid is the process id. */
	cr_assert_eq(td, vkh_pid(g), "TD %d is not cpu0's thread %d", td,
	    (int)vkh_pid(g));
	vkh_test_expect(g, "^Debugger\\(\"interrupt from console\"\\)$", T);
	vkh_test_expect(g, "^CPU0 stopping CPUs: 0x00000002$", T);
	vkh_test_expect(g, "^ stopped$", T);
	vkh_test_expect(g, "^Stopped at\t", T);
	vkh_test_expect(g, "^db> ", T);
	command(g, "continue");
	vkh_test_expect(g, "^CPU0 restarting CPUs: 0x00000002$", T);
	vkh_test_expect(g, RESTARTED, T);
	/* The kernel answers again where it was. */
	command(g, "?");
	vkh_test_expect(g, "^List of disk devices:$", T);
	vkh_test_expect(g, "^mountroot> ", T);
	/* And the debugger can be entered again; "c" is continue.  A ^\
	 * typed in the debugger is dropped, not queued for later. */
	cr_assert_eq(vkh_send(g, QUIT_CHAR), 0);
	vkh_test_expect(g, "^db> ", T);
	cr_assert_eq(vkh_send(g, QUIT_CHAR), 0);
	command(g, "c");
	vkh_test_expect(g, RESTARTED, T);
	command(g, "?");
	expect_not(g, "^List of disk devices:$", "^db> ");
	vkh_test_expect(g, "^mountroot> ", T);
	vkh_test_release(g);
}

Test(ddb, commands_names_prefixes_and_errors)
{
	struct vkh_guest *g = boot("3", true);

	enter(g);
	command(g, "show sysctl hw.ncpu");
	expect_not(g, "^hw\\.ncpu: 3$", "No such");
	command(g, "sh sysc kern.ostype");
	expect_not(g, "^kern\\.ostype: Vireo$", "No such");
	command(g, "show sysctl hw.nosuch");
	vkh_test_expect(g, "^No such sysctl: hw\\.nosuch$", T);
	command(g, "frobnicate");
	vkh_test_expect(g, "^No such command$", T);
	command(g, "s");
	vkh_test_expect(g, "^Ambiguous$", T);
	command(g, "help");
	vkh_test_expect_text(g, "continue", T);
	vkh_test_expect_text(g, "reset", T);
	vkh_test_expect(g, "^db> ", T);
	command(g, "print 0t6*7");
	expect_not(g, "^2a$", "error");
	command(g, "p nosuch_symbol");
	vkh_test_expect(g, "^Symbol 'nosuch_symbol' not found$", T);
	/* An empty line repeats the last command. */
	command(g, "x/xb host_version");
	vkh_test_expect(g, "^host_version:\t56$", T);
	command(g, "");
	vkh_test_expect(g, "^host_version\\+0x1:\t69$", T);
	command(g, "cont");
	vkh_test_expect(g, RESTARTED, T);
	vkh_test_release(g);
}

/* The name the host gives a thread of the kernel. */
static void
thread_name(pid_t pid, int tid, char *buf, size_t size)
{
	struct vkh_thread t[64];
	int n = vkh_threads(pid, t, 64), i;

	buf[0] = '\0';
	for (i = 0; i < n && i < 64; i++)
		if (t[i].tid == tid)
			snprintf(buf, size, "%s", t[i].name);
}

Test(ddb, ps_lists_the_real_threads)
{
	const char *cpu0[] = { "^ *[0-9]+  cpu0   idle  stopped",
		"^ *[0-9]+  cpu0   run   stopped" };
	struct vkh_guest *g = boot("2", true);
	char name[32];
	int tid, tries;

	/*
	 * cpu0 waits for a line at the mountroot prompt: it is idle.  Just
	 * after the prompt appears it may still be in the write(2) of the
	 * prompt ("run"); then leave ddb and look again, a few times.
	 */
	for (tries = 0;; tries++) {
		enter(g);
		command(g, "ps");
		vkh_test_expect(g,
		    "^No processes: init has not been started\\.$", T);
		if (vkh_test_expect_any(g, cpu0, 2, T) == 0)
			break;
		cr_assert_lt(tries, 20, "cpu0 is never idle at the prompt");
		vkh_test_expect(g, "^db> ", T);
		leave_only(g);
		usleep(50 * 1000);
	}
	cr_assert_eq(sscanf(vkh_match(g), "%d", &tid), 1);
	cr_assert_eq(tid, vkh_pid(g));
	vkh_test_expect(g, "^ *[0-9]+  cpu1   idle  stopped", T);
	cr_assert_eq(sscanf(vkh_match(g), "%d", &tid), 1);
	thread_name(vkh_pid(g), tid, name, sizeof(name));
	cr_assert_str_eq(name, "cpu1");
	vkh_test_expect(g, "^ *[0-9]+  intr   intr  debugger", T);
	cr_assert_eq(sscanf(vkh_match(g), "%d", &tid), 1);
	thread_name(vkh_pid(g), tid, name, sizeof(name));
	cr_assert_str_eq(name, "intr");
	vkh_test_expect_text(g, "CURCPU 0 CURTHREAD intr", T);
	command(g, "show all procs");
	vkh_test_expect(g, "^No processes: init has not been started\\.$", T);
	vkh_test_expect(g, "^db> ", T);
	leave(g);
}

Test(ddb, registers_and_traces_are_the_stopped_cpus)
{
	struct vkh_guest *g = boot("2", true);
	unsigned long rip = 0, rsp = 0, reg = 0;
	char pattern[64];
	const char *m;
	int td;

	cr_assert_eq(vkh_send(g, QUIT_CHAR), 0);
	vkh_test_expect(g, "CAUGHT SIG 3 RIP [0-9a-f]+ RSP [0-9a-f]+ TD [0-9]+",
	    T);
	m = strstr(vkh_match(g), "CAUGHT");
	cr_assert_eq(sscanf(m, "CAUGHT SIG 3 RIP %lx RSP %lx TD %d", &rip, &rsp,
			 &td),
	    3);
	vkh_test_expect(g, "^db> ", T);
	command(g, "show registers");
	vkh_test_expect(g, "^rsp +0x[0-9a-f]+$", T);
	cr_assert_eq(sscanf(vkh_match(g) + 3, " 0x%lx", &reg), 1);
	cr_assert_eq(reg, rsp, "rsp %lx, caught at %lx", reg, rsp);
	snprintf(pattern, sizeof(pattern), "^rip +0x%lx  ", rip);
	vkh_test_expect(g, pattern, T);
	vkh_test_expect(g, "^rflags", T);
	vkh_test_expect(g, "^db> ", T);
	/* cpu0 waits for a line at the mountroot prompt. */
	command(g, "trace");
	vkh_test_expect(g, "^Tracing cpu0$", T);
	vkh_test_expect(g, "^vfs_mountroot\\(\\) at vfs_mountroot\\+0x", T);
	vkh_test_expect(g, "^kern_boot\\(\\) at kern_boot\\+0x", T);
	vkh_test_expect(g, "^db> ", T);
	/* cpu1 idles in its loop (a static function: the symbol table). */
	command(g, "trace 1");
	vkh_test_expect(g, "^Tracing cpu1$", T);
	vkh_test_expect(g, "^ap_main\\(\\) at ap_main\\+0x", T);
	vkh_test_expect(g, "^db> ", T);
	command(g, "show registers/c 1");
	vkh_test_expect(g, "^rip ", T);
	vkh_test_expect(g, "^db> ", T);
	command(g, "trace 9");
	vkh_test_expect(g, "^No such cpu 9$", T);
	command(g, "c");
	vkh_test_expect(g, RESTARTED, T);
	vkh_test_release(g);
}

Test(ddb, examine_reads_memory_safely)
{
	struct vkh_guest *g = boot("2", true);

	enter(g);
	command(g, "x/s host_version");
	vkh_test_expect(g, "^host_version:\tVireo 0\\.1-DEVELOPMENT #", T);
	command(g, "x/4xb host_version");
	vkh_test_expect(g, "^host_version:\t56 69 72 65$", T);
	command(g, "x/d debugger_on_panic");
	vkh_test_expect(g, "^debugger_on_panic:\t1$", T);
	/* A bad address is an error, not a crash. */
	command(g, "x/x 8");
	vkh_test_expect(g, "^Cannot read memory at 0x8$", T);
	command(g, "p *0");
	vkh_test_expect(g, "^Cannot read memory at 0x0$", T);
	command(g, "p 1+1");
	expect_not(g, "^2$", "Cannot");
	command(g, "c");
	vkh_test_expect(g, RESTARTED, T);
	vkh_test_release(g);
}

Test(ddb, write_is_refused_without_U)
{
	struct vkh_guest *g = boot("2", true);

	enter(g);
	command(g, "write debugger_on_panic 0");
	vkh_test_expect(g, "^kernel memory is read-only \\(boot with -U\\)$",
	    T);
	command(g, "x/d debugger_on_panic");
	vkh_test_expect(g, "^debugger_on_panic:\t1$", T);
	command(g, "show sysctl kern.kmem_writable");
	vkh_test_expect(g, "^kern\\.kmem_writable: 0$", T);
	leave(g);
}

Test(ddb, write_with_U_changes_the_kernel)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .vars = { "ncpu=2" },
	    .args = { "-U" } });
	int ws;

	vkh_allow_debugger(g, true);
	enter(g);
	command(g, "show sysctl kern.kmem_writable");
	vkh_test_expect(g, "^kern\\.kmem_writable: 1$", T);
	command(g, "w debugger_on_panic 0");
	vkh_test_expect(g, "^debugger_on_panic\t\t0x1\t=\t0$", T);
	command(g, "x/d debugger_on_panic");
	vkh_test_expect(g, "^debugger_on_panic:\t0$", T);
	command(g, "show sysctl debug.debugger_on_panic");
	vkh_test_expect(g, "^debug\\.debugger_on_panic: 0$", T);
	/* Text stays read-only even so. */
	command(g, "w/b kern_boot 0");
	vkh_test_expect(g, "^Cannot write memory at 0x", T);
	command(g, "c");
	vkh_test_expect(g, RESTARTED, T);
	/* With debugger_on_panic 0, a panic does not stop in ddb. */
	command(g, "abort");
	vkh_test_expect(g, "^panic: Root mount failed, startup aborted\\.$", T);
	expect_not(g, "syncing disks", "^db> ");
	ws = vkh_test_wait_exit(g, 15);
	cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 33, "status %#x", ws);
}

Test(ddb, abort_at_mountroot_panics_into_ddb)
{
	struct vkh_guest *g = boot("2", false);
	int ws;

	command(g, "abort");
	vkh_test_expect(g, "^panic: Root mount failed, startup aborted\\.$", T);
	vkh_test_expect(g, "^cpuid = 0$", T);
	vkh_test_expect(g, "^Debugger\\(\"panic\"\\)$", T);
	vkh_test_expect(g, "^CPU0 stopping CPUs: 0x00000002$", T);
	vkh_test_expect(g, "^ stopped$", T);
	vkh_test_expect(g, "^db> ", T);
	command(g, "trace");
	vkh_test_expect(g, "^panic\\(\\) at panic\\+0x", T);
	vkh_test_expect(g, "^vfs_mountroot\\(\\) at vfs_mountroot\\+0x", T);
	vkh_test_expect(g, "^db> ", T);
	command(g, "continue");
	vkh_test_expect(g, "^CPU0 restarting CPUs: 0x00000002$", T);
	vkh_test_expect(g, RESTARTED, T);
	vkh_test_expect_text(g, "syncing disks... done", T);
	ws = vkh_test_wait_exit(g, 15);
	cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 33, "status %#x", ws);
}

Test(ddb, panic_typed_in_ddb_nests_and_exits_33)
{
	struct vkh_guest *g = boot("2", false);
	int ws;

	enter(g);
	command(g, "panic");
	vkh_test_expect(g, "^panic: from debugger$", T);
	vkh_test_expect(g, "^Debugger\\(\"panic\"\\)$", T);
	vkh_test_expect(g, "^db> ", T);
	command(g, "ps");
	vkh_test_expect_text(g, "CURTHREAD intr", T);
	command(g, "c");
	vkh_test_expect_text(g, "syncing disks... done", T);
	ws = vkh_test_wait_exit(g, 15);
	cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 33, "status %#x", ws);
}
