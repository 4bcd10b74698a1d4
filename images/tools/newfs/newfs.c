/*
 * newfs.c - make a UFS1 file system on an image, as DragonFly's newfs(8).
 *
 *	newfs [-NU] [-L volname] [-b bsize] [-f fsize] [-i bytes] [-m free%]
 *	    [-o space|time] [-s sectors] special
 *
 * special is a partition of a labelled slice (vn0s0a, /dev/vn0s0a), a
 * slice or image whose label has an 'a' partition, or an image or slice
 * without a label, which is used whole.  Every option and the label are
 * checked and the layout is computed and passed through the shared
 * superblock check before the first byte is written.
 */
#include <ctype.h>
#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "images/tools/newfs/newfs.h"

static _Noreturn void
usage(void)
{
	fprintf(stderr,
	    "usage: newfs [-NU] [-L volname] [-b bsize] [-f fsize] "
	    "[-i bytes] [-m free%%]\n"
	    "             [-o space|time] [-s sectors] special\n");
	exit(EX_USAGE);
}

static int
number(int opt, const char *s, long min, long max)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min || v > max)
		errx(EX_USAGE, "-%c %s: must be a number from %ld to %ld", opt,
		    s, min, max);
	return ((int)v);
}

static void
check_volname(const char *s)
{
	if (*s == '\0' || strlen(s) >= MAXVOLLEN)
		errx(EX_USAGE,
		    "-L %s: the volume name must have 1 to %d "
		    "characters",
		    s, MAXVOLLEN - 1);
	for (const char *c = s; *c != '\0'; c++)
		if (!isalnum((unsigned char)*c) && *c != '_')
			errx(EX_USAGE,
			    "-L %s: bad volume label. Valid "
			    "characters are [0-9A-Za-z_]",
			    s);
}

static bool
powerof2(int v)
{
	return (v > 0 && (v & (v - 1)) == 0);
}

/* The size options alone, before the device is opened. */
static void
check_sizes(const struct mkfs_params *p)
{
	if (p->bsize != 0 && !powerof2(p->bsize))
		errx(EX_USAGE, "-b %d: block size must be a power of 2",
		    p->bsize);
	if (p->fsize != 0 && !powerof2(p->fsize))
		errx(EX_USAGE, "-f %d: fragment size must be a power of 2",
		    p->fsize);
	if (p->bsize != 0 && p->fsize != 0 && p->bsize < p->fsize)
		errx(EX_USAGE,
		    "block size (%d) cannot be smaller than fragment size (%d)",
		    p->bsize, p->fsize);
	if (p->bsize != 0 && p->fsize != 0 && p->bsize / p->fsize > MAXFRAG)
		errx(EX_USAGE,
		    "fragment size %d is too small, minimum with block size "
		    "%d is %d",
		    p->fsize, p->bsize, p->bsize / MAXFRAG);
}

/*
 * The byte range of the file system in the slice: the partition named or
 * 'a' of the label, or the whole slice when there is no label.
 */
static void
find_partition(struct imgdev *d, uint64_t *off, uint64_t *size)
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
		*off = 0;
		*size = d->slice_size;
		return;
	}
	if (msg != NULL)
		errx(EX_DATAERR, "%s: %s", d->name, msg);
	if (part < 0)
		part = 0;
	if (l.kind == 32) {
		const struct partition32 *pp = &l.u.l32.d_partitions[part];

		if ((msg = dl32_check(&l.u.l32, d->slice_off, d->slice_size,
			 &bad)) != NULL)
			errx(EX_DATAERR, "%s: bad disk label: %s%c%s", d->name,
			    bad >= 0 ? "partition " : "",
			    bad >= 0 ? 'a' + bad : ' ', msg);
		if (part >= l.u.l32.d_npartitions || pp->p_size == 0)
			errx(EX_DATAERR, "%s: `%c' partition is unavailable",
			    d->name, 'a' + part);
		if (pp->p_fstype == FS_BOOT)
			errx(EX_DATAERR,
			    "%s: `%c' partition overlaps boot program", d->name,
			    'a' + part);
		*off = pp->p_offset - d->slice_off;
		*size = pp->p_size;
		return;
	}
	if ((msg = dl64_check(&l.u.l64, d->slice_size * DL_SECSIZE, &bad)) !=
	    NULL)
		errx(EX_DATAERR, "%s: bad disklabel64: %s", d->name, msg);
	if ((uint32_t)part >= l.u.l64.d_npartitions ||
	    l.u.l64.d_partitions[part].p_bsize == 0)
		errx(EX_DATAERR, "%s: `%c' partition is unavailable", d->name,
		    'a' + part);
	*off = l.u.l64.d_partitions[part].p_boffset / DL_SECSIZE;
	*size = l.u.l64.d_partitions[part].p_bsize / DL_SECSIZE;
}

