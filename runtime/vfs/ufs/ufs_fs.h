/*
 * ufs_fs.h - the UFS1 (4.4BSD FFS) superblock and cylinder group as
 * DragonFly lays them out.
 *
 * A file system starts with an 8 KiB boot area (BBSIZE); the superblock is
 * at byte SBOFF of the partition and copied into every cylinder group.
 * Block addresses are 32-bit fragment numbers from the start of the
 * partition.  The structures are the little-endian on-disk images: the
 * in-core pointers of the original struct fs are a 128-byte pad here, and
 * the trailing variable-size tables are left to the code (struct cg is
 * followed by its maps at the offsets it records).  Shared by the kernel
 * and the image tools; checks are in runtime/vfs/ufs/ufs_sb.c.
 */
#ifndef RUNTIME_VFS_UFS_UFS_FS_H
#define RUNTIME_VFS_UFS_UFS_FS_H

#include <stddef.h>
#include <stdint.h>

#define BBSIZE	     8192
#define SBSIZE	     8192
#define BBOFF	     0
#define SBOFF	     (BBOFF + BBSIZE) /* superblock byte offset */
#define DEV_BSIZE    512
#define DEV_BSHIFT   9
#define MINBSIZE     4096
#define MAXBSIZE     65536
#define MAXFRAG	     8
#define MAXMNTLEN    468
#define MAXVOLLEN    32
#define FS_MAXCONTIG 16
#define MINFREE	     8
#define AVFILESIZ    16384
#define AFPDIR	     64
#define FSMAXSNAP    20

#define FS_MAGIC	    0x011954
#define FS_OKAY		    0x7c269d38
#define FS_42INODEFMT	    (-1)
#define FS_44INODEFMT	    2
#define FS_OPTTIME	    0
#define FS_OPTSPACE	    1
#define FS_UNCLEAN	    0x01
#define FS_DOSOFTDEP	    0x02
#define FS_42POSTBLFMT	    (-1)
#define FS_DYNAMICPOSTBLFMT 1
#define CG_MAGIC	    0x090255

/* Per cylinder group summary, an array of them at fs_csaddr. */
struct csum {
	int32_t cs_ndir;   /* directories */
	int32_t cs_nbfree; /* free blocks */
	int32_t cs_nifree; /* free inodes */
	int32_t cs_nffree; /* free fragments */
};

