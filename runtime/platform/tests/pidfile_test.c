/*
 * pidfile_test.c - unit tests of the -p pidfile: written and held while
 * the kernel runs, a held pidfile refused and left byte for byte as it
 * was, removed on release, and what happens around failures.
 */
#include <sysexits.h>

#include "runtime/platform/tests/platform_test.h"

static char *dir;
static char pidfile[4096];
static char *report;
static size_t report_len;
static struct vk_options opts;
static struct vk_host host;

static void
setup(void)
{
	dir = scratch_dir();
	cr_assert_eq(setenv(VK_MEMIMG_DIR_ENV, dir, 1), 0);
	(void)report_capture(&report, &report_len);
	snprintf(pidfile, sizeof(pidfile), "%s/kernel.pid", dir);
	memset(&opts, 0, sizeof(opts));
	opts.ncpus = 2;
	opts.memsize = 64ULL << 20;
	opts.pidfile = pidfile;
	host.mem.fd = -1;
	host.pidfile_fd = -1;
}

static void
teardown(void)
{
	if (getuid() == 0)
		(void)seteuid(0);
	vk_host_release(&host);
	scratch_remove(dir);
}

TestSuite(pidfile, .init = setup, .fini = teardown, .timeout = 30);

static void
assert_holds_our_pid(void)
{
	char buf[64], want[32];

	snprintf(want, sizeof(want), "%ld\n", (long)getpid());
	cr_assert_gt(read_file(pidfile, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, want);
	cr_assert(!lockable(pidfile));
	cr_assert_geq(host.pidfile_fd, 0);
	cr_assert(fcntl(host.pidfile_fd, F_GETFD) & FD_CLOEXEC);
}

Test(pidfile, written_and_locked_while_running)
{
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), 0, "%s", report);
	assert_holds_our_pid();
	cr_assert_str_eq(host.pidfile_path, pidfile);
}

Test(pidfile, stale_pidfile_is_replaced)
{
	make_file(pidfile, 0, "99999999\nleftover text of a longer file\n");
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), 0, "%s", report);
	assert_holds_our_pid();
}

Test(pidfile, held_pidfile_is_refused_and_unchanged)
{
	static const char old[] = "4242\n";
	struct stat before, after;
	char buf[64], want[4200];
	int fd;

	make_file(pidfile, 0, old);
	cr_assert_eq(stat(pidfile, &before), 0);
	fd = hold_lock(pidfile);
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_TEMPFAIL);
	snprintf(want, sizeof(want),
	    "kernel: Failed to lock pidfile %s, vkernel already running\n",
	    pidfile);
	cr_assert_str_eq(report, want);
	cr_assert_eq(read_file(pidfile, buf, sizeof(buf)), 5);
	cr_assert_str_eq(buf, old);
	cr_assert_eq(stat(pidfile, &after), 0);
	cr_assert_eq(after.st_ino, before.st_ino);
	cr_assert_eq(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
	cr_assert_eq(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
	/* Nothing else was left: no memory image either. */
	cr_assert_eq(count_entries(dir), 1);
	cr_assert_eq(host.pidfile_fd, -1);
	/* Releasing after a failure removes nothing. */
	vk_host_release(&host);
	cr_assert_eq(access(pidfile, F_OK), 0);
	close(fd);
}

Test(pidfile, release_removes_it)
{
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), 0, "%s", report);
	vk_host_release(&host);
	cr_assert_eq(access(pidfile, F_OK), -1);
	cr_assert_eq(host.pidfile_fd, -1);
	/* Twice is harmless, and leaves a new kernel's pidfile alone. */
	make_file(pidfile, 0, "1\n");
	vk_host_release(&host);
	cr_assert_eq(access(pidfile, F_OK), 0);
}

Test(pidfile, second_kernel_after_release)
{
	struct vk_host other;

	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), 0, "%s", report);
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &other), EX_TEMPFAIL);
	vk_host_release(&host);
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &other), 0, "%s", report);
	host = other;
	assert_holds_our_pid();
}

Test(pidfile, missing_directory)
{
	snprintf(pidfile, sizeof(pidfile), "%s/nodir/kernel.pid", dir);
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_CANTCREAT);
	cr_assert_not_null(strstr(report, "Failed to create pidfile"));
	cr_assert_not_null(strstr(report, pidfile));
	/* The memory image made before the pidfile was removed again. */
	cr_assert_eq(count_entries(dir), 0);
}

Test(pidfile, a_directory_is_refused)
{
	snprintf(pidfile, sizeof(pidfile), "%s", dir);
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_CANTCREAT);
	cr_assert_not_null(strstr(report, pidfile));
	cr_assert_eq(count_entries(dir), 0);
}

Test(pidfile, not_a_regular_file_is_refused)
{
	cr_assert_eq(mkfifo(pidfile, 0644), 0);
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_CANTCREAT);
	cr_assert_not_null(strstr(report, "is not a regular file"));
	cr_assert_eq(count_entries(dir), 1);
}

Test(pidfile, unwritable_pidfile_is_refused)
{
	bool created = true;

	make_file(pidfile, 0, "old\n");
	cr_assert_eq(chmod(pidfile, 0444), 0);
	if (geteuid() == 0 && seteuid(65534) != 0)
		cr_skip_test("running as root and cannot drop to uid 65534");
	/* The pidfile step alone: nobody cannot make a memory image here. */
	cr_assert_eq(vk_pidfile_open(pidfile, &host.pidfile_fd, &created),
	    EX_NOPERM);
	cr_assert(!created);
	cr_assert_not_null(strstr(report, "Permission denied"));
	{
		char buf[16];

		cr_assert_eq(read_file(pidfile, buf, sizeof(buf)), 4);
		cr_assert_str_eq(buf, "old\n");
	}
	cr_assert_eq(host.pidfile_fd, -1);
}
