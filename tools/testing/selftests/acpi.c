// SPDX-License-Identifier: GPL-2.0
/*
 * The ACPI RSDP: found wherever the platform offers one, from a source
 * that matches what the boot protocol handed over, and sound when read
 * again here.
 */
#include <proteus/acpi.h>
#include <proteus/bootinfo.h>
#include <proteus/printk.h>
#include <proteus/selftest.h>

SELFTEST(acpi, rsdp_found)
{
	enum acpi_rsdp_source src;
	phys_addr_t pa = acpi_rsdp_address(&src);

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
	EXPECT(!acpi_rsdp_problem((const void *)(uintptr_t)pa,
				  sizeof(struct acpi_rsdp)));
	EXPECT(acpi_find_table("APIC") || acpi_find_table("FACP"));
	return TEST_PASS;
}
