/*
 * fsck.c - the fsck_ufs(8) command (also installed as fsck): checks and
 * repairs UFS1 file systems in images, as DragonFly's fsck.
 *
 *	fsck_ufs [-p | -n | -y] [-f] [-b block] special ...
 *
 * special is what the other image tools take: a partition (vn0s0a,
 * /dev/vn0s0a), a slice or image whose label has an 'a' partition, or an
 * image without a label, used whole.  The check itself is the core in
 * fsck_setup.c and the fsck_pass*.c files, reached through a struct
 * fsck_io over the partition's byte range.
 *
 * Exit status: 0 when every file system is consistent or was fixed, 8
 * when one had inconsistencies left or could not be checked (not UFS1,
 * bad label); 64 for a bad command line and the codes of the shared image
 * access (66 missing special, 74 I/O error, 75 busy) before checking.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "images/tools/common/imgdev.h"
#include "images/tools/fsck_ufs/fsck.h"

static const char *progname = "fsck_ufs";

static _Noreturn void
usage(void)
{
	fprintf(stderr,
	    "usage: %s [-p | -n | -y] [-f] [-b block] special ...\n", progname);
	exit(EX_USAGE);
}

/* The partition of the special, in bytes of its slice. */
struct part {
	struct imgdev *d;
	uint64_t off, size;
};

static int
part_read(void *arg, void *buf, size_t len, uint64_t off)
{
	struct part *p = arg;

	if (off > p->size || len > p->size - off)
		return (-1);
	imgdev_read(p->d, buf, len, p->off + off);
	return (0);
}

static int
part_write(void *arg, const void *buf, size_t len, uint64_t off)
{
	struct part *p = arg;

	if (off > p->size || len > p->size - off)
		return (-1);
	imgdev_write(p->d, buf, len, p->off + off);
	return (0);
}

/*
 * Finds the byte range of the file system as newfs does: the partition
 * named, else 'a' of the label, else the whole slice without a label.
 * Returns NULL or why there is none.
 */
static const char *
find_partition(struct imgdev *d, struct part *p)
{
	uint8_t buf[DL_READSIZE];
	size_t len = sizeof(buf);
	struct dl_label l;
	const char *msg;
	int part = d->part, bad;

	if (d->slice_size * DL_SECSIZE < len)
		len = d->slice_size * DL_SECSIZE;
	imgdev_read(d, buf, len, 0);
	msg = dl_read_label(buf, len, &l);
	if (msg != NULL && strcmp(msg, "no disk label") == 0 && part < 0) {
		p->off = 0;
		p->size = d->slice_size * DL_SECSIZE;
		return (NULL);
	}
	if (msg != NULL)
		return (msg);
	if (part < 0)
		part = 0;
	if (l.kind == 32) {
		const struct partition32 *pp = &l.u.l32.d_partitions[part];

		if ((msg = dl32_check(&l.u.l32, d->slice_off, d->slice_size,
			 &bad)) != NULL)
			return (msg);
		if (part >= l.u.l32.d_npartitions || pp->p_size == 0)
			return ("the partition is unavailable");
		p->off = (pp->p_offset - d->slice_off) * DL_SECSIZE;
		p->size = (uint64_t)pp->p_size * DL_SECSIZE;
		return (NULL);
	}
	if ((msg = dl64_check(&l.u.l64, d->slice_size * DL_SECSIZE, &bad)) !=
	    NULL)
		return (msg);
	if ((uint32_t)part >= l.u.l64.d_npartitions ||
	    l.u.l64.d_partitions[part].p_bsize == 0)
		return ("the partition is unavailable");
	p->off = l.u.l64.d_partitions[part].p_boffset;
	p->size = l.u.l64.d_partitions[part].p_bsize;
	return (NULL);
}

static int
check_special(const char *name, enum fsck_mode mode, bool force, int64_t altsb)
{
	struct imgdev d;
	struct part p;
	struct fsck_opts o = { mode, force, altsb, name, stdout, stdin,
		stderr };
	struct fsck_io io;
	const char *msg;
	int rc;

	imgdev_open(&d, name, mode != FSCK_NO);
	p.d = &d;
	if ((msg = find_partition(&d, &p)) != NULL) {
		warnx("%s: %s; CAN'T CHECK FILE SYSTEM.", name, msg);
		imgdev_close(&d);
		return (FSCK_EXIT_FAIL);
	}
	io.read = part_read;
	io.write = mode == FSCK_NO ? NULL : part_write;
	io.arg = &p;
	io.size = p.size;
	rc = fsck_check(&o, &io);
	imgdev_close(&d);
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
		usage();
	for (int i = first; i < argc; i++) {
		int r = check_special(argv[i], o.mode, o.force, o.altsb);

		if (r > rc)
			rc = r;
	}
	if (fflush(stdout) != 0)
		err(FSCK_EXIT_FAIL, "stdout");
	return (rc);
}
