/*
 * ufs_vfs.c - UFS1 in the VFS: the vnode operations, on top of the
 * library (ufs.h); mounting is in ufs_vfsmnt.c, the library's I/O
 * callbacks over the buffer cache in ufs_kio.c.
 *
 * A vnode's data is the library's in-core inode (struct ufs_inode), its
 * inode number the UFS one, so every path to a file finds the same vnode
 * and the library always gets the one copy of each inode.  The kernel
 * lock serialises all calls, as the library asks.  The library gets the
 * calling process's effective ids (new files' owners, the fs_minfree
 * reserve for root only); permissions are checked above, in the kernel.
 *
 * Speed (measured with make bench's fs.write and fs.read, see
 * harness/bench/benches.conf):
 * - the buffers that the library and the write path allocate
 *   for nearly every call are kept for reuse (pool_*), since kmalloc()
 *   hands out fresh pages of the memory image and zeroes them;
 * - file data read by read(2) bypasses the buffer cache and goes from the
 *   image straight into the destination (uiomove_fill: for a guest, the
 *   backend's bounce buffer), the library's block reads merged into one
 *   copy from the image where they are contiguous on the disk (kio_read);
 * - a write(2)'s metadata rewrites are merged by a bio_defer_begin()
 *   window around the library's ufs_write().
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "runtime/dev/dev.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/proc.h"
#include "runtime/vfs/bio.h"
#include "runtime/vfs/ufs/ufs_kern.h"

const struct ufs_cred ufs_root_cred = { 0, 0 };

/*
 * Who asks: the calling process's effective ids (the kernel: root), for
 * new files' owners, the minfree reserve and clearing set-id bits.  One
 * copy suffices: every call runs under the kernel lock.
 */
static const struct ufs_cred *
cred(void)
{
	static struct ufs_cred c;
	const struct proc *p = curthread != NULL ? curthread->td_proc : NULL;

	c = p != NULL ? (struct ufs_cred) { p->p_euid, p->p_egid } :
			ufs_root_cred;
	return (&c);
}
static const struct vnodeops ufs_vnops;

/* --- Vnodes --------------------------------------------------------------- */

static enum vtype
mode_vtype(uint32_t mode)
{
	switch (mode & IFMT) {
	case IFDIR:
		return (VDIR);
	case IFLNK:
		return (VLNK);
	case IFCHR:
		return (VCHR);
	case IFBLK:
		return (VBLK);
	case IFIFO:
		return (VFIFO);
	case IFSOCK:
		return (VSOCK);
	case IFREG:
		return (VREG);
	default:
		return (VNON);
	}
}

static uint32_t
vtype_mode(enum vtype t)
{
	switch (t) {
	case VDIR:
		return (IFDIR);
	case VLNK:
		return (IFLNK);
	case VCHR:
		return (IFCHR);
	case VBLK:
		return (IFBLK);
	case VFIFO:
		return (IFIFO);
	case VSOCK:
		return (IFSOCK);
	default:
		return (IFREG);
	}
}

/* The vnode of an inode the caller loaded into *ip (taken over). */
static int
ufs_vnode_of(struct mount *mp, struct ufs_inode *ip, struct vnode **vpp)
{
	int error;

	if ((*vpp = vfs_vget(mp, ip->ino)) != NULL) {
		kfree(ip);
		return (0);
	}
	error = vnode_new(mp, ip->ino, mode_vtype(ip->din.di_mode), &ufs_vnops,
	    ip, vpp);
	if (error != 0)
		kfree(ip);
	return (error);
}

