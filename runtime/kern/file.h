/*
 * file.h - open files and descriptor tables.
 *
 * A struct file is one open file description: what open(2), pipe(2) or
 * socket(2) created, shared by dup(2) and fork(2), with its offset and
 * status flags (Linux O_* values).  Its operations are a table, so that
 * vnodes, pipes and later sockets are all files.  A struct filedesc is a
 * process's descriptor table: numbers to files, with close-on-exec per
 * descriptor, the current and root directories, and the umask; threads
 * created with CLONE_FILES share one.
 *
 * Callers hold the kernel lock.  Functions return 0 or an errno value.
 */
#ifndef RUNTIME_KERN_FILE_H
#define RUNTIME_KERN_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/vfs/vfs.h"

#define FD_MAX 1024 /* descriptors per process (RLIMIT_NOFILE) */

struct file;

struct fileops {
	int (*fo_read)(struct file *fp, struct uio *uio);
	int (*fo_write)(struct file *fp, struct uio *uio);
	int (*fo_ioctl)(struct file *fp, unsigned long cmd, void *data);
	int (*fo_stat)(struct file *fp, struct vattr *va);
	/* Which of the POLL* events are ready now. */
	int (*fo_poll)(struct file *fp, int events);
	/* The last reference went away. */
	void (*fo_close)(struct file *fp);
};

struct file {
	int f_count;
	unsigned f_flag; /* LT_O_ACCMODE, LT_O_APPEND, LT_O_NONBLOCK */
	uint64_t f_offset;
	const struct fileops *f_ops;
	void *f_data; /* the vnode, pipe, ... */
};

struct filedesc {
	int fd_refcnt; /* threads sharing it (CLONE_FILES) */
	struct file *fd_files[FD_MAX];
	bool fd_cloexec[FD_MAX];
	int fd_lastfile;	   /* highest descriptor in use, or -1 */
	struct vnode *fd_cdir;	   /* current directory (referenced) */
	struct vnode *fd_rdir;	   /* root directory (referenced) */
	char fd_cwd[VFS_PATH_MAX]; /* the path of fd_cdir, for getcwd(2) */
	uint32_t fd_cmask;	   /* umask */
};

/* Files. */
int falloc(const struct fileops *ops, void *data, unsigned flag,
    struct file **fpp);
void fhold(struct file *fp);
void fdrop(struct file *fp);

/* Descriptor tables. */
int fd_create(struct vnode *cdir, struct vnode *rdir, struct filedesc **fdpp);
/* A copy for fork(2): the same files, one more reference each. */
int fd_copy(struct filedesc *fdp, struct filedesc **newp);
/* Drops a reference; the last one closes every descriptor. */
void fd_free(struct filedesc *fdp);
/* Installs fp at the lowest free descriptor >= minfd (EMFILE). */
int fd_alloc(struct filedesc *fdp, int minfd, struct file *fp, bool cloexec,
    int *fdout);
/* The file of fd with a reference the caller drops (EBADF). */
int fd_get(struct filedesc *fdp, int fd, struct file **fpp);
int fd_close(struct filedesc *fdp, int fd);
/*
 * dup2(2)/dup3(2): makes newfd refer to oldfd's file, closing what newfd
 * held.  EBADF for a bad oldfd or a newfd out of range.
 */
int fd_dup2(struct filedesc *fdp, int oldfd, int newfd, bool cloexec);
/* Closes every close-on-exec descriptor (execve). */
void fd_close_exec(struct filedesc *fdp);

/* Vnode files (vfs_file.c): read and write at the file's offset. */
extern const struct fileops vnops_file;

#endif /* RUNTIME_KERN_FILE_H */
