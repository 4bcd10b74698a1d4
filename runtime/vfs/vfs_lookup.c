/*
 * vfs_lookup.c - path name lookup.
 *
 * namei() walks a path one component at a time from the root or the
 * starting directory: "." stays, ".." goes up (never above ni_rootdir,
 * and from the root of a mounted file system first back to the directory
 * it covers), a directory with a file system mounted on it is replaced by
 * that file system's root, and a symbolic link is spliced into the rest of
 * the path (at most VFS_MAXSYMLINKS times; a link at the end only with
 * NAMEI_FOLLOW or a trailing slash).
 */
#include <errno.h>
#include <string.h>

#include "runtime/vfs/vfs.h"

/* Reads the target of link vp into buf (NUL-terminated). */
static int
read_link(struct vnode *vp, char *buf, size_t size, size_t *len)
{
	struct uio uio;
	int error;

	uio_init_kernel(&uio, UIO_READ, buf, size - 1, 0);
	if ((error = VOP_READLINK(vp, &uio)) != 0)
		return (error);
	*len = uio.uio_done;
	buf[*len] = '\0';
	if (*len == 0)
		return (ENOENT);
	if (*len == size - 1)
		return (ENAMETOOLONG);
	return (0);
}

/* Replaces the path being walked by target + rest; rest points into path. */
static int
splice_link(char *path, const char *rest, const char *target, size_t tlen)
{
	char joined[VFS_PATH_MAX];
	size_t rlen = strlen(rest);

	if (tlen + rlen + 1 > sizeof(joined))
		return (ENAMETOOLONG);
	memcpy(joined, target, tlen);
	memcpy(joined + tlen, rest, rlen + 1);
	memcpy(path, joined, tlen + rlen + 1);
	return (0);
}

/* ".." from dir: up through mounts, never above root. */
static int
lookup_dotdot(struct vnode **dirp, struct vnode *root, struct vnode **vpp)
{
	struct vnode *dir = *dirp, *up;

	while (dir != root && dir == dir->v_mount->mnt_root &&
	    dir->v_mount->mnt_covered != NULL) {
		up = dir->v_mount->mnt_covered;
		vref(up);
		vrele(dir);
		dir = up;
	}
	*dirp = dir;
	if (dir == root) {
		vref(dir);
		*vpp = dir;
		return (0);
	}
	return (VOP_LOOKUP(dir, "..", 2, vpp));
}

static struct vnode *
cross_mounts(struct vnode *vp)
{
	struct vnode *root;

	while (vp->v_type == VDIR && vp->v_mountedhere != NULL) {
		root = vp->v_mountedhere->mnt_root;
		vref(root);
		vrele(vp);
		vp = root;
	}
	return (vp);
}

static int
lookup_one(struct nameidata *nd, struct vnode **dirp, const char *comp,
    size_t clen, struct vnode **vpp)
{
	if (clen == 1 && comp[0] == '.') {
		vref(*dirp);
		*vpp = *dirp;
		return (0);
	}
	if (clen == 2 && comp[0] == '.' && comp[1] == '.')
		return (lookup_dotdot(dirp, nd->ni_rootdir, vpp));
	return (VOP_LOOKUP(*dirp, comp, clen, vpp));
}

