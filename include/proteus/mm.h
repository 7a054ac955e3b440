/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Physical memory: the sanitized memory map, a page-frame allocator and
 * the direct map (virtual == physical for every frame it manages).
 */
#ifndef PROTEUS_MM_H
#define PROTEUS_MM_H

#include <proteus/types.h>
#include <proteus/memmap.h>

void mm_init(void);

/* Start the page allocator over m's usable memory below limit. */
void page_alloc_init(const struct memmap *m, u64 limit);

/* Usable RAM in bytes, from the sanitized memory map. */
u64 mm_total_ram(void);

/* The largest block alloc_pages hands out: 2^18 frames, 1 GiB. */
#define PAGE_ALLOC_MAX_ORDER	18

/* 2^order contiguous, naturally aligned frames; 0 when none are free. */
phys_addr_t alloc_pages(unsigned int order);
void free_pages(phys_addr_t pa, unsigned int order);
u64 page_alloc_free_pages(void);
/* Frames the allocator spans, free or not (under Xen PV: its direct map). */
u64 page_alloc_frames(void);
/* Whether frame @pa is in the allocator's free set (for tests). */
bool page_alloc_frame_free(phys_addr_t pa);

/*
 * A reclaimer alloc_pages calls when it finds no free block: it gives
 * back up to @pages frames if it can and returns how many (the balloon,
 * under DEFLATE_ON_OOM); then the request is tried once more. It must
 * not allocate. NULL removes it.
 */
void page_alloc_set_reclaim(u64 (*fn)(u64 pages));

static inline void *phys_to_virt(phys_addr_t pa)
{
	return (void *)(uintptr_t)pa;
}

static inline phys_addr_t virt_to_phys(const void *va)
{
	return (phys_addr_t)(uintptr_t)va;
}

/* Set by the paging setup when text is RX, rodata R+NX, data RW+NX. */
extern bool wx_enforced;
extern const char *wx_skip_reason;

#endif
