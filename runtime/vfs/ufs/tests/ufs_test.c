/*
 * ufs_test.c - unit tests of the UFS1 library: mounting (clean flag,
 * read-only leaves the image byte for byte, remount), images from
 * Debian's makefs, and the result of a run of changes seen by the
 * independent readers: images/tests/ufs_reader.c and The Sleuth Kit's
 * fls/icat (skipped when not installed).
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

static int8_t
clean_flag(const char *path)
{
	struct fs fs;
	FILE *f = fopen(path, "rb");

	cr_assert_not_null(f);
	cr_assert_eq(fseek(f, SBOFF, SEEK_SET), 0);
	cr_assert_eq(fread(&fs, sizeof(fs), 1, f), 1);
	fclose(f);
	return (fs.fs_clean);
}

Test(ufs_mount, clean_flag, .timeout = 20)
{
	ut_newfs("img", "16M", "");
	cr_assert_eq(clean_flag("img"), 1);
	cr_assert_eq(ut_mount("img", 0), 0);
	cr_assert_eq(clean_flag("img"), 0, "rw mount clears fs_clean");
	cr_assert_eq(ut_mnt.unclean, 0);
	ut_umount();
	cr_assert_eq(clean_flag("img"), 1, "unmount sets fs_clean");
	ut_check("img", 0);
}

Test(ufs_mount, unclean_needs_force, .timeout = 20)
{
	ut_newfs("img", "16M", "");
	cr_assert_eq(ut_mount("img", 0), 0);
	/* A crash: the image stays as it is, fs_clean 0. */
	close(ut_img.fd);
	cr_assert_eq(clean_flag("img"), 0);
	cr_assert_eq(ut_mount("img", 0), EPERM);
	cr_assert_eq(ut_mount("img", UFS_MNT_RDONLY), 0);
	cr_assert_eq(ut_mnt.unclean, 1);
	cr_assert_eq(ufs_mount_update(&ut_mnt, 0), EPERM);
	ut_umount();
	cr_assert_eq(ut_mount("img", UFS_MNT_FORCE), 0);
	cr_assert_eq(ut_mnt.unclean, 1);
	ut_umount();
	cr_assert_eq(clean_flag("img"), 1);
}

Test(ufs_mount, readonly_untouched, .timeout = 20)
{
	struct ufs_inode root, ip;
	uint64_t h;
	uint8_t buf[100];
	size_t done;
	uint32_t ino;

	ut_newfs("img", "16M", "");
	cr_assert_eq(ut_mount("img", 0), 0);
	ut_iget(ROOTINO, &root);
	ut_mkfile(&root, "f", "hello", 5, &ip);
	ut_umount();
	h = tu_hash("img");
	cr_assert_eq(ut_mount("img", UFS_MNT_RDONLY), 0);
	ut_iget(ROOTINO, &root);
	cr_assert_eq(ufs_lookup(&ut_mnt, &root, "f", 1, &ino), 0);
	ut_iget(ino, &ip);
	cr_assert_eq(ufs_read(&ut_mnt, &ip, 0, buf, sizeof(buf), &done), 0);
	cr_assert_eq(done, 5);
	cr_assert_eq(ufs_create(&ut_mnt, &root, "g", 1, IFREG | 0644, 0,
			 &ut_root, &ip),
	    EROFS);
	cr_assert_eq(ufs_write(&ut_mnt, &ip, 0, "x", 1, &ut_root, &done),
	    EROFS);
	cr_assert_eq(ufs_iupdate(&ut_mnt, &ip), 0);
	cr_assert_eq(ufs_sync(&ut_mnt), 0);
	cr_assert_eq(ufs_inactive(&ut_mnt, &ip), 0);
	cr_assert_eq(ut_img.writes, 0);
	ut_umount();
	cr_assert_eq(tu_hash("img"), h, "read-only mount changed the image");
}

