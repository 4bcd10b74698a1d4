/*
 * ufs_testutil.c - helpers of the UFS1 library tests (ufs_testutil.h).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "images/tests/tools_util.h"
#include "runtime/vfs/ufs/tests/ufs_testutil.h"

struct ut_img ut_img = { .fd = -1 };
struct ufs_mount ut_mnt;
const struct ufs_cred ut_root = { 0, 0 };
const struct ufs_cred ut_user = { 1000, 1000 };

static void
check_io(uint64_t off, size_t len)
{
	if (off == SBOFF && len == SBSIZE)
		return;
	cr_assert_neq(ut_img.fsize, 0, "I/O at %ju before the superblock",
	    (uintmax_t)off);
	cr_assert(off % ut_img.fsize == 0 && len % ut_img.fsize == 0 && len > 0,
	    "I/O of %zu bytes at %ju is not in fragments of %u", len,
	    (uintmax_t)off, ut_img.fsize);
}

static int
io_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct ut_img *im = ctx;

	check_io(off, len);
	im->reads++;
	if (pread(im->fd, buf, len, (off_t)(im->base + off)) != (ssize_t)len)
		return (EIO);
	if (off == SBOFF && len == SBSIZE && im->fsize == 0) {
		const struct fs *fs = buf;

		if (fs->fs_magic == FS_MAGIC && fs->fs_fsize >= 512)
			im->fsize = (uint32_t)fs->fs_fsize;
	}
	return (0);
}

static int
io_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
	struct ut_img *im = ctx;

	check_io(off, len);
	im->writes++;
	if (pwrite(im->fd, buf, len, (off_t)(im->base + off)) != (ssize_t)len)
		return (EIO);
	return (0);
}

static int
io_flush(void *ctx)
{
	((struct ut_img *)ctx)->flushes++;
	return (0);
}

static void *
io_alloc(void *ctx, size_t len)
{
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
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	*sec = ts.tv_sec;
	*nsec = (int32_t)ts.tv_nsec;
}

void
ut_newfs(const char *path, const char *size, const char *opts)
{
	tu_scratch();
	cr_assert_eq(tu_run("truncate -s %s %s && newfs %s %s", size, path,
			 opts, path),
	    0, "newfs: %s", tu_err);
}

int
ut_mount_at(const char *path, uint64_t base, int flags)
{
	struct ufs_io io = { .read = io_read,
		.write = io_write,
		.flush = io_flush,
		.alloc = io_alloc,
		.free = io_free,
		.now = io_now,
		.ctx = &ut_img };
	off_t size;
	int error;

	memset(&ut_img, 0, sizeof(ut_img));
	ut_img.fd = open(path, (flags & UFS_MNT_RDONLY) ? O_RDONLY : O_RDWR);
	cr_assert_geq(ut_img.fd, 0, "%s: %s", path, strerror(errno));
	ut_img.base = base;
	size = lseek(ut_img.fd, 0, SEEK_END);
	error = ufs_mount(&io, (uint64_t)size - base, flags, &ut_mnt);
	if (error != 0) {
		close(ut_img.fd);
		ut_img.fd = -1;
	}
	return (error);
}

int
ut_mount(const char *path, int flags)
{
	return (ut_mount_at(path, 0, flags));
}

void
ut_umount(void)
{
	int error = ufs_unmount(&ut_mnt);

	cr_assert_eq(error, 0, "unmount: %s", strerror(error));
	close(ut_img.fd);
	ut_img.fd = -1;
}

void
ut_iget(uint32_t ino, struct ufs_inode *ip)
{
	int error = ufs_iget(&ut_mnt, ino, ip);

	cr_assert_eq(error, 0, "iget %u: %s", ino, strerror(error));
}

uint32_t
ut_namei(const char *path)
{
	struct ufs_inode dir;
	uint32_t ino = ROOTINO;
	const char *p = path, *e;

	while (*p == '/')
		p++;
	while (*p != '\0') {
		e = strchr(p, '/');
		if (e == NULL)
			e = p + strlen(p);
		ut_iget(ino, &dir);
		if (ufs_lookup(&ut_mnt, &dir, p, (size_t)(e - p), &ino) != 0)
			return (0);
		p = e;
		while (*p == '/')
			p++;
	}
	return (ino);
}

void
ut_mkfile(struct ufs_inode *dp, const char *name, const void *data, size_t len,
    struct ufs_inode *ip)
{
	size_t done;
	int error;

	error = ufs_create(&ut_mnt, dp, name, strlen(name), IFREG | 0644, 0,
	    &ut_root, ip);
	cr_assert_eq(error, 0, "create %s: %s", name, strerror(error));
	if (len == 0)
		return;
	error = ufs_write(&ut_mnt, ip, 0, data, len, &ut_root, &done);
	cr_assert_eq(error, 0, "write %s: %s", name, strerror(error));
	cr_assert_eq(done, len);
}

void
ut_pattern(void *buf, size_t len, unsigned seed, uint64_t off)
{
	uint8_t *b = buf;

	for (size_t i = 0; i < len; i++) {
		uint64_t x = (off + i) * 2654435761u + seed * 40503u;

		b[i] = (uint8_t)(x ^ (x >> 13) ^ (x >> 24));
	}
}

uint8_t *
ut_slurp(struct ufs_inode *ip, size_t *lenp)
{
	size_t size = (size_t)ip->din.di_size, done;
	uint8_t *buf = malloc(size + 1);
	int error;

	cr_assert_not_null(buf);
	error = ufs_read(&ut_mnt, ip, 0, buf, size, &done);
	cr_assert_eq(error, 0, "read %u: %s", ip->ino, strerror(error));
	cr_assert_eq(done, size);
	*lenp = size;
	return (buf);
}
