/*
 * vdisk.c - the vkd and vcd drivers: attach and probe lines.
 *
 * The disk images are opened and locked by the platform before the
 * kernel boots; attaching a unit gives it its name and geometry and prints
 * the probe lines the original prints:
 *	vkd0: <Virtual disk>
 *	vkd0: 512MB (1048576 512 byte sectors)
 * A serial number given as -r file:serno is shown on the first line.
 * Transfers go straight to the image (reads copy from its shared mapping,
 * or pread without one; writes are pwrite: host_diskio.c); file systems
 * reach them through the buffer cache (vfs_bio.c).
 */
#include <errno.h>
#include <string.h>

#include "runtime/dev/dev.h"
#include "runtime/kern/kern.h"

static struct disk disks[VK_DISK_MAX];
static int ndisks;

static void
vdisk_attach(struct vk_host_disk *hd)
{
	struct disk *dk = &disks[ndisks++];
	bool cd = hd->spec->type == VK_DISK_CD;

	ksnprintf(dk->name, sizeof(dk->name), "%s%d", cd ? "vcd" : "vkd",
	    hd->spec->unit);
	dk->hd = hd;
	dk->size = hd->size;
	dk->secsize = cd ? 2048 : 512;
	dk->readonly = cd;
	kprintf("%s: <Virtual %s>", dk->name, cd ? "CD-ROM" : "disk");
	if (hd->spec->serno != NULL)
		kprintf(" Serial Number %s", hd->spec->serno);
	kprintf("\n%s: %lluMB (%llu %u byte sectors)\n", dk->name,
	    (unsigned long long)(dk->size >> 20),
	    (unsigned long long)(dk->size / dk->secsize), dk->secsize);
}

void
disk_attach_all(struct vk_host *host)
{
	int i;

	for (i = 0; i < host->ndisks; i++)
		vdisk_attach(&host->disks[i]);
	for (i = 0; i < ndisks; i++)
		disk_probe_parts(&disks[i]);
}

struct disk *
disk_lookup(const char *name)
{
	int i;

	for (i = 0; i < ndisks; i++)
		if (strcmp(disks[i].name, name) == 0)
			return (&disks[i]);
	return (NULL);
}

struct disk *
disk_at(int i)
{
	return (i >= 0 && i < ndisks ? &disks[i] : NULL);
}

int
disk_read(struct disk *dk, void *buf, size_t len, uint64_t off)
{
	return (host_disk_pread(dk->hd, buf, len, off));
}

int
disk_write(struct disk *dk, const void *buf, size_t len, uint64_t off)
{
	if (dk->readonly)
		return (EROFS);
	return (host_disk_pwrite(dk->hd, buf, len, off));
}

int
disk_flush(struct disk *dk)
{
	return (dk->readonly ? 0 : host_disk_flush(dk->hd));
}
