/*
 * ufs_bmap.c - the block map of a UFS1 inode: logical to physical block
 * through di_db and the single, double and triple indirect blocks; block
 * allocation for writes (ffs_balloc) with fragment tails; freeing blocks
 * past a new length (ffs_truncate, ffs_indirtrunc).  See ufs_private.h.
 *
 * Indirect blocks are read and written one fragment at a time (the one
 * holding the pointer wanted), so the I/O stays at fragment granularity
 * and a call holds at most one fragment buffer per indirection level
 * and one zeroed block.  Pointers read from the disk are checked against
 * the file system before use.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/vfs/ufs/ufs_private.h"

/* Where logical block lbn is: level -1 (direct) or 0..2 and indices. */
struct bpath {
	int level;
	int64_t idx[NIADDR]; /* index in the block of each level, top first */
};

static int
getpath(const struct fs *fs, int64_t lbn, struct bpath *p)
{
	int64_t span = 1, n = fs->fs_nindir;

	if (lbn < 0)
		return (EINVAL);
	if (lbn < NDADDR) {
		p->level = -1;
		return (0);
	}
	lbn -= NDADDR;
	for (int k = 0; k < NIADDR; k++) {
		span *= n;
		if (lbn < span) {
			p->level = k;
			for (int i = k; i >= 0; i--) {
				p->idx[i] = lbn % n;
				lbn /= n;
			}
			return (0);
		}
		lbn -= span;
	}
	return (EFBIG);
}

static bool
fullblk_ok(const struct fs *fs, int64_t bn)
{
	return (ufs_blk_ok(fs, bn, fs->fs_frag) && ufs_fragnum(fs, bn) == 0);
}

/* Reads pointer idx of indirect block blk, with the fragment in buf. */
static int
get_ptr(struct ufs_mount *mp, int64_t blk, int64_t idx, int32_t *buf,
    int32_t *vp)
{
	const struct fs *fs = mp->fs;
	int64_t per = fs->fs_fsize / 4;
	int error;

	if (!fullblk_ok(fs, blk))
		return (EINVAL);
	if ((error = ufs_bread(mp, blk + idx / per, 1, buf)) != 0)
		return (error);
	*vp = buf[idx % per];
	return (0);
}

/* Sets pointer idx of blk to v (buf holds its fragment from get_ptr). */
static int
put_ptr(struct ufs_mount *mp, int64_t blk, int64_t idx, int32_t *buf, int32_t v)
{
	int64_t per = mp->fs->fs_fsize / 4;

	buf[idx % per] = v;
	return (ufs_bwrite(mp, blk + idx / per, 1, buf));
}

int
ufs_bmap(struct ufs_mount *mp, struct ufs_inode *ip, int64_t lbn, int64_t *bnp)
{
	const struct fs *fs = mp->fs;
	struct bpath p;
	int32_t *buf, v;
	int64_t bn;
	int error;

	if ((error = getpath(fs, lbn, &p)) != 0)
		return (error);
	if (p.level < 0) {
		bn = ip->din.di_db[lbn];
		if (bn != 0 && !ufs_blk_ok(fs, bn, 1))
			return (EINVAL);
		*bnp = bn;
		return (0);
	}
	if ((buf = ufs_malloc(mp, (size_t)fs->fs_fsize)) == NULL)
		return (ENOMEM);
	bn = ip->din.di_ib[p.level];
	for (int i = 0; i <= p.level && bn != 0 && error == 0; i++) {
		error = get_ptr(mp, bn, p.idx[i], buf, &v);
		bn = v;
	}
	ufs_mfree(mp, buf);
	if (error == 0 && bn != 0 && !fullblk_ok(fs, bn))
		error = EINVAL;
	if (error == 0)
		*bnp = bn;
	return (error);
}

int64_t
ufs_blksize(const struct fs *fs, uint64_t size, int64_t lbn)
{
	if (lbn >= NDADDR || size >= (uint64_t)(lbn + 1) << fs->fs_bshift)
		return (fs->fs_bsize);
	if (size <= (uint64_t)lbn << fs->fs_bshift)
		return (0);
	return (ufs_fragroundup(fs, ufs_blkoff(fs, size)));
}

int
ufs_grow_tail(struct ufs_mount *mp, struct ufs_inode *ip, uint64_t newsize,
    const struct ufs_cred *cr)
{
	const struct fs *fs = mp->fs;
	int64_t nb = ufs_lblkno(fs, ip->din.di_size), osize, nsize, bn;
	int error;

	if (nb >= NDADDR || ip->din.di_db[nb] == 0)
		return (0);
	osize = ufs_blksize(fs, ip->din.di_size, nb);
	nsize = ufs_blksize(fs, newsize, nb);
	if (osize == 0 || nsize <= osize)
		return (0);
	error = ufs_realloccg(mp, ip, ip->din.di_db[nb], osize, nsize, cr, &bn);
	if (error == 0)
		ip->din.di_db[nb] = (int32_t)bn;
	return (error);
}

