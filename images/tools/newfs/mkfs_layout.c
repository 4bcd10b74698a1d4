/*
 * mkfs_layout.c - the geometry of a new UFS1 file system.
 *
 * Follows the arithmetic of 4.4BSD's mkfs as DragonFly's newfs runs it:
 * a fictitious disk of DFL_NTRACKS track of DFL_NSECTORS sectors per
 * cylinder, the fewest cylinders per group that hold the inodes, then as
 * many cylinders per group as the inode and block maps of one cylinder
 * group block allow, inodes from the density.  The result must pass the
 * shared ufs_sb_check() before anything is written.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "images/tools/newfs/newfs.h"
#include "runtime/vfs/ufs/ufs_dinode.h"

#define howmany(x, y) (((x) + (y)-1) / (y))
#define roundup(x, y) (howmany(x, y) * (y))

static char errbuf[256];

/* State of the layout: the superblock and the inputs it depends on. */
struct layout {
	struct fs *fs;
	const struct mkfs_params *p;
	int64_t bpcg; /* bytes per cylinder */
};

static int
ilog2(int64_t v)
{
	int n = 0;

	while (v > 1) {
		v >>= 1;
		n++;
	}
	return (n);
}

static bool
powerof2(int64_t v)
{
	return (v > 0 && (v & (v - 1)) == 0);
}

/*
 * Inodes per group for cylspg cylinders per group: the density applied
 * to the space the group has left after its own inodes, iterated because
 * that space depends on the result.
 */
static int64_t
calcipg(struct layout *l, int64_t cylspg)
{
	const struct fs *fs = l->fs;
	int64_t ncyl = howmany((int64_t)l->p->sectors, fs->fs_spc);
	int64_t ncg = howmany(ncyl, cylspg);
	int64_t ipg = 0;

	for (int i = 0; i < 10; i++) {
		int64_t usedb = (fs->fs_iblkno + ipg / UFS_INOPF(fs)) *
		    (int64_t)fs->fs_fsize;
		int64_t n = (cylspg * l->bpcg - usedb) / l->p->density *
		    (int64_t)l->p->sectors / ncg / fs->fs_spc / cylspg;

		n = roundup(n, fs->fs_inopb);
		if (n == ipg)
			break;
		ipg = n;
	}
	return (ipg);
}

static const char *
set_sizes(struct layout *l)
{
	struct fs *fs = l->fs;
	const struct mkfs_params *p = l->p;

	if (!powerof2(p->bsize) || p->bsize < MINBSIZE || p->bsize > MAXBSIZE)
		return ("block size must be a power of 2 from 4096 to 65536");
	if (!powerof2(p->fsize) || p->fsize < DEV_BSIZE)
		return ("fragment size must be a power of 2, at least 512");
	if (p->bsize < p->fsize)
		return ("block size cannot be smaller than fragment size");
	if (p->bsize / p->fsize > MAXFRAG) {
		snprintf(errbuf, sizeof(errbuf),
		    "fragment size %d is too small, minimum with block size "
		    "%d is %d",
		    p->fsize, p->bsize, p->bsize / MAXFRAG);
		return (errbuf);
	}
	fs->fs_bsize = p->bsize;
	fs->fs_fsize = p->fsize;
	fs->fs_bmask = ~(p->bsize - 1);
	fs->fs_fmask = ~(p->fsize - 1);
	fs->fs_qbmask = p->bsize - 1;
	fs->fs_qfmask = p->fsize - 1;
	fs->fs_bshift = ilog2(p->bsize);
	fs->fs_fshift = ilog2(p->fsize);
	fs->fs_frag = p->bsize / p->fsize;
	fs->fs_fragshift = ilog2(fs->fs_frag);
	fs->fs_nrpos = 1;
	fs->fs_nindir = p->bsize / (int32_t)sizeof(int32_t);
	fs->fs_inopb = p->bsize / (int32_t)sizeof(struct ufs1_dinode);
	fs->fs_nspf = p->fsize / DEV_BSIZE;
	fs->fs_fsbtodb = ilog2(fs->fs_nspf);
	fs->fs_sblkno = (int32_t)roundup(howmany(BBSIZE + SBSIZE, p->fsize),
	    fs->fs_frag);
	fs->fs_cblkno = fs->fs_sblkno +
	    (int32_t)roundup(howmany(SBSIZE, p->fsize), fs->fs_frag);
	fs->fs_iblkno = fs->fs_cblkno + fs->fs_frag;
	fs->fs_nsect = DFL_NSECTORS;
	fs->fs_ntrak = DFL_NTRACKS;
	fs->fs_npsect = DFL_NSECTORS;
	fs->fs_interleave = 1;
	fs->fs_spc = fs->fs_nsect * fs->fs_ntrak;
	fs->fs_cgoffset = (int32_t)roundup(howmany(fs->fs_nsect, fs->fs_nspf),
	    fs->fs_frag);
	fs->fs_cgmask = (int32_t)0xffffffff; /* one track: no staggering */
	fs->fs_maxfilesize = (uint64_t)p->bsize * NDADDR - 1;
	for (uint64_t sz = (uint64_t)p->bsize, i = 0; i < NIADDR; i++) {
		sz *= (uint64_t)fs->fs_nindir;
		fs->fs_maxfilesize += sz;
	}
	l->bpcg = (int64_t)fs->fs_spc * DEV_BSIZE;
	return (NULL);
}

