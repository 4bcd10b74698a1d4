/*
 * vfs_vnode.c - vnodes: creation, the table that keeps them unique, and
 * reference counting.
 *
 * While a vnode is referenced it is the only one for its (mount, inode)
 * pair, so a directory a file system is mounted on is recognised by its
 * vnode, and two opens of a file share state.  Unreferenced vnodes are
 * not cached: the last vrele() hands the vnode to the file system's
 * vop_inactive and frees it.  XXX A cache of unreferenced vnodes is a
 * later performance step.
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/vfs/vfs.h"

#define VNODE_HASH 256

static struct vnode *vnode_table[VNODE_HASH];
static int vnodes_live;

static unsigned
vnode_hash(const struct mount *mp, uint64_t ino)
{
	uint64_t h = (uint64_t)(uintptr_t)mp * 0x9e3779b97f4a7c15ULL ^ ino;

	return ((unsigned)(h ^ (h >> 29)) % VNODE_HASH);
}

struct vnode *
vfs_vget(struct mount *mp, uint64_t ino)
{
	struct vnode *vp;

	for (vp = vnode_table[vnode_hash(mp, ino)]; vp != NULL;
	     vp = vp->v_hnext) {
		if (vp->v_mount == mp && vp->v_ino == ino) {
			vp->v_refcnt++;
			return (vp);
		}
	}
	return (NULL);
}

int
vnode_new(struct mount *mp, uint64_t ino, enum vtype type,
    const struct vnodeops *ops, void *data, struct vnode **vpp)
{
	struct vnode *vp;
	unsigned h;

	if ((vp = vfs_vget(mp, ino)) != NULL) {
		vrele(vp);
		return (EEXIST);
	}
	if ((vp = kmalloc(sizeof(*vp))) == NULL)
		return (ENOMEM);
	vp->v_type = type;
	vp->v_op = ops;
	vp->v_mount = mp;
	vp->v_ino = ino;
	vp->v_data = data;
	vp->v_refcnt = 1;
	h = vnode_hash(mp, ino);
	vp->v_hnext = vnode_table[h];
	vnode_table[h] = vp;
	vnodes_live++;
	*vpp = vp;
	return (0);
}

void
vref(struct vnode *vp)
{
	if (vp->v_refcnt <= 0)
		panic("vref: vnode %p has no references", (void *)vp);
	vp->v_refcnt++;
}

void
vrele(struct vnode *vp)
{
	struct vnode **pp;

	if (vp->v_refcnt <= 0)
		panic("vrele: vnode %p has no references", (void *)vp);
	if (--vp->v_refcnt > 0)
		return;
	pp = &vnode_table[vnode_hash(vp->v_mount, vp->v_ino)];
	while (*pp != NULL && *pp != vp)
		pp = &(*pp)->v_hnext;
	if (*pp == NULL)
		panic("vrele: vnode %p is not in the table", (void *)vp);
	*pp = vp->v_hnext;
	if (vp->v_op->vop_inactive != NULL)
		vp->v_op->vop_inactive(vp);
	vnodes_live--;
	kfree(vp);
}

int
vnode_count(void)
{
	return (vnodes_live);
}

int
vfs_vnode_foreach(struct mount *mp, int (*fn)(struct vnode *, void *),
    void *arg)
{
	struct vnode *vp;
	int i, error;

	for (i = 0; i < VNODE_HASH; i++)
		for (vp = vnode_table[i]; vp != NULL; vp = vp->v_hnext)
			if (vp->v_mount == mp && (error = fn(vp, arg)) != 0)
				return (error);
	return (0);
}
