/*
 * vfs_uio.c - transfers between file systems and buffers.
 *
 * A file system moves data with uiomove() without knowing whether the
 * other end is a kernel buffer or a guest's memory: the transfer's
 * uio_move function knows.  This file provides the kernel-buffer kind;
 * the system-call layer provides the guest kind.
 *
 * uiomove_fill() lets a file system produce the bytes of a read straight
 * in the destination: in place for a kernel buffer, through the kind's
 * fill form (uio_fill) for others (the guest kind hands out the backend's
 * bounce buffer), and through a kernel buffer for kinds without one.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "runtime/vfs/vfs.h"

#define FILL_CHUNK 65536 /* bytes asked of a filler at a time, at most */
static uint8_t fill_buf[FILL_CHUNK]; /* for kinds without a fill form */

static uio_move_fill_fn fill_kernel;

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
	uio->uio_fill = fill_kernel;
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

/* The fill form of the kernel kind: fill stores in the buffer itself. */
static int
fill_kernel(struct uio *uio, size_t n, size_t done, uio_fill_fn *fill,
    void *arg, size_t *moved)
{
	char *buf = (char *)uio->uio_arg + done;
	size_t want, got;
	int error;

	*moved = 0;
	do {
		want = n - *moved < FILL_CHUNK ? n - *moved : FILL_CHUNK;
		got = 0;
		if ((error = fill(arg, buf + *moved, want, &got)) != 0)
			return (error);
		if (got > want)
			return (EINVAL);
		*moved += got;
	} while (got == want && *moved < n);
	return (0);
}

/* Any other kind: fill a kernel buffer, then move it as uiomove() does. */
static int
fill_copy(struct uio *uio, size_t n, size_t done, uio_fill_fn *fill, void *arg,
    size_t *moved)
{
	size_t want, got;
	int error;

	*moved = 0;
	do {
		want = n - *moved < FILL_CHUNK ? n - *moved : FILL_CHUNK;
		got = 0;
		if ((error = fill(arg, fill_buf, want, &got)) != 0)
			return (error);
		if (got > want)
			return (EINVAL);
		if (got > 0 &&
		    (error = uio->uio_move(uio, fill_buf, got,
			 done + *moved)) != 0)
			return (error);
		*moved += got;
	} while (got == want && *moved < n);
	return (0);
}

int
uiomove_fill(struct uio *uio, size_t n, uio_fill_fn *fill, void *arg)
{
	uio_move_fill_fn *fn = uio->uio_fill != NULL ? uio->uio_fill :
						       fill_copy;
	size_t moved = 0;
	int error;

	if (uio->uio_rw != UIO_READ)
		return (EINVAL);
	if (n > uio->uio_resid)
		n = uio->uio_resid;
	if (n == 0)
		return (0);
	error = fn(uio, n, uio->uio_done, fill, arg, &moved);
	uio->uio_done += moved;
	uio->uio_resid -= moved;
	uio->uio_offset += moved;
	return (error);
}
