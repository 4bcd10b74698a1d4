/*
 * cd9660.h - the on-disk side of the ISO 9660 file system with Rock Ridge:
 * a read-only library over a block-read callback, which the kernel's VFS
 * wraps (cd9660:vcd0) and which the unit tests and the fuzz target drive
 * directly.
 *
 * The library keeps no state of its own and allocates nothing: the caller
 * owns the mount and node structures, and every function reads what it
 * needs through the mount's callback, so that any number of threads may
 * use one mount at once.  A call takes under 8 KiB of stack (a block or
 * two).  Every value read from the image is checked before use.
 *
 * Nodes are named by the byte address of their directory record in the
 * image (struct cd9660_node's id), which the VFS uses as the inode number:
 * a directory by its "." record at the start of its extent (so that every
 * path to it, including ".." and a Rock Ridge relocation, gives the same
 * id), anything else by its record in its parent directory.
 * cd9660_getnode() loads a node again from its id.
 *
 * Names: with Rock Ridge (SUSP "SP" and an RRIP "ER", "RR" or "PX" entry in
 * the root's "." record) the NM name, compared case-sensitively; without
 * it, or for a record without NM, the ISO 9660 name as BSD translates it
 * (version ";N" and then one trailing "." removed, upper case folded to
 * lower case), compared without regard to ASCII case.
 *
 * Errors, as errno values: EIO when the callback fails or the image is
 * shorter than the volume; EINVAL for corrupt metadata (a bad volume
 * descriptor, a directory record or extent outside its sector, directory
 * or volume); ENOENT, ENOTDIR, EISDIR, EINVAL (not a symlink),
 * ENAMETOOLONG as usual; EFBIG for a multi-extent file and EOPNOTSUPP for
 * an interleaved one, which cd9660_read() refuses.  Malformed System Use
 * entries end the System Use area they are in (as BSD and Linux do):
 * the attributes found before them are kept.
 */
#ifndef RUNTIME_VFS_CD9660_CD9660_H
#define RUNTIME_VFS_CD9660_CD9660_H

#include <stddef.h>
#include <stdint.h>

#define CD9660_BLOCK_SIZE 2048 /* the only logical block size taken */
#define CD9660_VD_FIRST	  16   /* first volume descriptor sector */
#define CD9660_NAME_MAX	  255  /* longest name returned */
#define CD9660_PATH_MAX	  1024 /* longest symlink target returned */

/* File types and mode bits, with the values of every Unix. */
#define CD9660_S_IFMT	0170000
#define CD9660_S_IFIFO	0010000
#define CD9660_S_IFCHR	0020000
#define CD9660_S_IFDIR	0040000
#define CD9660_S_IFBLK	0060000
#define CD9660_S_IFREG	0100000
#define CD9660_S_IFLNK	0120000
#define CD9660_S_IFSOCK 0140000

/*
 * Reads len bytes at byte offset off of the image into buf; returns 0 or
 * an errno value (EIO for a short read).
 */
typedef int cd9660_read_fn(void *ctx, uint64_t off, void *buf, size_t len);

struct cd9660_mount {
	cd9660_read_fn *read;
	void *ctx;
	uint64_t volume_bytes;	/* volume space size in bytes */
	uint64_t root_id;	/* the root's id (its "." record) */
	int rr;			/* Rock Ridge names and attributes */
	unsigned int susp_skip; /* SUSP LEN_SKP */
	char volume_id[33];	/* the PVD's volume identifier, trimmed */
};

enum cd9660_type {
	CD9660_REG = 1,
	CD9660_DIR,
	CD9660_LNK,
	CD9660_CHR,
	CD9660_BLK,
	CD9660_FIFO,
	CD9660_SOCK,
};

struct cd9660_time {
	int64_t sec; /* seconds since 1970-01-01 00:00 UTC */
	int32_t nsec;
};

struct cd9660_attr {
	enum cd9660_type type;
	uint32_t mode; /* type and permission bits */
	uint32_t nlink;
	uint32_t uid, gid;
	uint64_t size; /* bytes; a symlink's is its target's length */
	uint64_t rdev; /* Rock Ridge PN, else 0 */
	uint64_t ino;  /* the node's id */
	struct cd9660_time atime, mtime, ctime;
};

