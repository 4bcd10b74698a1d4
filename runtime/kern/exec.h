/*
 * exec.h - executable images: reading a static x86-64 ELF program into a
 * load plan, and building the initial stack of a new program.
 *
 * Both are pure: they read through a callback and write into a caller's
 * buffer, so the same code serves execve(2) in the kernel, the unit tests
 * and the fuzz target.  The address-space work (mapping the segments,
 * copying the stack in) belongs to the caller.
 */
#ifndef RUNTIME_KERN_EXEC_H
#define RUNTIME_KERN_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EXEC_MAXSEGS   16		     /* PT_LOAD segments per program */
#define EXEC_MAXPHNUM  64		     /* program headers per program */
#define EXEC_USER_MAX  0x00007ffffffff000ULL /* end of user space */
#define EXEC_PAGE_SIZE 4096ULL

/* Segment protections, as for mmap. */
#define EXEC_PROT_READ	0x1
#define EXEC_PROT_WRITE 0x2
#define EXEC_PROT_EXEC	0x4

/* One PT_LOAD segment, with the load bias applied. */
struct exec_segment {
	uint64_t vaddr;	 /* where the file bytes start */
	uint64_t filesz; /* bytes from the file ... */
	uint64_t memsz;	 /* ... then zeros up to memsz */
	uint64_t offset; /* file offset of vaddr */
	int prot;	 /* EXEC_PROT_* */
};

/* What the loader found: everything execve needs to map and start it. */
struct exec_image {
	uint64_t entry;	    /* first instruction (AT_ENTRY) */
	uint64_t load_bias; /* added to every address; 0 for ET_EXEC */
	uint64_t phdr;	    /* AT_PHDR: the program headers in memory */
	uint16_t phnum;	    /* AT_PHNUM */
	uint16_t phent;	    /* AT_PHENT */
	struct exec_segment seg[EXEC_MAXSEGS];
	int nseg;
	uint64_t brk;	 /* page-aligned end of the highest segment */
	bool stack_exec; /* PT_GNU_STACK asks for an executable stack */
};

/*
 * Reads len bytes at offset off of the program into buf.  Returns 0, or an
 * errno value (a short file is EIO).
 */
typedef int exec_read_fn(void *ctx, uint64_t off, void *buf, size_t len);

/*
 * Reads the ELF headers of a program of file_size bytes and fills *img.
 * pie_base is where a position-independent (ET_DYN) program's lowest page
 * goes; it must be page-aligned.  Returns 0, ENOEXEC for anything that is
 * not a static x86-64 ELF executable this kernel can run (bad magic,
 * class, machine, type, program headers, segments, or a PT_INTERP: there
 * is no dynamic linker), or the error of rd.
 */
int exec_elf_load(exec_read_fn *rd, void *ctx, uint64_t file_size,
    uint64_t pie_base, struct exec_image *img);

/* What goes onto a new program's stack. */
struct exec_stack_args {
	const char *const *argv; /* NULL-terminated */
	const char *const *envp; /* NULL-terminated */
	const char *execfn;	 /* AT_EXECFN: the path executed */
	const uint8_t *random;	 /* AT_RANDOM: 16 bytes */
	const struct exec_image *img;
	uint32_t uid, euid, gid, egid;
	uint64_t hwcap; /* AT_HWCAP */
};

/*
 * Builds the initial stack of a new program in buf, which stands for the
 * user addresses [stack_top - size, stack_top): from the top, the strings
 * (execfn, environment, arguments, "x86_64"), the 16 random bytes, then,
 * 16-byte aligned, argc, the argv and envp pointer arrays and the
 * auxiliary vector.  Sets *sp to the user address of argc (16-byte
 * aligned, as the x86-64 ABI wants at entry).  Returns 0, or E2BIG when it
 * does not fit.
 */
int exec_build_stack(uint8_t *buf, size_t size, uint64_t stack_top,
    const struct exec_stack_args *args, uint64_t *sp);

#endif /* RUNTIME_KERN_EXEC_H */
