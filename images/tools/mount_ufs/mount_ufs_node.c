/*
 * mount_ufs_node.c - the inode table of mount_ufs(8): one struct mu_node
 * per inode the kernel holds (lookup count above zero), whose ufs_inode
 * is the one copy the library works on; released with ufs_inactive()
 * when the kernel forgets it, which frees an unlinked inode as BSD does
 * at the last reference.  Also the translations between FUSE and UFS:
 * inode numbers (FUSE's root 1 is UFS's 2), attributes, credentials.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "images/tools/mount_ufs/mount_ufs.h"

struct mu_fs mu;

uint32_t
mu_to_ufs(fuse_ino_t ino)
{
	return (ino == FUSE_ROOT_ID ? ROOTINO : (uint32_t)ino);
}

fuse_ino_t
mu_to_fuse(uint32_t ino)
{
	return (ino == ROOTINO ? FUSE_ROOT_ID : ino);
}

struct mu_node **
mu_slot(uint32_t ino)
{
	struct mu_node **pp = &mu.hash[ino % 1024];

	while (*pp != NULL && (*pp)->ui.ino != ino)
		pp = &(*pp)->next;
	return (pp);
}

/* The node of ino, loaded if the kernel did not hold it yet. */
int
mu_get_node(uint32_t ino, struct mu_node **np)
{
	struct mu_node **pp = mu_slot(ino), *n;
	int error;

	if (*pp != NULL) {
		*np = *pp;
		return (0);
	}
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return (ENOMEM);
	if ((error = ufs_iget(&mu.mnt, ino, &n->ui)) != 0 ||
	    n->ui.din.di_mode == 0) {
		free(n);
		return (error != 0 ? error : ENOENT);
	}
	*pp = n;
	*np = n;
	return (0);
}

/* Drops a node nobody references (nlookup 0). */
void
mu_put_node(struct mu_node *n)
{
	struct mu_node **pp;
	int error;

	if (n->nlookup > 0)
		return;
	if ((error = ufs_inactive(&mu.mnt, &n->ui)) != 0 && mu.error == 0)
		mu.error = error;
	pp = mu_slot(n->ui.ino);
	*pp = n->next;
	free(n);
}

/* Adds a node just made by the library (create, mkdir, symlink). */
int
mu_add_node(const struct ufs_inode *ip, struct mu_node **np)
{
	struct mu_node **pp = mu_slot(ip->ino), *n;

	if (*pp != NULL) {
		(*pp)->ui = *ip;
		*np = *pp;
		return (0);
	}
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return (ENOMEM);
	n->ui = *ip;
	*pp = n;
	*np = n;
	return (0);
}

int
mu_release_all(void)
{
	int first = 0, error;

	for (int i = 0; i < 1024; i++) {
		while (mu.hash[i] != NULL) {
			struct mu_node *n = mu.hash[i];

			mu.hash[i] = n->next;
			error = ufs_inactive(&mu.mnt, &n->ui);
			if (error != 0 && first == 0)
				first = error;
			free(n);
		}
	}
	return (first);
}

void
mu_fill_stat(const struct ufs_inode *ip, struct stat *st)
{
	const struct ufs1_dinode *d = &ip->din;
	uint32_t t = d->di_mode & IFMT;

	memset(st, 0, sizeof(*st));
	st->st_ino = ip->ino;
	st->st_mode = d->di_mode;
	st->st_nlink = (nlink_t)d->di_nlink;
	st->st_uid = d->di_uid;
	st->st_gid = d->di_gid;
	st->st_size = (off_t)d->di_size;
	st->st_blocks = d->di_blocks;
	st->st_blksize = mu.mnt.fs->fs_bsize;
	if (t == IFCHR || t == IFBLK) {
		/* BSD's udev layout: minor in bits 0-7 and 16-31. */
		uint32_t r = (uint32_t)d->di_db[0];

		st->st_rdev = makedev((r >> 8) & 0xff,
		    (r & 0xff) | ((r >> 8) & 0xffff00));
	}
	st->st_atim.tv_sec = d->di_atime;
	st->st_atim.tv_nsec = d->di_atimensec;
	st->st_mtim.tv_sec = d->di_mtime;
	st->st_mtim.tv_nsec = d->di_mtimensec;
	st->st_ctim.tv_sec = d->di_ctime;
	st->st_ctim.tv_nsec = d->di_ctimensec;
}

struct ufs_cred
mu_cred(fuse_req_t req)
{
	const struct fuse_ctx *c = fuse_req_ctx(req);
	struct ufs_cred cr = { c->uid, c->gid };

	return (cr);
}

/* Replies with the entry of n, counting the lookup. */
void
mu_reply_node(fuse_req_t req, struct mu_node *n)
{
	struct fuse_entry_param e;

	memset(&e, 0, sizeof(e));
	e.ino = mu_to_fuse(n->ui.ino);
	e.generation = (uint64_t)(uint32_t)n->ui.din.di_gen;
	e.attr_timeout = MU_TIMEOUT;
	e.entry_timeout = MU_TIMEOUT;
	mu_fill_stat(&n->ui, &e.attr);
	n->nlookup++;
	fuse_reply_entry(req, &e);
}
