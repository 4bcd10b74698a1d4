/*
 * ufs_alloc.c - block, fragment and inode allocation by cylinder group,
 * in the manner of FFS's ffs_alloc.c (ufs_private.h).
 *
 * Each change reads the group's block, changes its maps and counts, and
 * writes it back at once (ufs_cg.c keeps the maps: free fragments,
 * inodes, free clusters and their run counts, per-cylinder block totals,
 * cg_frsum, cg_cs).  The same deltas go to the in-core summary array
 * and fs_cstotal, which ufs_sync() writes.  A
 * fragment or block being freed that is already free, or a map that
 * disagrees with its counts, is corruption: EINVAL, nothing changed.
 *
 * Group choice: a file's inode goes in its directory's group, a new
 * directory in a group with more free inodes than average and the fewest
 * directories; data near the previous block or in the inode's group;
 * when the preferred group is full, the others are tried in
 * ffs_hashalloc's order (quadratic rehash, then all of them).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/vfs/ufs/ufs_private.h"

/*
 * XXX Simpler than ffs_blkpref: no fs_maxbpg sections moving big files
 * to the next group and no rotational layout; the block after the
 * previous one, else the start of the inode's group's data.
 */
int64_t
ufs_blkpref(struct ufs_mount *mp, struct ufs_inode *ip, int64_t prev)
{
	struct fs *fs = mp->fs;

	if (prev > 0 && prev + fs->fs_frag < fs->fs_size)
		return (ufs_blknum(fs, prev) + fs->fs_frag);
	return (ufs_cgdmin(fs, ufs_ino_to_cg(fs, ip->ino)));
}

static bool
has_room(const struct ufs_mount *mp, const struct ufs_cred *cr, int64_t size)
{
	const struct fs *fs = mp->fs;
	int64_t free = (int64_t)fs->fs_cstotal.cs_nbfree * fs->fs_frag +
	    fs->fs_cstotal.cs_nffree;

	if (cr == NULL || cr->uid != 0)
		free -= (int64_t)fs->fs_dsize * fs->fs_minfree / 100;
	return (free - (size >> fs->fs_fshift) >= 0);
}

/*
 * The order in which ffs_hashalloc tries the groups: the preferred one,
 * then a quadratic rehash (pref + 1, + 3, + 7, ...), then all from
 * pref + 2 on.  Some groups come twice; each comes at least once.
 */
struct probe {
	int pref, c, phase;
	int64_t i;
};

static void
probe_init(struct probe *p, int pref)
{
	p->pref = p->c = pref;
	p->phase = 0;
	p->i = 1;
}

/* The next group to try, or -1. */
static int
probe_next(const struct fs *fs, struct probe *p)
{
	int r;

	if (p->phase == 0) {
		p->phase = 1;
		return (p->pref);
	}
	if (p->phase == 1) {
		if (p->i < fs->fs_ncg) {
			p->c = (int)((p->c + p->i) % fs->fs_ncg);
			p->i *= 2;
			return (p->c);
		}
		p->phase = 2;
		p->c = (p->pref + 2) % fs->fs_ncg;
		p->i = 2;
	}
	if (p->i >= fs->fs_ncg)
		return (-1);
	r = p->c;
	p->c = (p->c + 1) % fs->fs_ncg;
	p->i++;
	return (r);
}

int
ufs_alloc(struct ufs_mount *mp, struct ufs_inode *ip, int64_t bpref,
    int64_t size, const struct ufs_cred *cr, int64_t *bnp)
{
	struct fs *fs = mp->fs;
	struct ufs_cgbuf b;
	struct probe pr;
	int pref, c, error;
	int64_t bno;

	if (mp->flags & UFS_MNT_RDONLY)
		return (EROFS);
	if (size <= 0 || size > fs->fs_bsize || (size & fs->fs_qfmask) != 0)
		return (EINVAL);
	if ((size == fs->fs_bsize && fs->fs_cstotal.cs_nbfree <= 0) ||
	    !has_room(mp, cr, size))
		return (ENOSPC);
	pref = bpref > 0 && bpref < fs->fs_size ?
	    ufs_dtog(fs, bpref) :
	    (int)ufs_ino_to_cg(fs, ip->ino);
	for (probe_init(&pr, pref); (c = probe_next(fs, &pr)) >= 0;) {
		const struct csum *cs = &mp->cs[c];

		if (cs->cs_nbfree == 0 &&
		    (size == fs->fs_bsize ||
			cs->cs_nffree < (size >> fs->fs_fshift)))
			continue;
		if ((error = ufs_cg_load(mp, c, &b)) != 0)
			return (error);
		bno = ufs_cg_alloc(fs, &b,
		    c == pref && bpref > 0 ? ufs_dtogd(fs, bpref) : -1, size);
		if (bno < 0) {
			ufs_cg_release(mp, &b);
			continue;
		}
		error = ufs_cg_commit(mp, &b);
		ufs_cg_release(mp, &b);
		if (error != 0)
			return (error);
		*bnp = ufs_cgbase(fs, c) + bno;
		ip->din.di_blocks += (int32_t)ufs_btodb(size);
		return (0);
	}
	return (ENOSPC);
}

