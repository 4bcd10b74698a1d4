/*
 * ufs_check.c - a consistency check of a UFS1 file system for the
 * library tests, written against the format headers only (not the
 * library): what fsck_ffs's passes 1, 2, 4 and 5 look at.
 *
 *   - every fragment is exactly one of: group metadata, the summary
 *     area, a block of a file (direct, indirect or data), or free in its
 *     group's map;
 *   - every inode in use has a mode, its blocks add up to di_blocks, it
 *     has no blocks past its size, and the last direct block is the
 *     fragment run its size implies;
 *   - link counts equal the directory entries naming each inode, every
 *     directory's "." and ".." are right, every inode in use is named;
 *   - each group's cg_cs, cg_frsum, cluster map and sums and block
 *     totals match its maps; the summary area and fs_cstotal match the
 *     groups.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/vfs/ufs/tests/ufs_testutil.h"

int ut_check_btot = 1;

struct ck {
	int fd;
	uint64_t base;
	struct fs fs;
	uint8_t *owner;		 /* per fragment: 0 free?, 1 meta, 2 file */
	int32_t *nlinks;	 /* entries naming each inode */
	uint32_t *parent;	 /* a directory's ".." as found */
	struct ufs1_dinode *ino; /* all inodes */
	uint8_t *used;		 /* inode map bits, gathered */
	int64_t nblocks;	 /* fragments counted for the current inode */
};

static void
rd(struct ck *c, uint64_t off, void *buf, size_t len)
{
	cr_assert_eq(pread(c->fd, buf, len, (off_t)(c->base + off)),
	    (ssize_t)len, "check: short read at %ju", (uintmax_t)off);
}

static int
bit(const uint8_t *m, int64_t i)
{
	return ((m[i / 8] >> (i % 8)) & 1);
}

static void
claim(struct ck *c, int64_t bn, int64_t n, uint32_t ino)
{
	cr_assert(bn > 0 && bn + n <= c->fs.fs_size,
	    "inode %u: block %jd out of range", ino, (intmax_t)bn);
	for (int64_t i = 0; i < n; i++) {
		cr_assert_eq(c->owner[bn + i], 0,
		    "inode %u: fragment %jd already %s", ino,
		    (intmax_t)(bn + i),
		    c->owner[bn + i] == 1 ? "metadata" : "claimed");
		c->owner[bn + i] = 2;
	}
	c->nblocks += n;
}

/* Claims the tree under indirect block bn; returns the last lbn used. */
static void
claim_ind(struct ck *c, int32_t bn, int level, int64_t base, int64_t span,
    int64_t lastlbn, uint32_t ino)
{
	int32_t *p = malloc((size_t)c->fs.fs_bsize);
	int64_t sub = span / c->fs.fs_nindir;

	cr_assert_not_null(p);
	claim(c, bn, c->fs.fs_frag, ino);
	rd(c, (uint64_t)bn * (uint64_t)c->fs.fs_fsize, p,
	    (size_t)c->fs.fs_bsize);
	for (int i = 0; i < c->fs.fs_nindir; i++) {
		int64_t lbn = base + i * sub;

		if (p[i] == 0)
			continue;
		cr_assert_leq(lbn, lastlbn, "inode %u: block %jd past EOF", ino,
		    (intmax_t)lbn);
		if (level == 0)
			claim(c, p[i], c->fs.fs_frag, ino);
		else
			claim_ind(c, p[i], level - 1, lbn, sub, lastlbn, ino);
	}
	free(p);
}

