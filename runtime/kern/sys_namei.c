/*
 * sys_namei.c - the system calls that change the file name space and
 * file attributes: mkdir, mknod, unlink and rmdir, rename, link, symlink,
 * chmod and chown, truncate, utimensat, fsync and sync, statfs.
 *
 * Each resolves its paths with namei_at() (relative to a directory
 * descriptor or the current directory) and hands the work to the file
 * system through the VOP_*() operations; what a file system leaves out
 * answers EOPNOTSUPP, and a read-only mount EROFS.  Linux's errors for
 * the name itself: EEXIST, ENOENT, ENOTDIR, EISDIR, ENOTEMPTY, EXDEV
 * across mounts, EBUSY for a mount point, EINVAL for "." as the last
 * component of rmdir and rename.
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/file.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/syscall_private.h"
#include "runtime/sys/linux_fcntl.h"

#define LT_AT_REMOVEDIR	       0x200
#define LT_AT_SYMLINK_NOFOLLOW 0x100
#define LT_AT_SYMLINK_FOLLOW   0x400
#define LT_AT_EMPTY_PATH       0x1000
#define LT_UTIME_NOW	       ((1L << 30) - 1)
#define LT_UTIME_OMIT	       ((1L << 30) - 2)
#define LT_S_IFMT	       0170000

/* A path's parent and last component (nd->ni_vp may be NULL). */
static int
parent_of(struct lwp *l, int dirfd, uint64_t upath, int flags,
    struct nameidata *nd)
{
	char *path;
	int error;

	if ((path = kmalloc(VFS_PATH_MAX)) == NULL)
		return (ENOMEM);
	error = namei_at(l, dirfd, upath, flags | NAMEI_WANTPARENT, nd, path);
	kfree(path);
	if (error == 0 && nd->ni_dvp == NULL) {
		/* The path was "/": no parent, no name. */
		vrele(nd->ni_vp);
		return (EBUSY);
	}
	return (error);
}

static void
release(struct nameidata *nd)
{
	if (nd->ni_vp != NULL)
		vrele(nd->ni_vp);
	if (nd->ni_dvp != NULL)
		vrele(nd->ni_dvp);
}

static bool
read_only(const struct vnode *vp)
{
	return ((vp->v_mount->mnt_flags & MNT_RDONLY) != 0);
}

/* Adding or removing a name in dvp needs write and search on it. */
static int
dir_writable(struct lwp *l, struct vnode *dvp)
{
	return (vn_access(dvp, l->l_proc, VACCESS_WRITE | VACCESS_EXEC));
}

/* In a sticky directory (/tmp) only the owners may remove a name. */
static int
sticky_ok(struct lwp *l, struct vnode *dvp, struct vnode *vp)
{
	struct vattr dva, va;
	uint32_t uid = l->l_proc->p_euid;
	int error;

	if (uid == 0)
		return (0);
	if ((error = VOP_GETATTR(dvp, &dva)) != 0 ||
	    (error = VOP_GETATTR(vp, &va)) != 0)
		return (error);
	if ((dva.va_mode & 01000) && uid != dva.va_uid && uid != va.va_uid)
		return (EPERM);
	return (0);
}

/* The vnode a path names (following a final symlink when follow). */
static int
vnode_at(struct lwp *l, int dirfd, uint64_t upath, bool follow,
    struct vnode **vpp)
{
	struct nameidata nd;
	char *path;
	int error;

	if ((path = kmalloc(VFS_PATH_MAX)) == NULL)
		return (ENOMEM);
	error = namei_at(l, dirfd, upath, follow ? NAMEI_FOLLOW : 0, &nd, path);
	kfree(path);
	if (error == 0)
		*vpp = nd.ni_vp;
	return (error);
}

