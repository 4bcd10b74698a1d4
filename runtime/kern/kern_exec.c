/*
 * kern_exec.c - loading a program into a new address space (execve).
 *
 * The ELF activator gives the plan; here the plan becomes guest memory:
 * one anonymous read-write mapping spans the segments while the file
 * bytes are copied in, then every page gets its segment's protection (a
 * page two segments share gets both) and the gaps between segments are
 * unmapped.  The stack is an 8 MiB anonymous mapping under the top of
 * user space whose highest part receives the argument block built by
 * exec_build_stack().  The kernel's execve never runs the host's.
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/exec.h"
#include "runtime/kern/file.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/proc.h"

#define USER_STACK_TOP	0x7ffffffff000ULL
#define USER_STACK_SIZE (8ULL << 20)
#define STACK_IMAGE	(128 * 1024) /* argument block, at most */
#define PIE_BASE	0x555555554000ULL
#define MMAP_BASE	0x7f0000000000ULL /* mmap(NULL) grows down from here */
#define COPY_CHUNK	(64 * 1024)
#define PG		EXEC_PAGE_SIZE
#define PROT_RW		(EXEC_PROT_READ | EXEC_PROT_WRITE)

static int
vn_exec_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct uio uio;
	int error;

	uio_init_kernel(&uio, UIO_READ, buf, len, off);
	if ((error = VOP_READ((struct vnode *)ctx, &uio)) != 0)
		return (error);
	return (uio.uio_done == len ? 0 : EIO);
}

struct page_range {
	uint64_t start, end;
	int prot;
};

/*
 * The page ranges of the segments.  Segments are ascending and their bytes
 * do not overlap (the activator checked), so two segments share at most
 * one page, which gets both protections.
 */
static int
segment_ranges(const struct exec_image *img, struct page_range *r)
{
	uint64_t s, e, shared_end;
	int i, n = 0, prot, shared_prot;

	for (i = 0; i < img->nseg; i++) {
		s = img->seg[i].vaddr & ~(PG - 1);
		e = (img->seg[i].vaddr + img->seg[i].memsz + PG - 1) &
		    ~(PG - 1);
		prot = img->seg[i].prot;
		if (n > 0 && s < r[n - 1].end) {
			shared_end = r[n - 1].end;
			shared_prot = r[n - 1].prot | prot;
			if (r[n - 1].start == s)
				r[n - 1].prot = shared_prot;
			else {
				r[n - 1].end = s;
				r[n++] = (struct page_range) { s, shared_end,
					shared_prot };
			}
			s = shared_end;
		}
		if (s < e)
			r[n++] = (struct page_range) { s, e, prot };
	}
	return (n);
}

static int
copy_segment(struct guest_space *space, struct guest_thread *gt,
    struct vnode *vp, const struct exec_segment *seg, char *buf)
{
	uint64_t done, n;
	int error;

	for (done = 0; done < seg->filesz; done += n) {
		n = seg->filesz - done < COPY_CHUNK ? seg->filesz - done :
						      COPY_CHUNK;
		if ((error = vn_exec_read(vp, seg->offset + done, buf, n)) !=
			0 ||
		    (error = guest_write(space, gt, seg->vaddr + done, buf,
			 n)) != 0)
			return (error);
	}
	return (0);
}

static int
load_segments(struct guest_space *space, struct guest_thread *gt,
    struct vnode *vp, const struct exec_image *img)
{
	struct page_range r[2 * EXEC_MAXSEGS];
	struct guest_map_op op, ops[4 * EXEC_MAXSEGS];
	char *buf;
	int i, n, nops, error;

	n = segment_ranges(img, r);
	op = (struct guest_map_op) { GUEST_MAP_ANON, PROT_RW, -1, r[0].start,
		r[n - 1].end - r[0].start, 0 };
	if ((error = guest_map(space, gt, &op, 1)) != 0)
		return (error);
	if ((buf = kmalloc(COPY_CHUNK)) == NULL)
		return (ENOMEM);
	for (i = 0, error = 0; i < img->nseg && error == 0; i++)
		error = copy_segment(space, gt, vp, &img->seg[i], buf);
	kfree(buf);
	if (error != 0)
		return (error);
	/* The protections and the gaps, in one batch (one round trip). */
	for (i = 0, nops = 0; i < n; i++) {
		ops[nops++] = (struct guest_map_op) { GUEST_PROTECT, r[i].prot,
			-1, r[i].start, r[i].end - r[i].start, 0 };
		if (i + 1 < n && r[i].end < r[i + 1].start)
			ops[nops++] = (struct guest_map_op) { GUEST_UNMAP, 0,
				-1, r[i].end, r[i + 1].start - r[i].end, 0 };
	}
	return (guest_map(space, gt, ops, nops));
}

static int
load_stack(struct guest_space *space, struct guest_thread *gt,
    const struct exec_image *img, const char *path, const char *const *argv,
    const char *const *envp, uint64_t *sp)
{
	struct guest_map_op op = { GUEST_MAP_ANON, PROT_RW, -1,
		USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE, 0 };
	uint8_t rnd[16], *buf;
	struct exec_stack_args a = { argv, envp, path, rnd, img, 0, 0, 0, 0,
		0 };
	int error;

	if ((error = guest_map(space, gt, &op, 1)) != 0)
		return (error);
	if ((buf = kmalloc(STACK_IMAGE)) == NULL)
		return (ENOMEM);
	host_random(rnd, sizeof(rnd));
	error = exec_build_stack(buf, STACK_IMAGE, USER_STACK_TOP, &a, sp);
	if (error == 0) {
		/* Only the pages the block uses: the rest of the new stack
		 * is zeros already (and untouched pages cost nothing). */
		uint64_t from = *sp & ~(EXEC_PAGE_SIZE - 1);

		if (from < USER_STACK_TOP - STACK_IMAGE)
			from = USER_STACK_TOP - STACK_IMAGE;
		error = guest_write(space, gt, from,
		    buf + (from - (USER_STACK_TOP - STACK_IMAGE)),
		    (size_t)(USER_STACK_TOP - from));
	}
	kfree(buf);
	return (error);
}