/* The vnode of inode ino, loaded from the disk unless live. */
int
ufs_vget(struct mount *mp, uint32_t ino, struct vnode **vpp)
{
	struct ufs_kmount *km = mp->mnt_data;
	struct ufs_inode *ip;
	int error;

	if ((*vpp = vfs_vget(mp, ino)) != NULL)
		return (0);
	if ((ip = kmalloc(sizeof(*ip))) == NULL)
		return (ENOMEM);
	if ((error = ufs_iget(&km->um, ino, ip)) == 0 &&
	    mode_vtype(ip->din.di_mode) == VNON)
		error = ENOENT; /* a free inode behind a directory entry */
	if (error != 0) {
		kfree(ip);
		return (error == ENOENT ? ENOENT : EIO);
	}
	return (ufs_vnode_of(mp, ip, vpp));
}

static int
ufs_v_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	uint32_t ino;
	int error;

	if (dvp->v_type != VDIR)
		return (ENOTDIR);
	if ((error = ufs_lookup(ump(dvp), uip(dvp), name, len, &ino)) != 0)
		return (error);
	return (ufs_vget(dvp->v_mount, ino, vpp));
}

static int
ufs_v_getattr(struct vnode *vp, struct vattr *va)
{
	const struct ufs1_dinode *d = &uip(vp)->din;

	memset(va, 0, sizeof(*va));
	va->va_type = vp->v_type;
	va->va_mode = d->di_mode & 07777;
	va->va_nlink = (uint32_t)d->di_nlink;
	va->va_uid = d->di_uid;
	va->va_gid = d->di_gid;
	va->va_size = d->di_size;
	va->va_blocks = (uint64_t)(uint32_t)d->di_blocks;
	va->va_ino = uip(vp)->ino;
	if (vp->v_type == VCHR || vp->v_type == VBLK)
		va->va_rdev = (uint32_t)d->di_db[0];
	va->va_blksize = (uint32_t)ump(vp)->fs->fs_bsize;
	va->va_atime = (struct vfs_timespec) { d->di_atime, d->di_atimensec };
	va->va_mtime = (struct vfs_timespec) { d->di_mtime, d->di_mtimensec };
	va->va_ctime = (struct vfs_timespec) { d->di_ctime, d->di_ctimensec };
	return (0);
}

/* A read(2) in progress: the filler of uiomove_fill() (ufs_fill). */
struct ufs_rfill {
	struct vnode *vp;
	uint64_t off; /* the next byte of the file */
};

/*
 * Reads the file's next len bytes straight into dst: the library's block
 * reads that land there go from the image without the buffer cache,
 * merged where they follow one another (ufs_read_begin, ufs_kio.c).
 */
static int
ufs_fill(void *arg, void *dst, size_t len, size_t *done)
{
	struct ufs_rfill *rf = arg;
	struct vnode *vp = rf->vp;
	int error, error2;

	ufs_read_begin(((struct ufs_kmount *)vp->v_mount->mnt_data)->dp, dst,
	    len);
	error = ufs_read(ump(vp), uip(vp), rf->off, dst, len, done);
	if ((error2 = ufs_read_end()) != 0 && error == 0)
		error = error2;
	if (error != 0)
		*done = 0;
	rf->off += *done;
	return (error);
}

static int
ufs_v_read(struct vnode *vp, struct uio *uio)
{
	struct ufs_rfill rf = { vp, uio->uio_offset };

	if (vp->v_type == VDIR)
		return (EISDIR);
	/* Up to the end of the file: a short piece ends the transfer. */
	return (uiomove_fill(uio, uio->uio_resid, ufs_fill, &rf));
}

