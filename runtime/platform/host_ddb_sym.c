/*
 * host_ddb_sym.c - symbol names for the kernel debugger.
 *
 * The kernel binary's own symbol table (.symtab, which also names static
 * functions and variables) is read from /proc/self/exe, mapped read-only
 * once by host_ddb_sym_init().  Addresses outside the binary, and names
 * the table does not have, go to the dynamic linker (dladdr(3), dlsym(3));
 * the kernel is linked with -rdynamic so that those work for its global
 * symbols even when the binary has been stripped.
 */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/platform/platform.h"

static const Elf64_Sym *sym_tab; /* NULL when the binary has no .symtab */
static size_t sym_count;
static const char *sym_str;
static size_t sym_strsize;
static uintptr_t sym_bias; /* load address minus link address */

/* Checks that [off, off + len) lies within a file of size bytes. */
static bool
sym_fits(uint64_t off, uint64_t len, uint64_t size)
{
	return (off <= size && len <= size - off);
}

/* Finds .symtab and its string table in the mapped image. */
static void
sym_parse(const unsigned char *img, uint64_t size)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
	const Elf64_Shdr *sh, *st;
	Dl_info info;
	int i;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !sym_fits(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(*sh), size))
		return;
	sh = (const Elf64_Shdr *)(img + eh->e_shoff);
	for (i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
			continue;
		st = &sh[sh[i].sh_link];
		if (!sym_fits(sh[i].sh_offset, sh[i].sh_size, size) ||
		    !sym_fits(st->sh_offset, st->sh_size, size) ||
		    st->sh_size == 0)
			return;
		sym_tab = (const Elf64_Sym *)(img + sh[i].sh_offset);
		sym_count = sh[i].sh_size / sizeof(Elf64_Sym);
		sym_str = (const char *)(img + st->sh_offset);
		sym_strsize = st->sh_size;
		break;
	}
	/* A position-independent kernel is linked at 0 and loaded anywhere. */
	if (eh->e_type == ET_DYN && dladdr((void *)sym_parse, &info) != 0)
		sym_bias = (uintptr_t)info.dli_fbase;
}

void
host_ddb_sym_init(void)
{
	struct stat sb;
	void *img;
	int fd;

	if (sym_tab != NULL)
		return;
	if ((fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC)) < 0)
		return;
	if (fstat(fd, &sb) == 0 && sb.st_size > 0) {
		img = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd,
		    0);
		if (img != MAP_FAILED)
			sym_parse(img, (uint64_t)sb.st_size);
	}
	close(fd);
}

/* The name of symbol s, or NULL if it is not a usable definition. */
static const char *
sym_name_of(const Elf64_Sym *s)
{
	int type = ELF64_ST_TYPE(s->st_info);

	if (s->st_shndx == SHN_UNDEF || s->st_value == 0 ||
	    (type != STT_FUNC && type != STT_OBJECT) ||
	    s->st_name >= sym_strsize || sym_str[s->st_name] == '\0')
		return (NULL);
	if (memchr(sym_str + s->st_name, '\0', sym_strsize - s->st_name) ==
	    NULL)
		return (NULL);
	return (sym_str + s->st_name);
}

int
host_ddb_sym_value(const char *name, uintptr_t *valuep)
{
	const Elf64_Sym *best = NULL;
	const char *n;
	void *p;
	size_t i;

	for (i = 0; i < sym_count; i++) {
		if ((n = sym_name_of(&sym_tab[i])) == NULL ||
		    strcmp(n, name) != 0)
			continue;
		/* A global definition wins over statics of the same name. */
		if (best == NULL ||
		    ELF64_ST_BIND(sym_tab[i].st_info) == STB_GLOBAL)
			best = &sym_tab[i];
	}
	if (best != NULL) {
		*valuep = (uintptr_t)best->st_value + sym_bias;
		return (0);
	}
	dlerror();
	p = dlsym(RTLD_DEFAULT, name);
	if (p == NULL || dlerror() != NULL)
		return (ENOENT);
	*valuep = (uintptr_t)p;
	return (0);
}

/* The symbol of the kernel binary containing addr, or NULL. */
static const Elf64_Sym *
sym_containing(uintptr_t addr)
{
	const Elf64_Sym *best = NULL, *s;
	uintptr_t start, size;
	size_t i;

	for (i = 0; i < sym_count; i++) {
		s = &sym_tab[i];
		if (sym_name_of(s) == NULL)
			continue;
		start = (uintptr_t)s->st_value + sym_bias;
		size = s->st_size != 0 ? (uintptr_t)s->st_size : 1;
		if (addr < start || addr - start >= size)
			continue;
		if (best == NULL || s->st_value > best->st_value)
			best = s;
	}
	return (best);
}

int
host_ddb_sym_name(uintptr_t addr, char *buf, size_t size, uintptr_t *offp)
{
	const Elf64_Sym *s;
	const char *base;
	Dl_info info;

	if ((s = sym_containing(addr)) != NULL) {
		snprintf(buf, size, "%s", sym_name_of(s));
		*offp = addr - ((uintptr_t)s->st_value + sym_bias);
		return (0);
	}
	if (dladdr((void *)addr, &info) == 0)
		return (ENOENT);
	if (info.dli_sname != NULL && info.dli_saddr != NULL) {
		snprintf(buf, size, "%s", info.dli_sname);
		*offp = addr - (uintptr_t)info.dli_saddr;
		return (0);
	}
	if (info.dli_fname == NULL || info.dli_fname[0] == '\0')
		return (ENOENT);
	/* Inside a library, at no symbol it exports: name the library. */
	base = strrchr(info.dli_fname, '/');
	snprintf(buf, size, "%s", base != NULL ? base + 1 : info.dli_fname);
	*offp = addr - (uintptr_t)info.dli_fbase;
	return (0);
}
