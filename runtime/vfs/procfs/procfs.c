/*
 * procfs.c - /proc: the processes and a few system facts as files, in
 * the Linux formats that busybox's ps, free, uptime and mount read.
 *
 * Inode numbers encode what a node is: 1 the root, 2..15 the files of the
 * root, (pid << 8) | n the directory of a process (n = 0) and its files.
 * Contents are made when read, so they are always current; a read at an
 * offset reads that far into a fresh copy.
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/proc.h"
#include "runtime/vfs/vfs.h"
#include "runtime/vm/vm.h"

#define PROC_ROOTINO 1
#define PROC_BUF     8192

enum {
	PN_SELF = 2,
	PN_MOUNTS,
	PN_MEMINFO,
	PN_CPUINFO,
	PN_UPTIME,
	PN_VERSION,
	PN_NROOT
};
enum {
	PP_DIR,
	PP_STAT,
	PP_CMDLINE,
	PP_STATUS,
	PP_COMM,
	PP_NFILES
};

static const char *const root_names[PN_NROOT] = {
	[PN_SELF] = "self",
	[PN_MOUNTS] = "mounts",
	[PN_MEMINFO] = "meminfo",
	[PN_CPUINFO] = "cpuinfo",
	[PN_UPTIME] = "uptime",
	[PN_VERSION] = "version",
};
static const char *const pid_names[PP_NFILES] = {
	[PP_STAT] = "stat",
	[PP_CMDLINE] = "cmdline",
	[PP_STATUS] = "status",
	[PP_COMM] = "comm",
};

static const struct vnodeops procfs_vnops;

static struct proc *
pfind_any(int pid)
{
	struct proc *p;

	for (p = allproc; p != NULL; p = p->p_allnext)
		if (p->p_pid == pid)
			return (p);
	return (NULL);
}

static struct proc *
curproc(void)
{
	return (curthread != NULL ? curthread->td_proc : NULL);
}

static int
proc_vnode(struct mount *mp, uint64_t ino, struct vnode **vpp)
{
	enum vtype t = VREG;

	if ((*vpp = vfs_vget(mp, ino)) != NULL)
		return (0);
	if (ino == PROC_ROOTINO || (ino >= 256 && (ino & 0xff) == PP_DIR))
		t = VDIR;
	else if (ino == PN_SELF)
		t = VLNK;
	return (vnode_new(mp, ino, t, &procfs_vnops, NULL, vpp));
}

static int
parse_pid(const char *name, size_t len)
{
	int pid = 0;
	size_t i;

	if (len == 0 || len > 6)
		return (-1);
	for (i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return (-1);
		pid = pid * 10 + (name[i] - '0');
	}
	return (pid);
}

static int
procfs_lookup(struct vnode *dvp, const char *name, size_t len,
    struct vnode **vpp)
{
	int i, pid;

	if (len == 2 && memcmp(name, "..", 2) == 0)
		return (proc_vnode(dvp->v_mount, PROC_ROOTINO, vpp));
	if (dvp->v_ino == PROC_ROOTINO) {
		for (i = PN_SELF; i < PN_NROOT; i++)
			if (strlen(root_names[i]) == len &&
			    memcmp(root_names[i], name, len) == 0)
				return (proc_vnode(dvp->v_mount, (uint64_t)i,
				    vpp));
		if ((pid = parse_pid(name, len)) > 0 && pfind_any(pid) != NULL)
			return (proc_vnode(dvp->v_mount, (uint64_t)pid << 8,
			    vpp));
		return (ENOENT);
	}
	for (i = PP_STAT; i < PP_NFILES; i++)
		if (strlen(pid_names[i]) == len &&
		    memcmp(pid_names[i], name, len) == 0)
			return (proc_vnode(dvp->v_mount,
			    (dvp->v_ino & ~0xffULL) | (uint64_t)i, vpp));
	return (ENOENT);
}

static int
procfs_getattr(struct vnode *vp, struct vattr *va)
{
	memset(va, 0, sizeof(*va));
	va->va_type = vp->v_type;
	va->va_ino = vp->v_ino;
	va->va_mode = vp->v_type == VDIR ? 0555 :
	    vp->v_type == VLNK		 ? 0777 :
					   0444;
	va->va_nlink = vp->v_type == VDIR ? 2 : 1;
	va->va_blksize = 1024;
	if (vp->v_ino >= 256 && pfind_any((int)(vp->v_ino >> 8)) == NULL)
		return (ENOENT); /* the process is gone */
	return (0);
}

