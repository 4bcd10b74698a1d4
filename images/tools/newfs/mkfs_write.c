/*
 * mkfs_write.c - writing a new UFS1 file system laid out by mkfs_layout.c.
 *
 * Each cylinder group gets its inode blocks (zeroed inodes with random
 * generation numbers, as newfs built with FSIRAND does) and its cylinder
 * group block with every data fragment free; group 0 keeps the summary
 * area and then lost+found (inode 3, one full block of empty directory
 * chunks) and the root (inode 2: ".", "..", "lost+found"), the layout of
 * 4.4BSD newfs built with LOSTDIR.  The superblock and its copies come
 * last, so that an interrupted newfs leaves no valid-looking file system.
 */
#include <sys/random.h>

#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <stdio.h>
#include <unistd.h>

#include "images/tools/newfs/newfs.h"
#include "runtime/vfs/ufs/ufs_dinode.h"
#include "runtime/vfs/ufs/ufs_dir.h"

#define LOSTFOUNDINO (ROOTINO + 1)
#define UMASK	     0755

struct writer {
	struct imgdev *d;
	uint64_t part_off;
	struct fs *fs;
	const struct mkfs_params *p;
	struct csum *fscs;
	uint8_t *cg0; /* group 0, written after the directories */
	uint64_t rng;
};

static uint32_t
rnd(struct writer *w)
{
	/* xorshift64*: generation numbers need no more. */
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return ((uint32_t)((w->rng * 0x2545f4914f6cdd1dULL) >> 32));
}

/* Writes len bytes at fragment frag of the file system. */
static void
wtfs(struct writer *w, int64_t frag, const void *buf, size_t len)
{
	uint64_t off = ufs_fsbtobyte(w->fs, frag);

	if (off < SBOFF)
		errx(EX_SOFTWARE, "internal error: write into the boot area");
	imgdev_write(w->d, buf, len, w->part_off + off);
}

static void
rdfs(struct writer *w, int64_t frag, void *buf, size_t len)
{
	imgdev_read(w->d, buf, len, w->part_off + ufs_fsbtobyte(w->fs, frag));
}

static struct cg *
cgp(uint8_t *buf)
{
	return ((struct cg *)(void *)buf);
}

static void
setbit(uint8_t *map, int64_t i)
{
	map[i / 8] |= (uint8_t)(1u << (i % 8));
}

static bool
isset(const uint8_t *map, int64_t i)
{
	return ((map[i / 8] >> (i % 8)) & 1) != 0;
}

static void
clrbit(uint8_t *map, int64_t i)
{
	map[i / 8] &= (uint8_t) ~(1u << (i % 8));
}

/* Per-cylinder free block counts: cg_blktot and cg_blks. */
static void
count_block(struct writer *w, uint8_t *buf, int64_t d, int delta)
{
	const struct fs *fs = w->fs;
	struct cg *cg = cgp(buf);
	int64_t sect = d * fs->fs_nspf % fs->fs_spc;
	int64_t cyl = d * fs->fs_nspf / fs->fs_spc;
	int64_t rpos = (sect / fs->fs_nsect * fs->fs_trackskew +
			   sect % fs->fs_nsect * fs->fs_interleave) %
	    fs->fs_nsect * fs->fs_nrpos / fs->fs_npsect;
	int32_t tot;
	int16_t blks;
	uint8_t *tp = buf + cg->cg_btotoff + cyl * 4;
	uint8_t *bp = buf + cg->cg_boff + (cyl * fs->fs_nrpos + rpos) * 2;

	memcpy(&tot, tp, 4);
	tot += delta;
	memcpy(tp, &tot, 4);
	memcpy(&blks, bp, 2);
	blks = (int16_t)(blks + delta);
	memcpy(bp, &blks, 2);
}

static void
free_block(struct writer *w, uint8_t *buf, int64_t d)
{
	struct cg *cg = cgp(buf);

	for (int i = 0; i < w->fs->fs_frag; i++)
		setbit(buf + cg->cg_freeoff, d + i);
	if (w->fs->fs_contigsumsize > 0)
		setbit(buf + cg->cg_clusteroff, d / w->fs->fs_frag);
	cg->cg_cs.cs_nbfree++;
	count_block(w, buf, d, 1);
}

/* Counts the runs of free blocks into cg_clustersum. */
static void
cluster_summary(struct writer *w, uint8_t *buf)
{
	struct cg *cg = cgp(buf);
	int32_t sum[FS_MAXCONTIG + 1] = { 0 };
	int32_t run = 0, max = w->fs->fs_contigsumsize;

	if (max <= 0)
		return;
	for (int32_t i = 0; i <= cg->cg_nclusterblks; i++) {
		if (i < cg->cg_nclusterblks &&
		    isset(buf + cg->cg_clusteroff, i)) {
			run++;
			continue;
		}
		if (run != 0)
			sum[run > max ? max : run]++;
		run = 0;
	}
	/*
	 * Entry 0 is never used: it overlaps the end of the fragment map
	 * (cg_clustersumoff is placed 4 bytes early, as BSD's mkfs does).
	 */
	memcpy(buf + cg->cg_clustersumoff + 4, sum + 1, (size_t)max * 4);
}

