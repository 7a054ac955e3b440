// SPDX-License-Identifier: GPL-2.0
/*
 * PVH start of day: hvm_start_info (include/abi/hvm_start_info.h), read
 * once into boot_info. The entry stub already checked the magic. A PVH
 * guest may be on Xen or on QEMU/KVM without Xen, so both console hints
 * are set; the chosen backend decides what actually exists.
 */
#include <abi/hvm_start_info.h>
#include <proteus/acpi.h>
#include <proteus/bootinfo.h>
#include <proteus/printk.h>

#define CMDLINE_SCAN_MAX	(64 * 1024)

static void read_modules(const struct hvm_start_info *si)
{
	const struct hvm_modlist_entry *m;
	u32 i, n = si->nr_modules;

	if (!n || !si->modlist_paddr)
		return;
	m = (const void *)(uintptr_t)si->modlist_paddr;
	bootinfo_reserve(si->modlist_paddr, (u64)n * sizeof(*m));
	for (i = 0; i < n && i < BOOT_MODULES_MAX; i++)
		bootinfo_add_module(m[i].paddr, m[i].size);
	if (n > BOOT_MODULES_MAX)
		pr_warn("boot: %u PVH modules, using %u\n", n, BOOT_MODULES_MAX);
}

static void read_memmap(const struct hvm_start_info *si)
{
	const struct hvm_memmap_table_entry *e;
	u32 i, n;

	if (si->version < 1 || !si->memmap_paddr)
		return;
	n = si->memmap_entries;
	e = (const void *)(uintptr_t)si->memmap_paddr;
	bootinfo_reserve(si->memmap_paddr, (u64)n * sizeof(*e));
	if (n > MEMMAP_MAX) {
		pr_warn("boot: PVH memory map has %u entries, using %u\n", n, MEMMAP_MAX);
		n = MEMMAP_MAX;
	}
	for (i = 0; i < n; i++)
		memmap_add(&boot_info.memmap, e[i].addr, e[i].size, e[i].type);
}

void read_hvm_start_info(const struct hvm_start_info *si);
void read_hvm_start_info(const struct hvm_start_info *si)
{
	bootinfo_reserve((uintptr_t)si, sizeof(*si));
	if (si->cmdline_paddr) {
		bootinfo_set_cmdline((const char *)(uintptr_t)si->cmdline_paddr,
				     CMDLINE_SCAN_MAX);
		bootinfo_reserve(si->cmdline_paddr, boot_info.cmdline_len + 1);
	}
	read_modules(si);
	read_memmap(si);
	boot_info.acpi_rsdp = si->rsdp_paddr;
	boot_info.acpi_rsdp_source = ACPI_RSDP_PVH;
	if (!boot_info.acpi_rsdp) {
		boot_info.acpi_rsdp = acpi_find_rsdp_legacy();
		boot_info.acpi_rsdp_source = ACPI_RSDP_BIOS_SCAN;
	}
	boot_info.console_hints = CONSOLE_HINT_UART | CONSOLE_HINT_XEN;
}
