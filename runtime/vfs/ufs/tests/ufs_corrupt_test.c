/*
 * ufs_corrupt_test.c - corrupt images give errors, never crashes: a bad
 * superblock or summary area refuses the mount, bad block pointers,
 * directory records, inode sizes and cylinder groups fail the operation
 * that meets them with EINVAL, and a block already free in the maps is
 * not freed twice.  Also checks that the consistency checker of the
 * tests itself catches a wrong map.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/vfs/ufs/tests/ufs_testutil.h"

#define N(s) s, strlen(s)

static struct fs sb;
static uint32_t file_ino, dir_ino;

/* An image with a file "f" (100 KB) and a directory "d" with entries. */
static void
setup(void)
{
	struct ufs_inode root, ip, d;
	static uint8_t data[100000];
	char name[32];
	int fd;

	ut_newfs("img", "16M", "");
	cr_assert_eq(ut_mount("img", 0), 0);
	ut_iget(ROOTINO, &root);
	ut_mkfile(&root, "f", data, sizeof(data), &ip);
	file_ino = ip.ino;
	cr_assert_eq(ufs_mkdir(&ut_mnt, &root, N("d"), 0755, &ut_root, &d), 0);
	dir_ino = d.ino;
	for (int i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "e%d", i);
		ut_mkfile(&d, name, "x", 1, &ip);
	}
	ut_umount();
	fd = open("img", O_RDONLY);
	cr_assert_eq(pread(fd, &sb, sizeof(sb), SBOFF), (ssize_t)sizeof(sb));
	close(fd);
}

static void
patch(uint64_t off, const void *buf, size_t len)
{
	int fd = open("img", O_RDWR);

	cr_assert_eq(pwrite(fd, buf, len, (off_t)off), (ssize_t)len);
	close(fd);
}

static void
fetch(uint64_t off, void *buf, size_t len)
{
	int fd = open("img", O_RDONLY);

	cr_assert_eq(pread(fd, buf, len, (off_t)off), (ssize_t)len);
	close(fd);
}

static uint64_t
ino_off(uint32_t ino)
{
	return (ufs_fsbtobyte(&sb, ufs_ino_to_fsba(&sb, ino)) +
	    ufs_ino_to_fsbo(&sb, ino) * sizeof(struct ufs1_dinode));
}

static void
get_dinode(uint32_t ino, struct ufs1_dinode *d)
{
	fetch(ino_off(ino), d, sizeof(*d));
}

static void
put_dinode(uint32_t ino, const struct ufs1_dinode *d)
{
	patch(ino_off(ino), d, sizeof(*d));
}

Test(ufs_corrupt, superblock, .init = setup, .timeout = 20)
{
	int32_t v = 0x12345;
	struct csum bad = { -1, 0, 0, 0 };

	patch(SBOFF + offsetof(struct fs, fs_magic), &v, 4);
	cr_assert_eq(ut_mount("img", UFS_MNT_RDONLY), EINVAL);
	v = FS_MAGIC;
	patch(SBOFF + offsetof(struct fs, fs_magic), &v, 4);
	v = 3000;
	patch(SBOFF + offsetof(struct fs, fs_bsize), &v, 4);
	cr_assert_eq(ut_mount("img", UFS_MNT_RDONLY), EINVAL);
	v = 16384;
	patch(SBOFF + offsetof(struct fs, fs_bsize), &v, 4);
	cr_assert_eq(ut_mount("img", UFS_MNT_RDONLY), 0);
	ut_umount();
	patch(ufs_fsbtobyte(&sb, sb.fs_csaddr), &bad, sizeof(bad));
	cr_assert_eq(ut_mount("img", UFS_MNT_RDONLY), EINVAL);
	cr_assert_eq(truncate("img", 12000), 0);
	cr_assert_eq(ut_mount("img", UFS_MNT_RDONLY), EINVAL);
}

Test(ufs_corrupt, block_pointer, .init = setup, .timeout = 20)
{
	struct ufs1_dinode d;
	struct ufs_inode ip, root;
	uint8_t buf[4096];
	size_t done;

	get_dinode(file_ino, &d);
	d.di_db[1] = sb.fs_size + 100;
	d.di_ib[0] = 0; /* size says 100000: blocks 0..6 only */
	put_dinode(file_ino, &d);
	cr_assert_eq(ut_mount("img", 0), 0);
	ut_iget(file_ino, &ip);
	cr_assert_eq(ufs_read(&ut_mnt, &ip, 0, buf, sizeof(buf), &done), 0);
	cr_assert_eq(ufs_read(&ut_mnt, &ip, 16384, buf, sizeof(buf), &done),
	    EINVAL);
	cr_assert_eq(ufs_write(&ut_mnt, &ip, 16384, buf, 10, &ut_root, &done),
	    EINVAL);
	ut_iget(ROOTINO, &root);
	cr_assert_eq(ufs_remove(&ut_mnt, &root, N("f"), &ip), 0);
	cr_assert_eq(ufs_inactive(&ut_mnt, &ip), EINVAL);
	ut_umount();
}