/* mkdir, mknod and symlink: a new name for a new file. */
static int64_t
make_at(struct lwp *l, int dirfd, uint64_t upath, struct vattr *va,
    const char *target)
{
	struct nameidata nd;
	struct vnode *vp = NULL;
	int error;

	if ((error = parent_of(l, dirfd, upath, 0, &nd)) != 0)
		return (error == EBUSY ? -EEXIST : -error); /* "/" exists */
	va->va_mode &= ~l->l_proc->p_fd->fd_cmask & 07777;
	if (nd.ni_vp != NULL)
		error = EEXIST;
	else if (read_only(nd.ni_dvp))
		error = EROFS;
	else if ((error = dir_writable(l, nd.ni_dvp)) != 0)
		;
	else if (va->va_type == VDIR)
		error = VOP_MKDIR(nd.ni_dvp, nd.ni_last, nd.ni_lastlen, va,
		    &vp);
	else if (va->va_type == VLNK)
		error = VOP_SYMLINK(nd.ni_dvp, nd.ni_last, nd.ni_lastlen, va,
		    target, &vp);
	else
		error = VOP_CREATE(nd.ni_dvp, nd.ni_last, nd.ni_lastlen, va,
		    &vp);
	if (vp != NULL)
		vrele(vp);
	release(&nd);
	return (-error);
}

int64_t
sys_mkdirat(struct lwp *l, const uint64_t *a)
{
	struct vattr va = { .va_type = VDIR, .va_mode = (uint32_t)a[2] };

	return (make_at(l, (int)a[0], a[1], &va, NULL));
}

int64_t
sys_mkdir(struct lwp *l, const uint64_t *a)
{
	uint64_t b[3] = { (uint64_t)LT_AT_FDCWD, a[0], a[1] };

	return (sys_mkdirat(l, b));
}

int64_t
sys_mknodat(struct lwp *l, const uint64_t *a)
{
	struct vattr va = { .va_mode = (uint32_t)a[2], .va_rdev = a[3] };

	switch ((uint32_t)a[2] & LT_S_IFMT) {
	case 0:
	case 0100000:
		va.va_type = VREG;
		break;
	case 0010000:
		va.va_type = VFIFO;
		break;
	case 0020000:
		va.va_type = VCHR;
		break;
	case 0060000:
		va.va_type = VBLK;
		break;
	case 0140000:
		va.va_type = VSOCK;
		break;
	default:
		return (-EINVAL);
	}
	return (make_at(l, (int)a[0], a[1], &va, NULL));
}

int64_t
sys_mknod(struct lwp *l, const uint64_t *a)
{
	uint64_t b[4] = { (uint64_t)LT_AT_FDCWD, a[0], a[1], a[2] };

	return (sys_mknodat(l, b));
}

int64_t
sys_symlinkat(struct lwp *l, const uint64_t *a)
{
	struct vattr va = { .va_type = VLNK, .va_mode = 0777 };
	char *target;
	int64_t r;
	int error;

	if ((target = kmalloc(VFS_PATH_MAX)) == NULL)
		return (-ENOMEM);
	if ((error = copyinstr(l, a[0], target, VFS_PATH_MAX)) != 0)
		r = -error;
	else if (target[0] == '\0')
		r = -ENOENT;
	else {
		/* The mode of a symlink is 0777 whatever the umask. */
		r = make_at(l, (int)a[1], a[2], &va, target);
	}
	kfree(target);
	return (r);
}

int64_t
sys_symlink(struct lwp *l, const uint64_t *a)
{
	uint64_t b[3] = { a[0], (uint64_t)LT_AT_FDCWD, a[1] };

	return (sys_symlinkat(l, b));
}

/* unlink and rmdir. */
static int64_t
remove_at(struct lwp *l, int dirfd, uint64_t upath, bool dir)
{
	struct nameidata nd;
	int error;

	if ((error = parent_of(l, dirfd, upath, 0, &nd)) != 0)
		return (-error);
	/* Linux asks for a writable mount before it looks for the name. */
	if (read_only(nd.ni_dvp))
		error = EROFS;
	else if (nd.ni_vp == NULL)
		error = ENOENT;
	else if (dir && nd.ni_lastlen == 1 && nd.ni_last[0] == '.')
		error = EINVAL;
	else if (dir && nd.ni_vp->v_type != VDIR)
		error = ENOTDIR;
	else if (!dir && nd.ni_vp->v_type == VDIR)
		error = EISDIR;
	else if (nd.ni_vp->v_mount != nd.ni_dvp->v_mount)
		error = EBUSY; /* a mount point */
	else if (read_only(nd.ni_dvp))
		error = EROFS;
	else if ((error = dir_writable(l, nd.ni_dvp)) != 0 ||
	    (error = sticky_ok(l, nd.ni_dvp, nd.ni_vp)) != 0)
		;
	else if (dir)
		error = VOP_RMDIR(nd.ni_dvp, nd.ni_last, nd.ni_lastlen,
		    nd.ni_vp);
	else
		error = VOP_REMOVE(nd.ni_dvp, nd.ni_last, nd.ni_lastlen,
		    nd.ni_vp);
	release(&nd);
	return (-error);
}

