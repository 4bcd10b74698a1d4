/*
 * ufs_reader.h - a small, independent UFS1 reader for the image tests.
 *
 * It reads the fields it needs at their byte offsets in the standard UFS1
 * layout instead of through runtime/vfs/ufs/, so that a mistake in the
 * shared headers cannot hide itself from the tests.  Read-only, slow and
 * simple on purpose: direct, single and double indirect blocks.
 */
#ifndef IMAGES_TESTS_UFS_READER_H
#define IMAGES_TESTS_UFS_READER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ur_fs {
	int fd;
	uint64_t base; /* byte offset of the file system in the image */
	uint32_t bsize, fsize, frag, ipg, inopb, fpg, iblkno, ncg, nindir;
	int32_t cgoffset, cgmask;
	uint32_t size;
};

struct ur_inode {
	uint16_t mode;
	int16_t nlink;
	uint64_t size;
	int32_t db[12];
	int32_t ib[3];
};

/* Opens the file system at byte base of path; 0 or -1 (message in why). */
int ur_open(struct ur_fs *u, const char *path, uint64_t base, const char **why);
void ur_close(struct ur_fs *u);

int ur_inode(struct ur_fs *u, uint32_t ino, struct ur_inode *ip);

/* Reads up to len bytes of inode ino's data; returns the count or -1. */
ssize_t ur_read(struct ur_fs *u, uint32_t ino, void *buf, size_t len);

/*
 * Calls fn for every entry of directory ino, in order.  Returns the
 * number of entries, or -1 when the directory is malformed.
 */
int ur_readdir(struct ur_fs *u, uint32_t ino,
    void (*fn)(void *ctx, const char *name, uint32_t ino, int type), void *ctx);

/* Inode of a slash-separated path from the root, 0 when absent. */
uint32_t ur_lookup(struct ur_fs *u, const char *path);

#endif /* IMAGES_TESTS_UFS_READER_H */
