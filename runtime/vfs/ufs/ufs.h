/*
 * ufs.h - the UFS1 (4.4BSD FFS, as DragonFly has it) file system library:
 * read-write access to a file system image through caller-supplied I/O
 * and memory callbacks.  The kernel wraps it in its VFS (with a buffer
 * cache under the callbacks); the host tool mount_ufs(8) wraps it in FUSE;
 * the unit tests and the fuzz target drive it directly.
 *
 * Ownership.  The caller owns every structure: the mount (struct
 * ufs_mount) and the in-core inodes (struct ufs_inode, one per inode in
 * use, as a vnode holds one).  The library keeps no hidden state.  An
 * operation that changes an inode changes the caller's copy and writes it
 * to the disk before it returns, so the caller must pass the one copy it
 * holds for each inode involved (parent, child, rename's four).
 *
 * Serialisation.  The caller serialises all calls on one mount (the
 * kernel holds a per-mount lock); nothing here is reentrant per mount.
 *
 * I/O granularity.  Every read and write through struct ufs_io is at a
 * byte offset (relative to the start of the partition) and of a length
 * that are multiples of the fragment size fs_fsize, except the superblock,
 * which is read and written as the SBSIZE (8192) bytes at SBOFF (8192).
 * fs_fsize is at least 512, so every transfer is a multiple of 512 bytes
 * at a 512-byte aligned offset; with fs_fsize up to 8192 the superblock
 * transfer is fragment-aligned as well.  A transfer is at most fs_bsize
 * bytes (the summary area, fs_cssize bytes, excepted).
 *
 * Memory.  Buffers come from io->alloc and go back through io->free:
 * at mount the superblock (SBSIZE) and the summary area (fs_cssize),
 * during a call a few block or fragment buffers (at most five at once,
 * none larger than fs_bsize), all freed before the call returns.  Stack
 * use per call is under 2 KiB.
 *
 * Checks.  Every value read from the disk is checked before use: the
 * superblock with ufs_sb_check, cylinder groups with ufs_cg_check, block
 * numbers against the file system size (and the maps when freeing),
 * inode numbers against fs_ncg * fs_ipg, directory records as BSD's
 * ufs_dirbadentry does, sizes against fs_maxfilesize.  A corrupt image
 * gives EINVAL (EIO when a callback fails), never a crash.
 *
 * Errors are errno values: ENOENT, EEXIST, ENOTDIR, EISDIR, ENOTEMPTY,
 * ENOSPC (no blocks or no inodes), EFBIG (beyond the largest file),
 * ENAMETOOLONG (more than 255 bytes), EMLINK, EPERM, EROFS (any change on
 * a read-only mount), EINVAL, EIO, ENOMEM (io->alloc failed).
 *
 * Permissions are the caller's business (VOP_ACCESS; ufs_access() helps):
 * the library checks none except that only the superuser may use the
 * blocks held back by fs_minfree (struct ufs_cred, uid 0).
 *
 * BSD semantics kept: unlink and rmdir only drop the link count, the
 * inode and its blocks are freed by ufs_inactive() once the caller drops
 * its last reference; a new inode takes the caller's uid and the parent's
 * gid; a directory's size grows DIRBLKSIZ at a time; the last block of a
 * file within the direct blocks is a run of fragments (fragments are
 * extended in place or moved as ffs_realloccg does); short symlinks
 * (shorter than fs_maxsymlinklen, 60) live in di_db/di_ib.
 *
 * XXX Not done: soft updates (FS_DOSOFTDEP is left as found and writes
 * are ordered only by the caller's flush), snapshots, quotas, dirhash,
 * cluster reallocation (ffs_reallocblks), whiteouts, file flags (chflags
 * is not offered; di_flags is kept as found), UFS2, the alternate
 * superblocks (as BSD: only newfs and fsck write them), reloading the
 * superblock on a read-only to read-write update (MNT_RELOAD).
 * Simplified: block placement (ufs_alloc.c), directory compaction
 * (ufs_lookup.c).
 */
#ifndef RUNTIME_VFS_UFS_UFS_H
#define RUNTIME_VFS_UFS_UFS_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/vfs/ufs/ufs_dinode.h"
#include "runtime/vfs/ufs/ufs_dir.h"
#include "runtime/vfs/ufs/ufs_fs.h"

/*
 * The caller's callbacks.  read/write move len bytes at byte off of the
 * partition (see the granularity above) and return 0 or an errno value
 * (EIO for a short transfer); flush makes earlier writes durable.  alloc
 * returns len bytes aligned for any type, or NULL; free takes them back.
 * now gives the current time.
 */