/* Empties p's address space (all but the stub) and loads the program. */
static int
reuse_space(struct proc *p, struct vnode *vp, const struct exec_image *img,
    const char *path, const char *const *argv, const char *const *envp,
    uint64_t *sp)
{
	struct guest_thread *gt = p->p_lwps->l_gt;
	struct guest_map_op ops[2] = {
		{ GUEST_UNMAP, 0, -1, PG, GUEST_STUB_BASE - PG, 0 },
		{ GUEST_UNMAP, 0, -1, GUEST_STUB_END,
		    GUEST_ADDR_MAX - GUEST_STUB_END, 0 },
	};
	int error;

	if ((error = guest_map(p->p_space, gt, ops, 2)) != 0 ||
	    (error = load_segments(p->p_space, gt, vp, img)) != 0)
		return (error);
	return (load_stack(p->p_space, gt, img, path, argv, envp, sp));
}

/* Keeps argv for /proc/<pid>/cmdline (at most a page of it). */
static void
save_args(struct proc *p, const char *const *argv)
{
	size_t len = 0, n, i;
	char *buf;

	if ((buf = kmalloc(EXEC_PAGE_SIZE)) == NULL)
		return;
	for (i = 0; argv[i] != NULL && len < EXEC_PAGE_SIZE; i++) {
		n = strlen(argv[i]) + 1;
		if (n > EXEC_PAGE_SIZE - len)
			n = EXEC_PAGE_SIZE - len;
		memcpy(buf + len, argv[i], n);
		len += n;
	}
	kfree(p->p_args);
	p->p_args = buf;
	p->p_argslen = len;
}

static const char *
basename_of(const char *path)
{
	const char *b = strrchr(path, '/');

	return (b != NULL ? b + 1 : path);
}

int
proc_exec(struct proc *p, const char *path, const char *const *argv,
    const char *const *envp)
{
	struct nameidata nd = { .ni_path = path,
		.ni_flags = NAMEI_FOLLOW,
		.ni_search = vn_search,
		.ni_searcharg = p };
	struct guest_space_config cfg = { 0 };
	struct guest_space *space = NULL;
	struct guest_thread *gt = NULL;
	struct exec_image img;
	struct vattr va;
	struct lwp *l;
	uint64_t sp = 0;
	int error;

	nd.ni_startdir = p->p_fd->fd_cdir;
	nd.ni_rootdir = p->p_fd->fd_rdir;
	if ((error = namei(&nd)) != 0)
		return (error);
	if ((error = VOP_GETATTR(nd.ni_vp, &va)) != 0)
		goto out;
	if (va.va_type != VREG ||
	    (error = vaccess_cred(&va, p->p_euid, p, VACCESS_EXEC)) != 0) {
		error = EACCES;
		goto out;
	}
	error = exec_elf_load(vn_exec_read, nd.ni_vp, va.va_size, PIE_BASE,
	    &img);
	if (error != 0)
		goto out;
	if (p->p_lwps != NULL) { /* a running process: its space exists */
		/* Its other threads end first (the caller is curthread). */
		if ((error = proc_single_thread((struct lwp *)curthread)) != 0)
			goto out;
		/*
		 * execve(2): the stub process stays, emptied of the old
		 * program (creating a stub costs far more than unmapping).
		 * From here on a failure cannot return to the old image: the
		 * process is killed, as Linux does past its point of no
		 * return.
		 */
		error = reuse_space(p, nd.ni_vp, &img, path, argv, envp, &sp);
		if (error != 0) {
			proc_exit(p, 9); /* as if by SIGKILL */
			goto out;
		}
		l = p->p_lwps;
		goto loaded;
	}
	if ((error = guest_space_create(&guest_systrap_ops, &cfg, &space)) !=
		0 ||
	    (error = guest_thread_create(space, &gt)) != 0 ||
	    (error = load_segments(space, gt, nd.ni_vp, &img)) != 0 ||
	    (error = load_stack(space, gt, &img, path, argv, envp, &sp)) != 0)
		goto out;
	/* The first program of a new process (execve went the way above). */
	if ((l = kmalloc(sizeof(*l))) == NULL) {
		error = ENOMEM;
		goto out;
	}
	memset(l, 0, sizeof(*l));
	l->l_proc = p;
	l->l_tid = p->p_pid;
	p->p_lwps = l;
	p->p_nlwps = 1;
	p->p_space = space;
	l->l_gt = gt;
	space = NULL;
	gt = NULL;
loaded:
	memset(&l->l_regs, 0, sizeof(l->l_regs));
	l->l_regs.rip = img.entry;
	l->l_regs.rsp = sp;
	l->l_regs.rflags = 0x202;
	save_args(p, argv);
	/* Caught signals go back to their default; ignored stay ignored. */
	for (int sig = 1; sig <= SIG_NUM; sig++)
		if (signal_caught(p, sig))
			memset(&p->p_sigacts[sig - 1], 0,
			    sizeof(p->p_sigacts[0]));
	p->p_brk_base = p->p_brk = img.brk;
	p->p_mmap_next = MMAP_BASE;
	strncpy(p->p_comm, basename_of(path), sizeof(p->p_comm) - 1);
	fd_close_exec(p->p_fd);
out:
	if (gt != NULL)
		guest_thread_destroy(gt);
	if (space != NULL)
		guest_space_destroy(space);
	vrele(nd.ni_vp);
	return (error);
}
