// SPDX-License-Identifier: GPL-2.0
/*
 * Virtio devices as QEMU gives them. virtio-rng, every device found
 * (PCI modern, transitional, MMIO): bytes arrive, and two reads of 64
 * bytes are neither constant nor equal (chance of a false failure:
 * 2^-504); a read of 1 KiB laps the ring twice (wrap counters, free
 * lists) and is not constant; the entropy pool got credit and two reads
 * from it differ; a device that offered the packed ring runs on one. SKIP without a
 * virtio-rng device (a plain `qemu-system-x86_64 -kernel`); a device
 * found but not driven (failed, legacy-only) is a FAIL.
 *
 * virtio.indirect_chain: one rng request as a chain of three buffers;
 * bytes arrive in each (a false failure: 2^-120 per buffer), and the
 * chain went through an indirect table exactly when the split ring took
 * INDIRECT_DESC (the packed ring here keeps chains direct).
 *
 * virtio.rng_interrupt_driven, virtio.msix_refusal_falls_back: each device
 * runs on the interrupt it offers, and a refused MSI-X vector falls back
 * to INTx.
 */
#include <asm/processor.h>
#include <asm/pv/ops.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_ring.h>
#include <proteus/kernel.h>
#include <proteus/entropy.h>
#include <proteus/selftest.h>
#include <proteus/string.h>
#include <proteus/virtio.h>

#define RNG_TEST_BYTES	64
/* 16 requests of 64 bytes: two laps of the driver's 8-entry queue. */
#define RNG_LAPS_BYTES	1024

static bool constant(const u8 *p, size_t len)
{
	size_t i;

	for (i = 1; i < len; i++)
		if (p[i] != p[0])
			return false;
	return true;
}

static bool has(u64 features, unsigned int bit)
{
	return features & (1ULL << bit);
}

static enum test_result rng_varies(unsigned int i)
{
	const struct virtio_device *vd = virtio_rng_device(i);
	u8 a[RNG_TEST_BYTES] = { 0 }, b[RNG_TEST_BYTES] = { 0 };
	static u8 laps[RNG_LAPS_BYTES];

	EXPECT(!virtio_rng_read(i, a, sizeof(a)));
	EXPECT(!virtio_rng_read(i, b, sizeof(b)));
	printk("# %s ring=%s: %02x%02x%02x%02x... then %02x%02x%02x%02x...\n",
	       virtio_rng_name(i), virtio_ring_kind(vd), a[0], a[1], a[2], a[3],
	       b[0], b[1], b[2], b[3]);
	EXPECT(has(vd->offered, VIRTIO_F_RING_PACKED) ==
	       has(vd->features, VIRTIO_F_RING_PACKED));
	EXPECT(!constant(a, sizeof(a)));
	EXPECT(!constant(b, sizeof(b)));
	EXPECT(memcmp(a, b, sizeof(a)));
	memset(laps, 0, sizeof(laps));
	EXPECT(!virtio_rng_read(i, laps, sizeof(laps)));
	EXPECT(!constant(laps + sizeof(laps) - RNG_TEST_BYTES, RNG_TEST_BYTES));
	return TEST_PASS;
}

SELFTEST(virtio, rng_bytes_vary)
{
	u8 p[RNG_TEST_BYTES], q[RNG_TEST_BYTES];
	unsigned int i, found = virtio_count(VIRTIO_ID_RNG);

	if (!found)
		return skip("no virtio-rng device");
	if (virtio_rng_count() != found) {
		printk("# %u virtio-rng devices found, %u taken by the driver\n", found,
		       virtio_rng_count());
		return TEST_FAIL;
	}
	for (i = 0; i < virtio_rng_count(); i++)
		if (rng_varies(i) != TEST_PASS)
			return TEST_FAIL;
	printk("# %u devices; pool credited %u bits\n", virtio_rng_count(),
	       entropy_bits());
	EXPECT(entropy_bits() > 0);
	entropy_read(p, sizeof(p));
	entropy_read(q, sizeof(q));
	EXPECT(memcmp(p, q, sizeof(p)));
	return TEST_PASS;
}

#define CHAIN_PARTS	3
#define CHAIN_PART	16

static enum test_result chain_arrives(unsigned int i)
{
	const struct virtio_device *vd = virtio_rng_device(i);
	bool want = has(vd->features, VIRTIO_RING_F_INDIRECT_DESC) &&
		    !has(vd->features, VIRTIO_F_RING_PACKED);
	u8 buf[CHAIN_PARTS * CHAIN_PART];
	bool indirect = !want;
	unsigned int p;
	int got;

