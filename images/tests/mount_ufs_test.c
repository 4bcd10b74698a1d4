/*
 * mount_ufs_test.c - end-to-end tests of mount_ufs(8): a tree copied in
 * with cp -a (busybox, directories, short and long symlinks, a hard
 * link, a fifo, a sparse file) and an install(1), checked after the
 * unmount with the consistency check of runtime/vfs/ufs/tests, the
 * independent reader and The Sleuth Kit, then read back through a second
 * (read-only) mount; name operations through the mount, an unlinked
 * open file; the refusals with their exit codes, leaving the image as it
 * was.  Skipped when /dev/fuse cannot be opened.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "images/tests/tools_util.h"
#include "images/tests/ufs_reader.h"
#include "runtime/vfs/ufs/tests/ufs_testutil.h"

/* A failed test must not leave its mount behind. */
static void
cleanup(void)
{
	if (system("fusermount3 -uz mnt 2>/dev/null; "
		   "test -s pid && kill $(cat pid) 2>/dev/null; sleep 0.1") < 0)
		fprintf(stderr, "cannot clean up\n");
}

static void
need_fuse(void)
{
	int fd = open("/dev/fuse", O_RDWR);

	if (fd < 0) {
		cr_skip_test("/dev/fuse: %s", strerror(errno));
		return;
	}
	close(fd);
	tu_scratch();
	atexit(cleanup);
	if (tu_run("command -v fusermount3") != 0)
		cr_skip_test("fusermount3 is not installed");
}

/* Mounts img on mnt in the background and waits for the mount. */
static void
mount_img(const char *opts)
{
	cr_assert_eq(
	    tu_run("mkdir -p mnt && { mount_ufs -f %s img mnt "
		   ">mount.log 2>&1 & echo $! >pid; } && "
		   "for i in $(seq 100); do "
		   "grep -q \" $PWD/mnt fuse\" /proc/mounts && exit 0; "
		   "kill -0 $(cat pid) || exit 1; sleep 0.05; done; "
		   "exit 1",
		opts),
	    0, "mount_ufs did not mount");
}

/* Unmounts and waits for mount_ufs to write everything and exit. */
static void
umount_img(void)
{
	cr_assert_eq(tu_run("fusermount3 -u mnt && "
			    "for i in $(seq 200); do "
			    "kill -0 $(cat pid) 2>/dev/null || exit 0; "
			    "sleep 0.05; done; exit 1"),
	    0, "mount_ufs did not exit");
	cr_assert_eq(tu_run("test ! -s mount.log"), 0, "mount_ufs said: %s",
	    (tu_run("cat mount.log"), tu_out));
}

static int8_t
clean_flag(void)
{
	struct fs fs;
	int fd = open("img", O_RDONLY);

	cr_assert_geq(fd, 0);
	cr_assert_eq(pread(fd, &fs, sizeof(fs), SBOFF), (ssize_t)sizeof(fs));
	close(fd);
	return (fs.fs_clean);
}

static void
build_tree(void)
{
	cr_assert_eq(
	    tu_run("mkdir -p src/bin src/etc/deep/er src/empty && "
		   "cp /bin/busybox src/bin/busybox && "
		   "ln src/bin/busybox src/bin/sh && "
		   "ln -s busybox src/bin/ls && "
		   "ln -s /very/long/target/$(printf '%%0100d' 0) "
		   "src/etc/longlink && "
		   "echo hello >src/etc/deep/er/file && "
		   "head -c 1000000 /dev/urandom >src/etc/random && "
		   "truncate -s 30M src/sparse && "
		   "printf end >>src/sparse && "
		   "mkfifo src/etc/fifo && chmod 4711 src/etc/random && "
		   "chown 123:456 src/etc/deep && "
		   "touch -d 2001-02-03 src/etc/deep/er/file"),
	    0, "%s", tu_err);
}

