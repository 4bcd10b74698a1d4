/*
 * namei_test.c - unit tests of vnodes, mounts and path name lookup, on a
 * small read-only file system defined here (tfs).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/vfs/vfs.h"
#include "runtime/vm/vm.h"

_Noreturn void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	abort();
}

/* tfs: a tree of nodes; inode n is nodes[n]; 1 is the root. */
struct tnode {
	const char *name;
	enum vtype type;
	int parent;
	const char *link;
};

static const struct tnode tree_a[] = {
	[1] = { "", VDIR, 1, NULL },
	[2] = { "a", VDIR, 1, NULL },
	[3] = { "b", VREG, 2, NULL },
	[4] = { "file", VREG, 1, NULL },
	[5] = { "mnt", VDIR, 1, NULL },
	[6] = { "rel", VLNK, 1, "a/b" },
	[7] = { "abs", VLNK, 1, "/a" },
	[8] = { "loop", VLNK, 1, "loop" },
	[9] = { "up", VLNK, 2, "../a/b" },
	[10] = { "empty", VLNK, 1, "" },
	[11] = { "tomnt", VLNK, 1, "mnt/x" },
	{ NULL, VNON, 0, NULL },
};

static const struct tnode tree_b[] = {
	[1] = { "", VDIR, 1, NULL },
	[2] = { "x", VREG, 1, NULL },
	[3] = { "d", VDIR, 1, NULL },
	{ NULL, VNON, 0, NULL },
};

static const struct vnodeops tfs_ops;

static const struct tnode *
tfs_tree(struct mount *mp)
{
	return (mp->mnt_data);
}

static int
tfs_vnode(struct mount *mp, int ino, struct vnode **vpp)
{
	if ((*vpp = vfs_vget(mp, (uint64_t)ino)) != NULL)
		return (0);
	return (vnode_new(mp, (uint64_t)ino, tfs_tree(mp)[ino].type, &tfs_ops,
	    NULL, vpp));
}

static int
tfs_lookup(struct vnode *dvp, const char *name, size_t len, struct vnode **vpp)
{
	const struct tnode *t = tfs_tree(dvp->v_mount);
	int i;

	if (len == 2 && memcmp(name, "..", 2) == 0)
		return (tfs_vnode(dvp->v_mount, t[dvp->v_ino].parent, vpp));
	for (i = 2; t[i].name != NULL; i++)
		if (t[i].parent == (int)dvp->v_ino &&
		    strlen(t[i].name) == len &&
		    memcmp(t[i].name, name, len) == 0)
			return (tfs_vnode(dvp->v_mount, i, vpp));
	return (ENOENT);
}

static int
tfs_readlink(struct vnode *vp, struct uio *uio)
{
	const char *l = tfs_tree(vp->v_mount)[vp->v_ino].link;

	return (uiomove((void *)(uintptr_t)l, strlen(l), uio));
}

static const struct vnodeops tfs_ops = {
	.vop_lookup = tfs_lookup,
	.vop_readlink = tfs_readlink,
};

static int
tfs_mount(struct mount *mp, const char *from)
{
	mp->mnt_data = (void *)(uintptr_t)(strcmp(from, "b") == 0 ? tree_b :
								    tree_a);
	return (tfs_vnode(mp, 1, &mp->mnt_root));
}

static const struct vfs_type tfs = { .name = "tfs", .vfs_mount = tfs_mount };

static void *mem;
static struct mount *mnt_a, *mnt_b;
static int baseline;

static void
setup(void)
{
	struct nameidata nd = { .ni_path = "/mnt" };

	mem = aligned_alloc(PAGE_SIZE, 4 << 20);
	vm_page_init(mem, 4 << 20);
	kmalloc_init();
	cr_assert_eq(vfs_mount(&tfs, "a", 0, NULL, &mnt_a), 0);
	nd.ni_rootdir = nd.ni_startdir = rootvnode;
	cr_assert_eq(namei(&nd), 0);
	cr_assert_eq(vfs_mount(&tfs, "b", 0, nd.ni_vp, &mnt_b), 0);
	vrele(nd.ni_vp);
	baseline = vnode_count();
}

static void
teardown(void)
{
	free(mem);
}

TestSuite(namei, .init = setup, .fini = teardown);

