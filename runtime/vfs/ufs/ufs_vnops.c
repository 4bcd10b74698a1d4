/*
 * ufs_vnops.c - name operations of the UFS1 library: create (files,
 * fifos, devices, sockets), mkdir, symlink, link, remove and rmdir
 * (ufs.h).  Rename is in ufs_rename.c, data in ufs_rdwr.c.
 *
 * The order of the writes follows BSD's ufs_vnops.c: a new inode is
 * written before the entry that names it, a link count goes up before
 * the entry is added and down after it is removed, so that a crash
 * leaves at worst a count too high (fsck's easy case).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/vfs/ufs/ufs_private.h"

/* Common checks of a directory about to get an entry name. */
static int
check_parent(struct ufs_mount *mp, struct ufs_inode *dp, const char *name,
    size_t len, struct ufs_dirslot *slot)
{
	int error;

	if (mp->flags & UFS_MNT_RDONLY)
		return (EROFS);
	if (!UFS_ISDIR(dp))
		return (ENOTDIR);
	if ((error = ufs_checkname(name, len)) != 0)
		return (error == ENOENT ? EINVAL : error);
	if (dp->din.di_nlink <= 0)
		return (ENOENT); /* removed directory */
	error = ufs_dirscan(mp, dp, name, len, slot);
	if (error == 0)
		return (EEXIST);
	return (error == ENOENT ? 0 : error);
}

/* Allocates and initialises a new inode of mode in directory dp. */
static int
new_inode(struct ufs_mount *mp, struct ufs_inode *dp, uint32_t mode,
    const struct ufs_cred *cr, struct ufs_inode *ip)
{
	struct ufs1_dinode *d = &ip->din;
	uint32_t ino;
	int32_t gen;
	int error;

	if ((error = ufs_ialloc(mp, dp, mode, &ino)) != 0)
		return (error);
	if ((error = ufs_iget(mp, ino, ip)) != 0 || d->di_mode != 0) {
		/* Leave the map bit set: the inode is in use or unreadable. */
		return (error != 0 ? error : EINVAL);
	}
	gen = d->di_gen + 1;
	memset(d, 0, sizeof(*d));
	d->di_gen = gen > 0 ? gen : 1;
	d->di_mode = (uint16_t)mode;
	d->di_nlink = 1;
	d->di_uid = cr != NULL ? cr->uid : 0;
	d->di_gid = dp->din.di_gid;
	if (cr != NULL && cr->uid != 0 && cr->gid != d->di_gid)
		d->di_mode &= (uint16_t)~ISGID;
	ufs_itimes(mp, ip, UFS_ACCESS | UFS_UPDATE | UFS_CHANGE);
	return (0);
}

/* Frees a new inode after a failure (its link count is set to 0). */
static void
undo_inode(struct ufs_mount *mp, struct ufs_inode *ip)
{
	ip->din.di_nlink = 0;
	(void)ufs_inactive(mp, ip);
}

int
ufs_create(struct ufs_mount *mp, struct ufs_inode *dp, const char *name,
    size_t len, uint32_t mode, uint32_t rdev, const struct ufs_cred *cr,
    struct ufs_inode *ip)
{
	struct ufs_dirslot slot;
	uint32_t type = mode & IFMT;
	int error;

	if (type != IFREG && type != IFIFO && type != IFCHR && type != IFBLK &&
	    type != IFSOCK)
		return (EINVAL);
	if ((error = check_parent(mp, dp, name, len, &slot)) != 0 ||
	    (error = new_inode(mp, dp, mode & (IFMT | 07777), cr, ip)) != 0)
		return (error);
	if (type == IFCHR || type == IFBLK)
		ip->din.di_db[0] = (int32_t)rdev;
	if ((error = ufs_iupdate(mp, ip)) != 0 ||
	    (error = ufs_direnter(mp, dp, name, len, ip->ino, ufs_dtype(mode),
		 &slot, cr)) != 0) {
		undo_inode(mp, ip);
		return (error);
	}
	return (0);
}

int
ufs_mkdir(struct ufs_mount *mp, struct ufs_inode *dp, const char *name,
    size_t len, uint32_t mode, const struct ufs_cred *cr, struct ufs_inode *ip)
{
	const struct fs *fs = mp->fs;
	struct ufs_dirslot slot;
	uint8_t *buf;
	int64_t bn;
	bool isnew;
	int error;
	uint32_t ino;
	uint16_t reclen;

	if ((error = check_parent(mp, dp, name, len, &slot)) != 0)
		return (error);
	if (dp->din.di_nlink >= UFS_LINK_MAX)
		return (EMLINK);
	if ((error = new_inode(mp, dp, IFDIR | (mode & 07777), cr, ip)) != 0)
		return (error);
	ip->din.di_nlink = 2;
	if ((buf = ufs_malloc(mp, (size_t)fs->fs_fsize)) == NULL) {
		undo_inode(mp, ip);
		return (ENOMEM);
	}
	error = ufs_balloc(mp, ip, 0, DIRBLKSIZ, cr, &bn, &isnew);
	if (error == 0) {
		memset(buf, 0, (size_t)fs->fs_fsize);
		ino = ip->ino;
		reclen = 12;
		memcpy(buf, &ino, 4);
		memcpy(buf + 4, &reclen, 2);
		buf[6] = DT_DIR;
		buf[7] = 1;
		buf[8] = '.';
		ino = dp->ino;
		reclen = DIRBLKSIZ - 12;
		memcpy(buf + 12, &ino, 4);
		memcpy(buf + 16, &reclen, 2);
		buf[18] = DT_DIR;
		buf[19] = 2;
		buf[20] = buf[21] = '.';
		error = ufs_bwrite(mp, bn, 1, buf);
	}
	ufs_mfree(mp, buf);
	if (error == 0) {
		ip->din.di_size = DIRBLKSIZ;
		error = ufs_iupdate(mp, ip);
	}
	if (error != 0) {
		undo_inode(mp, ip);
		return (error);
	}
	dp->din.di_nlink++;
	ufs_itimes(mp, dp, UFS_CHANGE);
	if ((error = ufs_iupdate(mp, dp)) != 0 ||
	    (error = ufs_direnter(mp, dp, name, len, ip->ino, DT_DIR, &slot,
		 cr)) != 0) {
		dp->din.di_nlink--;
		(void)ufs_iupdate(mp, dp);
		undo_inode(mp, ip);
		return (error);
	}
	return (0);
}

