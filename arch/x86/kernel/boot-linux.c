// SPDX-License-Identifier: GPL-2.0
/*
 * The Linux x86 boot protocol's boot_params ("zero page"), read once into
 * boot_info. Layout from linux-libc-dev's asm/bootparam.h; field meanings
 * from the Linux boot protocol (Documentation/arch/x86/boot.rst): the
 * command line and ramdisk may have high halves in ext_* (2.12+), the RSDP
 * address arrives in acpi_rsdp_addr (2.14+); a UEFI loader that leaves it
 * 0 names the EFI system table in efi_info instead.
 */
#include <asm/bootparam.h>
#include <proteus/acpi.h>
#include <proteus/bootinfo.h>
#include <proteus/cmdline.h>
#include <proteus/printk.h>

/* The loader's cmdline_size may be larger than what we keep; cap the scan. */
#define CMDLINE_SCAN_MAX	(64 * 1024)

/* "EL64": a 64-bit UEFI loader filled efi_info (Linux boot protocol). */
#define EFI64_LOADER_SIGNATURE	0x34364c45

/*
 * Only the system table's address is kept: the ACPI code looks up the
 * RSDP through it when the loader passed none. 32-bit firmware ("EL32")
 * is not supported; its tables are not ours to read.
 */
static void read_efi_info(const struct boot_params *bp)
{
	if (bp->efi_info.efi_loader_signature != EFI64_LOADER_SIGNATURE)
		return;
	boot_info.efi_systab = bp->efi_info.efi_systab |
			       (u64)bp->efi_info.efi_systab_hi << 32;
}

void read_boot_params(const struct boot_params *bp);
void read_boot_params(const struct boot_params *bp)
{
	const struct setup_header *h = &bp->hdr;
	unsigned int i, n = bp->e820_entries;
	u64 cmd = h->cmd_line_ptr | (u64)bp->ext_cmd_line_ptr << 32;
	u64 rd = h->ramdisk_image | (u64)bp->ext_ramdisk_image << 32;
	u64 rd_size = h->ramdisk_size | (u64)bp->ext_ramdisk_size << 32;

	bootinfo_reserve((uintptr_t)bp, sizeof(*bp));
	if (cmd) {
		bootinfo_set_cmdline((const char *)(uintptr_t)cmd, CMDLINE_SCAN_MAX);
		bootinfo_reserve(cmd, boot_info.cmdline_len + 1);
	}
	if (n > E820_MAX_ENTRIES_ZEROPAGE) {
		pr_warn("boot: boot_params claims %u e820 entries, using %u\n",
			n, E820_MAX_ENTRIES_ZEROPAGE);
		n = E820_MAX_ENTRIES_ZEROPAGE;
	}
	for (i = 0; i < n; i++) {
		const struct boot_e820_entry *e = &bp->e820_table[i];

		memmap_add(&boot_info.memmap, e->addr, e->size, e->type);
	}
	if (rd && rd_size)
		bootinfo_add_module(rd, rd_size);
	if (h->version >= 0x20e && bp->acpi_rsdp_addr) {
		boot_info.acpi_rsdp = bp->acpi_rsdp_addr;
		boot_info.acpi_rsdp_source = ACPI_RSDP_BOOTPARAMS;
	}
	read_efi_info(bp);
	if (!boot_info.acpi_rsdp && !boot_info.efi_systab) {
		boot_info.acpi_rsdp = acpi_find_rsdp_legacy();
		boot_info.acpi_rsdp_source = ACPI_RSDP_BIOS_SCAN;
	}
	boot_info.console_hints = CONSOLE_HINT_UART;
}

/*
 * Words Linux-protocol loaders add to the command line for a Linux kernel:
 * GRUB's BOOT_IMAGE=<path of the image>, and initrd=<file> which OVMF's
 * QEMU loader (and users of EFI stubs) add for the stub to load. The
 * modules already reached us through boot_params (the stub asks the
 * loader with LoadFile2); these are known, and need nothing more.
 */
static int loader_word(const char *val)
{
	return 0;
}
KERNEL_PARAM("BOOT_IMAGE", loader_word);

static int initrd_word(const char *val)
{
	return 0;
}
KERNEL_PARAM("initrd", initrd_word);
