/*
 * imgact_elf.c - the ELF image activator: turns the headers of a static
 * x86-64 ELF program into a load plan (struct exec_image).
 *
 * Everything read from the file is untrusted: every offset, size and
 * address is checked for overflow and range before use, and anything this
 * kernel cannot run faithfully is ENOEXEC rather than a guess.  ET_EXEC
 * programs load where they say; ET_DYN (static-pie) programs are moved to
 * pie_base.  A PT_INTERP program needs a dynamic linker, which the guest
 * world does not have, so it is refused.
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/exec.h"
#include "runtime/sys/elf64.h"

#define PAGE_MASK (EXEC_PAGE_SIZE - 1)

static int
check_ehdr(const struct elf64_ehdr *eh, uint64_t file_size)
{
	uint64_t phend;

	if (memcmp(eh->e_ident, ELFMAG, 4) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_ident[EI_VERSION] != EV_CURRENT ||
	    eh->e_version != EV_CURRENT || eh->e_machine != EM_X86_64)
		return (ENOEXEC);
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return (ENOEXEC);
	if (eh->e_phentsize != sizeof(struct elf64_phdr) || eh->e_phnum == 0 ||
	    eh->e_phnum > EXEC_MAXPHNUM)
		return (ENOEXEC);
	phend = eh->e_phoff + (uint64_t)eh->e_phnum * eh->e_phentsize;
	if (eh->e_phoff < sizeof(*eh) || phend < eh->e_phoff ||
	    phend > file_size)
		return (ENOEXEC);
	return (0);
}

static int
prot_of(uint32_t flags)
{
	return (((flags & PF_R) ? EXEC_PROT_READ : 0) |
	    ((flags & PF_W) ? EXEC_PROT_WRITE : 0) |
	    ((flags & PF_X) ? EXEC_PROT_EXEC : 0));
}

/* Checks one PT_LOAD against the file and the previous segment. */
static int
check_load(const struct elf64_phdr *ph, uint64_t file_size, uint64_t prev_end)
{
	uint64_t end;

	if (ph->p_filesz > ph->p_memsz || ph->p_memsz == 0)
		return (ENOEXEC);
	if (ph->p_offset > file_size || ph->p_filesz > file_size - ph->p_offset)
		return (ENOEXEC);
	/* The file offset and the address must agree modulo the page. */
	if ((ph->p_vaddr & PAGE_MASK) != (ph->p_offset & PAGE_MASK))
		return (ENOEXEC);
	if (ph->p_align > 1 && (ph->p_align & (ph->p_align - 1)) != 0)
		return (ENOEXEC);
	end = ph->p_vaddr + ph->p_memsz;
	if (end < ph->p_vaddr || end > EXEC_USER_MAX)
		return (ENOEXEC);
	/* Segments come in ascending order and do not overlap. */
	if (ph->p_vaddr < prev_end)
		return (ENOEXEC);
	return (0);
}

/* Reads the program headers and records the loads; no bias applied yet. */
static int
scan_phdrs(const struct elf64_phdr *phs, int n, uint64_t file_size,
    struct exec_image *img, uint64_t *phdr_vaddr)
{
	const struct elf64_phdr *ph;
	uint64_t prev_end = 0;
	int i, error;

	*phdr_vaddr = 0;
	for (i = 0; i < n; i++) {
		ph = &phs[i];
		switch (ph->p_type) {
		case PT_INTERP:
			return (ENOEXEC);
		case PT_PHDR:
			*phdr_vaddr = ph->p_vaddr;
			break;
		case PT_GNU_STACK:
			img->stack_exec = (ph->p_flags & PF_X) != 0;
			break;
		case PT_LOAD:
			if (img->nseg == EXEC_MAXSEGS)
				return (ENOEXEC);
			error = check_load(ph, file_size, prev_end);
			if (error != 0)
				return (error);
			prev_end = ph->p_vaddr + ph->p_memsz;
			img->seg[img->nseg++] = (struct exec_segment) {
				.vaddr = ph->p_vaddr,
				.filesz = ph->p_filesz,
				.memsz = ph->p_memsz,
				.offset = ph->p_offset,
				.prot = prot_of(ph->p_flags),
			};
			break;
		default:
			break;
		}
	}
	return (img->nseg > 0 ? 0 : ENOEXEC);
}

/* AT_PHDR without PT_PHDR: the load segment that holds the headers. */
static uint64_t
find_phdr(const struct exec_image *img, uint64_t phoff, uint64_t phsize)
{
	const struct exec_segment *s;
	int i;

	for (i = 0; i < img->nseg; i++) {
		s = &img->seg[i];
		if (phoff >= s->offset && phoff - s->offset <= s->filesz &&
		    phsize <= s->filesz - (phoff - s->offset))
			return (s->vaddr + (phoff - s->offset));
	}
	return (0);
}

static bool
entry_is_executable(const struct exec_image *img)
{
	const struct exec_segment *s;
	int i;

	for (i = 0; i < img->nseg; i++) {
		s = &img->seg[i];
		if ((s->prot & EXEC_PROT_EXEC) && img->entry >= s->vaddr &&
		    img->entry - s->vaddr < s->memsz)
			return (true);
	}
	return (false);
}

/* Moves an ET_DYN image to pie_base; checks the moved image still fits. */
static int
apply_bias(struct exec_image *img, uint64_t pie_base)
{
	uint64_t low = img->seg[0].vaddr & ~PAGE_MASK, bias, top;
	int i;

	bias = pie_base - low;
	top = img->seg[img->nseg - 1].vaddr + img->seg[img->nseg - 1].memsz;
	if (pie_base + (top - low) < pie_base ||
	    pie_base + (top - low) > EXEC_USER_MAX)
		return (ENOEXEC);
	for (i = 0; i < img->nseg; i++)
		img->seg[i].vaddr += bias;
	img->entry += bias;
	if (img->phdr != 0)
		img->phdr += bias;
	img->load_bias = bias;
	return (0);
}

int
exec_elf_load(exec_read_fn *rd, void *ctx, uint64_t file_size,
    uint64_t pie_base, struct exec_image *img)
{
	struct elf64_phdr phs[EXEC_MAXPHNUM];
	struct elf64_ehdr eh;
	const struct exec_segment *last;
	uint64_t phdr_vaddr, phsize;
	int error;

	memset(img, 0, sizeof(*img));
	if (file_size < sizeof(eh) || (pie_base & PAGE_MASK) != 0)
		return (ENOEXEC);
	if ((error = rd(ctx, 0, &eh, sizeof(eh))) != 0)
		return (error);
	if ((error = check_ehdr(&eh, file_size)) != 0)
		return (error);
	phsize = (uint64_t)eh.e_phnum * sizeof(phs[0]);
	if ((error = rd(ctx, eh.e_phoff, phs, (size_t)phsize)) != 0)
		return (error);
	error = scan_phdrs(phs, eh.e_phnum, file_size, img, &phdr_vaddr);
	if (error != 0)
		return (error);
	img->entry = eh.e_entry;
	img->phnum = eh.e_phnum;
	img->phent = eh.e_phentsize;
	img->phdr = phdr_vaddr != 0 ? phdr_vaddr :
				      find_phdr(img, eh.e_phoff, phsize);
	if (!entry_is_executable(img))
		return (ENOEXEC);
	if (eh.e_type == ET_DYN && (error = apply_bias(img, pie_base)) != 0)
		return (error);
	last = &img->seg[img->nseg - 1];
	img->brk = (last->vaddr + last->memsz + PAGE_MASK) & ~PAGE_MASK;
	return (0);
}
