/*
 * ufs_private.h - what the files of the UFS1 library share between them
 * and nobody else uses: I/O helpers, block map, allocation, directory
 * primitives.  Functions return 0 or an errno value as in ufs.h.
 */
#ifndef RUNTIME_VFS_UFS_UFS_PRIVATE_H
#define RUNTIME_VFS_UFS_UFS_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/vfs/ufs/ufs.h"

#define UFS_LINK_MAX 32767 /* di_nlink is 16 bits signed */
#define UFS_PATH_MAX 1024  /* longest symlink target */

/* Fragment arithmetic on a checked superblock. */
#define ufs_lblkno(fs, off) ((int64_t)((off) >> (fs)->fs_bshift))
#define ufs_blkoff(fs, off) ((int64_t)((off) & (uint64_t)(fs)->fs_qbmask))
#define ufs_fragroundup(fs, n) \
	(((int64_t)(n) + (fs)->fs_qfmask) & ~(int64_t)(fs)->fs_qfmask)
#define ufs_numfrags(fs, n) ((int64_t)(n) >> (fs)->fs_fshift)
#define ufs_fragnum(fs, b)  ((int64_t)(b) & ((fs)->fs_frag - 1))
#define ufs_blknum(fs, b)   ((int64_t)(b) & ~(int64_t)((fs)->fs_frag - 1))
#define ufs_dtog(fs, b)	    ((int32_t)((b) / (fs)->fs_fpg))
#define ufs_dtogd(fs, b)    ((int64_t)((b) % (fs)->fs_fpg))
#define ufs_btodb(n)	    ((int64_t)(n) >> DEV_BSHIFT)
#define UFS_ISDIR(ip)	    (((ip)->din.di_mode & IFMT) == IFDIR)
#define UFS_ISREG(ip)	    (((ip)->din.di_mode & IFMT) == IFREG)
#define UFS_ISLNK(ip)	    (((ip)->din.di_mode & IFMT) == IFLNK)

/* ufs_vfsops.c: I/O and memory. */
void *ufs_malloc(struct ufs_mount *mp, size_t len);
void ufs_mfree(struct ufs_mount *mp, void *p);
/* Reads/writes n fragments at fragment bn (range checked). */
int ufs_bread(struct ufs_mount *mp, int64_t bn, int64_t n, void *buf);
int ufs_bwrite(struct ufs_mount *mp, int64_t bn, int64_t n, const void *buf);
void ufs_now(struct ufs_mount *mp, int32_t *sec, int32_t *nsec);
/* True when frags [bn, bn + n) lie inside the file system. */
bool ufs_blk_ok(const struct fs *fs, int64_t bn, int64_t n);

/* ufs_inode.c */
/* Bytes held by logical block lbn of a file of size size. */
int64_t ufs_blksize(const struct fs *fs, uint64_t size, int64_t lbn);
/* Short symlink: its target lives in di_db. */
bool ufs_shortlink(const struct ufs_mount *mp, const struct ufs_inode *ip);
/* Sets the times flagged (1 atime, 2 mtime, 4 ctime) to now. */
void ufs_itimes(struct ufs_mount *mp, struct ufs_inode *ip, int which);
#define UFS_ACCESS 1
#define UFS_UPDATE 2
#define UFS_CHANGE 4

/* ufs_bmap.c */
/* Physical fragment of logical block lbn, 0 for a hole. */
int ufs_bmap(struct ufs_mount *mp, struct ufs_inode *ip, int64_t lbn,
    int64_t *bnp);
/*
 * Makes logical block lbn hold at least the part of the file that a size
 * of newsize implies (a fragment run for the last direct block), growing
 * the previous last fragment first; sets *bnp and *isnew (the block is
 * new: its bytes are unwritten garbage past what was copied).  Updates
 * di_blocks; the caller writes the inode.
 */
int ufs_balloc(struct ufs_mount *mp, struct ufs_inode *ip, int64_t lbn,
    uint64_t newsize, const struct ufs_cred *cr, int64_t *bnp, bool *isnew);
/* Frees every block past length (blocks-wise); see ufs_truncate. */
int ufs_bmap_trunc(struct ufs_mount *mp, struct ufs_inode *ip, uint64_t length);
/*
 * Grows the last fragment run of a file before its size goes to newsize:
 * to a full block when the file goes past it, else to the run newsize
 * implies.
 */
int ufs_grow_tail(struct ufs_mount *mp, struct ufs_inode *ip, uint64_t newsize,
    const struct ufs_cred *cr);

/* Bit maps of the cylinder groups. */
static inline bool
ufs_isset(const uint8_t *m, int64_t i)
{
	return ((m[i >> 3] >> (i & 7)) & 1);
}

static inline void
ufs_setbit(uint8_t *m, int64_t i)
{
	m[i >> 3] |= (uint8_t)(1u << (i & 7));
}

static inline void
ufs_clrbit(uint8_t *m, int64_t i)
{
	m[i >> 3] &= (uint8_t) ~(1u << (i & 7));
}