	memset(buf, 0, sizeof(buf));
	got = virtio_rng_read_chain(i, buf, CHAIN_PART, CHAIN_PARTS, &indirect);
	printk("# %s ring=%s: %d bytes in %u buffers, %s\n", virtio_rng_name(i),
	       virtio_ring_kind(vd), got, CHAIN_PARTS,
	       indirect ? "indirect" : "direct");
	EXPECT(got == (int)sizeof(buf));
	EXPECT(indirect == want);
	for (p = 0; p < CHAIN_PARTS; p++)
		EXPECT(!constant(buf + p * CHAIN_PART, CHAIN_PART));
	return TEST_PASS;
}

SELFTEST(virtio, indirect_chain)
{
	unsigned int i;

	if (!virtio_rng_count())
		return skip("no virtio-rng device");
	for (i = 0; i < virtio_rng_count(); i++)
		if (chain_arrives(i) != TEST_PASS)
			return TEST_FAIL;
	return TEST_PASS;
}

static const char *const irq_modes[] = {
	[VIRTIO_IRQ_NONE] = "none", [VIRTIO_IRQ_INTX] = "intx",
	[VIRTIO_IRQ_MSIX] = "msix", [VIRTIO_IRQ_MMIO] = "mmio",
};

/* Every used buffer brings an interrupt, but one may wait for interrupts on. */
#define IRQ_WAIT_NS	(1000 * NSEC_PER_MSEC)

/*
 * Two reads from rng device @i, then interrupts on until the count
 * moved (or IRQ_WAIT_NS passed): how many interrupts they brought.
 * A read that found its buffer at once never halted, and selftests may
 * run with interrupts off: its interrupt is still pending then.
 */
static u64 irqs_for_reads(unsigned int i)
{
	struct virtio_device *vd = virtio_rng_device(i);
	u8 a[RNG_TEST_BYTES];
	u64 before = __atomic_load_n(&vd->irqs, __ATOMIC_ACQUIRE), start, flags;

	if (virtio_rng_read(i, a, sizeof(a)) || virtio_rng_read(i, a, sizeof(a)))
		return 0;
	start = sched_clock();
	flags = irq_save();
	irq_enable();
	while (__atomic_load_n(&vd->irqs, __ATOMIC_ACQUIRE) == before &&
	       sched_clock() - start < IRQ_WAIT_NS)
		cpu_relax();
	restore_flags(flags);
	return __atomic_load_n(&vd->irqs, __ATOMIC_ACQUIRE) - before;
}

/* Far past any MSI-X table (2048 entries at most): the device must refuse it. */
#define VECTOR_NO_DEVICE_HAS	0xfffe

/*
 * A queue vector the device refuses (it reads back VIRTIO_MSI_NO_VECTOR)
 * takes the device back to INTx, where its interrupts still arrive.
 * Leaves that device on INTx.
 */
SELFTEST(virtio, msix_refusal_falls_back)
{
	struct virtio_device *vd = NULL;
	unsigned int i;
	u64 n;

	for (i = 0; i < virtio_rng_count() && !vd; i++)
		if (virtio_rng_device(i)->irq_mode == VIRTIO_IRQ_MSIX &&
		    !virtio_rng_device(i)->failed)
			vd = virtio_rng_device(i);
	if (!vd)
		return skip("no virtio-rng device on MSI-X");
	EXPECT(!virtio_pci_set_queue_entry(vd, 0, VECTOR_NO_DEVICE_HAS));
	n = irqs_for_reads(i - 1);
	printk("# %s: after the refusal uses %s (%s): %llu interrupts for 2 reads\n",
	       vd->name, irq_modes[vd->irq_mode], vd->irq_name, (unsigned long long)n);
	EXPECT(vd->irq_mode == VIRTIO_IRQ_INTX);
	EXPECT(n > 0);
	return TEST_PASS;
}

/*
 * Each virtio-rng device runs on the interrupt it offers (MSI-X when it
 * has the capability, INTx, the MMIO line), or on INTx with a reason
 * when MSI-X could not be used (Xen PV maps no MSI; a legacy device;
 * a vector refused), and two reads bring interrupts of their own.
 */
SELFTEST(virtio, rng_interrupt_driven)
{
	unsigned int i;

	if (!virtio_rng_count())
		return skip("no virtio-rng device");
	for (i = 0; i < virtio_rng_count(); i++) {
		struct virtio_device *vd = virtio_rng_device(i);
		u64 n = irqs_for_reads(i);

		printk("# %s: offers %s, uses %s (%s)%s%s: %llu interrupts for 2 reads\n",
		       vd->name, irq_modes[vd->irq_offered], irq_modes[vd->irq_mode],
		       vd->irq_name, vd->irq_why ? ", because: " : "",
		       vd->irq_why ? vd->irq_why : "", (unsigned long long)n);
		if (vd->irq_offered == VIRTIO_IRQ_NONE)
			continue;
		if (vd->irq_mode != vd->irq_offered) {
			EXPECT(vd->irq_offered == VIRTIO_IRQ_MSIX &&
			       vd->irq_mode == VIRTIO_IRQ_INTX && vd->irq_why);
		}
		EXPECT(n > 0);
	}
	return TEST_PASS;
}