int64_t
sys_unlinkat(struct lwp *l, const uint64_t *a)
{
	if ((a[2] & ~(uint64_t)LT_AT_REMOVEDIR) != 0)
		return (-EINVAL);
	return (remove_at(l, (int)a[0], a[1], (a[2] & LT_AT_REMOVEDIR) != 0));
}

int64_t
sys_unlink(struct lwp *l, const uint64_t *a)
{
	return (remove_at(l, LT_AT_FDCWD, a[0], false));
}

int64_t
sys_rmdir(struct lwp *l, const uint64_t *a)
{
	return (remove_at(l, LT_AT_FDCWD, a[0], true));
}

int64_t
sys_renameat2(struct lwp *l, const uint64_t *a)
{
	struct nameidata from, to;
	int error;

	if (a[4] != 0)
		return (-EINVAL); /* XXX RENAME_NOREPLACE and friends */
	if ((error = parent_of(l, (int)a[0], a[1], 0, &from)) != 0)
		return (-error);
	if ((error = parent_of(l, (int)a[2], a[3], 0, &to)) != 0) {
		release(&from);
		return (-error);
	}
	if (read_only(from.ni_dvp) || read_only(to.ni_dvp))
		error = EROFS; /* before the names, as Linux */
	else if (from.ni_vp == NULL)
		error = ENOENT;
	else if ((from.ni_lastlen == 1 && from.ni_last[0] == '.') ||
	    (from.ni_lastlen == 2 && memcmp(from.ni_last, "..", 2) == 0))
		error = EINVAL;
	else if (from.ni_vp->v_mount != from.ni_dvp->v_mount ||
	    (to.ni_vp != NULL && to.ni_vp->v_mount != to.ni_dvp->v_mount))
		error = EBUSY;
	else if (from.ni_dvp->v_mount != to.ni_dvp->v_mount)
		error = EXDEV;
	else if (read_only(from.ni_dvp))
		error = EROFS;
	else if ((error = dir_writable(l, from.ni_dvp)) != 0 ||
	    (error = dir_writable(l, to.ni_dvp)) != 0 ||
	    (error = sticky_ok(l, from.ni_dvp, from.ni_vp)) != 0 ||
	    (to.ni_vp != NULL &&
		(error = sticky_ok(l, to.ni_dvp, to.ni_vp)) != 0))
		;
	else if (to.ni_vp == from.ni_vp)
		error = 0; /* the same file: nothing to do (POSIX) */
	else
		error = VOP_RENAME(from.ni_dvp, from.ni_last, from.ni_lastlen,
		    from.ni_vp, to.ni_dvp, to.ni_last, to.ni_lastlen, to.ni_vp);
	release(&to);
	release(&from);
	return (-error);
}

int64_t
sys_renameat(struct lwp *l, const uint64_t *a)
{
	uint64_t b[5] = { a[0], a[1], a[2], a[3], 0 };

	return (sys_renameat2(l, b));
}

int64_t
sys_rename(struct lwp *l, const uint64_t *a)
{
	uint64_t b[5] = { (uint64_t)LT_AT_FDCWD, a[0], (uint64_t)LT_AT_FDCWD,
		a[1], 0 };

	return (sys_renameat2(l, b));
}

