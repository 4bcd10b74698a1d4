/*
 * vfs.h - the virtual file system layer's contract.
 *
 * XXX Only the file system type table used by the root mount exists so
 * far; vnodes, name lookup and the buffer cache arrive with the processes
 * and disks issues.
 */
#ifndef RUNTIME_VFS_VFS_H
#define RUNTIME_VFS_VFS_H

/* A file system type the kernel can mount. */
struct vfs_type {
	const char *name; /* "ufs", "cd9660" */
	/* Mounts dev ("vkd0s0a") as the root; returns 0 or an errno. */
	int (*mountroot)(const char *dev);
};

#endif /* RUNTIME_VFS_VFS_H */
