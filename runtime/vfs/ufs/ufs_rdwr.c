/*
 * ufs_rdwr.c - file data of the UFS1 library: read, write (with block
 * allocation, holes and fragment tails), readlink and setattr (ufs.h).
 *
 * Data moves a logical block at a time.  A transfer that covers whole
 * fragments goes straight between the caller's buffer and the disk;
 * otherwise the fragments it touches are read into a block buffer,
 * changed and written back.  A newly allocated block is written whole,
 * zeros around the data, so that unwritten bytes read as zeros.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/vfs/ufs/ufs_private.h"

/* Reads [off, off + len) of a file without touching its times. */
static int
read_data(struct ufs_mount *mp, struct ufs_inode *ip, uint64_t off,
    uint8_t *dst, size_t len, uint8_t *tmp)
{
	const struct fs *fs = mp->fs;
	int64_t lbn, boff, chunk, bn, fa, fb;
	int error;

	while (len > 0) {
		lbn = ufs_lblkno(fs, off);
		boff = ufs_blkoff(fs, off);
		chunk = fs->fs_bsize - boff;
		if ((uint64_t)chunk > len)
			chunk = (int64_t)len;
		if ((error = ufs_bmap(mp, ip, lbn, &bn)) != 0)
			return (error);
		if (bn == 0) {
			memset(dst, 0, (size_t)chunk);
		} else {
			fa = boff >> fs->fs_fshift;
			fb = (boff + chunk + fs->fs_qfmask) >> fs->fs_fshift;
			if ((boff & fs->fs_qfmask) == 0 &&
			    (chunk & fs->fs_qfmask) == 0)
				error = ufs_bread(mp, bn + fa, fb - fa, dst);
			else if ((error = ufs_bread(mp, bn + fa, fb - fa,
				      tmp)) == 0)
				memcpy(dst,
				    tmp + (boff - (fa << fs->fs_fshift)),
				    (size_t)chunk);
			if (error != 0)
				return (error);
		}
		off += (uint64_t)chunk;
		dst += chunk;
		len -= (size_t)chunk;
	}
	return (0);
}

int
ufs_read(struct ufs_mount *mp, struct ufs_inode *ip, uint64_t off, void *buf,
    size_t len, size_t *donep)
{
	uint8_t *tmp;
	int error;

	*donep = 0;
	if (!UFS_ISREG(ip) && !UFS_ISDIR(ip))
		return (EINVAL);
	if (off >= ip->din.di_size || len == 0)
		return (0);
	if (len > ip->din.di_size - off)
		len = (size_t)(ip->din.di_size - off);
	if ((tmp = ufs_malloc(mp, (size_t)mp->fs->fs_bsize)) == NULL)
		return (ENOMEM);
	error = read_data(mp, ip, off, buf, len, tmp);
	ufs_mfree(mp, tmp);
	if (error != 0)
		return (error);
	*donep = len;
	if (!(mp->flags & UFS_MNT_RDONLY)) {
		ufs_itimes(mp, ip, UFS_ACCESS);
		ip->flags |= UFS_IN_MODIFIED;
	}
	return (0);
}

/* Writes one block's part [boff, boff + chunk) of lbn. */
static int
write_block(struct ufs_mount *mp, struct ufs_inode *ip, int64_t lbn,
    int64_t boff, const uint8_t *src, int64_t chunk, const struct ufs_cred *cr,
    uint8_t *tmp)
{
	const struct fs *fs = mp->fs;
	uint64_t end = ((uint64_t)lbn << fs->fs_bshift) + (uint64_t)boff +
	    (uint64_t)chunk;
	uint64_t newsize = end > ip->din.di_size ? end : ip->din.di_size;
	int64_t bn, fa, fb, bsz;
	bool isnew;
	int error;

	if ((error = ufs_balloc(mp, ip, lbn, newsize, cr, &bn, &isnew)) != 0)
		return (error);
	if (isnew) {
		bsz = ufs_blksize(fs, newsize, lbn);
		memset(tmp, 0, (size_t)bsz);
		memcpy(tmp + boff, src, (size_t)chunk);
		error = ufs_bwrite(mp, bn, bsz >> fs->fs_fshift, tmp);
	} else {
		fa = boff >> fs->fs_fshift;
		fb = (boff + chunk + fs->fs_qfmask) >> fs->fs_fshift;
		if ((boff & fs->fs_qfmask) == 0 && (chunk & fs->fs_qfmask) == 0)
			error = ufs_bwrite(mp, bn + fa, fb - fa, src);
		else if ((error = ufs_bread(mp, bn + fa, fb - fa, tmp)) == 0) {
			memcpy(tmp + (boff - (fa << fs->fs_fshift)), src,
			    (size_t)chunk);
			error = ufs_bwrite(mp, bn + fa, fb - fa, tmp);
		}
	}
	if (error == 0 && end > ip->din.di_size)
		ip->din.di_size = end;
	return (error);
}

