// SPDX-License-Identifier: GPL-2.0
/*
 * Device registers and DMA natively. MMIO is mapped 1:1 (va == pa, like
 * the direct map) with caching off; a range already covered by the direct
 * map keeps that mapping, where the firmware's MTRRs make device ranges
 * uncached anyway. Natively a device sees physical addresses, which are
 * the kernel's addresses.
 */
#include <asm/pgtable.h>
#include <asm/pv/native.h>
#include <asm/pv/ops.h>
#include <proteus/cpumask.h>
#include <proteus/mm.h>

#define _PAGE_PWT	(1ULL << 3)
#define _PAGE_PCD	(1ULL << 4)

void *native_map_mmio(phys_addr_t pa, size_t size)
{
	u64 start = ALIGN_DOWN(pa, PAGE_SIZE), end = ALIGN_UP(pa + size, PAGE_SIZE);
	u64 va;
	int level;

	if (!size || end < start)
		return NULL;
	for (va = start; va < end; va += PAGE_SIZE) {
		if (pgtable_lookup(current_root(), va, &level))
			continue;
		pgtable_map(current_root(), va, va, PAGE_SIZE,
			    _PAGE_PRESENT | _PAGE_RW | _PAGE_PCD | _PAGE_PWT | nx_bit(),
			    false);
		flush_tlb_one(va);
	}
	return phys_to_virt(pa);
}

void native_unmap_mmio(void *va, size_t size)
{
	u64 start = ALIGN_DOWN((u64)(uintptr_t)va, PAGE_SIZE);
	u64 end = ALIGN_UP((u64)(uintptr_t)va + size, PAGE_SIZE), a;
	int level;

	for (a = start; a < end; a += PAGE_SIZE) {
		u64 *e = pgtable_lookup(current_root(), a, &level);

		/* Only our own uncached 4 KiB mappings go away. */
		if (e && level == 1 && (*e & _PAGE_PCD))
			pgtable_unmap(current_root(), a, PAGE_SIZE, cpu_online_mask);
	}
}

u64 native_dma_addr(const void *va)
{
	return (u64)(uintptr_t)va;
}
