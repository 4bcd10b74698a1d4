/*
 * fsck.h - the checker core of fsck_ufs(8): the check of one UFS1 file
 * system behind a small I/O abstraction, shared by the command
 * (fsck.c, over an image partition) and the fuzz target (over memory).
 *
 * The core reads the raw structures itself (superblock, cylinder groups,
 * inodes, directories) with only the format headers and the shared
 * superblock check; it never uses the kernel's UFS code.  The passes are
 * those of BSD fsck: 1 (inodes and block maps, 1b for duplicates),
 * 2 (directories), 3 (connectivity), 4 (reference counts) and 5 (cylinder
 * groups).  Every walk is bounded, so that garbage cannot make the check
 * loop or read outside the file system.
 */
#ifndef IMAGES_TOOLS_FSCK_UFS_FSCK_H
#define IMAGES_TOOLS_FSCK_UFS_FSCK_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "runtime/vfs/ufs/ufs_dinode.h"
#include "runtime/vfs/ufs/ufs_dir.h"
#include "runtime/vfs/ufs/ufs_fs.h"

/* Exit codes of a check (BSD fsck's). */
#define FSCK_EXIT_OK   0 /* consistent, or every inconsistency fixed */
#define FSCK_EXIT_FAIL 8 /* unfixed inconsistencies, or cannot check */

/*
 * Byte access to the partition holding the file system.  read and write
 * return 0, or -1 when the range cannot be transferred; write is NULL for
 * a read-only check.  size is the partition size in bytes.
 */
struct fsck_io {
	int (*read)(void *arg, void *buf, size_t len, uint64_t off);
	int (*write)(void *arg, const void *buf, size_t len, uint64_t off);
	void *arg;
	uint64_t size;
};

enum fsck_mode {
	FSCK_ASK,   /* ask on in, EOF answers no */
	FSCK_PREEN, /* -p: fix the safe things, stop on the others */
	FSCK_NO,    /* -n: answer no, write nothing */
	FSCK_YES,   /* -y: answer yes */
};

struct fsck_opts {
	enum fsck_mode mode;
	bool force;	  /* -f: check a clean file system in preen mode */
	int64_t altsb;	  /* -b: sector of the superblock to use, or 0 */
	const char *name; /* the special, for messages */
	FILE *out;	  /* messages (stdout) */
	FILE *in;	  /* answers in FSCK_ASK mode (stdin) */
	FILE *err;	  /* why a special cannot be checked (stderr) */
};

/*
 * Checks (and repairs, as the mode allows) the file system behind io.
 * Returns FSCK_EXIT_OK or FSCK_EXIT_FAIL; never exits and never writes
 * through io when io->write is NULL or the mode is FSCK_NO.
 */
int fsck_check(const struct fsck_opts *o, const struct fsck_io *io);

/*
 * The command line of both fsck commands (fsck_opts.c): clears *o and
 * sets its mode (-p, -n or -y, at most one; FSCK_ASK without), force
 * (-f) and altsb (-b block); calls usage (which must not return) on a
 * bad option.  Returns the index of the first operand.
 */
int fsck_getopts(int argc, char **argv, struct fsck_opts *o,
    void (*usage)(void));

/* ---- private to the core (fsck_*.c) ---- */

/* Inode states, as BSD fsck's. */
enum {
	USTATE = 1, /* unallocated */
	FSTATE,	    /* a file */
	DSTATE,	    /* a directory not yet reached from the root */
	DFOUND,	    /* a directory reached from the root */
	DCLEAR,	    /* a directory to clear (bad or duplicate blocks) */
	FCLEAR,	    /* a file to clear */
};

#define MAXDUP	  10   /* duplicate fragments before giving up an inode */
#define MAXBAD	  10   /* bad fragments before giving up an inode */
#define MAXDEPTH  4096 /* directory levels a path name may have */
#define LFNAME	  "lost+found"
#define WALK_NEST 3 /* walks inside walks (a path in a message) */

/* Results of a block callback. */
#define WALK_KEEPON 0
#define WALK_SKIP   1 /* do not descend into this indirect block */
#define WALK_STOP   2 /* stop walking this inode */

struct dirinfo {
	uint32_t ino;
	uint32_t parent;     /* directory naming it, 0 when none found */
	uint32_t dotdot;     /* what its ".." says, 0 when missing */
	bool dotdot_counted; /* the ".." reference was counted */
	uint32_t child;	     /* first child (index + 1), for pass 3 */
	uint32_t sibling;    /* next sibling (index + 1) */
};

struct fsck {
	struct fsck_opts o;
	struct fsck_io io;
	jmp_buf abort; /* longjmp(abort, 1): stop, exit FSCK_EXIT_FAIL */
	bool readonly;
	bool preen;

	uint8_t sbbuf[SBSIZE]; /* the superblock as read */
	struct fs fs;	       /* its fields, updated in place */
	bool sbdirty;
	struct csum *cs; /* the summary array */
	bool csdirty;

