/*
 * ufs_kern.h - what the kernel's UFS glue shares between its files:
 * ufs_vfs.c (vnode operations), ufs_vfsmnt.c (mount operations) and
 * ufs_kio.c (the library's I/O and memory callbacks over the buffer
 * cache).  Not used by the host tools.
 */
#ifndef RUNTIME_VFS_UFS_UFS_KERN_H
#define RUNTIME_VFS_UFS_UFS_KERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/dev/dev.h"
#include "runtime/vfs/ufs/ufs.h"
#include "runtime/vfs/vfs.h"

#define UFS_ROOTINO 2
#define UFS_CHUNK   65536
#define UFS_MAGIC   0x00011954 /* Linux's f_type for UFS */

/* A mounted file system: the library's mount and its partition. */
struct ufs_kmount {
	struct ufs_mount um;
	struct diskpart *dp;
};

static inline struct ufs_mount *
ump(const struct vnode *vp)
{
	return (&((struct ufs_kmount *)vp->v_mount->mnt_data)->um);
}

static inline struct ufs_inode *
uip(const struct vnode *vp)
{
	return (vp->v_data);
}

/* The kernel's own credentials (no process): root. */
extern const struct ufs_cred ufs_root_cred;

/* ufs_vfs.c: the vnode of inode ino, loaded from the disk unless live. */
int ufs_vget(struct mount *mp, uint32_t ino, struct vnode **vpp);

/* ufs_kio.c: the callbacks of a mount on dp. */
void ufs_kio_init(struct ufs_io *io, struct diskpart *dp);
/* Buffers kept for reuse (zero: zeroed as kmalloc's are). */
void *ufs_pool_alloc(size_t len, bool zero);
void ufs_pool_free(void *p);
/*
 * A read(2) of file data into buf (len bytes) on dp: the library's block
 * reads that land in buf go straight from the image, merged; end says
 * when ufs_read() has returned (0 or the error of the pending read).
 */
void ufs_read_begin(struct diskpart *dp, void *buf, size_t len);
int ufs_read_end(void);

#endif /* RUNTIME_VFS_UFS_UFS_KERN_H */
