// SPDX-License-Identifier: GPL-2.0
/*
 * TLB shootdown by IPI: the other CPUs flush in their call-function IPI
 * handler and we wait for every one of them, so no CPU can still use the
 * old translation when this returns. Native, and the KVM backend for the
 * vCPUs that are running (preempted ones get flushed by the host).
 */
#include <asm/pgtable.h>
#include <asm/pv/ops.h>
#include <proteus/cpumask.h>
#include <proteus/smp.h>

static void flush_local(u64 va)
{
	if (va == FLUSH_TLB_ALL)
		flush_tlb_local();
	else
		flush_tlb_one(va);
}

static void flush_ipi(void *va)
{
	flush_local((u64)(uintptr_t)va);
}

void flush_tlb_multi_ipi(const struct cpumask *cpus, u64 va)
{
	if (cpumask_test_cpu(smp_processor_id(), cpus))
		flush_local(va);
	smp_call_function_many(cpus, flush_ipi, (void *)(uintptr_t)va, true);
}
