/*
 * ufs_sb_test.c - unit tests of the superblock check (runtime/vfs/ufs/
 * ufs_sb.c) on layouts from newfs's mkfs_layout(): good ones pass, and
 * each broken field is refused with a message that names it.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "images/tools/newfs/newfs.h"
#include "runtime/vfs/ufs/ufs_dinode.h"

static void
layout(struct fs *fs, uint64_t sectors, int bsize, int fsize)
{
	struct mkfs_params p = { .name = "test",
		.sectors = sectors,
		.bsize = bsize,
		.fsize = fsize,
		.density = 4 * fsize,
		.minfree = 8,
		.maxcontig = 7,
		.maxbpg = bsize / 4,
		.now = 1 };

	cr_assert_null(mkfs_layout(&p, fs));
}

Test(sb, good_layouts_pass, .timeout = 30)
{
	static const int sizes[][2] = { { 16384, 2048 }, { 8192, 1024 },
		{ 4096, 512 }, { 65536, 8192 }, { 32768, 4096 } };
	struct fs fs = { 0 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (uint64_t mb = 8; mb <= 4096; mb *= 4) {
			const char *msg;

			layout(&fs, mb * 2048, sizes[i][0], sizes[i][1]);
			msg = ufs_sb_check(&fs, mb << 20);
			cr_assert_null(msg, "%d/%d %ju MB: %s", sizes[i][0],
			    sizes[i][1], (uintmax_t)mb, msg);
			cr_assert_eq(fs.fs_bsize, sizes[i][0]);
			cr_assert_geq(fs.fs_ncg, 1);
			cr_assert_leq(UFS_CGSIZE(&fs), fs.fs_bsize);
		}
	}
}

Test(sb, dragonfly_defaults, .timeout = 10)
{
	struct fs fs = { 0 };

	layout(&fs, 131056, 16384, 2048);
	cr_assert_eq(fs.fs_magic, FS_MAGIC);
	cr_assert_eq(fs.fs_frag, 8);
	cr_assert_eq(fs.fs_minfree, 8);
	cr_assert_eq(fs.fs_sblkno, 8);
	cr_assert_eq(fs.fs_cblkno, 16);
	cr_assert_eq(fs.fs_iblkno, 24);
	cr_assert_eq(fs.fs_ipg * fs.fs_ncg, 8192); /* 8192 bytes/inode */
	cr_assert_eq(fs.fs_inodefmt, FS_44INODEFMT);
	cr_assert_eq(fs.fs_maxsymlinklen, MAXSYMLINKLEN);
	cr_assert_eq(fs.fs_nspf, 4);
	cr_assert_eq(fs.fs_size, 131056 / 4);
	cr_assert_eq(fs.fs_postblformat, FS_DYNAMICPOSTBLFMT);
	cr_assert_eq(offsetof(struct fs, fs_magic), 1372);
}

