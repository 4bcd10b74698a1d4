/*
 * ufs_fuzz.c - libFuzzer target for the UFS1 library.
 *
 * The input is the start of a partition; the rest, up to the size the
 * superblock claims (at most MAX_IMAGE), reads as zeros, so that seeds
 * stay small (tests/ufs_mkseeds.c writes them without their trailing
 * zeros).  Two passes:
 *   1. a read-only mount walking the tree within bounds: every directory
 *      listed in small steps by cookie, every entry looked up and loaded,
 *      files read, links read;
 *   2. a read-write mount (forced) of a copy doing a create, a write, a
 *      read back, a mkdir and the removals, then the unmount.
 * Besides the sanitizers it checks the library's promises: errno values
 * only, cookies that go forward, reads no longer than asked, and I/O
 * inside the partition at the promised granularity.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/vfs/ufs/ufs.h"

#define MAX_IMAGE   (2u << 20)
#define MAX_DEPTH   8
#define MAX_NODES   200
#define MAX_ENTRIES 48

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct image {
	const uint8_t *in; /* read-only pass: the input */
	size_t inlen;
	uint8_t *copy; /* read-write pass: a full copy */
	uint64_t size;
	uint32_t fsize;
};

struct dirlist {
	int n, taken;
	char names[MAX_ENTRIES][UFS_MAXNAMLEN + 1];
	size_t lens[MAX_ENTRIES];
	uint32_t inos[MAX_ENTRIES];
};

static void
check_io(struct image *im, uint64_t off, size_t len)
{
	if (off > im->size || len > im->size - off)
		abort();
	if (off == SBOFF && len == SBSIZE)
		return;
	if (len % 512 != 0 || off % 512 != 0 ||
	    (im->fsize != 0 && (len % im->fsize != 0 || off % im->fsize != 0)))
		abort();
}

static int
io_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct image *im = ctx;
	uint8_t *b = buf;

	check_io(im, off, len);
	if (im->copy != NULL) {
		memcpy(buf, im->copy + off, len);
		return (0);
	}
	for (size_t i = 0; i < len; i++)
		b[i] = off + i < im->inlen ? im->in[off + i] : 0;
	return (0);
}

static int
io_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
	struct image *im = ctx;

	check_io(im, off, len);
	if (im->copy == NULL)
		abort(); /* the read-only pass writes nothing */
	memcpy(im->copy + off, buf, len);
	return (0);
}

static int
io_flush(void *ctx)
{
	return (0);
}

static void *
io_alloc(void *ctx, size_t len)
{
	if (len > MAXBSIZE && len > (size_t)1 << 20)
		abort();
	return (malloc(len));
}

static void
io_free(void *ctx, void *p)
{
	free(p);
}

static void
io_now(void *ctx, int64_t *sec, int32_t *nsec)
{
	*sec = 1700000000;
	*nsec = 0;
}

static void
check_errno(int error)
{
	if (error < 0 || error > 4095)
		abort();
}

static int
take(void *arg, const char *name, size_t len, uint32_t ino, int type,
    uint64_t next)
{
	struct dirlist *l = arg;

	if (len == 0 || len > UFS_MAXNAMLEN || ino == 0)
		abort();
	if (l->taken == 3 || l->n == MAX_ENTRIES)
		return (1);
	memcpy(l->names[l->n], name, len);
	l->lens[l->n] = len;
	l->inos[l->n++] = ino;
	l->taken++;
	return (0);
}

static void
read_node(struct ufs_mount *mp, struct ufs_inode *ip)
{
	static uint8_t buf[65536];
	char link[1100];
	size_t done, len;
	int error;

	if ((ip->din.di_mode & IFMT) == IFLNK) {
		error = ufs_readlink(mp, ip, link, sizeof(link), &len);
		check_errno(error);
		if (error == 0 && (len >= sizeof(link) || link[len] != '\0'))
			abort();
		return;
	}
	error = ufs_read(mp, ip, 0, buf, sizeof(buf), &done);
	check_errno(error);
	if (error == 0 && done > sizeof(buf))
		abort();
	error = ufs_read(mp, ip, ip->din.di_size / 2, buf, 5000, &done);
	check_errno(error);
}

