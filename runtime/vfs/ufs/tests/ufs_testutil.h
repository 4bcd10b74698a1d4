/*
 * ufs_testutil.h - helpers of the UFS1 library tests: images made with
 * newfs or makefs in a scratch directory, a mount over pread/pwrite that
 * asserts the I/O granularity promised in ufs.h, path lookup, patterns,
 * and the consistency check of tests/ufs_check.c.
 */
#ifndef RUNTIME_VFS_UFS_TESTS_UFS_TESTUTIL_H
#define RUNTIME_VFS_UFS_TESTS_UFS_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/vfs/ufs/ufs.h"

struct ut_img {
	int fd;
	uint64_t base;	/* partition offset in the file */
	uint32_t fsize; /* from the superblock, for the alignment check */
	long reads, writes, flushes;
};

extern struct ut_img ut_img;
extern struct ufs_mount ut_mnt;
extern const struct ufs_cred ut_root, ut_user;

/* Scratch dir, then "newfs [opts] path" on a fresh image of size. */
void ut_newfs(const char *path, const char *size, const char *opts);

/* Opens path (partition at byte base) and mounts it; returns the error. */
int ut_mount_at(const char *path, uint64_t base, int flags);
int ut_mount(const char *path, int flags);

/* Unmounts (asserting success) and closes the image. */
void ut_umount(void);

void ut_iget(uint32_t ino, struct ufs_inode *ip);

/* Inode of a slash-separated path from the root; 0 when absent. */
uint32_t ut_namei(const char *path);

/* Creates a regular file name in dp with len bytes of data; loads *ip. */
void ut_mkfile(struct ufs_inode *dp, const char *name, const void *data,
    size_t len, struct ufs_inode *ip);

/* Fills buf with a pattern depending on seed and on the byte offset. */
void ut_pattern(void *buf, size_t len, unsigned seed, uint64_t off);

/* Reads all of ip into a malloc'd buffer; *lenp its size. */
uint8_t *ut_slurp(struct ufs_inode *ip, size_t *lenp);

/*
 * The consistency check of ufs_check.c on the file system at byte base
 * of path (not mounted read-write at the time): fails the test on any
 * difference, naming it.  Returns the number of inodes in use.
 */
int ut_check(const char *path, uint64_t base);

/*
 * 0 skips ut_check's per-cylinder free block totals (cg_btot), which
 * NetBSD's makefs leaves at zero.
 */
extern int ut_check_btot;

#endif /* RUNTIME_VFS_UFS_TESTS_UFS_TESTUTIL_H */
