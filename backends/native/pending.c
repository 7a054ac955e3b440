// SPDX-License-Identifier: GPL-2.0
/* TEMPORARY: placeholders replaced by smp.c (in progress). */
#include <asm/pv/native.h>
#include <asm/pv/ops.h>

unsigned int native_smp_boot(void) { return 1; }
void native_flush_tlb_multi(const struct cpumask *cpus, u64 va) { flush_tlb_local(); }
void native_lock_wait(u8 *ptr, u8 val) {}
void native_lock_kick(unsigned int cpu) {}