/* ufs_cg.c: a cylinder group block in memory. */
struct ufs_cgbuf {
	uint8_t *p;	 /* fs_bsize bytes from the alloc callback */
	struct cg *cg;	 /* == p */
	int c;		 /* group index */
	struct csum old; /* cg_cs when loaded or last committed */
};
/* Reads and checks group c into b (b->p allocated; ufs_cg_release). */
int ufs_cg_load(struct ufs_mount *mp, int c, struct ufs_cgbuf *b);
/* Writes b (cg_time now) and adds its count changes to the summaries. */
int ufs_cg_commit(struct ufs_mount *mp, struct ufs_cgbuf *b);
void ufs_cg_release(struct ufs_mount *mp, struct ufs_cgbuf *b);
/* Adds delta to the free block totals of the block at group frag d. */
void ufs_cg_count_block(const struct fs *fs, struct ufs_cgbuf *b, int64_t d,
    int delta);
/* Sets (cnt 1) or clears (-1) block blk in the cluster map and sums. */
void ufs_cg_cluster_acct(const struct fs *fs, struct ufs_cgbuf *b, int64_t blk,
    int cnt);
/* Adds cnt to cg_frsum for the free runs of the block at base. */
void ufs_cg_fragacct(const struct fs *fs, struct ufs_cgbuf *b, int64_t base,
    int cnt);
/* True when the whole block at group fragment base is free. */
bool ufs_cg_block_free(const struct fs *fs, const struct ufs_cgbuf *b,
    int64_t base);
/*
 * Allocates size bytes (a block, or a fragment run) in group b near group
 * fragment pref (-1: none); returns the group fragment or -1.
 */
int64_t ufs_cg_alloc(const struct fs *fs, struct ufs_cgbuf *b, int64_t pref,
    int64_t size);

/* ufs_alloc.c */
/* Preferred fragment for block lbn of ip (prev: the block before). */
int64_t ufs_blkpref(struct ufs_mount *mp, struct ufs_inode *ip, int64_t prev);
/* Allocates size bytes (fragment multiple, <= fs_bsize) near bpref. */
int ufs_alloc(struct ufs_mount *mp, struct ufs_inode *ip, int64_t bpref,
    int64_t size, const struct ufs_cred *cr, int64_t *bnp);
/*
 * Extends the fragment run at bprev (osize bytes) to nsize bytes: in
 * place if possible, else in a new place with the old data copied; the
 * bytes past osize are zeroed on disk.
 */
int ufs_realloccg(struct ufs_mount *mp, struct ufs_inode *ip, int64_t bprev,
    int64_t osize, int64_t nsize, const struct ufs_cred *cr, int64_t *bnp);
/* Frees size bytes at bn; EINVAL when any of it is free already. */
int ufs_blkfree(struct ufs_mount *mp, int64_t bn, int64_t size);
/* Allocates an inode for a file of mode near directory dp. */
int ufs_ialloc(struct ufs_mount *mp, struct ufs_inode *dp, uint32_t mode,
    uint32_t *inop);
int ufs_ifree(struct ufs_mount *mp, uint32_t ino, uint32_t mode);

/* ufs_rdwr.c: stores a new symlink's target (inode or block). */
int ufs_setlink(struct ufs_mount *mp, struct ufs_inode *ip, const char *target,
    size_t tlen, const struct ufs_cred *cr);

/* ufs_lookup.c: directory primitives. */
struct ufs_dirslot {
	uint64_t off;	  /* entry found (or slot to use) */
	uint64_t prevoff; /* entry before it in its chunk, or off */
	uint32_t ino;	  /* its inode */
	uint64_t freeoff; /* an entry with room for the name, or ~0 */
	uint64_t dirsize; /* new size when the directory must grow */
};
/*
 * Finds name in dp, filling *slot; also notes where an entry of namelen
 * would fit.  Returns 0, ENOENT (slot->freeoff set up) or an errno.
 */
int ufs_dirscan(struct ufs_mount *mp, struct ufs_inode *dp, const char *name,
    size_t len, struct ufs_dirslot *slot);
/* Adds name -> ino (DT type) to dp using slot from a failed scan. */
int ufs_direnter(struct ufs_mount *mp, struct ufs_inode *dp, const char *name,
    size_t len, uint32_t ino, int type, const struct ufs_dirslot *slot,
    const struct ufs_cred *cr);
/* Removes the entry at slot (found by ufs_dirscan). */
int ufs_dirremove(struct ufs_mount *mp, struct ufs_inode *dp,
    const struct ufs_dirslot *slot);
/* Points the entry at slot->off to ino (type). */
int ufs_dirrewrite(struct ufs_mount *mp, struct ufs_inode *dp, uint64_t off,
    uint32_t ino, int type);
/* 0 when ip has only "." and "..", ENOTEMPTY otherwise. */
int ufs_dirempty(struct ufs_mount *mp, struct ufs_inode *ip, uint32_t *dotdot);
/* Valid names: 1..255 bytes, no '/' or NUL. */
int ufs_checkname(const char *name, size_t len);

#endif /* RUNTIME_VFS_UFS_UFS_PRIVATE_H */
