/*
 * fsck_pass3.c - phase 3 of fsck_ufs: check connectivity; and linkup(),
 * the reconnection of an inode to lost+found that phases 3 and 4 share,
 * creating lost+found when the root has none.
 *
 * A directory is connected when the chain of parents phase 2 found leads
 * to the root.  Every unconnected directory is followed up its parents to
 * the top of its detached tree (or around a loop), and that one is
 * offered for reconnection; what hangs below it is then connected too.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "images/tools/fsck_ufs/fsck.h"

/* Allocates an unused inode above the root; 0 when there is none. */
static uint32_t
alloc_inode(struct fsck *f)
{
	for (uint32_t ino = ROOTINO + 1; ino < f->maxino; ino++)
		if (f->state[ino] == USTATE)
			return (ino);
	return (0);
}

/* Allocates one free fragment of a data area; -1 when there is none. */
static int64_t
alloc_frag(struct fsck *f)
{
	const struct fs *fs = &f->fs;

	for (int c = 0; c < fs->fs_ncg; c++) {
		int64_t end = ufs_cgbase(fs, c + 1);

		if (end > fs->fs_size)
			end = fs->fs_size;
		for (int64_t i = ufs_cgdmin(fs, c); i < end; i++)
			if (!testbmap(f, i) && !chkrange(f, i, 1))
				return (i);
	}
	return (-1);
}

/*
 * Makes directory name in parent, one fragment long, as BSD's allocdir:
 * "." and ".." then empty chunks.  Returns its inode or 0.  The cylinder
 * group maps and counts are left to phase 5.
 */
static uint32_t
allocdir(struct fsck *f, uint32_t parent, const char *name)
{
	struct ufs1_dinode d;
	uint32_t ino = alloc_inode(f);
	int64_t frag = alloc_frag(f);
	size_t fsize = (size_t)f->fs.fs_fsize;
	uint8_t *buf;
	struct direct *de;
	struct dirinfo *di;

	if (ino == 0 || frag < 0 || (buf = calloc(1, fsize)) == NULL)
		return (0);
	de = (struct direct *)(void *)buf;
	de->d_ino = ino;
	de->d_reclen = 12;
	de->d_type = DT_DIR;
	de->d_namlen = 1;
	de->d_name[0] = '.';
	de = (struct direct *)(void *)(buf + 12);
	de->d_ino = parent;
	de->d_reclen = DIRBLKSIZ - 12;
	de->d_type = DT_DIR;
	de->d_namlen = 2;
	memcpy(de->d_name, "..", 2);
	for (size_t off = DIRBLKSIZ; off < fsize; off += DIRBLKSIZ)
		((struct direct *)(void *)(buf + off))->d_reclen = DIRBLKSIZ;
	dev_write(f, frag, buf, fsize);
	free(buf);
	inode_get(f, ino, &d);
	memset(&d, 0, offsetof(struct ufs1_dinode, di_gen));
	d.di_mode = IFDIR | 0700;
	d.di_nlink = 2;
	d.di_size = fsize;
	d.di_db[0] = (int32_t)frag;
	d.di_blocks = f->fs.fs_nspf;
	d.di_atime = d.di_mtime = d.di_ctime = (int32_t)time(NULL);
	d.di_uid = d.di_gid = 0;
	inode_put(f, ino, &d);
	if (!dir_makeentry(f, parent, ino, name, DT_DIR)) {
		memset(&d, 0, offsetof(struct ufs1_dinode, di_gen));
		inode_put(f, ino, &d);
		return (0);
	}
	setbmap(f, frag);
	f->n_blks++;
	f->n_files++;
	f->state[ino] = DFOUND;
	f->type[ino] = DT_DIR;
	f->lncnt[ino] = 0;
	di = dir_add(f, ino);
	di->parent = di->dotdot = parent;
	di->dotdot_counted = true;
	/* The parent gains a link from "..": its count stays balanced. */
	inode_get(f, parent, &d);
	d.di_nlink++;
	inode_put(f, parent, &d);
	return (ino);
}

/* Finds or makes lost+found; sets f->lfdir, or leaves it 0. */
static void
find_lfdir(struct fsck *f)
{
	uint32_t lf = dir_lookup(f, ROOTINO, LFNAME);

	if (lf != 0) {
		if (lf < f->maxino && f->type[lf] == DT_DIR &&
		    (f->state[lf] == DFOUND || f->state[lf] == DSTATE)) {
			f->lfdir = lf;
			return;
		}
		/* XXX: BSD offers to reallocate it. */
		pfatal(f, "%s IS NOT A DIRECTORY\n", LFNAME);
		return;
	}
	pwarn(f, "NO %s DIRECTORY", LFNAME);
	if (!preenfix(f, "CREATED", "CREATE"))
		return;
	f->lfdir = allocdir(f, ROOTINO, LFNAME);
}

