/*
 * dev.h - the device layer's contract: the disks the kernel knows.
 *
 * vkd (read-write, 512-byte sectors) and vcd (read-only, 2048-byte
 * sectors) units are attached at boot from the -r and -c images, in
 * command-line order, and numbered independently (vkd0.., vcd0..).
 */
#ifndef RUNTIME_DEV_DEV_H
#define RUNTIME_DEV_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/platform/platform.h"
#include "runtime/vfs/bio.h"

struct disk {
	char name[16];	  /* "vkd0", "vcd1" */
	uint64_t size;	  /* bytes */
	uint32_t secsize; /* 512 or 2048 */
	bool readonly;
	struct vk_host_disk *hd; /* the host image behind it */
};

/* Attaches every image of the host, printing the probe lines. */
void disk_attach_all(struct vk_host *host);
/* Returns the disk named exactly name ("vkd0"), or NULL. */
struct disk *disk_lookup(const char *name);
/*
 * Reads len bytes at byte offset off of the disk into buf.  Returns 0, or
 * EIO past the end or on a host error.
 */
int disk_read(struct disk *dk, void *buf, size_t len, uint64_t off);
/* Returns the i-th attached disk, or NULL past the end. */
struct disk *disk_at(int i);
/*
 * Writes len bytes of buf at byte offset off of a vkd disk: 0, EROFS for
 * a vcd, EIO past the end or on a host error.
 */
int disk_write(struct disk *dk, const void *buf, size_t len, uint64_t off);
/* Makes the disk's writes durable (fsync of the image); 0 or an errno. */
int disk_flush(struct disk *dk);

/* --- Slices and partitions (disk_part.c) ------------------------------ */

#define DISKPART_NAME 24
/* ioctl: a partition's size in bytes (Linux BLKGETSIZE64). */
#define DISKPART_GETSIZE64 0x80081272UL

/* A disk, a slice of it or a partition: a byte range with a /dev node. */
struct diskpart {
	char name[DISKPART_NAME]; /* "vkd0", "vkd0s0", "vkd0s0a", "vcd0" */
	struct disk *dk;
	uint64_t offset; /* bytes from the start of the disk */
	uint64_t size;	 /* bytes */
};

/*
 * Probes dk's slices and labels and creates a diskpart and a /dev node
 * for the disk and each slice and partition (at attach).
 */
void disk_probe_parts(struct disk *dk);
/* The diskpart called name ("vkd0s0a" or "/dev/vkd0s0a"), or NULL. */
struct diskpart *diskpart_lookup(const char *name);
/* The i-th diskpart, or NULL past the end. */
struct diskpart *diskpart_at(int i);

#endif /* RUNTIME_DEV_DEV_H */
