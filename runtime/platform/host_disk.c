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
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
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
		if (host->disks[i].fd >= 0)
			close(host->disks[i].fd);
		host->disks[i].fd = -1;
	}
	host->ndisks = 0;
}
