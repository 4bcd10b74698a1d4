/*
 * mount_ufs.c - mount a UFS1 file system image on the host through FUSE:
 *
 *	mount_ufs [-f] [-o option[,option...]] special node
 *
 * special is an image file, a vn device (vnN, vnNs0, /dev/vnNs0a) or
 * anything else imgdev accepts; the partition comes from its disklabel
 * (the one named, else 'a'), or the whole slice without a label.  The
 * image is opened and flock(2)ed as the other image tools do, so that a
 * running kernel or tool cannot use it meanwhile; everything is checked
 * (superblock, clean flag, /dev/fuse, node) before the mount, and
 * nothing is written before it succeeds.  On unmount (umount node or
 * fusermount3 -u node) every inode is released, the file system is
 * written and marked clean, and the image is synced; the process exits
 * when that is done.  Options: ro, rw (default), force (mount an unclean
 * file system read-write).  -f stays in the foreground.
 */
#include <err.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "images/tools/common/imgdev.h"
#include "images/tools/mount_ufs/mount_ufs.h"

static struct imgdev dev;
static uint64_t part_off; /* bytes from the start of the slice */
static uint64_t part_size;

static _Noreturn void
usage(void)
{
	fprintf(stderr,
	    "usage: mount_ufs [-f] [-o ro|rw|force] special "
	    "node\n");
	exit(EX_USAGE);
}

static int
io_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	uint64_t at = dev.slice_off * DL_SECSIZE + part_off + off;
	ssize_t n;

	if (off > part_size || len > part_size - off)
		return (EIO);
	while (len > 0) {
		n = pread(dev.fd, buf, len, (off_t)at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return (EIO);
		buf = (char *)buf + n;
		len -= (size_t)n;
		at += (uint64_t)n;
	}
	return (0);
}

static int
io_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
	uint64_t at = dev.slice_off * DL_SECSIZE + part_off + off;
	ssize_t n;

	if (off > part_size || len > part_size - off)
		return (EIO);
	while (len > 0) {
		n = pwrite(dev.fd, buf, len, (off_t)at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			mu.error = EIO;
			return (EIO);
		}
		buf = (const char *)buf + n;
		len -= (size_t)n;
		at += (uint64_t)n;
	}
	return (0);
}

