/* SPDX-License-Identifier: GPL-2.0 */
/* The native implementations (backends/native), the ops table's defaults. */
#ifndef ASM_PV_NATIVE_H
#define ASM_PV_NATIVE_H

#include <proteus/types.h>
#include <proteus/compiler.h>
#include <asm/processor.h>

void native_cpuid_op(u32 leaf, u32 subleaf, struct cpuid_regs *r);
u64 native_read_cr2_op(void);
void native_load_idt(void);
void native_irq_disable(void);
void native_halt(void);
void native_paging_init(void);
u8 native_inb(u16 port);
void native_outb(u8 val, u16 port);
u64 native_tsc_khz(void);
unsigned int native_cpu_count(void);
void native_power_off(int status) __noreturn;

#endif
