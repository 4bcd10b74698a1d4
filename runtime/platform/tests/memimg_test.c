/*
 * memimg_test.c - unit tests of the memory image: automatic naming in
 * $VKERNEL_DIR, skipping images other kernels hold, -i with and without
 * -m, the size rule for an existing file, and leaving no file behind
 * when setup fails.
 */
#include <errno.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sysexits.h>

#include "runtime/platform/tests/platform_test.h"

static char *dir;    /* scratch directory, also $VKERNEL_DIR */
static char *report; /* what vk_report() printed */
static size_t report_len;
static FILE *report_fp;
static struct vk_options opts;
static struct vk_host host;

static void
setup(void)
{
	dir = scratch_dir();
	cr_assert_eq(setenv(VK_MEMIMG_DIR_ENV, dir, 1), 0);
	report_fp = report_capture(&report, &report_len);
	memset(&opts, 0, sizeof(opts));
	opts.ncpus = 2;
	opts.memsize = 64ULL << 20;
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

TestSuite(memimg, .init = setup, .fini = teardown, .timeout = 30);

static const char *
in_dir(const char *name)
{
	return (path_in(dir, name));
}

static void
assert_using(const char *path)
{
	char want[4200];

	snprintf(want, sizeof(want), "Using memory file: %s\n", path);
	cr_assert_not_null(strstr(report, want), "report: %s", report);
}

Test(memimg, first_name_is_memimg_000000)
{
	const char *path = in_dir("memimg.000000");

	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), 0, "%s", report);
	cr_assert_str_eq(host.mem.path, path);
	cr_assert_eq(host.mem.size, 64ULL << 20);
	cr_assert_eq(file_size(path), 64LL << 20);
	cr_assert_not_null(host.mem.base);
	assert_using(path);
	/* The mapping is the file: a store shows through a read(2). */
	memcpy(host.mem.base, "phys", 4);
	{
		char buf[8];

		cr_assert_eq(read_file(path, buf, 5), 4);
		cr_assert_str_eq(buf, "phys");
	}
	/* Held while we run. */
	cr_assert(!lockable(path));
	cr_assert(fcntl(host.mem.fd, F_GETFD) & FD_CLOEXEC);
	vk_host_release(&host);
	/* The image stays for the next kernel, unlocked. */
	cr_assert_eq(file_size(path), 64LL << 20);
	cr_assert(lockable(path));
}

Test(memimg, skips_an_image_another_kernel_holds)
{
	const char *first = in_dir("memimg.000000");
	int fd;

	make_file(first, 96LL << 20, "in use");
	fd = hold_lock(first);
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), 0, "%s", report);
	cr_assert_str_eq(host.mem.path, in_dir("memimg.000001"));
	assert_using(in_dir("memimg.000001"));
	/* The held image is untouched. */
	cr_assert_eq(file_size(first), 96LL << 20);
	close(fd);
}

Test(memimg, skips_images_held_by_other_processes)
{
	const char *first = in_dir("memimg.000000");
	const char *second = in_dir("memimg.000001");
	int ready[2];
	pid_t child;
	char c;

	make_file(first, 0, NULL);
	make_file(second, 0, NULL);
	cr_assert_eq(pipe(ready), 0);
	if ((child = fork()) == 0) {
		int a = open(first, O_RDONLY), b = open(second, O_RDONLY);

		if (flock(a, LOCK_EX) != 0 || flock(b, LOCK_EX) != 0)
			_exit(1);
		(void)write(ready[1], "x", 1);
		pause();
		_exit(0);
	}
	cr_assert_gt(child, 0);
	cr_assert_eq(read(ready[0], &c, 1), 1);
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), 0, "%s", report);
	cr_assert_str_eq(host.mem.path, in_dir("memimg.000002"));
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

Test(memimg, reuses_a_free_image_and_discards_its_contents)
{
	const char *first = in_dir("memimg.000000");

	make_file(first, 128LL << 20, "old contents");
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), 0, "%s", report);
	cr_assert_str_eq(host.mem.path, first);
	cr_assert_eq(file_size(first), 64LL << 20);
	cr_assert_eq(memcmp(host.mem.base, "\0\0\0\0", 4), 0);
	cr_assert_eq(count_entries(dir), 1);
}

Test(memimg, missing_directory_is_refused)
{
	const char *missing = in_dir("no-such-dir");

	cr_assert_eq(setenv(VK_MEMIMG_DIR_ENV, missing, 1), 0);
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_CANTCREAT);
	cr_assert_not_null(strstr(report, missing), "%s", report);
	cr_assert_not_null(strstr(report, "does not exist"));
	cr_assert_eq(count_entries(dir), 0);
	cr_assert_eq(host.mem.fd, -1);
}

Test(memimg, default_directory_is_var_vkernel)
{
	struct stat st;

	if (stat(VK_MEMIMG_DIR, &st) == 0)
		cr_skip_test("%s exists here: the test would use it",
		    VK_MEMIMG_DIR);
	cr_assert_eq(unsetenv(VK_MEMIMG_DIR_ENV), 0);
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_CANTCREAT);
	cr_assert_not_null(strstr(report, "/var/vkernel does not exist"), "%s",
	    report);
}

Test(memimg, unwritable_directory_is_refused)
{
	/* Root ignores file modes: drop to nobody (teardown takes it back). */
	cr_assert_eq(chmod(dir, 0555), 0);
	if (geteuid() == 0 && seteuid(65534) != 0)
		cr_skip_test("running as root and cannot drop to uid 65534");
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_NOPERM, "%s",
	    report);
	cr_assert_not_null(strstr(report, in_dir("memimg.000000")));
	cr_assert_not_null(strstr(report, "Permission denied"));
}

