// SPDX-License-Identifier: GPL-2.0
/*
 * First C code of the 32-bit entries (Linux boot protocol and PVH), in
 * long mode on the boot identity map. Exceptions first, then the one read
 * of the protocol's structure, then the common kernel.
 */
#include <asm/bootparam.h>
#include <abi/hvm_start_info.h>
#include <asm/desc.h>
#include <asm/pv/ops.h>
#include <proteus/bootinfo.h>
#include <proteus/kernel.h>

void read_boot_params(const struct boot_params *bp);
void read_hvm_start_info(const struct hvm_start_info *si);
void boot_native_entry(u32 path, u32 data, u64 entry_tsc) __noreturn;

void boot_native_entry(u32 path, u32 data, u64 entry_tsc)
{
	idt_setup();
	boot_info.path = path;
	boot_info.entry_tsc = entry_tsc;
	if (path == BOOT_PVH)
		read_hvm_start_info((const void *)(uintptr_t)data);
	else
		read_boot_params((const void *)(uintptr_t)data);
	start_kernel();
}