static void
set_offsets(struct writer *w, struct cg *cg)
{
	const struct fs *fs = w->fs;
	int64_t nfrags = (int64_t)fs->fs_cpg * fs->fs_spc / fs->fs_nspf;

	cg->cg_btotoff = (int32_t)sizeof(struct cg);
	cg->cg_boff = cg->cg_btotoff + fs->fs_cpg * 4;
	cg->cg_iusedoff = cg->cg_boff + fs->fs_cpg * fs->fs_nrpos * 2;
	cg->cg_freeoff = cg->cg_iusedoff + (fs->fs_ipg + 7) / 8;
	if (fs->fs_contigsumsize <= 0) {
		cg->cg_nextfreeoff = cg->cg_freeoff +
		    (int32_t)((nfrags + 7) / 8);
		return;
	}
	cg->cg_clustersumoff = cg->cg_freeoff + (int32_t)((nfrags + 7) / 8) - 4;
	cg->cg_clustersumoff = (cg->cg_clustersumoff + 3) & ~3;
	cg->cg_clusteroff = cg->cg_clustersumoff +
	    (fs->fs_contigsumsize + 1) * 4;
	cg->cg_nextfreeoff = cg->cg_clusteroff +
	    (int32_t)((nfrags / fs->fs_frag + 7) / 8);
}

static void
write_inode_blocks(struct writer *w, int c)
{
	const struct fs *fs = w->fs;
	struct ufs1_dinode *ino = calloc((size_t)fs->fs_inopb, sizeof(*ino));

	if (ino == NULL)
		err(EX_OSERR, "calloc");
	for (int64_t i = 0; i < fs->fs_ipg / UFS_INOPF(fs); i += fs->fs_frag) {
		for (int j = 0; j < fs->fs_inopb; j++)
			ino[j].di_gen = (int32_t)(rnd(w) & 0x7fffffff);
		wtfs(w, ufs_cgimin(fs, c) + i, ino, (size_t)fs->fs_bsize);
	}
	free(ino);
}

/* Builds group c in buf; free fragments outside whole blocks are noted. */
static void
init_cg(struct writer *w, int c, uint8_t *buf)
{
	struct fs *fs = w->fs;
	struct cg *cg = cgp(buf);
	int64_t cbase = ufs_cgbase(fs, c), dmax = cbase + fs->fs_fpg;
	int64_t dlower = ufs_cgsblock(fs, c) - cbase;
	int64_t dupper = ufs_cgdmin(fs, c) - cbase, d, i;

	if (dmax > fs->fs_size)
		dmax = fs->fs_size;
	if (c == 0)
		dupper += (fs->fs_cssize + fs->fs_fsize - 1) / fs->fs_fsize;
	memset(buf, 0, (size_t)fs->fs_cgsize);
	cg->cg_time = w->p->now;
	cg->cg_magic = CG_MAGIC;
	cg->cg_cgx = c;
	cg->cg_ncyl = (int16_t)(c == fs->fs_ncg - 1 ? fs->fs_ncyl % fs->fs_cpg :
						      fs->fs_cpg);
	cg->cg_niblk = (int16_t)fs->fs_ipg;
	cg->cg_ndblk = (int32_t)(dmax - cbase);
	if (fs->fs_contigsumsize > 0)
		cg->cg_nclusterblks = cg->cg_ndblk / fs->fs_frag;
	set_offsets(w, cg);
	cg->cg_cs.cs_nifree = fs->fs_ipg;
	if (c == 0) {
		for (int k = 0; k < ROOTINO; k++)
			setbit(buf + cg->cg_iusedoff, k);
		cg->cg_cs.cs_nifree -= ROOTINO;
	}
	if (c > 0)
		for (d = 0; d < dlower; d += fs->fs_frag)
			free_block(w, buf, d);
	if ((i = dupper % fs->fs_frag) != 0) {
		cg->cg_frsum[fs->fs_frag - i]++;
		for (d = dupper + fs->fs_frag - i; dupper < d; dupper++) {
			setbit(buf + cg->cg_freeoff, dupper);
			cg->cg_cs.cs_nffree++;
		}
	}
	for (d = dupper; d + fs->fs_frag <= dmax - cbase; d += fs->fs_frag)
		free_block(w, buf, d);
	if (d < dmax - cbase) {
		cg->cg_frsum[dmax - cbase - d]++;
		for (; d < dmax - cbase; d++) {
			setbit(buf + cg->cg_freeoff, d);
			cg->cg_cs.cs_nffree++;
		}
	}
	fs->fs_cstotal.cs_nffree += cg->cg_cs.cs_nffree;
	fs->fs_cstotal.cs_nbfree += cg->cg_cs.cs_nbfree;
	fs->fs_cstotal.cs_nifree += cg->cg_cs.cs_nifree;
	w->fscs[c] = cg->cg_cs;
}

