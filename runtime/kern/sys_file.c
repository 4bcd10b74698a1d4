/*
 * sys_file.c - the file system calls: open, lseek, pread, pwrite, readv,
 * getdents64, readlink, access, chdir/getcwd, dup and fcntl (the stat
 * family is in sys_stat.c).
 *
 * Paths come from guest memory through copyinstr(); lookups start at the
 * process's root or current directory, or at a directory descriptor for
 * the *at() forms.  Opens and access(2) check the mode bits against the
 * process's credentials (kern_access.c; access(2) with the real ids),
 * and every directory on a path must be searchable (namei's ni_search).
 * getcwd(2) finds the current directory's path from the
 * vnodes (vfs_getpath), falling back to the path chdir(2) was given, made
 * absolute and cleaned of "." and "..".
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/file.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/syscall_private.h"
#include "runtime/sys/linux_fcntl.h"
#include "runtime/sys/linux_stat.h"

#define DENTS_CHUNK 32768

int
fd_vnode(struct lwp *l, int fd, struct vnode **vpp)
{
	struct file *fp;
	int error;

	if ((error = fd_get(l->l_proc->p_fd, fd, &fp)) != 0)
		return (error);
	if (fp->f_ops != &vnops_file) {
		fdrop(fp);
		return (EBADF);
	}
	*vpp = fp->f_data;
	vref(*vpp);
	fdrop(fp);
	return (0);
}

int
namei_at(struct lwp *l, int dirfd, uint64_t upath, int flags,
    struct nameidata *nd, char *path)
{
	struct filedesc *fdp = l->l_proc->p_fd;
	struct vnode *start = NULL;
	int error;

	if ((error = copyinstr(l, upath, path, VFS_PATH_MAX)) != 0)
		return (error);
	if (path[0] != '/' && dirfd != LT_AT_FDCWD) {
		if ((error = fd_vnode(l, dirfd, &start)) != 0)
			return (error);
		if (start->v_type != VDIR) {
			vrele(start);
			return (ENOTDIR);
		}
	}
	memset(nd, 0, sizeof(*nd));
	nd->ni_path = path;
	nd->ni_flags = flags;
	nd->ni_startdir = start != NULL ? start : fdp->fd_cdir;
	nd->ni_rootdir = fdp->fd_rdir;
	nd->ni_search = vn_search; /* every directory on the way */
	nd->ni_searcharg = l->l_proc;
	error = namei(nd);
	if (start != NULL)
		vrele(start);
	return (error);
}