Test(mount_ufs, copy_tree, .timeout = 60)
{
	struct ur_fs u;
	const char *why;
	uint32_t ino;

	need_fuse();
	build_tree();
	cr_assert_eq(tu_run("truncate -s 96M img && newfs img"), 0, "%s",
	    tu_err);
	mount_img("");
	cr_assert_eq(clean_flag(), 0);
	cr_assert_eq(tu_run("cp -a src/. mnt/ && "
			    "install -m 755 src/bin/busybox mnt/bin/installed"),
	    0, "%s", tu_err);
	umount_img();
	cr_assert_eq(clean_flag(), 1, "clean after unmount");
	ut_check("img", 0);
	/* The independent reader. */
	cr_assert_eq(ur_open(&u, "img", 0, &why), 0, "%s", why);
	ino = ur_lookup(&u, "etc/deep/er/file");
	cr_assert_neq(ino, 0);
	{
		char buf[16] = "";

		cr_assert_eq(ur_read(&u, ino, buf, sizeof(buf)), 6);
		cr_assert_eq(memcmp(buf, "hello\n", 6), 0);
	}
	cr_assert_eq(ur_lookup(&u, "bin/sh"), ur_lookup(&u, "bin/busybox"));
	ur_close(&u);
	/* The Sleuth Kit, when installed. */
	if (tu_run("command -v fls && command -v icat") == 0) {
		cr_assert_eq(tu_run("fls -r -f ufs1 img"), 0, "%s", tu_err);
		cr_assert(strstr(tu_out, "installed") != NULL, "%s", tu_out);
		cr_assert(strstr(tu_out, "longlink") != NULL, "%s", tu_out);
		cr_assert_eq(tu_run("icat -f ufs1 img $(fls -r -f ufs1 img | "
				    "awk '/\\tinstalled$/ {print $3}' | "
				    "tr -d :) | cmp - src/bin/busybox"),
		    0, "%s %s", tu_out, tu_err);
	}
	/* Read back through a read-only mount: the image stays as it is. */
	{
		uint64_t h = tu_hash("img");

		mount_img("-o ro");
		cr_assert_eq(
		    tu_run("diff -r --no-dereference src mnt "
			   "-x lost+found -x installed -x fifo && "
			   "cmp mnt/bin/installed src/bin/busybox && "
			   "test \"$(stat -c '%%a %%u %%g %%h' "
			   "mnt/etc/random mnt/etc/deep "
			   "mnt/bin/sh)\" = \"$(printf '4711 0 0 1\\n755 "
			   "123 456 3\\n755 0 0 2')\" && "
			   "test \"$(stat -c %%Y mnt/etc/deep/er/file)\""
			   " = \"$(stat -c %%Y src/etc/deep/er/file)\" "
			   "&& test -p mnt/etc/fifo && "
			   "test \"$(readlink mnt/etc/longlink)\" = "
			   "\"$(readlink src/etc/longlink)\" && "
			   "! touch mnt/x 2>/dev/null"),
		    0, "%s %s", tu_out, tu_err);
		umount_img();
		cr_assert_eq(tu_hash("img"), h, "ro mount changed the image");
	}
}

Test(mount_ufs, name_operations, .timeout = 60)
{
	need_fuse();
	cr_assert_eq(tu_run("truncate -s 32M img && newfs img"), 0, "%s",
	    tu_err);
	mount_img("");
	cr_assert_eq(
	    tu_run("cd mnt && mkdir -p a/b c && echo x >a/b/f && "
		   "mv a/b c/ && test -f c/b/f && test ! -e a/b && "
		   "test $(stat -c %%h c) = 3 && test $(stat -c %%h a) "
		   "= 2 && ! rmdir c 2>/dev/null && mv c/b/f a/g && "
		   "rmdir c/b && rmdir c && echo y >h && mv h a/g && "
		   "test $(cat a/g) = y && ln a/g a/l && "
		   "test $(stat -c %%h a/g) = 2 && rm a/l && "
		   "test $(stat -c %%h a/g) = 1 && "
		   "! mv a a/sub 2>/dev/null && "
		   "exec 3<a/g && rm a/g && test ! -e a/g && "
		   "test \"$(cat <&3)\" = y && exec 3<&- && "
		   "for i in $(seq 300); do : >a/file$i; done && "
		   "test $(ls a | wc -l) = 300 && rm a/file* && "
		   "rmdir a && test \"$(ls)\" = lost+found"),
	    0, "%s %s", tu_out, tu_err);
	umount_img();
	cr_assert_eq(clean_flag(), 1);
	cr_assert_eq(ut_check("img", 0), 2, "only /, lost+found left");
}