Test(ufs_mount, remount_rw, .timeout = 20)
{
	struct ufs_inode root, ip;

	ut_newfs("img", "16M", "");
	cr_assert_eq(ut_mount("img", UFS_MNT_RDONLY), 0);
	close(ut_img.fd);
	ut_img.fd = open("img", O_RDWR);
	cr_assert_geq(ut_img.fd, 0);
	cr_assert_eq(ufs_mount_update(&ut_mnt, 0), 0);
	cr_assert_eq(clean_flag("img"), 0);
	ut_iget(ROOTINO, &root);
	ut_mkfile(&root, "after", "x", 1, &ip);
	cr_assert_eq(ufs_mount_update(&ut_mnt, UFS_MNT_RDONLY), 0);
	cr_assert_eq(clean_flag("img"), 1);
	ut_check("img", 0);
	cr_assert_eq(ufs_create(&ut_mnt, &root, "g", 1, IFREG | 0644, 0,
			 &ut_root, &ip),
	    EROFS);
	ut_umount();
	cr_assert_eq(clean_flag("img"), 1);
}

Test(ufs_mount, statfs, .timeout = 20)
{
	struct ufs_statfs sf;
	struct ufs_inode root, ip;
	static uint8_t data[100000];

	ut_newfs("img", "16M", "");
	cr_assert_eq(ut_mount("img", 0), 0);
	cr_assert_eq(ufs_statfs(&ut_mnt, &sf), 0);
	cr_assert_eq(sf.bsize, 2048);
	cr_assert_eq(sf.iosize, 16384);
	cr_assert_eq(sf.bfree,
	    (uint64_t)ut_mnt.fs->fs_cstotal.cs_nbfree * 8 +
		(uint64_t)ut_mnt.fs->fs_cstotal.cs_nffree);
	cr_assert_eq(sf.bavail,
	    (int64_t)sf.bfree - (int64_t)sf.blocks * 8 / 100);
	ut_iget(ROOTINO, &root);
	ut_mkfile(&root, "f", data, sizeof(data), &ip);
	{
		struct ufs_statfs sf2;

		cr_assert_eq(ufs_statfs(&ut_mnt, &sf2), 0);
		cr_assert_eq(sf.bfree - sf2.bfree, 49,
		    "100000 bytes: 49 frags");
		cr_assert_eq(sf.ffree - sf2.ffree, 1);
	}
	ut_umount();
	ut_check("img", 0);
}

static void
collect(void *ctx, const char *name, uint32_t ino, int type)
{
	char *s = ctx;

	snprintf(s + strlen(s), 4096 - strlen(s), "%s:%d ", name, type);
}

Test(ufs_makefs, read_and_write, .timeout = 30)
{
	struct ufs_inode root, ip, dir;
	uint8_t *data, *want;
	size_t len, wlen;
	char list[4096] = "";
	struct ur_fs u;
	const char *why;
	uint32_t ino;
	FILE *f;

	tu_scratch();
	cr_assert_eq(tu_run("mkdir -p t/dir/sub && echo hello >t/a.txt && "
			    "head -c 300000 /dev/urandom >t/dir/big.bin && "
			    "ln -s a.txt t/link && "
			    "makefs -t ffs -o version=1 -s 16m mk.img t"),
	    0, "%s", tu_err);
	cr_assert_eq(ut_mount("mk.img", 0), 0);
	ino = ut_namei("dir/big.bin");
	cr_assert_neq(ino, 0);
	ut_iget(ino, &ip);
	data = ut_slurp(&ip, &len);
	f = fopen("t/dir/big.bin", "rb");
	want = malloc(300000);
	cr_assert_eq(fread(want, 1, 300000, f), 300000);
	fclose(f);
	cr_assert_eq(len, 300000);
	cr_assert_eq(memcmp(data, want, len), 0);
	free(data);
	ut_iget(ut_namei("link"), &ip);
	{
		char t[64];

		cr_assert_eq(ufs_readlink(&ut_mnt, &ip, t, sizeof(t), &wlen),
		    0);
		cr_assert_str_eq(t, "a.txt");
	}
	/* Write into it: a new file, a new directory, a removal. */
	ut_iget(ROOTINO, &root);
	ut_mkfile(&root, "new.bin", want, 100000, &ip);
	cr_assert_eq(ufs_mkdir(&ut_mnt, &root, "nd", 2, 0755, &ut_root, &dir),
	    0);
	ut_iget(ut_namei("a.txt"), &ip);
	cr_assert_eq(ufs_remove(&ut_mnt, &root, "a.txt", 5, &ip), 0);
	cr_assert_eq(ufs_inactive(&ut_mnt, &ip), 0);
	ut_umount();
	tu_check_fs("mk.img", 0);
	ut_check_btot = 0; /* makefs leaves cg_btot at zero */
	ut_check("mk.img", 0);
	cr_assert_eq(ur_open(&u, "mk.img", 0, &why), 0, "%s", why);
	cr_assert_gt(ur_readdir(&u, 2, collect, list), 0);
	cr_assert(strstr(list, "new.bin:8 ") != NULL, "%s", list);
	cr_assert(strstr(list, "nd:4 ") != NULL, "%s", list);
	cr_assert(strstr(list, "a.txt") == NULL, "%s", list);
	data = malloc(100000);
	cr_assert_eq(ur_read(&u, ur_lookup(&u, "new.bin"), data, 100000),
	    100000);
	cr_assert_eq(memcmp(data, want, 100000), 0);
	ur_close(&u);
	free(data);
	free(want);
}

