/*
 * ufs_cg.c - cylinder group blocks of the UFS1 library: loading (with
 * ufs_cg_check and the checks of the maps this code indexes), writing
 * back with the count changes carried to the summaries, and the map
 * bookkeeping FFS keeps (ufs_private.h): free fragment map, free cluster
 * map and its run counts, per-cylinder block totals, fragment run counts
 * cg_frsum and cg_cs.  Allocation inside one group is here too; the
 * choice of group and the callers' bookkeeping are in ufs_alloc.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/vfs/ufs/ufs_private.h"

int
ufs_cg_load(struct ufs_mount *mp, int c, struct ufs_cgbuf *b)
{
	struct fs *fs = mp->fs;
	struct cg *cg;
	int64_t n = ufs_fragroundup(fs, fs->fs_cgsize) >> fs->fs_fshift;
	int error;

	if (c < 0 || c >= fs->fs_ncg)
		return (EINVAL);
	if ((b->p = ufs_malloc(mp, (size_t)fs->fs_bsize)) == NULL)
		return (ENOMEM);
	b->c = c;
	b->cg = cg = (struct cg *)b->p;
	if ((error = ufs_bread(mp, ufs_cgtod(fs, c), n, b->p)) != 0)
		goto fail;
	error = EINVAL;
	if (ufs_cg_check(fs, b->p, (size_t)fs->fs_cgsize, c) != NULL)
		goto fail;
	if (cg->cg_ndblk > fs->fs_size - ufs_cgbase(fs, c) ||
	    cg->cg_btotoff < (int32_t)sizeof(struct cg) ||
	    cg->cg_btotoff + (int64_t)fs->fs_cpg * 4 > fs->fs_cgsize ||
	    cg->cg_btotoff % 4 != 0 || cg->cg_boff < 0 || cg->cg_boff % 2 ||
	    cg->cg_boff + (int64_t)fs->fs_cpg * fs->fs_nrpos * 2 >
		fs->fs_cgsize)
		goto fail;
	if (fs->fs_contigsumsize > 0 &&
	    cg->cg_nclusterblks > cg->cg_ndblk / fs->fs_frag)
		goto fail;
	b->old = cg->cg_cs;
	return (0);
fail:
	ufs_mfree(mp, b->p);
	b->p = NULL;
	return (error);
}

/* Writes the group and carries its count changes to the summaries. */
int
ufs_cg_commit(struct ufs_mount *mp, struct ufs_cgbuf *b)
{
	struct fs *fs = mp->fs;
	struct csum *now = &b->cg->cg_cs, *cs = &mp->cs[b->c];
	int32_t ns;
	int error;

	ufs_now(mp, &b->cg->cg_time, &ns);
	error = ufs_bwrite(mp, ufs_cgtod(fs, b->c),
	    ufs_fragroundup(fs, fs->fs_cgsize) >> fs->fs_fshift, b->p);
	if (error != 0)
		return (error);
#define DELTA(f)                               \
	do {                                   \
		int32_t d = now->f - b->old.f; \
		cs->f += d;                    \
		fs->fs_cstotal.f += d;         \
	} while (0)
	DELTA(cs_ndir);
	DELTA(cs_nbfree);
	DELTA(cs_nifree);
	DELTA(cs_nffree);
#undef DELTA
	b->old = *now;
	fs->fs_fmod = 1;
	mp->dirty = 1;
	return (0);
}

void
ufs_cg_release(struct ufs_mount *mp, struct ufs_cgbuf *b)
{
	ufs_mfree(mp, b->p);
	b->p = NULL;
}