static int64_t
do_openat(struct lwp *l, int dirfd, uint64_t upath, int flags, uint32_t mode)
{
	bool created = false;
	char *path = kmalloc(VFS_PATH_MAX);
	struct nameidata nd;
	struct file *fp;
	struct vnode *vp;
	int acc = flags & LT_O_ACCMODE, fd, error;

	if (path == NULL)
		return (-ENOMEM);
	error = namei_at(l, dirfd, upath,
	    ((flags & LT_O_NOFOLLOW) ? 0 : NAMEI_FOLLOW) |
		((flags & LT_O_CREAT) ? NAMEI_WANTPARENT : 0),
	    &nd, path);
	kfree(path);
	if (error != 0)
		return (-error);
	if (nd.ni_dvp != NULL) {
		if (nd.ni_vp == NULL) {
			/* O_CREAT of a new file. */
			struct vattr va = { .va_type = VREG,
				.va_mode = mode & ~l->l_proc->p_fd->fd_cmask &
				    07777 };

			if (nd.ni_dvp->v_mount->mnt_flags & MNT_RDONLY)
				error = EROFS;
			else if ((error = vn_access(nd.ni_dvp, l->l_proc,
				      VACCESS_WRITE | VACCESS_EXEC)) == 0)
				error = VOP_CREATE(nd.ni_dvp, nd.ni_last,
				    nd.ni_lastlen, &va, &nd.ni_vp);
			vrele(nd.ni_dvp);
			if (error != 0)
				return (-error);
			flags &= ~LT_O_TRUNC; /* new: empty already */
			created = true;
		} else {
			vrele(nd.ni_dvp);
			if (flags & LT_O_EXCL) {
				vrele(nd.ni_vp);
				return (-EEXIST);
			}
		}
	} else if (nd.ni_vp == NULL)
		return (-EBUSY); /* O_CREAT of "/" */
	vp = nd.ni_vp;
	if (vp->v_type == VLNK)
		error = ELOOP; /* O_NOFOLLOW on a link */
	else if ((flags & LT_O_DIRECTORY) && vp->v_type != VDIR)
		error = ENOTDIR;
	else if (vp->v_type == VDIR && acc != LT_O_RDONLY)
		error = EISDIR;
	else if ((acc != LT_O_RDONLY || (flags & LT_O_TRUNC)) &&
	    (vp->v_mount->mnt_flags & MNT_RDONLY) && vp->v_type == VREG)
		error = EROFS;
	else if (!created)
		/* The file's mode for this process's ids (a new file is the
		 * creator's whatever its mode). */
		error = vn_access(vp, l->l_proc,
		    (acc != LT_O_WRONLY ? VACCESS_READ : 0) |
			(acc != LT_O_RDONLY || (flags & LT_O_TRUNC) ?
				VACCESS_WRITE :
				0));
	if (error == 0 && (flags & LT_O_TRUNC) && vp->v_type == VREG &&
	    acc != LT_O_RDONLY) {
		struct vattr_change vc = { .va_valid = VA_SIZE, .va_size = 0 };

		error = VOP_SETATTR(vp, &vc);
	}
	if (error == 0)
		error = VOP_OPEN(vp, flags);
	if (error == 0)
		error = falloc(&vnops_file, vp,
		    (unsigned)flags &
			(LT_O_ACCMODE | LT_O_APPEND | LT_O_NONBLOCK |
			    LT_O_DIRECTORY),
		    &fp);
	if (error != 0) {
		vrele(vp);
		return (-error);
	}
	/* The file now holds the vnode reference. */
	error = fd_alloc(l->l_proc->p_fd, 0, fp, (flags & LT_O_CLOEXEC) != 0,
	    &fd);
	fdrop(fp);
	return (error != 0 ? -error : fd);
}

int64_t
sys_open(struct lwp *l, const uint64_t *a)
{
	return (do_openat(l, LT_AT_FDCWD, a[0], (int)a[1], (uint32_t)a[2]));
}

int64_t
sys_creat(struct lwp *l, const uint64_t *a)
{
	return (do_openat(l, LT_AT_FDCWD, a[0],
	    LT_O_CREAT | LT_O_WRONLY | LT_O_TRUNC, (uint32_t)a[1]));
}

int64_t
sys_openat(struct lwp *l, const uint64_t *a)
{
	return (do_openat(l, (int)a[0], a[1], (int)a[2], (uint32_t)a[3]));
}

/* --- Offsets and vectored reads --------------------------------------- */

int64_t
sys_lseek(struct lwp *l, const uint64_t *a)
{
	int64_t off = (int64_t)a[1], base;
	struct file *fp;
	struct vattr va;
	int error;

	if ((error = fd_get(l->l_proc->p_fd, (int)a[0], &fp)) != 0)
		return (-error);
	if (fp->f_ops != &vnops_file) {
		fdrop(fp);
		return (-ESPIPE);
	}
	switch ((int)a[2]) {
	case LT_SEEK_SET:
		base = 0;
		break;
	case LT_SEEK_CUR:
		base = (int64_t)fp->f_offset;
		break;
	case LT_SEEK_END:
		if ((error = VOP_GETATTR(fp->f_data, &va)) != 0) {
			fdrop(fp);
			return (-error);
		}
		base = (int64_t)va.va_size;
		break;
	default:
		fdrop(fp);
		return (-EINVAL);
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0) {
		fdrop(fp);
		return (-EINVAL);
	}
	off += base;
	if ((error = VOP_SEEK(fp->f_data, &off)) != 0) {
		fdrop(fp);
		return (-error);
	}
	fp->f_offset = (uint64_t)off;
	fdrop(fp);
	return (off);
}

