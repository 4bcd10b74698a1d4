/*
 * cd9660_lookup.c - directories: walking their records, looking a name up
 * and listing them.
 *
 * A directory's data is a sequence of blocks, each holding whole records
 * followed by zero padding (ECMA-119 6.8.1.1).  A record that does not fit
 * in its block or in the directory is corruption (EINVAL); every step goes
 * forward, so a walk ends.  Listings and lookups hide what BSD hides:
 * associated files, Rock Ridge RE records (the relocated directories'
 * placeholders in rr_moved, listed instead where their CL records are) and
 * the second and later records of a multi-extent file.  Records whose
 * name could not be a file name (empty, ".", "..", or holding '/' or NUL)
 * are hidden too.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/vfs/cd9660/cd9660.h"
#include "runtime/vfs/cd9660/cd9660_private.h"

struct dir_iter {
	const struct cd9660_mount *mp;
	uint64_t data, size; /* the directory's address and length */
	uint64_t off;	     /* next record, from data */
	uint64_t blk;	     /* block in buf, or UINT64_MAX */
	uint8_t buf[CD9660_BLOCK_SIZE];
};

static int
dir_open(struct dir_iter *it, const struct cd9660_mount *mp,
    const struct cd9660_node *dir, uint64_t off)
{
	if (dir->attr.type != CD9660_DIR)
		return (ENOTDIR);
	if (dir->data % CD9660_BLOCK_SIZE != 0 ||
	    dir->data >= mp->volume_bytes ||
	    dir->attr.size > mp->volume_bytes - dir->data)
		return (EINVAL);
	it->mp = mp;
	it->data = dir->data;
	it->size = dir->attr.size;
	it->off = off;
	it->blk = UINT64_MAX;
	return (0);
}

/*
 * The next record: *recp and its offset *offp.  Returns 0, ENOENT at the
 * end of the directory, EINVAL or EIO.
 */
static int
dir_next(struct dir_iter *it, const uint8_t **recp, uint64_t *offp)
{
	uint64_t blk, in;
	size_t avail;
	int error, len;

	for (;;) {
		if (it->off >= it->size)
			return (ENOENT);
		blk = it->off / CD9660_BLOCK_SIZE;
		in = it->off % CD9660_BLOCK_SIZE;
		if (blk != it->blk) {
			error = it->mp->read(it->mp->ctx,
			    it->data + blk * CD9660_BLOCK_SIZE, it->buf,
			    CD9660_BLOCK_SIZE);
			if (error != 0)
				return (error);
			it->blk = blk;
		}
		avail = CD9660_BLOCK_SIZE - in;
		if (avail > it->size - it->off)
			avail = it->size - it->off;
		len = cd9660_record_check(it->buf + in, avail);
		if (len < 0)
			return (EINVAL);
		if (len == 0) {
			it->off = (blk + 1) * CD9660_BLOCK_SIZE;
			continue;
		}
		*recp = it->buf + in;
		*offp = it->off;
		it->off += (uint64_t)len;
		return (0);
	}
}

/* Whether a parsed record is one a listing shows. */
static bool
rec_visible(const struct cd9660_rec *r)
{
	if (r->dot != 0)
		return (true);
	return (r->namelen > 0 && !r->re && !(r->flags & DRF_ASSOCIATED));
}

/* Skips the later records of the multi-extent file whose first is r. */
static int
skip_extents(struct dir_iter *it, const struct cd9660_rec *r)
{
	const uint8_t *rec;
	uint64_t off;
	uint8_t flags = r->flags;
	int error;

	while (flags & DRF_MULTI) {
		error = dir_next(it, &rec, &off);
		if (error != 0)
			return (error == ENOENT ? 0 : error);
		flags = rec[DR_FLAGS];
	}
	return (0);
}

static bool
name_eq(const struct cd9660_mount *mp, const struct cd9660_rec *r,
    const char *name, size_t len)
{
	size_t i;
	char c;

	if (r->namelen != len)
		return (false);
	if (mp->rr && r->nm_seen && !r->nm_bad)
		return (memcmp(r->name, name, len) == 0);
	for (i = 0; i < len; i++) {
		c = name[i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != r->name[i])
			return (false);
	}
	return (true);
}

/* Finds the record of ".." in dir and loads the parent it names. */
static int
lookup_parent(const struct cd9660_mount *mp, const struct cd9660_node *dir,
    struct cd9660_node *np)
{
	struct dir_iter it;
	struct cd9660_rec r;
	const uint8_t *rec;
	uint64_t off;
	int error;

	if (dir->id == mp->root_id)
		return (cd9660_getnode(mp, mp->root_id, np));
	if ((error = dir_open(&it, mp, dir, 0)) != 0)
		return (error);
	while ((error = dir_next(&it, &rec, &off)) == 0) {
		if (rec[DR_NAMELEN] != 1 || rec[DR_NAME] != 1)
			continue;
		error = cd9660_record_parse(mp, rec, it.data + off, &r, NULL,
		    0);
		if (error != 0)
			return (error);
		return (cd9660_getnode(mp, cd9660_rec_id(&r), np));
	}
	return (error == ENOENT ? EINVAL : error);
}

int
cd9660_lookup(const struct cd9660_mount *mp, const struct cd9660_node *dir,
    const char *name, size_t len, struct cd9660_node *np)
{
	struct dir_iter it;
	struct cd9660_rec r;
	const uint8_t *rec;
	uint64_t off;
	int error;

	if (dir->attr.type != CD9660_DIR)
		return (ENOTDIR);
	if (len > CD9660_NAME_MAX)
		return (ENAMETOOLONG);
	if (len == 1 && name[0] == '.') {
		*np = *dir;
		return (0);
	}
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return (lookup_parent(mp, dir, np));
	if (len == 0 || memchr(name, '/', len) != NULL)
		return (ENOENT);
	if ((error = dir_open(&it, mp, dir, 0)) != 0)
		return (error);
	while ((error = dir_next(&it, &rec, &off)) == 0) {
		error = cd9660_record_parse(mp, rec, it.data + off, &r, NULL,
		    0);
		if (error != 0)
			return (error);
		if (r.dot != 0 || !rec_visible(&r) ||
		    !name_eq(mp, &r, name, len))
			continue;
		return (cd9660_getnode(mp, cd9660_rec_id(&r), np));
	}
	return (error);
}

int
cd9660_readdir(const struct cd9660_mount *mp, const struct cd9660_node *dir,
    uint64_t *cookiep, cd9660_dirent_fn *fn, void *arg)
{
	struct dir_iter it;
	struct cd9660_rec r;
	const uint8_t *rec;
	uint64_t off, id;
	int error;

	if ((error = dir_open(&it, mp, dir, *cookiep)) != 0)
		return (error);
	while ((error = dir_next(&it, &rec, &off)) == 0) {
		error = cd9660_record_parse(mp, rec, it.data + off, &r, NULL,
		    0);
		if (error != 0)
			return (error);
		if (!rec_visible(&r))
			continue;
		if (r.dot == 1)
			id = dir->id;
		else if (r.dot == 2 && dir->id == mp->root_id)
			id = mp->root_id;
		else
			id = cd9660_rec_id(&r);
		if ((error = skip_extents(&it, &r)) != 0)
			return (error);
		if (fn(arg, r.name, r.namelen, id, cd9660_rec_type(&r),
			it.off) != 0) {
			*cookiep = off;
			return (0);
		}
	}
	if (error != ENOENT)
		return (error);
	*cookiep = it.size > *cookiep ? it.size : *cookiep;
	return (0);
}
