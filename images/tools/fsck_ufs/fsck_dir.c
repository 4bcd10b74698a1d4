/*
 * fsck_dir.c - directory operations of fsck_ufs after pass 2 has made
 * the directories sane: scanning entries, looking names up, adding,
 * changing and clearing entries, the directory table of pass 2 and 3,
 * and path names for messages.  Scans still check every record length,
 * so that a directory pass 2 was not allowed to fix cannot derail them.
 */
#include <stdlib.h>
#include <string.h>

#include "images/tools/fsck_ufs/fsck.h"

struct scan {
	ent_fn fn;
	void *ctx;
	uint64_t size;
	int found;
};

/* A data block of a directory: its chunks and their entries. */
static int
scan_block(struct fsck *f, void *arg, int64_t blk, int nfrags, int64_t lbn,
    int level)
{
	struct scan *s = arg;
	uint8_t *buf;
	uint64_t start = (uint64_t)lbn << f->fs.fs_bshift;
	size_t len = (size_t)nfrags * (size_t)f->fs.fs_fsize;
	bool dirty = false;

	if (level != 0 || chkrange(f, blk, nfrags) || start >= s->size)
		return (WALK_KEEPON);
	if (s->size - start < len)
		len = (size_t)(s->size - start);
	len &= ~(size_t)(DIRBLKSIZ - 1);
	buf = walk_buf(f, 0);
	dev_read(f, blk, buf, len);
	for (size_t chunk = 0; chunk < len; chunk += DIRBLKSIZ) {
		size_t off = chunk;

		while (off < chunk + DIRBLKSIZ) {
			struct direct *de = (struct direct *)(void *)(buf +
			    off);
			int r;

			if (de->d_reclen < 12 || de->d_reclen % 4 != 0 ||
			    de->d_reclen > chunk + DIRBLKSIZ - off ||
			    (de->d_ino != 0 &&
				UFS_DIRSIZ(de->d_namlen) > de->d_reclen))
				break;
			r = s->fn(f, s->ctx, de);
			if (r & DIR_ALTERED)
				dirty = true;
			if (r & DIR_FOUND) {
				s->found = 1;
				goto out;
			}
			off += de->d_reclen;
		}
	}
out:
	if (dirty)
		dev_write(f, blk, buf, len);
	return (s->found ? WALK_STOP : WALK_KEEPON);
}

/*
 * Calls fn for every entry of directory dir (free ones too) until it
 * returns DIR_FOUND; writes back the blocks where it returned
 * DIR_ALTERED.  Returns true when fn found what it looked for.
 */
bool
dir_scan(struct fsck *f, uint32_t dir, ent_fn fn, void *ctx)
{
	struct ufs1_dinode d;
	struct scan s = { fn, ctx, 0, 0 };

	if (dir < ROOTINO || dir >= f->maxino)
		return (false);
	inode_get(f, dir, &d);
	if ((d.di_mode & IFMT) != IFDIR)
		return (false);
	s.size = d.di_size;
	walk_inode(f, dir, &d, scan_block, &s, false);
	return (s.found != 0);
}

struct lookup {
	const char *name;
	uint32_t ino;
};

static int
find_name(struct fsck *f, void *ctx, struct direct *de)
{
	struct lookup *l = ctx;

	if (de->d_ino == 0 || de->d_namlen != strlen(l->name) ||
	    memcmp(de->d_name, l->name, de->d_namlen) != 0)
		return (0);
	l->ino = de->d_ino;
	return (DIR_FOUND);
}

/* The inode name names in dir, or 0. */
uint32_t
dir_lookup(struct fsck *f, uint32_t dir, const char *name)
{
	struct lookup l = { name, 0 };

	(void)dir_scan(f, dir, find_name, &l);
	return (l.ino);
}

struct newent {
	uint32_t ino;
	const char *name;
	uint8_t type;
};

static int
make_entry(struct fsck *f, void *ctx, struct direct *de)
{
	struct newent *n = ctx;
	size_t namlen = strlen(n->name), need = UFS_DIRSIZ(namlen);
	struct direct *to = de;
	size_t reclen = de->d_reclen;

	if (de->d_ino != 0) {
		size_t used = UFS_DIRSIZ(de->d_namlen);

		if (reclen < used + need)
			return (0);
		de->d_reclen = (uint16_t)used;
		to = (struct direct *)(void *)((uint8_t *)de + used);
		reclen -= used;
	} else if (reclen < need) {
		return (0);
	}
	memset(to, 0, need);
	to->d_ino = n->ino;
	to->d_reclen = (uint16_t)reclen;
	to->d_type = n->type;
	to->d_namlen = (uint8_t)namlen;
	memcpy(to->d_name, n->name, namlen);
	return (DIR_ALTERED | DIR_FOUND);
}

