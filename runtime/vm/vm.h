/*
 * vm.h - the virtual memory system's contract: physical pages.
 *
 * Physical memory is the memory image (-m, -i): page n is the 4096 bytes
 * at offset n * PAGE_SIZE of the image, reached through the image's
 * mapping.  The allocator keeps its bitmap in the first pages of the
 * image itself, so "avail memory" is what is left after it.
 */
#ifndef RUNTIME_VM_VM_H
#define RUNTIME_VM_VM_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE  ((size_t)1 << PAGE_SHIFT)

typedef uint64_t vm_paddr_t; /* byte offset in the memory image */

/* Takes over the image: base is its mapping, size its length. */
void vm_page_init(void *base, uint64_t size);
/* Returns the physical address of a zeroed free page, or 0 if none. */
vm_paddr_t vm_page_alloc(void);
/* Frees a page vm_page_alloc() returned; panics on a double free. */
void vm_page_free(vm_paddr_t pa);
/*
 * Allocates n physically contiguous zeroed pages; returns the address of
 * the first, or 0 when no run of n free pages exists.
 */
vm_paddr_t vm_page_alloc_contig(uint64_t n);
/* Frees n contiguous pages from vm_page_alloc_contig(). */
void vm_page_free_contig(vm_paddr_t pa, uint64_t n);
/* The kernel address of a physical page, and back. */
void *vm_page_kva(vm_paddr_t pa);
vm_paddr_t vm_page_pa(const void *kva);
uint64_t vm_page_count(void);	   /* pages of physical memory */
uint64_t vm_page_free_count(void); /* pages free now */

#endif /* RUNTIME_VM_VM_H */
