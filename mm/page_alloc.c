// SPDX-License-Identifier: GPL-2.0
/*
 * Page-frame allocator: one bit per frame below the highest usable
 * address (1 = free). The bitmap itself is carved out of usable memory
 * that no boot data occupies. Allocation is next-fit from a hint that
 * moves back on free, so a freed frame is the next one handed out.
 * Blocks of 2^order frames are naturally aligned.
 */
#include <proteus/mm.h>
#include <proteus/bootinfo.h>
#include <proteus/panic.h>
#include <proteus/printk.h>
#include <proteus/string.h>

#define BITS	64
#define LOW_RESERVED	0x100000ULL	/* BIOS data, real-mode area */
#define MAX_ORDER	PAGE_ALLOC_MAX_ORDER

static u64 *bitmap;
static u64 nr_frames, nr_free, hint;

/* Population count without the POPCNT instruction (not every CPU has it). */
static unsigned int bits_set(u64 w)
{
	w -= (w >> 1) & 0x5555555555555555ULL;
	w = (w & 0x3333333333333333ULL) + ((w >> 2) & 0x3333333333333333ULL);
	w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (unsigned int)((w * 0x0101010101010101ULL) >> 56);
}

static bool frame_free(u64 pfn)
{
	return bitmap[pfn / BITS] >> (pfn % BITS) & 1;
}

static void set_range(u64 start, u64 end, bool free)
{
	u64 pfn;

	for (pfn = start; pfn < end && pfn < nr_frames; pfn++) {
		u64 mask = 1ULL << (pfn % BITS);

		if (pfn % BITS == 0 && end - pfn >= BITS && end <= nr_frames) {
			bitmap[pfn / BITS] = free ? ~0ULL : 0;
			pfn += BITS - 1;
			continue;
		}
		if (free)
			bitmap[pfn / BITS] |= mask;
		else
			bitmap[pfn / BITS] &= ~mask;
	}
}

