/*
 * ufs_sb.c - checks of the UFS1 superblock and cylinder group headers,
 * shared by the kernel's mount and the host tools (newfs, fsck_ufs).
 *
 * A superblock comes from the disk and is trusted for nothing until it
 * passes ufs_sb_check(): every size and shift the rest of the code uses
 * to compute addresses is checked against the others, so that arithmetic
 * on a checked superblock cannot overflow or leave the partition.  The
 * messages start with the field at fault ("fs_bsize: ...").
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/vfs/ufs/ufs_dinode.h"
#include "runtime/vfs/ufs/ufs_fs.h"

static bool
powerof2(int64_t x)
{
	return (x > 0 && (x & (x - 1)) == 0);
}

static int
ilog2(int64_t x)
{
	int n = 0;

	while (x > 1) {
		x >>= 1;
		n++;
	}
	return (n);
}

/* Block and fragment sizes with everything derived from them. */
static const char *
check_sizes(const struct fs *fs)
{
	if (!powerof2(fs->fs_bsize) || fs->fs_bsize < MINBSIZE ||
	    fs->fs_bsize > MAXBSIZE)
		return ("fs_bsize: not a power of 2 from 4096 to 65536");
	if (!powerof2(fs->fs_fsize) || fs->fs_fsize < DEV_BSIZE ||
	    fs->fs_fsize > fs->fs_bsize)
		return ("fs_fsize: not a power of 2 from 512 to fs_bsize");
	if (fs->fs_bsize / fs->fs_fsize > MAXFRAG)
		return ("fs_fsize: more than 8 fragments per block");
	if (fs->fs_frag != fs->fs_bsize / fs->fs_fsize)
		return ("fs_frag: not fs_bsize / fs_fsize");
	if (fs->fs_fragshift != ilog2(fs->fs_frag))
		return ("fs_fragshift: not log2(fs_frag)");
	if (fs->fs_bshift != ilog2(fs->fs_bsize))
		return ("fs_bshift: not log2(fs_bsize)");
	if (fs->fs_fshift != ilog2(fs->fs_fsize))
		return ("fs_fshift: not log2(fs_fsize)");
	if (fs->fs_bmask != ~(fs->fs_bsize - 1) ||
	    fs->fs_qbmask != (int64_t)(fs->fs_bsize - 1))
		return ("fs_bmask: does not match fs_bsize");
	if (fs->fs_fmask != ~(fs->fs_fsize - 1) ||
	    fs->fs_qfmask != (int64_t)(fs->fs_fsize - 1))
		return ("fs_fmask: does not match fs_fsize");
	if (!powerof2(fs->fs_nspf) || fs->fs_fsize / fs->fs_nspf < DEV_BSIZE ||
	    fs->fs_fsize % fs->fs_nspf != 0)
		return ("fs_nspf: not a power of 2 dividing fs_fsize");
	if (fs->fs_fsbtodb != ilog2(fs->fs_nspf))
		return ("fs_fsbtodb: not log2(fs_nspf)");
	if (fs->fs_inopb != fs->fs_bsize / (int32_t)sizeof(struct ufs1_dinode))
		return ("fs_inopb: not fs_bsize / 128");
	if (fs->fs_nindir != fs->fs_bsize / (int32_t)sizeof(int32_t))
		return ("fs_nindir: not fs_bsize / 4");
	if (fs->fs_sbsize <= 0 || fs->fs_sbsize > SBSIZE ||
	    fs->fs_sbsize < (int32_t)sizeof(struct fs))
		return ("fs_sbsize: not from 1376 to 8192");
	return (NULL);
}