struct ufs_io {
	int (*read)(void *ctx, uint64_t off, void *buf, size_t len);
	int (*write)(void *ctx, uint64_t off, const void *buf, size_t len);
	int (*flush)(void *ctx);
	void *(*alloc)(void *ctx, size_t len);
	void (*free)(void *ctx, void *p);
	void (*now)(void *ctx, int64_t *sec, int32_t *nsec);
	void *ctx;
};

/* Mount flags. */
#define UFS_MNT_RDONLY 0x01 /* no writes at all: the image is untouched */
#define UFS_MNT_FORCE  0x02 /* mount read-write even when not clean */

struct ufs_mount {
	struct ufs_io io;
	uint64_t part_bytes; /* size of the partition */
	struct fs *fs;	     /* the superblock (SBSIZE bytes from io) */
	struct csum *cs;     /* fs_ncg summaries (fs_cssize bytes from io) */
	int flags;	     /* UFS_MNT_* */
	int unclean;	     /* fs_clean was 0 when mounted (print a warning) */
	int dirty;	     /* superblock or summaries changed, not written */
	uint32_t ninodes;    /* fs_ncg * fs_ipg */
	uint64_t maxfilesize;
};

/* An in-core inode; the caller keeps one per inode in use. */
struct ufs_inode {
	uint32_t ino;
	uint32_t flags; /* UFS_IN_* */
	struct ufs1_dinode din;
};
#define UFS_IN_MODIFIED 0x01 /* din differs from the disk (atime only) */

/* Who asks: uid 0 may use the fs_minfree reserve. */
struct ufs_cred {
	uint32_t uid;
	uint32_t gid;
};

struct ufs_statfs {
	uint32_t bsize;	 /* fragment size: the unit of the counts below */
	uint32_t iosize; /* block size */
	uint64_t blocks; /* data fragments (fs_dsize) */
	uint64_t bfree;	 /* free fragments */
	int64_t bavail;	 /* free fragments for non-root (may be < 0) */
	uint64_t files;	 /* inodes usable */
	uint64_t ffree;	 /* free inodes */
	uint32_t namemax;
};

/* ufs_setattr: which fields of struct ufs_setattr to apply. */
#define UFS_SA_MODE  0x01 /* permission bits (07777) */
#define UFS_SA_UID   0x02
#define UFS_SA_GID   0x04
#define UFS_SA_SIZE  0x08
#define UFS_SA_ATIME 0x10
#define UFS_SA_MTIME 0x20

struct ufs_setattr {
	uint32_t valid; /* UFS_SA_* */
	uint32_t mode;
	uint32_t uid, gid;
	uint64_t size;
	int64_t atime, mtime;
	int32_t atimensec, mtimensec;
};

/*
 * Called by ufs_readdir() for each entry: name (not NUL-terminated), its
 * inode and DT_* type, and the cookie of the entry after it.  Returns 0
 * to go on, nonzero to stop before this entry.
 */
typedef int ufs_dirent_fn(void *arg, const char *name, size_t namelen,
    uint32_t ino, int type, uint64_t next_cookie);

/* ufs_vfsops.c */

/*
 * Mounts the file system in the partition of part_bytes bytes reached
 * through *io (copied): reads and checks the superblock and the summary
 * area.  Read-write (flags without UFS_MNT_RDONLY): refuses an unclean
 * file system with EPERM unless UFS_MNT_FORCE (as DragonFly's "R/W mount
 * denied.  Filesystem is not clean - run fsck"), then clears fs_clean on
 * the disk.  mp->unclean tells the caller to warn.  Read-only writes
 * nothing.  Returns 0, EINVAL (not UFS1 or corrupt), EPERM, EIO, ENOMEM.
 */
int ufs_mount(const struct ufs_io *io, uint64_t part_bytes, int flags,
    struct ufs_mount *mp);

/*
 * Changes a mount between read-only and read-write (mount -u): to
 * read-write with the same clean check as ufs_mount (UFS_MNT_FORCE in
 * flags overrides), to read-only after writing everything and marking
 * the file system clean.  The caller makes sure no file is open for
 * writing.  Returns 0 or an errno value.
 */
int ufs_mount_update(struct ufs_mount *mp, int flags);

/*
 * Writes the summaries and the superblock (fs_clean stays 0) and calls
 * flush.  Inodes are the caller's: it writes dirty ones with
 * ufs_iupdate() first.  Returns 0 or an errno value; 0 on a read-only
 * mount.
 */
