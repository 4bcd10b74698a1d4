/*
 * fsck_pass2.c - phase 2 of fsck_ufs: check pathnames.
 *
 * Every directory phase 1 accepted is read chunk by chunk: records that
 * do not fit their DIRBLKSIZ chunk are salvaged (the rest of the chunk
 * becomes free space), "." and ".." must come first and be right, and
 * every other entry must name an allocated inode in range with its type.
 * Entries to inodes phase 1 doomed are offered for removal.  Each entry
 * is a reference, counted against the link count of its inode; each
 * directory entry gives its target's parent, against which ".." is
 * checked at the end.
 */
#include <string.h>

#include "images/tools/fsck_ufs/fsck.h"

struct p2 {
	uint32_t dir;
	uint64_t size;
	int64_t nextlbn; /* for holes */
	int64_t holelbn; /* first hole, -1 when none */
	int entry;	 /* entries seen in the directory */
};

/* Prints "msg I=... " and the path of the entry name in dir. */
static void
fileerror(struct fsck *f, uint32_t dir, uint32_t ino, const struct direct *de,
    const char *msg)
{
	char path[1024];
	size_t used;

	pwarn(f, "%s ", msg);
	pinode(f, ino);
	pmsg(f, "\n");
	dir_path(f, dir, path, sizeof(path));
	used = strlen(path);
	if (de != NULL)
		snprintf(path + used, sizeof(path) - used, "%s%.*s",
		    used > 0 && path[used - 1] == '/' ? "" : "/", de->d_namlen,
		    de->d_name);
	pfatal(f, "%s=%s\n",
	    ino < f->maxino && f->type[ino] == DT_DIR ? "DIR" : "FILE", path);
}

static void
direrror(struct fsck *f, uint32_t dir, const char *msg)
{
	char path[1024];

	pwarn(f, "%s ", msg);
	pinode(f, dir);
	pmsg(f, "\n");
	dir_path(f, dir, path, sizeof(path));
	pfatal(f, "DIR=%s\n", path);
}

static bool
isname(const struct direct *de, const char *name)
{
	return (de->d_namlen == strlen(name) &&
	    memcmp(de->d_name, name, de->d_namlen) == 0);
}

/* The checks of dircheck(): a record that fits and a sane name. */
static bool
entry_ok(const struct direct *de, size_t room)
{
	if (de->d_reclen < 12 || de->d_reclen % 4 != 0 || de->d_reclen > room)
		return (false);
	if (de->d_ino == 0)
		return (true);
	if (de->d_namlen == 0 || UFS_DIRSIZ(de->d_namlen) > de->d_reclen)
		return (false);
	for (int i = 0; i < de->d_namlen; i++)
		if (de->d_name[i] == '\0' || de->d_name[i] == '/')
			return (false);
	return (de->d_name[de->d_namlen] == '\0');
}

/* "." and "..": the first two entries.  Returns true when changed. */
static bool
check_dots(struct fsck *f, struct p2 *p, struct direct *de)
{
	struct dirinfo *di = dir_info(f, p->dir);
	bool changed = false;

	if (p->entry == 1) {
		if (de->d_ino != 0 && isname(de, ".")) {
			if (de->d_ino != p->dir) {
				direrror(f, p->dir, "BAD INODE NUMBER FOR '.'");
				if (reply(f, "FIX")) {
					de->d_ino = p->dir;
					changed = true;
				}
			}
			if (de->d_ino == p->dir) {
				f->lncnt[p->dir]--;
				if (de->d_type != DT_DIR) {
					direrror(f, p->dir,
					    "BAD TYPE VALUE FOR '.'");
					if (reply(f, "FIX")) {
						de->d_type = DT_DIR;
						changed = true;
					}
				}
			}
			return (changed);
		}
		direrror(f, p->dir, "MISSING '.'");
		if (de->d_ino != 0)
			pfatal(f,
			    "CANNOT FIX, FIRST ENTRY IN DIRECTORY "
			    "CONTAINS %.*s\n",
			    de->d_namlen, de->d_name);
		else if (reply(f, "FIX")) {
			memset(de->d_name, 0, 4);
			de->d_ino = p->dir;
			de->d_type = DT_DIR;
			de->d_namlen = 1;
			de->d_name[0] = '.';
			f->lncnt[p->dir]--;
			return (true);
		}
		return (false);
	}
	/* The second entry: record what ".." says, fixed after the scan. */
	if (de->d_ino != 0 && isname(de, "..")) {
		di->dotdot = de->d_ino;
		if (de->d_ino >= ROOTINO && de->d_ino < f->maxino &&
		    f->state[de->d_ino] != USTATE) {
			f->lncnt[de->d_ino]--;
			di->dotdot_counted = true;
		}
		if (de->d_type != DT_DIR) {
			direrror(f, p->dir, "BAD TYPE VALUE FOR '..'");
			if (reply(f, "FIX")) {
				de->d_type = DT_DIR;
				changed = true;
			}
		}
		return (changed);
	}
	di->dotdot = 0;
	return (false);
}

