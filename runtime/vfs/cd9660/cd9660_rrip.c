/*
 * cd9660_rrip.c - the System Use Sharing Protocol (IEEE P1281) walk over a
 * directory record's System Use area and its continuation areas, and the
 * Rock Ridge entries (IEEE P1282) it carries: PX, PN, TF, NM, SL, CL, PL
 * and RE.
 *
 * Everything here comes from the image: an entry shorter than 4 bytes or
 * longer than what is left ends its area, a continuation area must lie in
 * one block of the volume, and at most CE_MAX of them are followed for one
 * record, which also ends a cycle of continuation areas.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/vfs/cd9660/cd9660.h"
#include "runtime/vfs/cd9660/cd9660_private.h"

/* Where the System Use area of a valid record starts (ECMA-119 9.1.13). */
static size_t
su_start(const uint8_t *rec)
{
	size_t namelen = rec[DR_NAMELEN];

	return (DR_NAME + namelen + (namelen % 2 == 0 ? 1 : 0));
}

static bool
sig_is(const uint8_t *e, const char *sig)
{
	return (e[0] == (uint8_t)sig[0] && e[1] == (uint8_t)sig[1]);
}

/* Walks one area; sets *cep to a CE entry's copy when there is one. */
static int
walk_area(const uint8_t *p, size_t n, cd9660_susp_fn *fn, void *arg,
    uint8_t *ce, bool *have_ce)
{
	size_t len;
	int ret;

	while (n >= 4) {
		len = p[2];
		if (len < 4 || len > n)
			break;
		if (sig_is(p, "ST"))
			break;
		if (sig_is(p, "CE")) {
			if (len >= 28) {
				memcpy(ce, p, 28);
				*have_ce = true;
			}
		} else if ((ret = fn(arg, p)) != 0)
			return (ret);
		p += len;
		n -= len;
	}
	return (0);
}

int
cd9660_susp_walk(const struct cd9660_mount *mp, const uint8_t *rec, size_t skip,
    cd9660_susp_fn *fn, void *arg)
{
	uint8_t area[CD9660_BLOCK_SIZE], ce[28];
	size_t start = su_start(rec) + skip, reclen = rec[DR_LENGTH];
	uint64_t blk, off, len;
	bool have_ce = false;
	int error, nce;

	if (start >= reclen)
		return (0);
	error = walk_area(rec + start, reclen - start, fn, arg, ce, &have_ce);
	for (nce = 0; error == 0 && have_ce && nce < CE_MAX; nce++) {
		blk = iso_733(ce + 4);
		off = iso_733(ce + 12);
		len = iso_733(ce + 20);
		if (off >= CD9660_BLOCK_SIZE || len > CD9660_BLOCK_SIZE - off ||
		    blk >= mp->volume_bytes / CD9660_BLOCK_SIZE)
			break;
		if ((error = mp->read(mp->ctx, blk * CD9660_BLOCK_SIZE + off,
			 area, len)) != 0)
			break;
		have_ce = false;
		error = walk_area(area, len, fn, arg, ce, &have_ce);
	}
	return (error < 0 ? 0 : error);
}

/* PX: POSIX file attributes; RRIP 1.10 has 36 bytes, 1.12 adds the ino. */
static void
rrip_px(struct cd9660_rec *r, const uint8_t *e)
{
	if (e[2] < 36)
		return;
	r->has_px = true;
	r->mode = iso_733(e + 4);
	r->nlink = iso_733(e + 12);
	r->uid = iso_733(e + 20);
	r->gid = iso_733(e + 28);
}

/* PN: the device number of a device node, high and low words. */
static void
rrip_pn(struct cd9660_rec *r, const uint8_t *e)
{
	if (e[2] < 20)
		return;
	r->has_pn = true;
	r->rdev = (uint64_t)iso_733(e + 4) << 32 | iso_733(e + 12);
}

/*
 * TF: time stamps in the order creation, modify, access, attributes,
 * backup, expiration, effective, each present when its flag bit is set;
 * bit 7 selects the 17-byte form.
 */