static void
check_inode(struct ck *c, uint32_t ino, const struct ufs1_dinode *d)
{
	const struct fs *fs = &c->fs;
	uint32_t type = d->di_mode & IFMT;
	int64_t lastlbn, base = NDADDR, span = 1;

	c->nblocks = 0;
	if (type == IFCHR || type == IFBLK || type == IFIFO || type == IFSOCK ||
	    (type == IFLNK && d->di_size < (uint64_t)fs->fs_maxsymlinklen)) {
		cr_assert_eq(d->di_blocks, 0, "inode %u: blocks on a %o", ino,
		    type);
		return;
	}
	lastlbn = (int64_t)((d->di_size + (uint64_t)fs->fs_bsize - 1) /
		      (uint64_t)fs->fs_bsize) -
	    1;
	for (int64_t l = 0; l < NDADDR; l++) {
		int64_t n = fs->fs_frag;

		if (d->di_db[l] == 0)
			continue;
		cr_assert_leq(l, lastlbn, "inode %u: direct %jd past EOF", ino,
		    (intmax_t)l);
		if (l == lastlbn && d->di_size % (uint64_t)fs->fs_bsize != 0)
			n = (int64_t)((d->di_size % (uint64_t)fs->fs_bsize +
					  (uint64_t)fs->fs_fsize - 1) /
			    (uint64_t)fs->fs_fsize);
		cr_assert_leq(d->di_db[l] % fs->fs_frag + n, fs->fs_frag,
		    "inode %u: fragment run crosses a block", ino);
		claim(c, d->di_db[l], n, ino);
	}
	for (int k = 0; k < NIADDR; k++) {
		span *= fs->fs_nindir;
		if (d->di_ib[k] != 0) {
			cr_assert_leq(base, lastlbn,
			    "inode %u: indirect %d past EOF", ino, k);
			claim_ind(c, d->di_ib[k], k, base, span, lastlbn, ino);
		}
		base += span;
	}
	cr_assert_eq(c->nblocks * (fs->fs_fsize / 512), d->di_blocks,
	    "inode %u: di_blocks %d, blocks held %jd sectors", ino,
	    d->di_blocks, (intmax_t)(c->nblocks * (fs->fs_fsize / 512)));
}

static void
read_dir(struct ck *c, uint32_t ino)
{
	const struct ufs1_dinode *d = &c->ino[ino];
	const struct fs *fs = &c->fs;
	uint8_t *buf = malloc((size_t)fs->fs_bsize);
	uint64_t size = d->di_size;

	cr_assert_not_null(buf);
	cr_assert_eq(size % DIRBLKSIZ, 0, "dir %u: size %ju", ino,
	    (uintmax_t)size);
	for (uint64_t off = 0; off < size; off += (uint64_t)fs->fs_bsize) {
		int64_t lbn = (int64_t)(off / (uint64_t)fs->fs_bsize);
		uint64_t n = size - off < (uint64_t)fs->fs_bsize ?
		    size - off :
		    (uint64_t)fs->fs_bsize;

		int32_t bn = 0;

		if (lbn < NDADDR) {
			bn = d->di_db[lbn];
		} else {
			cr_assert(lbn < NDADDR + fs->fs_nindir &&
				d->di_ib[0] != 0,
			    "dir %u: too big for this check", ino);
			rd(c,
			    (uint64_t)d->di_ib[0] * (uint64_t)fs->fs_fsize +
				(uint64_t)(lbn - NDADDR) * 4,
			    &bn, 4);
		}
		cr_assert_neq(bn, 0, "dir %u: hole at block %jd", ino,
		    (intmax_t)lbn);
		rd(c, (uint64_t)bn * (uint64_t)fs->fs_fsize, buf, (size_t)n);
		for (uint64_t o = 0; o < n;) {
			struct direct de;

			memcpy(&de, buf + o, 8);
			cr_assert(de.d_reclen >= 12 && de.d_reclen % 4 == 0 &&
				(o % DIRBLKSIZ) + de.d_reclen <= DIRBLKSIZ,
			    "dir %u: bad reclen at %ju", ino,
			    (uintmax_t)(off + o));
			if (de.d_ino != 0) {
				const char *name = (char *)buf + o + 8;

				cr_assert_lt(de.d_ino,
				    (uint32_t)(fs->fs_ipg * fs->fs_ncg));
				cr_assert_neq(c->ino[de.d_ino].di_mode, 0,
				    "dir %u: entry %.*s names free inode %u",
				    ino, de.d_namlen, name, de.d_ino);
				c->nlinks[de.d_ino]++;
				if (off + o == 0)
					cr_assert(de.d_ino == ino &&
					    de.d_namlen == 1 && name[0] == '.');
				if (off + o == 12) {
					cr_assert(de.d_namlen == 2 &&
					    memcmp(name, "..", 2) == 0);
					c->parent[ino] = de.d_ino;
				} else if (de.d_ino != ino) {
					cr_assert_eq(de.d_type,
					    (c->ino[de.d_ino].di_mode >> 12),
					    "dir %u: d_type of %.*s", ino,
					    de.d_namlen, name);
				}
			}
			o += de.d_reclen;
		}
	}
	free(buf);
}

