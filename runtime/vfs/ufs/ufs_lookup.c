/*
 * ufs_lookup.c - UFS directories: search, entry insertion and removal,
 * rewriting, the emptiness test, lookup and readdir (ufs.h,
 * ufs_private.h).
 *
 * A directory is read one fragment at a time; every DIRBLKSIZ chunk is
 * checked as ufs_dirbadentry does (record lengths 4-byte aligned, within
 * the chunk, long enough for the name, names NUL-terminated without '/'
 * or NUL, inode numbers in range) before any entry of it is used.  New
 * entries go into the first record with room (the record is split); a
 * directory without room grows by one DIRBLKSIZ chunk.  XXX BSD's
 * ufs_direnter also compacts a chunk whose free space is spread over
 * several records; here such space is used only record by record.  A removed entry
 * is merged into the one before it in its chunk, or gets d_ino 0 when it
 * is the chunk's first.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/vfs/ufs/ufs_private.h"

#define NOSLOT (~(uint64_t)0)

struct dent {
	uint32_t ino;
	uint16_t reclen;
	uint8_t type;
	uint8_t namlen;
	const char *name;
};

static void
get_dent(const uint8_t *p, struct dent *d)
{
	memcpy(&d->ino, p, 4);
	memcpy(&d->reclen, p + 4, 2);
	d->type = p[6];
	d->namlen = p[7];
	d->name = (const char *)p + 8;
}

static void
put_dent(uint8_t *p, uint32_t ino, uint16_t reclen, int type, const char *name,
    size_t len)
{
	memcpy(p, &ino, 4);
	memcpy(p + 4, &reclen, 2);
	p[6] = (uint8_t)type;
	p[7] = (uint8_t)len;
	memcpy(p + 8, name, len);
	memset(p + 8 + len, 0, UFS_DIRSIZ(len) - 8 - len);
}

static void
set_reclen(uint8_t *p, uint16_t reclen)
{
	memcpy(p + 4, &reclen, 2);
}

int
ufs_checkname(const char *name, size_t len)
{
	if (len == 0)
		return (ENOENT);
	if (len > UFS_MAXNAMLEN)
		return (ENAMETOOLONG);
	if (memchr(name, '/', len) != NULL || memchr(name, '\0', len) != NULL)
		return (EINVAL);
	return (0);
}

/* Checks one DIRBLKSIZ chunk. */
static int
check_chunk(const struct ufs_mount *mp, const uint8_t *c)
{
	struct dent d;

	for (size_t off = 0; off < DIRBLKSIZ; off += d.reclen) {
		get_dent(c + off, &d);
		if (d.reclen < 12 || d.reclen % 4 != 0 ||
		    d.reclen > DIRBLKSIZ - off || d.ino >= mp->ninodes)
			return (EINVAL);
		if (d.ino == 0)
			continue;
		if (UFS_DIRSIZ(d.namlen) > d.reclen || d.namlen == 0 ||
		    d.name[d.namlen] != '\0' ||
		    memchr(d.name, '\0', d.namlen) != NULL ||
		    memchr(d.name, '/', d.namlen) != NULL)
			return (EINVAL);
	}
	return (0);
}

/* Reads the fragment of directory dp at byte off (fragment-aligned). */
static int
dir_frag(struct ufs_mount *mp, struct ufs_inode *dp, uint64_t off, uint8_t *buf,
    int64_t *bnp)
{
	const struct fs *fs = mp->fs;
	int64_t lbn = ufs_lblkno(fs, off), bn, f;
	int error;

	if (dp->din.di_size % DIRBLKSIZ != 0)
		return (EINVAL);
	if ((error = ufs_bmap(mp, dp, lbn, &bn)) != 0)
		return (error);
	f = ufs_blkoff(fs, off) >> fs->fs_fshift;
	if (bn == 0 ||
	    f >= ufs_blksize(fs, dp->din.di_size, lbn) >> fs->fs_fshift)
		return (EINVAL); /* a hole in a directory */
	*bnp = bn + f;
	return (ufs_bread(mp, bn + f, 1, buf));
}

/* Bytes of directory data in the fragment at off. */
static size_t
frag_len(const struct fs *fs, const struct ufs_inode *dp, uint64_t off)
{
	uint64_t left = dp->din.di_size - off;

	return (left < (uint64_t)fs->fs_fsize ? (size_t)left :
						(size_t)fs->fs_fsize);
}