/* pread64 and pwrite64: a transfer at an offset, the file's unchanged. */
static int64_t
file_prw(struct lwp *l, const uint64_t *a, enum uio_rw rw)
{
	struct uio_user u = { l, a[1] };
	struct uio uio = { rw, a[3], (size_t)a[2], uio_move_user, &u, 0,
		uio_fill_user };
	unsigned refuse = rw == UIO_READ ? LT_O_WRONLY : LT_O_RDONLY;
	struct file *fp;
	struct vnode *vp;
	int error;

	if ((error = fd_get(l->l_proc->p_fd, (int)a[0], &fp)) != 0)
		return (-error);
	vp = fp->f_data;
	if ((fp->f_flag & LT_O_ACCMODE) == refuse)
		error = EBADF;
	else if (fp->f_ops != &vnops_file)
		error = ESPIPE;
	else if ((int64_t)a[3] < 0)
		error = EINVAL;
	else if (vp->v_type == VDIR)
		error = EISDIR;
	else if (rw == UIO_READ)
		error = VOP_READ(vp, &uio);
	else
		error = VOP_WRITE(vp, &uio, 0);
	fdrop(fp);
	return (error != 0 && uio.uio_done == 0 ? -error :
						  (int64_t)uio.uio_done);
}

int64_t
sys_pread64(struct lwp *l, const uint64_t *a)
{
	return (file_prw(l, a, UIO_READ));
}

int64_t
sys_pwrite64(struct lwp *l, const uint64_t *a)
{
	return (file_prw(l, a, UIO_WRITE));
}

int64_t
sys_readv(struct lwp *l, const uint64_t *a)
{
	struct {
		uint64_t base, len;
	} iov;
	int64_t total = 0, n;
	uint64_t i;
	int error;

	if (a[2] > 1024)
		return (-EINVAL);
	for (i = 0; i < a[2]; i++) {
		if ((error = copyin(l, a[1] + i * sizeof(iov), &iov,
			 sizeof(iov))) != 0)
			return (total > 0 ? total : -error);
		n = file_rw(l, (int)a[0], iov.base, iov.len, UIO_READ);
		if (n < 0)
			return (total > 0 ? total : n);
		total += n;
		if ((uint64_t)n < iov.len)
			break;
	}
	return (total);
}

/* --- Directories -------------------------------------------------------- */

struct dents {
	char *buf;
	size_t size, len;
	bool full; /* an entry did not fit */
};

static uint8_t
dtype(enum vtype t)
{
	static const uint8_t map[] = { [VNON] = LT_DT_UNKNOWN,
		[VREG] = LT_DT_REG,
		[VDIR] = LT_DT_DIR,
		[VBLK] = LT_DT_BLK,
		[VCHR] = LT_DT_CHR,
		[VLNK] = LT_DT_LNK,
		[VFIFO] = LT_DT_FIFO,
		[VSOCK] = LT_DT_SOCK };

	return ((unsigned)t < sizeof(map) ? map[t] : LT_DT_UNKNOWN);
}

static int
dents_fill(void *arg, uint64_t ino, enum vtype type, const char *name,
    size_t namelen, uint64_t next)
{
	struct dents *d = arg;
	struct linux_dirent64 *de;
	size_t reclen = (offsetof(struct linux_dirent64, d_name) + namelen + 1 +
			    7) &
	    ~(size_t)7;

	if (d->len + reclen > d->size) {
		d->full = true;
		return (1);
	}
	de = (struct linux_dirent64 *)(void *)(d->buf + d->len);
	memset(de, 0, reclen);
	de->d_ino = ino;
	de->d_off = (int64_t)next;
	de->d_reclen = (uint16_t)reclen;
	de->d_type = dtype(type);
	memcpy(de->d_name, name, namelen);
	d->len += reclen;
	return (0);
}