/* Recomputes group g's counts from its maps and compares. */
static void
check_group(struct ck *c, int g, const uint8_t *cgb, struct csum *tot)
{
	const struct fs *fs = &c->fs;
	struct cg cg;
	int32_t frsum[MAXFRAG] = { 0 }, nbf = 0, nff = 0, nif = 0, nd = 0;
	int32_t csum[FS_MAXCONTIG + 1] = { 0 }, run = 0;
	int32_t *btot = calloc((size_t)fs->fs_cpg, 4);
	int64_t cbase = (int64_t)fs->fs_fpg * g;

	memcpy(&cg, cgb, sizeof(cg));
	cr_assert_not_null(btot);
	for (int32_t i = 0; i < fs->fs_ipg; i++) {
		uint32_t ino = (uint32_t)(g * fs->fs_ipg + i);

		if (!bit(cgb + cg.cg_iusedoff, i)) {
			nif++;
			cr_assert(ino < ROOTINO || c->ino[ino].di_mode == 0,
			    "inode %u has a mode but is free", ino);
			continue;
		}
		if (ino >= ROOTINO)
			cr_assert_neq(c->ino[ino].di_mode, 0,
			    "inode %u in use without a mode", ino);
		if ((c->ino[ino].di_mode & IFMT) == IFDIR)
			nd++;
	}
	for (int64_t b = 0; b < cg.cg_ndblk; b += fs->fs_frag) {
		int n = 0, r = 0;

		for (int i = 0; i <= fs->fs_frag; i++) {
			int f = i < fs->fs_frag && b + i < cg.cg_ndblk &&
			    bit(cgb + cg.cg_freeoff, b + i);

			if (i < fs->fs_frag && b + i < cg.cg_ndblk) {
				if (f)
					cr_assert_eq(c->owner[cbase + b + i], 0,
					    "fragment %jd free but in use",
					    (intmax_t)(cbase + b + i));
				else
					cr_assert_neq(c->owner[cbase + b + i],
					    0, "fragment %jd lost",
					    (intmax_t)(cbase + b + i));
			}
			if (f) {
				n++;
				r++;
				continue;
			}
			if (r > 0 && r < fs->fs_frag)
				frsum[r]++;
			r = 0;
		}
		if (n == fs->fs_frag) {
			int64_t cyl = b * fs->fs_nspf / fs->fs_spc;

			nbf++;
			btot[cyl]++;
			run++;
		} else {
			nff += n;
			if (run > 0)
				csum[run > fs->fs_contigsumsize ?
					fs->fs_contigsumsize :
					run]++;
			run = 0;
		}
		if (fs->fs_contigsumsize > 0 &&
		    b / fs->fs_frag < cg.cg_nclusterblks)
			cr_assert_eq(bit(cgb + cg.cg_clusteroff,
					 b / fs->fs_frag),
			    n == fs->fs_frag, "cg %d cluster map at %jd", g,
			    (intmax_t)b);
	}
	if (run > 0 && fs->fs_contigsumsize > 0)
		csum[run > fs->fs_contigsumsize ? fs->fs_contigsumsize : run]++;
	cr_assert_eq(nbf, cg.cg_cs.cs_nbfree, "cg %d nbfree", g);
	cr_assert_eq(nff, cg.cg_cs.cs_nffree, "cg %d nffree", g);
	cr_assert_eq(nif, cg.cg_cs.cs_nifree, "cg %d nifree", g);
	cr_assert_eq(nd, cg.cg_cs.cs_ndir, "cg %d ndir", g);
	for (int i = 1; i < fs->fs_frag; i++)
		cr_assert_eq(frsum[i], cg.cg_frsum[i], "cg %d frsum[%d]", g, i);
	for (int i = 1; i <= fs->fs_contigsumsize; i++) {
		int32_t v;

		memcpy(&v, cgb + cg.cg_clustersumoff + i * 4, 4);
		cr_assert_eq(v, csum[i], "cg %d clustersum[%d]", g, i);
	}
	for (int i = 0; i < fs->fs_cpg && ut_check_btot; i++) {
		int32_t v;

		memcpy(&v, cgb + cg.cg_btotoff + i * 4, 4);
		cr_assert_eq(v, btot[i], "cg %d btot[%d]", g, i);
	}
	free(btot);
	tot->cs_nbfree += nbf;
	tot->cs_nffree += nff;
	tot->cs_nifree += nif;
	tot->cs_ndir += nd;
}

