/*
 * ufs_mkseeds.c - writes a fuzz seed for ufs_fuzz from a newfs'd image:
 *
 *	ufs_mkseeds [-n] image seed
 *
 * Populates image through the library (unless -n): a file with a
 * fragment tail, a sparse file reaching the single indirect block, a
 * directory with entries, short and long symlinks, a fifo and a device,
 * a hard link; then writes image without its trailing zeros to seed.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <sysexits.h>
#include <unistd.h>

#include "runtime/vfs/ufs/ufs.h"

static int fd;

static int
io_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	return (pread(fd, buf, len, (off_t)off) == (ssize_t)len ? 0 : EIO);
}

static int
io_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
	return (pwrite(fd, buf, len, (off_t)off) == (ssize_t)len ? 0 : EIO);
}

static int
io_flush(void *ctx)
{
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
	*sec = 1700000000;
	*nsec = 0;
}

static void
ck(int error, const char *what)
{
	if (error != 0)
		errx(EX_SOFTWARE, "%s: %s", what, strerror(error));
}

static void
populate(struct ufs_mount *mp)
{
	static const struct ufs_cred cr = { 0, 0 };
	struct ufs_inode root, ip, d, x;
	char buf[3000];
	size_t done;

	memset(buf, 'q', sizeof(buf));
	ck(ufs_iget(mp, ROOTINO, &root), "root");
	ck(ufs_create(mp, &root, "file", 4, IFREG | 0644, 0, &cr, &ip),
	    "create");
	ck(ufs_write(mp, &ip, 0, buf, sizeof(buf), &cr, &done), "write");
	ck(ufs_link(mp, &root, "hard", 4, &ip, &cr), "link");
	ck(ufs_create(mp, &root, "sparse", 6, IFREG | 0600, 0, &cr, &ip),
	    "create");
	ck(ufs_write(mp, &ip,
	       (uint64_t)NDADDR * (uint64_t)mp->fs->fs_bsize + 10, buf, 100,
	       &cr, &done),
	    "write");
	ck(ufs_mkdir(mp, &root, "dir", 3, 0755, &cr, &d), "mkdir");
	ck(ufs_create(mp, &d, "a", 1, IFREG | 0644, 0, &cr, &x), "create");
	ck(ufs_create(mp, &d, "fifo", 4, IFIFO | 0644, 0, &cr, &x), "mkfifo");
	ck(ufs_create(mp, &d, "null", 4, IFCHR | 0666, 0x0203, &cr, &x),
	    "mknod");
	ck(ufs_symlink(mp, &d, "short", 5, "../file", 7, &cr, &x), "symlink");
	ck(ufs_symlink(mp, &d, "long", 4, buf, 200, &cr, &x), "symlink");
}

int
main(int argc, char **argv)
{
	struct ufs_io io = { io_read, io_write, io_flush, io_alloc, io_free,
		io_now, NULL };
	struct ufs_mount mnt;
	bool fill = true;
	uint8_t *img;
	off_t size, n;
	FILE *out;

	if (argc == 4 && strcmp(argv[1], "-n") == 0) {
		fill = false;
		argv++;
		argc--;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: ufs_mkseeds [-n] image seed\n");
		return (EX_USAGE);
	}
	if ((fd = open(argv[1], O_RDWR)) < 0)
		err(EX_NOINPUT, "%s", argv[1]);
	size = lseek(fd, 0, SEEK_END);
	ck(ufs_mount(&io, (uint64_t)size, 0, &mnt), "mount");
	if (fill)
		populate(&mnt);
	ck(ufs_unmount(&mnt), "unmount");
	if ((img = malloc((size_t)size)) == NULL)
		err(EX_OSERR, "malloc");
	if (pread(fd, img, (size_t)size, 0) != size)
		err(EX_IOERR, "%s", argv[1]);
	for (n = size; n > 0 && img[n - 1] == 0; n--)
		;
	if ((out = fopen(argv[2], "wb")) == NULL ||
	    fwrite(img, 1, (size_t)n, out) != (size_t)n || fclose(out) != 0)
		err(EX_IOERR, "%s", argv[2]);
	free(img);
	close(fd);
	return (0);
}