int64_t
sys_getdents64(struct lwp *l, const uint64_t *a)
{
	struct dents d;
	struct file *fp;
	struct vnode *vp;
	uint64_t cookie;
	int error;

	if ((error = fd_get(l->l_proc->p_fd, (int)a[0], &fp)) != 0)
		return (-error);
	vp = fp->f_data;
	if (fp->f_ops != &vnops_file || vp->v_type != VDIR) {
		fdrop(fp);
		return (-ENOTDIR);
	}
	d.size = a[2] < DENTS_CHUNK ? (size_t)a[2] : DENTS_CHUNK;
	d.len = 0;
	d.full = false;
	if ((d.buf = kmalloc(d.size)) == NULL) {
		fdrop(fp);
		return (-ENOMEM);
	}
	cookie = fp->f_offset;
	error = VOP_READDIR(vp, &cookie, dents_fill, &d);
	if (error == 0 && d.len == 0 && d.full)
		error = EINVAL; /* not even one entry fits */
	if (error == 0)
		error = copyout(l, d.buf, a[1], d.len);
	if (error == 0)
		fp->f_offset = cookie;
	kfree(d.buf);
	fdrop(fp);
	return (error != 0 ? -error : (int64_t)d.len);
}

static int64_t
do_readlinkat(struct lwp *l, int dirfd, uint64_t upath, uint64_t ubuf,
    size_t size)
{
	struct uio_user u = { l, ubuf };
	struct uio uio = { UIO_READ, 0, size, uio_move_user, &u, 0,
		uio_fill_user };
	struct nameidata nd;
	char *path;
	int error;

	if ((int64_t)size <= 0)
		return (-EINVAL);
	if ((path = kmalloc(VFS_PATH_MAX)) == NULL)
		return (-ENOMEM);
	error = namei_at(l, dirfd, upath, 0, &nd, path);
	kfree(path);
	if (error != 0)
		return (-error);
	error = nd.ni_vp->v_type == VLNK ? VOP_READLINK(nd.ni_vp, &uio) :
					   EINVAL;
	vrele(nd.ni_vp);
	return (error != 0 ? -error : (int64_t)uio.uio_done);
}

int64_t
sys_readlink(struct lwp *l, const uint64_t *a)
{
	return (do_readlinkat(l, LT_AT_FDCWD, a[0], a[1], (size_t)a[2]));
}

int64_t
sys_readlinkat(struct lwp *l, const uint64_t *a)
{
	return (do_readlinkat(l, (int)a[0], a[1], a[2], (size_t)a[3]));
}

#define LT_X_OK 1
#define LT_W_OK 2

static int64_t
do_faccessat(struct lwp *l, int dirfd, uint64_t upath, int mode)
{
	struct nameidata nd;
	struct vattr va;
	char *path;
	int error;

	if ((mode & ~7) != 0)
		return (-EINVAL);
	if ((path = kmalloc(VFS_PATH_MAX)) == NULL)
		return (-ENOMEM);
	error = namei_at(l, dirfd, upath, NAMEI_FOLLOW, &nd, path);
	kfree(path);
	if (error != 0)
		return (-error);
	error = VOP_GETATTR(nd.ni_vp, &va);
	/* access(2) asks for the real user (a set-user-id program's). */
	if (error == 0 && mode != 0)
		error = vaccess_cred(&va, l->l_proc->p_ruid, l->l_proc, mode);
	/* Linux: files, directories and links of a read-only mount. */
	if (error == 0 && (mode & LT_W_OK) &&
	    (nd.ni_vp->v_mount->mnt_flags & MNT_RDONLY) &&
	    (va.va_type == VREG || va.va_type == VDIR || va.va_type == VLNK))
		error = EROFS;
	vrele(nd.ni_vp);
	return (-error);
}

