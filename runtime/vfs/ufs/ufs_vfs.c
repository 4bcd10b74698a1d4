/*
 * ufs_vfs.c - UFS1 in the VFS: mounting a vkd partition ("ufs:vkd0s0a")
 * and the vnode operations, on top of the library (ufs.h), with the
 * buffer cache (bio.h) under its I/O callbacks.
 *
 * A vnode's data is the library's in-core inode (struct ufs_inode), its
 * inode number the UFS one, so every path to a file finds the same vnode
 * and the library always gets the one copy of each inode.  The kernel
 * lock serialises all calls, as the library asks.  Everyone is root
 * until credentials exist (XXX): the fs_minfree reserve is usable.
 *
 * Speed (measured with make bench's fs.write and fs.read, see
 * harness/bench/benches.conf):
 * - the buffers that the library and the read and write paths allocate
 *   for nearly every call are kept for reuse (pool_*), since kmalloc()
 *   hands out fresh pages of the memory image and zeroes them;
 * - file data read by read(2) bypasses the buffer cache and goes from the
 *   image straight into the transfer buffer, the library's block reads
 *   merged into one host read where they are contiguous on the disk
 *   (kio_read);
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
#include "runtime/vfs/bio.h"
#include "runtime/vfs/ufs/ufs.h"
#include "runtime/vfs/vfs.h"

#define UFS_ROOTINO 2
#define UFS_CHUNK   65536
#define UFS_MAGIC   0x00011954 /* Linux's f_type for UFS */

struct ufs_kmount {
	struct ufs_mount um;
	struct diskpart *dp;
};

static const struct vnodeops ufs_vnops;
static bool mounted(const struct diskpart *dp);
static const struct ufs_cred root_cred = { 0, 0 };

/*
 * The data read in progress (ufs_v_read), under the kernel lock, which
 * ufs_read() does not give up: block reads of the library that land in
 * [rd.buf, rd.buf + rd.len) are file data for the caller, read from the
 * image without the cache and merged while they follow one another on
 * the disk and in the buffer.  The library does not look at those bytes
 * before ufs_read() returns, so the pending run (rd.pend_*) is read at
 * the latest then.
 */
static struct {
	struct diskpart *dp; /* NULL when no data read is in progress */
	uint8_t *buf;
	size_t len;
	uint64_t pend_off; /* the pending run: disk offset, */
	uint8_t *pend_buf; /* destination */
	size_t pend_len;   /* and length (0: none) */
} rd;

/* --- Buffers kept for reuse ------------------------------------------------- */

#define POOL_MAX  8  /* buffers kept */
#define POOL_HDR  16 /* bytes before each buffer: its length */
#define POOL_KEEP (UFS_CHUNK + POOL_HDR) /* larger ones are not kept */

static void *pool[POOL_MAX]; /* headers of free buffers */
static int npool;

/*
 * Returns len bytes, 16-byte aligned and, when zero is set, zeroed as
 * kmalloc() does; a kept buffer of the same length when there is one.
 * pool_free() takes it back.
 */
static void *
pool_alloc(size_t len, bool zero)
{
	uint8_t *h;
	int i;

	for (i = 0; i < npool; i++) {
		h = pool[i];
		if (*(size_t *)(void *)h == len) {
			pool[i] = pool[--npool];
			if (zero)
				memset(h + POOL_HDR, 0, len);
			return (h + POOL_HDR);
		}
	}
	if (len > SIZE_MAX - POOL_HDR || (h = kmalloc(len + POOL_HDR)) == NULL)
		return (NULL);
	*(size_t *)(void *)h = len;
	return (h + POOL_HDR);
}

static void
pool_free(void *p)
{
	uint8_t *h;

	if (p == NULL)
		return;
	h = (uint8_t *)p - POOL_HDR;
	if (*(size_t *)(void *)h + POOL_HDR > POOL_KEEP) {
		kfree(h);
		return;
	}
	/* When full, the newest replaces one, so sizes in use stay. */
	if (npool == POOL_MAX)
		kfree(pool[--npool]);
	pool[npool++] = h;
}

static struct ufs_mount *
ump(const struct vnode *vp)
{
	return (&((struct ufs_kmount *)vp->v_mount->mnt_data)->um);
}

static struct ufs_inode *
uip(const struct vnode *vp)
{
	return (vp->v_data);
}

/* --- I/O callbacks ------------------------------------------------------ */

/* Reads the pending run of a data read, if any. */
static int
rd_flush(void)
{
	size_t len = rd.pend_len;

	if (len == 0)
		return (0);
	rd.pend_len = 0;
	return (bio_read_direct(rd.dp->dk, rd.pend_off, rd.pend_buf, len));
}

