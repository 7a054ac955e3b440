// SPDX-License-Identifier: GPL-2.0
/*
 * The ACPI RSDP through the EFI system table (UEFI 4.3) and its
 * configuration tables (UEFI 4.6): the table whose VendorGuid is
 * ACPI_20_TABLE_GUID, else ACPI_TABLE_GUID (the Linux boot protocol's
 * advice for loaders that leave acpi_rsdp_addr 0). Pure: every address is
 * a physical one the caller's avail() vouches for, as the kernel reads
 * through the identity map; host tests pass buffers of their own.
 */
#include <proteus/acpi.h>
#include <proteus/efi.h>
#include <proteus/string.h>

const struct efi_guid efi_acpi_20_table_guid = {
	0x8868e871, 0xe4f1, 0x11d3,
	{ 0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81 }
};

const struct efi_guid efi_acpi_table_guid = {
	0xeb9d2d30, 0x2d88, 0x11d3,
	{ 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d }
};

static const char *systab_problem(u64 pa, phys_avail_fn avail)
{
	const struct efi_system_table *st = (const void *)(uintptr_t)pa;

	if (avail(pa) < sizeof(*st))
		return "system table not in memory";
	if (st->hdr.signature != EFI_SYSTEM_TABLE_SIGNATURE)
		return "bad system table signature";
	if ((st->hdr.revision >> 16) < EFI_MIN_REVISION_MAJOR)
		return "system table revision too old";
	if (st->hdr.header_size < sizeof(*st))
		return "system table too short";
	if (!st->nr_tables)
		return "no configuration tables";
	if (st->nr_tables > EFI_CONFIG_TABLES_MAX)
		return "absurd configuration table count";
	if (avail(st->tables) < st->nr_tables * sizeof(struct efi_config_table))
		return "configuration tables not in memory";
	return NULL;
}

/* The valid RSDP the table with this GUID points to, or 0. */
static u64 rsdp_for_guid(const struct efi_system_table *st,
			 const struct efi_guid *guid, phys_avail_fn avail,
			 const char **why)
{
	const struct efi_config_table *t = (const void *)(uintptr_t)st->tables;
	u64 i;

	for (i = 0; i < st->nr_tables; i++) {
		u64 pa = t[i].vendor_table;
		const char *problem;

		if (memcmp(&t[i].vendor_guid, guid, sizeof(*guid)))
			continue;
		problem = acpi_rsdp_problem((const void *)(uintptr_t)pa,
					    pa ? avail(pa) : 0);
		if (!problem)
			return pa;
		*why = problem;
	}
	return 0;
}

u64 efi_find_acpi_rsdp(u64 systab, phys_avail_fn avail, const char **why)
{
	const struct efi_system_table *st = (const void *)(uintptr_t)systab;
	u64 pa;

	*why = systab_problem(systab, avail);
	if (*why)
		return 0;
	*why = "no ACPI configuration table";
	pa = rsdp_for_guid(st, &efi_acpi_20_table_guid, avail, why);
	if (!pa)
		pa = rsdp_for_guid(st, &efi_acpi_table_guid, avail, why);
	if (pa)
		*why = NULL;
	return pa;
}