static int
io_flush(void *ctx)
{
	return (fdatasync(dev.fd) == 0 ? 0 : EIO);
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

/* The partition in the slice, as newfs finds it (bytes). */
static void
find_partition(void)
{
	uint8_t buf[DL_READSIZE];
	size_t len = sizeof(buf);
	struct dl_label l;
	const char *msg;
	int part = dev.part, bad;

	if (dev.slice_size * DL_SECSIZE < len)
		len = dev.slice_size * DL_SECSIZE;
	imgdev_read(&dev, buf, len, 0);
	msg = dl_read_label(buf, len, &l);
	if (msg != NULL && strcmp(msg, "no disk label") == 0 && part < 0) {
		part_off = 0;
		part_size = dev.slice_size * DL_SECSIZE;
		return;
	}
	if (msg != NULL)
		errx(EX_DATAERR, "%s: %s", dev.name, msg);
	if (part < 0)
		part = 0;
	if (l.kind == 32) {
		const struct partition32 *pp = &l.u.l32.d_partitions[part];

		if ((msg = dl32_check(&l.u.l32, dev.slice_off, dev.slice_size,
			 &bad)) != NULL)
			errx(EX_DATAERR, "%s: bad disk label: %s", dev.name,
			    msg);
		if (part >= l.u.l32.d_npartitions || pp->p_size == 0)
			errx(EX_DATAERR, "%s: `%c' partition is unavailable",
			    dev.name, 'a' + part);
		part_off = (pp->p_offset - dev.slice_off) * DL_SECSIZE;
		part_size = (uint64_t)pp->p_size * DL_SECSIZE;
		return;
	}
	if ((msg = dl64_check(&l.u.l64, dev.slice_size * DL_SECSIZE, &bad)) !=
	    NULL)
		errx(EX_DATAERR, "%s: bad disklabel64: %s", dev.name, msg);
	if ((uint32_t)part >= l.u.l64.d_npartitions ||
	    l.u.l64.d_partitions[part].p_bsize == 0)
		errx(EX_DATAERR, "%s: `%c' partition is unavailable", dev.name,
		    'a' + part);
	part_off = l.u.l64.d_partitions[part].p_boffset;
	part_size = l.u.l64.d_partitions[part].p_bsize;
}

static void
parse_opts(char *s, bool *ro, bool *force)
{
	char *save = NULL;

	for (char *o = strtok_r(s, ",", &save); o != NULL;
	     o = strtok_r(NULL, ",", &save)) {
		if (strcmp(o, "ro") == 0 || strcmp(o, "rdonly") == 0)
			*ro = true;
		else if (strcmp(o, "rw") == 0)
			*ro = false;
		else if (strcmp(o, "force") == 0)
			*force = true;
		else
			errx(EX_USAGE, "-o %s: unknown option", o);
	}
}

static void
mount_fs(bool ro, bool force)
{
	struct ufs_io io = { io_read, io_write, io_flush, io_alloc, io_free,
		io_now, NULL };
	int error;

	if (part_off + part_size > dev.slice_size * DL_SECSIZE)
		errx(EX_DATAERR, "%s: partition outside the slice", dev.name);
	/* Read-only first: nothing is written before FUSE has mounted. */
	error = ufs_mount(&io, part_size, UFS_MNT_RDONLY, &mu.mnt);
	if (error == 0 && mu.mnt.unclean && !ro && !force)
		errx(EX_DATAERR,
		    "%s: R/W mount denied.  Filesystem is not clean - run "
		    "fsck (or mount with -o ro or -o force)",
		    dev.name);
	if (error == EINVAL)
		errx(EX_DATAERR, "%s: not a UFS1 file system (bad superblock)",
		    dev.name);
	if (error != 0)
		errx(EX_IOERR, "%s: mount: %s", dev.name, strerror(error));
	if (mu.mnt.unclean)
		warnx("WARNING: %s was not properly dismounted", dev.name);
}

/* Runs the session; returns the exit status. */
static int
serve(const char *node, bool ro, bool force, bool foreground)
{
	char opts[PATH_MAX + 128];
	char *fargv[] = { "mount_ufs", "-o", opts, NULL };
	struct fuse_args args = FUSE_ARGS_INIT(3, fargv);
	struct fuse_session *se;
	int status = 0, error;

	snprintf(opts, sizeof(opts),
	    "fsname=%s,subtype=ufs,"
	    "default_permissions%s",
	    dev.path, ro ? ",ro" : "");
	se = fuse_session_new(&args, &mu_ops, sizeof(mu_ops), NULL);
	fuse_opt_free_args(&args);
	if (se == NULL)
		errx(EX_SOFTWARE, "cannot start a FUSE session");
	if (fuse_session_mount(se, node) != 0)
		errx(EX_UNAVAILABLE, "%s: FUSE mount failed", node);
	if (!ro &&
	    (error = ufs_mount_update(&mu.mnt, force ? UFS_MNT_FORCE : 0)) !=
		0) {
		fuse_session_unmount(se);
		errx(EX_IOERR, "%s: read-write mount: %s", dev.name,
		    strerror(error));
	}
	if (fuse_set_signal_handlers(se) != 0)
		warnx("cannot set signal handlers");
	if (fuse_daemonize(foreground) != 0)
		warnx("cannot go to the background");
	if (fuse_session_loop(se) != 0)
		status = EX_IOERR;
	fuse_session_unmount(se);
	fuse_remove_signal_handlers(se);
	fuse_session_destroy(se);
	if ((error = mu_release_all()) != 0 ||
	    (error = ufs_unmount(&mu.mnt)) != 0 || (error = mu.error) != 0) {
		warnx("%s: writing back: %s", dev.name, strerror(error));
		status = EX_IOERR;
	}
	return (status);
}

int
main(int argc, char **argv)
{
	bool ro = false, force = false, foreground = false;
	struct stat st;
	int ch, status;

	while ((ch = getopt(argc, argv, "fo:")) != -1) {
		switch (ch) {
		case 'f':
			foreground = true;
			break;
		case 'o':
			parse_opts(optarg, &ro, &force);
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	if (stat(argv[optind + 1], &st) != 0)
		err(EX_NOINPUT, "%s", argv[optind + 1]);
	if (!S_ISDIR(st.st_mode))
		errx(EX_USAGE, "%s: not a directory", argv[optind + 1]);
	if (access("/dev/fuse", R_OK | W_OK) != 0)
		err(EX_UNAVAILABLE, "/dev/fuse");
	imgdev_open(&dev, argv[optind], !ro);
	find_partition();
	mount_fs(ro, force);
	status = serve(argv[optind + 1], ro, force, foreground);
	imgdev_close(&dev);
	return (status);
}