static int
ufs_v_write(struct vnode *vp, struct uio *uio, int ioflag)
{
	char *buf;
	size_t want, done;
	uint64_t off;
	int error = 0, derror;

	(void)ioflag;
	if (vp->v_type != VREG)
		return (vp->v_type == VDIR ? EISDIR : EINVAL);
	/* Not zeroed: uiomove() fills what ufs_write() is given. */
	if ((buf = ufs_pool_alloc(UFS_CHUNK, false)) == NULL)
		return (ENOMEM);
	while (uio->uio_resid > 0) {
		want = uio->uio_resid < UFS_CHUNK ? uio->uio_resid : UFS_CHUNK;
		off = uio->uio_offset;
		/* uiomove advances the transfer; a short write backs up. */
		if ((error = uiomove(buf, want, uio)) != 0)
			break;
		/*
		 * The blocks the library rewrites for each block it allocates
		 * (inode, cylinder group, indirect block) reach the image
		 * once per call; uiomove() stays outside the window.
		 */
		bio_defer_begin();
		error = ufs_write(ump(vp), uip(vp), off, buf, want, cred(),
		    &done);
		if ((derror = bio_defer_end()) != 0 && error == 0)
			error = derror;
		if (done < want) {
			uio->uio_offset -= want - done;
			uio->uio_resid += want - done;
			uio->uio_done -= want - done;
		}
		if (error != 0 || done < want)
			break;
	}
	ufs_pool_free(buf);
	/* Some bytes written: the call succeeds with a short count. */
	return (uio->uio_done > 0 && error == ENOSPC ? 0 : error);
}

struct ufs_dirent_arg {
	vfs_filldir_fn *fill;
	void *arg;
};

static enum vtype
dtype_vtype(int type)
{
	static const enum vtype map[] = { [1] = VFIFO,
		[2] = VCHR,
		[4] = VDIR,
		[6] = VBLK,
		[8] = VREG,
		[10] = VLNK,
		[12] = VSOCK };

	return (type > 0 && type <= 12 ? map[type] : VNON);
}

static int
ufs_dirent(void *arg, const char *name, size_t namelen, uint32_t ino, int type,
    uint64_t next)
{
	struct ufs_dirent_arg *a = arg;

	return (a->fill(a->arg, ino, dtype_vtype(type), name, namelen, next));
}

static int
ufs_v_readdir(struct vnode *vp, uint64_t *cookie, vfs_filldir_fn *fill,
    void *arg)
{
	struct ufs_dirent_arg a = { fill, arg };

	return (ufs_readdir(ump(vp), uip(vp), cookie, ufs_dirent, &a));
}

static int
ufs_v_readlink(struct vnode *vp, struct uio *uio)
{
	char *target;
	size_t len;
	int error;

	if ((target = kmalloc(VFS_PATH_MAX)) == NULL)
		return (ENOMEM);
	error = ufs_readlink(ump(vp), uip(vp), target, VFS_PATH_MAX, &len);
	if (error == 0)
		error = uiomove(target, len, uio);
	kfree(target);
	return (error);
}

/* Runs a library call that makes a new inode, and gives its vnode. */
static int
make_node(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, const char *target, struct vnode **vpp)
{
	struct ufs_inode *ip;
	uint32_t mode = vtype_mode(va->va_type) | (va->va_mode & 07777);
	int error;

	if ((ip = kmalloc(sizeof(*ip))) == NULL)
		return (ENOMEM);
	if (va->va_type == VDIR)
		error = ufs_mkdir(ump(dvp), uip(dvp), name, len, mode, cred(),
		    ip);
	else if (va->va_type == VLNK)
		error = ufs_symlink(ump(dvp), uip(dvp), name, len, target,
		    strlen(target), cred(), ip);
	else
		error = ufs_create(ump(dvp), uip(dvp), name, len, mode,
		    (uint32_t)va->va_rdev, cred(), ip);
	if (error != 0) {
		kfree(ip);
		return (error);
	}
	return (ufs_vnode_of(dvp->v_mount, ip, vpp));
}

static int
ufs_v_create(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	return (make_node(dvp, name, len, va, NULL, vpp));
}

static int
ufs_v_mkdir(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	struct vattr d = *va;

	d.va_type = VDIR;
	return (make_node(dvp, name, len, &d, NULL, vpp));
}

static int
ufs_v_symlink(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, const char *target, struct vnode **vpp)
{
	struct vattr d = *va;

	d.va_type = VLNK;
	return (make_node(dvp, name, len, &d, target, vpp));
}

