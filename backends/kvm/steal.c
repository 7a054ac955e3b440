// SPDX-License-Identifier: GPL-2.0
/*
 * Steal time (MSR_KVM_STEAL_TIME): the host keeps, per vCPU, how long it
 * was runnable but not running, and a "preempted" flag it sets while the
 * vCPU is descheduled. The flag makes remote TLB flushes cheaper: a
 * preempted vCPU is not running guest code, so rather than wake it with
 * an IPI and wait for it, we set FLUSH_TLB in its record, and the host
 * flushes its TLB before it runs again (Documentation/virt/kvm/x86/msr.rst).
 */
#include <asm/pgtable.h>
#include <asm/pv/ops.h>
#include <proteus/smp.h>
#include "kvm.h"

void kvm_steal_cpu_init(unsigned int cpu)
{
	wrmsr(MSR_KVM_STEAL_TIME, (u64)(uintptr_t)&kvm_vcpu[cpu].steal | KVM_MSR_ENABLED);
}

/* The steal_clock op: the host's count, read under its version protocol. */
u64 kvm_steal_clock(unsigned int cpu)
{
	const struct kvm_steal_time *st = &kvm_vcpu[cpu].steal;
	u32 version;
	u64 steal;

	do {
		version = READ_ONCE(st->version);
		barrier();
		steal = READ_ONCE(st->steal);
		barrier();
	} while ((version & 1) || version != READ_ONCE(st->version));
	return steal;
}

bool kvm_vcpu_preempted(unsigned int cpu)
{
	return READ_ONCE(kvm_vcpu[cpu].steal.preempted) & KVM_VCPU_PREEMPTED;
}

/*
 * The flush_tlb_multi op: preempted vCPUs get the flag, if it goes in
 * while they are still preempted (the host clears the byte when it
 * resumes them); the running ones are flushed by IPI as natively.
 */
static void kvm_flush_tlb_multi(const struct cpumask *cpus, u64 va)
{
	unsigned int self = smp_processor_id(), cpu;
	struct cpumask ipi = { cpumask_bits(cpus) };

	for_each_cpu(cpu, cpus) {
		u8 *state = &kvm_vcpu[cpu].steal.preempted;
		u8 seen = READ_ONCE(*state);

		if (cpu == self || !(seen & KVM_VCPU_PREEMPTED))
			continue;
		if (__atomic_compare_exchange_n(state, &seen, seen | KVM_VCPU_FLUSH_TLB,
						false, __ATOMIC_SEQ_CST,
						__ATOMIC_RELAXED)) {
			cpumask_clear_cpu(cpu, &ipi);
			kvm_vcpu[self].tlb_deferred++;
		}
	}
	flush_tlb_multi_ipi(&ipi, va);
}

void kvm_tlb_init_ops(void)
{
	if (kvm_using(KVM_F_STEAL))
		pv_ops.time.steal_clock = kvm_steal_clock;
	if (kvm_using(KVM_F_PV_TLB))
		pv_ops.mmu.flush_tlb_multi = kvm_flush_tlb_multi;
}