/* Allocates a zeroed full block near pref. */
static int
alloc_zeroed(struct ufs_mount *mp, struct ufs_inode *ip, int64_t pref,
    const struct ufs_cred *cr, int64_t *bnp)
{
	const struct fs *fs = mp->fs;
	void *z;
	int error;

	if ((error = ufs_alloc(mp, ip, pref, fs->fs_bsize, cr, bnp)) != 0)
		return (error);
	if ((z = ufs_malloc(mp, (size_t)fs->fs_bsize)) == NULL)
		error = ENOMEM;
	else {
		memset(z, 0, (size_t)fs->fs_bsize);
		error = ufs_bwrite(mp, *bnp, fs->fs_frag, z);
		ufs_mfree(mp, z);
	}
	if (error != 0) {
		(void)ufs_blkfree(mp, *bnp, fs->fs_bsize);
		ip->din.di_blocks -= (int32_t)ufs_btodb(fs->fs_bsize);
	}
	return (error);
}

static int
balloc_direct(struct ufs_mount *mp, struct ufs_inode *ip, int64_t lbn,
    uint64_t newsize, const struct ufs_cred *cr, int64_t *bnp, bool *isnew)
{
	const struct fs *fs = mp->fs;
	int64_t nb = ip->din.di_db[lbn], nsize, osize, bn;
	int error;

	nsize = ufs_blksize(fs, newsize, lbn);
	*isnew = false;
	if (nb != 0) {
		osize = ufs_blksize(fs, ip->din.di_size, lbn);
		if (osize == 0 || !ufs_blk_ok(fs, nb, osize >> fs->fs_fshift))
			return (EINVAL); /* a block past the end */
		if (nsize <= osize) {
			*bnp = nb;
			return (0);
		}
		error = ufs_realloccg(mp, ip, nb, osize, nsize, cr, &bn);
		if (error == 0)
			ip->din.di_db[lbn] = (int32_t)(*bnp = bn);
		return (error);
	}
	error = ufs_alloc(mp, ip,
	    ufs_blkpref(mp, ip, lbn > 0 ? ip->din.di_db[lbn - 1] : 0), nsize,
	    cr, &bn);
	if (error == 0) {
		ip->din.di_db[lbn] = (int32_t)(*bnp = bn);
		*isnew = true;
	}
	return (error);
}

static int balloc_ind(struct ufs_mount *mp, struct ufs_inode *ip, int64_t lbn,
    const struct bpath *pp, uint64_t newsize, const struct ufs_cred *cr,
    int64_t *bnp, bool *isnew);

int
ufs_balloc(struct ufs_mount *mp, struct ufs_inode *ip, int64_t lbn,
    uint64_t newsize, const struct ufs_cred *cr, int64_t *bnp, bool *isnew)
{
	const struct fs *fs = mp->fs;
	struct bpath p;
	int64_t tail, osize;
	int error;

	if (newsize > mp->maxfilesize)
		return (EFBIG);
	if ((error = getpath(fs, lbn, &p)) != 0)
		return (error);
	tail = ufs_lblkno(fs, ip->din.di_size);
	osize = tail < NDADDR ? ufs_blksize(fs, ip->din.di_size, tail) : 0;
	if (lbn > tail && (error = ufs_grow_tail(mp, ip, newsize, cr)) != 0)
		return (error);
	error = balloc_ind(mp, ip, lbn, &p, newsize, cr, bnp, isnew);
	if (error != 0 && lbn > tail && tail < NDADDR && osize != 0 &&
	    osize < fs->fs_bsize && ip->din.di_db[tail] != 0 &&
	    ufs_blkfree(mp, ip->din.di_db[tail] + (osize >> fs->fs_fshift),
		fs->fs_bsize - osize) == 0)
		ip->din.di_blocks -= (int32_t)ufs_btodb(fs->fs_bsize - osize);
	return (error);
}

/* ufs_balloc past the tail handling: the block itself and its path. */
static int
balloc_ind(struct ufs_mount *mp, struct ufs_inode *ip, int64_t lbn,
    const struct bpath *pp, uint64_t newsize, const struct ufs_cred *cr,
    int64_t *bnp, bool *isnew)
{
	const struct fs *fs = mp->fs;
	struct bpath p = *pp;
	int32_t *buf = NULL, v;
	int64_t bn, nbn, pref;
	int error;

	if (p.level < 0)
		return (balloc_direct(mp, ip, lbn, newsize, cr, bnp, isnew));
	*isnew = false;
	pref = ufs_blkpref(mp, ip, ip->din.di_db[NDADDR - 1]);
	bn = ip->din.di_ib[p.level];
	if (bn == 0) {
		if ((error = alloc_zeroed(mp, ip, pref, cr, &bn)) != 0)
			return (error);
		ip->din.di_ib[p.level] = (int32_t)bn;
	}
	if ((buf = ufs_malloc(mp, (size_t)fs->fs_fsize)) == NULL)
		return (ENOMEM);
	for (int i = 0; i <= p.level; i++) {
		if ((error = get_ptr(mp, bn, p.idx[i], buf, &v)) != 0)
			break;
		nbn = v;
		if (nbn != 0) {
			if (!fullblk_ok(fs, nbn)) {
				error = EINVAL;
				break;
			}
			bn = nbn;
			continue;
		}
		if (i < p.level)
			error = alloc_zeroed(mp, ip, bn, cr, &nbn);
		else {
			error = ufs_alloc(mp, ip, ufs_blkpref(mp, ip, bn),
			    fs->fs_bsize, cr, &nbn);
			*isnew = error == 0;
		}
		if (error != 0)
			break;
		if ((error = put_ptr(mp, bn, p.idx[i], buf, (int32_t)nbn)) != 0)
			break;
		bn = nbn;
	}
	ufs_mfree(mp, buf);
	if (error == 0)
		*bnp = bn;
	return (error);
}

