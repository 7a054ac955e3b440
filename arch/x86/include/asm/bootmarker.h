/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The marker our real-mode setup leaves in %ebx when it jumps to the
 * 32-bit entry of the bzImage, and which the bzImage's loader32 stub
 * passes on to the kernel's 32-bit entry.
 *
 * The 32-bit boot protocol makes every loader enter with %ebx = %ebp =
 * %edi = 0, so a nonzero value cannot come from anyone but us: seeing it
 * means "we came through the 16-bit (linux16) path, and %edi:%ebp hold
 * the TSC read by its very first instruction". The bytes spell "PL16" in
 * memory order.
 *
 * Plain #define only: this file is included from assembly and from C.
 */
#ifndef ASM_BOOTMARKER_H
#define ASM_BOOTMARKER_H

#define LINUX16_MARKER	0x36314c50

/*
 * The same for the EFI stub (arch/x86/boot/efistub): it enters with
 * %edi:%ebp = the TSC read by the EFI entry's first instruction and
 * boot_params filled from UEFI. "PEFI" in memory order.
 */
#define EFI_MARKER	0x49464550

#endif
