/*
 * cd9660_private.h - what the files of runtime/vfs/cd9660/ share and
 * nobody else uses: the layout of a directory record (ECMA-119 9.1), what
 * one record says once parsed, and the functions that parse it.
 */
#ifndef RUNTIME_VFS_CD9660_CD9660_PRIVATE_H
#define RUNTIME_VFS_CD9660_CD9660_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/vfs/cd9660/cd9660.h"

/* Directory record fields: byte offsets from the record's start. */
#define DR_LENGTH   0  /* 711: length of the record */
#define DR_XALEN    1  /* 711: extended attribute record blocks */
#define DR_EXTENT   2  /* 733: first block */
#define DR_SIZE	    10 /* 733: data length in bytes */
#define DR_DATE	    18 /* 7 bytes: recording date and time */
#define DR_FLAGS    25 /* 711: file flags, DRF_* */
#define DR_UNITSIZE 26 /* 711: interleaved file unit size */
#define DR_GAPSIZE  27 /* 711: interleave gap size */
#define DR_NAMELEN  32 /* 711: file identifier length */
#define DR_NAME	    33 /* file identifier */
#define DR_MINLEN   34 /* the smallest record: a one-byte name */

#define DRF_DIRECTORY  0x02
#define DRF_ASSOCIATED 0x04
#define DRF_MULTI      0x80 /* not the final record of the file */

/* Volume descriptor fields. */
#define VD_TYPE	      0
#define VD_ID	      1 /* "CD001" */
#define VD_VERSION    6
#define VD_VOLUME_ID  40  /* 32 a-characters */
#define VD_SPACE_SIZE 80  /* 733 */
#define VD_BLOCK_SIZE 128 /* 723 */
#define VD_ROOT	      156 /* the root's 34-byte directory record */
#define VD_PRIMARY    1
#define VD_TERMINATOR 255
#define VD_MAX	      64 /* descriptors looked at before giving up */

#define CE_MAX 32 /* continuation areas followed per record */

/* Little-endian halves of the both-endian numbers (ECMA-119 7.2, 7.3). */
static inline uint32_t
iso_733(const uint8_t *p)
{
	return ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24);
}

static inline uint32_t
iso_733_be(const uint8_t *p)
{
	return ((uint32_t)p[7] | (uint32_t)p[6] << 8 | (uint32_t)p[5] << 16 |
	    (uint32_t)p[4] << 24);
}

/* What one directory record says, Rock Ridge included. */
struct cd9660_rec {
	uint64_t addr; /* byte address of the record */
	uint8_t flags; /* DRF_* */
	uint8_t xalen;
	uint8_t interleaved; /* unit or gap size set */
	uint8_t dot;	     /* 1 for ".", 2 for "..", else 0 */
	uint32_t extent, size;
	struct cd9660_time date; /* the record's own date */

	bool has_px, has_pn, has_cl, has_pl, re;
	uint32_t mode, nlink, uid, gid;
	uint64_t rdev;
	uint32_t cl, pl; /* relocation block numbers */
	bool has_mtime, has_atime, has_ctime;
	struct cd9660_time mtime, atime, ctime;

	/* The name: Rock Ridge NM if any and usable, else ISO 9660. */
	char name[CD9660_NAME_MAX + 1];
	size_t namelen;
	bool nm_seen, nm_bad;

	/* Symlink (SL) assembly; link may be NULL to measure only. */
	bool has_sl, sl_sep, sl_cont;
	char *link;
	size_t linkcap, linklen;
};

/*
 * Checks the record at rec (avail bytes left in its sector and directory):
 * returns its length, 0 for the zero padding at the end of a sector, or -1
 * when it is not a valid record.
 */
int cd9660_record_check(const uint8_t *rec, size_t avail);

/*
 * Parses the valid record rec found at byte address addr into *r, Rock
 * Ridge entries included when the mount has them; link and linkcap as in
 * struct cd9660_rec.  Returns 0 or EIO.
 */
int cd9660_record_parse(const struct cd9660_mount *mp, const uint8_t *rec,
    uint64_t addr, struct cd9660_rec *r, char *link, size_t linkcap);

/*
 * The System Use entries of record rec after skip bytes, continuation
 * areas followed: calls fn for each entry (e[0..1] the signature, e[2] its
 * length, at least 4, e[3] the version).  fn returns 0 to go on, -1 to
 * stop or an errno value, which the walk returns.  The bytes are valid
 * only during the call.  Returns 0, fn's errno value or the callback's.
 */
typedef int cd9660_susp_fn(void *arg, const uint8_t *e);
int cd9660_susp_walk(const struct cd9660_mount *mp, const uint8_t *rec,
    size_t skip, cd9660_susp_fn *fn, void *arg);

/* Applies one Rock Ridge entry e to *r (a cd9660_susp_fn). */
int cd9660_rrip_entry(void *arg, const uint8_t *e);

/* The id and type of the entry r describes, as listings give them. */
uint64_t cd9660_rec_id(const struct cd9660_rec *r);
enum cd9660_type cd9660_rec_type(const struct cd9660_rec *r);

/*
 * Converts a 7-byte directory record date or a 17-byte volume/TF date into
 * *tp; returns false (and *tp untouched) when it is unspecified or invalid.
 */
bool cd9660_time7(const uint8_t *p, struct cd9660_time *tp);
bool cd9660_time17(const uint8_t *p, struct cd9660_time *tp);

#endif /* RUNTIME_VFS_CD9660_CD9660_PRIVATE_H */
