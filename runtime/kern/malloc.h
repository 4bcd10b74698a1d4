/*
 * malloc.h - the kernel memory allocator's contract (kern_malloc.c).
 */
#ifndef RUNTIME_KERN_MALLOC_H
#define RUNTIME_KERN_MALLOC_H

#include <stddef.h>
#include <stdint.h>

#define KMALLOC_NCLASS 7 /* 32, 64, ... 2048 bytes */

struct kmalloc_stats {
	uint64_t in_use[KMALLOC_NCLASS]; /* chunks handed out per class */
	uint64_t pages_small;		 /* pages carved into chunks */
	uint64_t pages_large;		 /* pages of large allocations */
};

/* Called once in the boot, after vm_page_init(). */
void kmalloc_init(void);
/* Returns size zeroed bytes, 16-byte aligned, or NULL when out of memory. */
void *kmalloc(size_t size);
/* Frees what kmalloc() returned (NULL is ignored); panics on a bad pointer. */
void kfree(void *p);
void kmalloc_stats(struct kmalloc_stats *st);

#endif /* RUNTIME_KERN_MALLOC_H */
