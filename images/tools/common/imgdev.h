/*
 * imgdev.h - device names and image access shared by the image tools.
 *
 * vnconfig(8) keeps a registry of vn bindings: one file per unit, named
 * vnN, in $VN_DIR (default /var/run/vn), whose first line is the absolute
 * path of the image.  The other tools accept the names of the manual --
 * vnN, vnNsM, vnNsMx, the same under /dev/, and vnNx for slice 0 -- or a
 * plain image path, and reach the slice and partition through the shared
 * slice and label code (runtime/sys/disklabel.h).
 */
#ifndef IMAGES_TOOLS_COMMON_IMGDEV_H
#define IMAGES_TOOLS_COMMON_IMGDEV_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/sys/disklabel.h"

#define VN_DIR_DEFAULT "/var/run/vn"
#define VN_MAXUNIT     255

/* A parsed vn device name; -1 where a part is absent. */
struct vn_name {
	int unit;
	int slice;
	int part; /* 0 for 'a' */
};

/* An opened image, narrowed to a slice and maybe a partition. */
struct imgdev {
	char name[PATH_MAX]; /* as given, for messages */
	char path[PATH_MAX]; /* the image file */
	int fd;
	bool rw;
	uint64_t disk_size;	 /* sectors in the image */
	struct dl_slices slices; /* what sector 0 says */
	int slice;		 /* 0..4 */
	uint64_t slice_off;	 /* sectors */
	uint64_t slice_size;	 /* sectors */
	int part;		 /* partition named, or -1 */
};

/*
 * Parses name as vnN[sM][x] with an optional "/dev/" in front.  Returns
 * true and fills *vn when it is one; false for anything else (a plain
 * path).  Unit numbers go to VN_MAXUNIT, slices to 4, partitions a-p.
 */
bool vn_parse(const char *name, struct vn_name *vn);

/* The registry directory: $VN_DIR or VN_DIR_DEFAULT. */
const char *vn_dir(void);

/*
 * Reads the binding of unit into path (size bytes).  Returns 0, or -1
 * with errno set (ENOENT when the unit is not configured).
 */
int vn_lookup(int unit, char *path, size_t size);

/*
 * Opens name for reading, or reading and writing when rw, with a lock
 * that keeps a running vkernel (or another tool) off the image, and
 * selects the slice: s0 without an MBR, the one named with one.  Exits
 * through err(3) with a sysexits code and a message naming the problem
 * when the name does not resolve, the file is missing or busy, or the
 * slice does not exist.
 */
void imgdev_open(struct imgdev *d, const char *name, bool rw);

/*
 * Reads or writes len bytes at byte off of the slice; exits with EX_IOERR
 * on an I/O error or a short transfer, EX_SOFTWARE when the range leaves
 * the slice.
 */
void imgdev_read(struct imgdev *d, void *buf, size_t len, uint64_t off);
void imgdev_write(struct imgdev *d, const void *buf, size_t len, uint64_t off);

/* fsync(2)s and closes the image; exits with EX_IOERR on failure. */
void imgdev_close(struct imgdev *d);

#endif /* IMAGES_TOOLS_COMMON_IMGDEV_H */
