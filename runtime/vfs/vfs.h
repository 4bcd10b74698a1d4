/*
 * vfs.h - the virtual file system layer's contract: vnodes and their
 * operations, mounts, transfers (uio) and path name lookup (namei).
 *
 * A file system provides a struct vfs_type (how to mount it) and a struct
 * vnodeops table, written with designated initializers; an operation it
 * leaves NULL answers EOPNOTSUPP through the VOP_*() wrappers below.
 * Vnodes are reference counted and unique per (mount, inode number) while
 * referenced: vfs_vget() finds a live one, vnode_new() enters a new one,
 * and the last vrele() calls the file system's vop_inactive.
 *
 * Locking: XXX every function here expects the caller to serialise VFS
 * work (the kernel lock that the processes issue introduces); there are
 * no per-vnode locks yet.
 */
#ifndef RUNTIME_VFS_VFS_H
#define RUNTIME_VFS_VFS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VFS_NAME_MAX	255  /* bytes in one path component */
#define VFS_PATH_MAX	4096 /* bytes in a path, with its NUL */
#define VFS_MAXSYMLINKS 32   /* symbolic links followed in one lookup */

enum vtype {
	VNON,
	VREG,
	VDIR,
	VBLK,
	VCHR,
	VLNK,
	VFIFO,
	VSOCK
};

struct vfs_timespec {
	int64_t sec;
	int64_t nsec;
};

/* Attributes of a file, as stat(2) reports them. */
struct vattr {
	enum vtype va_type;
	uint32_t va_mode; /* permission bits, 07777 */
	uint32_t va_nlink;
	uint32_t va_uid;
	uint32_t va_gid;
	uint64_t va_size;
	uint64_t va_blocks; /* 512-byte blocks allocated */
	uint64_t va_ino;
	uint64_t va_rdev; /* device number of a VCHR/VBLK */
	uint64_t va_fsid;
	uint32_t va_blksize;
	struct vfs_timespec va_atime, va_mtime, va_ctime;
};

/* A transfer between a vnode and a buffer somewhere (kernel or user). */
enum uio_rw {
	UIO_READ,
	UIO_WRITE
};
struct uio {
	enum uio_rw uio_rw;  /* READ: from the vnode into the buffer */
	uint64_t uio_offset; /* position in the vnode */
	size_t uio_resid;    /* bytes still to move */
	/*
	 * Moves n bytes between kbuf and the buffer at the transfer's
	 * current point (done bytes in); returns 0 or an errno value.
	 */
	int (*uio_move)(struct uio *uio, void *kbuf, size_t n, size_t done);
	void *uio_arg;	 /* the buffer, for uio_move */
	size_t uio_done; /* bytes moved so far */
};

/* Sets up a transfer to or from a kernel buffer. */
void uio_init_kernel(struct uio *uio, enum uio_rw rw, void *buf, size_t len,
    uint64_t offset);
/*
 * Moves up to n bytes between kbuf and the transfer, advancing it; a READ
 * copies kbuf out, a WRITE copies into kbuf.  Returns 0 or an errno.
 */
int uiomove(void *kbuf, size_t n, struct uio *uio);

struct mount;
struct vnode;

/*
 * Called by vop_readdir for each entry; returns nonzero to stop (the
 * caller's buffer is full), in which case the entry was not taken and the
 * cookie must stay before it.
 */
typedef int vfs_filldir_fn(void *arg, uint64_t ino, enum vtype type,
    const char *name, size_t namelen, uint64_t next_cookie);