int
ufs_dirscan(struct ufs_mount *mp, struct ufs_inode *dp, const char *name,
    size_t len, struct ufs_dirslot *slot)
{
	const struct fs *fs = mp->fs;
	size_t need = UFS_DIRSIZ(len), flen, space;
	uint8_t *buf;
	struct dent d;
	int64_t bn;
	int error = ENOENT;

	slot->freeoff = NOSLOT;
	slot->dirsize = dp->din.di_size;
	if ((buf = ufs_malloc(mp, (size_t)fs->fs_fsize)) == NULL)
		return (ENOMEM);
	for (uint64_t off = 0; off < dp->din.di_size && error == ENOENT;
	     off += (uint64_t)fs->fs_fsize) {
		int e;

		if ((e = dir_frag(mp, dp, off, buf, &bn)) != 0) {
			error = e;
			break;
		}
		flen = frag_len(fs, dp, off);
		for (size_t c = 0; c < flen && error == ENOENT;
		     c += DIRBLKSIZ) {
			uint64_t prev = off + c;

			if (check_chunk(mp, buf + c) != 0) {
				error = EINVAL;
				break;
			}
			for (size_t o = c; o < c + DIRBLKSIZ; o += d.reclen) {
				get_dent(buf + o, &d);
				if (d.ino != 0 && d.namlen == len &&
				    memcmp(d.name, name, len) == 0) {
					slot->off = off + o;
					slot->prevoff = prev;
					slot->ino = d.ino;
					error = 0;
					break;
				}
				space = d.reclen -
				    (d.ino != 0 ? UFS_DIRSIZ(d.namlen) : 0);
				if (slot->freeoff == NOSLOT && space >= need)
					slot->freeoff = off + o;
				prev = off + o;
			}
		}
	}
	ufs_mfree(mp, buf);
	return (error);
}

/* Writes dp's new times (and size) after a change of its entries. */
static int
dir_changed(struct ufs_mount *mp, struct ufs_inode *dp)
{
	ufs_itimes(mp, dp, UFS_UPDATE | UFS_CHANGE);
	return (ufs_iupdate(mp, dp));
}

/* Adds a DIRBLKSIZ chunk holding only the new entry. */
static int
dir_grow(struct ufs_mount *mp, struct ufs_inode *dp, const char *name,
    size_t len, uint32_t ino, int type, const struct ufs_cred *cr)
{
	const struct fs *fs = mp->fs;
	uint64_t off = dp->din.di_size, nsize = off + DIRBLKSIZ;
	int64_t lbn = ufs_lblkno(fs, off), bn, n, f;
	uint8_t *buf;
	bool isnew;
	int error, uerror;

	if ((buf = ufs_malloc(mp, (size_t)fs->fs_bsize)) == NULL)
		return (ENOMEM);
	error = ufs_balloc(mp, dp, lbn, nsize, cr, &bn, &isnew);
	if (error != 0)
		goto out;
	n = ufs_blksize(fs, nsize, lbn) >> fs->fs_fshift;
	f = ufs_blkoff(fs, off) >> fs->fs_fshift;
	if (isnew) {
		memset(buf, 0, (size_t)fs->fs_bsize);
		f = 0;
	} else if ((error = ufs_bread(mp, bn + f, 1, buf)) != 0)
		goto out;
	else
		n = 1;
	put_dent(buf + ufs_blkoff(fs, off) - (f << fs->fs_fshift), ino,
	    DIRBLKSIZ, type, name, len);
	error = ufs_bwrite(mp, bn + f, n, buf);
	if (error == 0)
		dp->din.di_size = nsize;
out:
	ufs_mfree(mp, buf);
	uerror = dir_changed(mp, dp);
	return (error != 0 ? error : uerror);
}

int
ufs_direnter(struct ufs_mount *mp, struct ufs_inode *dp, const char *name,
    size_t len, uint32_t ino, int type, const struct ufs_dirslot *slot,
    const struct ufs_cred *cr)
{
	const struct fs *fs = mp->fs;
	uint64_t base;
	uint8_t *buf, *p;
	struct dent d;
	size_t used;
	int64_t bn;
	int error;

	if (mp->flags & UFS_MNT_RDONLY)
		return (EROFS);
	if (slot->freeoff == NOSLOT)
		return (dir_grow(mp, dp, name, len, ino, type, cr));
	base = slot->freeoff & ~(uint64_t)fs->fs_qfmask;
	if ((buf = ufs_malloc(mp, (size_t)fs->fs_fsize)) == NULL)
		return (ENOMEM);
	if ((error = dir_frag(mp, dp, base, buf, &bn)) != 0)
		goto out;
	p = buf + (slot->freeoff - base);
	get_dent(p, &d);
	used = d.ino != 0 ? UFS_DIRSIZ(d.namlen) : 0;
	if (d.reclen < used + UFS_DIRSIZ(len)) {
		error = EINVAL; /* changed since the scan */
		goto out;
	}
	if (used != 0) {
		set_reclen(p, (uint16_t)used);
		p += used;
	}
	put_dent(p, ino, (uint16_t)(d.reclen - used), type, name, len);
	if ((error = ufs_bwrite(mp, bn, 1, buf)) == 0)
		error = dir_changed(mp, dp);
out:
	ufs_mfree(mp, buf);
	return (error);
}

