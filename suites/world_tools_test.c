/*
 * world_tools_test.c - the guest's system tools (world/tools.mk) on a UFS
 * root made by scripts/mkimage.sh, with busybox sh as init
 * (suites/ufs.profile): sysctl reads, walks and writes the kernel's
 * variables with BSD's messages; kenv reads, sets and removes the kernel
 * environment; halt, reboot and shutdown take the kernel down (through
 * the reboot(2) fallback: sh as init ignores the signals); fsck checks
 * the read-only root in the guest and repairs it after a SIGKILL before
 * the root is remounted read-write.
 *
 * setup() makes the master image; its installworld puts the tools in
 * (world/install.sh runs world/install_tools.sh).  The guest runs every
 * tool by its full path, so that a busybox applet of the same name
 * (sysctl, halt, reboot, fsck) never stands in for it; mounts use
 * busybox's mount, whose remount the tests rely on.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness/vkh.h"
#include "suites/ufs_image.h"

#define T	  20
#define BANNER_RE "^Vireo [0-9][^ ]* #"
#define HALTED_RE "^The operating system has halted\\."

static struct ufs_image ui;


/* The master image, tools included. */
static void
setup(void)
{
	ufs_image_setup(&ui, "/tmp/vk-wtools");
}

static void
teardown(void)
{
	vkh_test_end();
	ufs_image_teardown(&ui);
}

TestSuite(world_tools, .init = setup, .fini = teardown, .timeout = 120);

static struct vkh_guest *
boot_image(const char *image)
{
	return (vkh_test_boot(&(struct vkh_boot_spec) {
	    .profile = "suites/ufs.profile",
	    .images = { image },
	    .args = { "-e", "vireo.test=hello", NULL } }));
}

/* Output of a guest command, with its exit status checked. */
static char *
run_st(struct vkh_guest *g, const char *cmd, int want)
{
	int st;
	char *out = vkh_test_run(g, cmd, T, &st);

	cr_assert_eq(st, want, "'%s' exited %d, not %d:\n%s", cmd, st, want,
	    out);
	return (out);
}

static void
expect_out(struct vkh_guest *g, const char *cmd, const char *want)
{
	char *out = run_st(g, cmd, 0);

	cr_assert_str_eq(out, want, "'%s' printed:\n%s\nnot:\n%s", cmd, out,
	    want);
	free(out);
}

/* The output of a successful command contains text. */
static void
expect_has(struct vkh_guest *g, const char *cmd, const char *text)
{
	char *out = run_st(g, cmd, 0);

	cr_assert_not_null(strstr(out, text), "'%s' lacks '%s':\n%s", cmd, text,
	    out);
	free(out);
}

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

/* Seconds since an arbitrary origin. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* Types cmd and checks that the kernel halts with status 0 in time. */
static double
expect_halt(struct vkh_guest *g, const char *cmd)
{
	double t0 = now();
	int ws;

	vkh_test_send(g, cmd);
	vkh_test_expect(g, HALTED_RE, T);
	ws = vkh_test_wait_exit(g, T);
	cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "'%s': %#x", cmd, ws);
	cr_assert_eq(banners(g), 1, "'%s' must not reboot", cmd);
	return (now() - t0);
}

/* Types cmd and checks that the kernel boots again to the shell. */
static void
expect_reboot(struct vkh_guest *g, const char *cmd)
{
	vkh_test_send(g, cmd);
	vkh_test_expect(g, "^Rebooting\\.\\.\\.", T);
	vkh_test_expect(g, BANNER_RE, T);
	vkh_test_expect(g, "^Mounting root from ufs:vkd0s0a", T);
	cr_assert_geq(banners(g), 2);
	/* The same kernel process throughout. */
	cr_assert_eq(kill(vkh_pid(g), 0), 0);
	vkh_test_signal(g, SIGKILL);
}

