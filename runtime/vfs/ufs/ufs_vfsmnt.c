/*
 * ufs_vfsmnt.c - mounting UFS1 in the kernel: a vkd partition
 * ("ufs:vkd0s0a", "/dev/vkd0s0a"), one mount per device, the clean flag
 * (DragonFly's messages), sync, statfs, unmount and the halt-time
 * unmount, and mount -u (read-only to read-write reads the file system
 * again, as BSD's ffs_reload, so fsck may repair it in place).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "runtime/dev/dev.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/vfs/bio.h"
#include "runtime/vfs/ufs/ufs_kern.h"

static bool mounted(const struct diskpart *dp);

/* --- Mounts ----------------------------------------------------------------- */

static int
ufs_m_mount(struct mount *mp, const char *from)
{
	struct ufs_io io;
	struct ufs_kmount *km;
	struct diskpart *dp;
	int error;

	if ((dp = diskpart_lookup(from)) == NULL)
		return (ENXIO);
	if (mounted(dp))
		return (EBUSY); /* as BSD: one mount per device */
	if (dp->dk->readonly && !(mp->mnt_flags & MNT_RDONLY))
		return (EROFS);
	if ((km = kmalloc(sizeof(*km))) == NULL)
		return (ENOMEM);
	memset(km, 0, sizeof(*km));
	km->dp = dp;
	ufs_kio_init(&io, dp);
	error = ufs_mount(&io, dp->size,
	    (mp->mnt_flags & MNT_RDONLY) ? UFS_MNT_RDONLY : 0, &km->um);
	if (error == EPERM)
		kprintf("WARNING: R/W mount of %s denied.  Filesystem is not "
			"clean - run fsck\n",
		    from);
	if (error != 0) {
		kfree(km);
		return (error);
	}
	if (km->um.unclean)
		kprintf("WARNING: %s was not properly dismounted\n", from);
	mp->mnt_data = km;
	if ((error = ufs_vget(mp, UFS_ROOTINO, &mp->mnt_root)) != 0 ||
	    mp->mnt_root->v_type != VDIR) {
		if (error == 0) {
			vrele(mp->mnt_root);
			error = EINVAL;
		}
		mp->mnt_root = NULL;
		(void)ufs_unmount(&km->um);
		kfree(km);
	}
	return (error);
}

/* Writes a live vnode's inode if it changed (atime only). */
static int
write_inode(struct vnode *vp, void *arg)
{
	struct ufs_kmount *km = arg;

	if (uip(vp)->flags & UFS_IN_MODIFIED)
		return (ufs_iupdate(&km->um, uip(vp)));
	return (0);
}

static int
ufs_m_sync(struct mount *mp)
{
	struct ufs_kmount *km = mp->mnt_data;
	int error;

	if (mp->mnt_flags & (MNT_RDONLY | MNT_DEAD))
		return (0);
	if ((error = vfs_vnode_foreach(mp, write_inode, km)) != 0)
		return (error);
	return (ufs_sync(&km->um));
}

/*
 * Unmount (the VFS made sure nothing else is in use), or the halt: live
 * inodes are written first, then the library marks the file system
 * clean.  An inode unlinked but still open stays allocated: fsck will
 * find it (as on BSD after a halt with such files).
 */
static int
ufs_m_unmount(struct mount *mp)
{
	struct ufs_kmount *km = mp->mnt_data;
	int error;

	if (!(mp->mnt_flags & MNT_RDONLY) &&
	    (error = vfs_vnode_foreach(mp, write_inode, km)) != 0)
		return (error);
	return (ufs_unmount(&km->um));
}

static int
ufs_m_statfs(struct mount *mp, struct vfs_statfs *sf)
{
	struct ufs_kmount *km = mp->mnt_data;
	struct ufs_statfs us;
	int error;

	if ((error = ufs_statfs(&km->um, &us)) != 0)
		return (error);
	sf->f_bsize = us.bsize;
	sf->f_iosize = us.iosize;
	sf->f_blocks = us.blocks;
	sf->f_bfree = us.bfree;
	sf->f_bavail = us.bavail > 0 ? (uint64_t)us.bavail : 0;
	sf->f_files = us.files;
	sf->f_ffree = us.ffree;
	sf->f_namemax = us.namemax;
	sf->f_magic = UFS_MAGIC;
	return (0);
}

/* Loads a live vnode's inode again from the disk (after a reload). */
static int
reload_inode(struct vnode *vp, void *arg)
{
	struct ufs_kmount *km = arg;

	return (ufs_iget(&km->um, uip(vp)->ino, uip(vp)));
}

/*
 * Read-only to read-write reads the file system again first, as BSD's
 * ffs_reload does: fsck may have repaired it through the raw partition
 * while it was mounted read-only (the buffer cache saw those writes).
 */
static int
reload_rw(struct mount *mp)
{
	struct ufs_kmount *km = mp->mnt_data;
	struct ufs_mount fresh;
	int error;

	error = ufs_mount(&km->um.io, km->dp->size, 0, &fresh);
	if (error == EPERM)
		kprintf("WARNING: R/W mount of %s denied.  Filesystem is not "
			"clean - run fsck\n",
		    mp->mnt_from);
	if (error != 0)
		return (error);
	(void)ufs_unmount(&km->um); /* read-only: writes nothing */
	km->um = fresh;
	return (vfs_vnode_foreach(mp, reload_inode, km));
}

static int
ufs_m_remount(struct mount *mp, int flags)
{
	struct ufs_kmount *km = mp->mnt_data;
	int error;

	if (!(flags & MNT_RDONLY) && km->dp->dk->readonly)
		return (EROFS);
	if (!(flags & MNT_RDONLY))
		error = reload_rw(mp);
	else if ((error = vfs_vnode_foreach(mp, write_inode, km)) == 0)
		error = ufs_mount_update(&km->um, UFS_MNT_RDONLY);
	if (error == 0)
		mp->mnt_flags = (mp->mnt_flags & ~MNT_RDONLY) |
		    (flags & MNT_RDONLY);
	return (error);
}

/* True when dp is the device of a mounted ufs file system already. */
static bool
mounted(const struct diskpart *dp)
{
	const struct diskpart *o;
	struct mount *mp;

	for (mp = vfs_mount_first(); mp != NULL; mp = mp->mnt_next) {
		if (mp->mnt_type != &ufs_vfstype || mp->mnt_data == NULL)
			continue;
		o = ((struct ufs_kmount *)mp->mnt_data)->dp;
		/* The same disk, overlapping ranges. */
		if (o->dk == dp->dk && o->offset < dp->offset + dp->size &&
		    dp->offset < o->offset + o->size)
			return (true);
	}
	return (false);
}

const struct vfs_type ufs_vfstype = {
	.name = "ufs",
	.vfs_mount = ufs_m_mount,
	.vfs_unmount = ufs_m_unmount,
	.vfs_sync = ufs_m_sync,
	.vfs_statfs = ufs_m_statfs,
	.vfs_remount = ufs_m_remount,
};
