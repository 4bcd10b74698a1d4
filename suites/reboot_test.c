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
#include "suites/guest_iso.h"

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

/* --- reboot(2) from a guest program ---------------------------------- */

/* A cd9660 image whose inits stop the kernel three ways. */
static char iso_dir[] = "/tmp/vk-reboot.XXXXXX";
static char iso[300];

static void
make_iso(void)
{
	guest_iso(iso_dir,
	    "for n in reboot_init halt_init poweroff_init usr2_init; do "
	    "cp $g/reboot_init $r/sbin/$n; done",
	    "r.iso", iso, sizeof(iso));
}

static void
remove_iso(void)
{
	vkh_test_end();
	guest_iso_remove(iso_dir);
}

TestSuite(reboot_syscall, .init = make_iso, .fini = remove_iso, .timeout = 60);

static struct vkh_guest *
boot_init(const char *init)
{
	static char kenv[64];

	snprintf(kenv, sizeof(kenv), "init_path=/sbin/%s", init);
	return (vkh_test_boot(&(struct vkh_boot_spec) { .until = "banner",
	    .args = { "-c", iso, "-e", kenv, NULL } }));
}

Test(reboot_syscall, reboot_reexecutes_the_kernel_in_the_same_process)
{
	struct vkh_guest *g = boot_init("reboot_init");

	vkh_test_expect(g, "^reboot_init: pid 1 asks the kernel", T);
	vkh_test_expect(g, "^syncing disks\\.\\.\\. done", T);
	vkh_test_expect(g, "^Rebooting\\.\\.\\.", T);
	vkh_test_expect(g, BANNER_RE, T);
	vkh_test_expect(g, "^reboot_init: pid 1 asks the kernel", T);
	cr_assert_geq(banners(g), 2);
	/* The same process throughout: the harness still holds its pid. */
	cr_assert_eq(kill(vkh_pid(g), 0), 0);
	cr_assert_null(strstr(vkh_transcript(g), "reboot(2) returned"));
	vkh_test_signal(g, SIGKILL);
}

/* Halt and power off both end the process with status 0, no reboot. */
static void
stops_with_0(const char *init)
{
	struct vkh_guest *g = boot_init(init);
	int ws;

	vkh_test_expect(g, "asks the kernel", T);
	vkh_test_expect(g, "^The operating system has halted\\.", T);
	ws = vkh_test_wait_exit(g, T);
	cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "%s: %#x", init, ws);
	cr_assert_eq(banners(g), 1, "%s must not reboot", init);
}

Test(reboot_syscall, halt_exits_0)
{
	stops_with_0("halt_init");
}

Test(reboot_syscall, power_off_exits_0)
{
	stops_with_0("poweroff_init");
}

/* SIGTERM from the host reaches init as SIGUSR2 when init catches it. */
Test(reboot_syscall, sigterm_is_sigusr2_to_an_init_that_catches_it)
{
	struct vkh_guest *g = boot_init("usr2_init");
	int ws;

	vkh_test_expect(g, "^usr2_init: waiting for SIGUSR2", T);
	vkh_test_signal(g, SIGTERM);
	vkh_test_expect(g, "^Caught SIGTERM from host system", T);
	vkh_test_expect(g, "^usr2_init: SIGUSR2, powering off", T);
	vkh_test_expect(g, "^The operating system has halted\\.", T);
	ws = vkh_test_wait_exit(g, T);
	cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "%#x", ws);
}