static int
procfs_readlink(struct vnode *vp, struct uio *uio)
{
	char buf[16];
	struct proc *p = curproc();
	int n;

	if (vp->v_ino != PN_SELF || p == NULL)
		return (EINVAL);
	n = ksnprintf(buf, sizeof(buf), "%d", p->p_pid);
	return (uiomove(buf, (size_t)n, uio));
}

static char
proc_state(const struct proc *p)
{
	if (p->p_state == PRS_ZOMBIE)
		return ('Z');
	if (p->p_stopped)
		return ('T');
	if (proc_lwp(p) != NULL && proc_lwp(p)->l_td.td_wchan != NULL)
		return ('S');
	return ('R');
}

/* Formats the file of ino into buf; returns its length. */
static size_t
procfs_render(uint64_t ino, char *buf, size_t size)
{
	struct mount *mp;
	struct proc *p;
	uint64_t ns, pages, freep;
	size_t len = 0, i;
	int c;

#define OUT(...)                                                        \
	do {                                                            \
		if (len < size)                                         \
			len += (size_t)ksnprintf(buf + len, size - len, \
			    __VA_ARGS__);                               \
	} while (0)
	switch (ino) {
	case PN_MOUNTS:
		for (mp = vfs_mount_first(); mp != NULL; mp = mp->mnt_next)
			OUT("%s %s %s %s 0 0\n", mp->mnt_from, mp->mnt_on,
			    mp->mnt_type->name,
			    (mp->mnt_flags & MNT_RDONLY) ? "ro" : "rw");
		return (len < size ? len : size);
	case PN_MEMINFO:
		pages = vm_page_count();
		freep = vm_page_free_count();
		OUT("MemTotal:       %8llu kB\n",
		    (unsigned long long)pages * 4);
		OUT("MemFree:        %8llu kB\n",
		    (unsigned long long)freep * 4);
		OUT("MemAvailable:   %8llu kB\n",
		    (unsigned long long)freep * 4);
		OUT("Buffers:               0 kB\nCached:                0 kB\n");
		OUT("SwapTotal:             0 kB\nSwapFree:              0 kB\n");
		return (len < size ? len : size);
	case PN_CPUINFO:
		for (c = 0; c < ncpus; c++)
			OUT("processor\t: %d\nvendor_id\t: %s\nmodel name\t: "
			    "%s virtual CPU\n\n",
			    c, VK_OSTYPE, VK_OSTYPE);
		return (len < size ? len : size);
	case PN_UPTIME:
		ns = uptime_ns();
		OUT("%llu.%02llu 0.00\n",
		    (unsigned long long)(ns / 1000000000u),
		    (unsigned long long)(ns / 10000000u % 100));
		return (len < size ? len : size);
	case PN_VERSION:
		OUT("%s", host_version);
		return (len < size ? len : size);
	default:
		break;
	}
	if (ino < 256 || (p = pfind_any((int)(ino >> 8))) == NULL)
		return (0);
	switch (ino & 0xff) {
	case PP_STAT:
		/* The 52 fields of Linux's /proc/pid/stat; times in ticks. */
		OUT("%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 %llu "
		    "0 0",
		    p->p_pid, p->p_comm, proc_state(p),
		    p->p_pptr != NULL ? p->p_pptr->p_pid : 0, p->p_pgid,
		    p->p_sid, (unsigned long long)p->p_start_ticks);
		for (i = 0; i < 27; i++)
			OUT(" 0");
		OUT("\n");
		break;
	case PP_CMDLINE:
		if (p->p_args != NULL) {
			len = p->p_argslen < size ? p->p_argslen : size;
			memcpy(buf, p->p_args, len);
		}
		break;
	case PP_STATUS: {
		uint64_t ign = 0, cgt = 0;

		for (int sig = 0; sig < SIG_NUM; sig++) {
			if (p->p_sigacts[sig].handler == 1)
				ign |= (uint64_t)1 << sig;
			else if (p->p_sigacts[sig].handler != 0)
				cgt |= (uint64_t)1 << sig;
		}
		OUT("Name:\t%s\nState:\t%c\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n"
		    "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n"
		    "Threads:\t%d\nSigPnd:\t%016llx\nSigIgn:\t%016llx\n"
		    "SigCgt:\t%016llx\n",
		    p->p_comm, proc_state(p), p->p_pid, p->p_pid,
		    p->p_pptr != NULL ? p->p_pptr->p_pid : 0, p->p_ruid,
		    p->p_euid, p->p_suid, p->p_euid, p->p_rgid, p->p_egid,
		    p->p_sgid, p->p_egid, p->p_nlwps,
		    (unsigned long long)p->p_sigpend, (unsigned long long)ign,
		    (unsigned long long)cgt);
		break;
	}
	case PP_COMM:
		OUT("%s\n", p->p_comm);
		break;
	default:
		break;
	}
#undef OUT
	return (len < size ? len : size);
}