/* Writes without type checks (regular files and long symlinks). */
static int
write_data(struct ufs_mount *mp, struct ufs_inode *ip, uint64_t off,
    const uint8_t *src, size_t len, const struct ufs_cred *cr, size_t *donep)
{
	const struct fs *fs = mp->fs;
	int64_t boff, chunk;
	uint8_t *tmp;
	int error = 0, uerror;

	*donep = 0;
	if (off > mp->maxfilesize || len > mp->maxfilesize - off)
		return (EFBIG);
	if ((tmp = ufs_malloc(mp, (size_t)fs->fs_bsize)) == NULL)
		return (ENOMEM);
	while (len > 0) {
		boff = ufs_blkoff(fs, off);
		chunk = fs->fs_bsize - boff;
		if ((uint64_t)chunk > len)
			chunk = (int64_t)len;
		error = write_block(mp, ip, ufs_lblkno(fs, off), boff, src,
		    chunk, cr, tmp);
		if (error != 0)
			break;
		off += (uint64_t)chunk;
		src += chunk;
		len -= (size_t)chunk;
		*donep += (size_t)chunk;
	}
	ufs_mfree(mp, tmp);
	if (error != 0) {
		/* Blocks allocated past the end for the failed part go. */
		(void)ufs_bmap_trunc(mp, ip, ip->din.di_size);
	}
	if (*donep > 0) {
		error = 0;
		if (cr != NULL && cr->uid != 0)
			ip->din.di_mode &= (uint16_t) ~(ISUID | ISGID);
	}
	ufs_itimes(mp, ip, UFS_UPDATE | UFS_CHANGE);
	uerror = ufs_iupdate(mp, ip);
	return (error != 0 ? error : uerror);
}

int
ufs_write(struct ufs_mount *mp, struct ufs_inode *ip, uint64_t off,
    const void *buf, size_t len, const struct ufs_cred *cr, size_t *donep)
{
	*donep = 0;
	if (mp->flags & UFS_MNT_RDONLY)
		return (EROFS);
	if (UFS_ISDIR(ip))
		return (EISDIR);
	if (!UFS_ISREG(ip))
		return (EINVAL);
	if (len == 0)
		return (0);
	return (write_data(mp, ip, off, buf, len, cr, donep));
}

int
ufs_setlink(struct ufs_mount *mp, struct ufs_inode *ip, const char *target,
    size_t tlen, const struct ufs_cred *cr)
{
	size_t done;

	if (tlen < (size_t)mp->fs->fs_maxsymlinklen) {
		memcpy((uint8_t *)&ip->din +
			offsetof(struct ufs1_dinode, di_db),
		    target, tlen);
		ip->din.di_size = tlen;
		return (ufs_iupdate(mp, ip));
	}
	return (write_data(mp, ip, 0, (const uint8_t *)target, tlen, cr,
	    &done));
}

int
ufs_readlink(struct ufs_mount *mp, struct ufs_inode *ip, char *buf,
    size_t bufsize, size_t *lenp)
{
	uint64_t size = ip->din.di_size;
	uint8_t *tmp;
	int error;

	if (!UFS_ISLNK(ip))
		return (EINVAL);
	if (size >= bufsize)
		return (size > UFS_PATH_MAX ? EINVAL : ENAMETOOLONG);
	if (ufs_shortlink(mp, ip)) {
		if (size > MAXSYMLINKLEN)
			return (EINVAL);
		memcpy(buf,
		    (const uint8_t *)&ip->din +
			offsetof(struct ufs1_dinode, di_db),
		    (size_t)size);
	} else {
		if ((tmp = ufs_malloc(mp, (size_t)mp->fs->fs_bsize)) == NULL)
			return (ENOMEM);
		error = read_data(mp, ip, 0, (uint8_t *)buf, (size_t)size, tmp);
		ufs_mfree(mp, tmp);
		if (error != 0)
			return (error);
	}
	buf[size] = '\0';
	*lenp = (size_t)size;
	return (0);
}

int
ufs_setattr(struct ufs_mount *mp, struct ufs_inode *ip,
    const struct ufs_setattr *sa, const struct ufs_cred *cr)
{
	struct ufs1_dinode *dp = &ip->din;
	bool root = cr == NULL || cr->uid == 0;
	int error;

	if (sa->valid == 0)
		return (0);
	if (mp->flags & UFS_MNT_RDONLY)
		return (EROFS);
	if (sa->valid & UFS_SA_SIZE) {
		if (UFS_ISDIR(ip))
			return (EISDIR);
		if (UFS_ISREG(ip) &&
		    (error = ufs_truncate(mp, ip, sa->size, cr)) != 0)
			return (error);
		if (UFS_ISLNK(ip))
			return (EINVAL);
	}
	if (sa->valid & UFS_SA_MODE) {
		dp->di_mode = (uint16_t)((dp->di_mode & IFMT) |
		    (sa->mode & 07777));
		if (!root && cr->gid != dp->di_gid)
			dp->di_mode &= (uint16_t)~ISGID;
	}
	if (sa->valid & (UFS_SA_UID | UFS_SA_GID)) {
		if (sa->valid & UFS_SA_UID)
			dp->di_uid = sa->uid;
		if (sa->valid & UFS_SA_GID)
			dp->di_gid = sa->gid;
		if (!root)
			dp->di_mode &= (uint16_t) ~(ISUID | ISGID);
	}
	if (sa->valid & UFS_SA_ATIME) {
		dp->di_atime = (int32_t)sa->atime;
		dp->di_atimensec = sa->atimensec;
	}
	if (sa->valid & UFS_SA_MTIME) {
		dp->di_mtime = (int32_t)sa->mtime;
		dp->di_mtimensec = sa->mtimensec;
	}
	ufs_itimes(mp, ip, UFS_CHANGE);
	return (ufs_iupdate(mp, ip));
}

int
ufs_fsync(struct ufs_mount *mp, struct ufs_inode *ip)
{
	int error;

	if (mp->flags & UFS_MNT_RDONLY)
		return (0);
	if ((ip->flags & UFS_IN_MODIFIED) && (error = ufs_iupdate(mp, ip)) != 0)
		return (error);
	return (mp->io.flush != NULL ? mp->io.flush(mp->io.ctx) : 0);
}
