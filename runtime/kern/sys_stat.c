/*
 * sys_stat.c - the stat family: stat, fstat, lstat, newfstatat, in the
 * Linux x86-64 struct stat layout (runtime/sys/linux_stat.h), from the
 * file system's vattr.
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/file.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/syscall_private.h"
#include "runtime/sys/linux_fcntl.h"
#include "runtime/sys/linux_stat.h"

static uint32_t
type_bits(enum vtype t)
{
	switch (t) {
	case VDIR:
		return (LT_S_IFDIR);
	case VLNK:
		return (LT_S_IFLNK);
	case VCHR:
		return (LT_S_IFCHR);
	case VBLK:
		return (LT_S_IFBLK);
	case VFIFO:
		return (LT_S_IFIFO);
	case VSOCK:
		return (LT_S_IFSOCK);
	default:
		return (LT_S_IFREG);
	}
}

/* Copies attributes out as a Linux struct stat; dev names the fs. */
static int
stat_copyout(struct lwp *l, const struct vattr *vap, uint64_t dev, uint64_t ust)
{
	const struct vattr va = *vap;
	struct linux_stat st;

	memset(&st, 0, sizeof(st));
	st.st_dev = dev;
	st.st_ino = va.va_ino;
	st.st_nlink = va.va_nlink;
	st.st_mode = type_bits(va.va_type) | (va.va_mode & 07777);
	st.st_uid = va.va_uid;
	st.st_gid = va.va_gid;
	st.st_rdev = va.va_rdev;
	st.st_size = (int64_t)va.va_size;
	st.st_blksize = va.va_blksize != 0 ? va.va_blksize : 4096;
	st.st_blocks = (int64_t)va.va_blocks;
	st.st_atime_sec = (uint64_t)va.va_atime.sec;
	st.st_atime_nsec = (uint64_t)va.va_atime.nsec;
	st.st_mtime_sec = (uint64_t)va.va_mtime.sec;
	st.st_mtime_nsec = (uint64_t)va.va_mtime.nsec;
	st.st_ctime_sec = (uint64_t)va.va_ctime.sec;
	st.st_ctime_nsec = (uint64_t)va.va_ctime.nsec;
	return (copyout(l, &st, ust, sizeof(st)));
}

static int
stat_out(struct lwp *l, struct vnode *vp, uint64_t ust)
{
	struct vattr va;
	int error;

	if ((error = VOP_GETATTR(vp, &va)) != 0)
		return (error);
	return (stat_copyout(l, &va,
	    (uint64_t)(uintptr_t)vp->v_mount & 0xffffffffu, ust));
}

static int64_t
do_fstatat(struct lwp *l, int dirfd, uint64_t upath, uint64_t ust, int flags)
{
	char *path;
	struct nameidata nd;
	struct vnode *vp;
	int error;

	if ((flags & LT_AT_EMPTY_PATH) != 0) {
		char c;

		if (copyin(l, upath, &c, 1) == 0 && c == '\0') {
			if ((error = fd_vnode(l, dirfd, &vp)) != 0)
				return (-error);
			error = stat_out(l, vp, ust);
			vrele(vp);
			return (-error);
		}
	}
	if ((path = kmalloc(VFS_PATH_MAX)) == NULL)
		return (-ENOMEM);
	error = namei_at(l, dirfd, upath,
	    (flags & LT_AT_SYMLINK_NOFOLLOW) ? 0 : NAMEI_FOLLOW, &nd, path);
	kfree(path);
	if (error != 0)
		return (-error);
	error = stat_out(l, nd.ni_vp, ust);
	vrele(nd.ni_vp);
	return (-error);
}

int64_t
sys_stat(struct lwp *l, const uint64_t *a)
{
	return (do_fstatat(l, LT_AT_FDCWD, a[0], a[1], 0));
}

int64_t
sys_lstat(struct lwp *l, const uint64_t *a)
{
	return (do_fstatat(l, LT_AT_FDCWD, a[0], a[1], LT_AT_SYMLINK_NOFOLLOW));
}

int64_t
sys_newfstatat(struct lwp *l, const uint64_t *a)
{
	return (do_fstatat(l, (int)a[0], a[1], a[2], (int)a[3]));
}

int64_t
sys_fstat(struct lwp *l, const uint64_t *a)
{
	struct file *fp;
	struct vattr va;
	int error;

	if ((error = fd_get(l->l_proc->p_fd, (int)a[0], &fp)) != 0)
		return (-error);
	if (fp->f_ops == &vnops_file)
		error = stat_out(l, fp->f_data, a[1]);
	else if (fp->f_ops->fo_stat == NULL)
		error = EBADF;
	else if ((error = fp->f_ops->fo_stat(fp, &va)) == 0)
		error = stat_copyout(l, &va, 0, a[1]);
	fdrop(fp);
	return (-error);
}
