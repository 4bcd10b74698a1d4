/*
 * imgdev.c - vn names, the vnconfig registry, and slice-level access to
 * image files for the host tools (contract in imgdev.h).
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "images/tools/common/imgdev.h"

/* Reads a decimal number of at most 3 digits at *sp. */
static bool
parse_num(const char **sp, int *out)
{
	const char *s = *sp;
	int v = 0, n = 0;

	while (*s >= '0' && *s <= '9' && n < 3) {
		v = v * 10 + (*s - '0');
		s++;
		n++;
	}
	if (n == 0 || (*s >= '0' && *s <= '9') || (n > 1 && **sp == '0'))
		return (false);
	*sp = s;
	*out = v;
	return (true);
}

bool
vn_parse(const char *name, struct vn_name *vn)
{
	const char *s = name;
	struct vn_name v = { -1, -1, -1 };

	if (strncmp(s, "/dev/", 5) == 0)
		s += 5;
	if (strncmp(s, "vn", 2) != 0)
		return (false);
	s += 2;
	if (!parse_num(&s, &v.unit) || v.unit > VN_MAXUNIT)
		return (false);
	if (*s == 's') {
		s++;
		if (!parse_num(&s, &v.slice) || v.slice > NDOSPART)
			return (false);
	}
	if (*s >= 'a' && *s < 'a' + MAXPARTITIONS32) {
		v.part = *s - 'a';
		s++;
	}
	if (*s != '\0')
		return (false);
	*vn = v;
	return (true);
}

const char *
vn_dir(void)
{
	const char *d = getenv("VN_DIR");

	return (d != NULL && *d != '\0' ? d : VN_DIR_DEFAULT);
}

int
vn_lookup(int unit, char *path, size_t size)
{
	char file[PATH_MAX];
	FILE *f;
	size_t n;

	if ((size_t)snprintf(file, sizeof(file), "%s/vn%d", vn_dir(), unit) >=
	    sizeof(file)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	if ((f = fopen(file, "r")) == NULL)
		return (-1);
	if (fgets(path, (int)size, f) == NULL) {
		fclose(f);
		errno = EINVAL;
		return (-1);
	}
	fclose(f);
	n = strcspn(path, "\n");
	path[n] = '\0';
	if (path[0] != '/') {
		errno = EINVAL;
		return (-1);
	}
	return (0);
}

/* Resolves d->name to d->path; returns the parsed vn name or none. */
static void
resolve(struct imgdev *d, struct vn_name *vn)
{
	if (!vn_parse(d->name, vn)) {
		vn->unit = vn->slice = vn->part = -1;
		if (strlen(d->name) >= sizeof(d->path))
			errx(EX_USAGE, "%s: name too long", d->name);
		strcpy(d->path, d->name);
		return;
	}
	if (vn_lookup(vn->unit, d->path, sizeof(d->path)) == 0)
		return;
	if (errno == ENOENT)
		errx(EX_NOINPUT,
		    "%s: vn%d is not configured (see vnconfig -c vn%d file; "
		    "registry %s)",
		    d->name, vn->unit, vn->unit, vn_dir());
	err(EX_NOINPUT, "%s: cannot read the binding of vn%d in %s", d->name,
	    vn->unit, vn_dir());
}

/* Chooses the slice: s0 without an MBR, s1..s4 with one. */
static void
select_slice(struct imgdev *d, const struct vn_name *vn)
{
	uint8_t sec0[DL_SECSIZE];
	int s = vn->slice;

	imgdev_read(d, sec0, sizeof(sec0), 0);
	(void)dl_probe_slices(sec0, sizeof(sec0), d->disk_size, &d->slices);
	if (s < 0) {
		if (d->slices.mbr)
			errx(EX_USAGE,
			    "%s: the disk has an MBR; name a slice "
			    "(vnNs1 to vnNs4)",
			    d->name);
		s = 0;
	}
	if (s == 0 && d->slices.mbr)
		errx(EX_NOINPUT,
		    "%s: the disk has an MBR, so there is no slice s0",
		    d->name);
	if (d->slices.s[s].size == 0)
		errx(EX_NOINPUT, "%s: slice s%d does not exist", d->name, s);
	d->slice = s;
	d->slice_off = d->slices.s[s].offset;
	d->slice_size = d->slices.s[s].size;
}

void
imgdev_open(struct imgdev *d, const char *name, bool rw)
{
	struct vn_name vn;
	struct stat st;

	memset(d, 0, sizeof(*d));
	if (strlen(name) >= sizeof(d->name))
		errx(EX_USAGE, "%s: name too long", name);
	strcpy(d->name, name);
	resolve(d, &vn);
	d->rw = rw;
	d->fd = open(d->path, rw ? O_RDWR : O_RDONLY);
	if (d->fd < 0)
		err(errno == ENOENT ? EX_NOINPUT : EX_IOERR, "%s", d->path);
	if (fstat(d->fd, &st) != 0)
		err(EX_IOERR, "%s", d->path);
	if (!S_ISREG(st.st_mode))
		errx(EX_USAGE, "%s: not a regular file", d->path);
	if (flock(d->fd, (rw ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0)
		err(EX_TEMPFAIL, "%s: image in use", d->path);
	d->disk_size = (uint64_t)st.st_size / DL_SECSIZE;
	d->slice_size = d->disk_size; /* for the read of sector 0 */
	if (d->disk_size == 0)
		errx(EX_DATAERR, "%s: empty image", d->path);
	d->part = vn.part;
	select_slice(d, &vn);
}

static void
check_range(struct imgdev *d, size_t len, uint64_t off)
{
	uint64_t end = d->slice_size * DL_SECSIZE;

	if (off > end || len > end - off)
		errx(EX_SOFTWARE, "%s: access at byte %ju outside the slice",
		    d->name, (uintmax_t)off);
}

void
imgdev_read(struct imgdev *d, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;

	check_range(d, len, off);
	off += d->slice_off * DL_SECSIZE;
	while (len > 0) {
		ssize_t n = pread(d->fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err(EX_IOERR, "%s: read", d->path);
		if (n == 0)
			errx(EX_IOERR, "%s: short read at byte %ju", d->path,
			    (uintmax_t)off);
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
}

void
imgdev_write(struct imgdev *d, const void *buf, size_t len, uint64_t off)
{
	const uint8_t *p = buf;

	check_range(d, len, off);
	off += d->slice_off * DL_SECSIZE;
	while (len > 0) {
		ssize_t n = pwrite(d->fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			err(EX_IOERR, "%s: write", d->path);
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
}

void
imgdev_close(struct imgdev *d)
{
	if (d->rw && fsync(d->fd) != 0)
		err(EX_IOERR, "%s: fsync", d->path);
	if (close(d->fd) != 0)
		err(EX_IOERR, "%s: close", d->path);
	d->fd = -1;
}
