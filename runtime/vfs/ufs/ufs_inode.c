/*
 * ufs_inode.c - in-core inodes of the UFS1 library: load and store
 * (one fragment of the inode block at a time), release (freeing an
 * unlinked inode, as ufs_inactive/ufs_reclaim), truncation, times and
 * access checks.  Contracts in ufs.h and ufs_private.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/vfs/ufs/ufs_private.h"

/* The fragment holding inode ino and the inode's index in it. */
static void
ino_frag(const struct fs *fs, uint32_t ino, int64_t *fragp, int *idxp)
{
	int64_t fsbo = ufs_ino_to_fsbo(fs, ino);
	int64_t inopf = UFS_INOPF(fs);

	*fragp = ufs_ino_to_fsba(fs, ino) + fsbo / inopf;
	*idxp = (int)(fsbo % inopf);
}

int
ufs_iget(struct ufs_mount *mp, uint32_t ino, struct ufs_inode *ip)
{
	const struct fs *fs = mp->fs;
	struct ufs1_dinode *buf;
	const struct ufs1_dinode *dp;
	int64_t frag;
	int idx, error;

	if (ino < ROOTINO || ino >= mp->ninodes)
		return (EINVAL);
	if ((buf = ufs_malloc(mp, (size_t)fs->fs_fsize)) == NULL)
		return (ENOMEM);
	ino_frag(fs, ino, &frag, &idx);
	if ((error = ufs_bread(mp, frag, 1, buf)) != 0)
		goto out;
	dp = &buf[idx];
	error = EINVAL;
	if (dp->di_nlink < 0 || dp->di_blocks < 0)
		goto out;
	if (dp->di_mode != 0 &&
	    ((dp->di_mode & IFMT) == IFDIR || (dp->di_mode & IFMT) == IFREG ||
		(dp->di_mode & IFMT) == IFLNK) &&
	    dp->di_size > mp->maxfilesize)
		goto out;
	memset(ip, 0, sizeof(*ip));
	ip->ino = ino;
	ip->din = *dp;
	error = 0;
out:
	ufs_mfree(mp, buf);
	return (error);
}

int
ufs_iupdate(struct ufs_mount *mp, struct ufs_inode *ip)
{
	const struct fs *fs = mp->fs;
	struct ufs1_dinode *buf;
	int64_t frag;
	int idx, error;

	if (mp->flags & UFS_MNT_RDONLY) {
		ip->flags &= ~UFS_IN_MODIFIED;
		return (0);
	}
	if (ip->ino < ROOTINO || ip->ino >= mp->ninodes)
		return (EINVAL);
	if ((buf = ufs_malloc(mp, (size_t)fs->fs_fsize)) == NULL)
		return (ENOMEM);
	ino_frag(fs, ip->ino, &frag, &idx);
	if ((error = ufs_bread(mp, frag, 1, buf)) == 0) {
		buf[idx] = ip->din;
		error = ufs_bwrite(mp, frag, 1, buf);
	}
	if (error == 0)
		ip->flags &= ~UFS_IN_MODIFIED;
	ufs_mfree(mp, buf);
	return (error);
}

void
ufs_itimes(struct ufs_mount *mp, struct ufs_inode *ip, int which)
{
	int32_t s, ns;

	ufs_now(mp, &s, &ns);
	if (which & UFS_ACCESS) {
		ip->din.di_atime = s;
		ip->din.di_atimensec = ns;
	}
	if (which & UFS_UPDATE) {
		ip->din.di_mtime = s;
		ip->din.di_mtimensec = ns;
	}
	if (which & UFS_CHANGE) {
		ip->din.di_ctime = s;
		ip->din.di_ctimensec = ns;
	}
}

bool
ufs_shortlink(const struct ufs_mount *mp, const struct ufs_inode *ip)
{
	return (UFS_ISLNK(ip) &&
	    (ip->din.di_size < (uint64_t)mp->fs->fs_maxsymlinklen ||
		(mp->fs->fs_maxsymlinklen == 0 && ip->din.di_blocks == 0)));
}