static int
kio_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct diskpart *dp = ctx;
	uint8_t *p = buf;
	int error;

	if (off > dp->size || len > dp->size - off)
		return (EIO);
	if (rd.dp != dp || p < rd.buf || len > rd.len ||
	    (size_t)(p - rd.buf) > rd.len - len)
		return (bio_read(dp->dk, dp->offset + off, buf, len));
	/* File data for the caller: merge it into the pending run. */
	if (rd.pend_len > 0 && rd.pend_off + rd.pend_len == dp->offset + off &&
	    rd.pend_buf + rd.pend_len == p) {
		rd.pend_len += len;
		return (0);
	}
	if ((error = rd_flush()) != 0)
		return (error);
	rd.pend_off = dp->offset + off;
	rd.pend_buf = p;
	rd.pend_len = len;
	return (0);
}

static int
kio_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
	struct diskpart *dp = ctx;

	if (off > dp->size || len > dp->size - off)
		return (EIO);
	return (bio_write(dp->dk, dp->offset + off, buf, len));
}

static int
kio_flush(void *ctx)
{
	return (bio_flush(((struct diskpart *)ctx)->dk));
}

static void *
kio_alloc(void *ctx, size_t len)
{
	(void)ctx;
	return (pool_alloc(len, true));
}

static void
kio_free(void *ctx, void *p)
{
	(void)ctx;
	pool_free(p);
}

static void
kio_now(void *ctx, int64_t *sec, int32_t *nsec)
{
	int64_t ns;

	(void)ctx;
	host_realtime(sec, &ns);
	*nsec = (int32_t)ns;
}

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
static int
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

static int
ufs_v_read(struct vnode *vp, struct uio *uio)
{
	char *buf;
	size_t want, done;
	int error = 0;

	if (vp->v_type == VDIR)
		return (EISDIR);
	/* Not zeroed: only the bytes ufs_read() stores are moved out. */
	if ((buf = pool_alloc(UFS_CHUNK, false)) == NULL)
		return (ENOMEM);
	while (uio->uio_resid > 0) {
		want = uio->uio_resid < UFS_CHUNK ? uio->uio_resid : UFS_CHUNK;
		rd.dp = ((struct ufs_kmount *)vp->v_mount->mnt_data)->dp;
		rd.buf = (uint8_t *)buf;
		rd.len = want;
		error = ufs_read(ump(vp), uip(vp), uio->uio_offset, buf, want,
		    &done);
		if (error == 0)
			error = rd_flush();
		rd.pend_len = 0;
		rd.dp = NULL;
		if (error != 0 || done == 0)
			break;
		if ((error = uiomove(buf, done, uio)) != 0)
			break;
	}
	pool_free(buf);
	return (error);
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
	if ((buf = pool_alloc(UFS_CHUNK, false)) == NULL)
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
		error = ufs_write(ump(vp), uip(vp), off, buf, want, &root_cred,
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
	pool_free(buf);
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
		error = ufs_mkdir(ump(dvp), uip(dvp), name, len, mode,
		    &root_cred, ip);
	else if (va->va_type == VLNK)
		error = ufs_symlink(ump(dvp), uip(dvp), name, len, target,
		    strlen(target), &root_cred, ip);
	else
		error = ufs_create(ump(dvp), uip(dvp), name, len, mode,
		    (uint32_t)va->va_rdev, &root_cred, ip);
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
	return (ufs_link(ump(dvp), uip(dvp), name, len, uip(vp), &root_cred));
}

static int
ufs_v_rename(struct vnode *fdvp, const char *fname, size_t flen,
    struct vnode *fvp, struct vnode *tdvp, const char *tname, size_t tlen,
    struct vnode *tvp)
{
	if (tdvp->v_mount != fdvp->v_mount)
		return (EXDEV);
	return (ufs_rename(ump(fdvp), uip(fdvp), fname, flen, uip(fvp),
	    uip(tdvp), tname, tlen, tvp != NULL ? uip(tvp) : NULL, &root_cred));
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
	return (ufs_setattr(ump(vp), uip(vp), &sa, &root_cred));
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

/* --- Mounts ----------------------------------------------------------------- */

static int
ufs_m_mount(struct mount *mp, const char *from)
{
	struct ufs_io io = { kio_read, kio_write, kio_flush, kio_alloc,
		kio_free, kio_now, NULL };
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
	io.ctx = dp;
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
	struct mount *mp;

	for (mp = vfs_mount_first(); mp != NULL; mp = mp->mnt_next)
		if (mp->mnt_type == &ufs_vfstype && mp->mnt_data != NULL &&
		    ((struct ufs_kmount *)mp->mnt_data)->dp->dk == dp->dk &&
		    ((struct ufs_kmount *)mp->mnt_data)->dp->offset <
			dp->offset + dp->size &&
		    dp->offset <
			((struct ufs_kmount *)mp->mnt_data)->dp->offset +
			    ((struct ufs_kmount *)mp->mnt_data)->dp->size)
			return (true);
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
