/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packing IPI targets into KVM's PV send-IPI hypercalls (KVM_HC_SEND_IPI,
 * Linux's Documentation/virt/kvm/x86/hypercalls.rst, "KVM_HC_SEND_IPI").
 * One call names its targets by a 128-bit bitmap and a base APIC ID:
 * a0 holds bits 0-63, a1 bits 64-127, a2 the base and a3 the low word of
 * the ICR (vector, delivery mode). Bit i stands for APIC ID base + i. The
 * call returns how many CPUs got the IPI, or a negative error.
 *
 * Feed the targets' APIC IDs one by one, in any order: the packer hands
 * each full batch to a send function, which makes the hypercall, and
 * finish hands over the last one. Targets spanning at most 128 IDs take
 * one call in any order, and IDs sorted up or down the fewest calls; a
 * shuffled order may take many more, as only one batch is open at a time.
 * A repeat of an ID still in the open batch is merged; one whose batch
 * went already gets the IPI again (a cpumask names each CPU once).
 * Nothing is allocated: the packer lives on the caller's stack.
 */
#ifndef BACKENDS_KVM_IPI_PACK_H
#define BACKENDS_KVM_IPI_PACK_H

#include <proteus/types.h>

#define KVM_IPI_BATCH_BITS	128

/* One call's targets: bit i % 64 of bitmap[i / 64] is APIC ID min + i. */
struct kvm_ipi_batch {
	u64 bitmap[2];
	u32 min;
};

/*
 * Makes one hypercall for the batch (a3 comes from ctx): returns what the
 * hypercall does. The count of CPUs reached is not looked at.
 */
typedef int (*kvm_ipi_send_fn)(const struct kvm_ipi_batch *b, void *ctx);

/*
 * Private to ipi-pack.c. The batch is empty or holds min itself (bit 0),
 * and max is the highest ID in it.
 */
struct kvm_ipi_packer {
	struct kvm_ipi_batch b;
	u32 max;
	kvm_ipi_send_fn send;
	void *ctx;
	int err;		/* the first error send returned, else 0 */
};

void kvm_ipi_pack_init(struct kvm_ipi_packer *p, kvm_ipi_send_fn send,
		       void *ctx);
void kvm_ipi_pack_add(struct kvm_ipi_packer *p, u32 apic_id);
int kvm_ipi_pack_finish(struct kvm_ipi_packer *p);

#endif