int
main(int argc, char **argv)
{
	struct mkfs_params p = { .bsize = 0,
		.fsize = 0,
		.density = 0,
		.minfree = MINFREE,
		.optim = FS_OPTTIME };
	struct imgdev d;
	struct fs fs = { 0 };
	uint64_t off, size, want = 0;
	const char *msg;
	bool dryrun = false;
	int ch;

	while ((ch = getopt(argc, argv, "L:NUb:f:i:m:o:s:")) != -1) {
		switch (ch) {
		case 'L':
			check_volname(optarg);
			p.volname = optarg;
			break;
		case 'N':
			dryrun = true;
			break;
		case 'U':
			p.softdep = true;
			break;
		case 'b':
			p.bsize = number(ch, optarg, MINBSIZE, MAXBSIZE);
			break;
		case 'f':
			p.fsize = number(ch, optarg, DEV_BSIZE, MAXBSIZE);
			break;
		case 'i':
			p.density = number(ch, optarg, 512, INT_MAX);
			break;
		case 'm':
			p.minfree = number(ch, optarg, 0, 99);
			break;
		case 'o':
			if (strcmp(optarg, "space") == 0)
				p.optim = FS_OPTSPACE;
			else if (strcmp(optarg, "time") == 0)
				p.optim = FS_OPTTIME;
			else
				errx(EX_USAGE, "-o %s: must be space or time",
				    optarg);
			break;
		case 's':
			want = (uint64_t)number(ch, optarg, 1, INT_MAX);
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		usage();
	check_sizes(&p);
	/* As newfs.c: fsize first, then bsize up to 8 fragments. */
	if (p.fsize == 0)
		p.fsize = p.bsize != 0 && p.bsize / 8 > DFL_FRAGSIZE ?
		    p.bsize / 8 :
		    DFL_FRAGSIZE;
	if (p.bsize == 0)
		p.bsize = p.fsize * 8 < DFL_BLKSIZE ? p.fsize * 8 : DFL_BLKSIZE;
	if (p.density == 0)
		p.density = NFPI * p.fsize;
	if (p.minfree < MINFREE && p.optim != FS_OPTSPACE) {
		fprintf(stderr,
		    "Warning: changing optimization to space "
		    "because minfree is less than %d%%\n",
		    MINFREE);
		p.optim = FS_OPTSPACE;
	}
	p.maxcontig = NEWFS_MAXPHYS / p.bsize - 1 > 1 ?
	    NEWFS_MAXPHYS / p.bsize - 1 :
	    1;
	p.maxbpg = p.bsize / (int)sizeof(int32_t);
	p.name = argv[optind];
	p.now = (int32_t)time(NULL);
	imgdev_open(&d, argv[optind], !dryrun);
	find_partition(&d, &off, &size);
	if (want > size)
		errx(EX_DATAERR,
		    "%s: -s %ju is larger than the partition "
		    "(%ju sectors)",
		    d.name, (uintmax_t)want, (uintmax_t)size);
	p.sectors = want != 0 ? want : size;
	printf("%s: media size %6.2fMB\n", p.name,
	    (double)p.sectors * DL_SECSIZE / (1024.0 * 1024.0));
	if ((msg = mkfs_layout(&p, &fs)) != NULL)
		errx(EX_DATAERR, "%s: %s", p.name, msg);
	if ((msg = ufs_sb_check(&fs, size * DL_SECSIZE)) != NULL)
		errx(EX_SOFTWARE,
		    "%s: internal error, the new superblock "
		    "fails its check: %s",
		    p.name, msg);
	if (dryrun)
		return (EX_OK);
	mkfs_write(&d, off * DL_SECSIZE, &p, &fs);
	imgdev_close(&d);
	if (fflush(stdout) != 0)
		err(EX_IOERR, "stdout");
	return (EX_OK);
}
