/*
 * ufs_vfsops.c - mount, remount, sync, unmount and statfs of the UFS1
 * library, and the I/O and memory helpers the other files use (ufs.h).
 *
 * The superblock and the summary area stay in memory for the life of the
 * mount; allocations update them there and set mp->dirty, and ufs_sync()
 * writes them (the cylinder groups themselves are written at once).  On
 * the disk fs_clean is 0 while the file system is mounted read-write.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/vfs/ufs/ufs_private.h"

void *
ufs_malloc(struct ufs_mount *mp, size_t len)
{
	return (mp->io.alloc(mp->io.ctx, len));
}

void
ufs_mfree(struct ufs_mount *mp, void *p)
{
	if (p != NULL)
		mp->io.free(mp->io.ctx, p);
}

bool
ufs_blk_ok(const struct fs *fs, int64_t bn, int64_t n)
{
	return (bn > 0 && n > 0 && n <= fs->fs_frag && bn < fs->fs_size &&
	    bn + n <= fs->fs_size);
}

int
ufs_bread(struct ufs_mount *mp, int64_t bn, int64_t n, void *buf)
{
	struct fs *fs = mp->fs;

	if (bn < 0 || n <= 0 || bn + n > fs->fs_size)
		return (EINVAL);
	return (mp->io.read(mp->io.ctx, ufs_fsbtobyte(fs, bn), buf,
	    (size_t)n << fs->fs_fshift));
}

int
ufs_bwrite(struct ufs_mount *mp, int64_t bn, int64_t n, const void *buf)
{
	struct fs *fs = mp->fs;

	if (mp->flags & UFS_MNT_RDONLY)
		return (EROFS);
	if (bn < 0 || n <= 0 || bn + n > fs->fs_size)
		return (EINVAL);
	return (mp->io.write(mp->io.ctx, ufs_fsbtobyte(fs, bn), buf,
	    (size_t)n << fs->fs_fshift));
}

void
ufs_now(struct ufs_mount *mp, int32_t *sec, int32_t *nsec)
{
	int64_t s = 0;
	int32_t ns = 0;

	if (mp->io.now != NULL)
		mp->io.now(mp->io.ctx, &s, &ns);
	*sec = (int32_t)s;
	*nsec = ns;
}

/* The checks ufs_sb_check leaves to the users of the geometry. */
static int
check_more(const struct fs *fs)
{
	int64_t max;

	if (fs->fs_spc <= 0 || fs->fs_nsect <= 0 || fs->fs_npsect <= 0 ||
	    fs->fs_nrpos <= 0 || fs->fs_cpg <= 0 || fs->fs_nspf <= 0)
		return (EINVAL);
	if (fs->fs_size > INT32_MAX / 2 || fs->fs_fpg > INT32_MAX / 2)
		return (EINVAL);
	if ((int64_t)fs->fs_cssize > (int64_t)fs->fs_ncg * 16 + fs->fs_bsize)
		return (EINVAL);
	max = (int64_t)fs->fs_iblkno - fs->fs_cblkno;
	if (ufs_fragroundup(fs, fs->fs_cgsize) > max * fs->fs_fsize)
		return (EINVAL);
	return (0);
}

/* The largest file: what the pointers reach, at most fs_maxfilesize. */
static uint64_t
max_file_size(const struct fs *fs)
{
	uint64_t n = NDADDR, per = (uint64_t)fs->fs_nindir, lv = 1;

	for (int i = 0; i < NIADDR; i++) {
		lv *= per;
		n += lv;
	}
	/* 2^31 fragments is the address space; keep files below it. */
	if (n > ((uint64_t)1 << 31) / (uint64_t)fs->fs_frag)
		n = ((uint64_t)1 << 31) / (uint64_t)fs->fs_frag;
	n <<= fs->fs_bshift;
	if (fs->fs_maxfilesize != 0 && fs->fs_maxfilesize < n)
		n = fs->fs_maxfilesize;
	return (n);
}

static int
write_sb(struct ufs_mount *mp)
{
	struct fs *fs = mp->fs;
	int error;

	if (mp->flags & UFS_MNT_RDONLY)
		return (EROFS);
	error = ufs_bwrite(mp, fs->fs_csaddr, fs->fs_cssize / fs->fs_fsize,
	    mp->cs);
	if (error != 0)
		return (error);
	fs->fs_fmod = 0;
	fs->fs_ronly = 0;
	error = mp->io.write(mp->io.ctx, SBOFF, fs, SBSIZE);
	if (error == 0)
		mp->dirty = 0;
	return (error);
}

/* Marks the disk copy clean or not, with everything written. */
static int
set_clean(struct ufs_mount *mp, int clean)
{
	struct fs *fs = mp->fs;
	int32_t ns;
	int error;

	ufs_now(mp, &fs->fs_time, &ns);
	fs->fs_clean = (int8_t)clean;
	if ((error = write_sb(mp)) != 0)
		return (error);
	return (mp->io.flush != NULL ? mp->io.flush(mp->io.ctx) : 0);
}

