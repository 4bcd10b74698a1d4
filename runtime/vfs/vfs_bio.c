/*
 * vfs_bio.c - the buffer cache (bio.h): BIO_BSIZE blocks of the disks in
 * the memory image, found by hash, replaced in least-recently-used order,
 * written through.
 *
 * Why write-through: the host's page cache already delays and merges the
 * image writes, so holding dirty blocks here would buy little speed, and
 * a vkernel killed with SIGKILL would lose them; with write-through every
 * write a file system completed is in the image (see ARCHITECTURE.md for
 * the measurements).
 */
#include <errno.h>
#include <string.h>

#include "runtime/dev/dev.h"
#include "runtime/kern/malloc.h"
#include "runtime/vfs/bio.h"

#define NHASH	1024
#define RUN_MAX (BIO_MAXIO / BIO_BSIZE)

struct buf {
	struct disk *b_dk;
	uint64_t b_blkno; /* byte offset / BIO_BSIZE */
	size_t b_len;	  /* bytes valid: short at the end of the disk */
	struct buf *b_hnext;
	struct buf *b_lprev, *b_lnext; /* LRU list, most recent first */
	uint8_t *b_data;
};

static struct buf *hashtab[NHASH];
static struct buf *lru_head, *lru_tail;
static size_t ncached, capacity;
static struct bio_stats stats;
static uint8_t runbuf[BIO_MAXIO]; /* a missing run, read at once */

static size_t
hashfn(const struct disk *dk, uint64_t blkno)
{
	return ((size_t)(((uintptr_t)dk >> 4) ^ (blkno * 2654435761u)) % NHASH);
}

static void
lru_unlink(struct buf *b)
{
	if (b->b_lprev != NULL)
		b->b_lprev->b_lnext = b->b_lnext;
	else
		lru_head = b->b_lnext;
	if (b->b_lnext != NULL)
		b->b_lnext->b_lprev = b->b_lprev;
	else
		lru_tail = b->b_lprev;
	b->b_lprev = b->b_lnext = NULL;
}

static void
lru_push(struct buf *b)
{
	b->b_lprev = NULL;
	b->b_lnext = lru_head;
	if (lru_head != NULL)
		lru_head->b_lprev = b;
	lru_head = b;
	if (lru_tail == NULL)
		lru_tail = b;
}

static void
unhash(struct buf *b)
{
	struct buf **bp = &hashtab[hashfn(b->b_dk, b->b_blkno)];

	for (; *bp != NULL; bp = &(*bp)->b_hnext)
		if (*bp == b) {
			*bp = b->b_hnext;
			return;
		}
}

static struct buf *
lookup(struct disk *dk, uint64_t blkno)
{
	struct buf *b;

	for (b = hashtab[hashfn(dk, blkno)]; b != NULL; b = b->b_hnext)
		if (b->b_dk == dk && b->b_blkno == blkno)
			return (b);
	return (NULL);
}

/* A buffer for (dk, blkno): a new one, or the least recently used. */
static struct buf *
getnew(struct disk *dk, uint64_t blkno)
{
	struct buf *b = NULL;

	if (ncached < capacity && (b = kmalloc(sizeof(*b))) != NULL) {
		if ((b->b_data = kmalloc(BIO_BSIZE)) == NULL) {
			kfree(b);
			b = NULL;
		} else
			ncached++;
	}
	if (b == NULL) {
		if ((b = lru_tail) == NULL)
			return (NULL);
		lru_unlink(b);
		unhash(b);
	}
	b->b_dk = dk;
	b->b_blkno = blkno;
	b->b_hnext = hashtab[hashfn(dk, blkno)];
	hashtab[hashfn(dk, blkno)] = b;
	lru_push(b);
	return (b);
}

void
bio_init(size_t nblocks)
{
	capacity = nblocks;
}

/* Reads the run of missing blocks from blkno, caches it, copies out. */
static int
read_run(struct disk *dk, uint64_t blkno, uint64_t end, uint8_t *out,
    uint64_t off, size_t *donep)
{
	uint64_t start = blkno * BIO_BSIZE, last;
	size_t run = 1, rlen, i, n;
	struct buf *b;
	int error;

	while (run < RUN_MAX && (blkno + run) * BIO_BSIZE < end &&
	    lookup(dk, blkno + run) == NULL)
		run++;
	if (start >= dk->size)
		return (EIO);
	rlen = run * BIO_BSIZE;
	if (rlen > dk->size - start)
		rlen = (size_t)(dk->size - start);
	stats.misses++;
	stats.reads++;
	if ((error = disk_read(dk, runbuf, rlen, start)) != 0)
		return (error);
	for (i = 0; i * BIO_BSIZE < rlen; i++) {
		if ((b = getnew(dk, blkno + i)) == NULL)
			break;
		b->b_len = rlen - i * BIO_BSIZE < BIO_BSIZE ?
		    rlen - i * BIO_BSIZE :
		    BIO_BSIZE;
		memcpy(b->b_data, runbuf + i * BIO_BSIZE, b->b_len);
	}
	last = start + rlen < end ? start + rlen : end;
	if (off >= last)
		return (EIO);
	n = (size_t)(last - off);
	memcpy(out, runbuf + (off - start), n);
	*donep = n;
	return (0);
}

int
bio_read(struct disk *dk, uint64_t off, void *buf, size_t len)
{
	uint8_t *p = buf;
	uint64_t end = off + len, blkno, boff;
	struct buf *b;
	size_t n;
	int error;

	if (off > dk->size || len > dk->size - off)
		return (EIO);
	while (off < end) {
		blkno = off / BIO_BSIZE;
		boff = off % BIO_BSIZE;
		if ((b = lookup(dk, blkno)) != NULL) {
			if (boff >= b->b_len)
				return (EIO);
			n = b->b_len - boff;
			if (n > end - off)
				n = (size_t)(end - off);
			memcpy(p, b->b_data + boff, n);
			lru_unlink(b);
			lru_push(b);
			stats.hits++;
		} else if ((error = read_run(dk, blkno, end, p, off, &n)) != 0)
			return (error);
		p += n;
		off += n;
	}
	return (0);
}

int
bio_write(struct disk *dk, uint64_t off, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t end = off + len, o, bstart, lo, hi;
	struct buf *b;
	int error;

	if ((error = disk_write(dk, buf, len, off)) != 0)
		return (error);
	stats.writes++;
	/* Blocks in the cache take the new bytes; others stay out. */
	for (o = off - off % BIO_BSIZE; o < end; o += BIO_BSIZE) {
		if ((b = lookup(dk, o / BIO_BSIZE)) == NULL)
			continue;
		bstart = o;
		lo = off > bstart ? off : bstart;
		hi = end < bstart + b->b_len ? end : bstart + b->b_len;
		if (lo < hi)
			memcpy(b->b_data + (lo - bstart), p + (lo - off),
			    (size_t)(hi - lo));
	}
	return (0);
}

int
bio_flush(struct disk *dk)
{
	return (disk_flush(dk));
}

void
bio_invalidate(struct disk *dk)
{
	struct buf *b, *next;

	for (b = lru_head; b != NULL; b = next) {
		next = b->b_lnext;
		if (b->b_dk != dk)
			continue;
		unhash(b);
		lru_unlink(b);
		kfree(b->b_data);
		kfree(b);
		ncached--;
	}
}

void
bio_stats(struct bio_stats *st)
{
	*st = stats;
	st->cached = ncached;
	st->capacity = capacity;
}
