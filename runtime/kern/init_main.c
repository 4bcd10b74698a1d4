/*
 * init_main.c - the step from a mounted root to user space: /dev, the
 * console as descriptors 0, 1 and 2, and process 1.
 *
 * The program is the first of init_path (a kenv value, -e init_path=...,
 * ':'-separated; default /sbin/init:/sbin/oinit:/sbin/init.bak:
 * /rescue/init as in BSD) that executes.  It gets "-s" when the kernel
 * boots single-user.  Thread 0 then waits for it: init exiting is a
 * panic, as in BSD.
 */
#include <errno.h>
#include <string.h>

#include "runtime/dev/device.h"
#include "runtime/kern/file.h"
#include "runtime/kern/kenv.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/proc.h"
#include "runtime/sys/linux_fcntl.h"

#define INIT_PATH_DEFAULT "/sbin/init:/sbin/oinit:/sbin/init.bak:/rescue/init"

static struct vnode *
lookup_root(const char *path)
{
	struct nameidata nd = { .ni_path = path, .ni_flags = NAMEI_FOLLOW };

	nd.ni_startdir = nd.ni_rootdir = rootvnode;
	return (namei(&nd) == 0 ? nd.ni_vp : NULL);
}

/* devfs on /dev, and the console open as 0, 1 and 2 of fdp. */
static void
setup_console(struct filedesc *fdp)
{
	struct vnode *dev, *cons;
	struct mount *mp;
	struct file *fp;
	int fd, error;

	error = ENOENT;
	if ((dev = lookup_root("/dev")) != NULL) {
		error = vfs_mount(&devfs_vfstype, "devfs", 0, dev, &mp);
		if (error == 0)
			strcpy(mp->mnt_on, "/dev");
		vrele(dev);
	}
	if (error != 0)
		panic("cannot mount devfs on /dev: error %d", error);
	if ((cons = lookup_root("/dev/console")) == NULL)
		panic("no /dev/console");
	if ((error = falloc(&vnops_file, cons, LT_O_RDWR, &fp)) != 0)
		panic("console file: error %d", error);
	for (fd = 0; fd < 3; fd++)
		if ((error = fd_alloc(fdp, fd, fp, false, &fd)) != 0)
			panic("console descriptors: error %d", error);
	fdrop(fp);
	cons_tty_attach();
}

/* Tries each path of list in turn; returns 0 once one executes. */
static int
exec_first(struct proc *p, const char *list)
{
	char path[256];
	const char *argv[3],
	    *envp[] = { "HOME=/", "PATH=/sbin:/bin:/usr/sbin:/usr/bin",
		    "TERM=vt100", NULL };
	const char *s = list, *e;
	size_t n;
	int error = ENOENT;

	while (*s != '\0') {
		e = strchr(s, ':');
		n = e != NULL ? (size_t)(e - s) : strlen(s);
		if (n > 0 && n < sizeof(path)) {
			memcpy(path, s, n);
			path[n] = '\0';
			argv[0] = path;
			argv[1] = (boothowto & RB_SINGLE) ? "-s" : NULL;
			argv[2] = NULL;
			if ((error = proc_exec(p, path, argv, envp)) == 0)
				return (0);
			kprintf("init: %s: error %d\n", path, error);
		}
		s += n;
		if (*s == ':')
			s++;
	}
	return (error);
}

_Noreturn void
start_init(void)
{
	struct filedesc *fdp;
	const char *list;
	struct proc *p;
	int error, status;

	if ((error = fd_create(rootvnode, rootvnode, &fdp)) != 0)
		panic("start_init: error %d", error);
	setup_console(fdp);
	if ((error = proc_create(NULL, fdp, &p)) != 0)
		panic("start_init: error %d", error);
	fd_free(fdp);
	if ((list = kenv_get("init_path")) == NULL)
		list = INIT_PATH_DEFAULT;
	if ((error = exec_first(p, list)) != 0)
		panic("no init found in %s", list);
	init_running = true;
	initproc = p;
	if ((error = proc_start(p)) != 0)
		panic("cannot start init: error %d", error);
	status = proc_wait(p);
	init_running = false;
	panic("init died (signal %d, exit %d)", status & 0x7f,
	    (status >> 8) & 0xff);
}