/* Free-block totals per cylinder and rotational position (cg_blktot). */
void
ufs_cg_count_block(const struct fs *fs, struct ufs_cgbuf *b, int64_t d,
    int delta)
{
	int64_t sect = d * fs->fs_nspf % fs->fs_spc;
	int64_t cyl = d * fs->fs_nspf / fs->fs_spc;
	int64_t rpos = (sect / fs->fs_nsect * fs->fs_trackskew +
			   sect % fs->fs_nsect * fs->fs_interleave) %
	    fs->fs_nsect * fs->fs_nrpos / fs->fs_npsect;
	uint8_t *tp, *bp;
	int32_t tot;
	int16_t blks;

	if (cyl < 0 || cyl >= fs->fs_cpg || rpos < 0 || rpos >= fs->fs_nrpos)
		return;
	tp = b->p + b->cg->cg_btotoff + cyl * 4;
	bp = b->p + b->cg->cg_boff + (cyl * fs->fs_nrpos + rpos) * 2;
	memcpy(&tot, tp, 4);
	tot += delta;
	memcpy(tp, &tot, 4);
	memcpy(&blks, bp, 2);
	blks = (int16_t)(blks + delta);
	memcpy(bp, &blks, 2);
}

/* Free-cluster map and run counts after block blk changed (cnt +-1). */
void
ufs_cg_cluster_acct(const struct fs *fs, struct ufs_cgbuf *b, int64_t blk,
    int cnt)
{
	struct cg *cg = b->cg;
	uint8_t *map = b->p + cg->cg_clusteroff;
	int64_t i, end, forw = 0, back = 0, len;
	int32_t v;

	if (fs->fs_contigsumsize <= 0 || blk >= cg->cg_nclusterblks)
		return;
	if (cnt > 0)
		ufs_setbit(map, blk);
	else
		ufs_clrbit(map, blk);
	end = blk + 1 + fs->fs_contigsumsize;
	if (end > cg->cg_nclusterblks)
		end = cg->cg_nclusterblks;
	for (i = blk + 1; i < end && ufs_isset(map, i); i++)
		forw++;
	end = blk - 1 - fs->fs_contigsumsize;
	if (end < -1)
		end = -1;
	for (i = blk - 1; i > end && ufs_isset(map, i); i--)
		back++;
	len = back + forw + 1;
	if (len > fs->fs_contigsumsize)
		len = fs->fs_contigsumsize;
#define SUM(n, d)                                                  \
	do {                                                       \
		uint8_t *sp = b->p + cg->cg_clustersumoff + (n)*4; \
		memcpy(&v, sp, 4);                                 \
		v += (d);                                          \
		memcpy(sp, &v, 4);                                 \
	} while (0)
	SUM(len, cnt);
	if (back > 0)
		SUM(back, -cnt);
	if (forw > 0)
		SUM(forw, -cnt);
#undef SUM
}

/* Adds cnt to cg_frsum for each free run shorter than a block. */
void
ufs_cg_fragacct(const struct fs *fs, struct ufs_cgbuf *b, int64_t base, int cnt)
{
	const uint8_t *map = b->p + b->cg->cg_freeoff;
	int run = 0;

	for (int i = 0; i <= fs->fs_frag; i++) {
		if (i < fs->fs_frag && base + i < b->cg->cg_ndblk &&
		    ufs_isset(map, base + i)) {
			run++;
			continue;
		}
		if (run > 0 && run < fs->fs_frag)
			b->cg->cg_frsum[run] += cnt;
		run = 0;
	}
}

bool
ufs_cg_block_free(const struct fs *fs, const struct ufs_cgbuf *b, int64_t base)
{
	const uint8_t *map = b->p + b->cg->cg_freeoff;

	if (base + fs->fs_frag > b->cg->cg_ndblk)
		return (false);
	for (int i = 0; i < fs->fs_frag; i++)
		if (!ufs_isset(map, base + i))
			return (false);
	return (true);
}

/* Takes the whole free block at group fragment base. */
static void
take_block(const struct fs *fs, struct ufs_cgbuf *b, int64_t base)
{
	for (int i = 0; i < fs->fs_frag; i++)
		ufs_clrbit(b->p + b->cg->cg_freeoff, base + i);
	ufs_cg_cluster_acct(fs, b, base / fs->fs_frag, -1);
	b->cg->cg_cs.cs_nbfree--;
	ufs_cg_count_block(fs, b, base, -1);
}