/* Looks path up from the root; returns the error, *ino the inode. */
static int
look(const char *path, int flags, struct mount **mpp, uint64_t *ino)
{
	struct nameidata nd = { .ni_path = path, .ni_flags = flags };
	int error;

	nd.ni_rootdir = nd.ni_startdir = rootvnode;
	if ((error = namei(&nd)) != 0)
		return (error);
	*ino = nd.ni_vp->v_ino;
	if (mpp != NULL)
		*mpp = nd.ni_vp->v_mount;
	vrele(nd.ni_vp);
	return (0);
}

#define FOUND(path, flags, mp, want)                                      \
	do {                                                              \
		struct mount *m_;                                         \
		uint64_t i_ = 0;                                          \
		cr_assert_eq(look(path, flags, &m_, &i_), 0, "%s", path); \
		cr_assert_eq(i_, (uint64_t)(want), "%s: ino %llu", path,  \
		    (unsigned long long)i_);                              \
		cr_assert_eq(m_, mp, "%s: wrong mount", path);            \
	} while (0)

#define FAILS(path, flags, err)                                              \
	do {                                                                 \
		uint64_t i_;                                                 \
		cr_assert_eq(look(path, flags, NULL, &i_), err, "%s", path); \
	} while (0)

Test(namei, plain_paths)
{
	FOUND("/", 0, mnt_a, 1);
	FOUND("/a", 0, mnt_a, 2);
	FOUND("/a/b", 0, mnt_a, 3);
	FOUND("//a///b", 0, mnt_a, 3);
	FOUND("/a/", 0, mnt_a, 2);
	FOUND("/a/./b", 0, mnt_a, 3);
	FOUND("/a/../a/b", 0, mnt_a, 3);
	FOUND("/..", 0, mnt_a, 1);
	FOUND("/../../a", 0, mnt_a, 2);
	cr_assert_eq(vnode_count(), baseline, "vnode leak");
}

Test(namei, errors)
{
	char longname[300], longpath[5000];

	FAILS("", 0, ENOENT);
	FAILS("/nope", 0, ENOENT);
	FAILS("/a/nope/b", 0, ENOENT);
	FAILS("/file/", 0, ENOTDIR);
	FAILS("/file/x", 0, ENOTDIR);
	FAILS("/a/b/..", 0, ENOTDIR);
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	FAILS(longname, 0, ENAMETOOLONG);
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	FAILS(longpath, 0, ENAMETOOLONG);
	cr_assert_eq(vnode_count(), baseline, "vnode leak");
}

Test(namei, relative_to_the_start_directory)
{
	struct nameidata nd = { .ni_path = "/a" };
	struct vnode *a;

	nd.ni_rootdir = nd.ni_startdir = rootvnode;
	cr_assert_eq(namei(&nd), 0);
	a = nd.ni_vp;
	nd = (struct nameidata) { .ni_path = "b",
		.ni_startdir = a,
		.ni_rootdir = rootvnode };
	cr_assert_eq(namei(&nd), 0);
	cr_assert_eq(nd.ni_vp->v_ino, 3);
	vrele(nd.ni_vp);
	/* A chroot at /a: ".." stops there and "/" means /a. */
	nd = (struct nameidata) { .ni_path = "../../b",
		.ni_startdir = a,
		.ni_rootdir = a };
	cr_assert_eq(namei(&nd), 0);
	cr_assert_eq(nd.ni_vp->v_ino, 3);
	vrele(nd.ni_vp);
	nd = (struct nameidata) { .ni_path = "/b",
		.ni_startdir = a,
		.ni_rootdir = a };
	cr_assert_eq(namei(&nd), 0);
	cr_assert_eq(nd.ni_vp->v_ino, 3);
	vrele(nd.ni_vp);
	vrele(a);
	cr_assert_eq(vnode_count(), baseline, "vnode leak");
}

Test(namei, symbolic_links)
{
	FOUND("/rel", NAMEI_FOLLOW, mnt_a, 3);
	FOUND("/rel", 0, mnt_a, 6);   /* the link itself */
	FOUND("/abs/b", 0, mnt_a, 3); /* links in the middle are followed */
	FOUND("/abs/", 0, mnt_a, 2);  /* and with a trailing slash */
	FOUND("/a/up", NAMEI_FOLLOW, mnt_a, 3);
	FOUND("/tomnt", NAMEI_FOLLOW, mnt_b, 2);
	FAILS("/loop", NAMEI_FOLLOW, ELOOP);
	FAILS("/loop/x", 0, ELOOP);
	FAILS("/empty", NAMEI_FOLLOW, ENOENT);
	FAILS("/rel/", 0, ENOTDIR);
	cr_assert_eq(vnode_count(), baseline, "vnode leak");
}