int
ufs_dirremove(struct ufs_mount *mp, struct ufs_inode *dp,
    const struct ufs_dirslot *slot)
{
	const struct fs *fs = mp->fs;
	uint64_t base = slot->off & ~(uint64_t)fs->fs_qfmask;
	struct dent d, pd;
	uint8_t *buf;
	int64_t bn;
	int error;

	if (mp->flags & UFS_MNT_RDONLY)
		return (EROFS);
	if ((buf = ufs_malloc(mp, (size_t)fs->fs_fsize)) == NULL)
		return (ENOMEM);
	if ((error = dir_frag(mp, dp, base, buf, &bn)) != 0)
		goto out;
	get_dent(buf + (slot->off - base), &d);
	if (slot->prevoff == slot->off) {
		memset(buf + (slot->off - base), 0, 4);
	} else {
		get_dent(buf + (slot->prevoff - base), &pd);
		set_reclen(buf + (slot->prevoff - base),
		    (uint16_t)(pd.reclen + d.reclen));
	}
	if ((error = ufs_bwrite(mp, bn, 1, buf)) == 0)
		error = dir_changed(mp, dp);
out:
	ufs_mfree(mp, buf);
	return (error);
}

int
ufs_dirrewrite(struct ufs_mount *mp, struct ufs_inode *dp, uint64_t off,
    uint32_t ino, int type)
{
	const struct fs *fs = mp->fs;
	uint64_t base = off & ~(uint64_t)fs->fs_qfmask;
	uint8_t *buf;
	int64_t bn;
	int error;

	if (mp->flags & UFS_MNT_RDONLY)
		return (EROFS);
	if ((buf = ufs_malloc(mp, (size_t)fs->fs_fsize)) == NULL)
		return (ENOMEM);
	if ((error = dir_frag(mp, dp, base, buf, &bn)) == 0) {
		memcpy(buf + (off - base), &ino, 4);
		buf[off - base + 6] = (uint8_t)type;
		if ((error = ufs_bwrite(mp, bn, 1, buf)) == 0)
			error = dir_changed(mp, dp);
	}
	ufs_mfree(mp, buf);
	return (error);
}

/* Calls fn for every used entry from *cookiep on (see ufs_readdir). */
static int
dir_walk(struct ufs_mount *mp, struct ufs_inode *dp, uint64_t *cookiep,
    ufs_dirent_fn *fn, void *arg)
{
	const struct fs *fs = mp->fs;
	uint64_t start = *cookiep, off;
	uint8_t *buf;
	struct dent d;
	int64_t bn;
	int error = 0;

	if ((buf = ufs_malloc(mp, (size_t)fs->fs_fsize)) == NULL)
		return (ENOMEM);
	off = start & ~(uint64_t)fs->fs_qfmask;
	for (; off < dp->din.di_size; off += (uint64_t)fs->fs_fsize) {
		size_t flen = frag_len(fs, dp, off);

		if ((error = dir_frag(mp, dp, off, buf, &bn)) != 0)
			goto out;
		for (size_t c = 0; c < flen; c += DIRBLKSIZ) {
			if (off + c + DIRBLKSIZ <= start)
				continue;
			if ((error = check_chunk(mp, buf + c)) != 0)
				goto out;
			for (size_t o = c; o < c + DIRBLKSIZ; o += d.reclen) {
				get_dent(buf + o, &d);
				if (d.ino == 0 || off + o < start)
					continue;
				if (fn(arg, d.name, d.namlen, d.ino, d.type,
					off + o + d.reclen) != 0) {
					*cookiep = off + o;
					goto out;
				}
			}
		}
	}
	*cookiep = dp->din.di_size > start ? dp->din.di_size : start;
out:
	ufs_mfree(mp, buf);
	return (error);
}

int
ufs_readdir(struct ufs_mount *mp, struct ufs_inode *dp, uint64_t *cookiep,
    ufs_dirent_fn *fn, void *arg)
{
	if (!UFS_ISDIR(dp))
		return (ENOTDIR);
	return (dir_walk(mp, dp, cookiep, fn, arg));
}

struct empty_arg {
	uint32_t self, dotdot;
	int error;
};

static int
empty_fn(void *arg, const char *name, size_t len, uint32_t ino, int type,
    uint64_t next)
{
	struct empty_arg *a = arg;

	if (len == 1 && name[0] == '.')
		return (0);
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		a->dotdot = ino;
		return (0);
	}
	a->error = ENOTEMPTY;
	return (1);
}

int
ufs_dirempty(struct ufs_mount *mp, struct ufs_inode *ip, uint32_t *dotdot)
{
	struct empty_arg a = { ip->ino, 0, 0 };
	uint64_t cookie = 0;
	int error;

	if ((error = dir_walk(mp, ip, &cookie, empty_fn, &a)) != 0)
		return (error);
	if (dotdot != NULL)
		*dotdot = a.dotdot;
	return (a.error);
}

int
ufs_lookup(struct ufs_mount *mp, struct ufs_inode *dp, const char *name,
    size_t len, uint32_t *inop)
{
	struct ufs_dirslot slot;
	int error;

	if (!UFS_ISDIR(dp))
		return (ENOTDIR);
	if ((error = ufs_checkname(name, len)) != 0)
		return (error);
	if ((error = ufs_dirscan(mp, dp, name, len, &slot)) != 0)
		return (error);
	*inop = slot.ino;
	return (0);
}
