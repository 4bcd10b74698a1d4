/*
 * fsck_pass4.c - phase 4 of fsck_ufs: check reference counts.
 *
 * After phase 2 counted the references and phase 3 connected the
 * directories, every inode's link count must equal its references: an
 * inode with none is offered for reconnection to lost+found (or cleared,
 * as preen does for empty files), a wrong count is adjusted, and inodes
 * phase 1 doomed that are no longer named are cleared.  The map of used
 * fragments is then rebuilt from the inodes left, for phase 5.
 */
#include <string.h>

#include "images/tools/fsck_ufs/fsck.h"

struct remark {
	int dups;
};

/* Marks what a surviving inode holds; as bounded as phase 1. */
static int
remark(struct fsck *f, void *ctx, int64_t blk, int nfrags, int64_t lbn,
    int level)
{
	struct remark *r = ctx;
	bool dup = false;

	if (chkrange(f, blk, nfrags))
		return (WALK_SKIP);
	for (int i = 0; i < nfrags; i++) {
		if (!testbmap(f, blk + i)) {
			setbmap(f, blk + i);
			f->n_blks++;
		} else {
			dup = true;
		}
	}
	if (dup && ++r->dups >= MAXDUP)
		return (WALK_STOP);
	return (dup && level > 0 ? WALK_SKIP : WALK_KEEPON);
}

/*
 * Rebuilds the used-fragment map from the inodes that are left, so that
 * what cleared inodes held (duplicates included, whoever was cleared
 * first) is exactly what phase 5 finds free.
 */
static void
rebuild_bmap(struct fsck *f)
{
	struct ufs1_dinode d;

	memset(f->bmap, 0, (size_t)(f->fs.fs_size / 8 + 1));
	mark_metadata(f);
	f->n_blks = 0;
	for (uint32_t ino = ROOTINO; ino < f->maxino; ino++) {
		struct remark r = { 0 };
		uint16_t mode;

		if (f->state[ino] == USTATE || f->state[ino] == 0)
			continue;
		inode_get(f, ino, &d);
		mode = d.di_mode & IFMT;
		if (mode == IFBLK || mode == IFCHR ||
		    (mode == IFLNK && d.di_blocks == 0 &&
			d.di_size < (uint64_t)MAXSYMLINKLEN))
			continue;
		walk_inode(f, ino, &d, remark, &r, false);
	}
}

/*
 * Offers inode ino for clearing ("type FILE I=..." first when announce):
 * its fragments are freed and the inode zeroed but for its generation.
 */
void
clri(struct fsck *f, uint32_t ino, const char *type, bool announce)
{
	struct ufs1_dinode d;
	int32_t gen;

	inode_get(f, ino, &d);
	if (announce) {
		pwarn(f, "%s %s", type,
		    (d.di_mode & IFMT) == IFDIR ? "DIR" : "FILE");
		pinode(f, ino);
	}
	if (!preenfix(f, "CLEARED", "CLEAR"))
		return;
	f->n_files--;
	/* Its fragments are given back when the map is rebuilt. */
	gen = d.di_gen;
	memset(&d, 0, sizeof(d));
	d.di_gen = gen;
	inode_put(f, ino, &d);
	f->state[ino] = USTATE;
}

/* A link count lcnt too high (or, negative, too low). */
static void
adjust(struct fsck *f, uint32_t ino, int32_t lcnt)
{
	struct ufs1_dinode d;
	bool isdir;

	inode_get(f, ino, &d);
	isdir = (d.di_mode & IFMT) == IFDIR;
	if (d.di_nlink == lcnt) {
		/* Not named anywhere. */
		if (!linkup(f, ino, 0))
			clri(f, ino, "UNREF", false);
		return;
	}
	pwarn(f, "LINK COUNT %s",
	    ino == f->lfdir ? LFNAME : (isdir ? "DIR" : "FILE"));
	pinode(f, ino);
	pmsg(f, " COUNT %d SHOULD BE %d", d.di_nlink, d.di_nlink - lcnt);
	if (f->preen && lcnt < 0) {
		pmsg(f, "\n");
		pfatal(f, "LINK COUNT INCREASING");
	}
	if (preenfix(f, "ADJUSTED", "ADJUST")) {
		inode_get(f, ino, &d);
		d.di_nlink = (int16_t)(d.di_nlink - lcnt);
		inode_put(f, ino, &d);
	}
}

/* Phase 4: every inode in use. */
void
pass4(struct fsck *f)
{
	struct ufs1_dinode d;

	for (uint32_t ino = ROOTINO; ino < f->maxino; ino++) {
		switch (f->state[ino]) {
		case FSTATE:
		case DFOUND:
			if (f->lncnt[ino] != 0) {
				adjust(f, ino, f->lncnt[ino]);
				break;
			}
			inode_get(f, ino, &d);
			if (d.di_nlink == 0)
				clri(f, ino, "UNREF", true);
			break;
		case DSTATE:
			clri(f, ino, "UNREF", true);
			break;
		case DCLEAR:
		case FCLEAR:
			clri(f, ino, "BAD/DUP", true);
			break;
		}
	}
	rebuild_bmap(f);
}
