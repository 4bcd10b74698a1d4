/*
 * cd9660_mkimg.h - a tiny ISO 9660 image writer for the unit tests and the
 * fuzz seeds: records and System Use entries byte by byte, so that a test
 * can build exactly the (possibly corrupt) image it needs, a few blocks
 * long, where xorriso makes 350 KiB of well-formed image.
 */
#ifndef RUNTIME_VFS_CD9660_TESTS_CD9660_MKIMG_H
#define RUNTIME_VFS_CD9660_TESTS_CD9660_MKIMG_H

#include <stddef.h>
#include <stdint.h>

#define MKIMG_BLOCK 2048

/* A System Use area being built. */
struct mkimg_su {
	uint8_t b[255];
	size_t n;
};

/* Appends one entry: signature, version 1, data of len bytes. */
void mkimg_su_raw(struct mkimg_su *su, const char *sig, const void *data,
    size_t len);
void mkimg_su_sp(struct mkimg_su *su, uint8_t skip);
void mkimg_su_er(struct mkimg_su *su, const char *id);
void mkimg_su_px(struct mkimg_su *su, uint32_t mode, uint32_t nlink,
    uint32_t uid, uint32_t gid);
void mkimg_su_nm(struct mkimg_su *su, uint8_t flags, const char *name);
void mkimg_su_ce(struct mkimg_su *su, uint32_t blk, uint32_t off, uint32_t len);
void mkimg_su_loc(struct mkimg_su *su, const char *sig, uint32_t blk);
/* TF with a 7-byte modify and access time for the given UTC date. */
void mkimg_su_tf(struct mkimg_su *su, int y, int mo, int d, int h, int mi,
    int s);
/* SL from a path: "/" first gives ROOT, "." CURRENT, ".." PARENT. */
void mkimg_su_sl(struct mkimg_su *su, const char *path);

/* An image in memory, read by mkimg_read() (a cd9660_read_fn). */
struct mkimg_mem {
	const uint8_t *p;
	size_t len;
};
int mkimg_read(void *ctx, uint64_t off, void *buf, size_t len);

/* Writes 733 and 723 both-endian numbers. */
void mkimg_733(uint8_t *p, uint32_t v);
void mkimg_723(uint8_t *p, uint16_t v);

/*
 * Writes a directory record at p (name of namelen bytes, date 2001-09-09
 * 01:46:40 UTC, System Use area su or NULL); returns its length.
 */
size_t mkimg_rec(uint8_t *p, uint32_t extent, uint32_t size, uint8_t flags,
    const char *name, size_t namelen, const struct mkimg_su *su);

/*
 * Writes the primary volume descriptor at block 16 (volume of nblocks,
 * root directory at root_blk of root_size bytes) and the terminator at 17.
 */
void mkimg_pvd(uint8_t *img, uint32_t nblocks, uint32_t root_blk,
    uint32_t root_size);

/*
 * The sample image, MKIMG_SAMPLE_BLOCKS blocks long: Rock Ridge (unless
 * rr is 0) with a file hello.txt ("hello\n", 0644, uid 1000, gid 100,
 * mtime 2001-09-09 01:46:40), a symlink "link" -> /usr/bin, a directory
 * "sub" (0700) holding an empty "empty", a file whose Rock Ridge name
 * "a_long_name_continued_in_a_ce_area" ends in a continuation area, and a
 * directory "moved" relocated to rr_moved (CL/PL/RE) holding "inner".
 * Without Rock Ridge the names are HELLO.TXT;1, SUB, LONG.TXT;1.
 */
#define MKIMG_SAMPLE_BLOCKS 25
void mkimg_sample(uint8_t *img, int rr);

/*
 * The byte offset of the record named isoname (ISO 9660 name, e.g.
 * "HELLO.TXT;1") in the directory block blk, or 0 when there is none.
 */
size_t mkimg_find(const uint8_t *img, uint32_t blk, const char *isoname);

#endif /* RUNTIME_VFS_CD9660_TESTS_CD9660_MKIMG_H */
