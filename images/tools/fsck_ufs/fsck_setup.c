/*
 * fsck_setup.c - fsck_check(), the check of one file system: reading and
 * checking the superblock and the summary array, the tables of the
 * passes, running the phases, the summary line, and writing back the
 * summary, the superblock and the clean flag.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "images/tools/fsck_ufs/fsck.h"

/* Bytes the block pointers of an inode can map. */
static uint64_t
max_file_size(const struct fs *fs)
{
	uint64_t blocks = NDADDR, span = 1, max;

	for (int i = 0; i < NIADDR; i++) {
		span *= (uint64_t)fs->fs_nindir;
		blocks += span;
	}
	if (blocks > (UINT64_MAX >> fs->fs_bshift))
		return (UINT64_MAX);
	max = blocks << fs->fs_bshift;
	return (max > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX : max);
}

/* A message about the special before checking starts. */
static void
setup_error(struct fsck *f, const char *what, const char *msg)
{
	FILE *streams[2] = { f->o.out, f->o.err };

	for (int i = 0; i < 2; i++) {
		if (streams[i] == NULL || (i == 1 && streams[1] == streams[0]))
			continue;
		fprintf(streams[i], "%s: %s%s\n", f->o.name, what, msg);
	}
}

/*
 * Reads and checks the superblock and the summary array and allocates
 * the tables.  Returns 1 to check, 0 when the file system is clean and
 * preen skips it, -1 when it cannot be checked.
 */
static int
setup(struct fsck *f)
{
	struct fs *fs = &f->fs;
	const char *msg;
	uint64_t frags;

	uint64_t sboff = SBOFF;

	if (f->o.altsb > 0) {
		sboff = (uint64_t)f->o.altsb * DEV_BSIZE;
		if (sboff / DEV_BSIZE != (uint64_t)f->o.altsb ||
		    sboff > f->io.size || f->io.size - sboff < SBSIZE) {
			setup_error(f, "CANNOT READ SUPERBLOCK: ",
			    "-b is past the end of the partition");
			return (-1);
		}
		pmsg(f, "Alternate super block location: %jd\n",
		    (intmax_t)f->o.altsb);
	}
	if (f->io.size < SBOFF + SBSIZE ||
	    f->io.read(f->io.arg, f->sbbuf, SBSIZE, sboff) != 0) {
		setup_error(f, "",
		    "CANNOT READ SUPERBLOCK: the partition "
		    "is too small for a UFS1 file system");
		return (-1);
	}
	memcpy(fs, f->sbbuf, sizeof(*fs));
	if (fs->fs_magic != FS_MAGIC) {
		setup_error(f, "",
		    f->o.altsb > 0 ? "BAD SUPER BLOCK: MAGIC NUMBER WRONG "
				     "(no superblock at -b)" :
				     "BAD SUPER BLOCK: MAGIC NUMBER WRONG "
				     "(not a UFS1 file system)");
		return (-1);
	}
	if ((msg = ufs_sb_check(fs, f->io.size)) != NULL) {
		setup_error(f, "BAD SUPER BLOCK: ", msg);
		if (f->o.altsb == 0)
			setup_error(f, "",
			    "give an alternate superblock with -b "
			    "(newfs lists them)");
		return (-1);
	}
	if (f->preen && fs->fs_clean == 1 && !f->o.force && f->o.altsb == 0) {
		pwarn(f, "clean, %jd free ",
		    (intmax_t)fs->fs_cstotal.cs_nffree +
			(intmax_t)fs->fs_frag * fs->fs_cstotal.cs_nbfree);
		pmsg(f, "(%d frags, %d blocks, %.1f%% fragmentation)\n",
		    fs->fs_cstotal.cs_nffree, fs->fs_cstotal.cs_nbfree,
		    fs->fs_cstotal.cs_nffree * 100.0 / fs->fs_dsize);
		return (0);
	}
	f->maxino = (uint32_t)fs->fs_ipg * (uint32_t)fs->fs_ncg;
	f->maxfilesize = max_file_size(fs);
	frags = (uint64_t)fs->fs_size;
	f->state = fsck_alloc(f, f->maxino);
	f->type = fsck_alloc(f, f->maxino);
	f->lncnt = fsck_alloc(f, (size_t)f->maxino * sizeof(*f->lncnt));
	f->dirindex = fsck_alloc(f, (size_t)f->maxino * sizeof(*f->dirindex));
	f->bmap = fsck_alloc(f, (size_t)(frags / 8 + 1));
	f->dupmap = fsck_alloc(f, (size_t)(frags / 8 + 1));
	f->iblk = fsck_alloc(f, (size_t)fs->fs_bsize);
	f->cs = fsck_alloc(f, (size_t)fs->fs_cssize);
	if (f->io.read(f->io.arg, f->cs, (size_t)fs->fs_cssize,
		ufs_fsbtobyte(fs, fs->fs_csaddr)) != 0) {
		setup_error(f, "CANNOT READ ", "THE SUMMARY INFORMATION");
		return (-1);
	}
	return (1);
}

