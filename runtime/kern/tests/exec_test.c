/*
 * exec_test.c - unit tests of the ELF image activator and the initial
 * stack builder.
 */
#include <criterion/criterion.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/kern/exec.h"

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

/*
 * A minimal static program: the ELF header, three program headers (text
 * R+X at 0x400000 holding the headers, data RW at 0x401000 with .bss, and
 * a GNU_STACK), then 0x1100 bytes of file.
 */
struct tiny {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[3];
	uint8_t rest[0x1100 - sizeof(Elf64_Ehdr) - 3 * sizeof(Elf64_Phdr)];
};

static struct tiny t;

static void
tiny_init(void)
{
	memset(&t, 0, sizeof(t));
	memcpy(t.eh.e_ident, ELFMAG, SELFMAG);
	t.eh.e_ident[EI_CLASS] = ELFCLASS64;
	t.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	t.eh.e_ident[EI_VERSION] = EV_CURRENT;
	t.eh.e_type = ET_EXEC;
	t.eh.e_machine = EM_X86_64;
	t.eh.e_version = EV_CURRENT;
	t.eh.e_entry = 0x400100;
	t.eh.e_phoff = sizeof(Elf64_Ehdr);
	t.eh.e_ehsize = sizeof(Elf64_Ehdr);
	t.eh.e_phentsize = sizeof(Elf64_Phdr);
	t.eh.e_phnum = 3;
	t.ph[0] = (Elf64_Phdr) { .p_type = PT_LOAD,
		.p_flags = PF_R | PF_X,
		.p_offset = 0,
		.p_vaddr = 0x400000,
		.p_filesz = 0x1000,
		.p_memsz = 0x1000,
		.p_align = 0x1000 };
	t.ph[1] = (Elf64_Phdr) { .p_type = PT_LOAD,
		.p_flags = PF_R | PF_W,
		.p_offset = 0x1000,
		.p_vaddr = 0x401000,
		.p_filesz = 0x100,
		.p_memsz = 0x2345,
		.p_align = 0x1000 };
	t.ph[2] = (Elf64_Phdr) { .p_type = PT_GNU_STACK,
		.p_flags = PF_R | PF_W };
}

static int
load_tiny(struct exec_image *img)
{
	struct memfile mf = { (const uint8_t *)&t, sizeof(t) };

	return (exec_elf_load(mem_read, &mf, sizeof(t), 0x10000000, img));
}

TestSuite(elf, .init = tiny_init);

Test(elf, tiny_static_program)
{
	struct exec_image img;

	cr_assert_eq(load_tiny(&img), 0);
	cr_assert_eq(img.nseg, 2);
	cr_assert_eq(img.entry, 0x400100);
	cr_assert_eq(img.load_bias, 0);
	cr_assert_eq(img.phdr, 0x400040, "phdr %#llx",
	    (unsigned long long)img.phdr);
	cr_assert_eq(img.phnum, 3);
	cr_assert_eq(img.phent, 56);
	cr_assert_eq(img.seg[0].prot, EXEC_PROT_READ | EXEC_PROT_EXEC);
	cr_assert_eq(img.seg[1].prot, EXEC_PROT_READ | EXEC_PROT_WRITE);
	cr_assert_eq(img.seg[1].filesz, 0x100);
	cr_assert_eq(img.seg[1].memsz, 0x2345);
	cr_assert_eq(img.brk, 0x404000);
	cr_assert(!img.stack_exec);
}

Test(elf, pie_is_moved_to_the_base)
{
	struct exec_image img;

	t.eh.e_type = ET_DYN;
	t.ph[0].p_vaddr = 0;
	t.ph[1].p_vaddr = 0x1000;
	t.eh.e_entry = 0x100;
	cr_assert_eq(load_tiny(&img), 0);
	cr_assert_eq(img.load_bias, 0x10000000);
	cr_assert_eq(img.entry, 0x10000100);
	cr_assert_eq(img.seg[0].vaddr, 0x10000000);
	cr_assert_eq(img.seg[1].vaddr, 0x10001000);
	cr_assert_eq(img.phdr, 0x10000040);
	cr_assert_eq(img.brk, 0x10004000);
}

Test(elf, executable_stack_is_reported)
{
	struct exec_image img;

	t.ph[2].p_flags |= PF_X;
	cr_assert_eq(load_tiny(&img), 0);
	cr_assert(img.stack_exec);
}

