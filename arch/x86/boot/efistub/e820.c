// SPDX-License-Identifier: GPL-2.0
/*
 * The EFI memory map (UEFI 7.2 GetMemoryMap) as the boot protocol's e820
 * table, the types mapped as the Linux boot protocol does: memory free
 * once boot services are gone is RAM, ACPI tables and NVS keep their
 * types, anything unknown (runtime services, MMIO, reserved, types added
 * after UEFI 2.10) is reserved. Adjacent entries of one type merge; what
 * does not fit is counted in *dropped. Pure: no firmware call, no
 * allocation (it runs between GetMemoryMap and ExitBootServices).
 */
#include <proteus/memmap.h>
#include "efistub.h"

static u32 e820_type(u32 efi_type)
{
	switch (efi_type) {
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY:
		return MEM_USABLE;
	case EFI_ACPI_RECLAIM_MEMORY:
		return MEM_ACPI;
	case EFI_ACPI_MEMORY_NVS:
		return MEM_NVS;
	case EFI_UNUSABLE_MEMORY:
		return MEM_UNUSABLE;
	case EFI_PERSISTENT_MEMORY:
		return MEM_PMEM;
	default:
		return MEM_RESERVED;
	}
}

unsigned int efi_map_to_e820(const void *map, u64 map_size, u64 desc_size,
			     struct boot_e820_entry *e820, unsigned int max,
			     unsigned int *dropped)
{
	const u8 *p = map;
	unsigned int n = 0;
	u64 off;

	*dropped = 0;
	if (desc_size < sizeof(struct efi_memory_desc))
		return 0;
	for (off = 0; off + desc_size <= map_size; off += desc_size) {
		const struct efi_memory_desc *d = (const void *)(p + off);
		u64 size = d->nr_pages * EFI_PAGE_SIZE;
		u32 type = e820_type(d->type);
		struct boot_e820_entry *last = n ? &e820[n - 1] : NULL;

		if (!d->nr_pages || d->nr_pages > (~0ULL >> 12))
			continue;
		if (last && last->type == type &&
		    last->addr + last->size == d->phys_start) {
			last->size += size;
			continue;
		}
		if (n == max) {
			(*dropped)++;
			continue;
		}
		e820[n++] = (struct boot_e820_entry){ d->phys_start, size, type };
	}
	return n;
}
