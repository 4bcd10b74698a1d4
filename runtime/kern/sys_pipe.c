/*
 * sys_pipe.c - pipes: pipe(2) and pipe2(2), and the file operations of
 * their two ends.
 *
 * A pipe is a 16 KiB ring shared by a read file and a write file.
 * Readers sleep while it is empty and has writers; writers sleep while
 * there is no room, and a write of at most PIPE_BUF bytes goes in whole
 * (POSIX atomicity).  With no reader left a write fails with EPIPE and
 * the writing thread gets SIGPIPE, as on Linux.  Each end refuses the
 * other end's transfer with EBADF.
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/file.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/proc.h"
#include "runtime/kern/syscall_private.h"
#include "runtime/sys/linux_fcntl.h"
#include "runtime/sys/linux_termios.h"

#define PIPE_SIZE  16384
#define PIPE_BUF   4096
#define LT_SIGPIPE 13 /* Linux's number */

struct pipe {
	char buf[PIPE_SIZE];
	size_t head, tail; /* free-running: tail - head bytes inside */
	int readers, writers;
	uint64_t ino;
};

static uint64_t pipe_ino = 1;

static size_t
pipe_len(const struct pipe *pp)
{
	return (pp->tail - pp->head);
}

static int
pipe_read(struct file *fp, struct uio *uio)
{
	struct pipe *pp = fp->f_data;
	size_t n, chunk;
	int error;

	if ((fp->f_flag & LT_O_ACCMODE) != LT_O_RDONLY)
		return (EBADF);
	/* Linux: a read of nothing answers 0 at once, even when empty. */
	if (uio->uio_resid == 0)
		return (0);
	while (pipe_len(pp) == 0) {
		if (pp->writers == 0)
			return (0); /* end of file */
		if (fp->f_flag & LT_O_NONBLOCK)
			return (EAGAIN);
		if ((error = tsleep(pp, PCATCH, "piperd", 0)) != 0)
			return (error);
	}
	n = pipe_len(pp) < uio->uio_resid ? pipe_len(pp) : uio->uio_resid;
	while (n > 0) {
		chunk = PIPE_SIZE - pp->head % PIPE_SIZE;
		if (chunk > n)
			chunk = n;
		if ((error = uiomove(pp->buf + pp->head % PIPE_SIZE, chunk,
			 uio)) != 0)
			return (error);
		pp->head += chunk;
		n -= chunk;
	}
	wakeup(pp);
	selwakeup();
	return (0);
}

static int
pipe_write(struct file *fp, struct uio *uio)
{
	struct pipe *pp = fp->f_data;
	size_t room, chunk, want;
	int error;

	if ((fp->f_flag & LT_O_ACCMODE) != LT_O_WRONLY)
		return (EBADF);
	while (uio->uio_resid > 0) {
		if (pp->readers == 0) {
			/* The caller is the guest thread that writes. */
			if (curthread != NULL && curthread->td_proc != NULL)
				lwp_signal((struct lwp *)curthread, LT_SIGPIPE,
				    NULL);
			return (EPIPE);
		}
		room = PIPE_SIZE - pipe_len(pp);
		/* Small writes go in whole or wait. */
		want = uio->uio_resid <= PIPE_BUF ? uio->uio_resid : 1;
		if (room < want) {
			if (fp->f_flag & LT_O_NONBLOCK)
				return (uio->uio_done > 0 ? 0 : EAGAIN);
			if ((error = tsleep(pp, PCATCH, "pipewr", 0)) != 0)
				return (uio->uio_done > 0 ? 0 : error);
			continue;
		}
		chunk = PIPE_SIZE - pp->tail % PIPE_SIZE;
		if (chunk > room)
			chunk = room;
		if (chunk > uio->uio_resid)
			chunk = uio->uio_resid;
		if ((error = uiomove(pp->buf + pp->tail % PIPE_SIZE, chunk,
			 uio)) != 0)
			return (error);
		pp->tail += chunk;
		wakeup(pp);
		selwakeup();
	}
	return (0);
}