int ufs_sync(struct ufs_mount *mp);

/*
 * Unmounts: on a read-write mount writes everything with fs_clean = 1
 * and flushes, then frees the mount's buffers.  The caller has released
 * (ufs_inactive) every inode first.  On a write error the mount stays
 * and the error is returned.
 */
int ufs_unmount(struct ufs_mount *mp);

/* Fills *sf.  Returns 0. */
int ufs_statfs(const struct ufs_mount *mp, struct ufs_statfs *sf);

/* ufs_inode.c */

/*
 * Loads inode ino into *ip.  Returns 0, EINVAL (ino out of range or the
 * inode is corrupt: a size past the largest file) or EIO.  An unused
 * inode (di_mode 0) loads; callers that follow a directory entry treat
 * mode 0 as ENOENT.
 */
int ufs_iget(struct ufs_mount *mp, uint32_t ino, struct ufs_inode *ip);

/* Writes ip's dinode to the disk (clears UFS_IN_MODIFIED). */
int ufs_iupdate(struct ufs_mount *mp, struct ufs_inode *ip);

/*
 * The caller dropped its last reference to ip: with a link count of 0 it
 * frees the blocks and the inode (read-write mounts), else it writes the
 * inode back if modified.  Returns 0 or an errno value.
 */
int ufs_inactive(struct ufs_mount *mp, struct ufs_inode *ip);

/*
 * Sets the size of regular file, directory or long symlink ip to length:
 * shorter frees the blocks past it (indirect blocks included) and zeroes
 * the rest of the last block; longer leaves a hole (the old last
 * fragment grows to a full block).  Updates mtime and ctime when the
 * size changes.  Returns 0, EROFS, EFBIG, EINVAL or EIO.
 */
int ufs_truncate(struct ufs_mount *mp, struct ufs_inode *ip, uint64_t length,
    const struct ufs_cred *cr);

/*
 * Checks access mode (4 read, 2 write, 1 exec, ORed) to ip for uid/gid
 * with the mode bits, as ufs_access(): root passes except exec with no x
 * bit at all.  Returns 0 or EACCES (EROFS for write on a read-only mount
 * to a regular file, directory or symlink).
 */
int ufs_access(const struct ufs_mount *mp, const struct ufs_inode *ip,
    const struct ufs_cred *cr, int mode);

/* ufs_lookup.c */

/*
 * Looks name[0..len) up in directory dp ("." and ".." too) and sets *inop.
 * Returns 0, ENOTDIR, ENOENT, ENAMETOOLONG, EINVAL (corrupt) or EIO.
 */
int ufs_lookup(struct ufs_mount *mp, struct ufs_inode *dp, const char *name,
    size_t len, uint32_t *inop);

/*
 * Lists directory dp from *cookiep (0: the start; cookies are byte
 * offsets), calling fn for each used entry ("." and ".." included) until
 * it returns nonzero or the directory ends.  On return *cookiep is where
 * to go on.  Returns 0, ENOTDIR, EINVAL or EIO.
 */
int ufs_readdir(struct ufs_mount *mp, struct ufs_inode *dp, uint64_t *cookiep,
    ufs_dirent_fn *fn, void *arg);

/* ufs_vnops.c */

/*
 * Reads up to len bytes at off of regular file or directory ip into buf;
 * *donep is the count (0 at or past the end); holes read as zeros.  Sets
 * atime in the in-core inode only (UFS_IN_MODIFIED) on read-write mounts:
 * the caller writes it with ufs_iupdate, ufs_fsync or ufs_inactive.
 * Returns 0, EINVAL (another type, or a corrupt block map), EIO.
 */
int ufs_read(struct ufs_mount *mp, struct ufs_inode *ip, uint64_t off,
    void *buf, size_t len, size_t *donep);

/*
 * Writes len bytes of buf at off of regular file ip, allocating blocks
 * (holes before off stay holes) and extending the size; *donep is the
 * count written (short on ENOSPC after some progress, then 0 returned).
 * Clears set-id bits when cr is not root; sets mtime and ctime.
 * Returns 0, EROFS, EISDIR, EINVAL, EFBIG, ENOSPC or EIO.
 */
int ufs_write(struct ufs_mount *mp, struct ufs_inode *ip, uint64_t off,
    const void *buf, size_t len, const struct ufs_cred *cr, size_t *donep);

