/*
 * fsck_pass5.c - phase 5 of fsck_ufs: check cylinder groups.
 *
 * From the inode states and the used-fragment map of the earlier phases,
 * each group's maps and counts are recomputed and compared with what is
 * on disk: the counts, free-run summary (frsum), rotors and per-cylinder
 * free block tables ("SUMMARY INFORMATION BAD"), the inode, fragment and
 * cluster maps with the cluster summary ("BLK(S) MISSING IN BIT MAPS"),
 * the group's entry in the summary array and the superblock totals
 * ("FREE BLK COUNT(S) WRONG IN SUPERBLK").  A group whose header is not
 * sane is rebuilt as newfs lays it out.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "images/tools/fsck_ufs/fsck.h"

/* A group as it should be. */
struct newcg {
	struct csum cs;
	int32_t frsum[MAXFRAG];
	int32_t ndblk;
	int32_t clustersum[FS_MAXCONTIG + 1];
	uint8_t *inomap, *fragmap, *clustermap;
	int32_t *btot;
	int16_t *blks;
	bool tables;	    /* btot and blks are checked */
	int32_t cpg, nrpos; /* fs_cpg and fs_nrpos if sane, else 0 */
};

static bool
bit(const uint8_t *map, int64_t i)
{
	return ((map[i / 8] >> (i % 8)) & 1) != 0;
}

static void
setbit(uint8_t *map, int64_t i)
{
	map[i / 8] |= (uint8_t)(1u << (i % 8));
}

static void
putbit(uint8_t *map, int64_t i, bool on)
{
	if (on)
		setbit(map, i);
	else
		map[i / 8] &= (uint8_t) ~(1u << (i % 8));
}

/* Whether the rotational tables of cg lie inside the block. */
static bool
tables_ok(const struct fs *fs, const struct cg *cg, const struct newcg *n)
{
	int64_t size = fs->fs_cgsize;

	return (n->cpg > 0 && n->nrpos > 0 && fs->fs_spc > 0 &&
	    fs->fs_nsect > 0 && fs->fs_npsect > 0 &&
	    cg->cg_btotoff >= (int32_t)sizeof(*cg) && cg->cg_btotoff % 4 == 0 &&
	    cg->cg_btotoff + (int64_t)n->cpg * 4 <= size &&
	    cg->cg_boff >= (int32_t)sizeof(*cg) && cg->cg_boff % 2 == 0 &&
	    cg->cg_boff + (int64_t)n->cpg * n->nrpos * 2 <= size);
}

static bool
all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != 0)
			return (false);
	return (true);
}

/*
 * Lays out the header of group c as newfs does, with maps for fs_fpg
 * fragments (what newfs's cpg * spc / nspf comes to).
 */
static void
rebuild_header(struct fsck *f, int c, uint8_t *buf, const struct newcg *n)
{
	const struct fs *fs = &f->fs;
	struct cg *cg = (struct cg *)(void *)buf;
	int64_t off;

	memset(buf, 0, (size_t)fs->fs_cgsize);
	cg->cg_magic = CG_MAGIC;
	cg->cg_time = (int32_t)time(NULL);
	cg->cg_cgx = c;
	cg->cg_ncyl = (int16_t)(c == fs->fs_ncg - 1 && n->cpg > 0 ?
		fs->fs_ncyl % n->cpg :
		n->cpg);
	cg->cg_niblk = (int16_t)fs->fs_ipg;
	cg->cg_ndblk = n->ndblk;
	cg->cg_btotoff = (int32_t)sizeof(struct cg);
	off = cg->cg_btotoff + (int64_t)n->cpg * 4;
	cg->cg_boff = (int32_t)off;
	off += (int64_t)n->cpg * n->nrpos * 2;
	cg->cg_iusedoff = (int32_t)off;
	off += (fs->fs_ipg + 7) / 8;
	cg->cg_freeoff = (int32_t)off;
	off += (fs->fs_fpg + 7) / 8;
	if (fs->fs_contigsumsize > 0) {
		off = (off - 4 + 3) & ~3;
		cg->cg_clustersumoff = (int32_t)off;
		off += (fs->fs_contigsumsize + 1) * 4;
		cg->cg_clusteroff = (int32_t)off;
		off += (fs->fs_fpg / fs->fs_frag + 7) / 8;
		cg->cg_nclusterblks = n->ndblk / fs->fs_frag;
	}
	cg->cg_nextfreeoff = (int32_t)(off > fs->fs_cgsize ? -1 : off);
}