static int
check_clean(struct ufs_mount *mp, int flags)
{
	if (mp->fs->fs_clean == 0) {
		mp->unclean = 1;
		if (!(flags & UFS_MNT_FORCE))
			return (EPERM);
	}
	return (0);
}

int
ufs_mount(const struct ufs_io *io, uint64_t part_bytes, int flags,
    struct ufs_mount *mp)
{
	struct fs *fs;
	int error;

	memset(mp, 0, sizeof(*mp));
	mp->io = *io;
	mp->part_bytes = part_bytes;
	mp->flags = flags & UFS_MNT_RDONLY;
	if (part_bytes < SBOFF + SBSIZE)
		return (EINVAL);
	if ((fs = ufs_malloc(mp, SBSIZE)) == NULL)
		return (ENOMEM);
	mp->fs = fs;
	error = io->read(io->ctx, SBOFF, fs, SBSIZE);
	if (error == 0 &&
	    (ufs_sb_check(fs, part_bytes) != NULL || check_more(fs) != 0))
		error = EINVAL;
	if (error != 0)
		goto fail;
	mp->ninodes = (uint32_t)fs->fs_ipg * (uint32_t)fs->fs_ncg;
	mp->maxfilesize = max_file_size(fs);
	if ((mp->cs = ufs_malloc(mp, (size_t)fs->fs_cssize)) == NULL) {
		error = ENOMEM;
		goto fail;
	}
	error = ufs_bread(mp, fs->fs_csaddr, fs->fs_cssize / fs->fs_fsize,
	    mp->cs);
	if (error != 0)
		goto fail;
	for (int c = 0; c < fs->fs_ncg; c++) {
		const struct csum *cs = &mp->cs[c];

		if (cs->cs_nbfree < 0 || cs->cs_nffree < 0 ||
		    cs->cs_nifree < 0 || cs->cs_ndir < 0 ||
		    cs->cs_nifree > fs->fs_ipg ||
		    (int64_t)cs->cs_nbfree * fs->fs_frag > fs->fs_fpg) {
			error = EINVAL;
			goto fail;
		}
	}
	if (mp->flags & UFS_MNT_RDONLY) {
		mp->unclean = fs->fs_clean == 0;
		return (0);
	}
	if ((error = check_clean(mp, flags)) != 0 ||
	    (error = set_clean(mp, 0)) != 0)
		goto fail;
	return (0);
fail:
	ufs_mfree(mp, mp->cs);
	ufs_mfree(mp, mp->fs);
	mp->cs = NULL;
	mp->fs = NULL;
	return (error);
}

int
ufs_mount_update(struct ufs_mount *mp, int flags)
{
	int error;

	if ((flags & UFS_MNT_RDONLY) == (mp->flags & UFS_MNT_RDONLY))
		return (0);
	if (flags & UFS_MNT_RDONLY) {
		if ((error = set_clean(mp, 1)) != 0)
			return (error);
		mp->flags |= UFS_MNT_RDONLY;
		return (0);
	}
	/* The disk may have changed under a read-only mount: no. */
	if ((error = check_clean(mp, flags)) != 0)
		return (error);
	mp->flags &= ~UFS_MNT_RDONLY;
	if ((error = set_clean(mp, 0)) != 0) {
		mp->flags |= UFS_MNT_RDONLY;
		return (error);
	}
	return (0);
}

int
ufs_sync(struct ufs_mount *mp)
{
	int32_t ns;
	int error;

	if (mp->flags & UFS_MNT_RDONLY)
		return (0);
	if (mp->dirty) {
		ufs_now(mp, &mp->fs->fs_time, &ns);
		if ((error = write_sb(mp)) != 0)
			return (error);
	}
	return (mp->io.flush != NULL ? mp->io.flush(mp->io.ctx) : 0);
}

int
ufs_unmount(struct ufs_mount *mp)
{
	int error;

	if (!(mp->flags & UFS_MNT_RDONLY) && (error = set_clean(mp, 1)) != 0)
		return (error);
	ufs_mfree(mp, mp->cs);
	ufs_mfree(mp, mp->fs);
	mp->cs = NULL;
	mp->fs = NULL;
	return (0);
}

int
ufs_statfs(const struct ufs_mount *mp, struct ufs_statfs *sf)
{
	const struct fs *fs = mp->fs;
	int64_t bfree;

	memset(sf, 0, sizeof(*sf));
	bfree = (int64_t)fs->fs_cstotal.cs_nbfree * fs->fs_frag +
	    fs->fs_cstotal.cs_nffree;
	sf->bsize = (uint32_t)fs->fs_fsize;
	sf->iosize = (uint32_t)fs->fs_bsize;
	sf->blocks = (uint64_t)fs->fs_dsize;
	sf->bfree = (uint64_t)bfree;
	sf->bavail = bfree - (int64_t)fs->fs_dsize * fs->fs_minfree / 100;
	sf->files = (uint64_t)mp->ninodes - ROOTINO;
	sf->ffree = (uint64_t)fs->fs_cstotal.cs_nifree;
	sf->namemax = UFS_MAXNAMLEN;
	return (0);
}