Test(world_tools, sysctl_reads_names_subtrees_and_everything)
{
	struct vkh_guest *g = boot_image(ui.master);

	expect_out(g, "/sbin/sysctl kern.ostype", "kern.ostype: Vireo\n");
	expect_out(g, "/sbin/sysctl -n kern.ostype hw.ncpu", "Vireo\n2\n");
	expect_out(g, "/sbin/sysctl -N kern.ostype", "kern.ostype\n");
	expect_out(g, "/sbin/sysctl -e hw.ncpu", "hw.ncpu=2\n");
	/* A subtree: only kern.* names, several, kern.ostype among them
	 * (the root is read-only: no files in /tmp). */
	expect_out(g,
	    "k=$(/sbin/sysctl -N kern); echo \"$k\" | grep -vc '^kern\\.'; "
	    "echo \"$k\" | grep -c '^kern\\.ostype$'; "
	    "[ $(echo \"$k\" | wc -l) -ge 3 ] && echo several; "
	    "/sbin/sysctl kern | grep '^kern\\.ostype: '",
	    "0\n1\nseveral\nkern.ostype: Vireo\n");
	/* -a: every top-level tree, the known names once each. */
	expect_out(g,
	    "a=$(/sbin/sysctl -a); "
	    "echo \"$a\" | grep -c -e '^kern\\.ostype: Vireo$' "
	    "-e '^hw\\.ncpu: 2$' -e '^kern\\.hostname: '; "
	    "echo \"$a\" | grep -q '^hw\\.' && echo hw; "
	    "echo \"$a\" | grep -q '^vm\\.' && echo vm",
	    "3\nhw\nvm\n");
	vkh_test_shutdown(g);
}

Test(world_tools, sysctl_sets_the_hostname_as_bsd_shows_it)
{
	struct vkh_guest *g = boot_image(ui.master);

	free(run_st(g, "/sbin/sysctl kern.hostname=vk0", 0));
	expect_out(g, "/sbin/sysctl kern.hostname=vk1",
	    "kern.hostname: vk0 -> vk1\n");
	expect_out(g, "uname -n; /sbin/sysctl -n kern.hostname", "vk1\nvk1\n");
	expect_out(g, "/sbin/sysctl -n kern.hostname=vk2", "vk1 -> vk2\n");
	expect_out(g, "hostname", "vk2\n");
	vkh_test_shutdown(g);
}

Test(world_tools, sysctl_errors_are_bsds)
{
	struct vkh_guest *g = boot_image(ui.master);

	expect_out(g,
	    "/sbin/sysctl hw.ncpu=4 2>&1; echo $?; /sbin/sysctl hw.ncpu",
	    "sysctl: oid 'hw.ncpu' is read only\n1\nhw.ncpu: 2\n");
	expect_out(g, "/sbin/sysctl no.such.oid 2>&1; echo $?",
	    "sysctl: unknown oid 'no.such.oid'\n1\n");
	expect_out(g, "/sbin/sysctl kern=1 2>&1; echo $?",
	    "sysctl: oid 'kern' isn't a leaf node\n1\n");
	expect_out(g, "/sbin/sysctl -i no.such.oid kern.ostype; echo $?",
	    "kern.ostype: Vireo\n0\n");
	expect_out(g, "/sbin/sysctl -q no.such.oid 2>&1; echo $?", "1\n");
	vkh_test_shutdown(g);
}

Test(world_tools, kenv_dumps_gets_sets_and_unsets)
{
	struct vkh_guest *g = boot_image(ui.master);

	/* The -e pair of the kernel's command line, in the dump. */
	expect_out(g, "/bin/kenv | grep '^vireo\\.'", "vireo.test=\"hello\"\n");
	expect_out(g, "/bin/kenv -N | grep -c '^init_path$'", "1\n");
	expect_out(g, "/bin/kenv vireo.test; /bin/kenv -v vireo.test",
	    "hello\nvireo.test=\"hello\"\n");
	expect_out(g, "/bin/kenv vireo.new=x; /bin/kenv vireo.new",
	    "vireo.new=\"x\"\nx\n");
	expect_out(g,
	    "/bin/kenv -u vireo.new; echo $?; /bin/kenv vireo.new 2>&1; "
	    "echo $?; /bin/kenv | grep -c vireo.new; true",
	    "0\nkenv: unable to get vireo.new\n255\n0\n");
	expect_out(g, "/bin/kenv -u vireo.new 2>&1; echo $?",
	    "kenv: unable to unset vireo.new\n255\n");
	expect_out(g, "/bin/kenv -q nothing.here; echo $?", "255\n");
	vkh_test_shutdown(g);
}

