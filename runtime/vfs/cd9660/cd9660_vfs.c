/*
 * cd9660_vfs.c - the cd9660 file system in the VFS: mounting a CD image
 * (a vcd unit) and the vnode operations, on top of the reader library
 * (cd9660.h).  Read-only; a vnode's data is a copy of its cd9660 node, and
 * its inode number is the node's id, so lookups through any path find the
 * same vnode.
 */
#include <errno.h>
#include <string.h>

#include "runtime/dev/dev.h"
#include "runtime/kern/malloc.h"
#include "runtime/vfs/cd9660/cd9660.h"
#include "runtime/vfs/vfs.h"

#define CD_CHUNK 8192

static const struct vnodeops cd9660_vnops;

static struct cd9660_mount *
cdmp(struct vnode *vp)
{
	return (vp->v_mount->mnt_data);
}

static enum vtype
cd_vtype(enum cd9660_type t)
{
	switch (t) {
	case CD9660_DIR:
		return (VDIR);
	case CD9660_LNK:
		return (VLNK);
	case CD9660_CHR:
		return (VCHR);
	case CD9660_BLK:
		return (VBLK);
	case CD9660_FIFO:
		return (VFIFO);
	case CD9660_SOCK:
		return (VSOCK);
	case CD9660_REG:
	default:
		return (VREG);
	}
}

/* The vnode of node n (copied), found again if it is live. */
static int
cd_vnode(struct mount *mp, const struct cd9660_node *n, struct vnode **vpp)
{
	struct cd9660_node *copy;
	int error;

	if ((*vpp = vfs_vget(mp, n->id)) != NULL)
		return (0);
	if ((copy = kmalloc(sizeof(*copy))) == NULL)
		return (ENOMEM);
	*copy = *n;
	error = vnode_new(mp, n->id, cd_vtype(n->attr.type), &cd9660_vnops,
	    copy, vpp);
	if (error != 0)
		kfree(copy);
	return (error);
}

static int
cd_lookup(struct vnode *dvp, const char *name, size_t len, struct vnode **vpp)
{
	struct cd9660_node n;
	int error;

	error = cd9660_lookup(cdmp(dvp), dvp->v_data, name, len, &n);
	if (error != 0)
		return (error);
	return (cd_vnode(dvp->v_mount, &n, vpp));
}

static struct vfs_timespec
cd_time(struct cd9660_time t)
{
	return ((struct vfs_timespec) { t.sec, t.nsec });
}

static int
cd_getattr(struct vnode *vp, struct vattr *va)
{
	const struct cd9660_node *n = vp->v_data;

	memset(va, 0, sizeof(*va));
	va->va_type = vp->v_type;
	va->va_mode = n->attr.mode & 07777;
	va->va_nlink = n->attr.nlink;
	va->va_uid = n->attr.uid;
	va->va_gid = n->attr.gid;
	va->va_size = n->attr.size;
	va->va_blocks = (n->attr.size + 511) / 512;
	va->va_ino = n->attr.ino;
	va->va_rdev = n->attr.rdev;
	va->va_blksize = CD9660_BLOCK_SIZE;
	va->va_atime = cd_time(n->attr.atime);
	va->va_mtime = cd_time(n->attr.mtime);
	va->va_ctime = cd_time(n->attr.ctime);
	return (0);
}

static int
cd_read(struct vnode *vp, struct uio *uio)
{
	char *buf;
	size_t done, want;
	int error = 0;

	if (vp->v_type == VDIR)
		return (EISDIR);
	if ((buf = kmalloc(CD_CHUNK)) == NULL)
		return (ENOMEM);
	while (uio->uio_resid > 0 && error == 0) {
		want = uio->uio_resid < CD_CHUNK ? uio->uio_resid : CD_CHUNK;
		error = cd9660_read(cdmp(vp), vp->v_data, uio->uio_offset, buf,
		    want, &done);
		if (error != 0 || done == 0)
			break;
		error = uiomove(buf, done, uio);
	}
	kfree(buf);
	return (error);
}

static int
cd_readlink(struct vnode *vp, struct uio *uio)
{
	char target[CD9660_PATH_MAX + 1];
	size_t len;
	int error;

	error = cd9660_readlink(cdmp(vp), vp->v_data, target, sizeof(target),
	    &len);
	if (error != 0)
		return (error);
	return (uiomove(target, len, uio));
}

struct cd_dirent_arg {
	vfs_filldir_fn *fill;
	void *arg;
};

static int
cd_dirent(void *arg, const char *name, size_t namelen, uint64_t id,
    enum cd9660_type type, uint64_t next)
{
	struct cd_dirent_arg *a = arg;

	return (a->fill(a->arg, id, cd_vtype(type), name, namelen, next));
}

static int
cd_readdir(struct vnode *vp, uint64_t *cookie, vfs_filldir_fn *fill, void *arg)
{
	struct cd_dirent_arg a = { fill, arg };

	return (cd9660_readdir(cdmp(vp), vp->v_data, cookie, cd_dirent, &a));
}

static void
cd_inactive(struct vnode *vp)
{
	kfree(vp->v_data);
}

static const struct vnodeops cd9660_vnops = {
	.vop_lookup = cd_lookup,
	.vop_getattr = cd_getattr,
	.vop_read = cd_read,
	.vop_readlink = cd_readlink,
	.vop_readdir = cd_readdir,
	.vop_inactive = cd_inactive,
};

static int
cd_disk_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	return (disk_read(ctx, buf, len, off));
}

/*
 * Mounts the CD in disk from ("vcd0", "/dev/vcd0", or "vcd0a" as BSD
 * spells it too).
 */
static int
cd_mount(struct mount *mp, const char *from)
{
	struct cd9660_mount *cmp;
	struct cd9660_node root;
	char name[16];
	struct disk *dk;
	size_t n;
	int error;

	if (strncmp(from, "/dev/", 5) == 0)
		from += 5; /* the node's path, as mount(8) passes it */
	n = strlen(from);
	if (n > 0 && from[n - 1] == 'a')
		n--;
	if (n == 0 || n >= sizeof(name))
		return (ENXIO);
	memcpy(name, from, n);
	name[n] = '\0';
	if ((dk = disk_lookup(name)) == NULL)
		return (ENXIO);
	if ((cmp = kmalloc(sizeof(*cmp))) == NULL)
		return (ENOMEM);
	error = cd9660_mount(cd_disk_read, dk, dk->size, cmp);
	if (error == 0)
		error = cd9660_root(cmp, &root);
	if (error != 0) {
		kfree(cmp);
		return (error);
	}
	mp->mnt_data = cmp;
	mp->mnt_flags |= MNT_RDONLY;
	return (cd_vnode(mp, &root, &mp->mnt_root));
}

const struct vfs_type cd9660_vfstype = {
	.name = "cd9660",
	.vfs_mount = cd_mount,
};