/* Counts the free runs within one block into frsum (ffs_fragacct). */
static void
fragacct(const struct fs *fs, const uint8_t *map, int64_t d, int32_t *frsum)
{
	int run = 0;

	for (int j = 0; j <= fs->fs_frag; j++) {
		if (j < fs->fs_frag && bit(map, d + j)) {
			run++;
			continue;
		}
		if (run > 0 && run < fs->fs_frag)
			frsum[run]++;
		run = 0;
	}
}

/* What group c should hold, from the states and the map. */
static void
compute(struct fsck *f, int c, struct newcg *n, const struct cg *cg)
{
	const struct fs *fs = &f->fs;
	int64_t base = ufs_cgbase(fs, c);
	int32_t run = 0, max = fs->fs_contigsumsize;

	n->cs.cs_nifree = fs->fs_ipg;
	for (int32_t i = 0; i < fs->fs_ipg; i++) {
		uint32_t ino = (uint32_t)c * (uint32_t)fs->fs_ipg + (uint32_t)i;
		uint8_t st = f->state[ino];

		if (ino >= ROOTINO && (st == USTATE || st == 0))
			continue;
		setbit(n->inomap, i);
		n->cs.cs_nifree--;
		if (st == DSTATE || st == DFOUND || st == DCLEAR)
			n->cs.cs_ndir++;
	}
	for (int64_t d = 0; d < n->ndblk; d += fs->fs_frag) {
		int frags = 0;

		for (int j = 0; j < fs->fs_frag && d + j < n->ndblk; j++) {
			if (testbmap(f, base + d + j))
				continue;
			setbit(n->fragmap, d + j);
			frags++;
		}
		if (frags < fs->fs_frag) {
			n->cs.cs_nffree += frags;
			fragacct(fs, n->fragmap, d, n->frsum);
			continue;
		}
		n->cs.cs_nbfree++;
		if (max > 0)
			setbit(n->clustermap, d / fs->fs_frag);
		if (n->tables) {
			int64_t sect = d * fs->fs_nspf % fs->fs_spc;
			int64_t cyl = d * fs->fs_nspf / fs->fs_spc;
			int64_t rpos = (sect / fs->fs_nsect * fs->fs_trackskew +
					   sect % fs->fs_nsect *
					       fs->fs_interleave) %
			    fs->fs_nsect * n->nrpos / fs->fs_npsect;

			if (cyl < n->cpg && rpos >= 0 && rpos < n->nrpos) {
				n->btot[cyl]++;
				n->blks[cyl * n->nrpos + rpos]++;
			}
		}
	}
	for (int32_t i = 0; max > 0 && i <= n->ndblk / fs->fs_frag; i++) {
		if (i < n->ndblk / fs->fs_frag && bit(n->clustermap, i)) {
			run++;
			continue;
		}
		if (run != 0)
			n->clustersum[run > max ? max : run]++;
		run = 0;
	}
	(void)cg;
}