/* Takes the first free block of group 0; keeps size bytes of it. */
static int64_t
alloc(struct writer *w, int size, bool dir)
{
	struct fs *fs = w->fs;
	struct cg *cg = cgp(w->cg0);
	int64_t d, nfrag;

	for (d = 0; d + fs->fs_frag <= cg->cg_ndblk; d += fs->fs_frag) {
		int i;

		for (i = 0; i < fs->fs_frag; i++)
			if (!isset(w->cg0 + cg->cg_freeoff, d + i))
				break;
		if (i == fs->fs_frag)
			break;
	}
	if (d + fs->fs_frag > cg->cg_ndblk)
		errx(EX_SOFTWARE, "first cylinder group ran out of space");
	for (int i = 0; i < fs->fs_frag; i++)
		clrbit(w->cg0 + cg->cg_freeoff, d + i);
	if (fs->fs_contigsumsize > 0)
		clrbit(w->cg0 + cg->cg_clusteroff, d / fs->fs_frag);
	cg->cg_cs.cs_nbfree--;
	fs->fs_cstotal.cs_nbfree--;
	w->fscs[0].cs_nbfree--;
	if (dir) {
		cg->cg_cs.cs_ndir++;
		fs->fs_cstotal.cs_ndir++;
		w->fscs[0].cs_ndir++;
	}
	count_block(w, w->cg0, d, -1);
	nfrag = (size + fs->fs_fsize - 1) / fs->fs_fsize;
	if (nfrag < fs->fs_frag) {
		cg->cg_cs.cs_nffree += (int32_t)(fs->fs_frag - nfrag);
		fs->fs_cstotal.cs_nffree += (int32_t)(fs->fs_frag - nfrag);
		w->fscs[0].cs_nffree += (int32_t)(fs->fs_frag - nfrag);
		cg->cg_frsum[fs->fs_frag - nfrag]++;
		for (int64_t i = nfrag; i < fs->fs_frag; i++)
			setbit(w->cg0 + cg->cg_freeoff, d + i);
	}
	return (d); /* group 0 starts at fragment 0 */
}

/* Stores inode ino (in group 0) and marks it used. */
static void
iput(struct writer *w, struct ufs1_dinode *ip, uint32_t ino)
{
	struct fs *fs = w->fs;
	struct cg *cg = cgp(w->cg0);
	uint8_t *blk = malloc((size_t)fs->fs_bsize);
	int64_t fsba = ufs_ino_to_fsba(fs, ino);

	if (blk == NULL)
		err(EX_OSERR, "malloc");
	cg->cg_cs.cs_nifree--;
	fs->fs_cstotal.cs_nifree--;
	w->fscs[0].cs_nifree--;
	setbit(w->cg0 + cg->cg_iusedoff, ino);
	rdfs(w, fsba, blk, (size_t)fs->fs_bsize);
	ip->di_gen = (int32_t)(rnd(w) & 0x7fffffff);
	memcpy(blk + ufs_ino_to_fsbo(fs, ino) * sizeof(*ip), ip, sizeof(*ip));
	wtfs(w, fsba, blk, (size_t)fs->fs_bsize);
	free(blk);
}

/* Appends an entry at *off; reclen 0 means its own size. */
static void
put_dirent(uint8_t *buf, size_t *off, uint32_t ino, size_t reclen, uint8_t type,
    const char *name)
{
	struct direct de;
	size_t len = strlen(name);

	memset(&de, 0, sizeof(de));
	de.d_ino = ino;
	de.d_reclen = (uint16_t)(reclen != 0 ? reclen : UFS_DIRSIZ(len));
	de.d_type = type;
	de.d_namlen = (uint8_t)len;
	memcpy(de.d_name, name, len);
	memcpy(buf + *off, &de, UFS_DIRSIZ(len));
	*off += de.d_reclen;
}

