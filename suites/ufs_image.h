/*
 * ufs_image.h - what the suites that boot a UFS root share
 * (suites/ufs_image.c): host commands, the master image made by
 * scripts/mkimage.sh, and checking an image with the host's fsck_ufs.
 */
#ifndef SUITES_UFS_IMAGE_H
#define SUITES_UFS_IMAGE_H

#include <limits.h>
#include <stddef.h>

/* Where the suite's image lives and where the tools were built. */
struct ufs_image {
	char dir[256];	       /* a temporary directory of the suite's */
	char master[PATH_MAX]; /* dir/rootimg.01, made by mkimage.sh */
	char bin[PATH_MAX];    /* the tools, beside the test program */
	char top[PATH_MAX];    /* the top of the tree */
};

/*
 * Runs a host shell command (printf-style); returns its exit status
 * (128 when it did not exit) and, when out is not NULL, its output in
 * *out (to free).  Fails the test when it cannot run it.
 */
int ufs_host(char **out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * For a suite's .init: skips the suite without /dev/fuse or busybox,
 * then makes ui->dir (from the template prefix, e.g. "/tmp/vk-disks"),
 * a vn registry of its own (VN_DIR, so suites may run side by side), and
 * the master image with scripts/mkimage.sh -s 64m.
 */
void ufs_image_setup(struct ufs_image *ui, const char *prefix);
/* For a suite's .fini: removes ui->dir. */
void ufs_image_teardown(struct ufs_image *ui);

/*
 * The host's fsck_ufs finds nothing on image (-n: exit 0, no question,
 * not modified) and the clean flag is set (-p says "clean").
 */
void ufs_expect_fsck_clean(const struct ufs_image *ui, const char *image);

#endif /* SUITES_UFS_IMAGE_H */
