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

#endif /* RUNTIME_DEV_DEV_H */
