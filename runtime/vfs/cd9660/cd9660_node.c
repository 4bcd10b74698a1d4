/*
 * cd9660_node.c - directory records: checking one, parsing it (names,
 * dates, Rock Ridge attributes) and turning it into a node, and loading a
 * node again from its id.
 *
 * Attributes without Rock Ridge are DragonFly's (cd9660_defattr() and
 * cd9660_deftstamp() in sys/vfs/isofs/cd9660/cd9660_node.c): mode 0555
 * for files and directories alike, one link, uid and gid 0, and the
 * record's date as access, modification and change time.  Extended
 * attribute records are skipped, as DragonFly does without the "extatt"
 * mount option.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/vfs/cd9660/cd9660.h"
#include "runtime/vfs/cd9660/cd9660_private.h"

int
cd9660_record_check(const uint8_t *rec, size_t avail)
{
	size_t len;

	if (rec[DR_LENGTH] == 0)
		return (0);
	len = rec[DR_LENGTH];
	if (len < DR_MINLEN || len > avail)
		return (-1);
	if (rec[DR_NAMELEN] == 0 || DR_NAME + (size_t)rec[DR_NAMELEN] > len)
		return (-1);
	return ((int)len);
}

/* Days from 1970-01-01 to the given day of the proleptic Gregorian year. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	if (m <= 2)
		y--;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

/*
 * The offset from GMT is in 15-minute steps; like BSD, an offset outside
 * -48..52 is taken for garbage and ignored.
 */
static bool
make_time(int y, int mo, int d, int h, int mi, int s, int tz, int32_t nsec,
    struct cd9660_time *tp)
{
	int64_t sec;

	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		return (false);
	sec = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	if (tz >= -48 && tz <= 52)
		sec -= (int64_t)tz * 15 * 60;
	tp->sec = sec;
	tp->nsec = nsec;
	return (true);
}

bool
cd9660_time7(const uint8_t *p, struct cd9660_time *tp)
{
	if (p[0] == 0 && p[1] == 0 && p[2] == 0)
		return (false);
	return (make_time(1900 + p[0], p[1], p[2], p[3], p[4], p[5],
	    (int8_t)p[6], 0, tp));
}

static bool
digits(const uint8_t *p, int n, int *vp)
{
	int v = 0;

	while (n-- > 0) {
		if (*p < '0' || *p > '9')
			return (false);
		v = v * 10 + (*p++ - '0');
	}
	*vp = v;
	return (true);
}

bool
cd9660_time17(const uint8_t *p, struct cd9660_time *tp)
{
	int y, mo, d, h, mi, s, cs;

	if (!digits(p, 4, &y) || !digits(p + 4, 2, &mo) ||
	    !digits(p + 6, 2, &d) || !digits(p + 8, 2, &h) ||
	    !digits(p + 10, 2, &mi) || !digits(p + 12, 2, &s) ||
	    !digits(p + 14, 2, &cs))
		return (false);
	if (y == 0 && mo == 0)
		return (false); /* "not specified" */
	return (make_time(y, mo, d, h, mi, s, (int8_t)p[16],
	    (int32_t)cs * 10000000, tp));
}

/*
 * BSD's translation of an ISO 9660 name (isofntrans()): upper case to
 * lower case, the version cut at ';' together with a '.' just before it.
 */
static void
iso_name(struct cd9660_rec *r, const uint8_t *name, size_t len)
{
	size_t i;
	uint8_t c;

	r->namelen = 0;
	for (i = 0; i < len; i++) {
		c = name[i];
		if (c == ';') {
			if (r->namelen > 0 && r->name[r->namelen - 1] == '.')
				r->namelen--;
			break;
		}
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		r->name[r->namelen++] = (char)c;
	}
}

