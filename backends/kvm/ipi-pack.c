// SPDX-License-Identifier: GPL-2.0
/*
 * Packing APIC IDs into KVM_HC_SEND_IPI batches (see ipi-pack.h for what
 * the hypercall wants).
 *
 * The batch's window is [min, min + 127], min being the lowest ID in it.
 * IDs come in CPU-number order, which need not be APIC ID order: an ID
 * above the window starts a new batch; one below it moves the window down
 * (the bitmap shifts up) if the highest ID stays within 128 of the new
 * min, else it starts a new batch too. Either way the batch is kept as
 * dense as it can be, so IDs sorted up or down take the fewest calls.
 *
 * A failed call does not stop the rest: the other batches' CPUs still get
 * their IPI, and finish reports the first error.
 */
#include <proteus/compiler.h>
#include "ipi-pack.h"

static bool kvm_ipi_batch_empty(const struct kvm_ipi_batch *b)
{
	return !b->bitmap[0];	/* bit 0, min, is set in any other batch */
}

/* Moves every bit up by n, 0 < n < 128. */
static void kvm_ipi_batch_shift_up(struct kvm_ipi_batch *b, u32 n)
{
	if (n >= 64) {
		b->bitmap[1] = b->bitmap[0] << (n - 64);
		b->bitmap[0] = 0;
	} else {
		b->bitmap[1] = (b->bitmap[1] << n) | (b->bitmap[0] >> (64 - n));
		b->bitmap[0] <<= n;
	}
}

static void kvm_ipi_batch_set(struct kvm_ipi_batch *b, u32 apic_id)
{
	u32 bit = apic_id - b->min;

	b->bitmap[bit / 64] |= 1ULL << (bit % 64);
}

/* Whether apic_id can join the (non-empty) batch. */
static bool kvm_ipi_fits(const struct kvm_ipi_packer *p, u32 apic_id)
{
	if (apic_id < p->b.min)
		return p->max - apic_id < KVM_IPI_BATCH_BITS;
	return apic_id - p->b.min < KVM_IPI_BATCH_BITS;
}

static void kvm_ipi_flush(struct kvm_ipi_packer *p)
{
	int ret;

	if (kvm_ipi_batch_empty(&p->b))
		return;
	ret = p->send(&p->b, p->ctx);
	if (ret < 0 && !p->err)
		p->err = ret;
	p->b.bitmap[0] = 0;
	p->b.bitmap[1] = 0;
}

void kvm_ipi_pack_init(struct kvm_ipi_packer *p, kvm_ipi_send_fn send,
		       void *ctx)
{
	*p = (struct kvm_ipi_packer){ .send = send, .ctx = ctx };
}

void kvm_ipi_pack_add(struct kvm_ipi_packer *p, u32 apic_id)
{
	struct kvm_ipi_batch *b = &p->b;

	if (!kvm_ipi_batch_empty(b) && !kvm_ipi_fits(p, apic_id))
		kvm_ipi_flush(p);
	if (kvm_ipi_batch_empty(b)) {
		b->min = apic_id;
		p->max = apic_id;
	} else if (apic_id < b->min) {
		kvm_ipi_batch_shift_up(b, b->min - apic_id);
		b->min = apic_id;
	}
	p->max = MAX(p->max, apic_id);
	kvm_ipi_batch_set(b, apic_id);
}

/* Sends what is left; returns 0 or the first error. Init before reuse. */
int kvm_ipi_pack_finish(struct kvm_ipi_packer *p)
{
	kvm_ipi_flush(p);
	return p->err;
}
