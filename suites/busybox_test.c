/*
 * busybox_test.c - unmodified busybox-static (Debian's) as process 1 on a
 * cd9660 root: the shell comes up on the console and runs commands and
 * programs, each checked through the engine's command markers (output and
 * exit status).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/vkh.h"
#include "suites/guest_iso.h"

static char dir[] = "/tmp/vk-busybox.XXXXXX";
static char iso[300];

static void
setup(void)
{
	if (access("/bin/busybox", X_OK) != 0)
		cr_skip_test("no /bin/busybox (Debian busybox-static)");
	guest_iso(dir,
	    "mkdir -p $r/bin $r/etc $r/proc; cp $b $r/bin/busybox; "
	    "for a in sh echo ls cat uname expr mount umount ps free readlink date "
	    "sleep kill; "
	    "do ln -s busybox $r/bin/$a; done; "
	    "printf 'root:x:0:0:root:/:/bin/sh\\n' >$r/etc/passwd",
	    "bb.iso", iso, sizeof(iso));
}

static void
teardown(void)
{
	vkh_test_end();
	guest_iso_remove(dir);
}

TestSuite(busybox, .init = setup, .fini = teardown, .timeout = 60);

static struct vkh_guest *
boot_shell(void)
{
	return (vkh_test_boot(&(struct vkh_boot_spec) {
	    .profile = "suites/busybox.profile",
	    .images = { iso } }));
}

Test(busybox, shell_runs_commands_with_status)
{
	struct vkh_guest *g = boot_shell();
	char *out;
	int st;

	out = vkh_test_run(g, "echo hello $((6 * 7))", 10, &st);
	cr_assert_str_eq(out, "hello 42\n");
	cr_assert_eq(st, 0);
	free(out);
	out = vkh_test_run(g, "false", 10, &st);
	cr_assert_eq(st, 1);
	free(out);
	vkh_test_shutdown(g);
}

Test(busybox, programs_pipelines_and_files)
{
	struct vkh_guest *g = boot_shell();
	char *out;
	int st;

	/* ls, cat, uname and expr are separate processes: fork + execve. */
	out = vkh_test_run(g, "ls /bin", 10, &st);
	cr_assert_eq(st, 0);
	cr_assert_not_null(strstr(out, "busybox"), "%s", out);
	cr_assert_not_null(strstr(out, "uname"), "%s", out);
	free(out);
	out = vkh_test_run(g, "cat /etc/passwd", 10, &st);
	cr_assert_str_eq(out, "root:x:0:0:root:/:/bin/sh\n");
	free(out);
	out = vkh_test_run(g, "uname -s -m", 10, &st);
	cr_assert_str_eq(out, "Vireo x86_64\n");
	free(out);
	/* busybox (glibc, no vDSO) reads the coarse realtime clock. */
	out = vkh_test_run(g, "expr $(date +%s) \\> 1700000000", 10, &st);
	cr_assert_str_eq(out, "1\n");
	free(out);
	out = vkh_test_run(g, "expr 2 + 3; echo pid=$$", 10, &st);
	cr_assert_str_eq(out, "5\npid=1\n");
	free(out);
	/* Pipelines: processes joined by pipes. */
	out = vkh_test_run(g, "cat /etc/passwd | cat | cat", 10, &st);
	cr_assert_str_eq(out, "root:x:0:0:root:/:/bin/sh\n");
	cr_assert_eq(st, 0);
	free(out);
	out = vkh_test_run(g, "echo one two | (read a b; echo $b $a)", 10, &st);
	cr_assert_str_eq(out, "two one\n");
	free(out);
	out = vkh_test_run(g, "cat /nope", 10, &st);
	cr_assert_neq(st, 0);
	cr_assert_not_null(strstr(out, "No such file"), "%s", out);
	free(out);
	vkh_test_shutdown(g);
}

Test(busybox, procfs_for_ps_free_and_mount)
{
	struct vkh_guest *g = boot_shell();
	char *out;
	int st;

	out = vkh_test_run(g, "mount -t proc proc /proc", 10, &st);
	cr_assert_eq(st, 0, "mount: %s", out);
	free(out);
	out = vkh_test_run(g, "cat /proc/mounts", 10, &st);
	cr_assert_not_null(strstr(out, "vcd0 / cd9660 ro 0 0\n"), "%s", out);
	cr_assert_not_null(strstr(out, "devfs /dev devfs rw 0 0\n"), "%s", out);
	cr_assert_not_null(strstr(out, "proc /proc proc ro 0 0\n"), "%s", out);
	free(out);
	out = vkh_test_run(g, "ps", 10, &st);
	cr_assert_eq(st, 0);
	cr_assert_not_null(strstr(out, "    1 "), "init in ps: %s", out);
	free(out);
	out = vkh_test_run(g, "free", 10, &st);
	/* -m 128m: 134217728 bytes, 131072 KiB. */
	cr_assert_not_null(strstr(out, "131072"), "%s", out);
	free(out);
	out = vkh_test_run(g, "readlink /proc/self; cat /proc/1/comm", 10, &st);
	cr_assert_not_null(strstr(out, "\nsh\n"), "%s", out);
	free(out);
	out = vkh_test_run(g,
	    "umount /proc; ls /proc | wc -l 2>/dev/null; "
	    "cat /proc/mounts",
	    10, &st);
	cr_assert_neq(st, 0, "/proc/mounts is gone after umount: %s", out);
	free(out);
	vkh_test_shutdown(g);
}

/*
 * Job control at the shell: a background job, ^Z stopping the foreground
 * job (SIGTSTP to the terminal's foreground group), bg, and kill %1 of a
 * stopped or running job; sh says how each ended.
 */
Test(busybox, job_control_at_the_shell)
{
	struct vkh_guest *g = boot_shell();
	char *out;
	int st;

	cr_assert(!vkh_console_contains(g, "job control turned off"),
	    "busybox sh found no terminal for job control");
	out = vkh_test_run(g, "sleep 30 & jobs", 10, &st);
	cr_assert_not_null(strstr(out, "Running"), "%s", out);
	cr_assert_not_null(strstr(out, "sleep 30"), "%s", out);
	free(out);
	/* SIGKILL: the child may not have left the shell's ignored SIGTERM
	 * behind yet (it runs after the prompt comes back). */
	out = vkh_test_run(g, "kill -KILL %1; wait; jobs; echo gone", 10, &st);
	cr_assert_not_null(strstr(out, "gone"), "%s", out);
	free(out);
	/* The foreground job gets ^Z once it runs; the shell prompts. */
	cr_assert_eq(vkh_send(g, "sleep 20\r"), 0);
	usleep(500 * 1000);
	cr_assert_eq(vkh_send(g, "\x1a"), 0);
	vkh_test_expect(g, "Stopped +sleep 20", 10);
	out = vkh_test_run(g, "jobs", 10, &st);
	cr_assert_not_null(strstr(out, "Stopped"), "%s", out);
	free(out);
	out = vkh_test_run(g, "bg; jobs", 10, &st);
	cr_assert_not_null(strstr(out, "Running"), "%s", out);
	free(out);
	out = vkh_test_run(g, "kill %1; wait %1; echo status=$?", 10, &st);
	cr_assert_not_null(strstr(out, "status=143"), "%s", out);
	free(out);
	vkh_test_shutdown(g);
}