static void
rrip_tf(struct cd9660_rec *r, const uint8_t *e)
{
	size_t len = e[2], pos = 5, sz;
	uint8_t flags;
	struct cd9660_time t;
	int bit;
	bool ok;

	if (len < 5)
		return;
	flags = e[4];
	sz = (flags & 0x80) ? 17 : 7;
	for (bit = 0; bit < 7; bit++) {
		if (!(flags & (1u << bit)))
			continue;
		if (len - pos < sz)
			return;
		ok = sz == 17 ? cd9660_time17(e + pos, &t) :
				cd9660_time7(e + pos, &t);
		pos += sz;
		if (!ok)
			continue;
		if (bit == 1) {
			r->mtime = t;
			r->has_mtime = true;
		} else if (bit == 2) {
			r->atime = t;
			r->has_atime = true;
		} else if (bit == 3) {
			r->ctime = t;
			r->has_ctime = true;
		}
	}
}

/*
 * NM: the alternate name, in pieces when the CONTINUE flag (bit 0) is set.
 * The CURRENT and PARENT flags only label "." and "..", which have their
 * own names; a name too long for CD9660_NAME_MAX is dropped for the ISO
 * 9660 one, as BSD does.
 */
static void
rrip_nm(struct cd9660_rec *r, const uint8_t *e)
{
	size_t n;

	if (e[2] < 5 || (e[4] & 0x06) || r->nm_bad)
		return;
	n = e[2] - 5;
	if (!r->nm_seen)
		r->namelen = 0;
	r->nm_seen = true;
	if (n > CD9660_NAME_MAX - r->namelen) {
		r->nm_bad = true;
		return;
	}
	memcpy(r->name + r->namelen, e + 5, n);
	r->namelen += n;
}

static void
link_put(struct cd9660_rec *r, const void *p, size_t n)
{
	if (r->link != NULL && r->linklen < r->linkcap &&
	    n <= r->linkcap - r->linklen)
		memcpy(r->link + r->linklen, p, n);
	r->linklen += n;
}

/*
 * SL: the symlink target as component records (flags, length, bytes).
 * A component with CONTINUE (bit 0) goes on in the next one; the others
 * are joined with "/".  CURRENT (bit 1) is ".", PARENT (bit 2) "..", ROOT
 * (bit 3) the leading "/"; VOLROOT and HOST give nothing.
 */
static void
rrip_sl(struct cd9660_rec *r, const uint8_t *e)
{
	size_t len = e[2], pos = 5, clen;
	uint8_t cflags;

	if (len < 5)
		return;
	r->has_sl = true;
	while (len - pos >= 2) {
		cflags = e[pos];
		clen = e[pos + 1];
		if (clen > len - pos - 2)
			return;
		if (cflags & 0x08) {
			link_put(r, "/", 1);
			r->sl_sep = false;
			r->sl_cont = false;
			pos += 2 + clen;
			continue;
		}
		if (r->sl_sep && !r->sl_cont)
			link_put(r, "/", 1);
		if (cflags & 0x02)
			link_put(r, ".", 1);
		else if (cflags & 0x04)
			link_put(r, "..", 2);
		else if (!(cflags & 0x30))
			link_put(r, e + pos + 2, clen);
		r->sl_cont = (cflags & 0x01) != 0;
		r->sl_sep = true;
		pos += 2 + clen;
	}
}

int
cd9660_rrip_entry(void *arg, const uint8_t *e)
{
	struct cd9660_rec *r = arg;

	if (sig_is(e, "PX"))
		rrip_px(r, e);
	else if (sig_is(e, "PN"))
		rrip_pn(r, e);
	else if (sig_is(e, "TF"))
		rrip_tf(r, e);
	else if (sig_is(e, "NM"))
		rrip_nm(r, e);
	else if (sig_is(e, "SL"))
		rrip_sl(r, e);
	else if (sig_is(e, "CL") && e[2] >= 12) {
		r->has_cl = true;
		r->cl = iso_733(e + 4);
	} else if (sig_is(e, "PL") && e[2] >= 12) {
		r->has_pl = true;
		r->pl = iso_733(e + 4);
	} else if (sig_is(e, "RE"))
		r->re = true;
	return (0);
}