	uint32_t maxino;      /* inodes: fs_ipg * fs_ncg */
	uint64_t maxfilesize; /* what the pointers can map */
	uint8_t *state;	      /* per inode */
	uint8_t *type;	      /* DT_* per inode */
	int32_t *lncnt;	      /* di_nlink minus the references found */
	uint32_t *dirindex;   /* inode -> index + 1 in dirs */
	struct dirinfo *dirs;
	uint32_t ndirs, dircap;

	uint8_t *bmap;	 /* used fragments, one bit each */
	uint8_t *dupmap; /* fragments claimed twice */
	int64_t *dups;	 /* every extra claim */
	uint32_t ndups, dupcap;

	uint32_t lfdir; /* lost+found, 0 when not known */
	int64_t n_files, n_blks;
	bool modified; /* something was written */
	bool resolved; /* every question answered yes */

	uint8_t *iblk;	   /* one cached inode block */
	int64_t iblk_addr; /* its fragment, -1 when none */
	/* Scratch blocks of nested walks: [nesting][level], lazily. */
	uint8_t *wbuf[WALK_NEST][NIADDR + 1];
	int walkdepth;
	void *mem[32]; /* what fsck_alloc gave, freed at the end */
	int nmem;
};

/* fsck_util.c: messages and answers. */
void pwarn(struct fsck *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void pfatal(struct fsck *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void pmsg(struct fsck *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool reply(struct fsck *f, const char *question);
bool preenfix(struct fsck *f, const char *note, const char *question);
_Noreturn void fsck_abort(struct fsck *f);

/* Zeroed memory that lives until the end of the check; aborts if none. */
void *fsck_alloc(struct fsck *f, size_t size);

/* fsck_util.c: fragments, inodes, maps. */
void dev_read(struct fsck *f, int64_t frag, void *buf, size_t len);
void dev_write(struct fsck *f, int64_t frag, const void *buf, size_t len);
void inode_get(struct fsck *f, uint32_t ino, struct ufs1_dinode *dp);
void inode_put(struct fsck *f, uint32_t ino, const struct ufs1_dinode *dp);
bool chkrange(const struct fsck *f, int64_t blk, int nfrags);
bool testbmap(const struct fsck *f, int64_t frag);
void setbmap(struct fsck *f, int64_t frag);
void clrbmap(struct fsck *f, int64_t frag);
void pinode(struct fsck *f, uint32_t ino);
uint8_t mode_to_dtype(uint16_t mode);

/*
 * The block walk of an inode: calls fn for every block it holds, data
 * blocks with lbn >= 0 and level 0, indirect blocks with level 1..3 (lbn
 * is then -1) before what they map, each with its size in fragments.
 * Pointers past what di_size needs in indirect blocks are reported
 * ("PARTIALLY TRUNCATED INODE") and cleared when trunc_fix.  Returns
 * WALK_STOP when fn stopped the walk, else WALK_KEEPON.
 */
typedef int (*blk_fn)(struct fsck *f, void *ctx, int64_t blk, int nfrags,
    int64_t lbn, int level);
int walk_inode(struct fsck *f, uint32_t ino, const struct ufs1_dinode *dp,
    blk_fn fn, void *ctx, bool trunc_fix);

/* A scratch block (fs_bsize) for level 0 of the current walk. */
uint8_t *walk_buf(struct fsck *f, int level);

/* fsck_dir.c: directories after pass 2. */
#define DIR_ALTERED 1 /* the callback changed the entry */
#define DIR_FOUND   2 /* stop the scan */
typedef int (*ent_fn)(struct fsck *f, void *ctx, struct direct *de);
bool dir_scan(struct fsck *f, uint32_t dir, ent_fn fn, void *ctx);
uint32_t dir_lookup(struct fsck *f, uint32_t dir, const char *name);
bool dir_makeentry(struct fsck *f, uint32_t dir, uint32_t ino, const char *name,
    uint8_t type);
bool dir_changeino(struct fsck *f, uint32_t dir, const char *name,
    uint32_t ino);
bool dir_clearentry(struct fsck *f, uint32_t dir, uint32_t ino);
struct dirinfo *dir_info(struct fsck *f, uint32_t ino);
struct dirinfo *dir_add(struct fsck *f, uint32_t ino);
void dir_path(struct fsck *f, uint32_t dir, char *buf, size_t len);
bool linkup(struct fsck *f, uint32_t orphan, uint32_t parentdir);

/* The passes. */
void pass1(struct fsck *f);
void pass1b(struct fsck *f);
void pass2(struct fsck *f);
void pass3(struct fsck *f);
void pass4(struct fsck *f);
void pass5(struct fsck *f);

/* fsck_pass4.c: clearing an inode ("CLEAR"). */
void clri(struct fsck *f, uint32_t ino, const char *type, bool announce);

/* fsck_pass1.c: marks the groups' metadata and the summary area used. */
void mark_metadata(struct fsck *f);

#endif /* IMAGES_TOOLS_FSCK_UFS_FSCK_H */