int
namei(struct nameidata *nd)
{
	char path[VFS_PATH_MAX], target[VFS_PATH_MAX];
	struct vnode *dir, *vp;
	const char *comp;
	char *p, *q;
	size_t clen, tlen;
	int links = 0, error;
	bool last, slash;

	nd->ni_vp = nd->ni_dvp = NULL;
	nd->ni_lastlen = 0;
	nd->ni_last[0] = '\0';
	if ((tlen = strnlen(nd->ni_path, sizeof(path))) == sizeof(path))
		return (ENAMETOOLONG);
	if (tlen == 0)
		return (ENOENT);
	memcpy(path, nd->ni_path, tlen + 1);
	p = path;
	dir = path[0] == '/' ? nd->ni_rootdir : nd->ni_startdir;
	vref(dir);
	for (;;) {
		while (*p == '/')
			p++;
		if (*p == '\0') {
			/* "/" or a path of slashes: the directory itself. */
			nd->ni_vp = dir;
			return (0);
		}
		comp = p;
		while (*p != '\0' && *p != '/')
			p++;
		clen = (size_t)(p - comp);
		for (q = p; *q == '/'; q++)
			;
		slash = p != q;
		last = *q == '\0';
		if (clen > VFS_NAME_MAX) {
			error = ENAMETOOLONG;
			goto fail;
		}
		if (dir->v_type != VDIR) {
			error = ENOTDIR;
			goto fail;
		}
		if (nd->ni_search != NULL &&
		    (error = nd->ni_search(dir, nd->ni_searcharg)) != 0)
			goto fail;
		error = lookup_one(nd, &dir, comp, clen, &vp);
		if (error == ENOENT && last &&
		    (nd->ni_flags & NAMEI_WANTPARENT)) {
			memcpy(nd->ni_last, comp, clen);
			nd->ni_last[clen] = '\0';
			nd->ni_lastlen = clen;
			nd->ni_dvp = dir;
			return (0);
		}
		if (error != 0)
			goto fail;
		vp = cross_mounts(vp);
		if (vp->v_type == VLNK &&
		    (!last || slash || (nd->ni_flags & NAMEI_FOLLOW))) {
			if (++links > VFS_MAXSYMLINKS)
				error = ELOOP;
			else if ((error = read_link(vp, target, sizeof(target),
				      &tlen)) == 0)
				error = splice_link(path, p, target, tlen);
			vrele(vp);
			if (error != 0)
				goto fail;
			p = path;
			if (path[0] == '/') {
				vrele(dir);
				dir = nd->ni_rootdir;
				vref(dir);
			}
			continue;
		}
		if (last) {
			if (slash && vp->v_type != VDIR) {
				vrele(vp);
				error = ENOTDIR;
				goto fail;
			}
			memcpy(nd->ni_last, comp, clen);
			nd->ni_last[clen] = '\0';
			nd->ni_lastlen = clen;
			nd->ni_vp = vp;
			if (nd->ni_flags & NAMEI_WANTPARENT)
				nd->ni_dvp = dir;
			else
				vrele(dir);
			return (0);
		}
		vrele(dir);
		dir = vp;
		p = q;
	}
fail:
	vrele(dir);
	return (error);
}

/* vfs_getpath(): the entry of a directory whose inode number is ino. */
struct name_search {
	uint64_t ino;
	char name[VFS_NAME_MAX + 1];
	size_t len;
};

static int
find_ino(void *arg, uint64_t ino, enum vtype type, const char *name,
    size_t namelen, uint64_t next)
{
	struct name_search *s = arg;

	(void)type;
	(void)next;
	if (ino != s->ino || namelen > VFS_NAME_MAX ||
	    (namelen == 1 && name[0] == '.') ||
	    (namelen == 2 && name[0] == '.' && name[1] == '.'))
		return (0);
	memcpy(s->name, name, namelen);
	s->len = namelen;
	return (1);
}

/* Finds the name of dir among the entries of its parent up, or ENOENT. */
static int
name_in(struct vnode *up, struct vnode *dir, struct name_search *s)
{
	uint64_t cookie = 0, last;
	int error;

	s->ino = dir->v_ino;
	s->len = 0;
	do {
		last = cookie;
		if ((error = VOP_READDIR(up, &cookie, find_ino, s)) != 0)
			return (error);
	} while (s->len == 0 && cookie != last);
	return (s->len > 0 ? 0 : ENOENT);
}

int
vfs_getpath(struct vnode *vp, struct vnode *root, char *buf, size_t size)
{
	struct name_search s;
	struct vnode *dir = vp, *up;
	size_t pos = size - 1;
	int error = 0;

	if (size < 2)
		return (ERANGE);
	buf[pos] = '\0';
	vref(dir);
	for (;;) {
		if ((error = lookup_dotdot(&dir, root, &up)) != 0)
			break;
		if (up == dir) { /* the top: root, or a root above it */
			vrele(up);
			error = dir == root ? 0 : ENOENT;
			break;
		}
		error = name_in(up, dir, &s);
		vrele(dir);
		dir = up;
		if (error != 0)
			break;
		if (s.len + 1 > pos) {
			error = ENAMETOOLONG;
			break;
		}
		pos -= s.len;
		memcpy(buf + pos, s.name, s.len);
		buf[--pos] = '/';
	}
	vrele(dir);
	if (error != 0)
		return (error);
	if (pos == size - 1)
		buf[--pos] = '/';
	memmove(buf, buf + pos, size - pos);
	return (0);
}
