/*
 * mount_ufs_ops.c - the FUSE low-level operations of mount_ufs(8) over
 * the UFS1 library (runtime/vfs/ufs/ufs.h), on the inode table of
 * mount_ufs_node.c.  Permissions are checked by the kernel
 * (default_permissions).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "images/tools/mount_ufs/mount_ufs.h"

static void
op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct mu_node *dp, *n;
	uint32_t ino;
	int error;

	if ((error = mu_get_node(mu_to_ufs(parent), &dp)) != 0 ||
	    (error = ufs_lookup(&mu.mnt, &dp->ui, name, strlen(name), &ino)) !=
		0 ||
	    (error = mu_get_node(ino, &n)) != 0) {
		fuse_reply_err(req, error);
		return;
	}
	mu_reply_node(req, n);
}

static void
forget_one(fuse_ino_t ino, uint64_t nlookup)
{
	struct mu_node **pp = mu_slot(mu_to_ufs(ino));

	if (*pp == NULL)
		return;
	(*pp)->nlookup = (*pp)->nlookup > nlookup ? (*pp)->nlookup - nlookup :
						    0;
	mu_put_node(*pp);
}

static void
op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	forget_one(ino, nlookup);
	fuse_reply_none(req);
}

static void
op_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *f)
{
	for (size_t i = 0; i < count; i++)
		forget_one(f[i].ino, f[i].nlookup);
	fuse_reply_none(req);
}

static void
op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct mu_node *n;
	struct stat st;
	int error;

	if ((error = mu_get_node(mu_to_ufs(ino), &n)) != 0) {
		fuse_reply_err(req, error);
		return;
	}
	mu_fill_stat(&n->ui, &st);
	fuse_reply_attr(req, &st, MU_TIMEOUT);
}

static void
op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
    struct fuse_file_info *fi)
{
	struct ufs_cred cr = mu_cred(req);
	struct ufs_setattr sa = { 0 };
	struct timespec now;
	struct mu_node *n;
	struct stat st;
	int error;

	if ((error = mu_get_node(mu_to_ufs(ino), &n)) != 0)
		goto fail;
	clock_gettime(CLOCK_REALTIME, &now);
	if (to_set & FUSE_SET_ATTR_MODE) {
		sa.valid |= UFS_SA_MODE;
		sa.mode = attr->st_mode & 07777;
	}
	if (to_set & FUSE_SET_ATTR_UID) {
		sa.valid |= UFS_SA_UID;
		sa.uid = attr->st_uid;
	}
	if (to_set & FUSE_SET_ATTR_GID) {
		sa.valid |= UFS_SA_GID;
		sa.gid = attr->st_gid;
	}
	if (to_set & FUSE_SET_ATTR_SIZE) {
		sa.valid |= UFS_SA_SIZE;
		sa.size = (uint64_t)attr->st_size;
	}
	if (to_set & (FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_ATIME_NOW)) {
		struct timespec t = (to_set & FUSE_SET_ATTR_ATIME_NOW) ?
		    now :
		    attr->st_atim;

		sa.valid |= UFS_SA_ATIME;
		sa.atime = t.tv_sec;
		sa.atimensec = (int32_t)t.tv_nsec;
	}
	if (to_set & (FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_MTIME_NOW)) {
		struct timespec t = (to_set & FUSE_SET_ATTR_MTIME_NOW) ?
		    now :
		    attr->st_mtim;

		sa.valid |= UFS_SA_MTIME;
		sa.mtime = t.tv_sec;
		sa.mtimensec = (int32_t)t.tv_nsec;
	}
	if ((error = ufs_setattr(&mu.mnt, &n->ui, &sa, &cr)) != 0)
		goto fail;
	mu_fill_stat(&n->ui, &st);
	fuse_reply_attr(req, &st, MU_TIMEOUT);
	return;
fail:
	fuse_reply_err(req, error);
}

static void
op_readlink(fuse_req_t req, fuse_ino_t ino)
{
	char buf[1100];
	struct mu_node *n;
	size_t len;
	int error;

	if ((error = mu_get_node(mu_to_ufs(ino), &n)) != 0 ||
	    (error = ufs_readlink(&mu.mnt, &n->ui, buf, sizeof(buf), &len)) !=
		0) {
		fuse_reply_err(req, error);
		return;
	}
	fuse_reply_readlink(req, buf);
}

/* mknod and create: a new non-directory inode. */
static int
make_node(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
    dev_t rdev, struct mu_node **np)
{
	struct ufs_cred cr = mu_cred(req);
	struct ufs_inode ip;
	struct mu_node *dp;
	uint32_t r;
	int error;

	r = (major(rdev) & 0xff) << 8 | (minor(rdev) & 0xff) |
	    (minor(rdev) & 0xffff00) << 8;
	if ((error = mu_get_node(mu_to_ufs(parent), &dp)) != 0 ||
	    (error = ufs_create(&mu.mnt, &dp->ui, name, strlen(name),
		 (uint32_t)mode, r, &cr, &ip)) != 0)
		return (error);
	return (mu_add_node(&ip, np));
}

