/*
 * host_diskio.c - reading and writing the disk images for the vkd and vcd
 * drivers.  Reads copy from the image's shared mapping when host_disk.c
 * made one (the same page cache that pwrite fills, so always current),
 * else use pread.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "runtime/platform/platform.h"

int
host_disk_pread(const struct vk_host_disk *hd, void *buf, size_t len,
    uint64_t off)
{
	char *p = buf;
	ssize_t n;

	if (off > hd->size || len > hd->size - off)
		return (EIO);
	if (hd->base != NULL) {
		memcpy(buf, (const char *)hd->base + off, len);
		return (0);
	}
	while (len > 0) {
		n = pread(hd->fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return (n < 0 ? errno : EIO);
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return (0);
}

int
host_disk_pwrite(const struct vk_host_disk *hd, const void *buf, size_t len,
    uint64_t off)
{
	const char *p = buf;
	ssize_t n;

	if (off > hd->size || len > hd->size - off)
		return (EIO);
	while (len > 0) {
		n = pwrite(hd->fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return (n < 0 ? errno : EIO);
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return (0);
}

int
host_disk_flush(const struct vk_host_disk *hd)
{
	return (fdatasync(hd->fd) == 0 ? 0 : errno);
}
