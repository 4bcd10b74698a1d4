/*
 * kern_exec_stack.c - the initial stack of a new program, as the x86-64
 * System V ABI and Linux lay it out.
 *
 * From the top of the stack down: the strings (AT_EXECFN's path, the
 * environment, the arguments, the AT_PLATFORM string), the 16 AT_RANDOM
 * bytes, then, with the stack pointer 16-byte aligned, argc, argv[] and
 * NULL, envp[] and NULL, and the auxiliary vector ending in AT_NULL.
 * There is no vDSO: AT_SYSINFO_EHDR is never passed, so libc makes real
 * system calls for the time, which the kernel answers.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "runtime/kern/exec.h"
#include "runtime/sys/elf64.h"

#define AUXV_MAX 20

static size_t
count(const char *const *v)
{
	size_t n = 0;

	while (v != NULL && v[n] != NULL)
		n++;
	return (n);
}

/* Bytes the strings of v take with their NULs; false on overflow. */
static bool
strings_size(const char *const *v, size_t n, size_t *total)
{
	size_t i, len;

	for (i = 0; i < n; i++) {
		len = strlen(v[i]) + 1;
		if (*total + len < *total)
			return (false);
		*total += len;
	}
	return (true);
}

static size_t
fill_auxv(uint64_t *auxv, const struct exec_stack_args *a, uint64_t random,
    uint64_t platform, uint64_t execfn)
{
	const struct exec_image *img = a->img;
	size_t n = 0;

#define AUX(type, value)                       \
	do {                                   \
		auxv[n++] = (type);            \
		auxv[n++] = (uint64_t)(value); \
	} while (0)
	AUX(AT_PHDR, img->phdr);
	AUX(AT_PHENT, img->phent);
	AUX(AT_PHNUM, img->phnum);
	AUX(AT_PAGESZ, EXEC_PAGE_SIZE);
	AUX(AT_BASE, 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, img->entry);
	AUX(AT_UID, a->uid);
	AUX(AT_EUID, a->euid);
	AUX(AT_GID, a->gid);
	AUX(AT_EGID, a->egid);
	AUX(AT_SECURE, 0);
	AUX(AT_HWCAP, a->hwcap);
	AUX(AT_CLKTCK, 100);
	AUX(AT_PLATFORM, platform);
	AUX(AT_RANDOM, random);
	AUX(AT_EXECFN, execfn);
	AUX(AT_NULL, 0);
#undef AUX
	return (n);
}

/* The stack buffer seen through user addresses. */
struct stack_image {
	uint8_t *buf;
	uint64_t base; /* user address of buf[0] */
};

static void
put(const struct stack_image *si, uint64_t addr, const void *p, size_t len)
{
	memcpy(si->buf + (addr - si->base), p, len);
}

static void
put_word(const struct stack_image *si, uint64_t addr, uint64_t w)
{
	put(si, addr, &w, sizeof(w));
}

/* Copies the n strings of v upward from *str, their pointers from *ptr. */
static void
put_vector(const struct stack_image *si, const char *const *v, size_t n,
    uint64_t *str, uint64_t *ptr)
{
	size_t i, len;

	for (i = 0; i < n; i++) {
		len = strlen(v[i]) + 1;
		put(si, *str, v[i], len);
		put_word(si, *ptr, *str);
		*str += len;
		*ptr += 8;
	}
	put_word(si, *ptr, 0);
	*ptr += 8;
}

int
exec_build_stack(uint8_t *buf, size_t size, uint64_t stack_top,
    const struct exec_stack_args *args, uint64_t *sp)
{
	struct stack_image si = { buf, stack_top - size };
	uint64_t auxv[2 * AUXV_MAX], strbase, random, execfn, platform;
	uint64_t bottom, str, ptr;
	size_t argc, envc, nauxv, nwords, strsize = 0, i;

	argc = count(args->argv);
	envc = count(args->envp);
	if (!strings_size(args->argv, argc, &strsize) ||
	    !strings_size(args->envp, envc, &strsize) ||
	    !strings_size(&args->execfn, 1, &strsize))
		return (E2BIG);
	strsize += sizeof("x86_64");
	/* Strings at the top, the random bytes under them, then the words. */
	if (strsize + 16 > size)
		return (E2BIG);
	strbase = stack_top - strsize;
	random = strbase - 16;
	nwords = 1 + (argc + 1) + (envc + 1) + 2 * AUXV_MAX;
	if (nwords * 8 + 16 > random - si.base)
		return (E2BIG);
	str = strbase;
	execfn = str;
	put(&si, str, args->execfn, strlen(args->execfn) + 1);
	str += strlen(args->execfn) + 1;
	platform = str;
	put(&si, str, "x86_64", sizeof("x86_64"));
	str += sizeof("x86_64");
	put(&si, random, args->random, 16);
	nauxv = fill_auxv(auxv, args, random, platform, execfn);

	nwords = 1 + (argc + 1) + (envc + 1) + nauxv;
	bottom = (random - nwords * 8) & ~(uint64_t)15;
	put_word(&si, bottom, argc);
	ptr = bottom + 8;
	put_vector(&si, args->argv, argc, &str, &ptr);
	put_vector(&si, args->envp, envc, &str, &ptr);
	for (i = 0; i < nauxv; i++, ptr += 8)
		put_word(&si, ptr, auxv[i]);
	*sp = bottom;
	return (0);
}