/* Chooses fs_cpg and fs_ipg. */
static const char *
set_groups(struct layout *l)
{
	struct fs *fs = l->fs;
	int64_t cpc, i, mincpc, mincpg, used, ipg;

	for (cpc = (int64_t)fs->fs_frag * fs->fs_nspf, i = fs->fs_spc;
	     cpc > 1 && (i & 1) == 0; cpc >>= 1, i >>= 1)
		continue;
	mincpc = cpc;
	ipg = roundup(l->bpcg / (int64_t)sizeof(struct ufs1_dinode),
	    fs->fs_inopb);
	fs->fs_ipg = (int32_t)ipg;
	if (fs->fs_ipg > UFS_MAXIPG(fs))
		fs->fs_ipg = UFS_MAXIPG(fs);
	used = (fs->fs_iblkno + fs->fs_ipg / UFS_INOPF(fs)) *
	    (int64_t)fs->fs_nspf;
	mincpg = roundup(howmany(used, fs->fs_spc), mincpc);
	if (l->p->maxcontig > 1)
		fs->fs_contigsumsize = l->p->maxcontig < FS_MAXCONTIG ?
		    l->p->maxcontig :
		    FS_MAXCONTIG;
	fs->fs_cpg = (int32_t)mincpg;
	if (UFS_CGSIZE(fs) > fs->fs_bsize)
		return ("There is no block size that can support this disk");
	if (calcipg(l, mincpg) > UFS_MAXIPG(fs)) {
		snprintf(errbuf, sizeof(errbuf),
		    "with a block size of %d the minimum bytes per inode is "
		    "%" PRId64,
		    fs->fs_bsize, (mincpg * l->bpcg) / UFS_MAXIPG(fs) + 1);
		return (errbuf);
	}
	fs->fs_cpg = (int32_t)roundup(DESCPG, mincpc);
	while ((ipg = calcipg(l, fs->fs_cpg)) > UFS_MAXIPG(fs))
		fs->fs_cpg -= (int32_t)mincpc;
	fs->fs_ipg = (int32_t)ipg;
	while (UFS_CGSIZE(fs) > fs->fs_bsize) {
		fs->fs_cpg -= (int32_t)mincpc;
		fs->fs_ipg = (int32_t)calcipg(l, fs->fs_cpg);
	}
	if (fs->fs_cpg < mincpg) {
		snprintf(errbuf, sizeof(errbuf),
		    "cylinder groups must have at least %" PRId64 " cylinders",
		    mincpg);
		return (errbuf);
	}
	fs->fs_fpg = (int32_t)((int64_t)fs->fs_cpg * fs->fs_spc / fs->fs_nspf);
	fs->fs_cgsize = (int32_t)roundup(UFS_CGSIZE(fs), fs->fs_fsize);
	return (NULL);
}

/* Number of groups; a last group too small for its inodes is dropped. */
static const char *
set_count(struct layout *l)
{
	struct fs *fs = l->fs;
	int64_t size = (int64_t)l->p->sectors / fs->fs_nspf, last, rest, need;

	if (size > INT32_MAX)
		return ("media size is too large for newfs to handle");
	fs->fs_size = (int32_t)size;
	fs->fs_ncyl = (int32_t)howmany(size * fs->fs_nspf, fs->fs_spc);
	fs->fs_ncg = (int32_t)howmany(fs->fs_ncyl, fs->fs_cpg);
	fs->fs_dblkno = fs->fs_iblkno + fs->fs_ipg / UFS_INOPF(fs);
	if (ufs_cgdmin(fs, 0) - ufs_cgbase(fs, 0) >= fs->fs_fpg)
		return ("inode blocks per cylinder group exceed its data "
			"blocks; increase the bytes per inode");
	last = fs->fs_ncg - 1;
	rest = size - last * fs->fs_fpg;
	if (rest < fs->fs_fpg &&
	    ufs_cgdmin(fs, last) - ufs_cgbase(fs, last) > rest && last > 0) {
		printf("Warning: %" PRId64 " sector(s) in the last cylinder "
		       "group cannot be allocated\n",
		    rest * fs->fs_nspf);
		fs->fs_ncg--;
		fs->fs_ncyl = fs->fs_ncg * fs->fs_cpg;
		fs->fs_size = (int32_t)((int64_t)fs->fs_ncyl * fs->fs_spc /
		    fs->fs_nspf);
	}
	/* Group 0 holds the summaries, lost+found and the root. */
	need = ufs_cgdmin(fs, 0) +
	    roundup(howmany(fs->fs_ncg * (int64_t)sizeof(struct csum),
			fs->fs_fsize),
		fs->fs_frag) +
	    2 * fs->fs_frag;
	if (need > fs->fs_size || need > fs->fs_fpg) {
		snprintf(errbuf, sizeof(errbuf),
		    "file system must have at least %" PRId64 " sectors",
		    need * fs->fs_nspf);
		return (errbuf);
	}
	return (NULL);
}