struct fs {
	int32_t fs_firstfield;
	int32_t fs_unused_1;
	int32_t fs_sblkno;   /* superblock, in fragments from cg start */
	int32_t fs_cblkno;   /* cylinder group block */
	int32_t fs_iblkno;   /* inode blocks */
	int32_t fs_dblkno;   /* first data block */
	int32_t fs_cgoffset; /* cylinder group offset in cylinder */
	int32_t fs_cgmask;   /* used to calc mod fs_ntrak */
	int32_t fs_time;     /* last time written */
	int32_t fs_size;     /* fragments in the file system */
	int32_t fs_dsize;    /* data fragments */
	int32_t fs_ncg;	     /* cylinder groups */
	int32_t fs_bsize;    /* block size */
	int32_t fs_fsize;    /* fragment size */
	int32_t fs_frag;     /* fragments per block */
	int32_t fs_minfree;  /* percent of blocks kept free */
	int32_t fs_rotdelay;
	int32_t fs_rps;
	int32_t fs_bmask; /* ~(fs_bsize - 1) */
	int32_t fs_fmask; /* ~(fs_fsize - 1) */
	int32_t fs_bshift;
	int32_t fs_fshift;
	int32_t fs_maxcontig; /* max contiguous blocks */
	int32_t fs_maxbpg;    /* max blocks per cg for a file */
	int32_t fs_fragshift;
	int32_t fs_fsbtodb; /* fragment to sector shift */
	int32_t fs_sbsize;  /* actual size of the superblock */
	int32_t fs_csmask;
	int32_t fs_csshift;
	int32_t fs_nindir; /* block pointers per indirect block */
	int32_t fs_inopb;  /* inodes per block */
	int32_t fs_nspf;   /* sectors per fragment */
	int32_t fs_optim;
	int32_t fs_npsect;
	int32_t fs_interleave;
	int32_t fs_trackskew;
	int32_t fs_id[2];
	int32_t fs_csaddr; /* fragment of the cg summary array */
	int32_t fs_cssize; /* its size in bytes */
	int32_t fs_cgsize; /* cylinder group block size in bytes */
	int32_t fs_ntrak;
	int32_t fs_nsect;
	int32_t fs_spc; /* sectors per cylinder */
	int32_t fs_ncyl;
	int32_t fs_cpg; /* cylinders per group */
	int32_t fs_ipg; /* inodes per group */
	int32_t fs_fpg; /* fragments per group */
	struct csum fs_cstotal;
	int8_t fs_fmod;
	int8_t fs_clean;
	int8_t fs_ronly;
	int8_t fs_flags; /* FS_UNCLEAN, FS_DOSOFTDEP */
	char fs_fsmnt[MAXMNTLEN];
	char fs_volname[MAXVOLLEN];
	uint64_t fs_swuid;
	int32_t fs_pad;
	int32_t fs_cgrotor;
	uint8_t fs_ocsp[128]; /* in-core pointers, zero on disk */
	int32_t fs_cpc;
	int16_t fs_opostbl[16][8];
	int32_t fs_snapinum[FSMAXSNAP];
	int32_t fs_avgfilesize;
	int32_t fs_avgfpdir;
	int32_t fs_sparecon[26];
	int32_t fs_pendingblocks;
	int32_t fs_pendinginodes;
	int32_t fs_contigsumsize;
	int32_t fs_maxsymlinklen;
	int32_t fs_inodefmt;
	uint64_t fs_maxfilesize;
	int64_t fs_qbmask;
	int64_t fs_qfmask;
	int32_t fs_state;
	int32_t fs_postblformat;
	int32_t fs_nrpos;
	int32_t fs_postbloff;
	int32_t fs_rotbloff;
	int32_t fs_magic; /* FS_MAGIC */
	/* The rotational tables follow, when there are any. */
};

/* sizeof(struct fs) in the original, whose fs_space[1] ends it. */
#define UFS_SBSTRUCT_SIZE 1384

_Static_assert(offsetof(struct fs, fs_fsmnt) == 212, "fs_fsmnt");
_Static_assert(offsetof(struct fs, fs_cgrotor) == 724, "fs_cgrotor");
_Static_assert(offsetof(struct fs, fs_cpc) == 856, "fs_cpc");
_Static_assert(offsetof(struct fs, fs_maxfilesize) == 1328, "fs_maxfilesize");
_Static_assert(offsetof(struct fs, fs_magic) == 1372, "fs_magic at 1372");
_Static_assert(sizeof(struct fs) == 1376, "struct fs");

struct cg {
	int32_t cg_firstfield;
	int32_t cg_magic; /* CG_MAGIC */
	int32_t cg_time;
	int32_t cg_cgx; /* index of this group */
	int16_t cg_ncyl;
	int16_t cg_niblk; /* inodes in this group (truncated to 16 bits) */
	int32_t cg_ndblk; /* fragments in this group */
	struct csum cg_cs;
	int32_t cg_rotor;
	int32_t cg_frotor;
	int32_t cg_irotor;
	int32_t cg_frsum[MAXFRAG]; /* free runs of 1..frag-1 fragments */
	int32_t cg_btotoff;	   /* int32 block totals per cylinder */
	int32_t cg_boff;	   /* int16 free block positions */
	int32_t cg_iusedoff;	   /* uint8 used inode map */
	int32_t cg_freeoff;	   /* uint8 free fragment map */
	int32_t cg_nextfreeoff;	   /* end of the maps */
	int32_t cg_clustersumoff;  /* int32 counts of free clusters */
	int32_t cg_clusteroff;	   /* uint8 free cluster map */
	int32_t cg_nclusterblks;
	int32_t cg_sparecon[13];
	/* The maps follow. */
};

