/*
 * vfs_file.c - files that are vnodes: read and write at the file's
 * offset, O_APPEND, stat, and the vnode reference a file holds.
 */
#include <errno.h>

#include "runtime/kern/file.h"
#include "runtime/sys/linux_fcntl.h"

static int
vn_read(struct file *fp, struct uio *uio)
{
	struct vnode *vp = fp->f_data;
	int error;

	if ((fp->f_flag & LT_O_ACCMODE) == LT_O_WRONLY)
		return (EBADF);
	if (vp->v_type == VDIR)
		return (EISDIR);
	uio->uio_offset = fp->f_offset;
	error = VOP_READ(vp, uio);
	fp->f_offset = uio->uio_offset;
	return (error);
}

static int
vn_write(struct file *fp, struct uio *uio)
{
	struct vnode *vp = fp->f_data;
	struct vattr va;
	int error;

	if ((fp->f_flag & LT_O_ACCMODE) == LT_O_RDONLY)
		return (EBADF);
	if (fp->f_flag & LT_O_APPEND) {
		if ((error = VOP_GETATTR(vp, &va)) != 0)
			return (error);
		fp->f_offset = va.va_size;
	}
	uio->uio_offset = fp->f_offset;
	error = VOP_WRITE(vp, uio, 0);
	fp->f_offset = uio->uio_offset;
	return (error);
}

static int
vn_stat(struct file *fp, struct vattr *va)
{
	return (VOP_GETATTR((struct vnode *)fp->f_data, va));
}

static int
vn_ioctl(struct file *fp, unsigned long cmd, void *data)
{
	return (VOP_IOCTL((struct vnode *)fp->f_data, cmd, data));
}

static int
vn_poll(struct file *fp, int events)
{
	return (VOP_POLL((struct vnode *)fp->f_data, events));
}

static void
vn_close(struct file *fp)
{
	vrele(fp->f_data);
}

const struct fileops vnops_file = {
	.fo_read = vn_read,
	.fo_write = vn_write,
	.fo_stat = vn_stat,
	.fo_ioctl = vn_ioctl,
	.fo_poll = vn_poll,
	.fo_close = vn_close,
};