static void
make_dirs(struct writer *w)
{
	struct fs *fs = w->fs;
	uint8_t *buf = calloc(1, (size_t)fs->fs_bsize);
	struct ufs1_dinode node;
	size_t off = 0;

	if (buf == NULL)
		err(EX_OSERR, "calloc");
	memset(&node, 0, sizeof(node));
	node.di_atime = node.di_mtime = node.di_ctime = w->p->now;
	node.di_mode = IFDIR | UMASK;

	/* lost+found: a whole block, so that fsck need not grow it. */
	put_dirent(buf, &off, LOSTFOUNDINO, 0, DT_DIR, ".");
	put_dirent(buf, &off, ROOTINO, DIRBLKSIZ - off, DT_DIR, "..");
	for (off = DIRBLKSIZ; off < (size_t)fs->fs_bsize;)
		put_dirent(buf, &off, 0, DIRBLKSIZ, DT_UNKNOWN, "");
	node.di_nlink = 2;
	node.di_size = (uint64_t)fs->fs_bsize;
	node.di_db[0] = (int32_t)alloc(w, fs->fs_bsize, true);
	node.di_blocks = fs->fs_bsize / DEV_BSIZE;
	wtfs(w, node.di_db[0], buf, (size_t)fs->fs_bsize);
	iput(w, &node, LOSTFOUNDINO);

	memset(buf, 0, (size_t)fs->fs_bsize);
	off = 0;
	put_dirent(buf, &off, ROOTINO, 0, DT_DIR, ".");
	put_dirent(buf, &off, ROOTINO, 0, DT_DIR, "..");
	put_dirent(buf, &off, LOSTFOUNDINO, DIRBLKSIZ - off, DT_DIR,
	    "lost+found");
	node.di_nlink = 3;
	node.di_size = DIRBLKSIZ;
	node.di_db[0] = (int32_t)alloc(w, fs->fs_fsize, true);
	node.di_blocks = fs->fs_fsize / DEV_BSIZE;
	wtfs(w, node.di_db[0], buf, (size_t)fs->fs_fsize);
	iput(w, &node, ROOTINO);
	free(buf);
}

static void
print_backup(const struct fs *fs, int c, int *col)
{
	char tmp[64];
	int n = snprintf(tmp, sizeof(tmp), " %jd%s",
	    (intmax_t)(ufs_cgsblock(fs, c) << fs->fs_fsbtodb),
	    c < fs->fs_ncg - 1 ? "," : "");

	if (*col + n >= 80) {
		printf("\n");
		*col = 0;
	}
	*col += n;
	printf("%s", tmp);
}

void
mkfs_write(struct imgdev *d, uint64_t part_off, const struct mkfs_params *p,
    struct fs *fs)
{
	struct writer w = { d, part_off, fs, p, NULL, NULL, 0 };
	uint8_t *buf = calloc(1, (size_t)fs->fs_bsize);
	uint8_t *sb = calloc(1, SBSIZE);
	int col = 0;

	w.fscs = calloc(1, (size_t)fs->fs_cssize);
	w.cg0 = calloc(1, (size_t)fs->fs_bsize);
	if (buf == NULL || sb == NULL || w.fscs == NULL || w.cg0 == NULL)
		err(EX_OSERR, "calloc");
	if (getrandom(&w.rng, sizeof(w.rng), 0) != sizeof(w.rng))
		w.rng = (uint64_t)p->now * 2654435761u ^ (uint64_t)getpid();
	w.rng |= 1;
	fs->fs_id[0] = p->now;
	fs->fs_id[1] = (int32_t)rnd(&w);
	memset(&fs->fs_cstotal, 0, sizeof(fs->fs_cstotal));
	printf("super-block backups (for fsck -b #) at:\n");
	for (int c = 0; c < fs->fs_ncg; c++) {
		uint8_t *cb = c == 0 ? w.cg0 : buf;

		write_inode_blocks(&w, c);
		init_cg(&w, c, cb);
		if (c != 0) {
			cluster_summary(&w, cb);
			wtfs(&w, ufs_cgtod(fs, c), cb, (size_t)fs->fs_cgsize);
		}
		print_backup(fs, c, &col);
	}
	printf("\n");
	make_dirs(&w);
	cluster_summary(&w, w.cg0);
	wtfs(&w, ufs_cgtod(fs, 0), w.cg0, (size_t)fs->fs_cgsize);
	for (int64_t i = 0; i < fs->fs_cssize; i += fs->fs_bsize) {
		int64_t n = fs->fs_cssize - i;

		wtfs(&w, fs->fs_csaddr + i / fs->fs_fsize,
		    (uint8_t *)w.fscs + i,
		    (size_t)(n < fs->fs_bsize ? n : fs->fs_bsize));
	}
	memcpy(sb, fs, sizeof(*fs));
	imgdev_write(d, sb, SBSIZE, part_off + SBOFF);
	for (int c = 0; c < fs->fs_ncg; c++)
		wtfs(&w, ufs_cgsblock(fs, c), sb, SBSIZE);
	free(w.fscs);
	free(w.cg0);
	free(sb);
	free(buf);
}
