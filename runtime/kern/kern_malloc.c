/*
 * kern_malloc.c - the kernel's memory allocator, on physical pages of the
 * memory image.
 *
 * Small requests come from power-of-two size classes (32 to 2048 bytes,
 * header included), carved out of whole pages and kept on per-class free
 * lists; larger ones get their own run of contiguous pages.  Every chunk
 * starts with a 16-byte header that names its class (or its page count)
 * and a magic number, so kfree() needs no size and catches frees of
 * pointers it never gave out.  Memory is always returned zeroed.
 * XXX Pages of the small classes are never given back to the page
 * allocator; a later memory-pressure issue may add that.
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/vm/vm.h"

#define KM_MAGIC_SMALL 0x4b4d534du /* "KMSM" */
#define KM_MAGIC_LARGE 0x4b4d4c47u /* "KMLG" */
#define KM_MAGIC_FREE  0x4b4d4652u /* "KMFR" */
#define KM_MINSHIFT    5	   /* 32 bytes */
#define KM_MAXSHIFT    11	   /* 2048 bytes */
#define KM_NCLASS      (KM_MAXSHIFT - KM_MINSHIFT + 1)

struct km_header {
	uint32_t magic;
	uint32_t n; /* class index (small) or pages (large) */
	union {
		struct km_header *next; /* on a free list */
		uint64_t pad;
	} u;
};
_Static_assert(sizeof(struct km_header) == 16, "kmalloc header size");
_Static_assert(KM_NCLASS == KMALLOC_NCLASS, "kmalloc classes");

static host_mutex_t km_lock;
static struct km_header *km_free[KM_NCLASS];
static struct kmalloc_stats km_stats;
static bool km_ready;

void
kmalloc_init(void)
{
	host_mutex_init(&km_lock);
	km_ready = true;
}

/* Carves a fresh page into chunks of class c; caller holds km_lock. */
static int
km_refill(int c)
{
	size_t size = (size_t)1 << (c + KM_MINSHIFT), off;
	vm_paddr_t pa;
	char *page;
	struct km_header *h;

	if ((pa = vm_page_alloc()) == 0)
		return (ENOMEM);
	page = vm_page_kva(pa);
	for (off = 0; off + size <= PAGE_SIZE; off += size) {
		h = (struct km_header *)(void *)(page + off);
		h->magic = KM_MAGIC_FREE;
		h->n = (uint32_t)c;
		h->u.next = km_free[c];
		km_free[c] = h;
	}
	km_stats.pages_small++;
	return (0);
}

static void *
km_alloc_small(size_t need)
{
	struct km_header *h;
	int c = 0;

	while (((size_t)1 << (c + KM_MINSHIFT)) < need)
		c++;
	host_mutex_lock(&km_lock);
	if (km_free[c] == NULL && km_refill(c) != 0) {
		host_mutex_unlock(&km_lock);
		return (NULL);
	}
	h = km_free[c];
	km_free[c] = h->u.next;
	km_stats.in_use[c]++;
	host_mutex_unlock(&km_lock);
	memset(h, 0, (size_t)1 << (c + KM_MINSHIFT));
	h->magic = KM_MAGIC_SMALL;
	h->n = (uint32_t)c;
	return (h + 1);
}

static void *
km_alloc_large(size_t need)
{
	uint64_t pages = (need + PAGE_SIZE - 1) / PAGE_SIZE;
	struct km_header *h;
	vm_paddr_t pa;

	if (pages > UINT32_MAX || (pa = vm_page_alloc_contig(pages)) == 0)
		return (NULL);
	h = vm_page_kva(pa);
	h->magic = KM_MAGIC_LARGE;
	h->n = (uint32_t)pages;
	host_mutex_lock(&km_lock);
	km_stats.pages_large += pages;
	host_mutex_unlock(&km_lock);
	return (h + 1);
}

void *
kmalloc(size_t size)
{
	size_t need = size + sizeof(struct km_header);

	if (!km_ready)
		panic("kmalloc before kmalloc_init");
	if (need < size)
		return (NULL);
	if (need <= ((size_t)1 << KM_MAXSHIFT))
		return (km_alloc_small(need));
	return (km_alloc_large(need));
}

void
kfree(void *p)
{
	struct km_header *h;

	if (p == NULL)
		return;
	h = (struct km_header *)p - 1;
	if (h->magic == KM_MAGIC_LARGE) {
		host_mutex_lock(&km_lock);
		km_stats.pages_large -= h->n;
		host_mutex_unlock(&km_lock);
		h->magic = KM_MAGIC_FREE;
		vm_page_free_contig(vm_page_pa(h), h->n);
		return;
	}
	if (h->magic != KM_MAGIC_SMALL || h->n >= KM_NCLASS)
		panic("kfree: %p was not allocated by kmalloc (magic %#x)", p,
		    h->magic);
	host_mutex_lock(&km_lock);
	h->magic = KM_MAGIC_FREE;
	h->u.next = km_free[h->n];
	km_free[h->n] = h;
	km_stats.in_use[h->n]--;
	host_mutex_unlock(&km_lock);
}

void
kmalloc_stats(struct kmalloc_stats *st)
{
	host_mutex_lock(&km_lock);
	*st = km_stats;
	host_mutex_unlock(&km_lock);
}