int
ut_check(const char *path, uint64_t base)
{
	struct ck c = { .base = base };
	const struct fs *fs = &c.fs;
	uint8_t *cgb;
	struct csum tot = { 0 }, *cs;
	uint32_t ninodes;
	int inuse = 0;

	c.fd = open(path, O_RDONLY);
	cr_assert_geq(c.fd, 0);
	rd(&c, SBOFF, &c.fs, sizeof(c.fs));
	cr_assert_null(ufs_sb_check(fs, 0));
	ninodes = (uint32_t)(fs->fs_ipg * fs->fs_ncg);
	c.owner = calloc((size_t)fs->fs_size, 1);
	c.nlinks = calloc(ninodes, sizeof(int32_t));
	c.parent = calloc(ninodes, sizeof(uint32_t));
	c.ino = calloc(ninodes, sizeof(struct ufs1_dinode));
	cgb = malloc((size_t)fs->fs_bsize);
	cs = malloc((size_t)fs->fs_cssize);
	cr_assert(c.owner && c.nlinks && c.parent && c.ino && cgb && cs);
	for (int g = 0; g < fs->fs_ncg; g++) {
		int64_t s = g == 0 ? 0 : ufs_cgsblock(fs, g),
			e = ufs_cgdmin(fs, g);

		for (int64_t f = s; f < e && f < fs->fs_size; f++)
			c.owner[f] = 1;
		rd(&c, ufs_fsbtobyte(fs, ufs_cgimin(fs, g)),
		    &c.ino[(uint32_t)g * (uint32_t)fs->fs_ipg],
		    (size_t)fs->fs_ipg * sizeof(struct ufs1_dinode));
	}
	for (int64_t f = 0;
	     f < (fs->fs_cssize + fs->fs_fsize - 1) / fs->fs_fsize; f++)
		c.owner[fs->fs_csaddr + f] = 1;
	for (uint32_t i = ROOTINO; i < ninodes; i++)
		if (c.ino[i].di_mode != 0) {
			inuse++;
			check_inode(&c, i, &c.ino[i]);
		}
	for (uint32_t i = ROOTINO; i < ninodes; i++)
		if ((c.ino[i].di_mode & IFMT) == IFDIR)
			read_dir(&c, i);
	for (uint32_t i = ROOTINO; i < ninodes; i++) {
		if (c.ino[i].di_mode == 0)
			continue;
		cr_assert_eq(c.nlinks[i], c.ino[i].di_nlink,
		    "inode %u: link count %d, %d entries", i, c.ino[i].di_nlink,
		    c.nlinks[i]);
		if ((c.ino[i].di_mode & IFMT) == IFDIR && i != ROOTINO)
			cr_assert_neq(c.parent[i], 0);
	}
	rd(&c, ufs_fsbtobyte(fs, fs->fs_csaddr), cs, (size_t)fs->fs_cssize);
	for (int g = 0; g < fs->fs_ncg; g++) {
		struct cg cg;

		rd(&c, ufs_fsbtobyte(fs, ufs_cgtod(fs, g)), cgb,
		    (size_t)fs->fs_cgsize);
		cr_assert_null(ufs_cg_check(fs, cgb, (size_t)fs->fs_cgsize, g));
		check_group(&c, g, cgb, &tot);
		memcpy(&cg, cgb, sizeof(cg));
		cr_assert_eq(memcmp(&cg.cg_cs, &cs[g], sizeof(cg.cg_cs)), 0,
		    "cg %d: summary area differs", g);
	}
	cr_assert_eq(memcmp(&tot, &fs->fs_cstotal, sizeof(tot)), 0,
	    "fs_cstotal differs: nbfree %d/%d nffree %d/%d nifree %d/%d "
	    "ndir %d/%d",
	    tot.cs_nbfree, fs->fs_cstotal.cs_nbfree, tot.cs_nffree,
	    fs->fs_cstotal.cs_nffree, tot.cs_nifree, fs->fs_cstotal.cs_nifree,
	    tot.cs_ndir, fs->fs_cstotal.cs_ndir);
	free(c.owner);
	free(c.nlinks);
	free(c.parent);
	free(c.ino);
	free(cgb);
	free(cs);
	close(c.fd);
	return (inuse);
}
