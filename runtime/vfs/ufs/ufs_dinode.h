/*
 * ufs_dinode.h - the UFS1 on-disk inode (128 bytes, little-endian).
 *
 * Inode 0 is unused, 1 (WINO) is the historical whiteout inode and 2
 * (ROOTINO) the root directory.  A symbolic link shorter than
 * MAXSYMLINKLEN keeps its target in di_db/di_ib instead of a block.
 * Shared by the kernel and the image tools.
 */
#ifndef RUNTIME_VFS_UFS_UFS_DINODE_H
#define RUNTIME_VFS_UFS_UFS_DINODE_H

#include <stddef.h>
#include <stdint.h>

#define ROOTINO	      2
#define WINO	      1
#define NDADDR	      12 /* direct block pointers */
#define NIADDR	      3	 /* indirect block pointers */
#define MAXSYMLINKLEN ((NDADDR + NIADDR) * 4)

/* File types and permissions (di_mode). */
#define IFMT   0170000
#define IFIFO  0010000
#define IFCHR  0020000
#define IFDIR  0040000
#define IFBLK  0060000
#define IFREG  0100000
#define IFLNK  0120000
#define IFSOCK 0140000
#define IFWHT  0160000
#define ISUID  04000
#define ISGID  02000
#define ISVTX  01000

struct ufs1_dinode {
	uint16_t di_mode; /* IF* type and permissions */
	int16_t di_nlink; /* links */
	uint16_t di_ouid; /* old 16-bit owner */
	uint16_t di_ogid; /* old 16-bit group */
	uint64_t di_size; /* bytes */
	int32_t di_atime;
	int32_t di_atimensec;
	int32_t di_mtime;
	int32_t di_mtimensec;
	int32_t di_ctime;
	int32_t di_ctimensec;
	int32_t di_db[NDADDR]; /* direct blocks, in fragments */
	int32_t di_ib[NIADDR]; /* single, double, triple indirect */
	uint32_t di_flags;
	int32_t di_blocks; /* 512-byte sectors held */
	int32_t di_gen;	   /* generation number */
	uint32_t di_uid;
	uint32_t di_gid;
	int32_t di_spare[2];
};

_Static_assert(offsetof(struct ufs1_dinode, di_size) == 8, "di_size");
_Static_assert(offsetof(struct ufs1_dinode, di_db) == 40, "di_db");
_Static_assert(offsetof(struct ufs1_dinode, di_ib) == 88, "di_ib");
_Static_assert(offsetof(struct ufs1_dinode, di_flags) == 100, "di_flags");
_Static_assert(offsetof(struct ufs1_dinode, di_uid) == 112, "di_uid");
_Static_assert(sizeof(struct ufs1_dinode) == 128, "ufs1_dinode is 128");

#endif /* RUNTIME_VFS_UFS_UFS_DINODE_H */
