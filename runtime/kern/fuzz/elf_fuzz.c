/*
 * elf_fuzz.c - libFuzzer target for the ELF image activator and the
 * initial stack builder.
 *
 * The input is the program file.  When the activator accepts it, the plan
 * must keep its promises (segments inside user space, ascending, filesz <=
 * memsz, the entry in an executable segment) and the stack builder must
 * accept it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/kern/exec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct memfile {
	const uint8_t *p;
	size_t len;
};

static int
mem_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct memfile *mf = ctx;

	if (off > mf->len || len > mf->len - off)
		return (EIO);
	memcpy(buf, mf->p + off, len);
	return (0);
}

static void
check_plan(const struct exec_image *img)
{
	const struct exec_segment *s;
	uint64_t prev = 0;
	int i, entry_ok = 0;

	if (img->nseg < 1 || img->nseg > EXEC_MAXSEGS)
		abort();
	for (i = 0; i < img->nseg; i++) {
		s = &img->seg[i];
		if (s->filesz > s->memsz || s->vaddr < prev ||
		    s->vaddr + s->memsz > EXEC_USER_MAX ||
		    s->vaddr + s->memsz < s->vaddr)
			abort();
		prev = s->vaddr + s->memsz;
		if ((s->prot & EXEC_PROT_EXEC) && img->entry >= s->vaddr &&
		    img->entry < prev)
			entry_ok = 1;
	}
	if (!entry_ok || img->brk < prev || img->brk % EXEC_PAGE_SIZE)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t stack[16384];
	const char *argv[] = { "prog", "arg", NULL };
	const char *envp[] = { "A=1", NULL };
	uint8_t rnd[16] = { 0 };
	struct memfile mf = { data, size };
	struct exec_image img;
	struct exec_stack_args a = { argv, envp, "/prog", rnd, &img, 0, 0, 0, 0,
		0 };
	uint64_t sp;

	if (exec_elf_load(mem_read, &mf, size, 0x10000000, &img) != 0)
		return (0);
	check_plan(&img);
	if (exec_build_stack(stack, sizeof(stack), EXEC_USER_MAX, &a, &sp) !=
		0 ||
	    sp % 16 != 0)
		abort();
	return (0);
}