/*
 * Links orphan into lost+found as "#ino", asking first (preen does it,
 * but leaves empty files to be cleared); for a directory points its ".."
 * there.  parentdir is what its ".." said (0: nothing).  Returns true
 * when it was linked.
 */
bool
linkup(struct fsck *f, uint32_t orphan, uint32_t parentdir)
{
	struct ufs1_dinode d;
	struct dirinfo *di;
	char name[32];
	bool isdir;

	inode_get(f, orphan, &d);
	isdir = (d.di_mode & IFMT) == IFDIR;
	pwarn(f, "UNREF %s ", isdir ? "DIR" : "FILE");
	pinode(f, orphan);
	if (f->preen && d.di_size == 0)
		return (false);
	if (f->preen)
		pmsg(f, " (RECONNECTED)\n");
	else if (!reply(f, "RECONNECT"))
		return (false);
	if (f->lfdir == 0)
		find_lfdir(f);
	if (f->lfdir == 0) {
		pfatal(f, "SORRY. CANNOT CREATE %s DIRECTORY\n\n", LFNAME);
		f->resolved = false;
		return (false);
	}
	snprintf(name, sizeof(name), "#%u", orphan);
	if (!dir_makeentry(f, f->lfdir, orphan, name, f->type[orphan])) {
		pfatal(f, "SORRY. NO SPACE IN %s DIRECTORY\n\n", LFNAME);
		f->resolved = false;
		return (false);
	}
	f->lncnt[orphan]--;
	if (!isdir || (di = dir_info(f, orphan)) == NULL)
		return (true);
	if (di->dotdot != 0 && dir_changeino(f, orphan, "..", f->lfdir)) {
		if (di->dotdot_counted)
			f->lncnt[di->dotdot]++;
	} else {
		(void)dir_makeentry(f, orphan, f->lfdir, "..", DT_DIR);
	}
	di = dir_info(f, orphan);
	di->dotdot = di->parent = f->lfdir;
	di->dotdot_counted = true;
	inode_get(f, f->lfdir, &d);
	d.di_nlink++;
	inode_put(f, f->lfdir, &d);
	pwarn(f, "DIR I=%u CONNECTED. ", orphan);
	if (parentdir != 0)
		pmsg(f, "PARENT WAS I=%u\n", parentdir);
	if (!f->preen)
		pmsg(f, "\n");
	return (true);
}

/* Marks DFOUND everything below directory index top that is DSTATE. */
static void
propagate(struct fsck *f, uint32_t *queue, uint32_t cap, uint32_t top)
{
	uint32_t head = 0, tail = 0;

	queue[tail++] = top;
	while (head < tail) {
		uint32_t c = f->dirs[queue[head++]].child;

		for (; c != 0; c = f->dirs[c - 1].sibling) {
			uint32_t ino = f->dirs[c - 1].ino;

			if (f->state[ino] != DSTATE || tail >= cap)
				continue;
			f->state[ino] = DFOUND;
			queue[tail++] = c - 1;
		}
	}
}

/* Phase 3: connect what phase 2 could not reach from the root. */
void
pass3(struct fsck *f)
{
	uint32_t n = f->ndirs, *queue = fsck_alloc(f, (n + 1) * sizeof(*queue));

	for (uint32_t i = 0; i < n; i++) {
		struct dirinfo *p = dir_info(f, f->dirs[i].parent);

		if (p == NULL || f->dirs[i].ino == ROOTINO)
			continue;
		f->dirs[i].sibling = p->child;
		p->child = i + 1;
	}
	propagate(f, queue, n + 1, f->dirindex[ROOTINO] - 1);
	for (uint32_t i = n; i-- > 0;) {
		uint32_t orphan = f->dirs[i].ino, steps = 0, parent;

		if (f->state[orphan] != DSTATE)
			continue;
		for (;;) {
			parent = f->dirs[f->dirindex[orphan] - 1].parent;
			if (parent == 0 || parent >= f->maxino ||
			    f->state[parent] != DSTATE || steps > n)
				break;
			orphan = parent;
			steps++;
		}
		if (steps > n) {
			pfatal(f, "ORPHANED DIRECTORY LOOP DETECTED I=%u",
			    orphan);
			if (!reply(f, "RECONNECT")) {
				f->state[orphan] = DFOUND;
				propagate(f, queue, n + 1,
				    f->dirindex[orphan] - 1);
				continue;
			}
			if (dir_clearentry(f, parent, orphan))
				f->lncnt[orphan]++;
			f->dirs[f->dirindex[orphan] - 1].parent = 0;
		}
		(void)linkup(f, orphan,
		    f->dirs[f->dirindex[orphan] - 1].dotdot);
		f->state[orphan] = DFOUND;
		propagate(f, queue, n + 1, f->dirindex[orphan] - 1);
	}
}
