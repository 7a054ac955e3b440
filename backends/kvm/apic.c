// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt paths KVM shortens. The APIC itself and its timer stay as
 * natively (arch/x86/kernel/apic.c): KVM emulates them in the kernel.
 *
 * PV EOI (MSR_KVM_PV_EOI_EN): when KVM injects an interrupt whose EOI
 * only needs to retire it (edge-triggered, nothing else in service), it
 * sets bit 0 of a word we registered. Our EOI clears the bit and is done,
 * with no exit; KVM finds the bit clear at the next exit and retires the
 * interrupt itself. With the bit clear, the EOI is an APIC write.
 *
 * PV send IPI (KVM_HC_SEND_IPI): one hypercall reaches up to 128 CPUs
 * whose APIC IDs lie within 128 of each other (ipi-pack.c), where the
 * APIC takes one ICR write, and one exit, per target.
 *
 * PV sched yield (KVM_HC_SCHED_YIELD): if a CPU we just sent an IPI to
 * is preempted by the host, it cannot answer until it runs again, so we
 * give it our physical CPU rather than spin waiting for it.
 */
#include <asm/apic.h>
#include <asm/pv/ops.h>
#include <proteus/printk.h>
#include <proteus/smp.h>
#include "ipi-pack.h"
#include "kvm.h"

void kvm_pv_eoi_cpu_init(unsigned int cpu)
{
	wrmsr(MSR_KVM_PV_EOI_EN, (u64)(uintptr_t)&kvm_vcpu[cpu].pv_eoi | KVM_PV_EOI_ENABLED);
}

/* Only this vCPU and, while it is stopped, the host write the word. */
static bool test_and_clear_pv_eoi(u32 *word)
{
	bool was_set;

	__asm__ __volatile__("btrl $0, %0" : "+m"(*word), "=@ccc"(was_set) :: "memory");
	return was_set;
}

/* The eoi op. */
static void kvm_pv_eoi(void)
{
	struct kvm_vcpu_area *v = &kvm_vcpu[smp_processor_id()];

	if (test_and_clear_pv_eoi(&v->pv_eoi)) {
		v->eoi_skipped++;
		return;
	}
	v->eoi_written++;
	lapic_eoi();
}

/*
 * A batch the host refused (it reached nobody: KVM checks the batch
 * before delivering) goes out through the APIC, one target at a time.
 */
static int send_batch(const struct kvm_ipi_batch *b, void *ctx)
{
	u32 icr = (u32)(uintptr_t)ctx, i;
	long ret;

	ret = kvm_hypercall(KVM_HC_SEND_IPI, b->bitmap[0], b->bitmap[1], b->min, icr);
	if (ret >= 0)
		return 0;
	pr_warn_once("kvm: SEND_IPI failed (%ld); sending through the APIC\n", ret);
	for (i = 0; i < KVM_IPI_BATCH_BITS; i++)
		if (b->bitmap[i / 64] & (1ULL << (i % 64)))
			apic_write_icr(b->min + i, icr);
	return (int)ret;
}

static void yield_to_preempted(const struct cpumask *cpus)
{
	unsigned int self = smp_processor_id(), cpu;

	for_each_cpu(cpu, cpus) {
		if (cpu != self && kvm_vcpu_preempted(cpu)) {
			kvm_hypercall(KVM_HC_SCHED_YIELD, cpu_apic_id(cpu), 0, 0, 0);
			kvm_vcpu[self].yields++;
			return;
		}
	}
}

/* The send_ipi_mask op. */
static void kvm_send_ipi_mask(const struct cpumask *cpus, unsigned int vector)
{
	struct kvm_ipi_packer p;
	unsigned int cpu;

	if (kvm_using(KVM_F_PV_IPI)) {
		kvm_ipi_pack_init(&p, send_batch,
				  (void *)(uintptr_t)(APIC_ICR_FIXED | vector));
		for_each_cpu(cpu, cpus)
			kvm_ipi_pack_add(&p, cpu_apic_id(cpu));
		kvm_ipi_pack_finish(&p);
	} else {
		lapic_send_ipi_mask(cpus, vector);
	}
	if (kvm_using(KVM_F_PV_YIELD))
		yield_to_preempted(cpus);
}

void kvm_apic_init_ops(void)
{
	if (kvm_using(KVM_F_PV_EOI))
		pv_ops.apic.eoi = kvm_pv_eoi;
	if (kvm_using(KVM_F_PV_IPI) || kvm_using(KVM_F_PV_YIELD))
		pv_ops.apic.send_ipi_mask = kvm_send_ipi_mask;
}