Test(ufs_corrupt, indirect_pointer, .init = setup, .timeout = 20)
{
	struct ufs1_dinode d;
	struct ufs_inode ip;
	int32_t ptr[2] = { -5, 3 };
	uint8_t buf[100];
	size_t done;

	get_dinode(file_ino, &d);
	d.di_size = 20 * 16384;
	put_dinode(file_ino, &d);
	/* A fresh indirect block from the file's own data block 0. */
	d.di_ib[0] = d.di_db[0];
	put_dinode(file_ino, &d);
	patch(ufs_fsbtobyte(&sb, d.di_db[0]), ptr, sizeof(ptr));
	cr_assert_eq(ut_mount("img", UFS_MNT_RDONLY), 0);
	ut_iget(file_ino, &ip);
	cr_assert_eq(ufs_read(&ut_mnt, &ip, 12 * 16384, buf, 100, &done),
	    EINVAL);
	cr_assert_eq(ufs_read(&ut_mnt, &ip, 13 * 16384, buf, 100, &done),
	    EINVAL, "pointer 3 is not a block boundary");
	ut_umount();
}

Test(ufs_corrupt, dir_reclen, .init = setup, .timeout = 20)
{
	static const uint16_t bad[] = { 0, 13, 600, 4 };
	struct ufs1_dinode d;
	struct ufs_inode dp, ip;
	uint64_t cookie;
	uint32_t ino;

	get_dinode(dir_ino, &d);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* The reclen of ".." (at byte 12, field at +4). */
		patch(ufs_fsbtobyte(&sb, d.di_db[0]) + 16, &bad[i], 2);
		cr_assert_eq(ut_mount("img", 0), 0);
		ut_iget(dir_ino, &dp);
		cr_assert_eq(ufs_lookup(&ut_mnt, &dp, N("e3"), &ino), EINVAL);
		cookie = 0;
		cr_assert_eq(ufs_readdir(&ut_mnt, &dp, &cookie, NULL, NULL),
		    EINVAL);
		cr_assert_eq(ufs_create(&ut_mnt, &dp, N("new"), IFREG | 0644, 0,
				 &ut_root, &ip),
		    EINVAL);
		ut_umount();
	}
}

Test(ufs_corrupt, dir_entry_ino, .init = setup, .timeout = 20)
{
	struct ufs1_dinode d;
	struct ufs_inode dp;
	uint32_t ino = 0x7fffffff;

	get_dinode(dir_ino, &d);
	patch(ufs_fsbtobyte(&sb, d.di_db[0]) + 12, &ino, 4);
	cr_assert_eq(ut_mount("img", UFS_MNT_RDONLY), 0);
	ut_iget(dir_ino, &dp);
	cr_assert_eq(ufs_lookup(&ut_mnt, &dp, N(".."), &ino), EINVAL);
	cr_assert_eq(ufs_iget(&ut_mnt, 0x7fffffff, &dp), EINVAL);
	cr_assert_eq(ufs_iget(&ut_mnt, 0, &dp), EINVAL);
	ut_umount();
}

Test(ufs_corrupt, inode_size, .init = setup, .timeout = 20)
{
	struct ufs1_dinode d;
	struct ufs_inode ip;

	get_dinode(file_ino, &d);
	d.di_size = UINT64_MAX - 5;
	put_dinode(file_ino, &d);
	cr_assert_eq(ut_mount("img", UFS_MNT_RDONLY), 0);
	cr_assert_eq(ufs_iget(&ut_mnt, file_ino, &ip), EINVAL);
	ut_umount();
}

Test(ufs_corrupt, cylinder_group, .init = setup, .timeout = 20)
{
	struct ufs_inode root, ip;
	uint32_t zero = 0;

	for (int c = 0; c < sb.fs_ncg; c++)
		patch(ufs_fsbtobyte(&sb, ufs_cgtod(&sb, c)) +
			offsetof(struct cg, cg_magic),
		    &zero, 4);
	cr_assert_eq(ut_mount("img", 0), 0);
	ut_iget(ROOTINO, &root);
	cr_assert_eq(ufs_create(&ut_mnt, &root, N("g"), IFREG | 0644, 0,
			 &ut_root, &ip),
	    EINVAL);
	ut_umount();
}

Test(ufs_corrupt, double_free, .init = setup, .timeout = 20)
{
	struct ufs1_dinode d;
	struct ufs_inode root, ip;
	struct cg cg;
	uint64_t cgo;
	uint8_t byte;
	int64_t f;

	/* Mark the file's first fragment free in the map. */
	get_dinode(file_ino, &d);
	cgo = ufs_fsbtobyte(&sb, ufs_cgtod(&sb, d.di_db[0] / sb.fs_fpg));
	fetch(cgo, &cg, sizeof(cg));
	f = d.di_db[0] % sb.fs_fpg;
	fetch(cgo + (uint64_t)cg.cg_freeoff + (uint64_t)f / 8, &byte, 1);
	byte |= (uint8_t)(1u << (f % 8));
	patch(cgo + (uint64_t)cg.cg_freeoff + (uint64_t)f / 8, &byte, 1);
	cr_assert_eq(ut_mount("img", 0), 0);
	ut_iget(ROOTINO, &root);
	ut_iget(file_ino, &ip);
	cr_assert_eq(ufs_remove(&ut_mnt, &root, N("f"), &ip), 0);
	cr_assert_eq(ufs_inactive(&ut_mnt, &ip), EINVAL);
	ut_umount();
}
