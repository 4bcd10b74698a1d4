/*
 * sys_mount.c - mount(2) and umount2(2): a file system type by name on a
 * directory, MS_RDONLY, and MS_REMOUNT (BSD's mount -u) through the
 * type's vfs_remount.  /proc/mounts shows where each is mounted as the
 * absolute path given.  XXX Bind mounts (MS_BIND) are not offered.
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/file.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/syscall_private.h"
#include "runtime/sys/linux_fcntl.h"

#define LT_MS_RDONLY  1
#define LT_MS_REMOUNT 32

/* mount -u: a mounted file system goes read-only or read-write. */
static int
remount(struct lwp *l, uint64_t utarget, int flags, char *path)
{
	struct nameidata nd;
	struct mount *mp;
	int error;

	if ((error = namei_at(l, LT_AT_FDCWD, utarget, NAMEI_FOLLOW, &nd,
		 path)) != 0)
		return (error);
	mp = nd.ni_vp->v_mount;
	if (nd.ni_vp != mp->mnt_root)
		error = EINVAL; /* not a mount point */
	else if ((mp->mnt_flags & MNT_RDONLY) == flags)
		error = 0;
	else if (mp->mnt_type->vfs_remount == NULL)
		error = (flags & MNT_RDONLY) ? EBUSY : EROFS;
	else
		error = mp->mnt_type->vfs_remount(mp, flags);
	vrele(nd.ni_vp);
	return (error);
}

int64_t
sys_mount(struct lwp *l, const uint64_t *a)
{
	char *target, *from, fstype[32];
	const struct vfs_type *type;
	struct nameidata nd;
	struct mount *mp;
	int error;

	if ((target = kmalloc(2 * VFS_PATH_MAX)) == NULL)
		return (-ENOMEM);
	from = target + VFS_PATH_MAX;
	if (a[3] & LT_MS_REMOUNT) {
		error = remount(l, a[1], (a[3] & LT_MS_RDONLY) ? MNT_RDONLY : 0,
		    target);
		goto out;
	}
	if ((error = copyinstr(l, a[2], fstype, sizeof(fstype))) != 0 ||
	    (error = (a[0] != 0 ? copyinstr(l, a[0], from, 64) :
				  (from[0] = '\0', 0))) != 0)
		goto out;
	if ((type = vfs_type_find(fstype)) == NULL) {
		error = ENODEV;
		goto out;
	}
	/* XXX Bind mounts (MS_BIND) come later. */
	if ((error = namei_at(l, LT_AT_FDCWD, a[1], NAMEI_FOLLOW, &nd,
		 target)) != 0)
		goto out;
	error = vfs_mount(type, from, (a[3] & LT_MS_RDONLY) ? MNT_RDONLY : 0,
	    nd.ni_vp, &mp);
	if (error == 0) {
		/* Where, for /proc/mounts: the path as given, made absolute. */
		strcpy(mp->mnt_on, l->l_proc->p_fd->fd_cwd);
		if (cwd_join(mp->mnt_on, target) != 0 ||
		    strlen(mp->mnt_on) >= sizeof(mp->mnt_on))
			strcpy(mp->mnt_on, "?");
	}
	vrele(nd.ni_vp);
out:
	kfree(target);
	return (-error);
}

int64_t
sys_umount2(struct lwp *l, const uint64_t *a)
{
	struct nameidata nd;
	struct mount *mp;
	char *path;
	int error;

	if ((path = kmalloc(VFS_PATH_MAX)) == NULL)
		return (-ENOMEM);
	error = namei_at(l, LT_AT_FDCWD, a[0], NAMEI_FOLLOW, &nd, path);
	kfree(path);
	if (error != 0)
		return (-error);
	mp = nd.ni_vp->v_mount;
	if (nd.ni_vp != mp->mnt_root)
		error = EINVAL; /* not a mount point */
	vrele(nd.ni_vp);
	if (error == 0)
		error = vfs_unmount(mp);
	return (-error);
}
