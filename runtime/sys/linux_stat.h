/*
 * linux_stat.h - struct stat and struct linux_dirent64 of the Linux
 * x86-64 ABI, and the file type bits, with an LT_ prefix.
 */
#ifndef RUNTIME_SYS_LINUX_STAT_H
#define RUNTIME_SYS_LINUX_STAT_H

#include <stddef.h>
#include <stdint.h>

struct linux_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint64_t st_nlink;
	uint32_t st_mode;
	uint32_t st_uid;
	uint32_t st_gid;
	uint32_t pad0;
	uint64_t st_rdev;
	int64_t st_size;
	int64_t st_blksize;
	int64_t st_blocks;
	uint64_t st_atime_sec, st_atime_nsec;
	uint64_t st_mtime_sec, st_mtime_nsec;
	uint64_t st_ctime_sec, st_ctime_nsec;
	int64_t unused[3];
};
_Static_assert(sizeof(struct linux_stat) == 144, "Linux x86-64 stat");
_Static_assert(offsetof(struct linux_stat, st_mode) == 24, "st_mode");
_Static_assert(offsetof(struct linux_stat, st_size) == 48, "st_size");

/* getdents64(2) records: 8-byte aligned, name NUL-terminated. */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};
_Static_assert(offsetof(struct linux_dirent64, d_name) == 19, "dirent64");

#define LT_S_IFMT   0170000
#define LT_S_IFSOCK 0140000
#define LT_S_IFLNK  0120000
#define LT_S_IFREG  0100000
#define LT_S_IFBLK  0060000
#define LT_S_IFDIR  0040000
#define LT_S_IFCHR  0020000
#define LT_S_IFIFO  0010000

/* d_type values. */
#define LT_DT_UNKNOWN 0
#define LT_DT_FIFO    1
#define LT_DT_CHR     2
#define LT_DT_DIR     4
#define LT_DT_BLK     6
#define LT_DT_REG     8
#define LT_DT_LNK     10
#define LT_DT_SOCK    12

#define LT_SEEK_SET 0
#define LT_SEEK_CUR 1
#define LT_SEEK_END 2

#endif /* RUNTIME_SYS_LINUX_STAT_H */
