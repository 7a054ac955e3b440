/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Physical memory map as every boot protocol reports it, normalized:
 * e820 (Linux boot protocol), hvm_start_info's map (PVH),
 * XENMEM_memory_map, or start_info's nr_pages (Xen PV).
 */
#ifndef PROTEUS_MEMMAP_H
#define PROTEUS_MEMMAP_H

#include <proteus/types.h>

#define MEMMAP_MAX	128
#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)

/* Values are those of the e820 / PVH / Xen memory map ABIs. */
enum mem_type {
	MEM_USABLE = 1,
	MEM_RESERVED = 2,
	MEM_ACPI = 3,
	MEM_NVS = 4,
	MEM_UNUSABLE = 5,
	MEM_DISABLED = 6,
	MEM_PMEM = 7,
};

struct mem_region {
	u64 base;
	u64 size;
	u32 type;
};

struct memmap {
	u32 nr;
	struct mem_region r[MEMMAP_MAX];
};

/* Append one raw entry; returns false (and drops it) when the map is full. */
bool memmap_add(struct memmap *m, u64 base, u64 size, u32 type);

/*
 * Make the map sane, warning through printk about each problem:
 * zero-sized or wrapping entries are dropped; unknown types become
 * MEM_RESERVED; overlaps are resolved with the more restrictive type
 * winning (anything beats MEM_USABLE); usable ranges are trimmed to whole
 * pages; the result is sorted, non-overlapping, with adjacent regions of
 * the same type merged. Returns the number of warnings issued.
 */
int memmap_sanitize(struct memmap *m);

/* Bytes of the given type. */
u64 memmap_total(const struct memmap *m, u32 type);

/* One past the highest address of the given type (0 if none). */
u64 memmap_end(const struct memmap *m, u32 type);

const char *memmap_type_name(u32 type);

#endif
