/*
 * fsck_guest.c - fsck(8) and fsck_ufs(8) inside the Vireo guest: the
 * checker core of the host tool (images/tools/fsck_ufs/fsck.h) over a
 * raw partition device such as /dev/vkd0s0a, built with musl-gcc.
 *
 *	fsck [-p | -n | -y] [-f] [-b block] [special ...]
 *
 * special is a partition device (or a regular file holding a bare file
 * system), used whole: unlike the host tool there is no vn registry and
 * no label to search, since the kernel's /dev already has one node per
 * partition.  Without a special, every ufs file system of /etc/fstab
 * whose pass number is not 0 is checked, pass 1 first, then 2, ..., as
 * BSD's fsck does (one at a time: there is one disk queue anyway).
 *
 * The device takes whole 512-byte sectors at sector-aligned offsets
 * (runtime/dev/disk_part.c), so I/O the core asks for elsewhere goes
 * through a bounce buffer (read-modify-write for writes).  A device's
 * size is not in its stat, so it is found by probing reads: the device
 * reads 0 bytes past its end.
 *
 * A file system mounted read-write is refused unless -n (checking it
 * would race with the kernel).  Checking the read-only root is what rc
 * does before "mount -u /"; when the check changed it, the kernel's copy
 * of the superblock and inodes is stale, and as BSD's fsck does when it
 * cannot reload the mount, the exit status is 4: rc must reboot (the
 * next boot finds the root clean).
 *
 * Exit status: BSD fsck's: 0 clean or fixed, 4 a mounted file system was
 * changed (reboot), 8 inconsistencies left or the special cannot be
 * checked (missing, mounted read-write, I/O error), 1 for a bad command
 * line.
 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "images/tools/fsck_ufs/fsck.h"

#define SECSIZE	    512
#define PATH_FSTAB  "/etc/fstab"
#define PATH_MOUNTS "/proc/mounts"
#define MAXPASS	    9 /* fstab pass numbers taken, 1..MAXPASS */

static const char *progname = "fsck";

#define FSCK_EXIT_REBOOT 4 /* a mounted file system was changed (BSD) */

/* An open special: whole sectors at sector offsets. */
struct gdev {
	int fd;
	uint64_t size; /* bytes */
	const char *name;
	bool written; /* the check wrote something */
};

/* Where a special is mounted, as far as this program can tell. */
enum mstate {
	NOT_MOUNTED,
	MOUNTED_RO,
	MOUNTED_RW,
};

static _Noreturn void
usage(void)
{
	fprintf(stderr,
	    "usage: %s [-p | -n | -y] [-f] [-b block] [special ...]\n",
	    progname);
	exit(1);
}

/* pread/pwrite of whole sectors; returns 0 or -1. */
static int
raw_io(const struct gdev *d, void *buf, size_t len, uint64_t off, bool wr)
{
	uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = wr ? pwrite(d->fd, p, len, (off_t)off) :
				 pread(d->fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return (-1);
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return (0);
}

/*
 * Moves len bytes at off, aligning through a bounce buffer when the
 * range is not whole sectors.  Returns 0 or -1.
 */
static int
dev_io(struct gdev *d, void *buf, size_t len, uint64_t off, bool wr)
{
	uint64_t start, end;
	uint8_t *tmp;
	int rc;

	if (off > d->size || len > d->size - off)
		return (-1);
	if (off % SECSIZE == 0 && len % SECSIZE == 0)
		return (raw_io(d, buf, len, off, wr));
	start = off - off % SECSIZE;
	end = (off + len + SECSIZE - 1) / SECSIZE * SECSIZE;
	if ((tmp = malloc(end - start)) == NULL)
		return (-1);
	rc = raw_io(d, tmp, end - start, start, false);
	if (rc == 0 && !wr)
		memcpy(buf, tmp + (off - start), len);
	if (rc == 0 && wr) {
		memcpy(tmp + (off - start), buf, len);
		rc = raw_io(d, tmp, end - start, start, true);
	}
	free(tmp);
	return (rc);
}

static int
gdev_read(void *arg, void *buf, size_t len, uint64_t off)
{
	return (dev_io(arg, buf, len, off, false));
}

static int
gdev_write(void *arg, const void *buf, size_t len, uint64_t off)
{
	struct gdev *d = arg;

	d->written = true;
	return (dev_io(d, (void *)buf, len, off, true));
}

/* True when sector s of the device can be read. */
static bool
sector_readable(int fd, uint64_t s)
{
	uint8_t sec[SECSIZE];

	return (pread(fd, sec, sizeof(sec), (off_t)(s * SECSIZE)) ==
	    (ssize_t)sizeof(sec));
}

/*
 * The size of a device in bytes: the first sector that cannot be read,
 * found by doubling and then bisecting.  0 when not even sector 0 reads.
 */
static uint64_t
probe_size(int fd)
{
	uint64_t lo = 0, hi = 1; /* lo readable, hi not (once found) */

	if (!sector_readable(fd, 0))
		return (0);
	while (sector_readable(fd, hi)) {
		lo = hi;
		if (hi > (UINT64_MAX / SECSIZE) / 2)
			return (hi * SECSIZE);
		hi *= 2;
	}
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (sector_readable(fd, mid))
			lo = mid;
		else
			hi = mid;
	}
	return (hi * SECSIZE);
}

/* The last component of a device path ("vkd0s0a"), as /proc/mounts has it. */
static const char *
dev_base(const char *name)
{
	const char *slash = strrchr(name, '/');

	return (slash != NULL ? slash + 1 : name);
}