/*
 * Creates name in directory dp with mode (type bits IFREG, IFIFO, IFCHR,
 * IFBLK or IFSOCK, and permissions); rdev is the device number of IFCHR
 * and IFBLK (kept in di_db[0]).  Loads the new inode into *ip.  Returns
 * 0, EEXIST, ENOTDIR, ENAMETOOLONG, EINVAL (bad type), ENOSPC, EROFS,
 * EIO.
 */
int ufs_create(struct ufs_mount *mp, struct ufs_inode *dp, const char *name,
    size_t len, uint32_t mode, uint32_t rdev, const struct ufs_cred *cr,
    struct ufs_inode *ip);

/*
 * Makes directory name in dp with "." and ".." (dp's link count + 1) and
 * loads it into *ip.  Errors as ufs_create, and EMLINK when dp has the
 * most links.
 */
int ufs_mkdir(struct ufs_mount *mp, struct ufs_inode *dp, const char *name,
    size_t len, uint32_t mode, const struct ufs_cred *cr, struct ufs_inode *ip);

/*
 * Makes symlink name in dp pointing to target[0..tlen) and loads it into
 * *ip: in the inode when tlen < fs_maxsymlinklen, else in a block.
 * Errors as ufs_create, ENAMETOOLONG for a target longer than 1023.
 */
int ufs_symlink(struct ufs_mount *mp, struct ufs_inode *dp, const char *name,
    size_t len, const char *target, size_t tlen, const struct ufs_cred *cr,
    struct ufs_inode *ip);

/*
 * Puts symlink ip's target in buf (bufsize bytes, NUL-terminated) and its
 * length in *lenp.  Returns 0, EINVAL (not a symlink, or corrupt),
 * ENAMETOOLONG (does not fit) or EIO.
 */
int ufs_readlink(struct ufs_mount *mp, struct ufs_inode *ip, char *buf,
    size_t bufsize, size_t *lenp);

/*
 * Links ip (not a directory: EPERM) as name in dp.  Returns 0, EEXIST,
 * EMLINK (the link count is at its limit), ENOSPC, EROFS, ...
 */
int ufs_link(struct ufs_mount *mp, struct ufs_inode *dp, const char *name,
    size_t len, struct ufs_inode *ip, const struct ufs_cred *cr);

/*
 * Removes entry name (which must name ip) from dp and drops ip's link
 * count; the inode goes at ufs_inactive().  EISDIR for a directory,
 * ENOENT when the entry is not ip.
 */
int ufs_remove(struct ufs_mount *mp, struct ufs_inode *dp, const char *name,
    size_t len, struct ufs_inode *ip);

/*
 * Removes empty directory ip named name in dp: EINVAL for ".", ENOTEMPTY
 * for ".." or a directory with entries, EBUSY for the root, ENOTDIR.
 * ip's link count drops to 0 and dp's by one.
 */
int ufs_rmdir(struct ufs_mount *mp, struct ufs_inode *dp, const char *name,
    size_t len, struct ufs_inode *ip);

/*
 * Renames fname in fdp (naming fip) to tname in tdp.  tip is the inode
 * tname names now, or NULL when there is none; it loses that link (a
 * directory must be empty: ENOTEMPTY; types must agree: EISDIR/ENOTDIR).
 * A directory moved to another parent gets its ".." rewritten and both
 * parents' link counts follow; moving a directory into its own subtree
 * gives EINVAL, as does renaming "." or "..".  Returns 0 or an errno.
 */
int ufs_rename(struct ufs_mount *mp, struct ufs_inode *fdp, const char *fname,
    size_t flen, struct ufs_inode *fip, struct ufs_inode *tdp,
    const char *tname, size_t tlen, struct ufs_inode *tip,
    const struct ufs_cred *cr);

/*
 * Applies the fields sa->valid names: mode (permission bits only), owner,
 * group (ctime), size (ufs_truncate), access and modification times
 * (ctime too).  A chown by non-root clears the set-id bits.  Returns 0,
 * EROFS, EISDIR (size of a directory), EINVAL, EFBIG, ENOSPC, EIO.
 */
int ufs_setattr(struct ufs_mount *mp, struct ufs_inode *ip,
    const struct ufs_setattr *sa, const struct ufs_cred *cr);

/* Writes ip if modified, then flushes.  Returns 0 or an errno value. */
int ufs_fsync(struct ufs_mount *mp, struct ufs_inode *ip);

/* DT_* type of a di_mode. */
int ufs_dtype(uint32_t mode);

#endif /* RUNTIME_VFS_UFS_UFS_H */
