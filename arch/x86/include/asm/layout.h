/* SPDX-License-Identifier: GPL-2.0 */
/* Where the kernel lives; shared by the linker script, asm and C. */
#ifndef ASM_LAYOUT_H
#define ASM_LAYOUT_H

#define KERNEL_LOAD_ADDR	0x200000
#define BOOT_STACK_SIZE		(16 * 1024)

/* Our own GDT, used by the native and PVH paths. */
#define GDT_ENTRY_CODE32	1
#define GDT_ENTRY_DATA		2
#define GDT_ENTRY_CODE64	3
#define __BOOT_CS32		(GDT_ENTRY_CODE32 * 8)
#define __KERNEL_DS		(GDT_ENTRY_DATA * 8)
#define __KERNEL_CS		(GDT_ENTRY_CODE64 * 8)

#endif
