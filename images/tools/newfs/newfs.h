/*
 * newfs.h - the parts of newfs(8): the layout and writing of a UFS1 file
 * system (mkfs.c), driven by the command line in newfs.c.
 */
#ifndef IMAGES_TOOLS_NEWFS_NEWFS_H
#define IMAGES_TOOLS_NEWFS_NEWFS_H

#include <stdbool.h>
#include <stdint.h>

#include "images/tools/common/imgdev.h"
#include "runtime/vfs/ufs/ufs_fs.h"

/* DragonFly newfs's defaults (sbin/newfs/newfs.c). */
#define DFL_FRAGSIZE  2048
#define DFL_BLKSIZE   16384
#define NFPI	      4	   /* density: fragments per inode */
#define DFL_NSECTORS  4096 /* "sectors per track": 2 MiB cylinders */
#define DFL_NTRACKS   1
#define DESCPG	      65536 /* cylinders per group: as many as fit */
#define DFL_RPM	      3600
#define NEWFS_MAXPHYS (128 * 1024)

struct mkfs_params {
	const char *name; /* for messages */
	uint64_t sectors; /* file system size in 512-byte sectors */
	int bsize;
	int fsize;
	int density; /* bytes per inode */
	int minfree; /* percent */
	int optim;   /* FS_OPTTIME or FS_OPTSPACE */
	int maxcontig;
	int maxbpg;
	bool softdep;	     /* -U */
	const char *volname; /* -L, or NULL */
	int32_t now;	     /* the time stamped everywhere */
};

/*
 * Computes the superblock of a new file system for p into *fs, printing
 * the geometry lines of the original.  Returns NULL, or why the size and
 * options cannot make a file system (nothing has been written then).
 */
const char *mkfs_layout(const struct mkfs_params *p, struct fs *fs);

/*
 * Writes the file system laid out in *fs (updated with the counts) at byte
 * part_off of the slice of d: cylinder groups and their inode blocks, the
 * root directory with "." "..", lost+found, the summary area and the
 * superblock with its copies.  Prints the backup superblock list.  Never
 * writes below part_off + SBOFF, where the boot block and label live.
 */
void mkfs_write(struct imgdev *d, uint64_t part_off,
    const struct mkfs_params *p, struct fs *fs);

#endif /* IMAGES_TOOLS_NEWFS_NEWFS_H */