static void
walk_dir(struct ufs_mount *mp, struct ufs_inode *dir, int depth, int *nodes)
{
	struct dirlist *l;
	struct ufs_inode n;
	uint64_t cookie = 0, before;
	uint32_t ino;
	int error, calls = 0;

	if (depth > MAX_DEPTH || ++*nodes > MAX_NODES)
		return;
	if ((l = calloc(1, sizeof(*l))) == NULL)
		abort();
	do {
		before = cookie;
		l->taken = 0;
		error = ufs_readdir(mp, dir, &cookie, take, l);
		check_errno(error);
		if (error == 0 && cookie < before)
			abort();
	} while (error == 0 && l->taken > 0 && ++calls < 100);
	for (int i = 0; i < l->n && *nodes < MAX_NODES; i++) {
		error = ufs_lookup(mp, dir, l->names[i], l->lens[i], &ino);
		check_errno(error);
		if (error != 0 || (l->lens[i] <= 2 && l->names[i][0] == '.'))
			continue;
		error = ufs_iget(mp, ino, &n);
		check_errno(error);
		if (error != 0)
			continue;
		++*nodes;
		if ((n.din.di_mode & IFMT) == IFDIR)
			walk_dir(mp, &n, depth + 1, nodes);
		else
			read_node(mp, &n);
	}
	free(l);
}

static void
rw_pass(struct image *im, const struct ufs_io *io)
{
	struct ufs_mount mnt;
	struct ufs_inode root, ip, d;
	struct ufs_cred cr = { 0, 0 };
	static uint8_t buf[40000];
	size_t done;
	int error;

	if ((im->copy = calloc(1, (size_t)im->size)) == NULL)
		abort();
	memcpy(im->copy, im->in, im->inlen < im->size ? im->inlen : im->size);
	error = ufs_mount(io, im->size, UFS_MNT_FORCE, &mnt);
	check_errno(error);
	if (error != 0)
		goto out;
	if (ufs_iget(&mnt, ROOTINO, &root) != 0 ||
	    (root.din.di_mode & IFMT) != IFDIR)
		goto unmount;
	memset(buf, 0x5a, sizeof(buf));
	error = ufs_create(&mnt, &root, "fz", 2, IFREG | 0644, 0, &cr, &ip);
	check_errno(error);
	if (error == 0) {
		check_errno(ufs_write(&mnt, &ip, 100, buf, sizeof(buf), &cr,
		    &done));
		check_errno(ufs_read(&mnt, &ip, 0, buf, sizeof(buf), &done));
		check_errno(ufs_truncate(&mnt, &ip, 3000, &cr));
		check_errno(ufs_remove(&mnt, &root, "fz", 2, &ip));
		check_errno(ufs_inactive(&mnt, &ip));
	}
	error = ufs_mkdir(&mnt, &root, "dz", 2, 0755, &cr, &d);
	check_errno(error);
	if (error == 0) {
		check_errno(ufs_rmdir(&mnt, &root, "dz", 2, &d));
		check_errno(ufs_inactive(&mnt, &d));
	}
unmount:
	check_errno(ufs_unmount(&mnt));
out:
	free(im->copy);
	im->copy = NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image im = { .in = data, .inlen = size };
	struct ufs_io io = { .read = io_read,
		.write = io_write,
		.flush = io_flush,
		.alloc = io_alloc,
		.free = io_free,
		.now = io_now,
		.ctx = &im };
	struct ufs_mount mnt;
	struct ufs_inode root;
	struct fs fs;
	int error, nodes = 0;

	if (size < SBOFF + sizeof(fs))
		return (0);
	memcpy(&fs, data + SBOFF, sizeof(fs));
	if (fs.fs_size <= 0 || fs.fs_fshift < 9 || fs.fs_fshift > 16)
		return (0);
	im.size = (uint64_t)fs.fs_size << fs.fs_fshift;
	if (im.size > MAX_IMAGE || im.size < SBOFF + SBSIZE)
		return (0);
	im.fsize = 1u << fs.fs_fshift;
	error = ufs_mount(&io, im.size, UFS_MNT_RDONLY, &mnt);
	check_errno(error);
	if (error != 0)
		return (0);
	if (mnt.fs->fs_fsize != (int32_t)im.fsize)
		abort();
	error = ufs_iget(&mnt, ROOTINO, &root);
	check_errno(error);
	if (error == 0 && (root.din.di_mode & IFMT) == IFDIR)
		walk_dir(&mnt, &root, 0, &nodes);
	check_errno(ufs_unmount(&mnt));
	rw_pass(&im, &io);
	return (0);
}