Test(memimg, auto_name_needs_a_size)
{
	opts.memsize = 0;
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_USAGE);
	cr_assert_not_null(strstr(report, "Cannot create new memory file"));
	cr_assert_not_null(strstr(report,
	    "unless system memory size is specified with -m"));
	cr_assert_eq(count_entries(dir), 0);
}

Test(memimg, named_image_is_created_with_m)
{
	opts.memimg = in_dir("mem.img");
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), 0, "%s", report);
	cr_assert_str_eq(host.mem.path, opts.memimg);
	cr_assert_eq(file_size(opts.memimg), 64LL << 20);
	assert_using(opts.memimg);
	cr_assert_eq(count_entries(dir), 1);
}

Test(memimg, named_image_missing_without_m_is_refused)
{
	char want[4200];

	opts.memsize = 0;
	opts.memimg = in_dir("mem.img");
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_USAGE);
	snprintf(want, sizeof(want),
	    "kernel: Cannot create new memory file "
	    "%s unless system memory size is specified with -m\n",
	    opts.memimg);
	cr_assert_str_eq(report, want);
	cr_assert_eq(count_entries(dir), 0);
}

Test(memimg, existing_named_image_gives_the_size)
{
	opts.memsize = 0;
	opts.memimg = in_dir("mem.img");
	make_file(opts.memimg, 96LL << 20, "stale");
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), 0, "%s", report);
	cr_assert_eq(host.mem.size, 96ULL << 20);
	cr_assert_eq(file_size(opts.memimg), 96LL << 20);
	cr_assert_eq(memcmp(host.mem.base, "\0\0\0\0\0", 5), 0);
}

Test(memimg, m_overrides_the_size_of_an_existing_image)
{
	opts.memimg = in_dir("mem.img");
	make_file(opts.memimg, 96LL << 20, NULL);
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), 0, "%s", report);
	cr_assert_eq(file_size(opts.memimg), 64LL << 20);
}

Test(memimg, existing_image_of_a_bad_size_is_refused_unchanged)
{
	static const off_t sizes[] = { 0, 62LL << 20, (64LL << 20) + 4096,
		65LL << 20 };
	char buf[16];
	size_t i;

	opts.memsize = 0;
	opts.memimg = in_dir("mem.img");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		make_file(opts.memimg, sizes[i], sizes[i] ? "keep me" : NULL);
		cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_DATAERR,
		    "size %jd", (intmax_t)sizes[i]);
		cr_assert_not_null(strstr(report, opts.memimg));
		cr_assert_not_null(strstr(report, "64MB minimum"));
		cr_assert_eq(file_size(opts.memimg), sizes[i]);
		if (sizes[i] != 0) {
			read_file(opts.memimg, buf, 8);
			cr_assert_str_eq(buf, "keep me");
		}
		cr_assert(lockable(opts.memimg));
	}
}

Test(memimg, named_image_in_use_is_refused_unchanged)
{
	int fd;

	opts.memimg = in_dir("mem.img");
	make_file(opts.memimg, 96LL << 20, NULL);
	fd = hold_lock(opts.memimg);
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_TEMPFAIL);
	cr_assert_not_null(strstr(report, "already in use"));
	cr_assert_not_null(strstr(report, opts.memimg));
	cr_assert_eq(file_size(opts.memimg), 96LL << 20);
	close(fd);
}

Test(memimg, named_image_in_a_missing_directory)
{
	opts.memimg = in_dir("nodir/mem.img");
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_CANTCREAT);
	cr_assert_not_null(strstr(report, opts.memimg));
	cr_assert_eq(count_entries(dir), 0);
}

Test(memimg, named_image_that_is_a_directory)
{
	opts.memimg = dir;
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_DATAERR);
	cr_assert_not_null(strstr(report, dir));
}

Test(memimg, created_image_is_removed_when_setup_fails_later)
{
	int fd;

	opts.pidfile = in_dir("kernel.pid");
	make_file(opts.pidfile, 0, "4242\n");
	fd = hold_lock(opts.pidfile);
	/* Auto-named ... */
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_TEMPFAIL);
	cr_assert_eq(access(in_dir("memimg.000000"), F_OK), -1);
	/* ... and named. */
	opts.memimg = in_dir("mem.img");
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_TEMPFAIL);
	cr_assert_eq(access(opts.memimg, F_OK), -1);
	cr_assert_eq(count_entries(dir), 1);
	close(fd);
}

Test(memimg, existing_image_is_kept_when_setup_fails_later)
{
	int fd;

	opts.memimg = in_dir("mem.img");
	make_file(opts.memimg, 96LL << 20, "keep");
	opts.pidfile = in_dir("kernel.pid");
	make_file(opts.pidfile, 0, NULL);
	fd = hold_lock(opts.pidfile);
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_TEMPFAIL);
	cr_assert_eq(file_size(opts.memimg), 96LL << 20);
	cr_assert_not_null(strstr(report, "Failed to lock pidfile"));
	cr_assert_null(strstr(report, "Using memory file"));
	close(fd);
}

Test(memimg, too_large_to_create)
{
	/* More than the file system allows (ext4: 16 TiB, tmpfs: more). */
	opts.memsize = INT64_MAX & ~((2ULL << 20) - 1);
	opts.memimg = in_dir("mem.img");
	{
		int error = vk_host_setup(&opts, 0, NULL, &host);

		cr_assert(error == EX_IOERR || error == EX_OSERR,
		    "error %d: %s", error, report);
	}
	cr_assert_eq(access(opts.memimg, F_OK), -1);
}
