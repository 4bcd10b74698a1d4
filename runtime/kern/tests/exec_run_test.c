/*
 * exec_run_test.c - unmodified static musl programs run in the kernel:
 * loaded by proc_exec() from a file system, run by the systrap backend,
 * their system calls answered by the kernel's table.
 *
 * The file system (hfs) is defined here: a root directory holding the
 * guest programs built by make (musl-gcc -static) next to this test.
 * Standard output is a file that captures what the program writes.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/kern/file.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/proc.h"
#include "runtime/kern/sysctl.h"
#include "runtime/sys/linux_fcntl.h"
#include "runtime/vm/vm.h"

/* What the rest of the kernel provides. */
struct cpu_info cpu_infos[VK_MAXCPU];
_Thread_local int curcpu;
int ncpus = 2;
const char host_version[] = "Vireo 0.1-DEVELOPMENT #test\n";
/* kern_hostname comes from kern_sysctl_std.c. */

_Noreturn void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	abort();
}

/* No program here asks for a reboot. */
_Noreturn void
kern_reboot(int howto)
{
	panic("kern_reboot(%#x) in a unit test", howto);
}

void
host_console_write(const void *buf, size_t len)
{
	fwrite(buf, 1, len, stderr);
}

/* --- hfs: host files as a read-only directory ------------------------- */

static const char *const hfs_names[] = { NULL, "", "hello", "memory", "crash" };
#define HFS_NFILES 5
static char hfs_dir[PATH_MAX / 2];

static const struct vnodeops hfs_ops;

static int
hfs_vnode(struct mount *mp, int ino, struct vnode **vpp)
{
	if ((*vpp = vfs_vget(mp, (uint64_t)ino)) != NULL)
		return (0);
	return (vnode_new(mp, (uint64_t)ino, ino == 1 ? VDIR : VREG, &hfs_ops,
	    NULL, vpp));
}

static int
hfs_lookup(struct vnode *dvp, const char *name, size_t len, struct vnode **vpp)
{
	int i;

	if (len == 2 && memcmp(name, "..", 2) == 0)
		return (hfs_vnode(dvp->v_mount, 1, vpp));
	for (i = 2; i < HFS_NFILES; i++)
		if (strlen(hfs_names[i]) == len &&
		    memcmp(hfs_names[i], name, len) == 0)
			return (hfs_vnode(dvp->v_mount, i, vpp));
	return (ENOENT);
}

static void
hfs_path(struct vnode *vp, char *buf)
{
	snprintf(buf, PATH_MAX, "%s/%s", hfs_dir, hfs_names[vp->v_ino]);
}

static int
hfs_getattr(struct vnode *vp, struct vattr *va)
{
	char path[PATH_MAX];
	struct stat st;

	memset(va, 0, sizeof(*va));
	va->va_type = vp->v_type;
	va->va_ino = vp->v_ino;
	if (vp->v_type == VDIR) {
		va->va_mode = 0755;
		return (0);
	}
	hfs_path(vp, path);
	if (stat(path, &st) != 0)
		return (EIO);
	va->va_mode = st.st_mode & 07777;
	va->va_size = (uint64_t)st.st_size;
	return (0);
}

static int
hfs_read(struct vnode *vp, struct uio *uio)
{
	char path[PATH_MAX], buf[8192];
	ssize_t n;
	int fd, error = 0;

	hfs_path(vp, path);
	if ((fd = open(path, O_RDONLY)) < 0)
		return (EIO);
	while (uio->uio_resid > 0 && error == 0) {
		n = pread(fd, buf,
		    uio->uio_resid < sizeof(buf) ? uio->uio_resid : sizeof(buf),
		    (off_t)uio->uio_offset);
		if (n <= 0)
			break;
		error = uiomove(buf, (size_t)n, uio);
	}
	close(fd);
	return (error);
}

static const struct vnodeops hfs_ops = {
	.vop_lookup = hfs_lookup,
	.vop_getattr = hfs_getattr,
	.vop_read = hfs_read,
};

static int
hfs_mount(struct mount *mp, const char *from)
{
	(void)from;
	return (hfs_vnode(mp, 1, &mp->mnt_root));
}