struct vnodeops {
	/* Finds name (len bytes, never "." or "..": namei handles ".",
	 * and ".." is asked for only as ".."); *vpp is referenced. */
	int (*vop_lookup)(struct vnode *dvp, const char *name, size_t len,
	    struct vnode **vpp);
	int (*vop_getattr)(struct vnode *vp, struct vattr *va);
	int (*vop_read)(struct vnode *vp, struct uio *uio);
	int (*vop_write)(struct vnode *vp, struct uio *uio, int ioflag);
	/* Reports entries from *cookie on, updating it. */
	int (*vop_readdir)(struct vnode *vp, uint64_t *cookie,
	    vfs_filldir_fn *fill, void *arg);
	int (*vop_readlink)(struct vnode *vp, struct uio *uio);
	int (*vop_create)(struct vnode *dvp, const char *name, size_t len,
	    const struct vattr *va, struct vnode **vpp);
	int (*vop_mkdir)(struct vnode *dvp, const char *name, size_t len,
	    const struct vattr *va, struct vnode **vpp);
	int (*vop_symlink)(struct vnode *dvp, const char *name, size_t len,
	    const struct vattr *va, const char *target, struct vnode **vpp);
	int (*vop_remove)(struct vnode *dvp, const char *name, size_t len,
	    struct vnode *vp);
	int (*vop_rmdir)(struct vnode *dvp, const char *name, size_t len,
	    struct vnode *vp);
	int (*vop_fsync)(struct vnode *vp);
	/* An open(2) of the file with Linux O_* flags: devices may refuse. */
	int (*vop_open)(struct vnode *vp, int flags);
	/* A device request; data is a kernel copy of the argument. */
	int (*vop_ioctl)(struct vnode *vp, unsigned long cmd, void *data);
	/* Which of the POLL* events are ready now (none: always ready). */
	int (*vop_poll)(struct vnode *vp, int events);
	/* The last reference went away: release the file system's state. */
	void (*vop_inactive)(struct vnode *vp);
};

struct vnode {
	enum vtype v_type;
	const struct vnodeops *v_op;
	struct mount *v_mount;	     /* the file system it belongs to */
	struct mount *v_mountedhere; /* a file system mounted on it */
	uint64_t v_ino;		     /* identity within v_mount */
	void *v_data;		     /* the file system's own */
	int v_refcnt;
	struct vnode *v_hnext; /* vnode table chain */
};

/* A file system type. */
struct vfs_type {
	const char *name; /* "ufs", "cd9660", "devfs" */
	/* Mounts from (a device name, or anything the type wants) on mp,
	 * setting mp->mnt_root (referenced) and mp->mnt_data. */
	int (*vfs_mount)(struct mount *mp, const char *from);
	int (*vfs_unmount)(struct mount *mp);
	int (*vfs_sync)(struct mount *mp);
};

#define MNT_RDONLY 0x1

struct mount {
	const struct vfs_type *mnt_type;
	struct vnode *mnt_root;	   /* referenced */
	struct vnode *mnt_covered; /* referenced; NULL for the root */
	void *mnt_data;
	int mnt_flags;
	char mnt_from[64];
	char mnt_on[256]; /* where it is mounted, for /proc/mounts */
	struct mount *mnt_next;
};

/* File system types built in; kern_boot.c registers them. */
extern const struct vfs_type cd9660_vfstype;
extern const struct vfs_type procfs_vfstype;
extern const struct vfs_type procfs_linux_vfstype;

/* The root of everything (set by vfs_mount_root). */
extern struct vnode *rootvnode;

/* Vnodes (vfs_vnode.c). */
int vnode_new(struct mount *mp, uint64_t ino, enum vtype type,
    const struct vnodeops *ops, void *data, struct vnode **vpp);
struct vnode *vfs_vget(struct mount *mp, uint64_t ino);
void vref(struct vnode *vp);
void vrele(struct vnode *vp);
int vnode_count(void); /* live vnodes, for tests and ddb */

/* Mounts (vfs_mount.c). */
/* Makes a type mountable by name; EEXIST, ENOSPC. */
int vfs_register(const struct vfs_type *type);
const struct vfs_type *vfs_type_find(const char *name);
/* Mounts a type on the directory vnode covered (NULL: as the root). */
int vfs_mount(const struct vfs_type *type, const char *from, int flags,
    struct vnode *covered, struct mount **mpp);
int vfs_unmount(struct mount *mp);
struct mount *vfs_mount_first(void); /* the mount list, root first */

