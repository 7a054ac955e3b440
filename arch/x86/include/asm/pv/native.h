/* SPDX-License-Identifier: GPL-2.0 */
/* The native implementations (backends/native), the ops table's defaults. */
#ifndef ASM_PV_NATIVE_H
#define ASM_PV_NATIVE_H

#include <proteus/types.h>
#include <proteus/compiler.h>
#include <asm/processor.h>
#include <asm/pv/site.h>

struct cpumask;
struct desc_ptr;

/*
 * Single instructions with inline bodies (backends/native/inline.S). The
 * callee-save ones are known to C only as PV_CALLEE_SAVE() values.
 */
DECLARE_PV_CALLEE_SAVE(native_read_cr2);
DECLARE_PV_CALLEE_SAVE(native_save_fl);
DECLARE_PV_CALLEE_SAVE(native_restore_fl);
DECLARE_PV_CALLEE_SAVE(native_irq_disable);
DECLARE_PV_CALLEE_SAVE(native_irq_enable);
DECLARE_PV_CALLEE_SAVE(native_pte_identity);
u64 native_read_cr0(void);
void native_write_cr0(u64 v);
u64 native_read_cr3(void);
void native_write_cr3(u64 v);
u64 native_read_cr4(void);
void native_write_cr4(u64 v);
void native_wbinvd(void);
void native_load_gdt(const struct desc_ptr *d);
void native_load_idt(const struct desc_ptr *d);
void native_load_tr(u16 sel);
void native_io_delay(void);
void native_safe_halt(void);
void native_halt(void);
void native_set_pte(u64 *p, u64 v);
void native_flush_tlb_local(void);
void native_flush_tlb_one(u64 va);
u8 native_inb(u16 port);
u16 native_inw(u16 port);
u32 native_inl(u16 port);
void native_outb(u8 val, u16 port);
void native_outw(u16 val, u16 port);
void native_outl(u32 val, u16 port);
void native_hypercall(void);

/* C implementations. */
void native_cpuid_op(u32 leaf, u32 subleaf, struct cpuid_regs *r);
u64 native_read_msr(u32 msr);
void native_write_msr(u32 msr, u64 v);
int native_read_msr_safe(u32 msr, u64 *v);
int native_write_msr_safe(u32 msr, u64 v);
void *native_map_mmio(phys_addr_t pa, size_t size);
void native_unmap_mmio(void *va, size_t size);
u64 native_dma_addr(const void *va);
struct device_irq;
int native_bind_device_irq(struct device_irq *irq);
void native_unbind_device_irq(struct device_irq *irq);
u64 native_sched_clock(void);
u64 native_steal_clock(unsigned int cpu);

/* Boot hooks (pv_init). */
const char *native_clock_select(const char *name);
void native_paging_init(void);
u64 native_tsc_khz(void);
unsigned int native_cpu_count(void);
void native_power_init(void);
void native_power_off(int status) __noreturn;

/* The CMOS RTC (backends/native/rtc.c). */
u64 native_wallclock(void);

/* SMP (backends/native/smp.c). */
unsigned int native_smp_boot(void);
void native_lock_wait(u8 *ptr, u8 val);

#endif
