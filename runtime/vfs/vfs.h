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

/* Changes asked of vop_setattr: the fields va_valid names (VA_*). */
#define VA_MODE	 0x01
#define VA_UID	 0x02
#define VA_GID	 0x04
#define VA_SIZE	 0x08
#define VA_ATIME 0x10
#define VA_MTIME 0x20
struct vattr_change {
	uint32_t va_valid;
	uint32_t va_mode;
	uint32_t va_uid, va_gid;
	uint64_t va_size;
	struct vfs_timespec va_atime, va_mtime;
	bool va_now; /* the times are "now" (utimensat without times) */
};

/* What statfs(2) reports of a mounted file system. */
struct vfs_statfs {
	uint64_t f_bsize;  /* unit of the block counts */
	uint64_t f_iosize; /* best transfer size */
	uint64_t f_blocks, f_bfree, f_bavail;
	uint64_t f_files, f_ffree;
	uint64_t f_namemax;
	uint32_t f_magic; /* Linux's f_type for the kind */
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
	/* The kind's fill form (see uiomove_fill), or NULL. */
	int (*uio_fill)(struct uio *uio, size_t n, size_t done,
	    int (*fill)(void *, void *, size_t, size_t *), void *arg,
	    size_t *moved);
};

/* Sets up a transfer to or from a kernel buffer. */
void uio_init_kernel(struct uio *uio, enum uio_rw rw, void *buf, size_t len,
    uint64_t offset);
/*
 * Moves up to n bytes between kbuf and the transfer, advancing it; a READ
 * copies kbuf out, a WRITE copies into kbuf.  Returns 0 or an errno.
 */
int uiomove(void *kbuf, size_t n, struct uio *uio);

/*
 * A source of bytes for uiomove_fill(): stores up to len bytes at dst and
 * their count in *done; fewer than len (0 included) means there are no
 * more.  Returns 0 or an errno value.  dst may be memory a guest can
 * write: the filler must not read back what it stored.
 */
typedef int uio_fill_fn(void *arg, void *dst, size_t len, size_t *done);
/*
 * Moves up to n bytes into a READ transfer from fill, called with pieces
 * of the destination itself where the transfer's kind allows (a kernel
 * buffer; a guest's memory through the backend's bounce buffer) so that
 * the bytes are not copied through a kernel buffer first; stops early
 * when fill gives fewer bytes than it was asked for.  The transfer
 * advances by what was moved, also when an error is returned (fill's,
 * or EFAULT).  EINVAL for a WRITE transfer.  Kernel lock held.
 */
int uiomove_fill(struct uio *uio, size_t n, uio_fill_fn *fill, void *arg);
/*
 * The fill form of a transfer kind (its uio_fill): moves up to n bytes
 * from fill to the transfer's buffer at done bytes in and stores the
 * count moved in *moved (as uiomove_fill).  Kinds without one (uio_fill
 * NULL) go through a kernel buffer.
 */
typedef int uio_move_fill_fn(struct uio *uio, size_t n, size_t done,
    uio_fill_fn *fill, void *arg, size_t *moved);

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
	/* Links vp (not a directory) as name in dvp. */
	int (*vop_link)(struct vnode *dvp, const char *name, size_t len,
	    struct vnode *vp);
	/* Renames fname (fvp) in fdvp to tname in tdvp, replacing tvp
	 * (NULL when tname does not exist); all on one mount. */
	int (*vop_rename)(struct vnode *fdvp, const char *fname, size_t flen,
	    struct vnode *fvp, struct vnode *tdvp, const char *tname,
	    size_t tlen, struct vnode *tvp);
	int (*vop_setattr)(struct vnode *vp, const struct vattr_change *vc);
	int (*vop_fsync)(struct vnode *vp);
	/* lseek(2) to *offp: a device may refuse (ESPIPE) or pin the offset
	 * (the null device stays at 0); NULL: any offset. */
	int (*vop_seek)(struct vnode *vp, int64_t *offp);
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
	int (*vfs_statfs)(struct mount *mp, struct vfs_statfs *sf);
	/* mount -u: to or from read-only (flags: the new MNT_*). */
	int (*vfs_remount)(struct mount *mp, int flags);
};

#define MNT_RDONLY 0x1
#define MNT_DEAD   0x2 /* unmounted at halt: no more use */

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
extern const struct vfs_type ufs_vfstype;
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
/*
 * Calls fn(vp, arg) for each live vnode of mp until one returns nonzero,
 * which is returned (0 when all were seen).  fn must not release vnodes.
 */
int vfs_vnode_foreach(struct mount *mp, int (*fn)(struct vnode *, void *),
    void *arg);