/*
 * Whether name is mounted, from /proc/mounts.  Without procfs (early in
 * rc) only the root is known to be mounted: the special that
 * /etc/fstab mounts on "/" counts as mounted read-only, as the kernel
 * mounts the root.
 */
static enum mstate
mount_state(const char *name)
{
	char line[1024], dev[256], dir[256], opts[256];
	enum mstate ms = NOT_MOUNTED;
	FILE *f = fopen(PATH_MOUNTS, "r");
	bool procfs = f != NULL;

	if (f == NULL && (f = fopen(PATH_FSTAB, "r")) == NULL)
		return (NOT_MOUNTED);
	while (fgets(line, sizeof(line), f) != NULL) {
		int n = sscanf(line, "%255s %255s %*s %255s", dev, dir, opts);

		if (line[0] == '#' || n != 3 ||
		    strcmp(dev_base(dev), dev_base(name)) != 0)
			continue;
		if (!procfs) {
			if (strcmp(dir, "/") == 0)
				ms = MOUNTED_RO;
		} else if (strncmp(opts, "rw", 2) == 0 &&
		    (opts[2] == '\0' || opts[2] == ',')) {
			ms = MOUNTED_RW;
		} else if (ms == NOT_MOUNTED) {
			ms = MOUNTED_RO;
		}
	}
	fclose(f);
	return (ms);
}

static int
check_special(const char *name, enum fsck_mode mode, bool force, int64_t altsb)
{
	struct fsck_opts o = { mode, force, altsb, name, stdout, stdin,
		stderr };
	struct gdev d = { -1, 0, name, false };
	enum mstate ms = mount_state(name);
	struct fsck_io io;
	struct stat st;
	int rc;

	if (mode != FSCK_NO && ms == MOUNTED_RW) {
		warnx("%s: MOUNTED READ-WRITE; CAN'T CHECK FILE SYSTEM.", name);
		return (FSCK_EXIT_FAIL);
	}
	if ((d.fd = open(name, mode == FSCK_NO ? O_RDONLY : O_RDWR)) < 0 ||
	    fstat(d.fd, &st) != 0) {
		warn("%s", name);
		if (d.fd >= 0)
			close(d.fd);
		return (FSCK_EXIT_FAIL);
	}
	d.size = S_ISREG(st.st_mode) ?
	    (uint64_t)st.st_size / SECSIZE * SECSIZE :
	    probe_size(d.fd);
	if (d.size == 0) {
		warnx("%s: cannot read; CAN'T CHECK FILE SYSTEM.", name);
		close(d.fd);
		return (FSCK_EXIT_FAIL);
	}
	io.read = gdev_read;
	io.write = mode == FSCK_NO ? NULL : gdev_write;
	io.arg = &d;
	io.size = d.size;
	rc = fsck_check(&o, &io);
	if (mode != FSCK_NO && fsync(d.fd) != 0 && errno != EINVAL) {
		warn("%s: fsync", name);
		rc = FSCK_EXIT_FAIL;
	}
	close(d.fd);
	/*
	 * A changed file system that is mounted (read-only: the root) must
	 * not be remounted read-write on the kernel's stale copy: BSD
	 * reloads it (MNT_RELOAD) and, when it cannot, says reboot with
	 * status 4, which rc obeys.  XXX The kernel has no reload yet.
	 */
	if (d.written && ms != NOT_MOUNTED && rc == FSCK_EXIT_OK) {
		if (mode != FSCK_PREEN)
			printf("\n***** REBOOT NOW *****\n");
		sync();
		rc = FSCK_EXIT_REBOOT;
	}
	return (rc);
}

/*
 * No special given: the ufs entries of /etc/fstab with a pass number,
 * in pass order.  Returns the worst exit code.
 */
static int
check_fstab(enum fsck_mode mode, bool force, int64_t altsb)
{
	char line[1024], dev[256], dir[256], type[64], opts[256];
	int dump, pass, rc = FSCK_EXIT_OK, found = 0;
	FILE *f = fopen(PATH_FSTAB, "r");

	if (f == NULL)
		err(FSCK_EXIT_FAIL, "%s", PATH_FSTAB);
	for (int want = 1; want <= MAXPASS; want++) {
		rewind(f);
		while (fgets(line, sizeof(line), f) != NULL) {
			int r;

			if (line[0] == '#' ||
			    sscanf(line, "%255s %255s %63s %255s %d %d", dev,
				dir, type, opts, &dump, &pass) != 6)
				continue;
			if (pass != want || strcmp(type, "ufs") != 0)
				continue;
			found++;
			r = check_special(dev, mode, force, altsb);
			if (r > rc)
				rc = r;
		}
	}
	fclose(f);
	if (found == 0)
		warnx("%s: no ufs file system to check", PATH_FSTAB);
	return (rc);
}

int
main(int argc, char **argv)
{
	const char *slash = strrchr(argv[0], '/');
	struct fsck_opts o;
	int first, rc = FSCK_EXIT_OK;

	progname = slash != NULL ? slash + 1 : argv[0];
	first = fsck_getopts(argc, argv, &o, usage);
	if (first == argc)
		rc = check_fstab(o.mode, o.force, o.altsb);
	for (int i = first; i < argc; i++) {
		int r = check_special(argv[i], o.mode, o.force, o.altsb);

		if (r > rc)
			rc = r;
	}
	if (fflush(stdout) != 0)
		err(FSCK_EXIT_FAIL, "stdout");
	return (rc);
}