/* A tree written through the library, read back by TSK. */
Test(ufs_tsk, fls_icat, .timeout = 30)
{
	struct ufs_inode root, dir, ip, ln;
	static uint8_t big[400000];
	char cmd[256];
	uint32_t bigino;

	ut_newfs("img", "32M", "");
	if (tu_run("command -v fls && command -v icat") != 0)
		cr_skip_test("The Sleuth Kit is not installed");
	cr_assert_eq(ut_mount("img", 0), 0);
	ut_iget(ROOTINO, &root);
	cr_assert_eq(ufs_mkdir(&ut_mnt, &root, "d", 1, 0755, &ut_root, &dir),
	    0);
	ut_pattern(big, sizeof(big), 7, 0);
	ut_mkfile(&dir, "big", big, sizeof(big), &ip);
	bigino = ip.ino;
	cr_assert_eq(ufs_symlink(&ut_mnt, &dir, "sl", 2, "big", 3, &ut_root,
			 &ln),
	    0);
	cr_assert_eq(ufs_link(&ut_mnt, &root, "hard", 4, &ip, &ut_root), 0);
	ut_umount();
	ut_check("img", 0);
	cr_assert_eq(tu_run("fls -r -f ufs1 img"), 0, "%s", tu_err);
	cr_assert(strstr(tu_out, "d/d * ") || strstr(tu_out, "d/d "), "%s",
	    tu_out);
	cr_assert(strstr(tu_out, "big") != NULL, "%s", tu_out);
	cr_assert(strstr(tu_out, "l/l ") != NULL, "%s", tu_out);
	cr_assert(strstr(tu_out, "hard") != NULL, "%s", tu_out);
	{
		FILE *f = fopen("big.want", "wb");

		cr_assert_eq(fwrite(big, 1, sizeof(big), f), sizeof(big));
		fclose(f);
	}
	snprintf(cmd, sizeof(cmd),
	    "icat -f ufs1 img %u >big.got && "
	    "cmp big.want big.got",
	    bigino);
	cr_assert_eq(tu_run("%s", cmd), 0, "%s %s", tu_out, tu_err);
}

/* ufs_sync leaves a consistent image while still mounted. */
Test(ufs_mount, sync, .timeout = 20)
{
	struct ufs_inode root, ip, d;
	static uint8_t data[300000];
	long flushes;

	ut_newfs("img", "32M", "-b 4096 -f 512");
	cr_assert_eq(ut_mount("img", 0), 0);
	ut_iget(ROOTINO, &root);
	cr_assert_eq(ufs_mkdir(&ut_mnt, &root, "d", 1, 0755, &ut_root, &d), 0);
	ut_mkfile(&d, "f", data, sizeof(data), &ip);
	flushes = ut_img.flushes;
	cr_assert_eq(ufs_sync(&ut_mnt), 0);
	cr_assert_gt(ut_img.flushes, flushes);
	cr_assert_eq(clean_flag("img"), 0);
	ut_check("img", 0);
	cr_assert_eq(ufs_fsync(&ut_mnt, &ip), 0);
	ut_umount();
}