/* Each refusal: one field broken, the result must be ENOEXEC. */
#define REFUSED(name, mutation)                                \
	Test(elf, refuses_##name)                              \
	{                                                      \
		struct exec_image img;                         \
                                                               \
		mutation;                                      \
		cr_assert_eq(load_tiny(&img), ENOEXEC, #name); \
	}

REFUSED(bad_magic, t.eh.e_ident[1] = 'X')
REFUSED(elf32, t.eh.e_ident[EI_CLASS] = ELFCLASS32)
REFUSED(big_endian, t.eh.e_ident[EI_DATA] = ELFDATA2MSB)
REFUSED(other_machine, t.eh.e_machine = EM_386)
REFUSED(relocatable, t.eh.e_type = ET_REL)
REFUSED(core, t.eh.e_type = ET_CORE)
REFUSED(bad_phentsize, t.eh.e_phentsize = 32)
REFUSED(no_phdrs, t.eh.e_phnum = 0)
REFUSED(too_many_phdrs, t.eh.e_phnum = 65)
REFUSED(phdrs_past_eof, t.eh.e_phoff = sizeof(t) - 8)
REFUSED(phoff_overflow, t.eh.e_phoff = UINT64_MAX - 8)
REFUSED(interpreter, t.ph[2].p_type = PT_INTERP)
REFUSED(filesz_over_memsz, t.ph[1].p_filesz = 0x3000)
REFUSED(segment_past_eof, t.ph[1].p_filesz = 0x200)
REFUSED(offset_past_eof, t.ph[1].p_offset = 0x100000)
REFUSED(misaligned_segment, t.ph[1].p_vaddr = 0x401010)
REFUSED(bad_alignment, t.ph[1].p_align = 0x1800)
REFUSED(overlapping_segments, t.ph[1].p_vaddr = 0x400000 + 0x0)
REFUSED(descending_segments,
    (t.ph[1].p_vaddr = 0x300000, t.ph[1].p_offset = 0x1000))
REFUSED(past_user_space, t.ph[1].p_vaddr = 0x7ffffffff000)
REFUSED(address_wraps,
    (t.ph[1].p_vaddr = 0xfffffffffffff000, t.ph[1].p_memsz = 0x2000))
REFUSED(entry_outside_text, t.eh.e_entry = 0x401010)
REFUSED(entry_nowhere, t.eh.e_entry = 0)
REFUSED(no_loads, (t.ph[0].p_type = PT_NOTE, t.ph[1].p_type = PT_NOTE))
REFUSED(empty_segment, t.ph[1].p_memsz = 0)

Test(elf, short_file)
{
	struct memfile mf = { (const uint8_t *)&t, 40 };
	struct exec_image img;

	cr_assert_eq(exec_elf_load(mem_read, &mf, 40, 0, &img), ENOEXEC);
}

Test(elf, read_errors_are_passed_on)
{
	struct memfile mf = { (const uint8_t *)&t, 100 };
	struct exec_image img;

	/* The file claims to be longer than what can be read. */
	cr_assert_eq(exec_elf_load(mem_read, &mf, sizeof(t), 0, &img), EIO);
}

/* The real busybox-static, compared with the host's own reading of it. */
Test(elf, busybox_static)
{
	struct exec_image img;
	struct memfile mf;
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;
	uint8_t *data;
	FILE *f;
	long len;
	int i, loads = 0;
	uint64_t top = 0;

	f = fopen("/bin/busybox", "rb");
	if (f == NULL)
		cr_skip_test("no /bin/busybox (Debian busybox-static)");
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	data = malloc((size_t)len);
	cr_assert_eq(fread(data, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	mf = (struct memfile) { data, (size_t)len };
	cr_assert_eq(exec_elf_load(mem_read, &mf, (uint64_t)len, 0, &img), 0);
	eh = (Elf64_Ehdr *)data;
	ph = (Elf64_Phdr *)(data + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		cr_assert_eq(img.seg[loads].vaddr, ph[i].p_vaddr);
		cr_assert_eq(img.seg[loads].filesz, ph[i].p_filesz);
		loads++;
		top = ph[i].p_vaddr + ph[i].p_memsz;
	}
	cr_assert_eq(img.nseg, loads);
	cr_assert_eq(img.entry, eh->e_entry);
	cr_assert_eq(img.phdr, ph[0].p_vaddr - ph[0].p_offset + eh->e_phoff);
	cr_assert_eq(img.brk, (top + 4095) & ~4095ULL);
	free(data);
}

/* --- The initial stack ------------------------------------------------ */

#define STACK_TOP 0x7ffffff00000ULL

static uint8_t stack[64 * 1024];

/* Reads a user word of the built stack. */
static uint64_t
word(uint64_t addr)
{
	uint64_t w;

	cr_assert(addr >= STACK_TOP - sizeof(stack) && addr + 8 <= STACK_TOP);
	memcpy(&w, stack + (addr - (STACK_TOP - sizeof(stack))), 8);
	return (w);
}

static const char *
str(uint64_t addr)
{
	cr_assert(addr >= STACK_TOP - sizeof(stack) && addr < STACK_TOP);
	return ((const char *)stack + (addr - (STACK_TOP - sizeof(stack))));
}

Test(stack, layout_follows_the_abi)
{
	const char *argv[] = { "sh", "-c", "echo hi", NULL };
	const char *envp[] = { "HOME=/", "PATH=/bin:/usr/bin", NULL };
	uint8_t rnd[16];
	struct exec_image img;
	struct exec_stack_args a = { argv, envp, "/bin/sh", rnd, &img, 0, 0, 0,
		0, 0 };
	uint64_t sp, p, type, val, seen = 0;
	int i;

	tiny_init();
	cr_assert_eq(load_tiny(&img), 0);
	for (i = 0; i < 16; i++)
		rnd[i] = (uint8_t)(i * 7 + 1);
	cr_assert_eq(exec_build_stack(stack, sizeof(stack), STACK_TOP, &a, &sp),
	    0);
	cr_assert_eq(sp % 16, 0, "sp %#llx", (unsigned long long)sp);
	cr_assert_eq(word(sp), 3);
	for (i = 0; i < 3; i++)
		cr_assert_str_eq(str(word(sp + 8 + 8 * i)), argv[i]);
	cr_assert_eq(word(sp + 8 * 4), 0);
	for (i = 0; i < 2; i++)
		cr_assert_str_eq(str(word(sp + 8 * (5 + i))), envp[i]);
	cr_assert_eq(word(sp + 8 * 7), 0);
	for (p = sp + 8 * 8;; p += 16) {
		type = word(p);
		val = word(p + 8);
		if (type == AT_NULL)
			break;
		cr_assert_lt(type, 64);
		seen |= 1ULL << type;
		if (type == AT_PAGESZ)
			cr_assert_eq(val, 4096);
		if (type == AT_ENTRY)
			cr_assert_eq(val, img.entry);
		if (type == AT_PHDR)
			cr_assert_eq(val, img.phdr);
		if (type == AT_PHNUM)
			cr_assert_eq(val, 3);
		if (type == AT_RANDOM)
			cr_assert_eq(memcmp(str(val), rnd, 16), 0);
		if (type == AT_EXECFN)
			cr_assert_str_eq(str(val), "/bin/sh");
		if (type == AT_PLATFORM)
			cr_assert_str_eq(str(val), "x86_64");
		cr_assert_neq(type, AT_SYSINFO_EHDR, "no vDSO is passed");
	}
	cr_assert(seen & (1ULL << AT_PHDR) && seen & (1ULL << AT_RANDOM) &&
	    seen & (1ULL << AT_PAGESZ) && seen & (1ULL << AT_ENTRY));
}

Test(stack, too_big_is_e2big)
{
	static char big[70 * 1024];
	const char *argv[] = { big, NULL };
	const char *envp[] = { NULL };
	uint8_t rnd[16] = { 0 };
	struct exec_image img;
	struct exec_stack_args a = { argv, envp, "/x", rnd, &img, 0, 0, 0, 0,
		0 };
	uint64_t sp;

	tiny_init();
	cr_assert_eq(load_tiny(&img), 0);
	memset(big, 'a', sizeof(big) - 1);
	cr_assert_eq(exec_build_stack(stack, sizeof(stack), STACK_TOP, &a, &sp),
	    E2BIG);
	/* Just too small for the words after the strings fit. */
	argv[0] = "x";
	cr_assert_eq(exec_build_stack(stack, 64, STACK_TOP, &a, &sp), E2BIG);
}