/* Mounts (vfs_mount.c). */
/* Makes a type mountable by name; EEXIST, ENOSPC. */
int vfs_register(const struct vfs_type *type);
const struct vfs_type *vfs_type_find(const char *name);
/* Mounts a type on the directory vnode covered (NULL: as the root). */
int vfs_mount(const struct vfs_type *type, const char *from, int flags,
    struct vnode *covered, struct mount **mpp);
int vfs_unmount(struct mount *mp);
/* sync(2): every mount's vfs_sync; 0 or the first error. */
int vfs_sync_all(void);
/*
 * At halt: every file system writes what it holds and is left clean
 * (vfs_unmount of each type, root included, without the busy checks);
 * nothing may use the mounts afterwards.
 */
void vfs_shutdown_all(void);
struct mount *vfs_mount_first(void); /* the mount list, root first */

/* Path name lookup (vfs_lookup.c). */
#define NAMEI_FOLLOW	 0x01 /* follow a symbolic link at the end */
#define NAMEI_WANTPARENT 0x02 /* return the parent; the last may not exist */

struct nameidata {
	const char *ni_path;	   /* in: the path */
	int ni_flags;		   /* in: NAMEI_* */
	struct vnode *ni_startdir; /* in: for relative paths (cwd) */
	struct vnode *ni_rootdir;  /* in: "/" and the top of ".." */
	/* in: may the caller search directory dir?  0 or an errno (EACCES);
	 * NULL: no checks (the kernel's own lookups). */
	int (*ni_search)(struct vnode *dir, void *arg);
	void *ni_searcharg;
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
/*
 * Writes the absolute path of directory vp as seen from root into buf
 * (size bytes), finding each directory's name in its parent's entries.
 * Returns 0, ENOENT when vp is not below root (or a name is not found),
 * ENAMETOOLONG, ERANGE, or an error of the file systems.
 */
int vfs_getpath(struct vnode *vp, struct vnode *root, char *buf, size_t size);

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
VOP_SEEK(struct vnode *vp, int64_t *offp)
{
	return (vp->v_op->vop_seek != NULL ? vp->v_op->vop_seek(vp, offp) : 0);
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
VOP_CREATE(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	return (dvp->v_op->vop_create != NULL ?
		dvp->v_op->vop_create(dvp, name, len, va, vpp) :
		EOPNOTSUPP);
}

static inline int
VOP_MKDIR(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, struct vnode **vpp)
{
	return (dvp->v_op->vop_mkdir != NULL ?
		dvp->v_op->vop_mkdir(dvp, name, len, va, vpp) :
		EOPNOTSUPP);
}

static inline int
VOP_SYMLINK(struct vnode *dvp, const char *name, size_t len,
    const struct vattr *va, const char *target, struct vnode **vpp)
{
	return (dvp->v_op->vop_symlink != NULL ?
		dvp->v_op->vop_symlink(dvp, name, len, va, target, vpp) :
		EOPNOTSUPP);
}

static inline int
VOP_REMOVE(struct vnode *dvp, const char *name, size_t len, struct vnode *vp)
{
	return (dvp->v_op->vop_remove != NULL ?
		dvp->v_op->vop_remove(dvp, name, len, vp) :
		EOPNOTSUPP);
}

static inline int
VOP_RMDIR(struct vnode *dvp, const char *name, size_t len, struct vnode *vp)
{
	return (dvp->v_op->vop_rmdir != NULL ?
		dvp->v_op->vop_rmdir(dvp, name, len, vp) :
		EOPNOTSUPP);
}

static inline int
VOP_LINK(struct vnode *dvp, const char *name, size_t len, struct vnode *vp)
{
	return (dvp->v_op->vop_link != NULL ?
		dvp->v_op->vop_link(dvp, name, len, vp) :
		EOPNOTSUPP);
}

static inline int
VOP_RENAME(struct vnode *fdvp, const char *fname, size_t flen,
    struct vnode *fvp, struct vnode *tdvp, const char *tname, size_t tlen,
    struct vnode *tvp)
{
	return (fdvp->v_op->vop_rename != NULL ?
		fdvp->v_op->vop_rename(fdvp, fname, flen, fvp, tdvp, tname,
		    tlen, tvp) :
		EOPNOTSUPP);
}

static inline int
VOP_SETATTR(struct vnode *vp, const struct vattr_change *vc)
{
	return (vp->v_op->vop_setattr != NULL ? vp->v_op->vop_setattr(vp, vc) :
						EOPNOTSUPP);
}

static inline int
VOP_FSYNC(struct vnode *vp)
{
	return (vp->v_op->vop_fsync != NULL ? vp->v_op->vop_fsync(vp) : 0);
}

#endif /* RUNTIME_VFS_VFS_H */
