/*
 * fs_bench.c - file system throughput for make bench: sequential write and
 * read of a large file, and file creation and removal.  Run natively and
 * as init in the guest (harness/bench/benches.conf, [fs.write], [fs.read],
 * [fs.create]), it times itself and prints "<label> <nanoseconds>", the
 * value line vkbench reads, then "fs: done", the line it waits for.
 *
 * The operation comes from the name it runs under (fs_write, fs_read,
 * fs_create: hard links on bench.iso, since the guest's init gets no
 * arguments) or from its first argument (write, read, create).  It works
 * in the directory given next, created if missing (natively), or, with
 * none (in the guest), on /mnt, where it first mounts /dev/vkd0s0, an
 * unlabelled UFS image, read-write.
 *
 *	write	FILE_SIZE bytes in IO_SIZE writes, then fsync: "fs.write".
 *	read	writes the file (untimed), reads it once (untimed, checking
 *		that each 4 KiB holds the offset written there), then
 *		times a second read: "fs.read".  The reads are warm on both
 *		sides (the host's page cache holds the file natively and
 *		holds the disk image under the guest), because the guest
 *		cannot drop its kernel's buffer cache.
 *	create	creates (open O_CREAT + close) NFILES empty files in one
 *		directory, then unlinks them all: "fs.create".
 *
 * As init it then stays up until the harness stops the kernel, which
 * unmounts the file system cleanly at the halt.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FILE_SIZE  (256L << 20) /* bytes of the sequential file */
#define IO_SIZE	   (64 << 10)	/* bytes per read or write */
#define NFILES	   2000		/* files created and removed */
#define STAMP_SIZE 4096		/* bytes per offset stamp in the data */

static char iobuf[IO_SIZE];

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
}

static int
fail(const char *what)
{
	printf("fs: %s: %s\n", what, strerror(errno));
	fflush(stdout);
	return (1);
}

/*
 * Stamps each STAMP_SIZE piece of iobuf, which goes at offset off of the
 * file, with its offset, so that a read can tell misplaced data.
 */
static void
stamp(long off)
{
	long i;

	for (i = 0; i < IO_SIZE; i += STAMP_SIZE)
		memcpy(iobuf + i, &(long) { off + i }, sizeof(long));
}

/* Checks the stamps of iobuf, read at offset off; 0 or 1 after a message. */
static int
check(long off, size_t len)
{
	long i, v;

	for (i = 0; i + (long)sizeof(v) <= (long)len; i += STAMP_SIZE) {
		memcpy(&v, iobuf + i, sizeof(v));
		if (v != off + i || iobuf[i + sizeof(v)] != (char)0xa5) {
			printf("fs: bad data at offset %ld\n", off + i);
			return (1);
		}
	}
	return (0);
}

/* Writes FILE_SIZE bytes into path and syncs it; 0 or 1 after a message. */
static int
write_file(const char *path)
{
	long off;
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1)
		return (fail(path));
	for (off = 0; off < FILE_SIZE; off += IO_SIZE) {
		stamp(off);
		if (write(fd, iobuf, IO_SIZE) != IO_SIZE) {
			close(fd);
			return (fail("write"));
		}
	}
	if (fsync(fd) == -1) {
		close(fd);
		return (fail("fsync"));
	}
	return (close(fd) == -1 ? fail("close") : 0);
}

/*
 * Reads path to its end, checking the data when verify is set; 0 or 1
 * after a message.
 */
static int
read_file(const char *path, int verify)
{
	long total = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return (fail(path));
	while ((n = read(fd, iobuf, IO_SIZE)) > 0) {
		if (verify && check(total, (size_t)n) != 0) {
			close(fd);
			return (1);
		}
		total += n;
	}
	close(fd);
	if (n == -1)
		return (fail("read"));
	if (total != FILE_SIZE) {
		printf("fs: read %ld bytes, not %ld\n", total, FILE_SIZE);
		return (1);
	}
	return (0);
}

static int
create_files(const char *dir)
{
	char path[4096];
	int fd, i;

	for (i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/f%05d", dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd == -1 || close(fd) == -1)
			return (fail(path));
	}
	for (i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/f%05d", dir, i);
		if (unlink(path) == -1)
			return (fail(path));
	}
	return (0);
}

static void
report(const char *label, long long ns, const char *what)
{
	printf("%s %lld\n", label, ns);
	if (strcmp(label, "fs.create") == 0)
		printf("fs: %d files created and removed in %.1f ms, "
		       "%.0f files/s\n",
		    NFILES, ns / 1e6, NFILES / (ns / 1e9));
	else
		printf("fs: %s %ld MiB in %.1f ms, %.1f MiB/s\n", what,
		    FILE_SIZE >> 20, ns / 1e6, (FILE_SIZE >> 20) / (ns / 1e9));
}

/* The operation named by s: "write", "fs_write", "/sbin/fs_write", ... */
static int
op_of(const char *s)
{
	const char *base = strrchr(s, '/') != NULL ? strrchr(s, '/') + 1 : s;

	if (strncmp(base, "fs_", 3) == 0)
		base += 3;
	if (strcmp(base, "write") == 0)
		return ('w');
	if (strcmp(base, "read") == 0)
		return ('r');
	if (strcmp(base, "create") == 0)
		return ('c');
	return (0);
}

int
main(int argc, char **argv)
{
	char path[4096];
	const char *dir;
	long long t0, t1;
	int op, i, error;
	char c;

	i = 1;
	if ((op = op_of(argv[0])) == 0 && argc > 1)
		op = op_of(argv[i++]);
	if (op == 0) {
		printf("usage: fs_bench write|read|create [dir]\n");
		return (64);
	}
	if (i < argc) {
		dir = argv[i];
		if (mkdir(dir, 0755) == -1 && errno != EEXIST)
			return (fail(dir));
	} else {
		dir = "/mnt";
		if (mount("/dev/vkd0s0", dir, "ufs", 0, NULL) == -1)
			return (fail("mount /dev/vkd0s0 on /mnt"));
	}
	memset(iobuf, 0xa5, sizeof(iobuf));
	snprintf(path, sizeof(path), "%s/big", dir);
	error = 0;
	switch (op) {
	case 'w':
		t0 = now_ns();
		error = write_file(path);
		t1 = now_ns();
		if (error == 0)
			report("fs.write", t1 - t0, "wrote");
		break;
	case 'r':
		if ((error = write_file(path)) != 0 ||
		    (error = read_file(path, 1)) != 0)
			break;
		t0 = now_ns();
		error = read_file(path, 0);
		t1 = now_ns();
		if (error == 0)
			report("fs.read", t1 - t0, "read");
		break;
	default:
		t0 = now_ns();
		error = create_files(dir);
		t1 = now_ns();
		if (error == 0)
			report("fs.create", t1 - t0, NULL);
		break;
	}
	if (error != 0)
		return (1);
	printf("fs: done\n");
	fflush(stdout);
	if (getpid() == 1)
		while (read(0, &c, 1) > 0)
			;
	return (0);
}