int64_t
sys_access(struct lwp *l, const uint64_t *a)
{
	return (do_faccessat(l, LT_AT_FDCWD, a[0], (int)a[1]));
}

int64_t
sys_faccessat(struct lwp *l, const uint64_t *a)
{
	return (do_faccessat(l, (int)a[0], a[1], (int)a[2]));
}

/* --- The current directory ---------------------------------------------- */

int
cwd_join(char *cwd, const char *path)
{
	char out[VFS_PATH_MAX];
	const char *p, *e;
	size_t len = 0, n;

	if (path[0] == '/')
		out[len++] = '/';
	else {
		len = strlen(cwd);
		memcpy(out, cwd, len);
	}
	for (p = path; *p != '\0'; p = *e == '/' ? e + 1 : e) {
		e = strchr(p, '/');
		if (e == NULL)
			e = p + strlen(p);
		n = (size_t)(e - p);
		if (n == 0 || (n == 1 && p[0] == '.'))
			continue;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (len > 1 && out[len - 1] != '/')
				len--;
			if (len > 1)
				len--;
			continue;
		}
		if (len > 1)
			out[len++] = '/';
		if (len + n + 1 > sizeof(out))
			return (ENAMETOOLONG);
		memcpy(out + len, p, n);
		len += n;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	memcpy(cwd, out, len + 1);
	return (0);
}

int64_t
sys_chdir(struct lwp *l, const uint64_t *a)
{
	struct filedesc *fdp = l->l_proc->p_fd;
	struct nameidata nd;
	char *path;
	int error;

	if ((path = kmalloc(VFS_PATH_MAX)) == NULL)
		return (-ENOMEM);
	error = namei_at(l, LT_AT_FDCWD, a[0], NAMEI_FOLLOW, &nd, path);
	if (error == 0 &&
	    (nd.ni_vp->v_type != VDIR ||
		(error = vn_access(nd.ni_vp, l->l_proc, VACCESS_EXEC)) != 0)) {
		vrele(nd.ni_vp);
		error = error != 0 ? error : ENOTDIR;
	}
	if (error == 0 && (error = cwd_join(fdp->fd_cwd, path)) == 0) {
		vrele(fdp->fd_cdir);
		fdp->fd_cdir = nd.ni_vp;
	} else if (error == ENAMETOOLONG)
		vrele(nd.ni_vp);
	kfree(path);
	return (-error);
}

/*
 * The path of the current directory from the vnodes (symbolic links
 * resolved, as Linux reports it), or else the path chdir(2) was given.
 */
static const char *
cwd_path(struct filedesc *fdp, char *buf, size_t size)
{
	if (vfs_getpath(fdp->fd_cdir, fdp->fd_rdir, buf, size) == 0)
		return (buf);
	return (fdp->fd_cwd);
}

int64_t
sys_fchdir(struct lwp *l, const uint64_t *a)
{
	struct filedesc *fdp = l->l_proc->p_fd;
	struct vnode *vp;
	char *path;
	int error;

	if ((error = fd_vnode(l, (int)a[0], &vp)) != 0)
		return (-error);
	if (vp->v_type != VDIR ||
	    (error = vn_access(vp, l->l_proc, VACCESS_EXEC)) != 0) {
		vrele(vp);
		return (error != 0 ? -error : -ENOTDIR);
	}
	if ((path = kmalloc(VFS_PATH_MAX)) == NULL) {
		vrele(vp);
		return (-ENOMEM);
	}
	vrele(fdp->fd_cdir);
	fdp->fd_cdir = vp;
	/* XXX A directory whose path cannot be found keeps the old text. */
	if (vfs_getpath(vp, fdp->fd_rdir, path, VFS_PATH_MAX) == 0)
		strcpy(fdp->fd_cwd, path);
	kfree(path);
	return (0);
}

