/*
 * ufs_dir.h - UFS directory entries (4.4BSD format, little-endian).
 *
 * A directory is a sequence of DIRBLKSIZ chunks; each chunk is filled by
 * variable-length entries whose d_reclen values add up to the chunk, the
 * last entry taking the slack.  An entry with d_ino 0 is free space.
 * Shared by the kernel and the image tools.
 */
#ifndef RUNTIME_VFS_UFS_UFS_DIR_H
#define RUNTIME_VFS_UFS_UFS_DIR_H

#include <stddef.h>
#include <stdint.h>

#define DIRBLKSIZ     512
#define UFS_MAXNAMLEN 255

/* d_type values. */
#define DT_UNKNOWN 0
#define DT_FIFO	   1
#define DT_CHR	   2
#define DT_DIR	   4
#define DT_BLK	   6
#define DT_REG	   8
#define DT_LNK	   10
#define DT_SOCK	   12
#define DT_WHT	   14

struct direct {
	uint32_t d_ino;			/* inode, 0 for a free entry */
	uint16_t d_reclen;		/* bytes to the next entry */
	uint8_t d_type;			/* DT_* */
	uint8_t d_namlen;		/* name length without the NUL */
	char d_name[UFS_MAXNAMLEN + 1]; /* NUL-terminated, padded to 4 */
};

/* Bytes an entry with a name of namlen bytes needs (with NUL, to 4). */
#define UFS_DIRSIZ(namlen)                                              \
	((offsetof(struct direct, d_name) + (size_t)(namlen) + 1 + 3) & \
	    ~(size_t)3)

_Static_assert(offsetof(struct direct, d_name) == 8, "direct header");
_Static_assert(UFS_DIRSIZ(1) == 12 && UFS_DIRSIZ(2) == 12, "DIRSIZ");

#endif /* RUNTIME_VFS_UFS_UFS_DIR_H */