/* Any other entry.  Returns true when changed. */
static bool
check_entry(struct fsck *f, struct p2 *p, struct direct *de)
{
	uint32_t ino = de->d_ino;
	struct ufs1_dinode d;
	struct dirinfo *child;
	const char *why = NULL;
	bool changed = false;

	if (ino == 0)
		return (false);
	if (isname(de, ".") || isname(de, "..")) {
		direrror(f, p->dir,
		    isname(de, ".") ? "EXTRA '.' ENTRY" : "EXTRA '..' ENTRY");
		goto remove;
	}
	if (ino < ROOTINO || ino >= f->maxino) {
		fileerror(f, p->dir, ino, de, "I OUT OF RANGE");
		goto remove;
	}
	switch (f->state[ino]) {
	case USTATE:
		why = "UNALLOCATED";
		break;
	case DCLEAR:
	case FCLEAR:
		inode_get(f, ino, &d);
		if (f->state[ino] == DCLEAR && d.di_size == 0) {
			if (f->preen) /* BSD preen drops them silently */
				goto removed;
			why = "ZERO LENGTH DIRECTORY";
		} else {
			why = "DUP/BAD";
		}
		fileerror(f, p->dir, ino, de, why);
		if (reply(f, "REMOVE"))
			goto removed;
		/* Kept: it is counted as a live inode after all. */
		f->state[ino] = (d.di_mode & IFMT) == IFDIR ? DSTATE : FSTATE;
		f->lncnt[ino] = d.di_nlink;
		f->type[ino] = mode_to_dtype(d.di_mode);
		why = NULL;
		break;
	}
	if (why != NULL) {
		fileerror(f, p->dir, ino, de, why);
		goto remove;
	}
	if (de->d_type != f->type[ino]) {
		fileerror(f, p->dir, ino, de, "BAD TYPE VALUE");
		if (reply(f, "FIX")) {
			de->d_type = f->type[ino];
			changed = true;
		}
	}
	f->lncnt[ino]--;
	if (f->type[ino] != DT_DIR || (child = dir_info(f, ino)) == NULL)
		return (changed);
	if (child->parent == 0) {
		child->parent = p->dir;
		return (changed);
	}
	fileerror(f, p->dir, ino, de, "EXTRANEOUS HARD LINK TO DIRECTORY");
	if (preenfix(f, "REMOVED", "REMOVE")) {
		de->d_ino = 0;
		f->lncnt[ino]++;
		return (true);
	}
	return (changed);
remove:
	if (!reply(f, "REMOVE"))
		return (false);
removed:
	de->d_ino = 0;
	return (true);
}

/* One DIRBLKSIZ chunk.  Returns true when changed. */
static bool
check_chunk(struct fsck *f, struct p2 *p, uint8_t *chunk)
{
	size_t off = 0;
	bool changed = false;

	while (off < DIRBLKSIZ) {
		struct direct *de = (struct direct *)(void *)(chunk + off);

		if (!entry_ok(de, DIRBLKSIZ - off)) {
			direrror(f, p->dir, "DIRECTORY CORRUPTED");
			if (!preenfix(f, "SALVAGED", "SALVAGE"))
				return (changed);
			memset(de, 0, 12);
			de->d_reclen = (uint16_t)(DIRBLKSIZ - off);
			changed = true;
		}
		p->entry++;
		if (p->entry <= 2)
			changed |= check_dots(f, p, de);
		else
			changed |= check_entry(f, p, de);
		off += de->d_reclen;
	}
	return (changed);
}

static int
pass2block(struct fsck *f, void *ctx, int64_t blk, int nfrags, int64_t lbn,
    int level)
{
	struct p2 *p = ctx;
	uint64_t start = (uint64_t)lbn << f->fs.fs_bshift;
	size_t len = (size_t)nfrags * (size_t)f->fs.fs_fsize;
	uint8_t *buf;
	bool changed = false;

	if (level != 0 || chkrange(f, blk, nfrags) || start >= p->size)
		return (WALK_KEEPON);
	if (lbn != p->nextlbn && p->holelbn < 0)
		p->holelbn = p->nextlbn;
	p->nextlbn = lbn + 1;
	if (p->holelbn >= 0)
		return (WALK_KEEPON);
	if (p->size - start < len)
		len = (size_t)(p->size - start);
	len &= ~(size_t)(DIRBLKSIZ - 1);
	buf = walk_buf(f, 0);
	dev_read(f, blk, buf, len);
	for (size_t off = 0; off < len; off += DIRBLKSIZ)
		changed |= check_chunk(f, p, buf + off);
	if (changed)
		dev_write(f, blk, buf, len);
	return (WALK_KEEPON);
}