/* Breaks one field of a good superblock; the message must name it. */
#define BREAK(field, value, name)                                            \
	do {                                                                 \
		struct fs b = good;                                          \
		const char *msg;                                             \
		b.field = (value);                                           \
		msg = ufs_sb_check(&b, part);                                \
		cr_assert_not_null(msg, "%s = %s accepted", #field, #value); \
		cr_assert(strncmp(msg, name, strlen(name)) == 0,             \
		    "%s: got \"%s\"", #field, msg);                          \
	} while (0)

Test(sb, broken_fields_named, .timeout = 10)
{
	struct fs good = { 0 };
	uint64_t part = 600ull << 20;

	layout(&good, 600 * 2048, 16384, 2048);
	cr_assert_null(ufs_sb_check(&good, part));
	cr_assert_gt(good.fs_ncg, 1);
	BREAK(fs_magic, 0x19540119, "fs_magic");
	BREAK(fs_bsize, 12288, "fs_bsize");
	BREAK(fs_bsize, 131072, "fs_bsize");
	BREAK(fs_fsize, 1000, "fs_fsize");
	BREAK(fs_fsize, 32768, "fs_fsize");
	BREAK(fs_frag, 4, "fs_frag");
	BREAK(fs_bshift, 13, "fs_bshift");
	BREAK(fs_fshift, 12, "fs_fshift");
	BREAK(fs_bmask, 0, "fs_bmask");
	BREAK(fs_qfmask, 0, "fs_fmask");
	BREAK(fs_nspf, 3, "fs_nspf");
	BREAK(fs_fsbtodb, 0, "fs_fsbtodb");
	BREAK(fs_inopb, 64, "fs_inopb");
	BREAK(fs_nindir, 2048, "fs_nindir");
	BREAK(fs_sbsize, 100000, "fs_sbsize");
	BREAK(fs_ncg, 0, "fs_ncg");
	BREAK(fs_ncg, good.fs_ncg + 1, "fs_ncg");
	BREAK(fs_ipg, good.fs_ipg + 1, "fs_ipg");
	BREAK(fs_fpg, good.fs_fpg - 1, "fs_fpg");
	BREAK(fs_size, 0, "fs_size");
	BREAK(fs_dsize, good.fs_size + 1, "fs_dsize");
	BREAK(fs_sblkno, 2, "fs_sblkno");
	BREAK(fs_dblkno, good.fs_dblkno + 8, "fs_dblkno");
	BREAK(fs_cgsize, 65536, "fs_cgsize");
	BREAK(fs_csaddr, 0, "fs_csaddr");
	BREAK(fs_cssize, 0, "fs_cssize");
	BREAK(fs_cstotal.cs_nifree, -1, "fs_cstotal");
	BREAK(fs_cstotal.cs_nbfree, good.fs_size, "fs_cstotal");
	BREAK(fs_inodefmt, FS_42INODEFMT, "fs_inodefmt");
	BREAK(fs_maxsymlinklen, 61, "fs_maxsymlinklen");
	BREAK(fs_minfree, 100, "fs_minfree");
	BREAK(fs_contigsumsize, 17, "fs_contigsumsize");
	/* The partition is smaller than the file system. */
	cr_assert_str_eq(ufs_sb_check(&good, part / 2),
	    "fs_size: larger than the partition");
}

Test(sb, cg_check, .timeout = 10)
{
	struct fs fs = { 0 };
	static uint8_t buf[16384];
	struct cg cg;

	layout(&fs, 131056, 16384, 2048);
	memset(&cg, 0, sizeof(cg));
	cg.cg_magic = CG_MAGIC;
	cg.cg_cgx = 0;
	cg.cg_ndblk = fs.fs_size;
	cg.cg_btotoff = 168;
	cg.cg_boff = 168 + 4 * fs.fs_cpg;
	cg.cg_iusedoff = cg.cg_boff + 2 * fs.fs_cpg;
	cg.cg_freeoff = cg.cg_iusedoff + fs.fs_ipg / 8;
	cg.cg_clustersumoff = (cg.cg_freeoff + fs.fs_fpg / 8 + 3) & ~3;
	cg.cg_clusteroff = cg.cg_clustersumoff + 4 * 8;
	cg.cg_nextfreeoff = cg.cg_clusteroff + fs.fs_fpg / 64;
	memcpy(buf, &cg, sizeof(cg));
	cr_assert_null(ufs_cg_check(&fs, buf, sizeof(buf), 0));
	cr_assert_str_eq(ufs_cg_check(&fs, buf, sizeof(buf), 1),
	    "cg_cgx: not the index of this group");
	cg.cg_freeoff = fs.fs_cgsize - 8;
	memcpy(buf, &cg, sizeof(cg));
	cr_assert_str_eq(ufs_cg_check(&fs, buf, sizeof(buf), 0),
	    "cg_freeoff: fragment map outside the block");
	cg.cg_magic = 0;
	memcpy(buf, &cg, sizeof(cg));
	cr_assert_str_eq(ufs_cg_check(&fs, buf, sizeof(buf), 0),
	    "cg_magic: not a cylinder group");
}