static void
set_rest(struct layout *l)
{
	struct fs *fs = l->fs;
	const struct mkfs_params *p = l->p;
	int32_t n = fs->fs_bsize / (int32_t)sizeof(struct csum);

	fs->fs_csaddr = (int32_t)ufs_cgdmin(fs, 0);
	fs->fs_cssize = (int32_t)roundup(fs->fs_ncg *
		(int64_t)sizeof(struct csum),
	    fs->fs_fsize);
	fs->fs_csmask = ~(n - 1);
	fs->fs_csshift = ilog2(n);
	fs->fs_sbsize = (int32_t)roundup(UFS_SBSTRUCT_SIZE, fs->fs_fsize);
	if (fs->fs_sbsize > SBSIZE)
		fs->fs_sbsize = SBSIZE;
	fs->fs_postblformat = FS_DYNAMICPOSTBLFMT;
	fs->fs_cpc = 0;
	fs->fs_magic = FS_MAGIC;
	fs->fs_rotdelay = 0;
	fs->fs_minfree = p->minfree;
	fs->fs_maxcontig = p->maxcontig;
	fs->fs_maxbpg = p->maxbpg;
	fs->fs_rps = DFL_RPM / 60;
	fs->fs_optim = p->optim;
	fs->fs_avgfilesize = AVFILESIZ;
	fs->fs_avgfpdir = AFPDIR;
	fs->fs_inodefmt = FS_44INODEFMT;
	fs->fs_maxsymlinklen = MAXSYMLINKLEN;
	fs->fs_clean = 1;
	fs->fs_time = p->now;
	if (p->softdep)
		fs->fs_flags |= FS_DOSOFTDEP;
	if (p->volname != NULL)
		strncpy(fs->fs_volname, p->volname, MAXVOLLEN - 1);
	/* Data fragments: all but the metadata at the head of each group. */
	fs->fs_dsize = 0;
	for (int c = 0; c < fs->fs_ncg; c++) {
		int64_t cbase = ufs_cgbase(fs, c);
		int64_t dmax = cbase + fs->fs_fpg;

		if (dmax > fs->fs_size)
			dmax = fs->fs_size;
		fs->fs_dsize += (int32_t)(dmax - ufs_cgdmin(fs, c));
		if (c == 0)
			fs->fs_dsize -= (fs->fs_cssize + fs->fs_fsize - 1) /
			    fs->fs_fsize;
		else
			fs->fs_dsize += (int32_t)(ufs_cgsblock(fs, c) - cbase);
	}
}

const char *
mkfs_layout(const struct mkfs_params *p, struct fs *fs)
{
	struct layout l = { fs, p, 0 };
	const char *msg;

	memset(fs, 0, sizeof(*fs));
	if (p->sectors == 0)
		return ("preposterous size 0");
	if (p->sectors >= (uint64_t)1 << 31)
		return ("media size is too large for newfs to handle");
	if (p->density <= 0)
		return ("bytes per inode must be positive");
	if ((msg = set_sizes(&l)) != NULL || (msg = set_groups(&l)) != NULL ||
	    (msg = set_count(&l)) != NULL)
		return (msg);
	set_rest(&l);
	printf("%s:\t%" PRId64 " sectors in %d cylinders of %d tracks, %d "
	       "sectors\n",
	    p->name, (int64_t)fs->fs_size * fs->fs_nspf, fs->fs_ncyl,
	    fs->fs_ntrak, fs->fs_nsect);
	printf("\t%.1fMB in %d cyl groups (%d c/g, %.2fMB/g, %d i/g)%s\n",
	    (double)fs->fs_size * fs->fs_fsize / (1024.0 * 1024.0), fs->fs_ncg,
	    fs->fs_cpg, (double)fs->fs_fpg * fs->fs_fsize / (1024.0 * 1024.0),
	    fs->fs_ipg, p->softdep ? " SOFTUPDATES" : "");
	return (NULL);
}
