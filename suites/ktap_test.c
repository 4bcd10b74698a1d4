/*
 * ktap_test.c - guest-side test programs: a static musl program runs as
 * init on a cd9660 root, checks the kernel's system calls from inside and
 * prints KTAP; the harness turns each KTAP case into a result of its own.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/vkh.h"
#include "suites/guest_iso.h"

static char dir[] = "/tmp/vk-ktap.XXXXXX";
static char iso[300];

static void
setup(void)
{
	/* One image: the programs, and the files ktap_files looks at. */
	guest_iso(dir,
	    "cp $g/ktap_syscalls $r/sbin/init; "
	    "for p in ktap_files ktap_procs ktap_pipes ktap_signals "
	    "ktap_threads ktap_jobs ktap_smp ktap_vireo ktap_memory ktap_misc; do "
	    "cp $g/$p $r/sbin/$p; done; mkdir -p $r/etc $r/bin $r/d; "
	    "printf 'vireo motd\\n' >$r/etc/motd; "
	    "ln -s ../etc/motd $r/bin/motdlink; "
	    "echo a >$r/d/a; echo b >$r/d/b; echo c >$r/d/c",
	    "ktap.iso", iso, sizeof(iso));
}

static void
teardown(void)
{
	vkh_test_end();
	guest_iso_remove(dir);
}

TestSuite(ktap, .init = setup, .fini = teardown, .timeout = 60);

Test(ktap, syscalls_from_inside_the_guest)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .profile = "vireo",
	    .until = "banner",
	    .args = { "-c", iso, NULL } });

	vkh_test_expect(g, "^Mounting root from cd9660:vcd0", 10);
	vkh_test_ktap(g, 20);
	vkh_test_shutdown(g);
}

Test(ktap, file_system_calls_from_inside_the_guest)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .profile = "vireo",
	    .until = "banner",
	    .args = { "-c", iso, "-e", "init_path=/sbin/ktap_files", NULL } });

	vkh_test_expect(g, "^Mounting root from cd9660:vcd0", 10);
	vkh_test_ktap(g, 20);
	vkh_test_shutdown(g);
}

Test(ktap, processes_from_inside_the_guest)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .profile = "vireo",
	    .until = "banner",
	    .args = { "-c", iso, "-e", "init_path=/sbin/ktap_procs", NULL } });

	vkh_test_expect(g, "^Mounting root from cd9660:vcd0", 10);
	vkh_test_ktap(g, 30);
	vkh_test_shutdown(g);
}

Test(ktap, pipes_from_inside_the_guest)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .profile = "vireo",
	    .until = "banner",
	    .args = { "-c", iso, "-e", "init_path=/sbin/ktap_pipes", NULL } });

	vkh_test_expect(g, "^Mounting root from cd9660:vcd0", 10);
	vkh_test_ktap(g, 30);
	vkh_test_shutdown(g);
}

Test(ktap, signals_from_inside_the_guest)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .profile = "vireo",
	    .until = "banner",
	    .args = { "-c", iso, "-e", "init_path=/sbin/ktap_signals",
		NULL } });

	vkh_test_expect(g, "^Mounting root from cd9660:vcd0", 10);
	vkh_test_ktap(g, 30);
	vkh_test_shutdown(g);
}

Test(ktap, threads_from_inside_the_guest)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .profile = "vireo",
	    .until = "banner",
	    .args = { "-c", iso, "-e", "init_path=/sbin/ktap_threads",
		NULL } });

	vkh_test_expect(g, "^Mounting root from cd9660:vcd0", 10);
	vkh_test_ktap(g, 30);
	vkh_test_shutdown(g);
}

Test(ktap, job_control_from_inside_the_guest)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .profile = "vireo",
	    .until = "banner",
	    .args = { "-c", iso, "-e", "init_path=/sbin/ktap_jobs", NULL } });

	vkh_test_expect(g, "^Mounting root from cd9660:vcd0", 10);
	vkh_test_ktap(g, 30);
	cr_assert(!vkh_console_contains(g, "must not appear"));
	vkh_test_shutdown(g);
}

/* -n 2: two busy threads run at the same instant; -n 1: never. */
Test(ktap, two_cpus_run_two_threads_at_once)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .profile = "vireo",
	    .until = "banner",
	    .vars = { "ncpu=2" },
	    .args = { "-c", iso, "-e", "init_path=/sbin/ktap_smp", NULL } });

	vkh_test_expect(g, "^Mounting root from cd9660:vcd0", 10);
	vkh_test_ktap(g, 30);
	cr_assert(vkh_console_contains(g, "ncpu=2 "));
	vkh_test_shutdown(g);
}

Test(ktap, one_cpu_runs_one_thread_at_a_time)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .profile = "vireo",
	    .until = "banner",
	    .vars = { "ncpu=1" },
	    .args = { "-c", iso, "-e", "init_path=/sbin/ktap_smp", NULL } });

	vkh_test_expect(g, "^Mounting root from cd9660:vcd0", 10);
	vkh_test_ktap(g, 30);
	cr_assert(vkh_console_contains(g, "ncpu=1 "));
	vkh_test_shutdown(g);
}

/* The BSD world's calls: sysctl, kenv, sethostname, credentials. */
Test(ktap, sysctl_kenv_and_credentials_from_inside_the_guest)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .profile = "vireo",
	    .until = "banner",
	    .args = { "-c", iso, "-e", "init_path=/sbin/ktap_vireo", "-e",
		"ktap.answer=42", NULL } });

	vkh_test_expect(g, "^Mounting root from cd9660:vcd0", 10);
	vkh_test_ktap(g, 30);
	vkh_test_shutdown(g);
}

/* -m 64m: too much is refused, a hog is killed, the kernel goes on. */
Test(ktap, guest_memory_is_bounded_by_the_memory_size)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .profile = "vireo",
	    .until = "banner",
	    .vars = { "memory=64m" },
	    .args = { "-c", iso, "-e", "init_path=/sbin/ktap_memory", NULL } });

	vkh_test_expect(g, "^Mounting root from cd9660:vcd0", 10);
	vkh_test_ktap(g, 30);
	cr_assert(vkh_console_contains(g, "was killed: out of swap space"));
	vkh_test_shutdown(g);
}

Test(ktap, smaller_calls_from_inside_the_guest)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .profile = "vireo",
	    .until = "banner",
	    .args = { "-c", iso, "-e", "init_path=/sbin/ktap_misc", NULL } });

	vkh_test_expect(g, "^Mounting root from cd9660:vcd0", 10);
	vkh_test_ktap(g, 30);
	vkh_test_shutdown(g);
}

/* Unimplemented calls are counted (kern.nosys_calls) and, with -v, named. */
Test(ktap, unimplemented_calls_are_counted_and_named)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .profile = "vireo",
	    .until = "banner",
	    .args = { "-v", "-c", iso, NULL } });

	vkh_test_ktap(g, 20);
	/* ktap_syscalls calls syscall(999) once. */
	cr_assert(vkh_console_contains(g,
	    "pid 1 (init): system call 999 is "
	    "not implemented"));
	vkh_allow_debugger(g, true);
	cr_assert_eq(vkh_send(g, "\x1c"), 0);
	vkh_test_expect(g, "^db> ", 10);
	vkh_test_send(g, "show sysctl kern.nosys_calls");
	vkh_test_expect(g, "^kern\\.nosys_calls: [1-9][0-9]*", 10);
	vkh_test_send(g, "continue");
	vkh_test_expect(g, "restarted", 10);
	vkh_test_shutdown(g);
}
