// SPDX-License-Identifier: GPL-2.0
/*
 * arch/x86/boot/efistub/e820.c: the EFI memory map as an e820 table. Maps
 * are built with a descriptor stride larger than the structure, as
 * firmware may report, so that a walker using sizeof() would fail.
 */
#include "unit.h"

#include <proteus/memmap.h>
#include "../../../arch/x86/boot/efistub/efistub.h"

#define STRIDE		(sizeof(struct efi_memory_desc) + 8)
#define MAX_DESC	16
#define MiB		0x100000ull

static u8 map[MAX_DESC * STRIDE];
static unsigned int nr_desc;
static struct boot_e820_entry e820[8];

static void desc(u32 type, u64 start, u64 pages)
{
	struct efi_memory_desc d = { .type = type, .phys_start = start,
				     .nr_pages = pages };

	memcpy(map + nr_desc++ * STRIDE, &d, sizeof(d));
}

static unsigned int convert(unsigned int max, unsigned int *dropped)
{
	memset(e820, 0, sizeof(e820));
	return efi_map_to_e820(map, nr_desc * STRIDE, STRIDE, e820, max,
			       dropped);
}

static void test_types_and_merging(void)
{
	unsigned int n, dropped;

	unit_name("types and merging");
	nr_desc = 0;
	desc(EFI_CONVENTIONAL_MEMORY, 0, 0xa0);
	desc(EFI_BOOT_SERVICES_DATA, MiB, 0x100);	/* after a hole: new entry */
	desc(EFI_LOADER_CODE, 2 * MiB, 0x100);		/* adjacent RAM: merges */
	desc(EFI_ACPI_RECLAIM_MEMORY, 3 * MiB, 1);
	desc(EFI_ACPI_MEMORY_NVS, 3 * MiB + 0x1000, 1);
	desc(EFI_RUNTIME_SERVICES_DATA, 3 * MiB + 0x2000, 1);
	desc(EFI_MEMORY_MAPPED_IO, 3 * MiB + 0x3000, 1);	/* merges: reserved */
	desc(EFI_UNUSABLE_MEMORY, 4 * MiB, 1);
	desc(EFI_PERSISTENT_MEMORY, 5 * MiB, 1);
	desc(0x70000000, 6 * MiB, 1);			/* OEM type: reserved */
	desc(EFI_CONVENTIONAL_MEMORY, 7 * MiB, 0);	/* empty: skipped */
	n = convert(8, &dropped);
	CHECK_EQ(n, 8u);
	CHECK_EQ(dropped, 0u);
	CHECK_EQ(e820[0].size, 0xa0000ull);
	CHECK_EQ(e820[1].addr, MiB);
	CHECK_EQ(e820[1].size, 2 * MiB);
	CHECK_EQ(e820[1].type, (u32)MEM_USABLE);
	CHECK_EQ(e820[2].type, (u32)MEM_ACPI);
	CHECK_EQ(e820[3].type, (u32)MEM_NVS);
	CHECK_EQ(e820[4].type, (u32)MEM_RESERVED);
	CHECK_EQ(e820[4].size, 0x2000ull);
	CHECK_EQ(e820[5].type, (u32)MEM_UNUSABLE);
	CHECK_EQ(e820[6].type, (u32)MEM_PMEM);
	CHECK_EQ(e820[7].type, (u32)MEM_RESERVED);
}

static void test_overflow_counted(void)
{
	unsigned int n, dropped, i;

	unit_name("more entries than room");
	nr_desc = 0;
	for (i = 0; i < 6; i++)		/* alternating types never merge */
		desc(i & 1 ? EFI_ACPI_MEMORY_NVS : EFI_CONVENTIONAL_MEMORY,
		     i * MiB, 1);
	n = convert(4, &dropped);
	CHECK_EQ(n, 4u);
	CHECK_EQ(dropped, 2u);
	CHECK_EQ(e820[3].addr, 3 * MiB);
}

static void test_bad_descriptor_size(void)
{
	unsigned int dropped;

	unit_name("descriptor size below the structure's");
	nr_desc = 0;
	desc(EFI_CONVENTIONAL_MEMORY, 0, 1);
	CHECK_EQ(efi_map_to_e820(map, STRIDE, 8, e820, 8, &dropped), 0u);
}

int main(void)
{
	test_types_and_merging();
	test_overflow_counted();
	test_bad_descriptor_size();
	return unit_done();
}
