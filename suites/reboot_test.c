/*
 * reboot_test.c - reboot and halt: "reset" in the debugger re-executes
 * the kernel in the same process (the banner twice), and a panic with
 * debug.debugger_on_panic=0 syncs and halts with status 33.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "harness/vkh.h"

#define T	  10
#define BANNER_RE "^Vireo 0\\.1-DEVELOPMENT #"

TestSuite(reboot, .fini = vkh_test_end, .timeout = 60);

/* Counts the banners on the console so far. */
static int
banners(struct vkh_guest *g)
{
	const char *p = vkh_transcript(g);
	int n = 0;

	while ((p = strstr(p, "Vireo 0.1-DEVELOPMENT #")) != NULL) {
		n++;
		p++;
	}
	return (n);
}

Test(reboot, reset_reexecutes_the_kernel)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) { 0 });
	const char *m;
	int td = 0, ws;

	vkh_allow_debugger(g, true);
	cr_assert_eq(banners(g), 1);
	cr_assert_eq(vkh_send(g, "\x1c"), 0);
	vkh_test_expect(g, "^db> ", T);
	vkh_test_send(g, "reset");
	vkh_test_expect(g, "^cpu reset, rebooting vkernel$", T);
	vkh_test_expect(g, BANNER_RE, T); /* the second time in this run */
	vkh_test_expect(g, "^mountroot> ", T);
	cr_assert_eq(banners(g), 2);
	/* The same process, booted again; ddb works in it too. */
	cr_assert_eq(vkh_send(g, "\x1c"), 0);
	vkh_test_expect(g, "CAUGHT SIG 3 RIP [0-9a-f]+ RSP [0-9a-f]+ TD [0-9]+",
	    T);
	m = strstr(vkh_match(g), "CAUGHT");
	cr_assert_eq(sscanf(m, "CAUGHT SIG 3 RIP %*x RSP %*x TD %d", &td), 1);
	cr_assert_eq(td, vkh_pid(g));
	vkh_test_expect(g, "^db> ", T);
	vkh_test_send(g, "c");
	vkh_test_expect(g, "^ restarted$", T);
	vkh_test_signal(g, SIGTERM);
	ws = vkh_test_wait_exit(g, T);
	cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "status %#x", ws);
}

/* With debug.debugger_on_panic=0 a panic syncs and exits 33. */
Test(reboot, panic_without_debugger_halts_with_33)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .args = { "-e", "debug.debugger_on_panic=0" } });
	int ws;

	vkh_test_send(g, "abort");
	vkh_test_expect(g, "^panic: Root mount failed, startup aborted\\.$", T);
	ws = vkh_test_wait_exit(g, T);
	cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 33, "status %#x", ws);
	cr_assert_not(vkh_console_contains(g, "db> "), "entered the debugger");
	cr_assert(vkh_console_contains(g, "syncing disks... done"));
}