int64_t
sys_linkat(struct lwp *l, const uint64_t *a)
{
	struct nameidata to;
	struct vnode *vp;
	int error;

	if ((a[4] & ~(uint64_t)LT_AT_SYMLINK_FOLLOW) != 0)
		return (-EINVAL);
	error = vnode_at(l, (int)a[0], a[1], (a[4] & LT_AT_SYMLINK_FOLLOW) != 0,
	    &vp);
	if (error != 0)
		return (-error);
	if ((error = parent_of(l, (int)a[2], a[3], 0, &to)) != 0) {
		vrele(vp);
		return (-error);
	}
	if (to.ni_vp != NULL)
		error = EEXIST;
	else if (vp->v_type == VDIR)
		error = EPERM;
	else if (vp->v_mount != to.ni_dvp->v_mount)
		error = EXDEV;
	else if (read_only(to.ni_dvp))
		error = EROFS;
	else if ((error = dir_writable(l, to.ni_dvp)) != 0)
		;
	else
		error = VOP_LINK(to.ni_dvp, to.ni_last, to.ni_lastlen, vp);
	release(&to);
	vrele(vp);
	return (-error);
}

int64_t
sys_link(struct lwp *l, const uint64_t *a)
{
	uint64_t b[5] = { (uint64_t)LT_AT_FDCWD, a[0], (uint64_t)LT_AT_FDCWD,
		a[1], 0 };

	return (sys_linkat(l, b));
}

/* --- Attributes ----------------------------------------------------- */

/*
 * Who may change what (BSD): the mode, the times and the group (to one
 * of the owner's groups) only the owner or root; the owner only root;
 * the size anyone who may write; "now" as both times anyone who may write.
 */
static int
may_setattr(struct lwp *l, struct vnode *vp, const struct vattr_change *vc)
{
	struct proc *p = l->l_proc;
	struct vattr va;
	int error;

	if (p->p_euid == 0)
		return (0);
	if ((error = VOP_GETATTR(vp, &va)) != 0)
		return (error);
	if ((vc->va_valid & VA_UID) && vc->va_uid != va.va_uid)
		return (EPERM);
	if ((vc->va_valid & VA_GID) &&
	    (p->p_euid != va.va_uid || !proc_groupmember(p, vc->va_gid)))
		return (EPERM);
	if ((vc->va_valid & VA_MODE) && p->p_euid != va.va_uid)
		return (EPERM);
	if ((vc->va_valid & VA_SIZE) &&
	    (error = vaccess_cred(&va, p->p_euid, p, VACCESS_WRITE)) != 0)
		return (error);
	if ((vc->va_valid & (VA_ATIME | VA_MTIME)) && p->p_euid != va.va_uid &&
	    (vc->va_now == 0 ||
		vaccess_cred(&va, p->p_euid, p, VACCESS_WRITE) != 0))
		return (vc->va_now ? EACCES : EPERM);
	return (0);
}

static int
setattr(struct lwp *l, struct vnode *vp, const struct vattr_change *vc)
{
	int error;

	if (read_only(vp) && vp->v_type != VCHR && vp->v_type != VBLK &&
	    vp->v_type != VFIFO && vp->v_type != VSOCK)
		return (EROFS);
	if ((error = may_setattr(l, vp, vc)) != 0)
		return (error);
	return (VOP_SETATTR(vp, vc));
}

/* The vnode of fd, or of path at dirfd; with AT_EMPTY_PATH "" is fd. */
static int
target_of(struct lwp *l, int dirfd, uint64_t upath, int flags,
    struct vnode **vpp)
{
	char c = 0;

	if ((flags & LT_AT_EMPTY_PATH) &&
	    (upath == 0 || (copyin(l, upath, &c, 1) == 0 && c == '\0')))
		return (fd_vnode(l, dirfd, vpp));
	return (vnode_at(l, dirfd, upath, !(flags & LT_AT_SYMLINK_NOFOLLOW),
	    vpp));
}

static int64_t
change_at(struct lwp *l, int dirfd, uint64_t upath, int flags,
    const struct vattr_change *vc)
{
	struct vnode *vp;
	int error;

	if ((error = target_of(l, dirfd, upath, flags, &vp)) != 0)
		return (-error);
	error = setattr(l, vp, vc);
	vrele(vp);
	return (-error);
}