Test(namei, mount_points)
{
	FOUND("/mnt", 0, mnt_b, 1);
	FOUND("/mnt/x", 0, mnt_b, 2);
	FOUND("/mnt/..", 0, mnt_a, 1);
	FOUND("/mnt/d/../../a", 0, mnt_a, 2);
	FOUND("/mnt/./d/..", 0, mnt_b, 1);
	cr_assert_eq(vnode_count(), baseline, "vnode leak");
}

Test(namei, want_parent)
{
	struct nameidata nd = { .ni_path = "/a/new",
		.ni_flags = NAMEI_WANTPARENT };

	nd.ni_rootdir = nd.ni_startdir = rootvnode;
	cr_assert_eq(namei(&nd), 0);
	cr_assert_null(nd.ni_vp);
	cr_assert_eq(nd.ni_dvp->v_ino, 2);
	cr_assert_str_eq(nd.ni_last, "new");
	vrele(nd.ni_dvp);
	nd = (struct nameidata) { .ni_path = "/a/b",
		.ni_flags = NAMEI_WANTPARENT,
		.ni_rootdir = rootvnode,
		.ni_startdir = rootvnode };
	cr_assert_eq(namei(&nd), 0);
	cr_assert_eq(nd.ni_vp->v_ino, 3);
	cr_assert_eq(nd.ni_dvp->v_ino, 2);
	cr_assert_str_eq(nd.ni_last, "b");
	vrele(nd.ni_vp);
	vrele(nd.ni_dvp);
	/* A missing directory in the middle is still ENOENT. */
	FAILS("/nope/new", NAMEI_WANTPARENT, ENOENT);
	cr_assert_eq(vnode_count(), baseline, "vnode leak");
}

Test(namei, unmount_busy_and_done)
{
	struct nameidata nd = { .ni_path = "/mnt/x" };

	nd.ni_rootdir = nd.ni_startdir = rootvnode;
	cr_assert_eq(namei(&nd), 0);
	vrele(nd.ni_vp);
	/* The root of b is busy while a lookup holds it. */
	nd = (struct nameidata) { .ni_path = "/mnt",
		.ni_rootdir = rootvnode,
		.ni_startdir = rootvnode };
	cr_assert_eq(namei(&nd), 0);
	cr_assert_eq(vfs_unmount(mnt_b), EBUSY);
	vrele(nd.ni_vp);
	cr_assert_eq(vfs_unmount(mnt_b), 0);
	FAILS("/mnt/x", 0, ENOENT);
	FOUND("/mnt", 0, mnt_a, 5);
	cr_assert_eq(vfs_unmount(mnt_a), EBUSY, "the root cannot go");
	cr_assert_eq(vfs_mount(&tfs, "a", 0, NULL, NULL), EBUSY);
}

Test(namei, uio_moves_and_stops_at_resid)
{
	char src[] = "0123456789", dst[8] = { 0 };
	struct uio uio;

	uio_init_kernel(&uio, UIO_READ, dst, 4, 100);
	cr_assert_eq(uiomove(src, 3, &uio), 0);
	cr_assert_eq(uiomove(src + 3, 5, &uio), 0);
	cr_assert_eq(memcmp(dst, "0123", 4), 0);
	cr_assert_eq(dst[4], 0);
	cr_assert_eq(uio.uio_resid, 0);
	cr_assert_eq(uio.uio_offset, 104);
	uio_init_kernel(&uio, UIO_WRITE, src, 10, 0);
	cr_assert_eq(uiomove(dst, 2, &uio), 0);
	cr_assert_eq(memcmp(dst, "01", 2), 0);
}

/* A filler of "abcdef...": limit bytes in all, error on call fail_at. */
struct tfill {
	size_t pos, limit;
	int calls, fail_at;
	void *first_dst; /* where the first call was to store */
};

static int
tfill(void *arg, void *dst, size_t len, size_t *done)
{
	struct tfill *f = arg;
	size_t i, n;

	if (++f->calls == 1)
		f->first_dst = dst;
	if (f->calls == f->fail_at)
		return (EIO);
	n = f->limit - f->pos < len ? f->limit - f->pos : len;
	for (i = 0; i < n; i++)
		((char *)dst)[i] = (char)('a' + (f->pos + i) % 26);
	f->pos += n;
	*done = n;
	return (0);
}

