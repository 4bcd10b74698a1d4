/*
 * kern_descrip.c - open files and descriptor tables (see file.h).
 *
 * The table is a fixed array of FD_MAX slots allocated with the process:
 * 9 KiB, which keeps every lookup a single index and needs no growing.
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/file.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"

int
falloc(const struct fileops *ops, void *data, unsigned flag, struct file **fpp)
{
	struct file *fp;

	if ((fp = kmalloc(sizeof(*fp))) == NULL)
		return (ENOMEM);
	fp->f_count = 1;
	fp->f_flag = flag;
	fp->f_ops = ops;
	fp->f_data = data;
	*fpp = fp;
	return (0);
}

void
fhold(struct file *fp)
{
	if (fp->f_count <= 0)
		panic("fhold: file %p has no references", (void *)fp);
	fp->f_count++;
}

void
fdrop(struct file *fp)
{
	if (fp->f_count <= 0)
		panic("fdrop: file %p has no references", (void *)fp);
	if (--fp->f_count > 0)
		return;
	if (fp->f_ops->fo_close != NULL)
		fp->f_ops->fo_close(fp);
	kfree(fp);
}

int
fd_create(struct vnode *cdir, struct vnode *rdir, struct filedesc **fdpp)
{
	struct filedesc *fdp;

	if ((fdp = kmalloc(sizeof(*fdp))) == NULL)
		return (ENOMEM);
	fdp->fd_refcnt = 1;
	fdp->fd_lastfile = -1;
	fdp->fd_cmask = 022;
	strcpy(fdp->fd_cwd, "/");
	if ((fdp->fd_cdir = cdir) != NULL)
		vref(cdir);
	if ((fdp->fd_rdir = rdir) != NULL)
		vref(rdir);
	*fdpp = fdp;
	return (0);
}

int
fd_copy(struct filedesc *fdp, struct filedesc **newp)
{
	struct filedesc *n;
	int fd, error;

	if ((error = fd_create(fdp->fd_cdir, fdp->fd_rdir, &n)) != 0)
		return (error);
	n->fd_cmask = fdp->fd_cmask;
	memcpy(n->fd_cwd, fdp->fd_cwd, sizeof(n->fd_cwd));
	for (fd = 0; fd <= fdp->fd_lastfile; fd++) {
		if ((n->fd_files[fd] = fdp->fd_files[fd]) != NULL)
			fhold(n->fd_files[fd]);
		n->fd_cloexec[fd] = fdp->fd_cloexec[fd];
	}
	n->fd_lastfile = fdp->fd_lastfile;
	*newp = n;
	return (0);
}

void
fd_free(struct filedesc *fdp)
{
	int fd;

	if (--fdp->fd_refcnt > 0)
		return;
	for (fd = 0; fd <= fdp->fd_lastfile; fd++)
		if (fdp->fd_files[fd] != NULL)
			fdrop(fdp->fd_files[fd]);
	if (fdp->fd_cdir != NULL)
		vrele(fdp->fd_cdir);
	if (fdp->fd_rdir != NULL)
		vrele(fdp->fd_rdir);
	kfree(fdp);
}

static void
fd_install(struct filedesc *fdp, int fd, struct file *fp, bool cloexec)
{
	fdp->fd_files[fd] = fp;
	fdp->fd_cloexec[fd] = cloexec;
	if (fd > fdp->fd_lastfile)
		fdp->fd_lastfile = fd;
}

/* Removes fd from the table; returns its file (the table's reference). */
static struct file *
fd_remove(struct filedesc *fdp, int fd)
{
	struct file *fp = fdp->fd_files[fd];

	fdp->fd_files[fd] = NULL;
	fdp->fd_cloexec[fd] = false;
	while (fdp->fd_lastfile >= 0 && fdp->fd_files[fdp->fd_lastfile] == NULL)
		fdp->fd_lastfile--;
	return (fp);
}

int
fd_alloc(struct filedesc *fdp, int minfd, struct file *fp, bool cloexec,
    int *fdout)
{
	int fd;

	if (minfd < 0 || minfd >= FD_MAX)
		return (EINVAL);
	for (fd = minfd; fd < FD_MAX; fd++) {
		if (fdp->fd_files[fd] == NULL) {
			fhold(fp);
			fd_install(fdp, fd, fp, cloexec);
			*fdout = fd;
			return (0);
		}
	}
	return (EMFILE);
}

int
fd_get(struct filedesc *fdp, int fd, struct file **fpp)
{
	if (fd < 0 || fd >= FD_MAX || fdp->fd_files[fd] == NULL)
		return (EBADF);
	*fpp = fdp->fd_files[fd];
	fhold(*fpp);
	return (0);
}

int
fd_close(struct filedesc *fdp, int fd)
{
	if (fd < 0 || fd >= FD_MAX || fdp->fd_files[fd] == NULL)
		return (EBADF);
	fdrop(fd_remove(fdp, fd));
	return (0);
}

int
fd_dup2(struct filedesc *fdp, int oldfd, int newfd, bool cloexec)
{
	struct file *fp, *old;

	if (oldfd < 0 || oldfd >= FD_MAX || fdp->fd_files[oldfd] == NULL ||
	    newfd < 0 || newfd >= FD_MAX)
		return (EBADF);
	fp = fdp->fd_files[oldfd];
	if (newfd == oldfd) {
		fdp->fd_cloexec[newfd] = cloexec;
		return (0);
	}
	fhold(fp);
	old = fdp->fd_files[newfd] != NULL ? fd_remove(fdp, newfd) : NULL;
	fd_install(fdp, newfd, fp, cloexec);
	if (old != NULL)
		fdrop(old);
	return (0);
}

void
fd_close_exec(struct filedesc *fdp)
{
	int fd;

	for (fd = 0; fd <= fdp->fd_lastfile; fd++)
		if (fdp->fd_files[fd] != NULL && fdp->fd_cloexec[fd])
			fdrop(fd_remove(fdp, fd));
}