_Static_assert(offsetof(struct cg, cg_btotoff) == 84, "cg_btotoff");
_Static_assert(sizeof(struct cg) == 168, "cg header");

/* Bytes of a cg block: as the original's CGSIZE(fs). */
#define UFS_CGSIZE(fs)                                                       \
	(168 + 4 + 4 + (int64_t)(fs)->fs_cpg * 4 +                           \
	    (int64_t)(fs)->fs_cpg * (fs)->fs_nrpos * 2 +                     \
	    ((int64_t)(fs)->fs_ipg + 7) / 8 +                                \
	    ((int64_t)(fs)->fs_cpg * (fs)->fs_spc / (fs)->fs_nspf + 7) / 8 + \
	    ((fs)->fs_contigsumsize <= 0 ?                                   \
		    0 :                                                      \
		    (int64_t)(fs)->fs_contigsumsize * 4 +                    \
			((int64_t)(fs)->fs_cpg * (fs)->fs_spc /              \
				((fs)->fs_nspf * (fs)->fs_frag) +            \
			    7) /                                             \
			    8))

/* Maximum inodes per group a cg block can map. */
#define UFS_MAXIPG(fs)                                                      \
	((((fs)->fs_bsize * 8 / 3) + (fs)->fs_inopb - 1) / (fs)->fs_inopb * \
	    (fs)->fs_inopb)

/* Address arithmetic, in fragments. */
#define ufs_cgbase(fs, c) ((int64_t)(fs)->fs_fpg * (c))
#define ufs_cgstart(fs, c)   \
	(ufs_cgbase(fs, c) + \
	    (int64_t)(fs)->fs_cgoffset * ((c) & ~(fs)->fs_cgmask))
#define ufs_cgsblock(fs, c)  (ufs_cgstart(fs, c) + (fs)->fs_sblkno)
#define ufs_cgtod(fs, c)     (ufs_cgstart(fs, c) + (fs)->fs_cblkno)
#define ufs_cgimin(fs, c)    (ufs_cgstart(fs, c) + (fs)->fs_iblkno)
#define ufs_cgdmin(fs, c)    (ufs_cgstart(fs, c) + (fs)->fs_dblkno)
#define UFS_INOPF(fs)	     ((fs)->fs_inopb >> (fs)->fs_fragshift)
#define ufs_ino_to_cg(fs, i) ((i) / (uint32_t)(fs)->fs_ipg)
/* Fragment holding inode i, and its index in that block. */
#define ufs_ino_to_fsba(fs, i)                          \
	(ufs_cgimin(fs, ufs_ino_to_cg(fs, i)) +         \
	    ((int64_t)(((i) % (uint32_t)(fs)->fs_ipg) / \
		 (uint32_t)(fs)->fs_inopb)              \
		<< (fs)->fs_fragshift))
#define ufs_ino_to_fsbo(fs, i) ((i) % (uint32_t)(fs)->fs_inopb)
/* Byte offset in the partition of fragment f. */
#define ufs_fsbtobyte(fs, f) ((uint64_t)(f) << (fs)->fs_fshift)

/*
 * Checks a UFS1 superblock read from a partition of part_bytes bytes (0:
 * size unknown): magic, block and fragment sizes and their derived shifts
 * and masks, the cylinder group geometry and its consistency with
 * fs_size, the summary area, and the inode format (ufs_sb.c).  Returns
 * NULL, or a message that starts with the name of the bad field.
 */
const char *ufs_sb_check(const struct fs *fs, uint64_t part_bytes);

/*
 * Checks the cylinder group block cgx of the checked superblock fs, whose
 * fs_cgsize bytes are at buf (len bytes): magic, index, and map offsets
 * inside the block.  Returns NULL or a message naming the field.
 */
const char *ufs_cg_check(const struct fs *fs, const void *buf, size_t len,
    int cgx);

#endif /* RUNTIME_VFS_UFS_UFS_FS_H */