Test(world_tools, halt_exits_0_through_the_fallback)
{
	struct vkh_guest *g = boot_image(ui.master);
	double t = expect_halt(g, "/sbin/halt");

	/* sh as init ignores SIGUSR1: halt waited for it, then reboot(2). */
	cr_assert_geq(t, 4.0, "halt did not give init its time (%.1fs)", t);
	cr_assert(vkh_console_contains(g, "syncing disks"));
}

Test(world_tools, halt_q_calls_reboot_at_once)
{
	struct vkh_guest *g = boot_image(ui.master);
	double t = expect_halt(g, "/sbin/halt -q");

	cr_assert_lt(t, 4.0, "halt -q waited for init (%.1fs)", t);
}

Test(world_tools, halt_p_and_poweroff_exit_0)
{
	struct vkh_guest *g = boot_image(ui.master);

	expect_halt(g, "/sbin/halt -p -q");
	g = boot_image(ui.master);
	expect_halt(g, "/sbin/poweroff -q");
}

Test(world_tools, reboot_reexecutes_the_kernel)
{
	struct vkh_guest *g = boot_image(ui.master);

	expect_reboot(g, "/sbin/reboot");
}

Test(world_tools, reboot_q_reexecutes_the_kernel)
{
	struct vkh_guest *g = boot_image(ui.master);

	expect_reboot(g, "/sbin/reboot -q");
}

Test(world_tools, shutdown_h_now_warns_and_halts)
{
	struct vkh_guest *g = boot_image(ui.master);

	free(run_st(g, "/sbin/sysctl kern.hostname=vk1", 0));
	expect_halt(g, "/sbin/shutdown -h now going away");
	cr_assert(vkh_console_contains(g, "Shutdown NOW!"));
	cr_assert(vkh_console_contains(g, "shutdown: [pid "));
	cr_assert(vkh_console_contains(g,
	    "*** FINAL System shutdown message from root@vk1 ***"));
	cr_assert(vkh_console_contains(g, "System going down IMMEDIATELY"));
	cr_assert(vkh_console_contains(g, "going away"));
	cr_assert(vkh_console_contains(g, "System shutdown time has arrived"));
}

Test(world_tools, shutdown_r_now_reboots_and_k_only_warns)
{
	struct vkh_guest *g = boot_image(ui.master);

	/* -k: the warning, then nothing; the shell still answers. */
	expect_has(g, "/sbin/shutdown -k now 2>&1; sleep 1", "Shutdown NOW!");
	cr_assert(vkh_console_contains(g, "but you'll have to do it yourself"));
	expect_out(g, "echo still up", "still up\n");
	/* +N: "Shutdown at <time>.", and the first warning at once. */
	expect_has(g, "/sbin/shutdown -k +1 soon 2>&1; sleep 1",
	    "Shutdown at ");
	cr_assert(vkh_console_contains(g, "System going down in 1 minute\r"));
	cr_assert(vkh_console_contains(g, "soon"));
	expect_has(g, "/sbin/shutdown -x now 2>&1; echo $?", "usage: shutdown");
	expect_reboot(g, "/sbin/shutdown -r now");
}