static const struct vfs_type hfs = { .name = "hfs", .vfs_mount = hfs_mount };

/* --- a capturing standard output -------------------------------------- */

static char captured[65536];
static size_t ncaptured;

static int
cap_write(struct file *fp, struct uio *uio)
{
	size_t n = uio->uio_resid;

	(void)fp;
	cr_assert_lt(ncaptured + n, sizeof(captured));
	return (uiomove(captured + ncaptured, n, uio) == 0 ?
		(ncaptured += n, 0) :
		EFAULT);
}

static const struct fileops cap_ops = { .fo_write = cap_write };

/* --- the tests --------------------------------------------------------- */

static struct thread td0;
static void *mem;

static void
setup(void)
{
	char self[PATH_MAX / 4], *slash;
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	cr_assert_gt(n, 0);
	self[n] = '\0';
	slash = strrchr(self, '/');
	*slash = '\0';
	snprintf(hfs_dir, sizeof(hfs_dir), "%s/../guest-tests", self);
	mem = aligned_alloc(PAGE_SIZE, 16 << 20);
	vm_page_init(mem, 16 << 20);
	kmalloc_init();
	sched_init(2, &td0);
	cr_assert_eq(vfs_mount(&hfs, "hfs", 0, NULL, NULL), 0);
}

TestSuite(exec_run, .init = setup, .timeout = 30);

/* Runs program with argv; returns its wait status. */
static int
run(const char *path, const char *const *argv)
{
	const char *envp[] = { "HOME=/", "PATH=/", NULL };
	struct filedesc *fdp;
	struct file *out;
	struct proc *p;
	int fd, status;

	ncaptured = 0;
	cr_assert_eq(fd_create(rootvnode, rootvnode, &fdp), 0);
	cr_assert_eq(falloc(&cap_ops, NULL, LT_O_WRONLY, &out), 0);
	cr_assert_eq(fd_alloc(fdp, 1, out, false, &fd), 0);
	cr_assert_eq(fd, 1);
	fdrop(out);
	cr_assert_eq(proc_create(NULL, fdp, &p), 0);
	fd_free(fdp);
	cr_assert_eq(proc_exec(p, path, argv, envp), 0, "exec %s", path);
	cr_assert_eq(proc_start(p), 0);
	status = proc_wait(p);
	captured[ncaptured] = '\0';
	return (status);
}

Test(exec_run, hello_world_with_printf)
{
	const char *argv[] = { "hello", NULL };

	cr_assert_eq(run("/hello", argv), 3 << 8, "exit status 3");
	cr_assert_str_eq(captured, "hello, world\n");
}

Test(exec_run, memory_uname_and_large_writes)
{
	const char *argv[] = { "memory", NULL };
	char want[128];

	cr_assert_eq(run("/memory", argv), 0, "output: %s", captured);
	snprintf(want, sizeof(want), "sysname=Vireo machine=x86_64 sum=%d ",
	    7 * 1024);
	cr_assert_not_null(strstr(captured, want), "%s", captured);
	cr_assert_eq(strspn(strchr(captured, '\n') + 1, "x"), 999);
}

Test(exec_run, a_fault_kills_with_sigsegv)
{
	const char *argv[] = { "crash", NULL };

	cr_assert_eq(run("/crash", argv), 11);
}

Test(exec_run, the_32_bit_entry_kills_with_sigsys)
{
	const char *argv[] = { "crash", "int80", NULL };

	cr_assert_eq(run("/crash", argv), 31);
}

Test(exec_run, exec_errors)
{
	const char *argv[] = { "x", NULL };
	struct filedesc *fdp;
	struct proc *p;

	cr_assert_eq(fd_create(rootvnode, rootvnode, &fdp), 0);
	cr_assert_eq(proc_create(NULL, fdp, &p), 0);
	cr_assert_eq(proc_exec(p, "/nope", argv, argv + 1), ENOENT);
	cr_assert_eq(proc_exec(p, "/", argv, argv + 1), EACCES);
	cr_assert_null(p->p_space, "a failed exec leaves no space behind");
	fd_free(fdp);
}
