/*
 * fsck_util.c - what every pass of fsck_ufs uses: messages in BSD's forms
 * (pwarn, pfatal and the preen prefix), questions and answers, fragment
 * and inode I/O through the core's I/O abstraction, the used-fragment map
 * and the bounded block walk of an inode.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "images/tools/fsck_ufs/fsck.h"

static void
vmsg(struct fsck *f, bool prefix, const char *fmt, va_list ap)
{
	if (prefix && f->preen)
		fprintf(f->o.out, "%s: ", f->o.name);
	vfprintf(f->o.out, fmt, ap);
}

/* A warning; in preen mode prefixed with the name of the special. */
void
pwarn(struct fsck *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(f, true, fmt, ap);
	va_end(ap);
}

/* Text continuing a message, never prefixed. */
void
pmsg(struct fsck *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(f, false, fmt, ap);
	va_end(ap);
}

/*
 * An inconsistency preen may not fix: in preen mode prints it with the
 * UNEXPECTED INCONSISTENCY line and aborts the check; otherwise prints it
 * and returns, the caller asking what to do.
 */
void
pfatal(struct fsck *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(f, true, fmt, ap);
	va_end(ap);
	if (!f->preen)
		return;
	fprintf(f->o.out,
	    "\n%s: UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY.\n", f->o.name);
	fsck_abort(f);
}

/* Stops the check: the caller of fsck_check gets FSCK_EXIT_FAIL. */
_Noreturn void
fsck_abort(struct fsck *f)
{
	f->resolved = false;
	longjmp(f->abort, 1);
}

/* Zeroed memory freed when the check ends (or aborts). */
void *
fsck_alloc(struct fsck *f, size_t size)
{
	void *p;

	if (f->nmem == (int)(sizeof(f->mem) / sizeof(f->mem[0])) ||
	    (p = calloc(1, size ? size : 1)) == NULL) {
		pwarn(f, "CANNOT ALLOCATE %zu BYTES\n", size);
		fsck_abort(f);
	}
	f->mem[f->nmem++] = p;
	return (p);
}

/*
 * Asks question; returns true for yes.  -n (or a read-only check) answers
 * no, -y yes, otherwise a line from the input, EOF meaning no.  A no
 * leaves the file system unresolved: it is not marked clean and the exit
 * status is FSCK_EXIT_FAIL.
 */
bool
reply(struct fsck *f, const char *question)
{
	char line[128];

	if (f->preen)
		pfatal(f, "INTERNAL ERROR: GOT TO reply()");
	fprintf(f->o.out, "\n%s? ", question);
	if (f->o.mode == FSCK_NO || f->readonly) {
		fprintf(f->o.out, "no\n\n");
		f->resolved = false;
		return (false);
	}
	if (f->o.mode == FSCK_YES) {
		fprintf(f->o.out, "yes\n\n");
		return (true);
	}
	fflush(f->o.out);
	for (int tries = 0; tries < 100; tries++) {
		char *p = line;

		if (f->o.in == NULL ||
		    fgets(line, sizeof(line), f->o.in) == NULL)
			break;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == 'y' || *p == 'Y') {
			fprintf(f->o.out, "\n");
			return (true);
		}
		if (*p == 'n' || *p == 'N')
			break;
		fprintf(f->o.out, "%s? [yn] ", question);
		fflush(f->o.out);
	}
	fprintf(f->o.out, "\n");
	f->resolved = false;
	return (false);
}

/*
 * For an inconsistency preen fixes: in preen mode prints " (note)" and
 * returns true; otherwise asks question.
 */
bool
preenfix(struct fsck *f, const char *note, const char *question)
{
	if (f->preen) {
		pmsg(f, " (%s)\n", note);
		return (true);
	}
	return (reply(f, question));
}

/* Reads len bytes at fragment frag; a failed read gives zeros. */
void
dev_read(struct fsck *f, int64_t frag, void *buf, size_t len)
{
	uint64_t off = ufs_fsbtobyte(&f->fs, frag);

	if (frag < 0 || off > f->io.size || len > f->io.size - off ||
	    f->io.read(f->io.arg, buf, len, off) != 0) {
		pwarn(f, "CANNOT READ: BLK %jd\n", (intmax_t)frag);
		memset(buf, 0, len);
		f->resolved = false;
	}
}