Test(world_tools, fsck_checks_the_read_only_root_in_the_guest)
{
	struct vkh_guest *g = boot_image(ui.master);
	char *out;

	out = run_st(g, "/sbin/fsck -n /dev/vkd0s0a", 0);
	cr_assert_not_null(strstr(out, "** /dev/vkd0s0a (NO WRITE)"), "%s",
	    out);
	cr_assert_not_null(strstr(out, "** Phase 5 - Check Cyl groups"), "%s",
	    out);
	cr_assert_null(strstr(out, "MODIFIED"), "%s", out);
	cr_assert_null(strstr(out, "?"), "fsck asked something:\n%s", out);
	free(out);
	/* Preen from /etc/fstab (pass 1): the root is clean. */
	expect_has(g, "/sbin/fsck -p", "/dev/vkd0s0a: clean, ");
	expect_has(g, "/sbin/fsck_ufs -f -p /dev/vkd0s0a", " files, ");
	/* Mounted read-write, it is left alone. */
	free(run_st(g,
	    "busybox mount -t procfs proc /proc && busybox mount -o remount,rw /",
	    0));
	out = run_st(g, "/sbin/fsck -p /dev/vkd0s0a 2>&1", 8);
	cr_assert_not_null(strstr(out, "MOUNTED READ-WRITE"), "%s", out);
	free(out);
	vkh_test_shutdown(g);
}

Test(world_tools, fsck_p_repairs_the_root_after_a_sigkill)
{
	struct vkh_guest *g = boot_image(ui.master), *g2;
	char copy[PATH_MAX], *out;
	int st;

	free(run_st(g,
	    "busybox mount -t procfs proc /proc && busybox mount -o remount,rw /",
	    0));
	vkh_test_send(g,
	    "i=0; while :; do echo $i > /f$((i % 40)); "
	    "mkdir /d$i; rmdir /d$i; i=$((i + 1)); done &");
	usleep(700 * 1000);
	vkh_test_signal(g, SIGKILL);
	st = vkh_test_wait_exit(g, 10);
	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	snprintf(copy, sizeof(copy), "%s/killed.img", ui.dir);
	cr_assert_eq(ufs_host(NULL, "cp --sparse=always '%s' '%s'",
			 vkh_image(g, 0), copy),
	    0);

	g2 = boot_image(copy);
	cr_assert(vkh_console_contains(g2, "was not properly dismounted"));
	/*
	 * What rc does: fsck -p from /etc/fstab on the read-only root.  It
	 * repairs it; the kernel's copy of the root is stale now (it cannot
	 * reload a mount), so fsck says reboot (4) and rc reboots.
	 */
	out = run_st(g2,
	    "busybox mount -t procfs proc /proc && /sbin/fsck -p 2>&1", 4);
	cr_assert_null(strstr(out, "clean, "), "preen skipped it:\n%s", out);
	cr_assert_not_null(strstr(out, "/dev/vkd0s0a: "), "%s", out);
	free(out);
	vkh_test_send(g2, "/sbin/reboot -q");
	vkh_test_expect(g2, "^Rebooting\\.\\.\\.", T);
	vkh_test_expect(g2, BANNER_RE, T);
	vkh_test_expect(g2, "^Mounting root from ufs:vkd0s0a", T);
	vkh_test_expect(g2, "[#$] ", T);
	/* Clean now: no warning this time, preen skips it, rw is allowed. */
	out = strstr(vkh_transcript(g2), "was not properly dismounted");
	cr_assert_not_null(out);
	cr_assert_null(strstr(out + 1, "was not properly dismounted"));
	expect_has(g2, "/sbin/fsck -p", "/dev/vkd0s0a: clean, ");
	expect_out(g2,
	    "busybox mount -t procfs proc /proc && "
	    "busybox mount -o remount,rw / && grep ' / ' /proc/mounts && "
	    "echo after > /after && cat /after",
	    "vkd0s0a / ufs rw 0 0\nafter\n");
	vkh_test_shutdown(g2);
	/* The host's checker agrees: nothing left to fix. */
	st = ufs_host(&out, "%s/fsck_ufs -n '%s' 2>&1", ui.bin,
	    vkh_image(g2, 0));
	cr_assert_eq(st, 0, "%s", out);
	cr_assert_null(strstr(out, "?"), "after the guest's preen:\n%s", out);
	free(out);
}