/* Zeroes the bytes of the block holding length past length. */
static int
zero_tail(struct ufs_mount *mp, struct ufs_inode *ip, uint64_t length)
{
	const struct fs *fs = mp->fs;
	int64_t lbn = ufs_lblkno(fs, length), off = ufs_blkoff(fs, length);
	int64_t bn, kept, first, n;
	uint8_t *buf;
	int error;

	if (off == 0)
		return (0);
	if ((error = ufs_bmap(mp, ip, lbn, &bn)) != 0 || bn == 0)
		return (error);
	kept = ufs_blksize(fs, length, lbn);
	first = off >> fs->fs_fshift;
	n = (kept >> fs->fs_fshift) - first;
	if (n <= 0 || !ufs_blk_ok(fs, bn + first, n))
		return (n <= 0 ? 0 : EINVAL);
	if ((buf = ufs_malloc(mp, (size_t)fs->fs_bsize)) == NULL)
		return (ENOMEM);
	if ((error = ufs_bread(mp, bn + first, n, buf)) == 0) {
		memset(buf + (off - (first << fs->fs_fshift)), 0,
		    (size_t)((n << fs->fs_fshift) -
			(off - (first << fs->fs_fshift))));
		error = ufs_bwrite(mp, bn + first, n, buf);
	}
	ufs_mfree(mp, buf);
	return (error);
}

int
ufs_truncate(struct ufs_mount *mp, struct ufs_inode *ip, uint64_t length,
    const struct ufs_cred *cr)
{
	struct ufs1_dinode *dp = &ip->din;
	int error = 0, uerror;

	if (mp->flags & UFS_MNT_RDONLY)
		return (EROFS);
	if (!UFS_ISREG(ip) && !UFS_ISDIR(ip) && !UFS_ISLNK(ip))
		return (EINVAL);
	if (length > mp->maxfilesize)
		return (EFBIG);
	if (ufs_shortlink(mp, ip)) {
		if (length != 0)
			return (EINVAL);
		memset(dp->di_db, 0, sizeof(dp->di_db));
		memset(dp->di_ib, 0, sizeof(dp->di_ib));
	} else if (length > dp->di_size) {
		error = ufs_grow_tail(mp, ip, length, cr);
	} else if (length < dp->di_size) {
		if ((error = zero_tail(mp, ip, length)) == 0)
			error = ufs_bmap_trunc(mp, ip, length);
	}
	if (error == 0)
		dp->di_size = length;
	ufs_itimes(mp, ip, UFS_UPDATE | UFS_CHANGE);
	uerror = ufs_iupdate(mp, ip);
	return (error != 0 ? error : uerror);
}

int
ufs_inactive(struct ufs_mount *mp, struct ufs_inode *ip)
{
	struct ufs1_dinode *dp = &ip->din;
	uint32_t mode = dp->di_mode;
	int error = 0;

	if (mp->flags & UFS_MNT_RDONLY)
		return (0);
	if (dp->di_nlink > 0 || mode == 0) {
		if (ip->flags & UFS_IN_MODIFIED)
			return (ufs_iupdate(mp, ip));
		return (0);
	}
	if ((mode & IFMT) == IFREG || (mode & IFMT) == IFDIR ||
	    (mode & IFMT) == IFLNK)
		error = ufs_truncate(mp, ip, 0, NULL);
	if (error != 0)
		return (error);
	dp->di_mode = 0;
	dp->di_size = 0;
	memset(dp->di_db, 0, sizeof(dp->di_db));
	memset(dp->di_ib, 0, sizeof(dp->di_ib));
	dp->di_flags = 0;
	ufs_itimes(mp, ip, UFS_CHANGE);
	if ((error = ufs_iupdate(mp, ip)) != 0)
		return (error);
	return (ufs_ifree(mp, ip->ino, mode));
}

int
ufs_access(const struct ufs_mount *mp, const struct ufs_inode *ip,
    const struct ufs_cred *cr, int mode)
{
	uint32_t m = ip->din.di_mode, bits = 0;

	if ((mode & 2) && (mp->flags & UFS_MNT_RDONLY) &&
	    ((m & IFMT) == IFREG || (m & IFMT) == IFDIR || (m & IFMT) == IFLNK))
		return (EROFS);
	if (cr->uid == 0) {
		if ((mode & 1) && (m & IFMT) != IFDIR && (m & 0111) == 0)
			return (EACCES);
		return (0);
	}
	if (cr->uid == ip->din.di_uid)
		bits = (m >> 6) & 7;
	else if (cr->gid == ip->din.di_gid)
		bits = (m >> 3) & 7;
	else
		bits = m & 7;
	return (((uint32_t)mode & ~bits) == 0 ? 0 : EACCES);
}

int
ufs_dtype(uint32_t mode)
{
	switch (mode & IFMT) {
	case IFIFO:
		return (DT_FIFO);
	case IFCHR:
		return (DT_CHR);
	case IFDIR:
		return (DT_DIR);
	case IFBLK:
		return (DT_BLK);
	case IFREG:
		return (DT_REG);
	case IFLNK:
		return (DT_LNK);
	case IFSOCK:
		return (DT_SOCK);
	default:
		return (DT_UNKNOWN);
	}
}
