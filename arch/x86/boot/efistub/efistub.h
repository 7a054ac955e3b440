/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The EFI stub: the bzImage's EFI application entry (PE/COFF) and EFI
 * handover entry. It sits in the protected-mode part after loader32,
 * linked at 0 and run wherever the firmware or loader put it (only
 * RIP-relative addressing: the link refuses any absolute relocation).
 */
#ifndef EFISTUB_H
#define EFISTUB_H

#include <asm/bootparam.h>
#include "efi-api.h"

/*
 * The end of efistub.bin, filled by mkbzimage (like loader32's trailer).
 * The entries are self-relative (offset from the field itself), so the
 * stub needs no absolute address of its own; payload_offset counts from
 * the stub's first byte.
 */
struct efistub_trailer {
	u32 magic;			/* EFISTUB_MAGIC */
	s32 pe_entry;			/* efi_pe_entry - &pe_entry */
	s32 handover_entry;		/* efi_handover_entry - &handover_entry */
	u32 payload_offset;		/* build/vmlinux, from the stub's start */
	u32 payload_length;
	u32 pm_offset;			/* the stub's offset in the pm part */
};

#define EFISTUB_MAGIC	0x53494645u	/* "EFIS" in memory order */

extern const struct efistub_trailer efistub_trailer;
extern const char efistub_start[];

/* The 32-bit entry switch, copied below 4 GiB before it runs (head.S). */
extern const char efi_enter32[], efi_enter32_end[];
typedef void (*enter32_fn)(u32 entry, u32 boot_params, u64 entry_tsc);

extern struct efi_system_table *efi_st;
extern struct efi_boot_services *efi_bs;

/* console.c: ConOut, which OVMF also copies to the serial port. */
void efi_puts(const char *s);
efi_status_t efi_fail(const char *what, efi_status_t status);

/*
 * load.c: the payload's PT_LOAD segments, at their physical addresses;
 * [own_lo, own_hi) is memory already allocated for us (may be empty).
 */
efi_status_t efi_load_kernel(const u8 *elf, u32 size, u64 own_lo, u64 own_hi,
			     u32 *entry);

/* initrd.c: the loader's initrd, if it offers one, into boot_params. */
efi_status_t efi_load_initrd(struct boot_params *bp);

/* e820.c: the EFI memory map as boot_params.e820_table (pure). */
unsigned int efi_map_to_e820(const void *map, u64 map_size, u64 desc_size,
			     struct boot_e820_entry *e820, unsigned int max,
			     unsigned int *dropped);

#endif