int
ufs_blkfree(struct ufs_mount *mp, int64_t bn, int64_t size)
{
	struct fs *fs = mp->fs;
	int64_t frags = size >> fs->fs_fshift, d, base;
	struct ufs_cgbuf b;
	int error;

	if (!ufs_blk_ok(fs, bn, frags) || (size & fs->fs_qfmask) != 0 ||
	    ufs_fragnum(fs, bn) + frags > fs->fs_frag)
		return (EINVAL);
	if ((error = ufs_cg_load(mp, ufs_dtog(fs, bn), &b)) != 0)
		return (error);
	d = ufs_dtogd(fs, bn);
	base = ufs_blknum(fs, d);
	error = EINVAL;
	if (d < ufs_cgdmin(fs, b.c) - ufs_cgbase(fs, b.c) &&
	    (b.c == 0 || d >= ufs_cgsblock(fs, b.c) - ufs_cgbase(fs, b.c)))
		goto out; /* group metadata (and the boot area) */
	if (bn < fs->fs_csaddr + fs->fs_cssize / fs->fs_fsize &&
	    bn + frags > fs->fs_csaddr)
		goto out; /* the summary area */
	if (d + frags > b.cg->cg_ndblk)
		goto out;
	for (int64_t i = 0; i < frags; i++)
		if (ufs_isset(b.p + b.cg->cg_freeoff, d + i))
			goto out; /* freeing free space */
	if (frags == fs->fs_frag) {
		for (int i = 0; i < fs->fs_frag; i++)
			ufs_setbit(b.p + b.cg->cg_freeoff, d + i);
		ufs_cg_cluster_acct(fs, &b, d / fs->fs_frag, 1);
		b.cg->cg_cs.cs_nbfree++;
		ufs_cg_count_block(fs, &b, d, 1);
	} else {
		ufs_cg_fragacct(fs, &b, base, -1);
		for (int64_t i = 0; i < frags; i++)
			ufs_setbit(b.p + b.cg->cg_freeoff, d + i);
		b.cg->cg_cs.cs_nffree += (int32_t)frags;
		ufs_cg_fragacct(fs, &b, base, 1);
		if (ufs_cg_block_free(fs, &b, base)) {
			b.cg->cg_cs.cs_nffree -= fs->fs_frag;
			b.cg->cg_cs.cs_nbfree++;
			ufs_cg_cluster_acct(fs, &b, base / fs->fs_frag, 1);
			ufs_cg_count_block(fs, &b, base, 1);
		}
	}
	error = ufs_cg_commit(mp, &b);
out:
	ufs_cg_release(mp, &b);
	return (error);
}

/* Tries to grow the run at bprev from ofrags to nfrags where it is. */
static int
fragextend(struct ufs_mount *mp, int64_t bprev, int64_t ofrags, int64_t nfrags,
    bool *done)
{
	struct fs *fs = mp->fs;
	struct ufs_cgbuf b;
	int64_t d = ufs_dtogd(fs, bprev);
	int error;

	*done = false;
	if (ufs_fragnum(fs, bprev) + nfrags > fs->fs_frag)
		return (0);
	if ((error = ufs_cg_load(mp, ufs_dtog(fs, bprev), &b)) != 0)
		return (error);
	if (d + nfrags > b.cg->cg_ndblk)
		goto out;
	for (int64_t i = ofrags; i < nfrags; i++)
		if (!ufs_isset(b.p + b.cg->cg_freeoff, d + i))
			goto out;
	ufs_cg_fragacct(fs, &b, ufs_blknum(fs, d), -1);
	for (int64_t i = ofrags; i < nfrags; i++)
		ufs_clrbit(b.p + b.cg->cg_freeoff, d + i);
	b.cg->cg_cs.cs_nffree -= (int32_t)(nfrags - ofrags);
	ufs_cg_fragacct(fs, &b, ufs_blknum(fs, d), 1);
	if ((error = ufs_cg_commit(mp, &b)) == 0)
		*done = true;
out:
	ufs_cg_release(mp, &b);
	return (error);
}

