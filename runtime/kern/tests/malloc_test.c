/*
 * malloc_test.c - unit tests of the kernel memory allocator.
 */
#include <criterion/criterion.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/vm/vm.h"

static jmp_buf panic_env;
static char panic_msg[256];

_Noreturn void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
	va_end(ap);
	longjmp(panic_env, 1);
}

#define MEM (4 << 20)
static void *mem;

static void
setup(void)
{
	mem = aligned_alloc(PAGE_SIZE, MEM);
	cr_assert_not_null(mem);
	memset(mem, 0xee, MEM);
	vm_page_init(mem, MEM);
	kmalloc_init();
}

static void
teardown(void)
{
	free(mem);
}

TestSuite(kmalloc, .init = setup, .fini = teardown);

Test(kmalloc, sizes_are_aligned_zeroed_and_inside_the_image)
{
	size_t sizes[] = { 1, 15, 16, 17, 100, 1000, 2032, 2033, 4096, 20000 };
	unsigned char *p;
	size_t i, j;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p = kmalloc(sizes[i]);
		cr_assert_not_null(p, "size %zu", sizes[i]);
		cr_assert_eq((uintptr_t)p % 16, 0);
		cr_assert((char *)p > (char *)mem &&
		    (char *)p + sizes[i] <= (char *)mem + MEM);
		for (j = 0; j < sizes[i]; j++)
			cr_assert_eq(p[j], 0, "size %zu byte %zu", sizes[i], j);
		memset(p, 0x5a, sizes[i]);
	}
}

Test(kmalloc, chunks_do_not_overlap)
{
	unsigned char *p[200];
	int i, j;

	for (i = 0; i < 200; i++) {
		p[i] = kmalloc(48);
		cr_assert_not_null(p[i]);
		memset(p[i], i, 48);
	}
	for (i = 0; i < 200; i++)
		for (j = 0; j < 48; j++)
			cr_assert_eq(p[i][j], (unsigned char)i);
}

Test(kmalloc, free_reuses_and_zeroes_again)
{
	struct kmalloc_stats st;
	char *a, *b;

	a = kmalloc(100);
	strcpy(a, "dirty");
	kmalloc_stats(&st);
	cr_assert_eq(st.in_use[2], 1); /* 100 + 16 -> the 128 class */
	kfree(a);
	kmalloc_stats(&st);
	cr_assert_eq(st.in_use[2], 0);
	b = kmalloc(100);
	cr_assert_eq(b, a);
	cr_assert_eq(b[0], 0, "reused memory must be zeroed");
}

Test(kmalloc, large_allocations_give_their_pages_back)
{
	uint64_t before = vm_page_free_count();
	struct kmalloc_stats st;
	char *p;

	p = kmalloc(5 * PAGE_SIZE);
	cr_assert_not_null(p);
	kmalloc_stats(&st);
	cr_assert_eq(st.pages_large, 6); /* the header needs a sixth page */
	cr_assert_eq(vm_page_free_count(), before - 6);
	kfree(p);
	cr_assert_eq(vm_page_free_count(), before);
}

Test(kmalloc, exhaustion_returns_null)
{
	cr_assert_null(kmalloc(MEM));
	cr_assert_null(kmalloc(SIZE_MAX - 4));
	kfree(NULL);
}

Test(kmalloc, bad_and_double_frees_panic)
{
	char buf[64] = { 0 };
	void *p;

	if (setjmp(panic_env) == 0) {
		kfree(buf + 16);
		cr_assert_fail("freeing a stack buffer did not panic");
	}
	cr_assert(strstr(panic_msg, "not allocated by kmalloc") != NULL);
	p = kmalloc(10);
	kfree(p);
	if (setjmp(panic_env) == 0) {
		kfree(p);
		cr_assert_fail("double free did not panic");
	}
}