Test(mount_ufs, refusals, .timeout = 60)
{
	uint64_t h;

	need_fuse();
	cr_assert_eq(tu_run("mkdir mnt && mount_ufs"), 64);
	cr_assert_eq(tu_run("mount_ufs -o bogus img mnt"), 64);
	cr_assert_eq(tu_run("mount_ufs nonexistent.img mnt"), 66);
	cr_assert(strstr(tu_err, "nonexistent.img") != NULL, "%s", tu_err);
	cr_assert_eq(tu_run("truncate -s 8M img && mount_ufs img mnt"), 65);
	cr_assert(strstr(tu_err, "not a UFS1 file system") != NULL, "%s",
	    tu_err);
	cr_assert_eq(tu_run("newfs img && touch notdir && "
			    "mount_ufs img notdir"),
	    64, "%s", tu_err);
	/* Not clean: refused read-write, the image untouched. */
	cr_assert_eq(tu_run("printf '\\000' | dd of=img bs=1 seek=%d "
			    "conv=notrunc 2>/dev/null",
			 SBOFF + (int)offsetof(struct fs, fs_clean)),
	    0);
	h = tu_hash("img");
	cr_assert_eq(tu_run("mount_ufs img mnt"), 65);
	cr_assert(strstr(tu_err, "not clean") != NULL, "%s", tu_err);
	cr_assert_eq(tu_hash("img"), h);
	/* In use: another holder of the lock. */
	cr_assert_eq(tu_run("printf '\\001' | dd of=img bs=1 seek=%d "
			    "conv=notrunc 2>/dev/null",
			 SBOFF + (int)offsetof(struct fs, fs_clean)),
	    0);
	cr_assert_eq(tu_run("flock -x img sleep 2 & sleep 0.3; "
			    "mount_ufs img mnt"),
	    75);
	cr_assert(strstr(tu_err, "in use") != NULL, "%s", tu_err);
}

/* A partition of a labelled vn disk; the image is locked meanwhile. */
Test(mount_ufs, vn_partition, .timeout = 60)
{
	struct ur_fs u;
	const char *why;
	char buf[8];

	need_fuse();
	cr_assert_eq(tu_run("truncate -s 64M img && "
			    "vnconfig -c -s labels vn0 img && "
			    "disklabel -r -w vn0s0 auto && "
			    "disklabel vn0s0 >proto && "
			    "echo 'a: * 0 4.2BSD' >>proto && "
			    "disklabel -R vn0s0 proto && newfs /dev/vn0s0a"),
	    0, "%s", tu_err);
	cr_assert_eq(
	    tu_run("mkdir -p mnt && { mount_ufs -f /dev/vn0s0a mnt "
		   ">mount.log 2>&1 & echo $! >pid; } && "
		   "for i in $(seq 100); do "
		   "grep -q \" $PWD/mnt fuse\" /proc/mounts && exit 0; "
		   "sleep 0.05; done; exit 1"),
	    0, "mount_ufs did not mount");
	cr_assert_eq(tu_run("echo partition >mnt/file"), 0, "%s", tu_err);
	cr_assert_eq(tu_run("newfs /dev/vn0s0a"), 75, "the image is locked");
	umount_img();
	/* Partition 'a' starts the slice: the label is in its boot area. */
	ut_check("img", 0);
	cr_assert_eq(ur_open(&u, "img", 0, &why), 0, "%s", why);
	cr_assert_eq(ur_read(&u, ur_lookup(&u, "file"), buf, sizeof(buf)), 8);
	cr_assert_eq(memcmp(buf, "partitio", 8), 0);
	ur_close(&u);
	cr_assert_eq(tu_run("vnconfig -u vn0"), 0, "%s", tu_err);
}
