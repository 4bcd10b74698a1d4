/*
 * world.h - what the world's boot programs (init, getty, login, mount,
 * umount) share: reading /etc/ttys and /etc/fstab, and the list of
 * mounted file systems.  Built into each program with musl-gcc -static
 * (world/module.mk); never part of the kernel.
 *
 * The readers take the whole file at once into a static table: the files
 * are a few lines long and the programs are short-lived.  A malformed line
 * is reported on standard error with its file and line number and
 * skipped, as BSD's getttyent(3) and getfsent(3) skip them.
 */
#ifndef WORLD_LIB_WORLD_H
#define WORLD_LIB_WORLD_H

#include <stdbool.h>

#define PATH_TTYS	 "/etc/ttys"
#define PATH_FSTAB	 "/etc/fstab"
#define PATH_PROC_MOUNTS "/proc/mounts"
#define WORLD_TTYS_MAX	 16
#define WORLD_FSTAB_MAX	 32
#define WORLD_FIELD_MAX	 256

/* One line of /etc/ttys: name "getty command" type status... */
struct world_tty {
	char name[32]; /* "console", "ttyv0" */
	char
	    getty[WORLD_FIELD_MAX]; /* the command, without quotes; may be "" */
	char type[32];		    /* terminal type, "cons25"; may be "" */
	bool on;		    /* init runs a getty on it */
	bool secure;		    /* root may log in on it */
};

/*
 * Reads path (PATH_TTYS) into t (n entries at most).  Returns the number of
 * entries, or -1 with errno set when the file cannot be read.
 */
int world_ttys_read(const char *path, struct world_tty *t, int n);

/* One line of /etc/fstab, or of /proc/mounts. */
struct world_fs {
	char spec[WORLD_FIELD_MAX]; /* "/dev/vkd0s0a", "proc" */
	char file[WORLD_FIELD_MAX]; /* the mount point */
	char type[32];		    /* "ufs", "procfs", "cd9660" */
	char opts[WORLD_FIELD_MAX]; /* "rw", "ro,noauto" */
	int freq, passno;
};

/*
 * Reads an fstab(5) style file (path: PATH_FSTAB or PATH_PROC_MOUNTS)
 * into f (n entries at most).  Returns the number of entries, or -1 with
 * errno set when the file cannot be read.
 */
int world_fstab_read(const char *path, struct world_fs *f, int n);

/* True when the comma-separated option list opts holds opt. */
bool world_hasopt(const char *opts, const char *opt);

/*
 * True when dir is a mount point: its device differs from its parent's,
 * or it is its own parent (/).  Works without /proc.
 */
bool world_is_mountpoint(const char *dir);

#endif /* WORLD_LIB_WORLD_H */
