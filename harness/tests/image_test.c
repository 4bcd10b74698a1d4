/*
 * image_test.c - copy-on-write image copies: the copy has the master's
 * size and bytes, keeps its holes, leaves the master untouched when the
 * copy is written, and refuses to overwrite an existing file.  The time
 * of a 64 MiB copy with 4 MiB of data is logged.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness/vkh.h"

static char dir[] = "/tmp/vkh-image-test.XXXXXX";
static char master[600], copy[600];

static void
setup(void)
{
	char block[65536];
	int fd, i;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(master, sizeof(master), "%s/master.img", dir);
	snprintf(copy, sizeof(copy), "%s/copy.img", dir);
	fd = open(master, O_RDWR | O_CREAT | O_TRUNC, 0644);
	cr_assert(fd >= 0);
	cr_assert(ftruncate(fd, 64 << 20) == 0);
	/* 4 MiB of data in four 1 MiB runs spread over the image. */
	for (i = 0; i < 64; i++) {
		memset(block, 'a' + i % 26, sizeof(block));
		cr_assert(pwrite(fd, block, sizeof(block),
			      (off_t)(i / 16) * (16 << 20) +
				  (off_t)(i % 16) * 65536) ==
		    (ssize_t)sizeof(block));
	}
	close(fd);
}

static void
teardown(void)
{
	unlink(copy);
	unlink(master);
	rmdir(dir);
}

TestSuite(image, .init = setup, .fini = teardown, .timeout = 60);

static int
files_equal(const char *a, const char *b)
{
	char cmd[1300];

	snprintf(cmd, sizeof(cmd), "cmp -s '%s' '%s'", a, b);
	return (system(cmd) == 0);
}

Test(image, copy_matches_and_keeps_holes)
{
	struct timespec t0, t1;
	struct stat ms, cs;
	int method = -1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(vkh_image_clone(master, copy, &method), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr_log_info("64 MiB image, 4 MiB data: %s copy in %.2f ms",
	    method == VKH_CLONE_REFLINK ? "reflink" : "sparse",
	    (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		(double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	cr_assert(stat(master, &ms) == 0 && stat(copy, &cs) == 0);
	cr_assert_eq(cs.st_size, 64 << 20);
	cr_assert(files_equal(master, copy));
	if (method == VKH_CLONE_SPARSE)
		cr_assert_leq(cs.st_blocks * 512, 5 << 20,
		    "the holes were filled: %lld bytes",
		    (long long)cs.st_blocks * 512);
}

Test(image, writing_the_copy_leaves_the_master_untouched)
{
	struct stat before, after;
	char before_sum[128], after_sum[128], cmd[700];
	FILE *p;
	int fd;

	snprintf(cmd, sizeof(cmd), "sha256sum < '%s'", master);
	cr_assert_not_null(p = popen(cmd, "r"));
	cr_assert_not_null(fgets(before_sum, sizeof(before_sum), p));
	pclose(p);
	stat(master, &before);
	cr_assert_eq(vkh_image_clone(master, copy, NULL), 0);
	fd = open(copy, O_RDWR);
	cr_assert(fd >= 0);
	cr_assert(pwrite(fd, "changed", 7, 0) == 7);
	cr_assert(pwrite(fd, "also in a hole", 14, 40 << 20) == 14);
	close(fd);
	cr_assert_not(files_equal(master, copy));
	cr_assert_not_null(p = popen(cmd, "r"));
	cr_assert_not_null(fgets(after_sum, sizeof(after_sum), p));
	pclose(p);
	stat(master, &after);
	cr_assert_str_eq(before_sum, after_sum, "the master changed");
	cr_assert_eq(before.st_mtim.tv_sec, after.st_mtim.tv_sec);
	cr_assert_eq(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
}

Test(image, errors_are_reported)
{
	cr_assert_eq(vkh_image_clone(master, copy, NULL), 0);
	cr_assert_eq(vkh_image_clone(master, copy, NULL), EEXIST);
	cr_assert_eq(vkh_image_clone("/nonexistent", "/tmp/x", NULL), ENOENT);
	cr_assert_eq(vkh_image_clone(dir, "/tmp/vkh-never", NULL), EINVAL);
}
