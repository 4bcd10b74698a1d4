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
#define EXEC_BATCH	64 /* operations queued before they are sent */
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

/*
 * The mapping operations and copies of one exec, sent to the stub in as
 * few batches as they fit in (guest_map(): one round trip per 32
 * operations or 64 KiB of data): for a small static program the whole
 * load, old mappings gone to stack written, is one round trip.  The
 * bytes of a GUEST_WRITE stay in buf (file data) or the stack image
 * until the batch is sent.
 */
struct exec_batch {
	struct guest_space *space;
	struct guest_thread *gt;
	struct guest_map_op ops[EXEC_BATCH];
	int n;
	char *buf; /* COPY_CHUNK bytes */
	size_t used;
};

static int
eb_flush(struct exec_batch *eb)
{
	int n = eb->n;

	eb->n = 0;
	eb->used = 0;
	return (n > 0 ? guest_map(eb->space, eb->gt, eb->ops, n) : 0);
}

static int
eb_add(struct exec_batch *eb, enum guest_map_kind kind, int prot, uint64_t addr,
    uint64_t len, const void *data)
{
	int error;

	if (eb->n == EXEC_BATCH && (error = eb_flush(eb)) != 0)
		return (error);
	eb->ops[eb->n++] = (struct guest_map_op) { .kind = kind,
		.prot = prot,
		.fd = -1,
		.addr = addr,
		.len = len,
		.data = data };
	return (0);
}

/* The file bytes of a segment, read into buf and queued as copies. */
static int
copy_segment(struct exec_batch *eb, struct vnode *vp,
    const struct exec_segment *seg)
{
	uint64_t done, n;
	char *p;
	int error;

	for (done = 0; done < seg->filesz; done += n) {
		if (eb->used == COPY_CHUNK && (error = eb_flush(eb)) != 0)
			return (error);
		n = seg->filesz - done;
		if (n > COPY_CHUNK - eb->used)
			n = COPY_CHUNK - eb->used;
		p = eb->buf + eb->used;
		if ((error = vn_exec_read(vp, seg->offset + done, p, n)) != 0 ||
		    (error = eb_add(eb, GUEST_WRITE, 0, seg->vaddr + done, n,
			 p)) != 0)
			return (error);
		eb->used += n;
	}
	return (0);
}

/*
 * The segments: one read-write mapping while the bytes are copied in,
 * then the protections and the gaps.
 */
static int
load_segments(struct exec_batch *eb, struct vnode *vp,
    const struct exec_image *img)
{
	struct page_range r[2 * EXEC_MAXSEGS];
	int i, n, error;

	n = segment_ranges(img, r);
	if ((error = eb_add(eb, GUEST_MAP_ANON, PROT_RW, r[0].start,
		 r[n - 1].end - r[0].start, NULL)) != 0)
		return (error);
	for (i = 0; i < img->nseg; i++)
		if ((error = copy_segment(eb, vp, &img->seg[i])) != 0)
			return (error);
	for (i = 0; i < n; i++) {
		if ((error = eb_add(eb, GUEST_PROTECT, r[i].prot, r[i].start,
			 r[i].end - r[i].start, NULL)) != 0)
			return (error);
		if (i + 1 < n && r[i].end < r[i + 1].start &&
		    (error = eb_add(eb, GUEST_UNMAP, 0, r[i].end,
			 r[i + 1].start - r[i].end, NULL)) != 0)
			return (error);
	}
	return (0);
}

/*
 * The stack, with the argument block built in stack (STACK_IMAGE bytes,
 * the image of the top of the stack), and the last batch sent.
 */
static int
load_stack(struct exec_batch *eb, uint8_t *stack, const struct exec_image *img,
    const char *path, const char *const *argv, const char *const *envp,
    uint64_t *sp)
{
	uint8_t rnd[16];
	struct exec_stack_args a = { argv, envp, path, rnd, img, 0, 0, 0, 0,
		0 };
	uint64_t from;
	int error;

	host_random(rnd, sizeof(rnd));
	if ((error = exec_build_stack(stack, STACK_IMAGE, USER_STACK_TOP, &a,
		 sp)) != 0 ||
	    (error = eb_add(eb, GUEST_MAP_ANON, PROT_RW,
		 USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE, NULL)) != 0)
		return (error);
	/* Only the pages the block uses: the rest of the new stack is
	 * zeros already (and untouched pages cost nothing). */
	from = *sp & ~(EXEC_PAGE_SIZE - 1);
	if (from < USER_STACK_TOP - STACK_IMAGE)
		from = USER_STACK_TOP - STACK_IMAGE;
	if ((error = eb_add(eb, GUEST_WRITE, 0, from, USER_STACK_TOP - from,
		 stack + (from - (USER_STACK_TOP - STACK_IMAGE)))) != 0)
		return (error);
	return (eb_flush(eb));
}

/*
 * Loads the program into space, through its stopped thread gt; with
 * empty set, first removes every mapping but the stub's (an execve that
 * keeps its stub process: creating one costs far more than unmapping).
 */
static int
load_program(struct guest_space *space, struct guest_thread *gt, bool empty,
    struct vnode *vp, const struct exec_image *img, const char *path,
    const char *const *argv, const char *const *envp, uint64_t *sp)
{
	struct exec_batch *eb;
	uint8_t *stack = NULL;
	int error;

	if ((eb = kmalloc(sizeof(*eb))) == NULL)
		return (ENOMEM);
	eb->space = space;
	eb->gt = gt;
	eb->n = 0;
	eb->used = 0;
	if ((eb->buf = kmalloc(COPY_CHUNK)) == NULL ||
	    (stack = kmalloc(STACK_IMAGE)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	if (empty &&
	    ((error = eb_add(eb, GUEST_UNMAP, 0, PG, GUEST_STUB_BASE - PG,
		  NULL)) != 0 ||
		(error = eb_add(eb, GUEST_UNMAP, 0, GUEST_STUB_END,
		     GUEST_ADDR_MAX - GUEST_STUB_END, NULL)) != 0))
		goto out;
	if ((error = load_segments(eb, vp, img)) == 0)
		error = load_stack(eb, stack, img, path, argv, envp, sp);
out:
	kfree(stack);
	kfree(eb->buf);
	kfree(eb);
	return (error);
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
		error = load_program(p->p_space, p->p_lwps->l_gt, true,
		    nd.ni_vp, &img, path, argv, envp, &sp);
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
	    (error = load_program(space, gt, false, nd.ni_vp, &img, path, argv,
		 envp, &sp)) != 0)
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
	proc_vfork_release(p); /* the new program runs: a vfork is over */
out:
	if (gt != NULL)
		guest_thread_destroy(gt);
	if (space != NULL)
		guest_space_destroy(space);
	vrele(nd.ni_vp);
	return (error);
}
