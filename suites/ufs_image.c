/*
 * ufs_image.c - the UFS root image of the disk and world suites (see
 * ufs_image.h).
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "suites/ufs_image.h"

int
ufs_host(char **out, const char *fmt, ...)
{
	char cmd[4 * PATH_MAX + 1024], *buf, *bigger;
	size_t len = 0, cap = 4096;
	va_list ap;
	FILE *f;
	int c, st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	cr_assert_not_null(f = popen(cmd, "r"));
	cr_assert_not_null(buf = malloc(cap));
	while ((c = fgetc(f)) != EOF) {
		if (len + 1 >= cap) {
			cr_assert_not_null(bigger = realloc(buf, cap *= 2));
			buf = bigger;
		}
		buf[len++] = (char)c;
	}
	buf[len] = '\0';
	st = pclose(f);
	if (out != NULL)
		*out = buf;
	else
		free(buf);
	return (WIFEXITED(st) ? WEXITSTATUS(st) : 128);
}

void
ufs_image_setup(struct ufs_image *ui, const char *prefix)
{
	char self[PATH_MAX], obj[PATH_MAX], probe[PATH_MAX + 32], *out = NULL;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (access("/dev/fuse", R_OK | W_OK) != 0 ||
	    access("/bin/busybox", X_OK) != 0)
		cr_skip_test("needs /dev/fuse (mount_ufs) and busybox-static");
	cr_assert_gt(n, 0);
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	snprintf(ui->bin, sizeof(ui->bin), "%s", self);
	/* The top of the tree: where scripts/mkimage.sh is, above bin. */
	snprintf(ui->top, sizeof(ui->top), "%s", self);
	for (;;) {
		snprintf(probe, sizeof(probe), "%s/scripts/mkimage.sh",
		    ui->top);
		if (access(probe, X_OK) == 0)
			break;
		cr_assert_not_null(strrchr(ui->top, '/'),
		    "no scripts/mkimage.sh");
		*strrchr(ui->top, '/') = '\0';
	}
	snprintf(ui->dir, sizeof(ui->dir), "%s.XXXXXX", prefix);
	cr_assert_not_null(mkdtemp(ui->dir));
	setenv("VN_DIR", ui->dir, 1);
	snprintf(ui->master, sizeof(ui->master), "%s/rootimg.01", ui->dir);
	/* The object directory: bin's parent (make's O=). */
	snprintf(obj, sizeof(obj), "%s", ui->bin);
	*strrchr(obj, '/') = '\0';
	cr_assert_eq(ufs_host(&out,
			 "cd %s && scripts/mkimage.sh -s 64m -O %s %s 2>&1",
			 ui->top, obj, ui->master),
	    0, "mkimage.sh failed:\n%s", out);
	free(out);
}

void
ufs_image_teardown(struct ufs_image *ui)
{
	if (ui->dir[0] != '\0')
		ufs_host(NULL, "rm -rf '%s'", ui->dir);
}

void
ufs_expect_fsck_clean(const struct ufs_image *ui, const char *image)
{
	char *out;
	int st = ufs_host(&out, "%s/fsck_ufs -n '%s' 2>&1", ui->bin, image);

	cr_assert_eq(st, 0, "fsck_ufs -n: %d\n%s", st, out);
	cr_assert_not_null(strstr(out, "** Phase 5 - Check Cyl groups"), "%s",
	    out);
	cr_assert_null(strstr(out, "MODIFIED"), "%s", out);
	cr_assert_null(strstr(out, "?"), "fsck asked something:\n%s", out);
	free(out);
	st = ufs_host(&out, "%s/fsck_ufs -p '%s' 2>&1", ui->bin, image);
	cr_assert_eq(st, 0, "%s", out);
	cr_assert_not_null(strstr(out, "clean"), "not marked clean:\n%s", out);
	free(out);
}
