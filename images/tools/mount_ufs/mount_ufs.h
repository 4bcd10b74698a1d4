/*
 * mount_ufs.h - what the two files of mount_ufs(8) share: the mounted
 * file system, the in-core inode table, and the FUSE operations.
 */
#ifndef IMAGES_TOOLS_MOUNT_UFS_MOUNT_UFS_H
#define IMAGES_TOOLS_MOUNT_UFS_MOUNT_UFS_H

#define FUSE_USE_VERSION 35

#include <fuse_lowlevel.h>
#include <stdint.h>
#include <sys/stat.h>

#include "runtime/vfs/ufs/ufs.h"

/* An inode the kernel knows: looked up nlookup times. */
struct mu_node {
	struct ufs_inode ui;
	uint64_t nlookup;
	struct mu_node *next; /* hash chain */
};

/*
 * The file system: FUSE runs single-threaded (fuse_session_loop), which
 * is the serialisation the library asks for.
 */
struct mu_fs {
	struct ufs_mount mnt;
	struct mu_node *hash[1024];
	int error; /* first I/O error seen, reported at exit */
};

extern struct mu_fs mu;
extern const struct fuse_lowlevel_ops mu_ops;

#define MU_TIMEOUT 1.0 /* seconds the kernel caches entries and attributes */

/* FUSE and UFS inode numbers: FUSE's root 1 is UFS's ROOTINO. */
uint32_t mu_to_ufs(fuse_ino_t ino);
fuse_ino_t mu_to_fuse(uint32_t ino);

/* The table slot of ino: *slot is its node or NULL. */
struct mu_node **mu_slot(uint32_t ino);

/*
 * The node of ino, loaded (lookup count 0) if the kernel does not hold
 * it.  Returns 0, ENOENT for a free inode, or the library's error.
 */
int mu_get_node(uint32_t ino, struct mu_node **np);

/* Drops n if its lookup count is 0 (ufs_inactive; errors kept in mu). */
void mu_put_node(struct mu_node *n);

/* Enters a node just made by the library (create, mkdir, symlink). */
int mu_add_node(const struct ufs_inode *ip, struct mu_node **np);

/* The stat of an inode. */
void mu_fill_stat(const struct ufs_inode *ip, struct stat *st);

/* The caller of req as the library wants it. */
struct ufs_cred mu_cred(fuse_req_t req);

/* Replies to req with the entry of n and counts the lookup. */
void mu_reply_node(fuse_req_t req, struct mu_node *n);

/*
 * Releases every inode still in the table (ufs_inactive: unlinked ones
 * are freed).  Called after the session ends, before ufs_unmount.
 * Returns 0 or the first error.
 */
int mu_release_all(void);

#endif /* IMAGES_TOOLS_MOUNT_UFS_MOUNT_UFS_H */
