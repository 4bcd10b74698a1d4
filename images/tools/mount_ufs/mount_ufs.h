/*
 * mount_ufs.h - what the two files of mount_ufs(8) share: the mounted
 * file system, the in-core inode table, and the FUSE operations.
 */
#ifndef IMAGES_TOOLS_MOUNT_UFS_MOUNT_UFS_H
#define IMAGES_TOOLS_MOUNT_UFS_MOUNT_UFS_H

#define FUSE_USE_VERSION 35

#include <fuse_lowlevel.h>
#include <stdint.h>

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

/*
 * Releases every inode still in the table (ufs_inactive: unlinked ones
 * are freed).  Called after the session ends, before ufs_unmount.
 * Returns 0 or the first error.
 */
int mu_release_all(void);

#endif /* IMAGES_TOOLS_MOUNT_UFS_MOUNT_UFS_H */