static int
ufs_v_remove(struct vnode *dvp, const char *name, size_t len, struct vnode *vp)
{
	return (ufs_remove(ump(dvp), uip(dvp), name, len, uip(vp)));
}

static int
ufs_v_rmdir(struct vnode *dvp, const char *name, size_t len, struct vnode *vp)
{
	return (ufs_rmdir(ump(dvp), uip(dvp), name, len, uip(vp)));
}

static int
ufs_v_link(struct vnode *dvp, const char *name, size_t len, struct vnode *vp)
{
	if (vp->v_mount != dvp->v_mount)
		return (EXDEV);
	return (ufs_link(ump(dvp), uip(dvp), name, len, uip(vp), cred()));
}

static int
ufs_v_rename(struct vnode *fdvp, const char *fname, size_t flen,
    struct vnode *fvp, struct vnode *tdvp, const char *tname, size_t tlen,
    struct vnode *tvp)
{
	if (tdvp->v_mount != fdvp->v_mount)
		return (EXDEV);
	return (ufs_rename(ump(fdvp), uip(fdvp), fname, flen, uip(fvp),
	    uip(tdvp), tname, tlen, tvp != NULL ? uip(tvp) : NULL, cred()));
}

static int
ufs_v_setattr(struct vnode *vp, const struct vattr_change *vc)
{
	struct ufs_setattr sa = { 0 };

	if (vc->va_valid & VA_MODE)
		sa.valid |= UFS_SA_MODE, sa.mode = vc->va_mode & 07777;
	if (vc->va_valid & VA_UID)
		sa.valid |= UFS_SA_UID, sa.uid = vc->va_uid;
	if (vc->va_valid & VA_GID)
		sa.valid |= UFS_SA_GID, sa.gid = vc->va_gid;
	if (vc->va_valid & VA_SIZE)
		sa.valid |= UFS_SA_SIZE, sa.size = vc->va_size;
	if (vc->va_valid & VA_ATIME) {
		sa.valid |= UFS_SA_ATIME;
		sa.atime = vc->va_atime.sec;
		sa.atimensec = (int32_t)vc->va_atime.nsec;
	}
	if (vc->va_valid & VA_MTIME) {
		sa.valid |= UFS_SA_MTIME;
		sa.mtime = vc->va_mtime.sec;
		sa.mtimensec = (int32_t)vc->va_mtime.nsec;
	}
	return (ufs_setattr(ump(vp), uip(vp), &sa, cred()));
}

static int
ufs_v_fsync(struct vnode *vp)
{
	return (ufs_fsync(ump(vp), uip(vp)));
}

static void
ufs_v_inactive(struct vnode *vp)
{
	struct ufs_kmount *km = vp->v_mount->mnt_data;

	/* After the halt-time unmount nothing may touch the disk. */
	if (!(vp->v_mount->mnt_flags & MNT_DEAD))
		(void)ufs_inactive(&km->um, uip(vp));
	kfree(vp->v_data);
}

static const struct vnodeops ufs_vnops = {
	.vop_lookup = ufs_v_lookup,
	.vop_getattr = ufs_v_getattr,
	.vop_read = ufs_v_read,
	.vop_write = ufs_v_write,
	.vop_readdir = ufs_v_readdir,
	.vop_readlink = ufs_v_readlink,
	.vop_create = ufs_v_create,
	.vop_mkdir = ufs_v_mkdir,
	.vop_symlink = ufs_v_symlink,
	.vop_remove = ufs_v_remove,
	.vop_rmdir = ufs_v_rmdir,
	.vop_link = ufs_v_link,
	.vop_rename = ufs_v_rename,
	.vop_setattr = ufs_v_setattr,
	.vop_fsync = ufs_v_fsync,
	.vop_inactive = ufs_v_inactive,
};