/* The counts, frsum, rotors and tables; fixes them in buf. */
static bool
check_summary(struct fsck *f, uint8_t *buf, const struct newcg *n)
{
	const struct fs *fs = &f->fs;
	struct cg *cg = (struct cg *)(void *)buf;
	size_t tsize = (size_t)n->cpg * 4;
	size_t bsize = (size_t)n->cpg * (size_t)n->nrpos * 2;
	bool same = memcmp(&cg->cg_cs, &n->cs, sizeof(n->cs)) == 0 &&
	    memcmp(cg->cg_frsum, n->frsum, sizeof(n->frsum)) == 0 &&
	    cg->cg_rotor >= 0 && cg->cg_rotor < n->ndblk &&
	    cg->cg_frotor >= 0 && cg->cg_frotor < n->ndblk &&
	    cg->cg_irotor >= 0 && cg->cg_irotor < fs->fs_ipg;

	if (n->tables)
		same = same &&
		    memcmp(buf + cg->cg_btotoff, n->btot, tsize) == 0 &&
		    memcmp(buf + cg->cg_boff, n->blks, bsize) == 0;
	if (same)
		return (false);
	pwarn(f, "SUMMARY INFORMATION BAD");
	if (!preenfix(f, "FIXED", "FIX"))
		return (false);
	cg->cg_cs = n->cs;
	memcpy(cg->cg_frsum, n->frsum, sizeof(n->frsum));
	if (cg->cg_rotor < 0 || cg->cg_rotor >= n->ndblk)
		cg->cg_rotor = 0;
	if (cg->cg_frotor < 0 || cg->cg_frotor >= n->ndblk)
		cg->cg_frotor = 0;
	if (cg->cg_irotor < 0 || cg->cg_irotor >= fs->fs_ipg)
		cg->cg_irotor = 0;
	if (n->tables) {
		memcpy(buf + cg->cg_btotoff, n->btot, tsize);
		memcpy(buf + cg->cg_boff, n->blks, bsize);
	}
	return (true);
}

/* The inode, fragment and cluster maps; fixes them in buf. */
static bool
check_maps(struct fsck *f, uint8_t *buf, const struct newcg *n)
{
	const struct fs *fs = &f->fs;
	struct cg *cg = (struct cg *)(void *)buf;
	uint8_t *imap = buf + cg->cg_iusedoff, *fmap = buf + cg->cg_freeoff;
	int32_t nclusters = n->ndblk / fs->fs_frag, max = fs->fs_contigsumsize;
	bool same = true;

	for (int32_t i = 0; i < fs->fs_ipg && same; i++)
		same = bit(imap, i) == bit(n->inomap, i);
	for (int32_t i = 0; i < n->ndblk && same; i++)
		same = bit(fmap, i) == bit(n->fragmap, i);
	if (max > 0) {
		uint8_t *cmap = buf + cg->cg_clusteroff;

		for (int32_t i = 0; i < nclusters && same; i++)
			same = bit(cmap, i) == bit(n->clustermap, i);
		same = same &&
		    memcmp(buf + cg->cg_clustersumoff + 4, n->clustersum + 1,
			(size_t)max * 4) == 0;
	}
	if (same)
		return (false);
	pwarn(f, "BLK(S) MISSING IN BIT MAPS");
	if (!preenfix(f, "FIXED", "FIX"))
		return (false);
	for (int32_t i = 0; i < fs->fs_ipg; i++)
		putbit(imap, i, bit(n->inomap, i));
	for (int32_t i = 0; i < n->ndblk; i++)
		putbit(fmap, i, bit(n->fragmap, i));
	if (max > 0) {
		for (int32_t i = 0; i < nclusters; i++)
			putbit(buf + cg->cg_clusteroff, i,
			    bit(n->clustermap, i));
		memcpy(buf + cg->cg_clustersumoff + 4, n->clustersum + 1,
		    (size_t)max * 4);
	}
	return (true);
}

