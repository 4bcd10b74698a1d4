/*
 * fsck_pass1.c - phase 1 (check blocks and sizes) and 1b (rescan for
 * duplicates) of fsck_ufs.
 *
 * Phase 1 reads every inode: an unallocated one must be zero, an
 * allocated one must have a known type, block pointers only where its
 * size needs them, every fragment in the data area (else BAD) and claimed
 * once (else DUP), and di_blocks must count what it holds.  It records
 * the state, type and link count of each inode and the directories, and
 * builds the map of used fragments.  Phase 1b finds the other claimants
 * of duplicated fragments, so that every file involved is offered for
 * removal.
 */
#include <stdlib.h>
#include <string.h>

#include "images/tools/fsck_ufs/fsck.h"

struct p1 {
	uint32_t ino;
	int badblk, dupblk;
	int64_t frags; /* fragments held, for di_blocks */
};

/* Reports a bad or duplicate fragment and dooms the inode. */
static void
blkerror(struct fsck *f, uint32_t ino, const char *type, int64_t blk)
{
	pfatal(f, "%jd %s I=%u", (intmax_t)blk, type, ino);
	pmsg(f, "\n");
	if (f->state[ino] == DSTATE || f->state[ino] == DFOUND)
		f->state[ino] = DCLEAR;
	else if (f->state[ino] == FSTATE)
		f->state[ino] = FCLEAR;
}

static void
adddup(struct fsck *f, int64_t frag)
{
	if (f->ndups == f->dupcap) {
		uint32_t cap = f->dupcap ? f->dupcap * 2 : 64;
		int64_t *n = realloc(f->dups, cap * sizeof(*n));

		if (n == NULL) {
			pwarn(f, "CANNOT ALLOCATE THE DUPLICATE LIST\n");
			fsck_abort(f);
		}
		f->dups = n;
		f->dupcap = cap;
	}
	f->dups[f->ndups++] = frag;
	f->dupmap[frag / 8] |= (uint8_t)(1u << (frag % 8));
}

static int
pass1check(struct fsck *f, void *ctx, int64_t blk, int nfrags, int64_t lbn,
    int level)
{
	struct p1 *p = ctx;
	bool dup = false;

	p->frags += nfrags;
	if (chkrange(f, blk, nfrags)) {
		blkerror(f, p->ino, "BAD", blk);
		if (++p->badblk >= MAXBAD) {
			pwarn(f, "EXCESSIVE BAD BLKS I=%u", p->ino);
			if (!reply(f, "CONTINUE"))
				fsck_abort(f);
			return (WALK_STOP);
		}
		return (WALK_SKIP);
	}
	for (int i = 0; i < nfrags; i++) {
		if (!testbmap(f, blk + i)) {
			setbmap(f, blk + i);
			f->n_blks++;
			continue;
		}
		dup = true;
		blkerror(f, p->ino, "DUP", blk + i);
		adddup(f, blk + i);
		if (++p->dupblk >= MAXDUP) {
			pwarn(f, "EXCESSIVE DUP BLKS I=%u", p->ino);
			if (!reply(f, "CONTINUE"))
				fsck_abort(f);
			return (WALK_STOP);
		}
	}
	/* What a duplicated indirect block maps is someone else's. */
	return (dup && level > 0 ? WALK_SKIP : WALK_KEEPON);
}

/* Whether the pointers past what di_size needs are all zero. */
static bool
pointers_ok(struct fsck *f, const struct ufs1_dinode *dp)
{
	const struct fs *fs = &f->fs;
	uint16_t mode = dp->di_mode & IFMT;
	int64_t ndb, span = 1, base = NDADDR;

	if (mode == IFLNK && dp->di_blocks == 0 &&
	    dp->di_size < (uint64_t)MAXSYMLINKLEN) {
		/* A fast link: its target is in the pointers. */
		const uint8_t *p = (const uint8_t *)dp->di_db;

		for (size_t i = (size_t)dp->di_size; i < MAXSYMLINKLEN; i++)
			if (p[i] != 0)
				return (false);
		return (true);
	}
	ndb = (int64_t)((dp->di_size + (uint64_t)fs->fs_bsize - 1) >>
	    fs->fs_bshift);
	if (mode == IFBLK || mode == IFCHR)
		ndb++; /* di_db[0] holds the device */
	for (int64_t j = ndb; j < NDADDR; j++)
		if (j >= 0 && dp->di_db[j] != 0)
			return (false);
	for (int j = 0; j < NIADDR; j++) {
		span *= fs->fs_nindir;
		if (ndb <= base && dp->di_ib[j] != 0)
			return (false);
		base += span;
	}
	return (true);
}

static bool
type_ok(uint16_t mode)
{
	switch (mode & IFMT) {
	case IFDIR:
	case IFREG:
	case IFBLK:
	case IFCHR:
	case IFLNK:
	case IFSOCK:
	case IFIFO:
		return (true);
	default:
		return (false);
	}
}