static void
op_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
    dev_t rdev)
{
	struct mu_node *n;
	int error;

	if ((error = make_node(req, parent, name, mode, rdev, &n)) != 0)
		fuse_reply_err(req, error);
	else
		mu_reply_node(req, n);
}

static void
op_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
    struct fuse_file_info *fi)
{
	struct fuse_entry_param e;
	struct mu_node *n;
	int error;

	if ((error = make_node(req, parent, name, mode, 0, &n)) != 0) {
		fuse_reply_err(req, error);
		return;
	}
	memset(&e, 0, sizeof(e));
	e.ino = mu_to_fuse(n->ui.ino);
	e.generation = (uint64_t)(uint32_t)n->ui.din.di_gen;
	e.attr_timeout = MU_TIMEOUT;
	e.entry_timeout = MU_TIMEOUT;
	mu_fill_stat(&n->ui, &e.attr);
	n->nlookup++;
	fuse_reply_create(req, &e, fi);
}

static void
op_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	struct ufs_cred cr = mu_cred(req);
	struct ufs_inode ip;
	struct mu_node *dp, *n;
	int error;

	if ((error = mu_get_node(mu_to_ufs(parent), &dp)) != 0 ||
	    (error = ufs_mkdir(&mu.mnt, &dp->ui, name, strlen(name),
		 (uint32_t)mode, &cr, &ip)) != 0 ||
	    (error = mu_add_node(&ip, &n)) != 0) {
		fuse_reply_err(req, error);
		return;
	}
	mu_reply_node(req, n);
}

static void
op_symlink(fuse_req_t req, const char *link, fuse_ino_t parent,
    const char *name)
{
	struct ufs_cred cr = mu_cred(req);
	struct ufs_inode ip;
	struct mu_node *dp, *n;
	int error;

	if ((error = mu_get_node(mu_to_ufs(parent), &dp)) != 0 ||
	    (error = ufs_symlink(&mu.mnt, &dp->ui, name, strlen(name), link,
		 strlen(link), &cr, &ip)) != 0 ||
	    (error = mu_add_node(&ip, &n)) != 0) {
		fuse_reply_err(req, error);
		return;
	}
	mu_reply_node(req, n);
}

/* The node name names in parent, and the parent. */
static int
named(fuse_ino_t parent, const char *name, struct mu_node **dpp,
    struct mu_node **np)
{
	uint32_t ino;
	int error;

	if ((error = mu_get_node(mu_to_ufs(parent), dpp)) != 0 ||
	    (error = ufs_lookup(&mu.mnt, &(*dpp)->ui, name, strlen(name),
		 &ino)) != 0)
		return (error);
	return (mu_get_node(ino, np));
}

static void
op_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct mu_node *dp, *n;
	int error;

	if ((error = named(parent, name, &dp, &n)) == 0) {
		error = ufs_remove(&mu.mnt, &dp->ui, name, strlen(name),
		    &n->ui);
		mu_put_node(n);
	}
	fuse_reply_err(req, error);
}

static void
op_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct mu_node *dp, *n;
	int error;

	if ((error = named(parent, name, &dp, &n)) == 0) {
		error = ufs_rmdir(&mu.mnt, &dp->ui, name, strlen(name), &n->ui);
		mu_put_node(n);
	}
	fuse_reply_err(req, error);
}

static void
op_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
    fuse_ino_t newparent, const char *newname, unsigned int flags)
{
	struct ufs_cred cr = mu_cred(req);
	struct mu_node *fdp, *fn, *tdp, *tn = NULL;
	uint32_t ino;
	int error;

	if (flags & ~(unsigned int)RENAME_NOREPLACE) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	if ((error = named(parent, name, &fdp, &fn)) != 0 ||
	    (error = mu_get_node(mu_to_ufs(newparent), &tdp)) != 0)
		goto out;
	error = ufs_lookup(&mu.mnt, &tdp->ui, newname, strlen(newname), &ino);
	if (error == 0 && (flags & RENAME_NOREPLACE))
		error = EEXIST;
	else if (error == 0)
		error = mu_get_node(ino, &tn);
	else if (error == ENOENT)
		error = 0;
	if (error == 0)
		error = ufs_rename(&mu.mnt, &fdp->ui, name, strlen(name),
		    &fn->ui, &tdp->ui, newname, strlen(newname),
		    tn != NULL ? &tn->ui : NULL, &cr);
	if (tn != NULL)
		mu_put_node(tn);
	mu_put_node(fn);
out:
	fuse_reply_err(req, error);
}

static void
op_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent,
    const char *newname)
{
	struct ufs_cred cr = mu_cred(req);
	struct mu_node *n, *dp;
	int error;

	if ((error = mu_get_node(mu_to_ufs(ino), &n)) != 0 ||
	    (error = mu_get_node(mu_to_ufs(newparent), &dp)) != 0 ||
	    (error = ufs_link(&mu.mnt, &dp->ui, newname, strlen(newname),
		 &n->ui, &cr)) != 0) {
		fuse_reply_err(req, error);
		return;
	}
	mu_reply_node(req, n);
}

