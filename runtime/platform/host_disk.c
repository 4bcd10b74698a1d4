/*
 * host_disk.c - opening the -r and -c disk images.
 *
 * Each image is opened (vkd read-write, vcd read-only) and locked with
 * flock(LOCK_EX|LOCK_NB) so that two kernels, or the same image given
 * twice, cannot share it.  Opening changes no file; host setup does this
 * first so that a refused image leaves everything as it was.
 *
 * Unlike the original we do not use O_DIRECT: the vkd driver does plain
 * pread/pwrite with the kernel's own buffers, which need not be aligned.
 *
 * Each image is also mapped read-only and shared, whole, so that reads
 * are a memcpy() from the host's page cache (measured: 1.7 us per 64 KiB
 * against 2.5 us for a pread of a warm image); writes stay pwrite, which
 * the mapping sees at once since both are the same page cache.  Without
 * the mapping (mmap refused, an empty image) reads use pread.  XXX An
 * image truncated by another process behind our lock would make a read
 * of the missing pages raise SIGBUS (a crash, where pread gave EIO); so
 * would a host I/O error on a page read through the mapping.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <stdint.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "runtime/platform/host_private.h"

/* The exit code for a failed open(2) of an image. */
static int
open_error_code(int error)
{
	switch (error) {
	case ENOENT:
	case ENOTDIR:
	case ELOOP:
	case ENAMETOOLONG:
		return (EX_NOINPUT);
	case EACCES:
	case EPERM:
	case EROFS:
	case ETXTBSY:
		return (EX_NOPERM);
	case EISDIR:
		return (EX_DATAERR);
	default:
		return (EX_OSERR);
	}
}

/*
 * Maps the whole image read-only and shared at disk->base, or leaves
 * base NULL (reads then use pread): no MAP_POPULATE, the pages come in
 * as they are read.
 */
static void
disk_map(int fd, struct vk_host_disk *disk)
{
	void *p;

	disk->base = NULL;
	if (disk->size == 0 || disk->size > SIZE_MAX)
		return;
	p = mmap(NULL, (size_t)disk->size, PROT_READ, MAP_SHARED, fd, 0);
	if (p != MAP_FAILED)
		disk->base = p;
}

static int
disk_open(const struct vk_disk_spec *spec, struct vk_host_disk *disk)
{
	const char *dev = spec->type == VK_DISK_RW ? "vkd" : "vcd";
	struct stat st;
	off_t end;
	int fd, flags, error;

	/*
	 * O_NONBLOCK only so that a FIFO named by mistake cannot hang the
	 * open; it means nothing for regular files and block devices.
	 */
	flags = (spec->type == VK_DISK_RW ? O_RDWR : O_RDONLY) | O_CLOEXEC |
	    O_NOCTTY | O_NONBLOCK;
	if ((fd = open(spec->path, flags)) < 0) {
		error = errno;
		vk_report("Cannot open disk image %s (%s%d): %s", spec->path,
		    dev, spec->unit, strerror(error));
		return (open_error_code(error));
	}
	if (fstat(fd, &st) != 0) {
		error = errno;
		vk_report("Cannot stat disk image %s: %s", spec->path,
		    strerror(error));
		close(fd);
		return (EX_OSERR);
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		vk_report("Disk image %s (%s%d) is not a regular file or block "
			  "device",
		    spec->path, dev, spec->unit);
		close(fd);
		return (EX_DATAERR);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		error = errno;
		if (error == EWOULDBLOCK)
			vk_report("Disk image %s is already in use",
			    spec->path);
		else
			vk_report("Cannot lock disk image %s: %s", spec->path,
			    strerror(error));
		close(fd);
		return (error == EWOULDBLOCK ? EX_TEMPFAIL : EX_OSERR);
	}
	if (S_ISREG(st.st_mode)) {
		disk->size = (uint64_t)st.st_size;
	} else {
		if ((end = lseek(fd, 0, SEEK_END)) < 0) {
			error = errno;
			vk_report("Cannot size disk image %s: %s", spec->path,
			    strerror(error));
			close(fd);
			return (EX_OSERR);
		}
		disk->size = (uint64_t)end;
	}
	disk_map(fd, disk);
	disk->fd = fd;
	disk->spec = spec;
	return (0);
}

int
vk_disks_open(const struct vk_options *opts, struct vk_host *host)
{
	int i, error;

	host->ndisks = 0;
	for (i = 0; i < opts->ndisks; i++) {
		error = disk_open(&opts->disks[i], &host->disks[i]);
		if (error != 0) {
			vk_disks_close(host);
			return (error);
		}
		host->ndisks++;
	}
	return (0);
}

void
vk_disks_close(struct vk_host *host)
{
	int i;

	for (i = 0; i < host->ndisks; i++) {
		if (host->disks[i].base != NULL)
			(void)munmap(host->disks[i].base,
			    (size_t)host->disks[i].size);
		host->disks[i].base = NULL;
		if (host->disks[i].fd >= 0)
			close(host->disks[i].fd);
		host->disks[i].fd = -1;
	}
	host->ndisks = 0;
}