static void
write_bytes(struct fsck *f, const void *buf, size_t len, uint64_t off)
{
	if (f->io.write(f->io.arg, buf, len, off) != 0) {
		pwarn(f, "CANNOT WRITE: BYTE %ju\n", (uintmax_t)off);
		fsck_abort(f);
	}
}

/* Writes back what changed and marks the file system clean. */
static void
finish(struct fsck *f)
{
	struct fs *fs = &f->fs;
	bool changed = f->modified || f->sbdirty || f->csdirty;

	if (f->readonly) {
		/* A check through -b leaves the standard superblock bad. */
		if (f->o.altsb > 0)
			f->resolved = false;
		return;
	}
	if (changed) {
		fs->fs_time = (int32_t)time(NULL);
		f->sbdirty = true;
	}
	if (f->csdirty)
		write_bytes(f, f->cs, (size_t)fs->fs_cssize,
		    ufs_fsbtobyte(fs, fs->fs_csaddr));
	if (f->resolved && fs->fs_clean != 1) {
		fs->fs_clean = 1;
		f->sbdirty = true;
		if (!f->preen)
			pmsg(f, "\n***** FILE SYSTEM MARKED CLEAN *****\n");
	}
	if (f->sbdirty && f->o.altsb > 0) {
		/* Where it was read, and the standard copy if told so. */
		memcpy(f->sbbuf, fs, sizeof(*fs));
		write_bytes(f, f->sbbuf, SBSIZE,
		    (uint64_t)f->o.altsb * DEV_BSIZE);
	}
	if (f->o.altsb > 0) {
		pwarn(f, "UPDATE STANDARD SUPERBLOCK");
		f->sbdirty = preenfix(f, "UPDATED", "UPDATE");
		changed |= f->sbdirty;
	}
	if (f->sbdirty) {
		memcpy(f->sbbuf, fs, sizeof(*fs));
		write_bytes(f, f->sbbuf, SBSIZE, SBOFF);
	}
	if (changed && !f->preen)
		pmsg(f, "\n***** FILE SYSTEM WAS MODIFIED *****\n");
}

static int
run(struct fsck *f)
{
	struct fs *fs = &f->fs;
	int r;

	if (!f->preen)
		pmsg(f, "** %s%s\n", f->o.name,
		    f->readonly ? " (NO WRITE)" : "");
	if ((r = setup(f)) <= 0)
		return (r == 0 ? FSCK_EXIT_OK : FSCK_EXIT_FAIL);
	if (!f->preen) {
		pmsg(f, "** Last Mounted on %.*s\n", MAXMNTLEN, fs->fs_fsmnt);
		pmsg(f, "** Phase 1 - Check Blocks and Sizes\n");
	}
	pass1(f);
	if (f->ndups > 0) {
		/* In preen mode a DUP has already stopped the check. */
		pmsg(f, "** Phase 1b - Rescan For More DUPS\n");
		pass1b(f);
	}
	if (!f->preen)
		pmsg(f, "** Phase 2 - Check Pathnames\n");
	pass2(f);
	if (!f->preen)
		pmsg(f, "** Phase 3 - Check Connectivity\n");
	pass3(f);
	if (!f->preen)
		pmsg(f, "** Phase 4 - Check Reference Counts\n");
	pass4(f);
	if (!f->preen)
		pmsg(f, "** Phase 5 - Check Cyl groups\n");
	pass5(f);
	pwarn(f, "%jd files, %jd used, %jd free ", (intmax_t)f->n_files,
	    (intmax_t)f->n_blks,
	    (intmax_t)fs->fs_cstotal.cs_nffree +
		(intmax_t)fs->fs_frag * fs->fs_cstotal.cs_nbfree);
	pmsg(f, "(%d frags, %d blocks, %.1f%% fragmentation)\n",
	    fs->fs_cstotal.cs_nffree, fs->fs_cstotal.cs_nbfree,
	    fs->fs_cstotal.cs_nffree * 100.0 / fs->fs_dsize);
	finish(f);
	return (f->resolved ? FSCK_EXIT_OK : FSCK_EXIT_FAIL);
}

/* See fsck.h: one file system, every allocation freed on return. */
int
fsck_check(const struct fsck_opts *o, const struct fsck_io *io)
{
	struct fsck *f = calloc(1, sizeof(*f));
	int rc;

	if (f == NULL) {
		if (o->err != NULL)
			fprintf(o->err, "%s: out of memory\n", o->name);
		return (FSCK_EXIT_FAIL);
	}
	f->o = *o;
	f->io = *io;
	f->preen = o->mode == FSCK_PREEN;
	f->readonly = o->mode == FSCK_NO || io->write == NULL;
	f->resolved = true;
	f->iblk_addr = -1;
	if (setjmp(f->abort) == 0)
		rc = run(f);
	else
		rc = FSCK_EXIT_FAIL;
	fflush(f->o.out);
	for (int i = 0; i < f->nmem; i++)
		free(f->mem[i]);
	for (int i = 0; i < WALK_NEST; i++)
		for (int j = 0; j <= NIADDR; j++)
			free(f->wbuf[i][j]);
	free(f->dirs);
	free(f->dups);
	free(f);
	return (rc);
}