/*
 * Frees what indirect block bn (covering logical blocks from base, each
 * pointer span blocks at level lv) holds past lastblock.  When the whole
 * block is past it, everything under it goes (the caller frees bn).
 */
static int
trunc_ind(struct ufs_mount *mp, struct ufs_inode *ip, int64_t bn, int lv,
    int64_t base, int64_t lastblock)
{
	const struct fs *fs = mp->fs;
	int64_t per = fs->fs_fsize / 4, span = 1, j, f, cb;
	int32_t *buf;
	bool dirty;
	int error = 0;

	for (int i = 0; i < lv; i++)
		span *= fs->fs_nindir;
	if (!fullblk_ok(fs, bn))
		return (EINVAL);
	j = lastblock < base ? 0 : (lastblock - base) / span;
	if (j >= fs->fs_nindir)
		return (0);
	if ((buf = ufs_malloc(mp, (size_t)fs->fs_fsize)) == NULL)
		return (ENOMEM);
	for (f = j / per; f < fs->fs_frag && error == 0; f++) {
		if ((error = ufs_bread(mp, bn + f, 1, buf)) != 0)
			break;
		dirty = false;
		for (int64_t k = 0; k < per && error == 0; k++) {
			cb = base + (f * per + k) * span;
			if (buf[k] == 0 || cb + span - 1 <= lastblock)
				continue;
			if (!fullblk_ok(fs, buf[k])) {
				error = EINVAL;
				break;
			}
			if (lv > 0 &&
			    (error = trunc_ind(mp, ip, buf[k], lv - 1, cb,
				 lastblock)) != 0)
				break;
			if (cb <= lastblock)
				continue; /* partly kept */
			if ((error = ufs_blkfree(mp, buf[k], fs->fs_bsize)) !=
			    0)
				break;
			ip->din.di_blocks -= (int32_t)ufs_btodb(fs->fs_bsize);
			buf[k] = 0;
			dirty = true;
		}
		if (dirty && base <= lastblock)
			error = ufs_bwrite(mp, bn + f, 1, buf);
	}
	ufs_mfree(mp, buf);
	return (error);
}

int
ufs_bmap_trunc(struct ufs_mount *mp, struct ufs_inode *ip, uint64_t length)
{
	const struct fs *fs = mp->fs;
	struct ufs1_dinode *dp = &ip->din;
	uint64_t osize = dp->di_size;
	int64_t lastblock, base = NDADDR, span = 1, bn, o, n;
	int error;

	lastblock = (int64_t)((length + (uint64_t)fs->fs_bsize - 1) >>
			fs->fs_bshift) -
	    1;
	for (int k = 0; k < NIADDR; k++) {
		span *= fs->fs_nindir;
		bn = dp->di_ib[k];
		if (bn != 0 && lastblock < base + span - 1) {
			if ((error = trunc_ind(mp, ip, bn, k, base,
				 lastblock)) != 0)
				return (error);
			if (lastblock < base) {
				if ((error = ufs_blkfree(mp, bn,
					 fs->fs_bsize)) != 0)
					return (error);
				dp->di_blocks -= (int32_t)
				    ufs_btodb(fs->fs_bsize);
				dp->di_ib[k] = 0;
			}
		}
		base += span;
	}
	for (int64_t lbn = NDADDR - 1; lbn >= 0 && lbn > lastblock; lbn--) {
		if ((bn = dp->di_db[lbn]) == 0)
			continue;
		o = ufs_blksize(fs, osize, lbn);
		if (o == 0)
			o = fs->fs_bsize; /* past the end: assume a block */
		if ((error = ufs_blkfree(mp, bn, o)) != 0)
			return (error);
		dp->di_blocks -= (int32_t)ufs_btodb(o);
		dp->di_db[lbn] = 0;
	}
	if (lastblock >= 0 && lastblock < NDADDR &&
	    (bn = dp->di_db[lastblock]) != 0) {
		o = ufs_blksize(fs, osize, lastblock);
		n = ufs_blksize(fs, length, lastblock);
		if (n < o) {
			error = ufs_blkfree(mp, bn + (n >> fs->fs_fshift),
			    o - n);
			if (error != 0)
				return (error);
			dp->di_blocks -= (int32_t)ufs_btodb(o - n);
		}
	}
	return (0);
}
