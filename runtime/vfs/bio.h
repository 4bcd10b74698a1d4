/*
 * bio.h - the buffer cache: disk blocks kept in the kernel's memory
 * image (vfs_bio.c).
 *
 * The cache holds BIO_BSIZE-byte blocks of the disks, aligned on the
 * disk, in least-recently-used order.  Reads are served from it and fill
 * it (a run of missing blocks is read with one host transfer).  Writes go
 * through: the data reaches the image before bio_write() returns (or, in
 * a bio_defer_begin() window, before the window closes), and cached
 * blocks it covers are updated; bio_flush() makes them durable.  So a
 * kernel killed at any moment leaves every completed write in the image,
 * and a clean halt has nothing left to write but the file systems' own
 * state.  Caller holds the kernel lock.
 */
#ifndef RUNTIME_VFS_BIO_H
#define RUNTIME_VFS_BIO_H

#include <stddef.h>
#include <stdint.h>

#define BIO_BSIZE 4096	/* bytes in a cached block */
#define BIO_MAXIO 65536 /* the most one host transfer moves */

struct disk;

/*
 * Sizes the cache to at most nblocks blocks (taken from the memory image
 * as they are needed).  Called once in the boot.
 */
void bio_init(size_t nblocks);
/* Reads len bytes at byte off of dk; 0 or an errno (EIO). */
int bio_read(struct disk *dk, uint64_t off, void *buf, size_t len);
/*
 * Reads len bytes at byte off of dk straight from the image, with one
 * host transfer, neither using nor filling the cache: for file data read
 * in bulk, which would only push the file systems' own blocks out of a
 * cache smaller than the file.  Always current, since writes go through.
 * 0 or an errno (EIO).
 */
int bio_read_direct(struct disk *dk, uint64_t off, void *buf, size_t len);
/* Writes len bytes at byte off of dk through to the image; 0 or errno. */
int bio_write(struct disk *dk, uint64_t off, const void *buf, size_t len);
/* Makes dk's writes durable; 0 or an errno value. */
int bio_flush(struct disk *dk);
/*
 * A window in which writes that fall wholly on cached blocks only update
 * them, and reach the image together, merged, when the window closes (or
 * earlier: before a bio_read_direct(), a bio_flush(), a bio_invalidate(),
 * or when too many blocks wait).  A file system opens one around a vnode
 * operation that rewrites the same metadata blocks many times (a write(2)
 * rewrites its inode, cylinder group and indirect block once per block
 * allocated), so the window ends before the system call returns and a
 * completed call is still wholly in the image.  Windows nest;
 * bio_defer_end() returns 0 or the errno of a failed write (dk is then
 * unchanged for those blocks, which are dropped from the cache).
 */
void bio_defer_begin(void);
int bio_defer_end(void);
/* Drops dk's cached blocks (after the image changed behind the cache). */
void bio_invalidate(struct disk *dk);

struct bio_stats {
	uint64_t hits, misses, reads, writes;
	uint64_t direct;	 /* bio_read_direct() transfers */
	uint64_t deferred;	 /* writes held in a bio_defer_begin() window */
	size_t cached, capacity; /* blocks */
};
void bio_stats(struct bio_stats *st);

#endif /* RUNTIME_VFS_BIO_H */
