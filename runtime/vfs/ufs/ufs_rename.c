/*
 * ufs_rename.c - rename for the UFS1 library (ufs.h), in BSD's order:
 * the moved inode's link count goes up first, the new entry is made (or
 * the target entry rewritten), the old entry is removed and the count
 * goes back down; a directory moved to a new parent then gets its ".."
 * rewritten and the parents' link counts follow.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/vfs/ufs/ufs_private.h"

static bool
is_dot(const char *name, size_t len)
{
	return ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'));
}

/*
 * EINVAL when directory ino (fip) is tdp or one of its ancestors: the
 * walk goes up through ".." entries on the disk to the root.
 */
static int
check_subtree(struct ufs_mount *mp, const struct ufs_inode *fip,
    const struct ufs_inode *tdp)
{
	struct ufs_inode cur;
	uint32_t ino = tdp->ino, parent;
	int error;

	for (uint32_t n = 0; n < mp->ninodes; n++) {
		if (ino == fip->ino)
			return (EINVAL);
		if (ino == ROOTINO)
			return (0);
		if ((error = ufs_iget(mp, ino, &cur)) != 0)
			return (error);
		if (!UFS_ISDIR(&cur))
			return (EINVAL);
		if ((error = ufs_lookup(mp, &cur, "..", 2, &parent)) != 0)
			return (error == ENOENT ? EINVAL : error);
		if (parent == ino)
			return (EINVAL);
		ino = parent;
	}
	return (EINVAL);
}

/* Checks of the target: types agree, a directory is empty. */
static int
check_target(struct ufs_mount *mp, struct ufs_inode *fip, struct ufs_inode *tip)
{
	if (UFS_ISDIR(fip) && !UFS_ISDIR(tip))
		return (ENOTDIR);
	if (!UFS_ISDIR(fip) && UFS_ISDIR(tip))
		return (EISDIR);
	if (UFS_ISDIR(tip))
		return (ufs_dirempty(mp, tip, NULL));
	return (0);
}

static int
check_args(struct ufs_mount *mp, struct ufs_inode *fdp, const char *fname,
    size_t flen, struct ufs_inode *tdp, const char *tname, size_t tlen)
{
	int error;

	if (mp->flags & UFS_MNT_RDONLY)
		return (EROFS);
	if (!UFS_ISDIR(fdp) || !UFS_ISDIR(tdp))
		return (ENOTDIR);
	if ((error = ufs_checkname(fname, flen)) != 0 ||
	    (error = ufs_checkname(tname, tlen)) != 0)
		return (error);
	if (is_dot(fname, flen) || is_dot(tname, tlen))
		return (EINVAL);
	if (tdp->din.di_nlink <= 0)
		return (ENOENT);
	return (0);
}

/* Drops the replaced target's link(s); a directory is emptied. */
static int
drop_target(struct ufs_mount *mp, struct ufs_inode *tdp, struct ufs_inode *tip)
{
	int error;

	if (UFS_ISDIR(tip)) {
		if (tdp->din.di_nlink > 1)
			tdp->din.di_nlink--;
		ufs_itimes(mp, tdp, UFS_CHANGE);
		if ((error = ufs_iupdate(mp, tdp)) != 0)
			return (error);
		tip->din.di_nlink = 0;
		ufs_itimes(mp, tip, UFS_CHANGE);
		return (ufs_truncate(mp, tip, 0, NULL));
	}
	if (tip->din.di_nlink > 0)
		tip->din.di_nlink--;
	ufs_itimes(mp, tip, UFS_CHANGE);
	return (ufs_iupdate(mp, tip));
}

int
ufs_rename(struct ufs_mount *mp, struct ufs_inode *fdp, const char *fname,
    size_t flen, struct ufs_inode *fip, struct ufs_inode *tdp,
    const char *tname, size_t tlen, struct ufs_inode *tip,
    const struct ufs_cred *cr)
{
	struct ufs_dirslot fslot, tslot, dslot;
	bool isdir = UFS_ISDIR(fip), moved = fdp->ino != tdp->ino;
	int error, terror;

	if ((error = check_args(mp, fdp, fname, flen, tdp, tname, tlen)) != 0)
		return (error);
	if ((error = ufs_dirscan(mp, fdp, fname, flen, &fslot)) != 0)
		return (error);
	if (fslot.ino != fip->ino)
		return (ENOENT);
	terror = ufs_dirscan(mp, tdp, tname, tlen, &tslot);
	if (terror != 0 && terror != ENOENT)
		return (terror);
	if ((terror == 0) != (tip != NULL) ||
	    (tip != NULL && tslot.ino != tip->ino))
		return (EINVAL); /* the caller's view is stale */
	if (tip != NULL && tip->ino == fip->ino)
		return (0); /* two names of one file: nothing to do */
	if (tip != NULL && (error = check_target(mp, fip, tip)) != 0)
		return (error);
	if (isdir && moved && (error = check_subtree(mp, fip, tdp)) != 0)
		return (error);
	if (isdir && moved && tip == NULL && tdp->din.di_nlink >= UFS_LINK_MAX)
		return (EMLINK);

	fip->din.di_nlink++;
	ufs_itimes(mp, fip, UFS_CHANGE);
	if ((error = ufs_iupdate(mp, fip)) != 0)
		goto undo;
	if (isdir && moved) {
		tdp->din.di_nlink++;
		if ((error = ufs_iupdate(mp, tdp)) != 0) {
			tdp->din.di_nlink--;
			goto undo;
		}
	}
	if (tip == NULL)
		error = ufs_direnter(mp, tdp, tname, tlen, fip->ino,
		    ufs_dtype(fip->din.di_mode), &tslot, cr);
	else
		error = ufs_dirrewrite(mp, tdp, tslot.off, fip->ino,
		    ufs_dtype(fip->din.di_mode));
	if (error != 0) {
		if (isdir && moved) {
			tdp->din.di_nlink--;
			(void)ufs_iupdate(mp, tdp);
		}
		goto undo;
	}
	if (tip != NULL && (error = drop_target(mp, tdp, tip)) != 0)
		return (error);

	/* The old entry: find it again, the new one may share its chunk. */
	if ((error = ufs_dirscan(mp, fdp, fname, flen, &fslot)) != 0 ||
	    (error = ufs_dirremove(mp, fdp, &fslot)) != 0)
		return (error);
	fip->din.di_nlink--;
	if ((error = ufs_iupdate(mp, fip)) != 0)
		return (error);
	if (isdir && moved) {
		if ((error = ufs_dirscan(mp, fip, "..", 2, &dslot)) != 0 ||
		    (error = ufs_dirrewrite(mp, fip, dslot.off, tdp->ino,
			 DT_DIR)) != 0)
			return (error);
		if (fdp->din.di_nlink > 1)
			fdp->din.di_nlink--;
		ufs_itimes(mp, fdp, UFS_CHANGE);
		if ((error = ufs_iupdate(mp, fdp)) != 0)
			return (error);
	}
	return (0);
undo:
	fip->din.di_nlink--;
	(void)ufs_iupdate(mp, fip);
	return (error);
}
