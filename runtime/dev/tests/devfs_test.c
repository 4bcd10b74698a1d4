/*
 * devfs_test.c - unit tests of the device registry, devfs and the memory
 * devices.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/dev/device.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
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

static void *mem;

static void
setup(void)
{
	mem = aligned_alloc(PAGE_SIZE, 2 << 20);
	vm_page_init(mem, 2 << 20);
	kmalloc_init();
	cr_assert_eq(mem_dev_init(), 0);
	cr_assert_eq(vfs_mount(&devfs_vfstype, "devfs", 0, NULL, NULL), 0);
}

static void
teardown(void)
{
	free(mem);
}

TestSuite(devfs, .init = setup, .fini = teardown);

static struct vnode *
open_path(const char *path)
{
	struct nameidata nd = { .ni_path = path, .ni_flags = NAMEI_FOLLOW };

	nd.ni_rootdir = nd.ni_startdir = rootvnode;
	cr_assert_eq(namei(&nd), 0, "%s", path);
	return (nd.ni_vp);
}

static size_t
rw(struct vnode *vp, enum uio_rw dir, void *buf, size_t len)
{
	struct uio uio;

	uio_init_kernel(&uio, dir, buf, len, 0);
	cr_assert_eq(dir == UIO_READ ? VOP_READ(vp, &uio) :
				       VOP_WRITE(vp, &uio, 0),
	    0);
	return (uio.uio_done);
}

Test(devfs, zero_and_null)
{
	unsigned char buf[3000];
	struct vnode *vp;
	size_t i;

	vp = open_path("/zero");
	memset(buf, 0xff, sizeof(buf));
	cr_assert_eq(rw(vp, UIO_READ, buf, sizeof(buf)), sizeof(buf));
	for (i = 0; i < sizeof(buf); i++)
		cr_assert_eq(buf[i], 0);
	cr_assert_eq(rw(vp, UIO_WRITE, buf, 10), 10);
	vrele(vp);
	vp = open_path("/null");
	cr_assert_eq(rw(vp, UIO_READ, buf, sizeof(buf)), 0, "null is EOF");
	cr_assert_eq(rw(vp, UIO_WRITE, buf, sizeof(buf)), sizeof(buf));
	vrele(vp);
}

Test(devfs, random_differs)
{
	unsigned char a[64], b[64], zero[64] = { 0 };
	struct vnode *vp;

	vp = open_path("/urandom");
	cr_assert_eq(rw(vp, UIO_READ, a, sizeof(a)), sizeof(a));
	cr_assert_eq(rw(vp, UIO_READ, b, sizeof(b)), sizeof(b));
	cr_assert_neq(memcmp(a, b, sizeof(a)), 0);
	cr_assert_neq(memcmp(a, zero, sizeof(a)), 0);
	vrele(vp);
	vp = open_path("/random");
	cr_assert_eq(rw(vp, UIO_READ, a, sizeof(a)), sizeof(a));
	cr_assert_eq(rw(vp, UIO_WRITE, a, 8), 8);
	vrele(vp);
}

Test(devfs, attributes)
{
	struct vattr va, vb;
	struct vnode *vp;

	vp = open_path("/null");
	cr_assert_eq(VOP_GETATTR(vp, &va), 0);
	cr_assert_eq(va.va_type, VCHR);
	cr_assert_eq(va.va_mode, 0666);
	cr_assert_neq(va.va_rdev, 0);
	vrele(vp);
	vp = open_path("/zero");
	cr_assert_eq(VOP_GETATTR(vp, &vb), 0);
	cr_assert_neq(va.va_rdev, vb.va_rdev);
	cr_assert_neq(va.va_ino, vb.va_ino);
	vrele(vp);
	vp = open_path("/");
	cr_assert_eq(VOP_GETATTR(vp, &va), 0);
	cr_assert_eq(va.va_type, VDIR);
	vrele(vp);
}

struct names {
	char buf[256];
	int n, stop_after;
};

static int
collect(void *arg, uint64_t ino, enum vtype type, const char *name, size_t len,
    uint64_t next)
{
	struct names *nm = arg;

	(void)ino;
	(void)type;
	(void)next;
	if (nm->stop_after >= 0 && nm->n == nm->stop_after)
		return (1);
	strncat(nm->buf, name, len);
	strcat(nm->buf, " ");
	nm->n++;
	return (0);
}

Test(devfs, readdir_lists_and_resumes)
{
	struct names nm = { "", 0, -1 };
	struct vnode *vp;
	uint64_t cookie = 0;

	vp = open_path("/");
	cr_assert_eq(VOP_READDIR(vp, &cookie, collect, &nm), 0);
	cr_assert_str_eq(nm.buf, ". .. null zero random urandom ");
	/* Stop after three, then go on from the cookie. */
	nm = (struct names) { "", 0, 3 };
	cookie = 0;
	cr_assert_eq(VOP_READDIR(vp, &cookie, collect, &nm), 0);
	cr_assert_str_eq(nm.buf, ". .. null ");
	nm.stop_after = -1;
	cr_assert_eq(VOP_READDIR(vp, &cookie, collect, &nm), 0);
	cr_assert_str_eq(nm.buf, ". .. null zero random urandom ");
	vrele(vp);
}

Test(devfs, registry_rules)
{
	static const struct cdevsw sw = { .d_name = "t" };
	struct nameidata nd = { .ni_path = "/nope" };

	cr_assert_eq(make_dev(&sw, 0, 0, 0, 0600, "null", NULL), EEXIST);
	cr_assert_eq(make_dev(&sw, 0, 0, 0, 0600, "", NULL), ENAMETOOLONG);
	cr_assert_eq(make_dev(&sw, 0, 0, 0, 0600,
			 "a_name_that_is_far_too_long_for_a_device", NULL),
	    ENAMETOOLONG);
	cr_assert_eq(make_dev(&sw, 3, 0, 0, 0600, "t3", NULL), 0);
	nd.ni_rootdir = nd.ni_startdir = rootvnode;
	cr_assert_eq(namei(&nd), ENOENT);
	{
		struct vnode *vp = open_path("/t3");
		unsigned char c;
		struct uio uio;

		uio_init_kernel(&uio, UIO_READ, &c, 1, 0);
		cr_assert_eq(VOP_READ(vp, &uio), ENODEV,
		    "a driver without d_read");
		vrele(vp);
	}
}