/* Writes len bytes at fragment frag; never in a read-only check. */
void
dev_write(struct fsck *f, int64_t frag, const void *buf, size_t len)
{
	uint64_t off = ufs_fsbtobyte(&f->fs, frag);

	if (f->readonly || f->io.write == NULL) {
		/* A bug: questions are answered no in read-only checks. */
		pwarn(f, "INTERNAL ERROR: WRITE IN A READ-ONLY CHECK\n");
		fsck_abort(f);
	}
	if (frag < 0 || off > f->io.size || len > f->io.size - off ||
	    f->io.write(f->io.arg, buf, len, off) != 0) {
		pwarn(f, "CANNOT WRITE: BLK %jd\n", (intmax_t)frag);
		fsck_abort(f);
	}
	f->modified = true;
}

/* Loads the inode block holding ino into the cache. */
static uint8_t *
inode_block(struct fsck *f, uint32_t ino)
{
	int64_t addr = ufs_ino_to_fsba(&f->fs, ino);

	if (addr != f->iblk_addr) {
		dev_read(f, addr, f->iblk, (size_t)f->fs.fs_bsize);
		f->iblk_addr = addr;
	}
	return (f->iblk +
	    ufs_ino_to_fsbo(&f->fs, ino) * sizeof(struct ufs1_dinode));
}

/* Copies inode ino (below maxino) into *dp. */
void
inode_get(struct fsck *f, uint32_t ino, struct ufs1_dinode *dp)
{
	memcpy(dp, inode_block(f, ino), sizeof(*dp));
}

/* Stores *dp as inode ino, writing it through to the image. */
void
inode_put(struct fsck *f, uint32_t ino, const struct ufs1_dinode *dp)
{
	uint8_t *p = inode_block(f, ino);

	memcpy(p, dp, sizeof(*dp));
	dev_write(f, f->iblk_addr, f->iblk, (size_t)f->fs.fs_bsize);
}

/*
 * True when nfrags fragments from blk are not a valid piece of one block
 * in the data area of a cylinder group (BSD's chkrange).
 */
bool
chkrange(const struct fsck *f, int64_t blk, int nfrags)
{
	const struct fs *fs = &f->fs;
	int64_t c;

	if (nfrags <= 0 || nfrags > fs->fs_frag || blk <= 0 ||
	    blk + nfrags > fs->fs_size)
		return (true);
	if ((blk % fs->fs_frag) + nfrags > fs->fs_frag)
		return (true);
	c = blk / fs->fs_fpg;
	if (blk < ufs_cgdmin(fs, c)) {
		if (blk + nfrags > ufs_cgsblock(fs, c))
			return (true);
	} else if (blk + nfrags > ufs_cgbase(fs, c + 1)) {
		return (true);
	}
	return (false);
}

/* The used-fragment map; frag must be below fs_size. */
bool
testbmap(const struct fsck *f, int64_t frag)
{
	return ((f->bmap[frag / 8] >> (frag % 8)) & 1) != 0;
}

void
setbmap(struct fsck *f, int64_t frag)
{
	f->bmap[frag / 8] |= (uint8_t)(1u << (frag % 8));
}

void
clrbmap(struct fsck *f, int64_t frag)
{
	f->bmap[frag / 8] &= (uint8_t) ~(1u << (frag % 8));
}

/* Prints " I=ino  OWNER=uid MODE=mode\nSIZE=size MTIME=time ". */
void
pinode(struct fsck *f, uint32_t ino)
{
	struct ufs1_dinode d;
	char when[32] = "?";
	time_t t;
	struct tm tm;

	pmsg(f, " I=%u ", ino);
	if (ino < ROOTINO || ino >= f->maxino)
		return;
	inode_get(f, ino, &d);
	pmsg(f, " OWNER=%u MODE=%o\n", d.di_uid, d.di_mode);
	if (f->preen)
		pmsg(f, "%s: ", f->o.name);
	t = d.di_mtime;
	if (gmtime_r(&t, &tm) != NULL)
		strftime(when, sizeof(when), "%b %e %H:%M %Y", &tm);
	pmsg(f, "SIZE=%ju MTIME=%s ", (uintmax_t)d.di_size, when);
}

/* The d_type for an inode mode. */
uint8_t
mode_to_dtype(uint16_t mode)
{
	return ((uint8_t)((mode & IFMT) >> 12));
}

struct walk {
	struct fsck *f;
	uint32_t ino;
	blk_fn fn;
	void *ctx;
	int64_t ndb; /* logical blocks di_size needs */
	bool trunc_fix;
};

