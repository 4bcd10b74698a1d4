/*
 * descrip_test.c - unit tests of open files and descriptor tables, with
 * devfs vnodes as the files.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/dev/device.h"
#include "runtime/kern/file.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/sys/linux_fcntl.h"
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
static struct filedesc *fdp;
static int vnodes0, rootrefs0;

static void
setup(void)
{
	mem = aligned_alloc(PAGE_SIZE, 4 << 20);
	vm_page_init(mem, 4 << 20);
	kmalloc_init();
	cr_assert_eq(mem_dev_init(), 0);
	cr_assert_eq(vfs_mount(&devfs_vfstype, "devfs", 0, NULL, NULL), 0);
	rootrefs0 = rootvnode->v_refcnt;
	cr_assert_eq(fd_create(rootvnode, rootvnode, &fdp), 0);
	cr_assert_eq(rootvnode->v_refcnt, rootrefs0 + 2);
	vnodes0 = vnode_count();
}

static void
teardown(void)
{
	free(mem);
}

TestSuite(descrip, .init = setup, .fini = teardown);

/* Opens a devfs node as a file (the table does not hold it yet). */
static struct file *
open_file(const char *path, unsigned flag)
{
	struct nameidata nd = { .ni_path = path, .ni_flags = NAMEI_FOLLOW };
	struct file *fp;

	nd.ni_rootdir = nd.ni_startdir = rootvnode;
	cr_assert_eq(namei(&nd), 0);
	cr_assert_eq(falloc(&vnops_file, nd.ni_vp, flag, &fp), 0);
	return (fp);
}

/* Opens path into the lowest free descriptor. */
static int
open_fd(const char *path, unsigned flag, bool cloexec)
{
	struct file *fp = open_file(path, flag);
	int fd;

	cr_assert_eq(fd_alloc(fdp, 0, fp, cloexec, &fd), 0);
	fdrop(fp); /* the table keeps its own reference */
	return (fd);
}

Test(descrip, lowest_free_descriptor_and_close)
{
	cr_assert_eq(open_fd("/null", LT_O_RDWR, false), 0);
	cr_assert_eq(open_fd("/zero", LT_O_RDONLY, false), 1);
	cr_assert_eq(open_fd("/null", LT_O_RDWR, false), 2);
	cr_assert_eq(fd_close(fdp, 1), 0);
	cr_assert_eq(fd_close(fdp, 1), EBADF);
	cr_assert_eq(open_fd("/zero", LT_O_RDONLY, false), 1);
	cr_assert_eq(fdp->fd_lastfile, 2);
	cr_assert_eq(fd_close(fdp, 2), 0);
	cr_assert_eq(fdp->fd_lastfile, 1);
	cr_assert_eq(fd_close(fdp, -1), EBADF);
	cr_assert_eq(fd_close(fdp, FD_MAX), EBADF);
}

Test(descrip, table_full_is_emfile)
{
	struct file *fp = open_file("/null", LT_O_RDWR);
	int fd, i;

	for (i = 0; i < FD_MAX; i++)
		cr_assert_eq(fd_alloc(fdp, 0, fp, false, &fd), 0);
	cr_assert_eq(fd_alloc(fdp, 0, fp, false, &fd), EMFILE);
	cr_assert_eq(fp->f_count, FD_MAX + 1);
	cr_assert_eq(fd_alloc(fdp, 10, fp, false, &fd), EMFILE);
	cr_assert_eq(fd_alloc(fdp, -1, fp, false, &fd), EINVAL);
	fdrop(fp);
	fd_free(fdp);
	fdp = NULL;
	cr_assert_eq(vnode_count(), vnodes0, "the files are released");
	cr_assert_eq(rootvnode->v_refcnt, rootrefs0,
	    "the directories are released");
}

Test(descrip, dup2_replaces_and_keeps_counts)
{
	struct file *zero, *fp;

	cr_assert_eq(open_fd("/null", LT_O_RDWR, false), 0);
	cr_assert_eq(open_fd("/zero", LT_O_RDONLY, false), 1);
	cr_assert_eq(fd_get(fdp, 1, &zero), 0);
	cr_assert_eq(zero->f_count, 2);
	cr_assert_eq(fd_dup2(fdp, 1, 0, false), 0);
	cr_assert_eq(zero->f_count, 3);
	cr_assert_eq(fd_get(fdp, 0, &fp), 0);
	cr_assert_eq(fp, zero);
	fdrop(fp);
	cr_assert_eq(fd_dup2(fdp, 1, 1, true), 0, "dup2 onto itself");
	cr_assert(fdp->fd_cloexec[1]);
	cr_assert_eq(fd_dup2(fdp, 1, 700, false), 0);
	cr_assert_eq(fdp->fd_lastfile, 700);
	cr_assert_eq(fd_dup2(fdp, 5, 6, false), EBADF);
	cr_assert_eq(fd_dup2(fdp, 1, FD_MAX, false), EBADF);
	fdrop(zero);
	cr_assert_eq(zero->f_count, 3);
}

Test(descrip, fork_copy_is_independent)
{
	struct filedesc *child;
	struct file *fp;

	cr_assert_eq(open_fd("/null", LT_O_RDWR, false), 0);
	cr_assert_eq(fd_copy(fdp, &child), 0);
	cr_assert_eq(fd_get(fdp, 0, &fp), 0);
	cr_assert_eq(fp->f_count, 3, "parent, child, and us");
	cr_assert_eq(fd_close(child, 0), 0);
	cr_assert_eq(fp->f_count, 2);
	cr_assert_eq(fd_get(child, 0, &fp), EBADF);
	fd_free(child);
}

Test(descrip, exec_closes_cloexec_only)
{
	cr_assert_eq(open_fd("/null", LT_O_RDWR, false), 0);
	cr_assert_eq(open_fd("/null", LT_O_RDWR, true), 1);
	cr_assert_eq(open_fd("/zero", LT_O_RDONLY, false), 2);
	fd_close_exec(fdp);
	cr_assert_neq(fdp->fd_files[0], NULL);
	cr_assert_null(fdp->fd_files[1]);
	cr_assert_neq(fdp->fd_files[2], NULL);
}

Test(descrip, vnode_files_read_at_their_offset_and_check_modes)
{
	struct file *fp = open_file("/zero", LT_O_RDONLY);
	char buf[100];
	struct uio uio;
	struct vattr va;

	memset(buf, 1, sizeof(buf));
	uio_init_kernel(&uio, UIO_READ, buf, sizeof(buf), 0);
	cr_assert_eq(fp->f_ops->fo_read(fp, &uio), 0);
	cr_assert_eq(fp->f_offset, 100);
	cr_assert_eq(buf[99], 0);
	uio_init_kernel(&uio, UIO_WRITE, buf, 10, 0);
	cr_assert_eq(fp->f_ops->fo_write(fp, &uio), EBADF, "read-only file");
	cr_assert_eq(fp->f_ops->fo_stat(fp, &va), 0);
	cr_assert_eq(va.va_type, VCHR);
	fdrop(fp);
	fp = open_file("/null", LT_O_WRONLY);
	uio_init_kernel(&uio, UIO_READ, buf, 10, 0);
	cr_assert_eq(fp->f_ops->fo_read(fp, &uio), EBADF, "write-only file");
	fdrop(fp);
	fp = open_file("/", LT_O_RDONLY);
	uio_init_kernel(&uio, UIO_READ, buf, 10, 0);
	cr_assert_eq(fp->f_ops->fo_read(fp, &uio), EISDIR);
	fdrop(fp);
	cr_assert_eq(vnode_count(), vnodes0, "closing released the vnodes");
}
