// SPDX-License-Identifier: GPL-2.0
/*
 * The EFI stub's two entries and the one path they share.
 *
 *   efi_pe_entry        the PE/COFF entry point: the firmware (OVMF's
 *                       QEMU -kernel loader, its boot manager, GRUB's
 *                       chainloader, systemd-boot) started the bzImage as
 *                       an EFI application. MS ABI: (ImageHandle, SystemTable).
 *   efi_handover_entry  the EFI handover protocol (boot.rst): a loader
 *                       (Debian GRUB's linuxefi) loaded the bzImage as
 *                       Linux, filled a boot_params and calls
 *                       pm start + handover_offset + 0x200 with the SysV
 *                       ABI: (ImageHandle, SystemTable, boot_params).
 *
 * Both build a boot_params below 4 GiB (the kernel's 32-bit entry takes
 * it in %esi; a handover loader's is copied there, its setup header and
 * command line kept): the command line from LoadOptions (PE) or the loader's,
 * efi_info ("EL64", the system table), the RSDP from the configuration
 * tables, the e820 table from the final EFI memory map. Then the kernel's
 * PT_LOAD segments go to their addresses, boot services end, and the CPU
 * drops to 32-bit protected mode with paging off to enter the kernel's
 * Linux-protocol entry with EFI_MARKER, like loader32 (boot=efi).
 * Any failure before ExitBootServices is reported on ConOut and returned
 * to the firmware.
 */
#include <proteus/string.h>
#include "efistub.h"

#define BELOW_4G	0xffffffffULL
#define SETUP_HDR_OFFSET 0x1f1		/* struct setup_header in the image */
#define LOADER_TYPE_UNDEFINED 0xff	/* boot.rst: type_of_loader */
#define EFI64_LOADER_SIGNATURE 0x34364c45	/* "EL64" */
#define MAP_SLACK	8		/* descriptors the map may grow by */

struct efi_system_table *efi_st;
struct efi_boot_services *efi_bs;

/* EFI_LOADED_IMAGE_PROTOCOL_GUID (UEFI 9.1) */
static const struct efi_guid loaded_image_guid = {
	0x5b1b31a1, 0x9562, 0x11d2,
	{ 0x8e, 0x3f, 0x00, 0xa0, 0xc9, 0x69, 0x72, 0x3b }
};

static u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return lo | (u64)hi << 32;
}

/*
 * Pages below 4 GiB, zeroed; NULL after a message. Code (the 32-bit
 * switch) gets EfiLoaderCode: firmware may map loader data non-executable.
 */
static void *alloc_low(u32 type, u64 bytes, const char *what)
{
	u64 addr = BELOW_4G;
	efi_status_t status;

	status = efi_bs->allocate_pages(EFI_ALLOCATE_MAX_ADDRESS, type,
					ALIGN_UP(bytes, EFI_PAGE_SIZE) / EFI_PAGE_SIZE,
					&addr);
	if (status) {
		efi_fail(what, status);
		return NULL;
	}
	memset((void *)(uintptr_t)addr, 0, bytes);
	return (void *)(uintptr_t)addr;
}

/* Every address is readable under boot services' identity map. */
static u64 avail_identity(u64 pa)
{
	return pa ? ~0ULL - pa : 0;
}

static void fill_firmware_info(struct boot_params *bp)
{
	u64 st = (uintptr_t)efi_st;
	const char *why;

	bp->efi_info.efi_loader_signature = EFI64_LOADER_SIGNATURE;
	bp->efi_info.efi_systab = (u32)st;
	bp->efi_info.efi_systab_hi = (u32)(st >> 32);
	if (bp->acpi_rsdp_addr)
		return;
	bp->acpi_rsdp_addr = efi_find_acpi_rsdp(st, avail_identity, &why);
	if (!bp->acpi_rsdp_addr) {
		efi_puts("EFI stub: no ACPI RSDP in the system table: ");
		efi_puts(why);
		efi_puts("\n");
	}
}

/*
 * The command line from LoadOptions: UCS-2, not necessarily terminated,
 * its size in bytes. Non-ASCII characters become '?'.
 */
static efi_status_t set_cmdline(struct boot_params *bp,
				const struct efi_loaded_image *li)
{
	const u16 *src = li->load_options;
	u32 n = li->load_options_size / 2, max = bp->hdr.cmdline_size, i;
	char *line;

	if (!src)
		n = 0;
	if (n > max)
		n = max;
	line = alloc_low(EFI_LOADER_DATA, n + 1,
			 "cannot allocate the command line");
	if (!line)
		return EFI_LOAD_ERROR;
	for (i = 0; i < n && src[i]; i++)
		line[i] = src[i] < 0x80 ? (char)src[i] : '?';
	line[i] = '\0';
	bp->hdr.cmd_line_ptr = (u32)(uintptr_t)line;
	return EFI_SUCCESS;
}

/*
 * GetMemoryMap into a buffer sized once (plus slack, since allocating it
 * adds entries), then ExitBootServices with its key. A failure means the
 * map changed: UEFI 7.4 says to get it again (no allocation allowed in
 * between) and retry.
 */
