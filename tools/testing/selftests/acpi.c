// SPDX-License-Identifier: GPL-2.0
/*
 * The ACPI RSDP: found wherever the platform offers one, from a source
 * that matches what the boot protocol handed over, and sound when read
 * again here.
 */
#include <proteus/acpi.h>
#include <proteus/bootinfo.h>
#include <proteus/efi.h>
#include <proteus/mm.h>
#include <proteus/printk.h>
#include <proteus/selftest.h>
#include <proteus/string.h>

/* The low byte of the sum of n bytes: 0 for a valid ACPI checksum. */
static u8 byte_sum(const void *p, u32 n)
{
	const u8 *b = p;
	u8 sum = 0;

	while (n--)
		sum += *b++;
	return sum;
}

SELFTEST(acpi, rsdp_found)
{
	enum acpi_rsdp_source src;
	phys_addr_t pa = acpi_rsdp_address(&src);
	const struct acpi_rsdp *r;

	if (boot_info.path == BOOT_XEN_PV)
		return skip("a Xen PV domain has no ACPI tables");
	if (!pa && !boot_info.acpi_rsdp && !boot_info.efi_systab)
		return skip("no RSDP from the boot protocol, EFI or the BIOS areas: the platform has no ACPI");
	/* Something was offered: it must have been taken. */
	EXPECT(pa != 0);
	printk("# RSDP at %#llx from %s\n", (unsigned long long)pa,
	       acpi_rsdp_source_name(src));
	EXPECT(src == ACPI_RSDP_BOOTPARAMS || src == ACPI_RSDP_PVH ||
	       src == ACPI_RSDP_BIOS_SCAN || src == ACPI_RSDP_EFI);
	if (src == ACPI_RSDP_EFI)
		EXPECT(boot_info.efi_systab != 0);
	else
		EXPECT_EQ(pa, boot_info.acpi_rsdp);
	/* Checked here, not by the code under test. */
	r = (const struct acpi_rsdp *)(uintptr_t)pa;
	EXPECT(!memcmp(r->signature, "RSD PTR ", 8));
	EXPECT_EQ(byte_sum(r, 20), 0);
	if (r->revision >= 2) {
		/* ACPI 2.0+: the whole structure, 36 bytes, and its own sum. */
		EXPECT_EQ(r->length, sizeof(*r));
		EXPECT_EQ(byte_sum(r, r->length), 0);
	}
	EXPECT(acpi_find_table("APIC") || acpi_find_table("FACP"));
	return TEST_PASS;
}

/*
 * No environment here boots through UEFI, so the EFI lookup runs over a
 * system table built in a page of RAM whose configuration tables point at
 * the firmware's real RSDP: it must come back through the kernel's own
 * memory-map bounds, and a corrupt signature must yield nothing.
 */
#define FAKE_SYSTAB_TABLES	3

static void fake_systab(struct efi_system_table *st, phys_addr_t rsdp,
			bool acpi20)
{
	struct efi_config_table *t = (void *)(st + 1);
	/* An unrelated table (SMBIOS) first: the search must skip it. */
	static const struct efi_guid smbios = {
		0xeb9d2d31, 0x2d88, 0x11d3,
		{ 0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d }
	};

	memset(st, 0, sizeof(*st) + FAKE_SYSTAB_TABLES * sizeof(*t));
	st->hdr.signature = EFI_SYSTEM_TABLE_SIGNATURE;
	st->hdr.revision = 2 << 16;
	st->hdr.header_size = sizeof(*st);
	st->nr_tables = FAKE_SYSTAB_TABLES;
	st->tables = (uintptr_t)t;
	t[0] = (struct efi_config_table){ smbios, 0 };
	t[1] = (struct efi_config_table){ efi_acpi_table_guid, rsdp };
	t[2] = (struct efi_config_table){
		acpi20 ? efi_acpi_20_table_guid : smbios, rsdp };
}

SELFTEST(acpi, efi_lookup_finds_rsdp)
{
	phys_addr_t rsdp = acpi_rsdp_address(NULL), page;
	const struct acpi_rsdp *r = (const void *)(uintptr_t)rsdp;
	struct efi_system_table *st;
	const char *why;
	enum test_result res = TEST_PASS;

	if (!rsdp)
		return skip("no ACPI RSDP to point a system table at");
	page = alloc_pages(0);
	if (!page)
		return skip("no free page for the system table");
	st = phys_to_virt(page);
	fake_systab(st, rsdp, r->revision >= 2);
	if (efi_find_acpi_rsdp(page, acpi_phys_avail, &why) != rsdp) {
		printk("# lookup failed: %s\n", why ? why : "another address");
		res = TEST_FAIL;
	}
	st->hdr.signature ^= 1;
	if (efi_find_acpi_rsdp(page, acpi_phys_avail, &why) != 0) {
		printk("# a corrupt signature was accepted\n");
		res = TEST_FAIL;
	}
	free_pages(page, 0);
	return res;
}
