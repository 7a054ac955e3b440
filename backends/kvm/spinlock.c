// SPDX-License-Identifier: GPL-2.0
/*
 * PV spinlock wait and kick (KVM_FEATURE_PV_UNHALT): a waiter that has
 * spun long enough halts instead, giving its physical CPU to whoever
 * holds the lock; the unlocker wakes it with KVM_HC_KICK_CPU, which makes
 * a halted vCPU runnable, and makes its next halt return at once if the
 * kick comes first. So the check and the halt need no atomicity against
 * the kick, only against interrupts.
 */
#include <asm/pv/ops.h>
#include <proteus/smp.h>
#include "kvm.h"

/*
 * The lock.wait op. Interrupts stay as they were: with them off only the
 * kick ends the halt; with them on, sti;hlt so that none slips in between
 * the check and the halt.
 */
static void kvm_lock_wait(u8 *ptr, u8 val)
{
	struct kvm_vcpu_area *v = &kvm_vcpu[smp_processor_id()];

	if (irqs_disabled()) {
		if (READ_ONCE(*ptr) == val) {
			v->lock_halts++;
			halt();
		}
		return;
	}
	irq_disable();
	if (READ_ONCE(*ptr) == val) {
		v->lock_halts++;
		safe_halt();
	} else {
		irq_enable();
	}
}

/* The lock.kick op: flags 0, then the APIC ID of the vCPU to wake. */
static void kvm_lock_kick(unsigned int cpu)
{
	kvm_vcpu[smp_processor_id()].kicks++;
	kvm_hypercall(KVM_HC_KICK_CPU, 0, cpu_apic_id(cpu), 0, 0);
}

void kvm_spin_init_ops(void)
{
	if (!kvm_using(KVM_F_PV_SPIN))
		return;
	pv_ops.lock.wait = kvm_lock_wait;
	pv_ops.lock.kick = kvm_lock_kick;
}
