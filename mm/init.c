// SPDX-License-Identifier: GPL-2.0
/*
 * Memory bring-up: sanitize the map the boot protocol gave, start the
 * page allocator over it, then let the backend set up paging (our own W^X
 * tables natively; under Xen PV, Xen's pinned tables made W^X through
 * mmu_update, then copied into pinned tables of the kernel's own).
 */
#include <asm/pv/init.h>
#include <asm/pv/ops.h>
#include <proteus/bootinfo.h>
#include <proteus/mm.h>
#include <proteus/panic.h>
#include <proteus/printk.h>

#define MIN_RAM		(8ULL << 20)

static u64 total_ram;

static void print_memmap(const struct memmap *m)
{
	u32 i;

	for (i = 0; i < m->nr; i++)
		pr_info("mem: [0x%012llx-0x%012llx] %s\n",
			(unsigned long long)m->r[i].base,
			(unsigned long long)(m->r[i].base + m->r[i].size - 1),
			memmap_type_name(m->r[i].type));
}

void mm_init(void)
{
	struct memmap *m = &boot_info.memmap;
	u64 limit = boot_info.direct_map_limit ? boot_info.direct_map_limit : ~0ULL;

	if (!m->nr)
		panic("mm: the boot protocol gave no memory map");
	memmap_sanitize(m);
	print_memmap(m);
	total_ram = memmap_total(m, MEM_USABLE);
	if (total_ram < MIN_RAM)
		panic("mm: only %llu KiB of usable RAM; need at least %llu MiB",
		      (unsigned long long)(total_ram >> 10),
		      (unsigned long long)(MIN_RAM >> 20));
	page_alloc_init(m, limit);
	pv_init.paging_init();
}

u64 mm_total_ram(void)
{
	return total_ram;
}