static void
op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct mu_node *n;
	int error;

	if ((error = mu_get_node(mu_to_ufs(ino), &n)) != 0)
		fuse_reply_err(req, error);
	else
		fuse_reply_open(req, fi);
}

static void
op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	struct mu_node *n;
	size_t done = 0;
	char *buf = NULL;
	int error;

	if ((error = mu_get_node(mu_to_ufs(ino), &n)) == 0 &&
	    (buf = malloc(size > 0 ? size : 1)) == NULL)
		error = ENOMEM;
	if (error == 0)
		error = ufs_read(&mu.mnt, &n->ui, (uint64_t)off, buf, size,
		    &done);
	if (error != 0)
		fuse_reply_err(req, error);
	else
		fuse_reply_buf(req, buf, done);
	free(buf);
}

static void
op_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size,
    off_t off, struct fuse_file_info *fi)
{
	struct ufs_cred cr = mu_cred(req);
	struct mu_node *n;
	size_t done = 0;
	int error;

	if ((error = mu_get_node(mu_to_ufs(ino), &n)) == 0)
		error = ufs_write(&mu.mnt, &n->ui, (uint64_t)off, buf, size,
		    &cr, &done);
	if (error != 0)
		fuse_reply_err(req, error);
	else
		fuse_reply_write(req, done);
}

static void
op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct mu_node *n;

	if (mu_get_node(mu_to_ufs(ino), &n) == 0 &&
	    (n->ui.flags & UFS_IN_MODIFIED))
		(void)ufs_iupdate(&mu.mnt, &n->ui);
	fuse_reply_err(req, 0);
}

static void
op_fsync(fuse_req_t req, fuse_ino_t ino, int datasync,
    struct fuse_file_info *fi)
{
	struct mu_node *n;
	int error;

	if ((error = mu_get_node(mu_to_ufs(ino), &n)) == 0)
		error = ufs_fsync(&mu.mnt, &n->ui);
	if (error == 0)
		error = ufs_sync(&mu.mnt);
	fuse_reply_err(req, error);
}

struct dirbuf {
	fuse_req_t req;
	char *p;
	size_t len, size;
};

static int
add_entry(void *arg, const char *name, size_t namelen, uint32_t ino, int type,
    uint64_t next)
{
	struct dirbuf *b = arg;
	struct stat st;
	char nm[UFS_MAXNAMLEN + 1];
	size_t n;

	memcpy(nm, name, namelen);
	nm[namelen] = '\0';
	memset(&st, 0, sizeof(st));
	st.st_ino = ino;
	st.st_mode = (mode_t)type << 12;
	n = fuse_add_direntry(b->req, b->p + b->len, b->size - b->len, nm, &st,
	    (off_t)next);
	if (n > b->size - b->len)
		return (1);
	b->len += n;
	return (0);
}

static void
op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	struct dirbuf b = { req, NULL, 0, size };
	struct mu_node *n;
	uint64_t cookie = (uint64_t)off;
	int error;

	if ((error = mu_get_node(mu_to_ufs(ino), &n)) == 0 &&
	    (b.p = malloc(size > 0 ? size : 1)) == NULL)
		error = ENOMEM;
	if (error == 0)
		error = ufs_readdir(&mu.mnt, &n->ui, &cookie, add_entry, &b);
	if (error != 0)
		fuse_reply_err(req, error);
	else
		fuse_reply_buf(req, b.p, b.len);
	free(b.p);
}

static void
op_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct ufs_statfs sf;
	struct statvfs v;

	ufs_statfs(&mu.mnt, &sf);
	memset(&v, 0, sizeof(v));
	v.f_bsize = sf.iosize;
	v.f_frsize = sf.bsize;
	v.f_blocks = sf.blocks;
	v.f_bfree = sf.bfree;
	v.f_bavail = sf.bavail > 0 ? (fsblkcnt_t)sf.bavail : 0;
	v.f_files = sf.files;
	v.f_ffree = sf.ffree;
	v.f_favail = sf.ffree;
	v.f_namemax = sf.namemax;
	fuse_reply_statfs(req, &v);
}

const struct fuse_lowlevel_ops mu_ops = {
	.lookup = op_lookup,
	.forget = op_forget,
	.forget_multi = op_forget_multi,
	.getattr = op_getattr,
	.setattr = op_setattr,
	.readlink = op_readlink,
	.mknod = op_mknod,
	.mkdir = op_mkdir,
	.unlink = op_unlink,
	.rmdir = op_rmdir,
	.symlink = op_symlink,
	.rename = op_rename,
	.link = op_link,
	.open = op_open,
	.read = op_read,
	.write = op_write,
	.release = op_release,
	.fsync = op_fsync,
	.opendir = NULL,
	.readdir = op_readdir,
	.statfs = op_statfs,
	.create = op_create,
};
