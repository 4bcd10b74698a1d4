/*
 * elf64.h - the parts of the ELF-64 format the kernel reads, for x86-64.
 *
 * Field names follow the ELF specification; the layout is the file's
 * (little-endian, naturally aligned), checked below.
 */
#ifndef RUNTIME_SYS_ELF64_H
#define RUNTIME_SYS_ELF64_H

#include <stddef.h>
#include <stdint.h>

#define EI_NIDENT   16
#define ELFMAG	    "\177ELF"
#define EI_CLASS    4
#define ELFCLASS64  2
#define EI_DATA	    5
#define ELFDATA2LSB 1
#define EI_VERSION  6
#define EV_CURRENT  1
#define ET_EXEC	    2
#define ET_DYN	    3
#define EM_X86_64   62

#define PT_NULL	     0
#define PT_LOAD	     1
#define PT_DYNAMIC   2
#define PT_INTERP    3
#define PT_NOTE	     4
#define PT_PHDR	     6
#define PT_TLS	     7
#define PT_GNU_STACK 0x6474e551
#define PF_X	     0x1
#define PF_W	     0x2
#define PF_R	     0x4

struct elf64_ehdr {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF-64 header size");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF-64 program header");
_Static_assert(offsetof(struct elf64_ehdr, e_phoff) == 32, "e_phoff");
_Static_assert(offsetof(struct elf64_ehdr, e_phnum) == 56, "e_phnum");

/* Auxiliary vector types the kernel passes to a new program. */
#define AT_NULL	    0
#define AT_PHDR	    3
#define AT_PHENT    4
#define AT_PHNUM    5
#define AT_PAGESZ   6
#define AT_BASE	    7
#define AT_FLAGS    8
#define AT_ENTRY    9
#define AT_UID	    11
#define AT_EUID	    12
#define AT_GID	    13
#define AT_EGID	    14
#define AT_PLATFORM 15
#define AT_HWCAP    16
#define AT_CLKTCK   17
#define AT_SECURE   23
#define AT_RANDOM   25
#define AT_EXECFN   31

#endif /* RUNTIME_SYS_ELF64_H */