int
ufs_symlink(struct ufs_mount *mp, struct ufs_inode *dp, const char *name,
    size_t len, const char *target, size_t tlen, const struct ufs_cred *cr,
    struct ufs_inode *ip)
{
	struct ufs_dirslot slot;
	int error;

	if (tlen == 0)
		return (EINVAL);
	if (tlen >= UFS_PATH_MAX)
		return (ENAMETOOLONG);
	if ((error = check_parent(mp, dp, name, len, &slot)) != 0 ||
	    (error = new_inode(mp, dp, IFLNK | 0755, cr, ip)) != 0)
		return (error);
	if ((error = ufs_setlink(mp, ip, target, tlen, cr)) != 0 ||
	    (error = ufs_direnter(mp, dp, name, len, ip->ino, DT_LNK, &slot,
		 cr)) != 0) {
		undo_inode(mp, ip);
		return (error);
	}
	return (0);
}

int
ufs_link(struct ufs_mount *mp, struct ufs_inode *dp, const char *name,
    size_t len, struct ufs_inode *ip, const struct ufs_cred *cr)
{
	struct ufs_dirslot slot;
	int error;

	if (mp->flags & UFS_MNT_RDONLY)
		return (EROFS);
	if (UFS_ISDIR(ip))
		return (EPERM);
	if (ip->din.di_nlink >= UFS_LINK_MAX)
		return (EMLINK);
	if (ip->din.di_nlink <= 0)
		return (ENOENT);
	if ((error = check_parent(mp, dp, name, len, &slot)) != 0)
		return (error);
	ip->din.di_nlink++;
	ufs_itimes(mp, ip, UFS_CHANGE);
	if ((error = ufs_iupdate(mp, ip)) != 0 ||
	    (error = ufs_direnter(mp, dp, name, len, ip->ino,
		 ufs_dtype(ip->din.di_mode), &slot, cr)) != 0) {
		ip->din.di_nlink--;
		(void)ufs_iupdate(mp, ip);
		return (error);
	}
	return (0);
}

/* Finds name in dp and checks that it names ip. */
static int
find_entry(struct ufs_mount *mp, struct ufs_inode *dp, const char *name,
    size_t len, const struct ufs_inode *ip, struct ufs_dirslot *slot)
{
	int error;

	if (mp->flags & UFS_MNT_RDONLY)
		return (EROFS);
	if (!UFS_ISDIR(dp))
		return (ENOTDIR);
	if ((error = ufs_checkname(name, len)) != 0)
		return (error);
	if ((error = ufs_dirscan(mp, dp, name, len, slot)) != 0)
		return (error);
	return (slot->ino == ip->ino ? 0 : ENOENT);
}

int
ufs_remove(struct ufs_mount *mp, struct ufs_inode *dp, const char *name,
    size_t len, struct ufs_inode *ip)
{
	struct ufs_dirslot slot;
	int error;

	if (UFS_ISDIR(ip))
		return (mp->flags & UFS_MNT_RDONLY ? EROFS : EISDIR);
	if ((error = find_entry(mp, dp, name, len, ip, &slot)) != 0 ||
	    (error = ufs_dirremove(mp, dp, &slot)) != 0)
		return (error);
	if (ip->din.di_nlink > 0)
		ip->din.di_nlink--;
	ufs_itimes(mp, ip, UFS_CHANGE);
	return (ufs_iupdate(mp, ip));
}

int
ufs_rmdir(struct ufs_mount *mp, struct ufs_inode *dp, const char *name,
    size_t len, struct ufs_inode *ip)
{
	struct ufs_dirslot slot;
	int error;

	if (mp->flags & UFS_MNT_RDONLY)
		return (EROFS);
	if (len == 1 && name[0] == '.')
		return (EINVAL);
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return (ENOTEMPTY);
	if (!UFS_ISDIR(ip))
		return (ENOTDIR);
	if (ip->ino == ROOTINO)
		return (EBUSY);
	if ((error = find_entry(mp, dp, name, len, ip, &slot)) != 0 ||
	    (error = ufs_dirempty(mp, ip, NULL)) != 0 ||
	    (error = ufs_dirremove(mp, dp, &slot)) != 0)
		return (error);
	if (dp->din.di_nlink > 1)
		dp->din.di_nlink--;
	ufs_itimes(mp, dp, UFS_CHANGE);
	if ((error = ufs_iupdate(mp, dp)) != 0)
		return (error);
	ip->din.di_nlink = 0;
	ufs_itimes(mp, ip, UFS_CHANGE);
	/* As BSD: the emptied directory loses "." and ".." at once. */
	return (ufs_truncate(mp, ip, 0, NULL));
}