/* The cylinder group geometry and the file system size. */
static const char *
check_groups(const struct fs *fs, uint64_t part_bytes)
{
	int64_t last;

	if (fs->fs_ncg <= 0)
		return ("fs_ncg: no cylinder groups");
	if (fs->fs_fpg <= 0 || fs->fs_fpg % fs->fs_frag != 0)
		return ("fs_fpg: not a positive multiple of fs_frag");
	if (fs->fs_ipg <= 0 || fs->fs_ipg % fs->fs_inopb != 0)
		return ("fs_ipg: not a positive multiple of fs_inopb");
	if ((int64_t)fs->fs_ipg * fs->fs_ncg > INT32_MAX)
		return ("fs_ipg: more than 2^31 inodes");
	if (fs->fs_size <= 0)
		return ("fs_size: not positive");
	if ((int64_t)fs->fs_fpg * fs->fs_ncg < fs->fs_size ||
	    (int64_t)fs->fs_fpg * (fs->fs_ncg - 1) >= fs->fs_size)
		return ("fs_ncg: does not match fs_size / fs_fpg");
	if (part_bytes != 0 && ufs_fsbtobyte(fs, fs->fs_size) > part_bytes)
		return ("fs_size: larger than the partition");
	if (fs->fs_dsize <= 0 || fs->fs_dsize > fs->fs_size)
		return ("fs_dsize: not from 1 to fs_size");
	if ((int64_t)fs->fs_sblkno * fs->fs_fsize < SBOFF + SBSIZE)
		return ("fs_sblkno: inside the boot and superblock area");
	if (fs->fs_cblkno <= fs->fs_sblkno || fs->fs_iblkno <= fs->fs_cblkno ||
	    fs->fs_dblkno <= fs->fs_iblkno)
		return ("fs_cblkno: fs_sblkno < fs_cblkno < fs_iblkno < "
			"fs_dblkno does not hold");
	if ((int64_t)fs->fs_dblkno - fs->fs_iblkno !=
	    (int64_t)fs->fs_ipg / UFS_INOPF(fs))
		return ("fs_dblkno: inode blocks do not match fs_ipg");
	if (fs->fs_cgsize <= (int32_t)sizeof(struct cg) ||
	    fs->fs_cgsize > fs->fs_bsize)
		return ("fs_cgsize: not within one block");
	if (fs->fs_cgsize >
	    (int64_t)(fs->fs_iblkno - fs->fs_cblkno) * fs->fs_fsize)
		return ("fs_cgsize: overlaps the inode blocks");
	if (fs->fs_cgoffset < 0 || fs->fs_cgoffset > fs->fs_fpg)
		return ("fs_cgoffset: outside the group");
	/* The staggered groups, as newfs checks them. */
	last = (uint32_t)~fs->fs_cgmask;
	if (last > fs->fs_ncg - 1)
		last = fs->fs_ncg - 1;
	if (ufs_cgdmin(fs, last) - ufs_cgbase(fs, last) >= fs->fs_fpg)
		return ("fs_dblkno: beyond the end of the group");
	last = fs->fs_ncg - 1;
	if (ufs_cgdmin(fs, last) > fs->fs_size)
		return ("fs_size: the last cylinder group cannot hold its "
			"inodes");
	return (NULL);
}

/* The summary area and the counts. */
static const char *
check_summary(const struct fs *fs)
{
	int64_t ninodes = (int64_t)fs->fs_ipg * fs->fs_ncg;
	const struct csum *cs = &fs->fs_cstotal;

	if (fs->fs_csaddr < fs->fs_dblkno || fs->fs_csaddr >= fs->fs_size)
		return ("fs_csaddr: outside the data area");
	if (fs->fs_cssize < fs->fs_ncg * (int32_t)sizeof(struct csum) ||
	    fs->fs_cssize >
		fs->fs_ncg * (int64_t)sizeof(struct csum) + fs->fs_bsize ||
	    fs->fs_cssize % fs->fs_fsize != 0)
		return ("fs_cssize: does not fit fs_ncg summaries");
	if (fs->fs_csaddr + (int64_t)fs->fs_cssize / fs->fs_fsize > fs->fs_size)
		return ("fs_cssize: runs past the end of the file system");
	if (cs->cs_ndir < 0 || cs->cs_ndir > ninodes || cs->cs_nifree < 0 ||
	    cs->cs_nifree > ninodes)
		return ("fs_cstotal: inode counts out of range");
	if (cs->cs_nbfree < 0 ||
	    (int64_t)cs->cs_nbfree * fs->fs_frag > fs->fs_size ||
	    cs->cs_nffree < 0 || cs->cs_nffree > fs->fs_size)
		return ("fs_cstotal: block counts out of range");
	return (NULL);
}

