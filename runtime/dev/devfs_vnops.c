/*
 * devfs_vnops.c - devfs, the file system that shows the character
 * devices under /dev.
 *
 * One flat directory: inode 1 is the root, and the device created n-th
 * (make_dev order, from 1) is inode n + 1.  Reads and writes go straight
 * to the driver through its cdevsw.  XXX Sub-directories (/dev/pts) and
 * per-node permission changes come with the tty work.
 */
#include <errno.h>
#include <string.h>

#include "runtime/dev/device.h"

#define DEVFS_ROOTINO 1

static const struct vnodeops devfs_vnops;

static uint64_t
devfs_ino(const struct cdev *dev)
{
	return ((dev->si_rdev >> 8) + DEVFS_ROOTINO);
}

static int
devfs_vnode(struct mount *mp, struct cdev *dev, struct vnode **vpp)
{
	uint64_t ino = dev != NULL ? devfs_ino(dev) : DEVFS_ROOTINO;

	if ((*vpp = vfs_vget(mp, ino)) != NULL)
		return (0);
	return (vnode_new(mp, ino, dev != NULL ? VCHR : VDIR, &devfs_vnops, dev,
	    vpp));
}

static int
devfs_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	struct cdev *dev;

	if (len == 2 && memcmp(name, "..", 2) == 0)
		return (devfs_vnode(dvp->v_mount, NULL, vpp));
	if ((dev = dev_lookup(name, len)) == NULL)
		return (ENOENT);
	return (devfs_vnode(dvp->v_mount, dev, vpp));
}

static int
devfs_getattr(struct vnode *vp, struct vattr *va)
{
	const struct cdev *dev = vp->v_data;

	memset(va, 0, sizeof(*va));
	va->va_type = vp->v_type;
	va->va_ino = vp->v_ino;
	va->va_blksize = 4096;
	if (dev == NULL) {
		va->va_mode = 0555;
		va->va_nlink = 2;
		return (0);
	}
	va->va_mode = dev->si_mode;
	va->va_nlink = 1;
	va->va_uid = dev->si_uid;
	va->va_gid = dev->si_gid;
	va->va_rdev = dev->si_rdev;
	return (0);
}

static int
devfs_readdir(struct vnode *vp, uint64_t *cookie, vfs_filldir_fn *fill,
    void *arg)
{
	static const char *const dots[] = { ".", ".." };
	struct cdev *dev;

	if (vp->v_data != NULL)
		return (ENOTDIR);
	/* Cookies: 0 ".", 1 "..", then 2 + the device's index. */
	for (;; (*cookie)++) {
		if (*cookie < 2) {
			if (fill(arg, DEVFS_ROOTINO, VDIR, dots[*cookie],
				strlen(dots[*cookie]), *cookie + 1) != 0)
				return (0);
			continue;
		}
		if ((dev = dev_at((int)(*cookie - 2))) == NULL)
			return (0);
		if (fill(arg, devfs_ino(dev), VCHR, dev->si_name,
			strlen(dev->si_name), *cookie + 1) != 0)
			return (0);
	}
}

static int
devfs_read(struct vnode *vp, struct uio *uio)
{
	struct cdev *dev = vp->v_data;

	if (dev == NULL)
		return (EISDIR);
	if (dev->si_devsw->d_read == NULL)
		return (ENODEV);
	return (dev->si_devsw->d_read(dev, uio, 0));
}

static int
devfs_write(struct vnode *vp, struct uio *uio, int ioflag)
{
	struct cdev *dev = vp->v_data;

	if (dev == NULL)
		return (EISDIR);
	if (dev->si_devsw->d_write == NULL)
		return (ENODEV);
	return (dev->si_devsw->d_write(dev, uio, ioflag));
}

static int
devfs_ioctl(struct vnode *vp, unsigned long cmd, void *data)
{
	struct cdev *dev = vp->v_data;

	if (dev == NULL || dev->si_devsw->d_ioctl == NULL)
		return (ENOTTY);
	return (dev->si_devsw->d_ioctl(dev, cmd, data));
}

static int
devfs_seek(struct vnode *vp, int64_t *offp)
{
	struct cdev *dev = vp->v_data;

	if (dev == NULL || dev->si_devsw->d_seek == NULL)
		return (0);
	return (dev->si_devsw->d_seek(dev, offp));
}

static int
devfs_open(struct vnode *vp, int flags)
{
	struct cdev *dev = vp->v_data;

	if (dev == NULL || dev->si_devsw->d_open == NULL)
		return (0);
	return (dev->si_devsw->d_open(dev, flags));
}

static int
devfs_poll(struct vnode *vp, int events)
{
	struct cdev *dev = vp->v_data;

	if (dev == NULL || dev->si_devsw->d_poll == NULL)
		return (events & (POLLIN | POLLOUT));
	return (dev->si_devsw->d_poll(dev, events));
}

static const struct vnodeops devfs_vnops = {
	.vop_open = devfs_open,
	.vop_seek = devfs_seek,
	.vop_ioctl = devfs_ioctl,
	.vop_poll = devfs_poll,
	.vop_lookup = devfs_lookup,
	.vop_getattr = devfs_getattr,
	.vop_readdir = devfs_readdir,
	.vop_read = devfs_read,
	.vop_write = devfs_write,
};

static int
devfs_mount(struct mount *mp, const char *from)
{
	(void)from;
	return (devfs_vnode(mp, NULL, &mp->mnt_root));
}

const struct vfs_type devfs_vfstype = {
	.name = "devfs",
	.vfs_mount = devfs_mount,
};