/* Path name lookup (vfs_lookup.c). */
#define NAMEI_FOLLOW	 0x01 /* follow a symbolic link at the end */
#define NAMEI_WANTPARENT 0x02 /* return the parent; the last may not exist */

struct nameidata {
	const char *ni_path;		/* in: the path */
	int ni_flags;			/* in: NAMEI_* */
	struct vnode *ni_startdir;	/* in: for relative paths (cwd) */
	struct vnode *ni_rootdir;	/* in: "/" and the top of ".." */
	struct vnode *ni_vp;		/* out: the file (referenced) */
	struct vnode *ni_dvp;		/* out: its directory (WANTPARENT) */
	char ni_last[VFS_NAME_MAX + 1]; /* out: the last component */
	size_t ni_lastlen;
};

/*
 * Looks up nd->ni_path.  Returns 0 with ni_vp referenced (with
 * NAMEI_WANTPARENT also ni_dvp referenced, and ni_vp NULL when the last
 * component does not exist), or ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP or an
 * error of the file systems.
 */
int namei(struct nameidata *nd);

/* Operation wrappers: EOPNOTSUPP for what a file system leaves out. */
static inline int
VOP_LOOKUP(struct vnode *dvp, const char *name, size_t len, struct vnode **vpp)
{
	return (dvp->v_op->vop_lookup != NULL ?
		dvp->v_op->vop_lookup(dvp, name, len, vpp) :
		EOPNOTSUPP);
}

static inline int
VOP_GETATTR(struct vnode *vp, struct vattr *va)
{
	return (vp->v_op->vop_getattr != NULL ? vp->v_op->vop_getattr(vp, va) :
						EOPNOTSUPP);
}

static inline int
VOP_READ(struct vnode *vp, struct uio *uio)
{
	return (vp->v_op->vop_read != NULL ? vp->v_op->vop_read(vp, uio) :
					     EOPNOTSUPP);
}

static inline int
VOP_WRITE(struct vnode *vp, struct uio *uio, int ioflag)
{
	return (vp->v_op->vop_write != NULL ?
		vp->v_op->vop_write(vp, uio, ioflag) :
		EOPNOTSUPP);
}

static inline int
VOP_READDIR(struct vnode *vp, uint64_t *cookie, vfs_filldir_fn *fill, void *arg)
{
	return (vp->v_op->vop_readdir != NULL ?
		vp->v_op->vop_readdir(vp, cookie, fill, arg) :
		EOPNOTSUPP);
}

static inline int
VOP_READLINK(struct vnode *vp, struct uio *uio)
{
	return (vp->v_op->vop_readlink != NULL ?
		vp->v_op->vop_readlink(vp, uio) :
		EOPNOTSUPP);
}

static inline int
VOP_OPEN(struct vnode *vp, int flags)
{
	return (vp->v_op->vop_open != NULL ? vp->v_op->vop_open(vp, flags) : 0);
}

static inline int
VOP_IOCTL(struct vnode *vp, unsigned long cmd, void *data)
{
	return (vp->v_op->vop_ioctl != NULL ?
		vp->v_op->vop_ioctl(vp, cmd, data) :
		ENOTTY);
}

/* poll(2) events (Linux values). */
#define POLLIN	 0x001
#define POLLPRI	 0x002
#define POLLOUT	 0x004
#define POLLERR	 0x008
#define POLLHUP	 0x010
#define POLLNVAL 0x020

static inline int
VOP_POLL(struct vnode *vp, int events)
{
	/* Files and directories never block: they are always ready. */
	return (vp->v_op->vop_poll != NULL ? vp->v_op->vop_poll(vp, events) :
					     events & (POLLIN | POLLOUT));
}

static inline int
VOP_FSYNC(struct vnode *vp)
{
	return (vp->v_op->vop_fsync != NULL ? vp->v_op->vop_fsync(vp) : 0);
}

#endif /* RUNTIME_VFS_VFS_H */