int64_t
sys_fchmodat(struct lwp *l, const uint64_t *a)
{
	struct vattr_change vc = { .va_valid = VA_MODE,
		.va_mode = (uint32_t)a[2] & 07777 };

	return (change_at(l, (int)a[0], a[1], 0, &vc));
}

int64_t
sys_chmod(struct lwp *l, const uint64_t *a)
{
	uint64_t b[3] = { (uint64_t)LT_AT_FDCWD, a[0], a[1] };

	return (sys_fchmodat(l, b));
}

int64_t
sys_fchmod(struct lwp *l, const uint64_t *a)
{
	struct vattr_change vc = { .va_valid = VA_MODE,
		.va_mode = (uint32_t)a[1] & 07777 };

	return (change_at(l, (int)a[0], 0, LT_AT_EMPTY_PATH, &vc));
}

int64_t
sys_fchownat(struct lwp *l, const uint64_t *a)
{
	struct vattr_change vc = { 0 };

	if ((a[4] & ~(uint64_t)(LT_AT_SYMLINK_NOFOLLOW | LT_AT_EMPTY_PATH)) !=
	    0)
		return (-EINVAL);
	if ((uint32_t)a[2] != UINT32_MAX)
		vc.va_valid |= VA_UID, vc.va_uid = (uint32_t)a[2];
	if ((uint32_t)a[3] != UINT32_MAX)
		vc.va_valid |= VA_GID, vc.va_gid = (uint32_t)a[3];
	return (change_at(l, (int)a[0], a[1], (int)a[4], &vc));
}

int64_t
sys_chown(struct lwp *l, const uint64_t *a)
{
	uint64_t b[5] = { (uint64_t)LT_AT_FDCWD, a[0], a[1], a[2], 0 };

	return (sys_fchownat(l, b));
}

int64_t
sys_lchown(struct lwp *l, const uint64_t *a)
{
	uint64_t b[5] = { (uint64_t)LT_AT_FDCWD, a[0], a[1], a[2],
		LT_AT_SYMLINK_NOFOLLOW };

	return (sys_fchownat(l, b));
}

int64_t
sys_fchown(struct lwp *l, const uint64_t *a)
{
	uint64_t b[5] = { a[0], 0, a[1], a[2], LT_AT_EMPTY_PATH };

	return (sys_fchownat(l, b));
}

/* truncate (check: the path's write permission) and ftruncate. */
static int64_t
truncate_vnode(struct lwp *l, struct vnode *vp, int64_t len, bool check)
{
	struct vattr_change vc = { .va_valid = VA_SIZE,
		.va_size = (uint64_t)len };

	if (len < 0)
		return (-EINVAL);
	if (vp->v_type == VDIR)
		return (-EISDIR);
	if (vp->v_type != VREG)
		return (-EINVAL);
	if (!check)
		return (read_only(vp) ? -EROFS : -VOP_SETATTR(vp, &vc));
	return (-setattr(l, vp, &vc));
}

int64_t
sys_truncate(struct lwp *l, const uint64_t *a)
{
	struct vnode *vp;
	int64_t r;
	int error;

	if ((error = vnode_at(l, LT_AT_FDCWD, a[0], true, &vp)) != 0)
		return (-error);
	r = truncate_vnode(l, vp, (int64_t)a[1], true);
	vrele(vp);
	return (r);
}

int64_t
sys_ftruncate(struct lwp *l, const uint64_t *a)
{
	struct file *fp;
	int64_t r;
	int error;

	if ((error = fd_get(l->l_proc->p_fd, (int)a[0], &fp)) != 0)
		return (-error);
	if (fp->f_ops != &vnops_file ||
	    (fp->f_flag & LT_O_ACCMODE) == LT_O_RDONLY)
		r = -EINVAL;
	else
		r = truncate_vnode(l, fp->f_data, (int64_t)a[1], false);
	fdrop(fp);
	return (r);
}

struct lt_timespec {
	int64_t sec, nsec;
};