/* A loaded node; the caller keeps it (the VFS in its vnode). */
struct cd9660_node {
	uint64_t id;   /* byte address of the directory record */
	uint64_t data; /* byte address of the data (file or directory) */
	struct cd9660_attr attr;
	uint32_t flags; /* CD9660_NODE_* */
};
#define CD9660_NODE_MULTIEXTENT 0x01 /* refused by cd9660_read() */
#define CD9660_NODE_INTERLEAVED 0x02 /* refused by cd9660_read() */

/*
 * Called by cd9660_readdir() for each entry: name (not NUL-terminated),
 * the entry's id and type, and the cookie of the entry after it.
 * Returns 0 to go on, nonzero to stop before this entry.
 */
typedef int cd9660_dirent_fn(void *arg, const char *name, size_t namelen,
    uint64_t id, enum cd9660_type type, uint64_t next_cookie);

/*
 * Mounts the image of image_bytes bytes read through read_fn(ctx, ...):
 * finds the primary volume descriptor from sector 16 on (up to the set
 * terminator), checks it (2048-byte logical blocks only, a volume no
 * larger than the image, a root directory inside it) and detects Rock
 * Ridge.  Fills *mp; returns 0, EINVAL (not ISO 9660, corrupt, or another
 * block size) or EIO.
 */
int cd9660_mount(cd9660_read_fn *read_fn, void *ctx, uint64_t image_bytes,
    struct cd9660_mount *mp);

/* Loads the root directory into *np; returns 0 or an errno value. */
int cd9660_root(const struct cd9660_mount *mp, struct cd9660_node *np);

/*
 * Loads the node whose id is id (as found in cd9660_node.id or given to a
 * cd9660_dirent_fn) into *np; returns 0, EINVAL when id names no valid
 * directory record, or EIO.
 */
int cd9660_getnode(const struct cd9660_mount *mp, uint64_t id,
    struct cd9660_node *np);

/*
 * Looks name[0..len) up in directory dir, "." and ".." included, and loads
 * the node found into *np.  Returns 0, ENOTDIR, ENOENT, ENAMETOOLONG,
 * EINVAL or EIO.
 */
int cd9660_lookup(const struct cd9660_mount *mp, const struct cd9660_node *dir,
    const char *name, size_t len, struct cd9660_node *np);

/*
 * Lists directory dir from *cookiep (0: the start, with "." and ".."),
 * calling fn for each entry until it returns nonzero or the directory
 * ends.  On return *cookiep is where to go on: the entry fn refused, or
 * the end (then *cookiep is the directory's size and a further call lists
 * nothing).  Cookies are byte offsets in the directory.  Returns 0,
 * ENOTDIR, EINVAL or EIO.
 */
int cd9660_readdir(const struct cd9660_mount *mp, const struct cd9660_node *dir,
    uint64_t *cookiep, cd9660_dirent_fn *fn, void *arg);

/* Copies the attributes of np into *ap; returns 0. */
int cd9660_getattr(const struct cd9660_mount *mp, const struct cd9660_node *np,
    struct cd9660_attr *ap);

/*
 * Reads up to len bytes of file np at offset off into buf and sets *donep
 * to the number read (0 at or past the end).  Returns 0, EISDIR, EINVAL
 * (not a regular file), EFBIG (multi-extent), EOPNOTSUPP (interleaved) or
 * EIO.
 */
int cd9660_read(const struct cd9660_mount *mp, const struct cd9660_node *np,
    uint64_t off, void *buf, size_t len, size_t *donep);

/*
 * Puts the target of symlink np into buf (bufsize bytes, NUL-terminated)
 * and its length into *lenp.  Returns 0, EINVAL (not a symlink),
 * ENAMETOOLONG (does not fit) or EIO.
 */
int cd9660_readlink(const struct cd9660_mount *mp, const struct cd9660_node *np,
    char *buf, size_t bufsize, size_t *lenp);

#endif /* RUNTIME_VFS_CD9660_CD9660_H */