static void
clearinode(struct fsck *f, uint32_t ino, struct ufs1_dinode *dp)
{
	int32_t gen = dp->di_gen;

	memset(dp, 0, sizeof(*dp));
	dp->di_gen = gen;
	inode_put(f, ino, dp);
}

static void
checkinode(struct fsck *f, uint32_t ino)
{
	struct ufs1_dinode d;
	uint16_t mode;
	struct p1 p = { ino, 0, 0, 0 };
	int64_t want;
	static const struct ufs1_dinode zero;

	inode_get(f, ino, &d);
	mode = d.di_mode & IFMT;
	if (mode == 0) {
		if (memcmp(d.di_db, zero.di_db, sizeof(d.di_db)) != 0 ||
		    memcmp(d.di_ib, zero.di_ib, sizeof(d.di_ib)) != 0 ||
		    d.di_mode != 0 || d.di_size != 0) {
			pfatal(f, "PARTIALLY ALLOCATED INODE I=%u", ino);
			if (reply(f, "CLEAR"))
				clearinode(f, ino, &d);
		}
		f->state[ino] = USTATE;
		return;
	}
	if (d.di_size > f->maxfilesize || !type_ok(d.di_mode) ||
	    !pointers_ok(f, &d)) {
		pfatal(f, "UNKNOWN FILE TYPE I=%u", ino);
		f->state[ino] = FCLEAR;
		if (reply(f, "CLEAR")) {
			clearinode(f, ino, &d);
			f->state[ino] = USTATE;
		}
		return;
	}
	f->n_files++;
	f->lncnt[ino] = d.di_nlink;
	f->type[ino] = mode_to_dtype(d.di_mode);
	if (mode == IFDIR) {
		f->state[ino] = d.di_size == 0 ? DCLEAR : DSTATE;
		dir_add(f, ino);
	} else {
		f->state[ino] = FSTATE;
	}
	if (mode == IFBLK || mode == IFCHR ||
	    (mode == IFLNK && d.di_blocks == 0 &&
		d.di_size < (uint64_t)MAXSYMLINKLEN))
		p.frags = 0; /* no blocks */
	else
		walk_inode(f, ino, &d, pass1check, &p, true);
	want = p.frags * f->fs.fs_nspf;
	/* A condemned inode's count is moot (and its walk incomplete). */
	if (want != d.di_blocks && f->state[ino] != FCLEAR &&
	    f->state[ino] != DCLEAR) {
		pwarn(f, "INCORRECT BLOCK COUNT I=%u (%d should be %jd)", ino,
		    d.di_blocks, (intmax_t)want);
		if (preenfix(f, "CORRECTED", "CORRECT")) {
			inode_get(f, ino, &d);
			d.di_blocks = (int32_t)want;
			inode_put(f, ino, &d);
		}
	}
}

/* Marks the fragments of the groups' metadata and the summary used. */
void
mark_metadata(struct fsck *f)
{
	const struct fs *fs = &f->fs;

	for (int c = 0; c < fs->fs_ncg; c++) {
		int64_t i = c == 0 ? ufs_cgbase(fs, 0) : ufs_cgsblock(fs, c);
		int64_t end = ufs_cgdmin(fs, c);

		if (c == 0)
			end += (fs->fs_cssize + fs->fs_fsize - 1) /
			    fs->fs_fsize;
		for (; i < end && i < fs->fs_size; i++)
			setbmap(f, i);
	}
	for (int64_t i = fs->fs_csaddr; i <
	     fs->fs_csaddr + (fs->fs_cssize + fs->fs_fsize - 1) / fs->fs_fsize;
	     i++)
		setbmap(f, i);
}

/* Phase 1: every inode. */
void
pass1(struct fsck *f)
{
	mark_metadata(f);
	f->state[0] = f->state[1] = USTATE;
	for (uint32_t ino = ROOTINO; ino < f->maxino; ino++)
		checkinode(f, ino);
}

static int
pass1bcheck(struct fsck *f, void *ctx, int64_t blk, int nfrags, int64_t lbn,
    int level)
{
	uint32_t ino = *(uint32_t *)ctx;

	if (chkrange(f, blk, nfrags))
		return (WALK_SKIP);
	for (int i = 0; i < nfrags; i++) {
		if ((f->dupmap[(blk + i) / 8] >> ((blk + i) % 8)) & 1) {
			blkerror(f, ino, "DUP", blk + i);
			return (WALK_STOP);
		}
	}
	return (WALK_KEEPON);
}

/* Phase 1b: the first claimants of the duplicated fragments. */
void
pass1b(struct fsck *f)
{
	struct ufs1_dinode d;

	for (uint32_t ino = ROOTINO; ino < f->maxino; ino++) {
		uint16_t mode;

		if (f->state[ino] != FSTATE && f->state[ino] != DSTATE)
			continue;
		inode_get(f, ino, &d);
		mode = d.di_mode & IFMT;
		if (mode == IFBLK || mode == IFCHR ||
		    (mode == IFLNK && d.di_blocks == 0 &&
			d.di_size < (uint64_t)MAXSYMLINKLEN))
			continue;
		walk_inode(f, ino, &d, pass1bcheck, &ino, false);
	}
}