/* utimensat(2), and futimens (path NULL). */
int64_t
sys_utimensat(struct lwp *l, const uint64_t *a)
{
	struct vattr_change vc = { .va_valid = VA_ATIME | VA_MTIME };
	struct lt_timespec ts[2];
	int64_t sec, nsec;
	int error, i, flags = (int)a[3];

	host_realtime(&sec, &nsec);
	vc.va_atime = vc.va_mtime = (struct vfs_timespec) { sec, nsec };
	vc.va_now = a[2] == 0;
	if (a[2] != 0) {
		if ((error = copyin(l, a[2], ts, sizeof(ts))) != 0)
			return (-error);
		for (i = 0; i < 2; i++) {
			struct vfs_timespec *t = i == 0 ? &vc.va_atime :
							  &vc.va_mtime;

			if (ts[i].nsec == LT_UTIME_OMIT) {
				vc.va_valid &= ~(uint32_t)(i == 0 ? VA_ATIME :
								    VA_MTIME);
				continue;
			}
			if (ts[i].nsec == LT_UTIME_NOW)
				continue;
			if (ts[i].nsec < 0 || ts[i].nsec >= 1000000000)
				return (-EINVAL);
			*t = (struct vfs_timespec) { ts[i].sec, ts[i].nsec };
		}
	}
	if (a[1] == 0)
		flags |= LT_AT_EMPTY_PATH;
	return (change_at(l, (int)a[0], a[1], flags, &vc));
}

/* --- Sync and statfs ---------------------------------------------------- */

int64_t
sys_fsync(struct lwp *l, const uint64_t *a)
{
	struct file *fp;
	int error;

	if ((error = fd_get(l->l_proc->p_fd, (int)a[0], &fp)) != 0)
		return (-error);
	error = fp->f_ops == &vnops_file ? VOP_FSYNC(fp->f_data) : EINVAL;
	fdrop(fp);
	return (-error);
}

int64_t
sys_sync(struct lwp *l, const uint64_t *a)
{
	(void)l;
	(void)a;
	(void)vfs_sync_all();
	return (0);
}

struct lt_statfs {
	int64_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen, f_frsize, f_flags;
	int64_t f_spare[4];
};
_Static_assert(sizeof(struct lt_statfs) == 120, "Linux x86-64 statfs");

static int64_t
statfs_vnode(struct lwp *l, struct vnode *vp, uint64_t ubuf)
{
	struct mount *mp = vp->v_mount;
	struct vfs_statfs sf = { .f_bsize = 4096,
		.f_iosize = 4096,
		.f_namemax = VFS_NAME_MAX };
	struct lt_statfs out;
	int error;

	if (mp->mnt_type->vfs_statfs != NULL &&
	    (error = mp->mnt_type->vfs_statfs(mp, &sf)) != 0)
		return (-error);
	memset(&out, 0, sizeof(out));
	out.f_type = sf.f_magic;
	out.f_bsize = (int64_t)sf.f_bsize;
	out.f_frsize = (int64_t)sf.f_bsize;
	out.f_blocks = sf.f_blocks;
	out.f_bfree = sf.f_bfree;
	out.f_bavail = sf.f_bavail;
	out.f_files = sf.f_files;
	out.f_ffree = sf.f_ffree;
	out.f_namelen = (int64_t)sf.f_namemax;
	out.f_flags = (mp->mnt_flags & MNT_RDONLY) ? 1 /* ST_RDONLY */ : 0;
	out.f_fsid[0] = (int32_t)(uintptr_t)mp;
	return (-copyout(l, &out, ubuf, sizeof(out)));
}

int64_t
sys_statfs(struct lwp *l, const uint64_t *a)
{
	struct vnode *vp;
	int64_t r;
	int error;

	if ((error = vnode_at(l, LT_AT_FDCWD, a[0], true, &vp)) != 0)
		return (-error);
	r = statfs_vnode(l, vp, a[1]);
	vrele(vp);
	return (r);
}

int64_t
sys_fstatfs(struct lwp *l, const uint64_t *a)
{
	struct vnode *vp;
	int64_t r;
	int error;

	if ((error = fd_vnode(l, (int)a[0], &vp)) != 0)
		return (-error);
	r = statfs_vnode(l, vp, a[1]);
	vrele(vp);
	return (r);
}