static bool overlaps(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

/* Boot data, the kernel, low memory: everything the allocator must skip. */
static bool range_is_reserved(u64 base, u64 len, u64 kstart, u64 kend)
{
	u32 i;

	if (base < LOW_RESERVED || overlaps(base, len, kstart, kend - kstart))
		return true;
	for (i = 0; i < boot_info.nr_reserved; i++)
		if (overlaps(base, len, boot_info.reserved[i].base,
			     boot_info.reserved[i].size))
			return true;
	return false;
}

static u64 find_bitmap_home(const struct memmap *m, u64 bytes, u64 limit,
			    u64 kstart, u64 kend)
{
	u32 i;

	for (i = 0; i < m->nr; i++) {
		u64 base = m->r[i].base, end = base + m->r[i].size;

		if (m->r[i].type != MEM_USABLE)
			continue;
		if (end > limit)
			end = limit;
		for (base = ALIGN_UP(base, PAGE_SIZE); base + bytes <= end;
		     base += PAGE_SIZE)
			if (!range_is_reserved(base, bytes, kstart, kend))
				return base;
	}
	return 0;
}

void page_alloc_init(const struct memmap *m, u64 limit)
{
	extern char _text[], _end[];
	u64 kstart = (u64)(uintptr_t)_text, kend = (u64)(uintptr_t)_end;
	u64 top = memmap_end(m, MEM_USABLE), bytes, home;
	u32 i;

	if (top > limit)
		top = limit;
	nr_frames = top >> PAGE_SHIFT;
	bytes = ALIGN_UP(ALIGN_UP(nr_frames, BITS) / 8, PAGE_SIZE);
	home = find_bitmap_home(m, bytes, limit, kstart, kend);
	if (!home)
		panic("mm: no room for the page bitmap (%llu KiB) in usable memory",
		      (unsigned long long)(bytes >> 10));
	bitmap = phys_to_virt(home);
	memset(bitmap, 0, bytes);
	for (i = 0; i < m->nr; i++)
		if (m->r[i].type == MEM_USABLE)
			set_range(ALIGN_UP(m->r[i].base, PAGE_SIZE) >> PAGE_SHIFT,
				  (m->r[i].base + m->r[i].size) >> PAGE_SHIFT, true);
	set_range(0, LOW_RESERVED >> PAGE_SHIFT, false);
	set_range(kstart >> PAGE_SHIFT, ALIGN_UP(kend, PAGE_SIZE) >> PAGE_SHIFT, false);
	set_range(home >> PAGE_SHIFT, (home + bytes) >> PAGE_SHIFT, false);
	for (i = 0; i < boot_info.nr_reserved; i++) {
		const struct mem_region *r = &boot_info.reserved[i];

		set_range(r->base >> PAGE_SHIFT,
			  ALIGN_UP(r->base + r->size, PAGE_SIZE) >> PAGE_SHIFT, false);
	}
	for (i = 0; i < nr_frames; i += BITS) {
		u64 w = bitmap[i / BITS];

		nr_free += w == ~0ULL ? BITS : w ? bits_set(w) : 0;
	}
	pr_info("mm: %llu frames free of %llu, bitmap at %#llx\n",
		(unsigned long long)nr_free, (unsigned long long)nr_frames,
		(unsigned long long)home);
}

static bool block_free(u64 pfn, u64 count)
{
	u64 i;

	if (count < BITS) {
		u64 mask = ((1ULL << count) - 1) << (pfn % BITS);

		return (bitmap[pfn / BITS] & mask) == mask;
	}
	for (i = 0; i < count; i += BITS)
		if (bitmap[(pfn + i) / BITS] != ~0ULL)
			return false;
	return true;
}

#define NO_FRAME	(~0ULL)

/* The first free frame in [pfn, pfn + count), word by word; or NO_FRAME. */
static u64 first_free(u64 pfn, u64 count)
{
	u64 end = pfn + count;

	while (pfn < end) {
		if (pfn % BITS == 0 && end - pfn >= BITS) {
			if (bitmap[pfn / BITS])
				return pfn + __builtin_ctzll(bitmap[pfn / BITS]);
			pfn += BITS;
			continue;
		}
		if (frame_free(pfn))
			return pfn;
		pfn++;
	}
	return NO_FRAME;
}

/* The first free aligned block starting in [from, to), or 0. */
static u64 find_block(u64 from, u64 to, u64 count)
{
	u64 pfn;

	for (pfn = ALIGN_UP(from, count); pfn < to && pfn + count <= nr_frames;
	     pfn += count) {
		/* Skip whole empty words quickly. */
		if (count < BITS && pfn % BITS == 0 && !bitmap[pfn / BITS]) {
			pfn += BITS - count;
			continue;
		}
		if (block_free(pfn, count))
			return pfn;
	}
	return 0;
}

static u64 (*reclaim)(u64 pages);

void page_alloc_set_reclaim(u64 (*fn)(u64 pages))
{
	reclaim = fn;
}

static phys_addr_t take_block(unsigned int order)
{
	u64 count = 1ULL << order, pfn;

	if (order > MAX_ORDER || count > nr_free)
		return 0;
	pfn = find_block(hint, nr_frames, count);
	if (!pfn && hint)
		pfn = find_block(0, ALIGN_UP(hint, count), count);
	if (!pfn)
		return 0;
	set_range(pfn, pfn + count, false);
	nr_free -= count;
	hint = pfn + count;
	return pfn << PAGE_SHIFT;
}

/* On failure a reclaimer (the balloon) may give frames back: then one retry. */
phys_addr_t alloc_pages(unsigned int order)
{
	phys_addr_t pa = take_block(order);

	if (!pa && order <= MAX_ORDER && reclaim && reclaim(1ULL << order))
		pa = take_block(order);
	return pa;
}

void free_pages(phys_addr_t pa, unsigned int order)
{
	u64 pfn = pa >> PAGE_SHIFT, count = 1ULL << order, free;

	if ((pa & (PAGE_SIZE - 1)) || order > MAX_ORDER || pfn + count > nr_frames)
		panic("mm: free_pages(%#llx, %u) of a frame we never handed out",
		      (unsigned long long)pa, order);
	free = first_free(pfn, count);
	if (free != NO_FRAME)
		panic("mm: double free of frame %#llx",
		      (unsigned long long)(free << PAGE_SHIFT));
	set_range(pfn, pfn + count, true);
	nr_free += count;
	if (pfn < hint)
		hint = pfn;
}

u64 page_alloc_free_pages(void)
{
	return nr_free;
}

u64 page_alloc_frames(void)
{
	return nr_frames;
}

bool page_alloc_frame_free(phys_addr_t pa)
{
	u64 pfn = pa >> PAGE_SHIFT;

	return pfn < nr_frames && frame_free(pfn);
}