/*
 * Adds the entry name -> ino (d_type type) to dir, in a free entry or
 * the slack of one.  Returns false when there is no room.
 * XXX: does not grow the directory as BSD's expanddir() does.
 */
bool
dir_makeentry(struct fsck *f, uint32_t dir, uint32_t ino, const char *name,
    uint8_t type)
{
	struct newent n = { ino, name, type };

	return (dir_scan(f, dir, make_entry, &n));
}

struct change {
	const char *name;
	uint32_t ino;
};

static int
change_ino(struct fsck *f, void *ctx, struct direct *de)
{
	struct change *c = ctx;

	if (de->d_ino == 0 || de->d_namlen != strlen(c->name) ||
	    memcmp(de->d_name, c->name, de->d_namlen) != 0)
		return (0);
	de->d_ino = c->ino;
	return (DIR_ALTERED | DIR_FOUND);
}

/* Points the entry name of dir at ino; false when there is none. */
bool
dir_changeino(struct fsck *f, uint32_t dir, const char *name, uint32_t ino)
{
	struct change c = { name, ino };

	return (dir_scan(f, dir, change_ino, &c));
}

static int
clear_entry(struct fsck *f, void *ctx, struct direct *de)
{
	uint32_t *ino = ctx;

	if (de->d_ino != *ino || (de->d_namlen == 1 && de->d_name[0] == '.') ||
	    (de->d_namlen == 2 && de->d_name[0] == '.' && de->d_name[1] == '.'))
		return (0);
	de->d_ino = 0;
	return (DIR_ALTERED | DIR_FOUND);
}

/* Clears the first entry of dir naming ino; false when there is none. */
bool
dir_clearentry(struct fsck *f, uint32_t dir, uint32_t ino)
{
	return (dir_scan(f, dir, clear_entry, &ino));
}

/* The table entry of directory ino, or NULL. */
struct dirinfo *
dir_info(struct fsck *f, uint32_t ino)
{
	if (ino >= f->maxino || f->dirindex[ino] == 0)
		return (NULL);
	return (&f->dirs[f->dirindex[ino] - 1]);
}

/* Adds directory ino to the table (once); aborts when out of memory. */
struct dirinfo *
dir_add(struct fsck *f, uint32_t ino)
{
	struct dirinfo *d;

	if ((d = dir_info(f, ino)) != NULL)
		return (d);
	if (f->ndirs == f->dircap) {
		uint32_t cap = f->dircap ? f->dircap * 2 : 64;
		struct dirinfo *n = realloc(f->dirs, cap * sizeof(*n));

		if (n == NULL) {
			pwarn(f, "CANNOT ALLOCATE THE DIRECTORY TABLE\n");
			fsck_abort(f);
		}
		f->dirs = n;
		f->dircap = cap;
	}
	d = &f->dirs[f->ndirs++];
	memset(d, 0, sizeof(*d));
	d->ino = ino;
	f->dirindex[ino] = f->ndirs;
	return (d);
}

struct findino {
	uint32_t ino;
	char name[UFS_MAXNAMLEN + 1];
};

static int
find_ino(struct fsck *f, void *ctx, struct direct *de)
{
	struct findino *fi = ctx;

	if (de->d_ino != fi->ino ||
	    (de->d_namlen == 1 && de->d_name[0] == '.') ||
	    (de->d_namlen == 2 && de->d_name[0] == '.' && de->d_name[1] == '.'))
		return (0);
	memcpy(fi->name, de->d_name, de->d_namlen);
	fi->name[de->d_namlen] = '\0';
	return (DIR_FOUND);
}

/*
 * The path of directory dir from the root, for messages, through the
 * parents pass 2 found ("?" for what is not known); at most len bytes.
 */
void
dir_path(struct fsck *f, uint32_t dir, char *buf, size_t len)
{
	uint32_t chain[64];
	int n = 0;
	struct dirinfo *d;

	snprintf(buf, len, "%s", dir == ROOTINO ? "/" : "?");
	for (uint32_t ino = dir; ino != ROOTINO && n < 64; n++) {
		chain[n] = ino;
		if ((d = dir_info(f, ino)) == NULL || d->parent == 0)
			return;
		ino = d->parent;
	}
	if (n == 64 || dir == ROOTINO)
		return;
	buf[0] = '\0';
	for (int i = n - 1; i >= 0; i--) {
		struct findino fi = { chain[i], "?" };
		struct dirinfo *di = dir_info(f, chain[i]);
		size_t used = strlen(buf);

		if (f->walkdepth < WALK_NEST)
			(void)dir_scan(f, di->parent, find_ino, &fi);
		snprintf(buf + used, len - used, "/%s", fi.name);
	}
}