static int
pipe_poll(struct file *fp, int events)
{
	struct pipe *pp = fp->f_data;
	int r = 0;

	if ((fp->f_flag & LT_O_ACCMODE) == LT_O_RDONLY) {
		if (pipe_len(pp) > 0)
			r |= events & POLLIN;
		if (pp->writers == 0)
			r |= POLLHUP;
	} else {
		/* Linux: room is POLLOUT even with no reader left. */
		if (pp->readers == 0)
			r |= POLLERR;
		if (PIPE_SIZE - pipe_len(pp) >= PIPE_BUF)
			r |= events & POLLOUT;
	}
	return (r);
}

static int
pipe_ioctl(struct file *fp, unsigned long cmd, void *data)
{
	struct pipe *pp = fp->f_data;

	if (cmd != LT_FIONREAD)
		return (ENOTTY);
	*(int *)data = (int)pipe_len(pp);
	return (0);
}

static int
pipe_stat(struct file *fp, struct vattr *va)
{
	struct pipe *pp = fp->f_data;

	memset(va, 0, sizeof(*va));
	va->va_type = VFIFO;
	va->va_mode = 0600;
	va->va_nlink = 1;
	va->va_ino = pp->ino;
	va->va_size = pipe_len(pp);
	va->va_blksize = PIPE_BUF;
	return (0);
}

static void
pipe_close(struct file *fp)
{
	struct pipe *pp = fp->f_data;

	if ((fp->f_flag & LT_O_ACCMODE) == LT_O_RDONLY)
		pp->readers--;
	else
		pp->writers--;
	wakeup(pp);
	selwakeup();
	if (pp->readers == 0 && pp->writers == 0)
		kfree(pp);
}

static const struct fileops pipe_ops = {
	.fo_read = pipe_read,
	.fo_write = pipe_write,
	.fo_ioctl = pipe_ioctl,
	.fo_poll = pipe_poll,
	.fo_stat = pipe_stat,
	.fo_close = pipe_close,
};

static int64_t
do_pipe(struct lwp *l, uint64_t ufds, uint64_t flags)
{
	struct filedesc *fdp = l->l_proc->p_fd;
	struct file *rf = NULL, *wf = NULL;
	unsigned fl = (unsigned)flags & LT_O_NONBLOCK;
	bool cloexec = (flags & LT_O_CLOEXEC) != 0;
	struct pipe *pp;
	int fds[2] = { -1, -1 }, error;

	if ((flags & ~(uint64_t)(LT_O_CLOEXEC | LT_O_NONBLOCK)) != 0)
		return (-EINVAL);
	if ((pp = kmalloc(sizeof(*pp))) == NULL)
		return (-ENOMEM);
	pp->ino = pipe_ino++;
	if ((error = falloc(&pipe_ops, pp, LT_O_RDONLY | fl, &rf)) != 0) {
		kfree(pp);
		return (-error);
	}
	pp->readers = 1;
	if ((error = falloc(&pipe_ops, pp, LT_O_WRONLY | fl, &wf)) != 0) {
		fdrop(rf); /* frees the pipe too */
		return (-error);
	}
	pp->writers = 1;
	if ((error = fd_alloc(fdp, 0, rf, cloexec, &fds[0])) == 0 &&
	    (error = fd_alloc(fdp, 0, wf, cloexec, &fds[1])) == 0)
		error = copyout(l, fds, ufds, sizeof(fds));
	if (error != 0) {
		if (fds[0] >= 0)
			fd_close(fdp, fds[0]);
		if (fds[1] >= 0)
			fd_close(fdp, fds[1]);
	}
	fdrop(rf);
	fdrop(wf);
	return (-error);
}

int64_t
sys_pipe(struct lwp *l, const uint64_t *a)
{
	return (do_pipe(l, a[0], 0));
}

int64_t
sys_pipe2(struct lwp *l, const uint64_t *a)
{
	return (do_pipe(l, a[0], a[1]));
}