/* One group: returns what it should count. */
static struct csum
check_cg(struct fsck *f, int c, uint8_t *buf, struct newcg *n)
{
	const struct fs *fs = &f->fs;
	struct cg *cg = (struct cg *)(void *)buf;
	int64_t end = ufs_cgbase(fs, c + 1);
	const char *msg;
	bool dirty = false;

	memset(n->inomap, 0, ((size_t)fs->fs_ipg + 7) / 8);
	memset(n->fragmap, 0, ((size_t)fs->fs_fpg + 7) / 8);
	memset(n->clustermap, 0, ((size_t)fs->fs_fpg + 7) / 8 + 1);
	memset(n->btot, 0, (size_t)n->cpg * 4);
	memset(n->blks, 0, (size_t)n->cpg * (size_t)n->nrpos * 2);
	memset(&n->cs, 0, sizeof(n->cs));
	memset(n->frsum, 0, sizeof(n->frsum));
	memset(n->clustersum, 0, sizeof(n->clustersum));
	n->ndblk = (int32_t)((end > fs->fs_size ? fs->fs_size : end) -
	    ufs_cgbase(fs, c));
	dev_read(f, ufs_cgtod(fs, c), buf, (size_t)fs->fs_cgsize);
	msg = ufs_cg_check(fs, buf, (size_t)fs->fs_cgsize, c);
	if (msg == NULL && cg->cg_ndblk != n->ndblk)
		msg = "cg_ndblk: not the size of the group";
	if (msg == NULL && fs->fs_contigsumsize > 0 &&
	    cg->cg_nclusterblks != n->ndblk / fs->fs_frag)
		msg = "cg_nclusterblks: not the blocks of the group";
	if (msg != NULL) {
		pfatal(f, "CG %d: BAD CYLINDER GROUP (%s)", c, msg);
		if (!reply(f, "REBUILD")) {
			n->tables = false;
			compute(f, c, n, cg);
			return (n->cs);
		}
		rebuild_header(f, c, buf, n);
		if ((msg = ufs_cg_check(fs, buf, (size_t)fs->fs_cgsize, c)) !=
		    NULL) {
			pwarn(f, "CG %d: CANNOT REBUILD (%s)\n", c, msg);
			f->resolved = false;
			n->tables = false;
			compute(f, c, n, cg);
			return (n->cs);
		}
		dirty = true;
	}
	/*
	 * XXX: makefs(8) leaves the rotational tables zero; tables that are
	 * all zero are taken as not kept and left alone.
	 */
	n->tables = tables_ok(fs, cg, n) &&
	    !all_zero(buf + cg->cg_btotoff, (size_t)n->cpg * 4);
	compute(f, c, n, cg);
	dirty |= check_summary(f, buf, n);
	dirty |= check_maps(f, buf, n);
	if (dirty)
		dev_write(f, ufs_cgtod(fs, c), buf, (size_t)fs->fs_cgsize);
	return (n->cs);
}

/* Phase 5: every cylinder group, the summary array and the totals. */
void
pass5(struct fsck *f)
{
	struct fs *fs = &f->fs;
	struct csum total = { 0, 0, 0, 0 };
	struct newcg n = { 0 };
	uint8_t *buf = fsck_alloc(f, (size_t)fs->fs_cgsize);
	size_t ntables;

	n.cpg = fs->fs_cpg > 0 && fs->fs_cpg <= 65536 ? fs->fs_cpg : 0;
	n.nrpos = fs->fs_nrpos > 0 && fs->fs_nrpos <= 64 ? fs->fs_nrpos : 0;
	ntables = (size_t)n.cpg * (size_t)n.nrpos;

	n.inomap = fsck_alloc(f, ((size_t)fs->fs_ipg + 7) / 8);
	n.fragmap = fsck_alloc(f, ((size_t)fs->fs_fpg + 7) / 8);
	n.clustermap = fsck_alloc(f, ((size_t)fs->fs_fpg + 7) / 8 + 1);
	n.btot = fsck_alloc(f, ((size_t)n.cpg + 1) * 4);
	n.blks = fsck_alloc(f, (ntables + 1) * 2);
	for (int c = 0; c < fs->fs_ncg; c++) {
		struct csum cs = check_cg(f, c, buf, &n);

		total.cs_ndir += cs.cs_ndir;
		total.cs_nbfree += cs.cs_nbfree;
		total.cs_nifree += cs.cs_nifree;
		total.cs_nffree += cs.cs_nffree;
		if (memcmp(&f->cs[c], &cs, sizeof(cs)) != 0) {
			pwarn(f, "FREE BLK COUNT(S) WRONG IN SUPERBLK");
			if (preenfix(f, "FIXED", "FIX")) {
				f->cs[c] = cs;
				f->csdirty = true;
			}
		}
	}
	if (memcmp(&fs->fs_cstotal, &total, sizeof(total)) != 0) {
		pwarn(f, "FREE BLK COUNT(S) WRONG IN SUPERBLK");
		if (preenfix(f, "FIXED", "FIX")) {
			fs->fs_cstotal = total;
			f->sbdirty = true;
		}
	}
}