static int
procfs_read(struct vnode *vp, struct uio *uio)
{
	size_t len;
	char *buf;
	int error;

	if (vp->v_type == VDIR)
		return (EISDIR);
	if ((buf = kmalloc(PROC_BUF)) == NULL)
		return (ENOMEM);
	len = procfs_render(vp->v_ino, buf, PROC_BUF);
	error = uio->uio_offset < len ?
	    uiomove(buf + uio->uio_offset, len - uio->uio_offset, uio) :
	    0;
	kfree(buf);
	return (error);
}

static int
procfs_readdir(struct vnode *vp, uint64_t *cookie, vfs_filldir_fn *fill,
    void *arg)
{
	static const char *const dots[] = { ".", ".." };
	struct proc *p;
	char name[16];
	uint64_t i;
	int n;

	for (;; (*cookie)++) {
		if (*cookie < 2) {
			if (fill(arg, vp->v_ino, VDIR, dots[*cookie],
				strlen(dots[*cookie]), *cookie + 1) != 0)
				return (0);
			continue;
		}
		if (vp->v_ino != PROC_ROOTINO) {
			i = *cookie - 2 + PP_STAT;
			if (i >= PP_NFILES)
				return (0);
			if (fill(arg, (vp->v_ino & ~0xffULL) | i, VREG,
				pid_names[i], strlen(pid_names[i]),
				*cookie + 1) != 0)
				return (0);
			continue;
		}
		i = *cookie - 2 + PN_SELF;
		if (i < PN_NROOT) {
			if (fill(arg, i, i == PN_SELF ? VLNK : VREG,
				root_names[i], strlen(root_names[i]),
				*cookie + 1) != 0)
				return (0);
			continue;
		}
		/* Then the processes, the n-th of allproc. */
		for (p = allproc, i -= PN_NROOT; p != NULL && i > 0; i--)
			p = p->p_allnext;
		if (p == NULL)
			return (0);
		n = ksnprintf(name, sizeof(name), "%d", p->p_pid);
		if (fill(arg, (uint64_t)p->p_pid << 8, VDIR, name, (size_t)n,
			*cookie + 1) != 0)
			return (0);
	}
}

static const struct vnodeops procfs_vnops = {
	.vop_lookup = procfs_lookup,
	.vop_getattr = procfs_getattr,
	.vop_readlink = procfs_readlink,
	.vop_read = procfs_read,
	.vop_readdir = procfs_readdir,
};

static int
procfs_mount(struct mount *mp, const char *from)
{
	(void)from;
	mp->mnt_flags |= MNT_RDONLY;
	return (proc_vnode(mp, PROC_ROOTINO, &mp->mnt_root));
}

const struct vfs_type procfs_vfstype = {
	.name = "procfs",
	.vfs_mount = procfs_mount,
};

/* Linux programs say "mount -t proc": the same file system. */
const struct vfs_type procfs_linux_vfstype = {
	.name = "proc",
	.vfs_mount = procfs_mount,
};