Test(namei, uiomove_fill_fills_a_kernel_buffer_in_place)
{
	static char dst[200000];
	struct tfill f = { .limit = sizeof(dst) };
	struct uio uio;
	size_t i;

	uio_init_kernel(&uio, UIO_READ, dst, sizeof(dst), 10);
	cr_assert_eq(uiomove_fill(&uio, 5, tfill, &f), 0);
	cr_assert_eq(f.first_dst, dst, "the filler stores in place");
	cr_assert_eq(uiomove_fill(&uio, sizeof(dst), tfill, &f), 0);
	cr_assert_eq(uio.uio_done, sizeof(dst), "clipped to the resid");
	cr_assert_eq(uio.uio_resid, 0);
	cr_assert_eq(uio.uio_offset, 10 + sizeof(dst));
	for (i = 0; i < sizeof(dst); i++)
		cr_assert_eq(dst[i], 'a' + i % 26);
	cr_assert_eq(uiomove_fill(&uio, 10, tfill, &f), 0, "nothing left");
}

Test(namei, uiomove_fill_stops_at_a_short_piece_and_keeps_what_moved)
{
	char dst[100000];
	struct tfill f = { .limit = 70000 };
	struct uio uio;

	uio_init_kernel(&uio, UIO_READ, dst, sizeof(dst), 0);
	cr_assert_eq(uiomove_fill(&uio, sizeof(dst), tfill, &f), 0);
	cr_assert_eq(uio.uio_done, 70000);
	cr_assert_eq(uio.uio_resid, sizeof(dst) - 70000);
	cr_assert_eq(f.calls, 2, "64 KiB, then the short rest");
	f = (struct tfill) { .limit = SIZE_MAX, .fail_at = 2 };
	uio_init_kernel(&uio, UIO_READ, dst, sizeof(dst), 0);
	cr_assert_eq(uiomove_fill(&uio, sizeof(dst), tfill, &f), EIO);
	cr_assert_eq(uio.uio_done, 65536, "the first piece stays moved");
	uio_init_kernel(&uio, UIO_WRITE, dst, sizeof(dst), 0);
	cr_assert_eq(uiomove_fill(&uio, 10, tfill, &f), EINVAL);
}

/* A transfer kind of the test's own: into tbuf, failing past tlimit. */
static char tbuf[100000];
static size_t tlimit;

static int
tmove(struct uio *uio, void *kbuf, size_t n, size_t done)
{
	(void)uio;
	if (done + n > tlimit)
		return (EFAULT);
	memcpy(tbuf + done, kbuf, n);
	return (0);
}

Test(namei, uiomove_fill_goes_through_a_buffer_for_other_kinds)
{
	struct tfill f = { .limit = SIZE_MAX };
	struct uio uio = { UIO_READ, 0, sizeof(tbuf), tmove, NULL, 0, NULL };
	size_t i;

	tlimit = sizeof(tbuf);
	cr_assert_eq(uiomove_fill(&uio, sizeof(tbuf), tfill, &f), 0);
	cr_assert_eq(uio.uio_done, sizeof(tbuf));
	for (i = 0; i < sizeof(tbuf); i++)
		cr_assert_eq(tbuf[i], 'a' + i % 26);
	tlimit = 70000;
	f = (struct tfill) { .limit = SIZE_MAX };
	uio = (struct uio) { UIO_READ, 0, sizeof(tbuf), tmove, NULL, 0, NULL };
	cr_assert_eq(uiomove_fill(&uio, sizeof(tbuf), tfill, &f), EFAULT);
	cr_assert_eq(uio.uio_done, 65536, "what moved before the fault");
}

static int tfill_calls;

static int
tmove_fill(struct uio *uio, size_t n, size_t done, uio_fill_fn *fill, void *arg,
    size_t *moved)
{
	size_t got = 0;
	int error;

	(void)uio;
	tfill_calls++;
	*moved = 0;
	if ((error = fill(arg, tbuf + done, n < 1000 ? n : 1000, &got)) != 0)
		return (error);
	*moved = got;
	return (0);
}

Test(namei, uiomove_fill_uses_the_kinds_fill_form)
{
	struct tfill f = { .limit = SIZE_MAX };
	struct uio uio = { UIO_READ, 0, sizeof(tbuf), tmove, NULL, 0,
		tmove_fill };

	cr_assert_eq(uiomove_fill(&uio, 5000, tfill, &f), 0);
	cr_assert_eq(tfill_calls, 1);
	cr_assert_eq(f.first_dst, tbuf, "stored where the kind said");
	cr_assert_eq(uio.uio_done, 1000);
	cr_assert_eq(uio.uio_offset, 1000);
}