/* Walks the indirect block blk of level (1..3) mapping from lbn base. */
static int
walk_indir(struct walk *w, int64_t blk, int level, int64_t base)
{
	struct fsck *f = w->f;
	int32_t nindir = f->fs.fs_nindir;
	int64_t span = 1;
	int32_t *ap = (int32_t *)(void *)walk_buf(f, level);
	bool dirty = false;
	int r;

	r = w->fn(f, w->ctx, blk, f->fs.fs_frag, -1, level);
	if (r != WALK_KEEPON)
		return (r == WALK_STOP ? WALK_STOP : WALK_KEEPON);
	for (int i = 1; i < level; i++)
		span *= nindir;
	dev_read(f, blk, ap, (size_t)f->fs.fs_bsize);
	for (int32_t i = 0; i < nindir; i++) {
		int64_t lbn = base + i * span;

		if (ap[i] == 0)
			continue;
		if (lbn >= w->ndb) {
			char msg[64];

			snprintf(msg, sizeof(msg),
			    "PARTIALLY TRUNCATED INODE I=%u", w->ino);
			pwarn(f, "%s", msg);
			if (w->trunc_fix && preenfix(f, "FIXED", "FIX")) {
				ap[i] = 0;
				dirty = true;
			} else if (!w->trunc_fix) {
				pmsg(f, "\n");
			}
			continue;
		}
		if (level == 1)
			r = w->fn(f, w->ctx, ap[i], f->fs.fs_frag, lbn, 0);
		else
			r = walk_indir(w, ap[i], level - 1, lbn);
		if (r == WALK_STOP)
			break;
		/* The deeper levels reuse their own buffers only. */
	}
	if (dirty)
		dev_write(f, blk, ap, (size_t)f->fs.fs_bsize);
	return (r == WALK_STOP ? WALK_STOP : WALK_KEEPON);
}

static int
walk_blocks(struct fsck *f, uint32_t ino, const struct ufs1_dinode *dp,
    blk_fn fn, void *ctx, bool trunc_fix)
{
	const struct fs *fs = &f->fs;
	struct walk w = { f, ino, fn, ctx, 0, trunc_fix };
	int64_t base = NDADDR, span = 1;

	w.ndb = (int64_t)((dp->di_size + (uint64_t)fs->fs_bsize - 1) >>
	    fs->fs_bshift);
	for (int64_t lbn = 0; lbn < NDADDR; lbn++) {
		int nfrags = fs->fs_frag;
		int64_t off;

		if (dp->di_db[lbn] == 0)
			continue;
		off = (int64_t)(dp->di_size & (uint64_t)fs->fs_qbmask);
		if (lbn == w.ndb - 1 && off != 0)
			nfrags = (int)((off + fs->fs_fsize - 1) >>
			    fs->fs_fshift);
		if (fn(f, ctx, dp->di_db[lbn], nfrags, lbn, 0) == WALK_STOP)
			return (WALK_STOP);
	}
	for (int level = 1; level <= NIADDR; level++) {
		span *= fs->fs_nindir;
		if (dp->di_ib[level - 1] != 0 &&
		    walk_indir(&w, dp->di_ib[level - 1], level, base) ==
			WALK_STOP)
			return (WALK_STOP);
		base += span;
	}
	return (WALK_KEEPON);
}

/*
 * The scratch block of the current walk for level (0 for data, 1..3 for
 * indirect blocks): nested walks (a path looked up for a message while a
 * directory is being checked) get their own.
 */
uint8_t *
walk_buf(struct fsck *f, int level)
{
	uint8_t **bp = &f->wbuf[f->walkdepth - 1][level];

	if (*bp == NULL && (*bp = malloc((size_t)f->fs.fs_bsize)) == NULL) {
		pwarn(f, "CANNOT ALLOCATE A BLOCK BUFFER\n");
		fsck_abort(f);
	}
	return (*bp);
}

/* See fsck.h; at most WALK_NEST walks run inside each other. */
int
walk_inode(struct fsck *f, uint32_t ino, const struct ufs1_dinode *dp,
    blk_fn fn, void *ctx, bool trunc_fix)
{
	int r;

	if (f->walkdepth >= WALK_NEST) {
		pwarn(f, "INTERNAL ERROR: WALKS NESTED TOO DEEP\n");
		fsck_abort(f);
	}
	f->walkdepth++;
	r = walk_blocks(f, ino, dp, fn, ctx, trunc_fix);
	f->walkdepth--;
	return (r);
}
