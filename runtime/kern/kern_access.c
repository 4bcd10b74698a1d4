/*
 * kern_access.c - file permissions with the process credentials: the
 * owner, group and other bits of a file's mode as BSD's vaccess() reads
 * them.
 *
 * The superuser (uid 0) may read and write anything and search any
 * directory, and may execute a file that has at least one execute bit.
 * Others get the owner's bits when they own the file, else the group's
 * when the file's group is their effective group or one of their
 * supplementary groups, else the other bits.
 */
#include <errno.h>

#include "runtime/kern/kern.h"
#include "runtime/kern/proc.h"
#include "runtime/vfs/vfs.h"

bool
proc_groupmember(const struct proc *p, uint32_t gid)
{
	if (gid == p->p_egid)
		return (true);
	for (int i = 0; i < p->p_ngroups; i++)
		if (p->p_groups[i] == gid)
			return (true);
	return (false);
}

int
vaccess_cred(const struct vattr *va, uint32_t uid, const struct proc *p,
    int mode)
{
	uint32_t bits;

	if (uid == 0) {
		if ((mode & VACCESS_EXEC) && va->va_type != VDIR &&
		    (va->va_mode & 0111) == 0)
			return (EACCES);
		return (0);
	}
	if (va->va_uid == uid)
		bits = (va->va_mode >> 6) & 7;
	else if (proc_groupmember(p, va->va_gid))
		bits = (va->va_mode >> 3) & 7;
	else
		bits = va->va_mode & 7;
	return ((bits & (uint32_t)mode) == (uint32_t)mode ? 0 : EACCES);
}

int
vn_access(struct vnode *vp, const struct proc *p, int mode)
{
	struct vattr va;
	int error;

	if (p == NULL)
		return (0); /* the kernel itself */
	if ((error = VOP_GETATTR(vp, &va)) != 0)
		return (error);
	return (vaccess_cred(&va, p->p_euid, p, mode));
}

int
vn_search(struct vnode *dir, void *proc)
{
	return (vn_access(dir, proc, VACCESS_EXEC));
}
