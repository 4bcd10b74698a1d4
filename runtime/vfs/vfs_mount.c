/*
 * vfs_mount.c - file system types and the mount list.
 *
 * Mounting makes a type's root vnode appear in place of a directory (the
 * covered vnode); namei crosses from the covered vnode to the mount's
 * root going down, and back up on "..".  The first mount without a
 * covered vnode becomes the root of everything.
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/vfs/vfs.h"

struct vnode *rootvnode;
static struct mount *mount_list;

/* The file system types, registered at boot by kern_boot.c. */
#define VFS_TYPES_MAX 8
static const struct vfs_type *vfs_types[VFS_TYPES_MAX];
static int vfs_ntypes;

int
vfs_register(const struct vfs_type *type)
{
	if (vfs_type_find(type->name) != NULL)
		return (EEXIST);
	if (vfs_ntypes == VFS_TYPES_MAX)
		return (ENOSPC);
	vfs_types[vfs_ntypes++] = type;
	return (0);
}

const struct vfs_type *
vfs_type_find(const char *name)
{
	int i;

	for (i = 0; i < vfs_ntypes; i++)
		if (strcmp(vfs_types[i]->name, name) == 0)
			return (vfs_types[i]);
	return (NULL);
}

int
vfs_mount(const struct vfs_type *type, const char *from, int flags,
    struct vnode *covered, struct mount **mpp)
{
	struct mount *mp, **pp;
	int error;

	if (covered != NULL) {
		if (covered->v_type != VDIR)
			return (ENOTDIR);
		if (covered->v_mountedhere != NULL)
			return (EBUSY);
	} else if (rootvnode != NULL)
		return (EBUSY);
	if ((mp = kmalloc(sizeof(*mp))) == NULL)
		return (ENOMEM);
	mp->mnt_type = type;
	mp->mnt_flags = flags;
	strncpy(mp->mnt_from, from, sizeof(mp->mnt_from) - 1);
	if (covered == NULL)
		strcpy(mp->mnt_on, "/");
	if ((error = type->vfs_mount(mp, from)) != 0) {
		kfree(mp);
		return (error);
	}
	if (mp->mnt_root == NULL || mp->mnt_root->v_type != VDIR)
		panic("vfs_mount: %s gave no root directory", type->name);
	if (covered != NULL) {
		vref(covered);
		mp->mnt_covered = covered;
		covered->v_mountedhere = mp;
	} else {
		vref(mp->mnt_root);
		rootvnode = mp->mnt_root;
	}
	for (pp = &mount_list; *pp != NULL; pp = &(*pp)->mnt_next)
		;
	*pp = mp;
	if (mpp != NULL)
		*mpp = mp;
	return (0);
}

static int
other_than_root(struct vnode *vp, void *arg)
{
	const struct mount *mp = arg;

	return (vp != mp->mnt_root);
}

int
vfs_sync_all(void)
{
	struct mount *mp;
	int error, first = 0;

	for (mp = mount_list; mp != NULL; mp = mp->mnt_next)
		if (mp->mnt_type->vfs_sync != NULL &&
		    (error = mp->mnt_type->vfs_sync(mp)) != 0 && first == 0)
			first = error;
	return (first);
}

void
vfs_shutdown_all(void)
{
	struct mount *mp;

	for (mp = mount_list; mp != NULL; mp = mp->mnt_next)
		if (mp->mnt_type->vfs_unmount != NULL &&
		    !(mp->mnt_flags & MNT_DEAD) &&
		    mp->mnt_type->vfs_unmount(mp) == 0)
			mp->mnt_flags |= MNT_DEAD;
}

int
vfs_unmount(struct mount *mp)
{
	struct mount **pp;
	int error;

	if (mp->mnt_covered == NULL)
		return (EBUSY); /* the root stays until halt */
	/* Busy while anything but the mount itself holds its root, or any
	 * other vnode of it is in use. */
	if (mp->mnt_root->v_refcnt > 1 ||
	    vfs_vnode_foreach(mp, other_than_root, mp) != 0)
		return (EBUSY);
	if (mp->mnt_type->vfs_unmount != NULL &&
	    (error = mp->mnt_type->vfs_unmount(mp)) != 0)
		return (error);
	for (pp = &mount_list; *pp != mp; pp = &(*pp)->mnt_next)
		;
	*pp = mp->mnt_next;
	mp->mnt_covered->v_mountedhere = NULL;
	vrele(mp->mnt_covered);
	vrele(mp->mnt_root);
	kfree(mp);
	return (0);
}

struct mount *
vfs_mount_first(void)
{
	return (mount_list);
}
