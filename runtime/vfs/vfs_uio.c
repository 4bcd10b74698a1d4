/*
 * vfs_uio.c - transfers between file systems and buffers.
 *
 * A file system moves data with uiomove() without knowing whether the
 * other end is a kernel buffer or a guest's memory: the transfer's
 * uio_move function knows.  This file provides the kernel-buffer kind;
 * the system-call layer provides the guest kind.
 */
#include <string.h>

#include "runtime/vfs/vfs.h"

static int
uio_move_kernel(struct uio *uio, void *kbuf, size_t n, size_t done)
{
	char *buf = (char *)uio->uio_arg + done;

	if (uio->uio_rw == UIO_READ)
		memcpy(buf, kbuf, n);
	else
		memcpy(kbuf, buf, n);
	return (0);
}

void
uio_init_kernel(struct uio *uio, enum uio_rw rw, void *buf, size_t len,
    uint64_t offset)
{
	uio->uio_rw = rw;
	uio->uio_offset = offset;
	uio->uio_resid = len;
	uio->uio_move = uio_move_kernel;
	uio->uio_arg = buf;
	uio->uio_done = 0;
}

int
uiomove(void *kbuf, size_t n, struct uio *uio)
{
	int error;

	if (n > uio->uio_resid)
		n = uio->uio_resid;
	if (n == 0)
		return (0);
	if ((error = uio->uio_move(uio, kbuf, n, uio->uio_done)) != 0)
		return (error);
	uio->uio_done += n;
	uio->uio_resid -= n;
	uio->uio_offset += n;
	return (0);
}