const char *
ufs_sb_check(const struct fs *fs, uint64_t part_bytes)
{
	const char *msg;

	if (fs->fs_magic != FS_MAGIC)
		return ("fs_magic: not a UFS1 superblock");
	if ((msg = check_sizes(fs)) != NULL ||
	    (msg = check_groups(fs, part_bytes)) != NULL ||
	    (msg = check_summary(fs)) != NULL)
		return (msg);
	if (fs->fs_inodefmt != FS_44INODEFMT)
		return ("fs_inodefmt: not the 4.4BSD inode format");
	if (fs->fs_maxsymlinklen < 0 || fs->fs_maxsymlinklen > MAXSYMLINKLEN)
		return ("fs_maxsymlinklen: more than 60");
	if (fs->fs_minfree < 0 || fs->fs_minfree > 99)
		return ("fs_minfree: not a percentage from 0 to 99");
	if (fs->fs_contigsumsize < 0 || fs->fs_contigsumsize > FS_MAXCONTIG)
		return ("fs_contigsumsize: more than 16");
	if (fs->fs_maxcontig < 0 || fs->fs_maxbpg < 0)
		return ("fs_maxcontig: negative");
	return (NULL);
}

/* True when [off, off + size) lies within [0, limit). */
static bool
inside(int32_t off, int64_t size, int64_t limit)
{
	return (off >= (int32_t)sizeof(struct cg) && size >= 0 &&
	    off + size <= limit);
}

const char *
ufs_cg_check(const struct fs *fs, const void *buf, size_t len, int cgx)
{
	struct cg cg;
	int64_t nfrags;

	if (len < (size_t)fs->fs_cgsize || len < sizeof(cg))
		return ("cg: shorter than fs_cgsize");
	memcpy(&cg, buf, sizeof(cg));
	if (cg.cg_magic != CG_MAGIC)
		return ("cg_magic: not a cylinder group");
	if (cg.cg_cgx != cgx)
		return ("cg_cgx: not the index of this group");
	nfrags = cg.cg_ndblk;
	if (nfrags <= 0 || nfrags > fs->fs_fpg)
		return ("cg_ndblk: not from 1 to fs_fpg");
	if (!inside(cg.cg_iusedoff, (fs->fs_ipg + 7) / 8, fs->fs_cgsize))
		return ("cg_iusedoff: inode map outside the block");
	if (!inside(cg.cg_freeoff, (nfrags + 7) / 8, fs->fs_cgsize))
		return ("cg_freeoff: fragment map outside the block");
	if (cg.cg_nextfreeoff > fs->fs_cgsize || cg.cg_nextfreeoff < 0)
		return ("cg_nextfreeoff: outside the block");
	if (fs->fs_contigsumsize > 0) {
		if (!inside(cg.cg_clustersumoff,
			((int64_t)fs->fs_contigsumsize + 1) * 4,
			fs->fs_cgsize) ||
		    cg.cg_clustersumoff % 4 != 0)
			return ("cg_clustersumoff: outside the block");
		if (!inside(cg.cg_clusteroff, (nfrags / fs->fs_frag + 7) / 8,
			fs->fs_cgsize))
			return ("cg_clusteroff: outside the block");
	}
	if (cg.cg_cs.cs_nifree < 0 || cg.cg_cs.cs_nifree > fs->fs_ipg ||
	    cg.cg_cs.cs_ndir < 0 || cg.cg_cs.cs_ndir > fs->fs_ipg)
		return ("cg_cs: inode counts out of range");
	if (cg.cg_cs.cs_nbfree < 0 ||
	    (int64_t)cg.cg_cs.cs_nbfree * fs->fs_frag > nfrags ||
	    cg.cg_cs.cs_nffree < 0 || cg.cg_cs.cs_nffree > nfrags)
		return ("cg_cs: block counts out of range");
	return (NULL);
}
