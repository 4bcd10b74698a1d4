/*
 * ufs_kio.c - the UFS library's callbacks in the kernel: I/O through the
 * buffer cache (bio.h) on the mount's partition, memory from kmalloc()
 * with the buffers the library asks for on nearly every call kept for
 * reuse (kmalloc() hands out fresh pages of the memory image and zeroes
 * them), and the direct, merged reads of file data for read(2).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "runtime/dev/dev.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/vfs/bio.h"
#include "runtime/vfs/ufs/ufs_kern.h"

/*
 * The data read in progress (ufs_v_read), under the kernel lock, which
 * ufs_read() does not give up: block reads of the library that land in
 * [rd.buf, rd.buf + rd.len) are file data for the caller, read from the
 * image without the cache and merged while they follow one another on
 * the disk and in the buffer.  The library does not look at those bytes
 * before ufs_read() returns, so the pending run (rd.pend_*) is read at
 * the latest then.
 */
static struct {
	struct diskpart *dp; /* NULL when no data read is in progress */
	uint8_t *buf;
	size_t len;
	uint64_t pend_off; /* the pending run: disk offset, */
	uint8_t *pend_buf; /* destination */
	size_t pend_len;   /* and length (0: none) */
} rd;

/* --- Buffers kept for reuse ------------------------------------------------- */

#define POOL_MAX  8  /* buffers kept */
#define POOL_HDR  16 /* bytes before each buffer: its length */
#define POOL_KEEP (UFS_CHUNK + POOL_HDR) /* larger ones are not kept */

static void *pool[POOL_MAX]; /* headers of free buffers */
static int npool;

/*
 * Returns len bytes, 16-byte aligned and, when zero is set, zeroed as
 * kmalloc() does; a kept buffer of the same length when there is one.
 * ufs_pool_free() takes it back.
 */
void *
ufs_pool_alloc(size_t len, bool zero)
{
	uint8_t *h;
	int i;

	for (i = 0; i < npool; i++) {
		h = pool[i];
		if (*(size_t *)(void *)h == len) {
			pool[i] = pool[--npool];
			if (zero)
				memset(h + POOL_HDR, 0, len);
			return (h + POOL_HDR);
		}
	}
	if (len > SIZE_MAX - POOL_HDR || (h = kmalloc(len + POOL_HDR)) == NULL)
		return (NULL);
	*(size_t *)(void *)h = len;
	return (h + POOL_HDR);
}

void
ufs_pool_free(void *p)
{
	uint8_t *h;

	if (p == NULL)
		return;
	h = (uint8_t *)p - POOL_HDR;
	if (*(size_t *)(void *)h + POOL_HDR > POOL_KEEP) {
		kfree(h);
		return;
	}
	/* When full, the newest replaces one, so sizes in use stay. */
	if (npool == POOL_MAX)
		kfree(pool[--npool]);
	pool[npool++] = h;
}


/* --- I/O callbacks ------------------------------------------------------ */

/* Reads the pending run of a data read, if any. */
static int
rd_flush(void)
{
	size_t len = rd.pend_len;

	if (len == 0)
		return (0);
	rd.pend_len = 0;
	return (bio_read_direct(rd.dp->dk, rd.pend_off, rd.pend_buf, len));
}

static int
kio_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct diskpart *dp = ctx;
	uint8_t *p = buf;
	int error;

	if (off > dp->size || len > dp->size - off)
		return (EIO);
	if (rd.dp != dp || p < rd.buf || len > rd.len ||
	    (size_t)(p - rd.buf) > rd.len - len)
		return (bio_read(dp->dk, dp->offset + off, buf, len));
	/* File data for the caller: merge it into the pending run. */
	if (rd.pend_len > 0 && rd.pend_off + rd.pend_len == dp->offset + off &&
	    rd.pend_buf + rd.pend_len == p) {
		rd.pend_len += len;
		return (0);
	}
	if ((error = rd_flush()) != 0)
		return (error);
	rd.pend_off = dp->offset + off;
	rd.pend_buf = p;
	rd.pend_len = len;
	return (0);
}

static int
kio_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
	struct diskpart *dp = ctx;

	if (off > dp->size || len > dp->size - off)
		return (EIO);
	return (bio_write(dp->dk, dp->offset + off, buf, len));
}

static int
kio_flush(void *ctx)
{
	return (bio_flush(((struct diskpart *)ctx)->dk));
}

static void *
kio_alloc(void *ctx, size_t len)
{
	(void)ctx;
	return (ufs_pool_alloc(len, true));
}

static void
kio_free(void *ctx, void *p)
{
	(void)ctx;
	ufs_pool_free(p);
}

static void
kio_now(void *ctx, int64_t *sec, int32_t *nsec)
{
	int64_t ns;

	(void)ctx;
	host_realtime(sec, &ns);
	*nsec = (int32_t)ns;
}


void
ufs_kio_init(struct ufs_io *io, struct diskpart *dp)
{
	*io = (struct ufs_io) { kio_read, kio_write, kio_flush, kio_alloc,
		kio_free, kio_now, dp };
}

void
ufs_read_begin(struct diskpart *dp, void *buf, size_t len)
{
	rd.dp = dp;
	rd.buf = buf;
	rd.len = len;
	rd.pend_len = 0;
}

int
ufs_read_end(void)
{
	int error = rd_flush();

	rd.pend_len = 0;
	rd.dp = NULL;
	return (error);
}