/* A free block in the group, at pref if free, else from cg_rotor. */
static int64_t
find_block(const struct fs *fs, struct ufs_cgbuf *b, int64_t pref)
{
	int64_t nblk = b->cg->cg_ndblk / fs->fs_frag, start, i, h;

	if (nblk == 0)
		return (-1);
	if (pref >= 0 && pref < b->cg->cg_ndblk &&
	    ufs_cg_block_free(fs, b, ufs_blknum(fs, pref)))
		return (ufs_blknum(fs, pref));
	start = b->cg->cg_rotor / fs->fs_frag;
	if (start < 0 || start >= nblk)
		start = 0;
	for (i = 0; i < nblk; i++) {
		h = (start + i) % nblk;
		if (ufs_cg_block_free(fs, b, h * fs->fs_frag)) {
			b->cg->cg_rotor = (int32_t)(h * fs->fs_frag);
			return (h * fs->fs_frag);
		}
	}
	return (-1);
}

/* A maximal free run of exactly want (or, when exact, at least) frags. */
static int64_t
find_run(const struct fs *fs, struct ufs_cgbuf *b, int want, bool exact)
{
	const uint8_t *map = b->p + b->cg->cg_freeoff;
	int64_t nblk = (b->cg->cg_ndblk + fs->fs_frag - 1) / fs->fs_frag;
	int64_t start = b->cg->cg_frotor / fs->fs_frag, h, base;

	if (start < 0 || start >= nblk)
		start = 0;
	for (int64_t k = 0; k < nblk; k++) {
		int run = 0;

		h = (start + k) % nblk;
		base = h * fs->fs_frag;
		if (ufs_cg_block_free(fs, b, base))
			continue;
		for (int i = 0; i <= fs->fs_frag; i++) {
			if (i < fs->fs_frag && base + i < b->cg->cg_ndblk &&
			    ufs_isset(map, base + i)) {
				run++;
				continue;
			}
			if (run > 0 && (exact ? run == want : run >= want)) {
				b->cg->cg_frotor = (int32_t)base;
				return (base + i - run);
			}
			run = 0;
		}
	}
	return (-1);
}

/* Allocates size bytes in the loaded group b; -1 when it cannot. */
int64_t
ufs_cg_alloc(const struct fs *fs, struct ufs_cgbuf *b, int64_t pref,
    int64_t size)
{
	int frags = (int)(size >> fs->fs_fshift), allocsiz;
	int64_t bno;

	if (size == fs->fs_bsize) {
		if (b->cg->cg_cs.cs_nbfree == 0 ||
		    (bno = find_block(fs, b, pref)) < 0)
			return (-1);
		take_block(fs, b, bno);
		return (bno);
	}
	for (allocsiz = frags; allocsiz < fs->fs_frag; allocsiz++)
		if (b->cg->cg_frsum[allocsiz] != 0)
			break;
	bno = -1;
	if (allocsiz < fs->fs_frag)
		bno = find_run(fs, b, allocsiz, true);
	if (bno < 0)
		bno = find_run(fs, b, frags, false);
	if (bno < 0) {
		/* Split a whole block. */
		if (b->cg->cg_cs.cs_nbfree == 0 ||
		    (bno = find_block(fs, b, pref)) < 0)
			return (-1);
		take_block(fs, b, bno);
		for (int i = frags; i < fs->fs_frag; i++)
			ufs_setbit(b->p + b->cg->cg_freeoff, bno + i);
		b->cg->cg_cs.cs_nffree += fs->fs_frag - frags;
		b->cg->cg_frsum[fs->fs_frag - frags]++;
		return (bno);
	}
	ufs_cg_fragacct(fs, b, ufs_blknum(fs, bno), -1);
	for (int i = 0; i < frags; i++)
		ufs_clrbit(b->p + b->cg->cg_freeoff, bno + i);
	b->cg->cg_cs.cs_nffree -= frags;
	ufs_cg_fragacct(fs, b, ufs_blknum(fs, bno), 1);
	return (bno);
}
