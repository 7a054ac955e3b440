// SPDX-License-Identifier: GPL-2.0
/* TEMPORARY: placeholders replaced by apic.c, rtc.c and smp.c (in progress). */
#include <asm/pv/native.h>
#include <asm/pv/ops.h>

void native_apic_init(void) {}
void native_apic_eoi(void) {}
void native_send_ipi(unsigned int cpu, unsigned int vector) {}
void native_send_ipi_mask(const struct cpumask *cpus, unsigned int vector) {}
void native_send_ipi_allbutself(unsigned int vector) {}
int native_set_oneshot(u64 delta_ns) { return -1; }
u64 native_wallclock(void) { return 0; }
unsigned int native_smp_boot(void) { return 1; }
void native_flush_tlb_multi(const struct cpumask *cpus, u64 va) { flush_tlb_local(); }
void native_lock_wait(u8 *ptr, u8 val) {}
void native_lock_kick(unsigned int cpu) {}
