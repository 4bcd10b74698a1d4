/*
 * sys_mem.c - the memory calls: brk, mmap (anonymous memory, and private
 * copies of files), munmap and mprotect.
 *
 * Guest memory is memory of the guest's stub process, mapped through the
 * backend (guest_map); requests are first weighed against -m
 * (vm_request, kern_oom.c).  mmap(NULL) hands out addresses downwards
 * from MMAP_BASE.  Shared anonymous memory is the stub's own shared
 * memory (GUEST_MAP_SHARED_ANON), which stays shared with the processes
 * forked from it, as in Linux.  XXX Addresses are not reused after munmap
 * (no map of the address space is kept); shared writable file mappings
 * answer ENODEV.
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/file.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/syscall_private.h"
#include "runtime/sys/linux_fcntl.h"

#define PG_MASK		       4095ULL
#define LT_PROT_MASK	       0x7
#define LT_MAP_SHARED	       0x01
#define LT_MAP_PRIVATE	       0x02
#define LT_MAP_SHARED_VALIDATE 0x03
#define LT_MAP_TYPE	       0x0f
#define LT_MAP_FIXED	       0x10
#define LT_MAP_ANON	       0x20
#define MAP_CHUNK	       65536
#define BRK_MAX		       (1ULL << 30)

static int
map_one(struct lwp *l, enum guest_map_kind kind, int prot, uint64_t addr,
    uint64_t len)
{
	struct guest_map_op op = { .kind = kind,
		.prot = prot,
		.fd = -1,
		.addr = addr,
		.len = len };

	return (guest_map(l->l_proc->p_space, l->l_gt, &op, 1));
}

int64_t
sys_brk(struct lwp *l, const uint64_t *a)
{
	struct proc *p = l->l_proc;
	uint64_t want = a[0], cur, next;

	cur = (p->p_brk + PG_MASK) & ~PG_MASK;
	next = (want + PG_MASK) & ~PG_MASK;
	if (want < p->p_brk_base || want - p->p_brk_base > BRK_MAX)
		return ((int64_t)p->p_brk);
	if (next > cur &&
	    (vm_request(next - cur) != 0 ||
		map_one(l, GUEST_MAP_ANON, 3, cur, next - cur) != 0))
		return ((int64_t)p->p_brk);
	if (next < cur && map_one(l, GUEST_UNMAP, 0, next, cur - next) != 0)
		return ((int64_t)p->p_brk);
	p->p_brk = want;
	return ((int64_t)want);
}

/* mmap's argument checks, in Linux's order after the descriptor. */
static int
mmap_checks(struct file *fp, uint64_t ulen, uint64_t len, int flags, int prot)
{
	struct vnode *vp;

	if (ulen == 0 || len < ulen)
		return (EINVAL);
	switch (flags & LT_MAP_TYPE) {
	case LT_MAP_SHARED:
	case LT_MAP_PRIVATE:
	case LT_MAP_SHARED_VALIDATE:
		break;
	default:
		return (EINVAL);
	}
	if (fp == NULL)
		return (0);
	if (fp->f_ops != &vnops_file)
		return (EACCES); /* a pipe */
	vp = fp->f_data;
	if (vp->v_type != VREG)
		return (vp->v_type == VDIR ? ENODEV : EACCES);
	if ((fp->f_flag & LT_O_ACCMODE) == LT_O_WRONLY)
		return (EACCES);
	/* XXX A shared writable file mapping would need the page cache to
	 * write back; a shared read-only one is a copy nobody can tell. */
	if ((flags & LT_MAP_SHARED) && (prot & 2))
		return (ENODEV);
	return (0);
}

/*
 * A private mapping of a file: anonymous memory holding a copy of the
 * file from offset off (zeros past its end), then given prot.
 */
static int
map_file(struct lwp *l, struct file *fp, uint64_t addr, uint64_t len,
    uint64_t off, int prot)
{
	struct vnode *vp = fp->f_data;
	struct uio uio;
	char *buf;
	uint64_t done;
	size_t n;
	int error;

	if ((error = map_one(l, GUEST_MAP_ANON, 3, addr, len)) != 0)
		return (error);
	if ((buf = kmalloc(MAP_CHUNK)) == NULL)
		return (ENOMEM);
	for (done = 0; done < len && error == 0; done += MAP_CHUNK) {
		uio_init_kernel(&uio, UIO_READ, buf, MAP_CHUNK, off + done);
		if ((error = VOP_READ(vp, &uio)) != 0 || uio.uio_done == 0)
			break;
		n = uio.uio_done;
		if (n > len - done)
			n = (size_t)(len - done);
		error = copyout(l, buf, addr + done, n);
		if (uio.uio_done < MAP_CHUNK)
			break; /* the end of the file */
	}
	kfree(buf);
	if (error == 0 && prot != 3)
		error = map_one(l, GUEST_PROTECT, prot, addr, len);
	return (error);
}

int64_t
sys_mmap(struct lwp *l, const uint64_t *a)
{
	struct proc *p = l->l_proc;
	uint64_t addr = a[0], len = (a[1] + PG_MASK) & ~PG_MASK;
	int prot = (int)a[2], flags = (int)a[3], error;
	struct file *fp = NULL;

	/* Linux's order: the offset, the descriptor, the length, the type;
	 * protection bits it does not know are ignored (not by mprotect). */
	if ((a[5] & PG_MASK) != 0)
		return (-EINVAL);
	if (!(flags & LT_MAP_ANON) && fd_get(p->p_fd, (int)a[4], &fp) != 0)
		return (-EBADF);
	error = mmap_checks(fp, a[1], len, flags, prot);
	if (error == 0)
		error = vm_request(len); /* more than there is: at once */
	if (error == 0) {
		prot &= LT_PROT_MASK;
		if (flags & LT_MAP_FIXED) {
			if ((addr & PG_MASK) != 0 || !guest_range_ok(addr, len))
				error = EINVAL;
		} else if (len > p->p_mmap_next ||
		    !guest_range_ok(p->p_mmap_next - len, len))
			error = ENOMEM;
		else
			addr = p->p_mmap_next -= len;
	}
	if (error == 0)
		error = fp == NULL ?
		    map_one(l,
			(flags & LT_MAP_SHARED) ? GUEST_MAP_SHARED_ANON :
						  GUEST_MAP_ANON,
			prot, addr, len) :
		    map_file(l, fp, addr, len, a[5], prot);
	if (fp != NULL)
		fdrop(fp);
	return (error != 0 ? -error : (int64_t)addr);
}

int64_t
sys_munmap(struct lwp *l, const uint64_t *a)
{
	uint64_t len = (a[1] + PG_MASK) & ~PG_MASK;

	if ((a[0] & PG_MASK) != 0 || a[1] == 0 || !guest_range_ok(a[0], len))
		return (-EINVAL);
	return (-map_one(l, GUEST_UNMAP, 0, a[0], len));
}

int64_t
sys_mprotect(struct lwp *l, const uint64_t *a)
{
	uint64_t len = (a[1] + PG_MASK) & ~PG_MASK;

	if ((a[0] & PG_MASK) != 0 || ((int)a[2] & ~LT_PROT_MASK) != 0 ||
	    !guest_range_ok(a[0], len))
		return (-EINVAL);
	return (-map_one(l, GUEST_PROTECT, (int)a[2], a[0], len));
}