/* The size of a directory, then its blocks. */
static void
check_dir(struct fsck *f, uint32_t dir)
{
	struct ufs1_dinode d;
	struct p2 p = { dir, 0, 0, -1, 0 };
	char path[1024];
	int64_t ndb;

	inode_get(f, dir, &d);
	if (d.di_size % DIRBLKSIZ != 0) {
		dir_path(f, dir, path, sizeof(path));
		pwarn(f, "DIRECTORY %s: LENGTH %ju NOT MULTIPLE OF %d", path,
		    (uintmax_t)d.di_size, DIRBLKSIZ);
		d.di_size = (d.di_size + DIRBLKSIZ - 1) &
		    ~(uint64_t)(DIRBLKSIZ - 1);
		if (preenfix(f, "ADJUSTED", "ADJUST"))
			inode_put(f, dir, &d);
	}
	p.size = d.di_size;
	walk_inode(f, dir, &d, pass2block, &p, false);
	ndb = (int64_t)((d.di_size + (uint64_t)f->fs.fs_bsize - 1) >>
	    f->fs.fs_bshift);
	if (p.holelbn < 0 && p.nextlbn < ndb)
		p.holelbn = p.nextlbn;
	if (p.holelbn < 0)
		return;
	dir_path(f, dir, path, sizeof(path));
	pfatal(f, "DIRECTORY %s: CONTAINS EMPTY BLOCKS", path);
	if (reply(f, "ADJUST LENGTH")) {
		inode_get(f, dir, &d);
		d.di_size = (uint64_t)p.holelbn << f->fs.fs_bshift;
		inode_put(f, dir, &d);
	}
}

/* After the scan: ".." of every directory against its parent. */
static void
check_dotdots(struct fsck *f)
{
	for (uint32_t i = 0; i < f->ndirs; i++) {
		struct dirinfo *di = &f->dirs[i];

		if (di->parent == 0 || di->dotdot == di->parent ||
		    (f->state[di->ino] != DSTATE &&
			f->state[di->ino] != DFOUND))
			continue;
		if (di->dotdot == 0) {
			fileerror(f, di->ino, di->ino, NULL, "MISSING '..'");
			if (!reply(f, "FIX"))
				continue;
			if (!dir_makeentry(f, di->ino, di->parent, "..",
				DT_DIR)) {
				pfatal(f,
				    "CANNOT FIX, INSUFFICIENT SPACE TO "
				    "ADD '..'\n");
				continue;
			}
		} else {
			fileerror(f, di->ino, di->ino, NULL,
			    "BAD INODE NUMBER FOR '..'");
			if (!reply(f, "FIX"))
				continue;
			if (di->dotdot_counted)
				f->lncnt[di->dotdot]++;
			(void)dir_changeino(f, di->ino, "..", di->parent);
		}
		f->lncnt[di->parent]--;
		di->dotdot = di->parent;
		di->dotdot_counted = true;
	}
}

/* Phase 2: the root, then every directory. */
void
pass2(struct fsck *f)
{
	switch (f->state[ROOTINO]) {
	case USTATE:
		pfatal(f, "ROOT INODE UNALLOCATED");
		pmsg(f, "\n%s: CANNOT ALLOCATE ROOT INODE\n", f->o.name);
		fsck_abort(f);
	case FSTATE:
	case FCLEAR:
		pfatal(f, "ROOT INODE NOT DIRECTORY");
		pmsg(f, "\n%s: CANNOT REALLOCATE ROOT INODE\n", f->o.name);
		fsck_abort(f);
	case DCLEAR:
		pfatal(f, "DUPS/BAD IN ROOT INODE");
		if (!reply(f, "CONTINUE"))
			fsck_abort(f);
		f->state[ROOTINO] = DSTATE;
		break;
	}
	f->state[ROOTINO] = DFOUND;
	dir_info(f, ROOTINO)->parent = ROOTINO;
	for (uint32_t i = 0; i < f->ndirs; i++) {
		uint32_t dir = f->dirs[i].ino;

		if (f->state[dir] == DSTATE || f->state[dir] == DFOUND)
			check_dir(f, dir);
	}
	check_dotdots(f);
}
