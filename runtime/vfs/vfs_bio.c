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
 *
 * Inside a bio_defer_begin() window a write that falls on cached blocks
 * only marks them dirty; they are written, runs of consecutive blocks in
 * one transfer, when the window closes.  A dirty block is never evicted:
 * getnew() writes the dirty blocks out first.
 *
 * A block's data is one page of the memory image (vm_page_alloc()), not
 * kmalloc() memory, whose header would make each block take two pages.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "runtime/dev/dev.h"
#include "runtime/kern/malloc.h"
#include "runtime/vfs/bio.h"
#include "runtime/vm/vm.h"

_Static_assert(BIO_BSIZE == PAGE_SIZE, "a cached block is one page");

#define NHASH	  1024
#define RUN_MAX	  (BIO_MAXIO / BIO_BSIZE)
#define DIRTY_MAX 64 /* dirty blocks held in a window, at most */

struct buf {
	struct disk *b_dk;
	uint64_t b_blkno; /* byte offset / BIO_BSIZE */
	size_t b_len;	  /* bytes valid: short at the end of the disk */
	struct buf *b_hnext;
	struct buf *b_lprev, *b_lnext; /* LRU list, most recent first */
	uint8_t *b_data;
	int b_dirty; /* newer than the image: in dirty[] */
};

static struct buf *hashtab[NHASH];
static struct buf *lru_head, *lru_tail;
static size_t ncached, capacity;
static struct bio_stats stats;
static uint8_t runbuf[BIO_MAXIO]; /* a missing run, read at once */
static uint8_t wrbuf[BIO_MAXIO];  /* a dirty run, written at once */
static int defer_depth;		  /* open bio_defer_begin() windows */
static struct buf *dirty[DIRTY_MAX];
static int ndirty;

static int dirty_write(void);

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
	vm_paddr_t pa;

	if (ncached < capacity && (b = kmalloc(sizeof(*b))) != NULL) {
		if ((pa = vm_page_alloc()) == 0) {
			kfree(b);
			b = NULL;
		} else {
			b->b_data = vm_page_kva(pa);
			ncached++;
		}
	}
	if (b == NULL) {
		if ((b = lru_tail) == NULL)
			return (NULL);
		/* Written out first; an error drops it all the same. */
		if (b->b_dirty)
			(void)dirty_write();
		lru_unlink(b);
		unhash(b);
	}
	b->b_dirty = 0;
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
bio_read_direct(struct disk *dk, uint64_t off, void *buf, size_t len)
{
	int error;

	if (off > dk->size || len > dk->size - off)
		return (EIO);
	if (ndirty > 0 && (error = dirty_write()) != 0)
		return (error);
	stats.direct++;
	return (disk_read(dk, buf, len, off));
}

/* Orders blocks by disk, then by place on the disk. */
static int
cmp_buf(const struct buf *x, const struct buf *y)
{
	if (x->b_dk != y->b_dk)
		return ((uintptr_t)x->b_dk < (uintptr_t)y->b_dk ? -1 : 1);
	return ((x->b_blkno > y->b_blkno) - (x->b_blkno < y->b_blkno));
}

/* Sorts the few dirty blocks (insertion sort: no qsort in the kernel). */
static void
dirty_sort(void)
{
	struct buf *t;
	int i, j;

	for (i = 1; i < ndirty; i++) {
		t = dirty[i];
		for (j = i; j > 0 && cmp_buf(dirty[j - 1], t) > 0; j--)
			dirty[j] = dirty[j - 1];
		dirty[j] = t;
	}
}

/*
 * Writes the dirty blocks to their images, a run of consecutive blocks
 * of one disk in one transfer, and marks them clean.  On an error the
 * blocks of the failed run leave the cache (they are newer than the
 * image) and the first error is returned once all runs were tried.
 */
static int
dirty_write(void)
{
	struct buf *b;
	size_t len;
	int i, j, k, error, first = 0;

	dirty_sort();
	for (i = 0; i < ndirty; i = j) {
		b = dirty[i];
		len = b->b_len;
		memcpy(wrbuf, b->b_data, b->b_len);
		for (j = i + 1; j < ndirty && j - i < RUN_MAX &&
		     dirty[j]->b_dk == b->b_dk &&
		     dirty[j]->b_blkno == b->b_blkno + (uint64_t)(j - i) &&
		     len == (size_t)(j - i) * BIO_BSIZE;
		     j++) {
			memcpy(wrbuf + len, dirty[j]->b_data, dirty[j]->b_len);
			len += dirty[j]->b_len;
		}
		error = disk_write(b->b_dk, wrbuf, len, b->b_blkno * BIO_BSIZE);
		stats.writes++;
		for (k = i; k < j; k++) {
			dirty[k]->b_dirty = 0;
			if (error == 0)
				continue;
			/* Made the oldest: the next getnew() takes it. */
			unhash(dirty[k]);
			dirty[k]->b_dk = NULL;
			lru_unlink(dirty[k]);
			dirty[k]->b_lprev = lru_tail;
			if (lru_tail != NULL)
				lru_tail->b_lnext = dirty[k];
			else
				lru_head = dirty[k];
			lru_tail = dirty[k];
		}
		if (error != 0 && first == 0)
			first = error;
	}
	ndirty = 0;
	return (first);
}

/*
 * In a window, takes a write that falls wholly on cached blocks into
 * them; returns false (nothing done) otherwise.
 */
static bool
defer_write(struct disk *dk, uint64_t off, const uint8_t *p, size_t len)
{
	uint64_t end = off + len, o;
	struct buf *b;
	int need = 0;

	for (o = off - off % BIO_BSIZE; o < end; o += BIO_BSIZE) {
		if ((b = lookup(dk, o / BIO_BSIZE)) == NULL ||
		    b->b_len < (end - o < BIO_BSIZE ? end - o : BIO_BSIZE))
			return (false);
		need += !b->b_dirty;
	}
	if (need > DIRTY_MAX)
		return (false);
	if (ndirty + need > DIRTY_MAX && dirty_write() != 0)
		return (false); /* the blocks may be gone: write through */
	for (o = off - off % BIO_BSIZE; o < end; o += BIO_BSIZE) {
		b = lookup(dk, o / BIO_BSIZE);
		if (!b->b_dirty) {
			b->b_dirty = 1;
			dirty[ndirty++] = b;
		}
	}
	stats.deferred++;
	return (true);
}

int
bio_write(struct disk *dk, uint64_t off, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t end = off + len, o, bstart, lo, hi;
	struct buf *b;
	bool deferred;
	int error;

	if (off > dk->size || len > dk->size - off)
		return (EIO);
	deferred = defer_depth > 0 && !dk->readonly &&
	    defer_write(dk, off, p, len);
	if (!deferred) {
		if ((error = disk_write(dk, buf, len, off)) != 0)
			return (error);
		stats.writes++;
	}
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

void
bio_defer_begin(void)
{
	defer_depth++;
}

int
bio_defer_end(void)
{
	if (defer_depth > 0 && --defer_depth > 0)
		return (0);
	return (ndirty > 0 ? dirty_write() : 0);
}

int
bio_flush(struct disk *dk)
{
	int error;

	if (ndirty > 0 && (error = dirty_write()) != 0)
		return (error);
	return (disk_flush(dk));
}

void
bio_invalidate(struct disk *dk)
{
	struct buf *b, *next;

	if (ndirty > 0)
		(void)dirty_write();
	for (b = lru_head; b != NULL; b = next) {
		next = b->b_lnext;
		if (b->b_dk != dk)
			continue;
		unhash(b);
		lru_unlink(b);
		vm_page_free(vm_page_pa(b->b_data));
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
