/*
 * vm_page.c - the physical page allocator.
 *
 * A bitmap, one bit per page of the memory image (1 = in use), stored in
 * the image's first pages, which are marked in use.  Allocation scans from
 * a rotating hint.  Page 0 is always reserved so that physical address 0
 * can mean "none".  The lock is a host mutex: allocation may be called
 * from any cpu.
 */
#include <string.h>

#include "runtime/kern/kern.h"
#include "runtime/vm/vm.h"

static unsigned char *phys_base;
static uint64_t *page_bitmap;
static uint64_t page_total, page_free, page_hint;
static uint64_t page_first; /* pages below are reserved for good */
static host_mutex_t page_lock;

static int
bit_test(uint64_t n)
{
	return ((page_bitmap[n / 64] >> (n % 64)) & 1);
}

static void
bit_flip(uint64_t n)
{
	page_bitmap[n / 64] ^= (uint64_t)1 << (n % 64);
}

void
vm_page_init(void *base, uint64_t size)
{
	uint64_t bitmap_bytes, reserved, n;

	host_mutex_init(&page_lock);
	phys_base = base;
	page_total = size >> PAGE_SHIFT;
	bitmap_bytes = (page_total + 63) / 64 * 8;
	reserved = (bitmap_bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	if (reserved == 0 || reserved >= page_total)
		panic("vm_page_init: %llu pages cannot hold the page bitmap",
		    (unsigned long long)page_total);
	/* The bitmap lives in pages 1.. so that page 0 stays reserved. */
	page_bitmap = (uint64_t *)(void *)(phys_base + PAGE_SIZE);
	memset(page_bitmap, 0, bitmap_bytes);
	for (n = 0; n <= reserved; n++)
		bit_flip(n);
	page_free = page_total - (reserved + 1);
	page_hint = reserved + 1;
	page_first = reserved + 1;
}

vm_paddr_t
vm_page_alloc(void)
{
	uint64_t i, n;

	host_mutex_lock(&page_lock);
	for (i = 0; i < page_total && page_free > 0; i++) {
		n = (page_hint + i) % page_total;
		if (!bit_test(n)) {
			bit_flip(n);
			page_free--;
			page_hint = n + 1;
			host_mutex_unlock(&page_lock);
			memset(phys_base + (n << PAGE_SHIFT), 0, PAGE_SIZE);
			return ((vm_paddr_t)n << PAGE_SHIFT);
		}
	}
	host_mutex_unlock(&page_lock);
	return (0);
}

void
vm_page_free(vm_paddr_t pa)
{
	uint64_t n = pa >> PAGE_SHIFT;

	host_mutex_lock(&page_lock);
	if (n < page_first || n >= page_total || !bit_test(n)) {
		host_mutex_unlock(&page_lock);
		panic("vm_page_free: page %#llx is not allocated",
		    (unsigned long long)pa);
	}
	bit_flip(n);
	page_free++;
	host_mutex_unlock(&page_lock);
}

vm_paddr_t
vm_page_alloc_contig(uint64_t n)
{
	uint64_t start, run, i;

	if (n == 0)
		return (0);
	if (n == 1)
		return (vm_page_alloc());
	host_mutex_lock(&page_lock);
	for (start = page_first, run = 0, i = page_first;
	     i < page_total && page_free >= n; i++) {
		if (bit_test(i)) {
			run = 0;
			start = i + 1;
			continue;
		}
		if (++run < n)
			continue;
		for (i = start; i < start + n; i++)
			bit_flip(i);
		page_free -= n;
		host_mutex_unlock(&page_lock);
		memset(phys_base + (start << PAGE_SHIFT), 0, n * PAGE_SIZE);
		return ((vm_paddr_t)start << PAGE_SHIFT);
	}
	host_mutex_unlock(&page_lock);
	return (0);
}

void
vm_page_free_contig(vm_paddr_t pa, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		vm_page_free(pa + i * PAGE_SIZE);
}

void *
vm_page_kva(vm_paddr_t pa)
{
	return (phys_base + pa);
}

vm_paddr_t
vm_page_pa(const void *kva)
{
	return ((vm_paddr_t)((const unsigned char *)kva - phys_base));
}

uint64_t
vm_page_count(void)
{
	return (page_total);
}

uint64_t
vm_page_free_count(void)
{
	return (page_free);
}