int64_t
sys_getcwd(struct lwp *l, const uint64_t *a)
{
	const char *cwd;
	char *buf;
	size_t len;
	int error;

	if ((buf = kmalloc(VFS_PATH_MAX)) == NULL)
		return (-ENOMEM);
	cwd = cwd_path(l->l_proc->p_fd, buf, VFS_PATH_MAX);
	len = strlen(cwd) + 1;
	if (a[1] < len)
		error = ERANGE;
	else
		error = copyout(l, cwd, a[0], len);
	kfree(buf);
	return (error != 0 ? -error : (int64_t)len);
}

int64_t
sys_umask(struct lwp *l, const uint64_t *a)
{
	struct filedesc *fdp = l->l_proc->p_fd;
	uint32_t old = fdp->fd_cmask;

	fdp->fd_cmask = (uint32_t)a[0] & 0777;
	return (old);
}

/* --- Descriptors ---------------------------------------------------------- */

int64_t
sys_dup(struct lwp *l, const uint64_t *a)
{
	struct filedesc *fdp = l->l_proc->p_fd;
	struct file *fp;
	int fd, error;

	if ((error = fd_get(fdp, (int)a[0], &fp)) != 0)
		return (-error);
	error = fd_alloc(fdp, 0, fp, false, &fd);
	fdrop(fp);
	return (error != 0 ? -error : fd);
}

int64_t
sys_dup2(struct lwp *l, const uint64_t *a)
{
	struct filedesc *fdp = l->l_proc->p_fd;
	struct file *fp;
	int error;

	if ((int)a[0] == (int)a[1]) {
		/* dup2(fd, fd) only checks fd. */
		if ((error = fd_get(fdp, (int)a[0], &fp)) != 0)
			return (-error);
		fdrop(fp);
		return ((int)a[1]);
	}
	error = fd_dup2(fdp, (int)a[0], (int)a[1], false);
	return (error != 0 ? -error : (int)a[1]);
}

int64_t
sys_dup3(struct lwp *l, const uint64_t *a)
{
	int error;

	if ((int)a[0] == (int)a[1] || (a[2] & ~(uint64_t)LT_O_CLOEXEC) != 0)
		return (-EINVAL);
	error = fd_dup2(l->l_proc->p_fd, (int)a[0], (int)a[1],
	    (a[2] & LT_O_CLOEXEC) != 0);
	return (error != 0 ? -error : (int)a[1]);
}

int64_t
sys_fcntl(struct lwp *l, const uint64_t *a)
{
	struct filedesc *fdp = l->l_proc->p_fd;
	int fd = (int)a[0], nfd, error;
	struct file *fp;
	int64_t r = 0;

	if ((error = fd_get(fdp, fd, &fp)) != 0)
		return (-error);
	switch ((int)a[1]) {
	case LT_F_DUPFD:
	case LT_F_DUPFD_CLOEXEC:
		error = fd_alloc(fdp, (int)a[2], fp,
		    (int)a[1] == LT_F_DUPFD_CLOEXEC, &nfd);
		r = nfd;
		break;
	case LT_F_GETFD:
		r = fdp->fd_cloexec[fd] ? LT_FD_CLOEXEC : 0;
		break;
	case LT_F_SETFD:
		fdp->fd_cloexec[fd] = (a[2] & LT_FD_CLOEXEC) != 0;
		break;
	case LT_F_GETFL:
		r = fp->f_flag;
		break;
	case LT_F_SETFL:
		fp->f_flag = (fp->f_flag &
				 ~(unsigned)(LT_O_APPEND | LT_O_NONBLOCK)) |
		    ((unsigned)a[2] & (LT_O_APPEND | LT_O_NONBLOCK));
		break;
	default:
		error = EINVAL;
	}
	fdrop(fp);
	return (error != 0 ? -error : r);
}
