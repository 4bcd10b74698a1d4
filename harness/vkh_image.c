/*
 * vkh_image.c - fresh copy-on-write copies of master images.
 *
 * A reflink (FICLONE) shares every block with the master and costs a few
 * metadata writes; file systems without it (ext4) get a sparse copy: only
 * the data extents found with SEEK_DATA/SEEK_HOLE are copied, with
 * copy_file_range(2) so that the kernel moves the bytes, and the holes
 * stay holes.  The master is opened read-only and never written.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/vkh_private.h"

/* Copies [off, end) of in to out at the same offset. */
static int
copy_range(int in, int out, off_t off, off_t end)
{
	loff_t ioff = off, ooff = off;
	char buf[65536];
	ssize_t n;

	while (ioff < end) {
		n = copy_file_range(in, &ioff, out, &ooff, (size_t)(end - ioff),
		    0);
		if (n > 0)
			continue;
		if (n == 0)
			return (EIO); /* the master shrank under us */
		if (errno != EXDEV && errno != ENOSYS && errno != EOPNOTSUPP &&
		    errno != EINVAL)
			return (errno);
		/* Fall back to read/write for this range. */
		n = pread(in, buf,
		    (size_t)(end - ioff) < sizeof(buf) ? (size_t)(end - ioff) :
							 sizeof(buf),
		    ioff);
		if (n <= 0)
			return (n < 0 ? errno : EIO);
		if (pwrite(out, buf, (size_t)n, ooff) != n)
			return (errno != 0 ? errno : EIO);
		ioff += n;
		ooff += n;
	}
	return (0);
}

static int
sparse_copy(int in, int out, off_t size)
{
	off_t data = 0, hole;
	int e;

	for (;;) {
		/* cppcheck-suppress invalidFunctionArg ; SEEK_DATA is Linux's */
		data = lseek(in, data, SEEK_DATA);
		if (data < 0)
			return (errno == ENXIO ? 0 : errno); /* no more data */
		/* cppcheck-suppress invalidFunctionArg ; SEEK_HOLE too */
		hole = lseek(in, data, SEEK_HOLE);
		if (hole < 0)
			hole = size;
		if ((e = copy_range(in, out, data, hole)) != 0)
			return (e);
		data = hole;
	}
}

int
vkh_image_clone(const char *master, const char *copy, int *method)
{
	struct stat sb;
	int in, out, e = 0;

	if ((in = open(master, O_RDONLY | O_CLOEXEC)) < 0)
		return (errno);
	if (fstat(in, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		e = S_ISREG(sb.st_mode) ? errno : EINVAL;
		close(in);
		return (e);
	}
	out = open(copy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0) {
		e = errno;
		close(in);
		return (e);
	}
	if (ioctl(out, FICLONE, in) == 0) {
		if (method != NULL)
			*method = VKH_CLONE_REFLINK;
	} else if (ftruncate(out, sb.st_size) != 0)
		e = errno;
	else {
		e = sparse_copy(in, out, sb.st_size);
		if (method != NULL)
			*method = VKH_CLONE_SPARSE;
	}
	if (close(out) != 0 && e == 0)
		e = errno;
	close(in);
	if (e != 0)
		unlink(copy);
	return (e);
}
