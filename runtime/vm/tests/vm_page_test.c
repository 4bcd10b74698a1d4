/*
 * vm_page_test.c - unit tests of the physical page allocator.
 */
#include <criterion/criterion.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/kern/kern.h"
#include "runtime/vm/vm.h"

/* panic() of the test: remember the message and unwind to the test. */
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

static void *mem;

static void
setup_mem(size_t size)
{
	mem = aligned_alloc(PAGE_SIZE, size);
	cr_assert_not_null(mem);
	memset(mem, 0xa5, size);
	vm_page_init(mem, size);
}

static void
teardown(void)
{
	free(mem);
}

TestSuite(vm_page, .fini = teardown);

Test(vm_page, accounts_bitmap_and_page_zero)
{
	/* 64 MiB = 16384 pages; the bitmap needs 2048 bytes = 1 page. */
	setup_mem(64 << 20);
	cr_assert_eq(vm_page_count(), 16384);
	cr_assert_eq(vm_page_free_count(), 16384 - 2);
}

Test(vm_page, alloc_returns_zeroed_distinct_pages)
{
	vm_paddr_t a, b;

	setup_mem(1 << 20);
	a = vm_page_alloc();
	b = vm_page_alloc();
	cr_assert_neq(a, 0);
	cr_assert_neq(b, 0);
	cr_assert_neq(a, b);
	cr_assert_eq(a % PAGE_SIZE, 0);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		cr_assert_eq(((unsigned char *)vm_page_kva(a))[i], 0);
	cr_assert_eq((char *)vm_page_kva(b) - (char *)mem, (ptrdiff_t)b);
	cr_assert_eq(vm_page_free_count(), 256 - 2 - 2);
}

Test(vm_page, exhaustion_then_free_and_reuse)
{
	uint64_t n, i;
	vm_paddr_t pa, last = 0;

	setup_mem(1 << 20);
	n = vm_page_free_count();
	for (i = 0; i < n; i++) {
		pa = vm_page_alloc();
		cr_assert_neq(pa, 0, "page %llu of %llu", (unsigned long long)i,
		    (unsigned long long)n);
		/* The bitmap page and page 0 are never handed out. */
		cr_assert_geq(pa, 2 * PAGE_SIZE);
		last = pa;
	}
	cr_assert_eq(vm_page_alloc(), 0, "allocation past the end");
	vm_page_free(last);
	cr_assert_eq(vm_page_free_count(), 1);
	cr_assert_eq(vm_page_alloc(), last);
}

Test(vm_page, double_free_panics)
{
	vm_paddr_t pa;

	setup_mem(1 << 20);
	pa = vm_page_alloc();
	vm_page_free(pa);
	if (setjmp(panic_env) == 0) {
		vm_page_free(pa);
		cr_assert_fail("double free did not panic");
	}
	cr_assert(strstr(panic_msg, "is not allocated") != NULL, "%s",
	    panic_msg);
}

Test(vm_page, free_of_reserved_page_panics)
{
	setup_mem(1 << 20);
	if (setjmp(panic_env) == 0) {
		vm_page_free(0);
		cr_assert_fail("freeing page 0 did not panic");
	}
	if (setjmp(panic_env) == 0) {
		vm_page_free(PAGE_SIZE);
		cr_assert_fail("freeing the bitmap page did not panic");
	}
}

Test(vm_page, contiguous_runs)
{
	vm_paddr_t a, b, c;

	setup_mem(1 << 20); /* 256 pages, 254 free */
	a = vm_page_alloc_contig(10);
	cr_assert_neq(a, 0);
	b = vm_page_alloc_contig(10);
	cr_assert_eq(b, a + 10 * PAGE_SIZE);
	cr_assert_eq(vm_page_free_count(), 254 - 20);
	/* A hole of 10 in the middle fits 10 but not 11. */
	vm_page_free_contig(a, 10);
	c = vm_page_alloc_contig(11);
	cr_assert_neq(c, 0);
	cr_assert_geq(c, b + 10 * PAGE_SIZE, "11 pages must not fit the hole");
	cr_assert_eq(vm_page_alloc_contig(10), a);
	cr_assert_eq(vm_page_alloc_contig(1000), 0);
	cr_assert_eq(vm_page_alloc_contig(0), 0);
}