int
ufs_realloccg(struct ufs_mount *mp, struct ufs_inode *ip, int64_t bprev,
    int64_t osize, int64_t nsize, const struct ufs_cred *cr, int64_t *bnp)
{
	struct fs *fs = mp->fs;
	int64_t ofrags = osize >> fs->fs_fshift,
		nfrags = nsize >> fs->fs_fshift;
	int64_t bn;
	uint8_t *buf;
	bool done;
	int error;

	if (mp->flags & UFS_MNT_RDONLY)
		return (EROFS);
	if (osize <= 0 || nsize > fs->fs_bsize || nsize <= osize ||
	    (osize & fs->fs_qfmask) || (nsize & fs->fs_qfmask) ||
	    !ufs_blk_ok(fs, bprev, ofrags))
		return (EINVAL);
	if (!has_room(mp, cr, nsize - osize))
		return (ENOSPC);
	if ((buf = ufs_malloc(mp, (size_t)fs->fs_bsize)) == NULL)
		return (ENOMEM);
	if ((error = fragextend(mp, bprev, ofrags, nfrags, &done)) != 0)
		goto out;
	if (done) {
		memset(buf, 0, (size_t)nsize);
		error = ufs_bwrite(mp, bprev + ofrags, nfrags - ofrags, buf);
		if (error == 0) {
			ip->din.di_blocks += (int32_t)ufs_btodb(nsize - osize);
			*bnp = bprev;
		}
		goto out;
	}
	if ((error = ufs_alloc(mp, ip, bprev, nsize, cr, &bn)) != 0)
		goto out;
	memset(buf, 0, (size_t)nsize);
	if ((error = ufs_bread(mp, bprev, ofrags, buf)) != 0 ||
	    (error = ufs_bwrite(mp, bn, nfrags, buf)) != 0) {
		(void)ufs_blkfree(mp, bn, nsize);
		ip->din.di_blocks -= (int32_t)ufs_btodb(nsize);
		goto out;
	}
	if ((error = ufs_blkfree(mp, bprev, osize)) == 0) {
		ip->din.di_blocks -= (int32_t)ufs_btodb(osize);
		*bnp = bn;
	}
out:
	ufs_mfree(mp, buf);
	return (error);
}

/* A group for a new directory: many free inodes, few directories. */
static int
dirpref(struct ufs_mount *mp)
{
	struct fs *fs = mp->fs;
	int32_t avgifree = fs->fs_cstotal.cs_nifree / fs->fs_ncg;
	int best = -1;

	for (int c = 0; c < fs->fs_ncg; c++)
		if (mp->cs[c].cs_nifree >= avgifree &&
		    mp->cs[c].cs_nifree > 0 &&
		    (best < 0 || mp->cs[c].cs_ndir < mp->cs[best].cs_ndir))
			best = c;
	return (best < 0 ? 0 : best);
}

int
ufs_ialloc(struct ufs_mount *mp, struct ufs_inode *dp, uint32_t mode,
    uint32_t *inop)
{
	struct fs *fs = mp->fs;
	bool dir = (mode & IFMT) == IFDIR;
	struct ufs_cgbuf b;
	struct probe pr;
	int pref, c, error;

	if (mp->flags & UFS_MNT_RDONLY)
		return (EROFS);
	if (fs->fs_cstotal.cs_nifree <= 0)
		return (ENOSPC);
	pref = dir ? dirpref(mp) : (int)ufs_ino_to_cg(fs, dp->ino);
	for (probe_init(&pr, pref); (c = probe_next(fs, &pr)) >= 0;) {
		uint8_t *map;
		int32_t start, k, n = 0;

		if (mp->cs[c].cs_nifree <= 0)
			continue;
		if ((error = ufs_cg_load(mp, c, &b)) != 0)
			return (error);
		map = b.p + b.cg->cg_iusedoff;
		start = b.cg->cg_irotor;
		if (start < 0 || start >= fs->fs_ipg)
			start = 0;
		for (k = 0; k < fs->fs_ipg; k++) {
			n = (start + k) % fs->fs_ipg;
			if (!ufs_isset(map, n) &&
			    (uint64_t)c * fs->fs_ipg + n >= ROOTINO)
				break;
		}
		if (k == fs->fs_ipg || b.cg->cg_cs.cs_nifree <= 0) {
			ufs_cg_release(mp, &b);
			continue;
		}
		ufs_setbit(map, n);
		b.cg->cg_irotor = n;
		b.cg->cg_cs.cs_nifree--;
		if (dir)
			b.cg->cg_cs.cs_ndir++;
		error = ufs_cg_commit(mp, &b);
		ufs_cg_release(mp, &b);
		if (error == 0)
			*inop = (uint32_t)c * (uint32_t)fs->fs_ipg +
			    (uint32_t)n;
		return (error);
	}
	return (ENOSPC);
}

int
ufs_ifree(struct ufs_mount *mp, uint32_t ino, uint32_t mode)
{
	struct fs *fs = mp->fs;
	struct ufs_cgbuf b;
	int32_t n;
	int error;

	if (ino < ROOTINO || ino >= mp->ninodes)
		return (EINVAL);
	if ((error = ufs_cg_load(mp, (int)ufs_ino_to_cg(fs, ino), &b)) != 0)
		return (error);
	n = (int32_t)(ino % (uint32_t)fs->fs_ipg);
	if (!ufs_isset(b.p + b.cg->cg_iusedoff, n)) {
		ufs_cg_release(mp, &b);
		return (EINVAL); /* freeing a free inode */
	}
	ufs_clrbit(b.p + b.cg->cg_iusedoff, n);
	if (n < b.cg->cg_irotor)
		b.cg->cg_irotor = n;
	b.cg->cg_cs.cs_nifree++;
	if ((mode & IFMT) == IFDIR && b.cg->cg_cs.cs_ndir > 0)
		b.cg->cg_cs.cs_ndir--;
	error = ufs_cg_commit(mp, &b);
	ufs_cg_release(mp, &b);
	return (error);
}
