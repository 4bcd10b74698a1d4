/*
 * disk_part.c - slices and partitions of the vkd disks, and their nodes
 * in /dev.
 *
 * At attach each vkd unit is probed as the original probes it: without
 * an MBR slice s0 spans the disk, with one the entries are s1..s4; each
 * slice may hold a disklabel32 (what disklabel(8) writes) or a
 * disklabel64, whose partitions become a..p.  Every disk, slice and
 * partition is a struct diskpart named as in /dev ("vkd0", "vkd0s0",
 * "vkd0s0a") with its byte range on the disk, and a character device
 * node that reads and writes that range (whole 512-byte sectors).  A vcd
 * unit is one diskpart ("vcd0").  File systems find their device with
 * diskpart_lookup() and do their I/O through the buffer cache.
 * XXX Labels are read once, at attach: one written later by the guest is
 * seen after a reboot.
 */
#include <errno.h>
#include <string.h>

#include "runtime/dev/dev.h"
#include "runtime/dev/device.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/sys/disklabel.h"
#include "runtime/vfs/vfs.h"

#define DISKPART_MAX 96

static struct diskpart parts[DISKPART_MAX];
static int nparts;

static int dp_read(struct cdev *dev, struct uio *uio, int ioflag);
static int dp_write(struct cdev *dev, struct uio *uio, int ioflag);

static int dp_ioctl(struct cdev *dev, unsigned long cmd, void *data);

static const struct cdevsw diskpart_cdevsw = {
	.d_name = "vkd",
	.d_read = dp_read,
	.d_write = dp_write,
	.d_ioctl = dp_ioctl,
};

/* Adds a diskpart and its /dev node (quietly none when the table is full). */
static void
add_part(struct disk *dk, const char *name, uint64_t off, uint64_t size)
{
	struct diskpart *dp;

	if (nparts == DISKPART_MAX || size == 0 || off > dk->size ||
	    size > dk->size - off)
		return;
	dp = &parts[nparts];
	strncpy(dp->name, name, sizeof(dp->name) - 1);
	dp->dk = dk;
	dp->offset = off;
	dp->size = size;
	if (make_dev(&diskpart_cdevsw, nparts, 0, 5 /* operator */, 0640, name,
		NULL) == 0)
		nparts++;
}

/* The partitions of the label found at the start of a slice, if any. */
static void
probe_label(struct disk *dk, const char *slice, uint64_t soff, uint64_t ssize,
    uint8_t *buf)
{
	struct dl_label *lab;
	char name[DISKPART_NAME];
	int i;

	if (ssize < DL_READSIZE || disk_read(dk, buf, DL_READSIZE, soff) != 0 ||
	    (lab = kmalloc(sizeof(*lab))) == NULL)
		return;
	if (dl_read_label(buf, DL_READSIZE, lab) == NULL) {
		if (lab->kind == 32) {
			const struct disklabel32 *l = &lab->u.l32;

			for (i = 0; i < l->d_npartitions && i < MAXPARTITIONS32;
			     i++) {
				ksnprintf(name, sizeof(name), "%s%c", slice,
				    'a' + i);
				/* disklabel32 offsets are absolute sectors. */
				add_part(dk, name,
				    (uint64_t)l->d_partitions[i].p_offset *
					DL_SECSIZE,
				    (uint64_t)l->d_partitions[i].p_size *
					DL_SECSIZE);
			}
		} else {
			const struct disklabel64 *l = &lab->u.l64;

			for (i = 0;
			     i < (int)l->d_npartitions && i < MAXPARTITIONS64;
			     i++) {
				ksnprintf(name, sizeof(name), "%s%c", slice,
				    'a' + i);
				add_part(dk, name,
				    soff + l->d_partitions[i].p_boffset,
				    l->d_partitions[i].p_bsize);
			}
		}
	}
	kfree(lab);
}

void
disk_probe_parts(struct disk *dk)
{
	struct dl_slices sl;
	char name[DISKPART_NAME];
	uint8_t *buf;
	int s;

	add_part(dk, dk->name, 0, dk->size);
	if (dk->secsize != DL_SECSIZE || (buf = kmalloc(DL_READSIZE)) == NULL)
		return;
	if (dk->size >= DL_SECSIZE && disk_read(dk, buf, DL_SECSIZE, 0) == 0 &&
	    dl_probe_slices(buf, DL_SECSIZE, dk->size / DL_SECSIZE, &sl) ==
		NULL) {
		for (s = 0; s <= NDOSPART; s++) {
			if (sl.s[s].size == 0)
				continue;
			ksnprintf(name, sizeof(name), "%ss%d", dk->name, s);
			add_part(dk, name, sl.s[s].offset * DL_SECSIZE,
			    sl.s[s].size * DL_SECSIZE);
			probe_label(dk, name, sl.s[s].offset * DL_SECSIZE,
			    sl.s[s].size * DL_SECSIZE, buf);
		}
	}
	kfree(buf);
}

struct diskpart *
diskpart_lookup(const char *name)
{
	int i;

	if (strncmp(name, "/dev/", 5) == 0)
		name += 5;
	for (i = 0; i < nparts; i++)
		if (strcmp(parts[i].name, name) == 0)
			return (&parts[i]);
	return (NULL);
}

struct diskpart *
diskpart_at(int i)
{
	return (i >= 0 && i < nparts ? &parts[i] : NULL);
}

/* Raw access to a node: whole sectors inside the range. */
static int
dp_rw(struct cdev *dev, struct uio *uio)
{
	struct diskpart *dp = &parts[dev->si_unit];
	uint8_t *buf;
	size_t n;
	int error = 0;

	if ((uio->uio_offset % DL_SECSIZE) != 0 ||
	    (uio->uio_resid % DL_SECSIZE) != 0)
		return (EINVAL);
	if ((buf = kmalloc(BIO_MAXIO)) == NULL)
		return (ENOMEM);
	while (uio->uio_resid > 0 && uio->uio_offset < dp->size) {
		n = uio->uio_resid < BIO_MAXIO ? uio->uio_resid : BIO_MAXIO;
		if (n > dp->size - uio->uio_offset)
			n = (size_t)(dp->size - uio->uio_offset);
		if (uio->uio_rw == UIO_READ) {
			error = bio_read(dp->dk, dp->offset + uio->uio_offset,
			    buf, n);
			if (error == 0)
				error = uiomove(buf, n, uio);
		} else {
			uint64_t off = uio->uio_offset;

			if (dp->dk->readonly)
				error = EROFS;
			else if ((error = uiomove(buf, n, uio)) == 0)
				error = bio_write(dp->dk, dp->offset + off, buf,
				    n);
		}
		if (error != 0)
			break;
	}
	kfree(buf);
	return (error);
}

static int
dp_read(struct cdev *dev, struct uio *uio, int ioflag)
{
	(void)ioflag;
	return (dp_rw(dev, uio));
}

static int
dp_write(struct cdev *dev, struct uio *uio, int ioflag)
{
	(void)ioflag;
	return (dp_rw(dev, uio));
}

/* Linux's BLKGETSIZE64: the size in bytes, for fsck and friends. */
static int
dp_ioctl(struct cdev *dev, unsigned long cmd, void *data)
{
	if (cmd != DISKPART_GETSIZE64)
		return (ENOTTY);
	*(uint64_t *)data = parts[dev->si_unit].size;
	return (0);
}