/* A name a directory may hold: not empty, ".", ".." or with '/' or NUL. */
static bool
name_ok(const char *name, size_t len)
{
	if (len == 0 || (len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return (false);
	return (memchr(name, '/', len) == NULL && memchr(name, 0, len) == NULL);
}

int
cd9660_record_parse(const struct cd9660_mount *mp, const uint8_t *rec,
    uint64_t addr, struct cd9660_rec *r, char *link, size_t linkcap)
{
	const uint8_t *name = rec + DR_NAME;
	size_t namelen = rec[DR_NAMELEN];
	int error;

	memset(r, 0, sizeof(*r));
	r->addr = addr;
	r->flags = rec[DR_FLAGS];
	r->xalen = rec[DR_XALEN];
	r->interleaved = rec[DR_UNITSIZE] != 0 || rec[DR_GAPSIZE] != 0;
	r->extent = iso_733(rec + DR_EXTENT);
	r->size = iso_733(rec + DR_SIZE);
	if (namelen == 1 && name[0] <= 1)
		r->dot = name[0] + 1;
	(void)cd9660_time7(rec + DR_DATE, &r->date);
	r->link = link;
	r->linkcap = linkcap;
	if (mp->rr) {
		error = cd9660_susp_walk(mp, rec,
		    addr == mp->root_id ? 0 : mp->susp_skip, cd9660_rrip_entry,
		    r);
		if (error != 0)
			return (error);
	}
	if (r->dot != 0) {
		memcpy(r->name, "..", r->dot);
		r->namelen = r->dot;
		return (0);
	}
	if (!r->nm_seen || r->nm_bad || !name_ok(r->name, r->namelen))
		iso_name(r, name, namelen);
	if (!name_ok(r->name, r->namelen))
		r->namelen = 0;
	return (0);
}

uint64_t
cd9660_rec_id(const struct cd9660_rec *r)
{
	if (r->dot == 2 && r->has_pl)
		return ((uint64_t)r->pl * CD9660_BLOCK_SIZE);
	if (r->dot == 0 && r->has_cl)
		return ((uint64_t)r->cl * CD9660_BLOCK_SIZE);
	if (r->flags & DRF_DIRECTORY)
		return (((uint64_t)r->extent + r->xalen) * CD9660_BLOCK_SIZE);
	return (r->addr);
}

static enum cd9660_type
mode_type(uint32_t mode)
{
	switch (mode & CD9660_S_IFMT) {
	case CD9660_S_IFDIR:
		return (CD9660_DIR);
	case CD9660_S_IFLNK:
		return (CD9660_LNK);
	case CD9660_S_IFCHR:
		return (CD9660_CHR);
	case CD9660_S_IFBLK:
		return (CD9660_BLK);
	case CD9660_S_IFIFO:
		return (CD9660_FIFO);
	case CD9660_S_IFSOCK:
		return (CD9660_SOCK);
	default:
		return (CD9660_REG);
	}
}

/*
 * Whether a record is a directory is the ISO 9660 flag's (or a Rock Ridge
 * CL's) business: a PX mode saying directory on a file record makes a
 * regular file, since there is no directory extent to read.
 */
enum cd9660_type
cd9660_rec_type(const struct cd9660_rec *r)
{
	enum cd9660_type t;

	if (r->dot != 0 || (r->flags & DRF_DIRECTORY) ||
	    (r->has_cl && r->dot == 0))
		return (CD9660_DIR);
	if (!r->has_px)
		return (CD9660_REG);
	t = mode_type(r->mode);
	return (t == CD9660_DIR ? CD9660_REG : t);
}

static const uint32_t type_bits[] = {
	[CD9660_REG] = CD9660_S_IFREG,
	[CD9660_DIR] = CD9660_S_IFDIR,
	[CD9660_LNK] = CD9660_S_IFLNK,
	[CD9660_CHR] = CD9660_S_IFCHR,
	[CD9660_BLK] = CD9660_S_IFBLK,
	[CD9660_FIFO] = CD9660_S_IFIFO,
	[CD9660_SOCK] = CD9660_S_IFSOCK,
};

/* Fills *np from the parsed record r: a directory's "." or a non-dir. */
static int
node_from_rec(const struct cd9660_mount *mp, const struct cd9660_rec *r,
    struct cd9660_node *np)
{
	struct cd9660_attr *a = &np->attr;
	uint64_t vol = mp->volume_bytes;

	memset(np, 0, sizeof(*np));
	np->id = r->addr;
	a->ino = r->addr;
	a->type = cd9660_rec_type(r);
	a->size = r->size;
	if (a->type == CD9660_DIR) {
		/* The "." record starts the directory's data. */
		if (r->addr % CD9660_BLOCK_SIZE != 0 || r->size > vol - r->addr)
			return (EINVAL);
		np->data = r->addr;
	} else {
		np->data = ((uint64_t)r->extent + r->xalen) * CD9660_BLOCK_SIZE;
		if (a->type != CD9660_REG)
			a->size = a->type == CD9660_LNK ? r->linklen : 0;
		else if (r->size > 0 &&
		    (np->data >= vol || r->size > vol - np->data))
			return (EINVAL);
	}
	if (r->flags & DRF_MULTI)
		np->flags |= CD9660_NODE_MULTIEXTENT;
	if (r->interleaved)
		np->flags |= CD9660_NODE_INTERLEAVED;
	a->mode = type_bits[a->type] | (r->has_px ? r->mode & 07777 : 0555);
	a->nlink = r->has_px && r->nlink > 0 ? r->nlink : 1;
	a->uid = r->has_px ? r->uid : 0;
	a->gid = r->has_px ? r->gid : 0;
	if (r->has_pn && (a->type == CD9660_CHR || a->type == CD9660_BLK))
		a->rdev = r->rdev;
	a->atime = r->has_atime ? r->atime : r->date;
	a->mtime = r->has_mtime ? r->mtime : r->date;
	a->ctime = r->has_ctime ? r->ctime : r->date;
	return (0);
}

/* Reads the block holding the record at id and checks the record. */
static int
read_record(const struct cd9660_mount *mp, uint64_t id, uint8_t *blk,
    const uint8_t **recp)
{
	size_t off = id % CD9660_BLOCK_SIZE;
	int error;

	if (id >= mp->volume_bytes || off > CD9660_BLOCK_SIZE - DR_MINLEN)
		return (EINVAL);
	error = mp->read(mp->ctx, id - off, blk, CD9660_BLOCK_SIZE);
	if (error != 0)
		return (error);
	if (cd9660_record_check(blk + off, CD9660_BLOCK_SIZE - off) <= 0)
		return (EINVAL);
	*recp = blk + off;
	return (0);
}

/*
 * An id naming a directory record in a parent (or "..") is followed once
 * to the directory's "."; the node's id is then that of the ".".
 */
int
cd9660_getnode(const struct cd9660_mount *mp, uint64_t id,
    struct cd9660_node *np)
{
	uint8_t blk[CD9660_BLOCK_SIZE];
	struct cd9660_rec r;
	const uint8_t *rec;
	int error, hops;

	for (hops = 0;; hops++) {
		if ((error = read_record(mp, id, blk, &rec)) != 0)
			return (error);
		error = cd9660_record_parse(mp, rec, id, &r, NULL, 0);
		if (error != 0)
			return (error);
		if (r.dot == 1) {
			if (!(r.flags & DRF_DIRECTORY))
				return (EINVAL);
			break;
		}
		if (cd9660_rec_type(&r) != CD9660_DIR)
			break;
		if (hops > 0)
			return (EINVAL);
		id = cd9660_rec_id(&r);
	}
	return (node_from_rec(mp, &r, np));
}