static efi_status_t exit_boot_services(efi_handle_t image,
				       struct boot_params *bp)
{
	u64 size = 0, key, desc_size, buf_size;
	struct efi_memory_desc *map;
	unsigned int attempt, dropped;
	efi_status_t status;
	u32 version;

	status = efi_bs->get_memory_map(&size, NULL, &key, &desc_size, &version);
	if (status != EFI_BUFFER_TOO_SMALL)
		return efi_fail("GetMemoryMap failed", status);
	buf_size = size + MAP_SLACK * desc_size;
	status = efi_bs->allocate_pool(EFI_LOADER_DATA, buf_size, (void **)&map);
	if (status)
		return efi_fail("cannot allocate the memory map", status);

	for (attempt = 0; attempt < 2; attempt++) {
		size = buf_size;
		status = efi_bs->get_memory_map(&size, map, &key, &desc_size,
						&version);
		if (status)
			return efi_fail("GetMemoryMap failed", status);
		bp->e820_entries = efi_map_to_e820(map, size, desc_size,
						   bp->e820_table,
						   E820_MAX_ENTRIES_ZEROPAGE,
						   &dropped);
		if (!bp->e820_entries)
			return efi_fail("the EFI memory map is empty",
					EFI_LOAD_ERROR);
		status = efi_bs->exit_boot_services(image, key);
		if (!status)
			break;
	}
	if (status)
		return efi_fail("ExitBootServices failed twice", status);
	return EFI_SUCCESS;
}

static efi_status_t efi_boot(efi_handle_t image, struct efi_system_table *st,
			     const struct boot_params *given, u64 tsc)
{
	const struct efistub_trailer *t = &efistub_trailer;
	struct efi_loaded_image *li;
	struct boot_params *bp;
	u64 enter_size = efi_enter32_end - efi_enter32;
	u64 own_lo = (uintptr_t)efistub_start - t->pm_offset;
	enter32_fn enter;
	efi_status_t status;
	u32 entry;

	if (!st || st->hdr.signature != EFI_SYSTEM_TABLE_SIGNATURE)
		return EFI_INVALID_PARAMETER;
	efi_st = st;
	efi_bs = (void *)(uintptr_t)st->boot_services;
	efi_puts(given ? "EFI stub: entered through the EFI handover protocol\n" :
			 "EFI stub: started as an EFI application\n");

	bp = alloc_low(EFI_LOADER_DATA, sizeof(*bp),
		       "cannot allocate boot_params");
	if (!bp)
		return EFI_LOAD_ERROR;
	if (given) {
		memcpy(bp, given, sizeof(*bp));
	} else {
		status = efi_bs->handle_protocol(image, &loaded_image_guid,
						 (void **)&li);
		if (status)
			return efi_fail("no EFI_LOADED_IMAGE_PROTOCOL", status);
		memcpy(&bp->hdr, (const u8 *)li->image_base + SETUP_HDR_OFFSET,
		       sizeof(bp->hdr));
		bp->hdr.type_of_loader = LOADER_TYPE_UNDEFINED;
		/* A loader may have left its own ramdisk fields in the image
		 * it handed the firmware (QEMU does): none is ours yet. */
		bp->hdr.ramdisk_image = 0;
		bp->hdr.ramdisk_size = 0;
		status = set_cmdline(bp, li);
		if (status)
			return status;
	}
	fill_firmware_info(bp);

	status = efi_load_kernel((const u8 *)efistub_start + t->payload_offset,
				 t->payload_length, own_lo,
				 given ? own_lo + given->hdr.init_size : own_lo,
				 &entry);
	if (status)
		return status;
	/* After the kernel's range is ours, so the initrd cannot take it. */
	if (!given) {
		status = efi_load_initrd(bp);
		if (status)
			return status;
	}
	enter = alloc_low(EFI_LOADER_CODE, enter_size,
			  "cannot allocate the 32-bit switch");
	if (!enter)
		return EFI_LOAD_ERROR;
	memcpy(enter, efi_enter32, enter_size);

	status = exit_boot_services(image, bp);
	if (status)
		return status;
	enter(entry, (u32)(uintptr_t)bp, tsc);
	return EFI_LOAD_ERROR;
}

efi_status_t __efiapi efi_pe_entry(efi_handle_t image,
				   struct efi_system_table *st);
efi_status_t __efiapi efi_pe_entry(efi_handle_t image,
				   struct efi_system_table *st)
{
	return efi_boot(image, st, NULL, rdtsc());
}

/*
 * A handover entry does not return: on failure the image exits through
 * boot services (UEFI 7.4 Exit), which returns the status to whoever
 * started it; should even that fail, stop.
 */
void efi_handover_entry(efi_handle_t image, struct efi_system_table *st,
			struct boot_params *bp);
void efi_handover_entry(efi_handle_t image, struct efi_system_table *st,
			struct boot_params *bp)
{
	efi_status_t status = efi_boot(image, st, bp, rdtsc());

	if (efi_bs)
		efi_bs->exit(image, status, 0, NULL);
	efi_puts("EFI stub: cannot boot; halting\n");
	for (;;)
		asm volatile("cli; hlt");
}
