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
 * chain went through an indirect table exactly when the device took
 * INDIRECT_DESC, split ring or packed (2.8.19).
 *
 * virtio.rng_needs_reset: a chain whose device-readable buffer follows a
 * device-writable one; QEMU's ring code calls it an incorrect order
 * (virtio_error: DEVICE_NEEDS_RESET and a configuration interrupt, which
 * the test waits for) and answers nothing: the core must reset each
 * modern device once (on a line, in the interrupt: QEMU's virtio-mmio
 * line stays up until then), the driver start it again, and bytes must
 * then arrive. Legacy devices have no such bit: left out. Packed
 * rings too: QEMU 7.2's packed pop leaves a chain it refused available,
 * and its rng, seeing the queue not empty, pops it again forever (QEMU
 * hangs; seen on qemu-tcg and qemu-microvm-virtio).
 *
 * virtio.restarts_bounded: the same ask VIRTIO_MAX_RESTARTS times in a row
 * with no buffer returned between restarts the device each time, and once
 * more fails it; virtio_retry then takes it on again.
 *
 * virtio.rng_interrupt_driven, virtio.msix_refusal_falls_back: each device
 * runs on the interrupt it offers, and a refused MSI-X vector falls back
 * to INTx. virtio.drivers_interrupt_driven: a blk read, a net send and a
 * console write each bring their device's interrupt.
 */
#include <asm/processor.h>
#include <asm/pv/ops.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_ring.h>
#include <proteus/kernel.h>
#include <proteus/entropy.h>
#include <proteus/selftest.h>
#include <proteus/string.h>
#include <proteus/net.h>
#include <proteus/virtio.h>
#include <proteus/virtio_blk.h>
#include <proteus/virtio_console.h>
#include <proteus/virtio_net.h>

#define RNG_TEST_BYTES	64
/* 16 requests of 64 bytes: two laps of the driver's 8-entry queue. */
#define RNG_LAPS_BYTES	1024
/* UDP discard (RFC 863): slirp forwards it to the host, where no one answers. */
#define DISCARD_PORT	9

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

static enum test_result rng_restarts(unsigned int i)
{
	const struct virtio_device *vd = virtio_rng_device(i);
	unsigned int restarts = vd->restarts;
	u64 changes = vd->config_changes;
	u8 buf[RNG_TEST_BYTES] = { 0 };

	EXPECT(virtio_rng_send_misordered(i) == -1);
	EXPECT_EQ(vd->restarts, restarts + 1);
	EXPECT(vd->irq_mode == VIRTIO_IRQ_NONE || vd->config_changes > changes);
	EXPECT(!vd->failed);
	EXPECT(!virtio_rng_read(i, buf, sizeof(buf)));
	EXPECT(!constant(buf, sizeof(buf)));
	printk("# %s ring=%s: restarted; %02x%02x%02x%02x...\n", virtio_rng_name(i),
	       virtio_ring_kind(vd), buf[0], buf[1], buf[2], buf[3]);
	return TEST_PASS;
}

SELFTEST(virtio, rng_needs_reset)
{
	unsigned int i, tested = 0;
	const char *why = "no virtio-rng device";

	for (i = 0; i < virtio_rng_count(); i++) {
		const char *out = virtio_misordered_left_out(virtio_rng_device(i));

		if (out) {
			printk("# %s: %s: left out\n", virtio_rng_name(i), out);
			why = out;
			continue;
		}
		if (rng_restarts(i) != TEST_PASS)
			return TEST_FAIL;
		tested++;
	}
	return tested ? TEST_PASS : skip(why);
}

/*
 * Device @i asks for a reset VIRTIO_MAX_RESTARTS times with no buffer
 * returned between, and is restarted each time; the next ask fails it.
 * Taken on again (virtio_retry), it must give bytes.
 */
static enum test_result restarts_bounded(unsigned int i)
{
	const struct virtio_device *vd = virtio_rng_device(i);
	unsigned int n, restarts = vd->restarts;
	u8 buf[RNG_TEST_BYTES] = { 0 };

	for (n = 1; n <= VIRTIO_MAX_RESTARTS; n++) {
		EXPECT(virtio_rng_send_misordered(i) == -1);
		EXPECT_EQ(vd->restarts, restarts + n);
		EXPECT(!vd->failed);
	}
	EXPECT(virtio_rng_send_misordered(i) == -1);
	EXPECT(vd->failed);
	EXPECT_EQ(vd->restarts, restarts + VIRTIO_MAX_RESTARTS);
	EXPECT(!virtio_rng_retry(i));
	EXPECT(!vd->failed);
	EXPECT(!virtio_rng_read(i, buf, sizeof(buf)));
	EXPECT(!constant(buf, sizeof(buf)));
	printk("# %s: failed after %u restarts in a row, taken on again: %02x%02x%02x%02x...\n",
	       virtio_rng_name(i), VIRTIO_MAX_RESTARTS, buf[0], buf[1], buf[2], buf[3]);
	return TEST_PASS;
}

SELFTEST(virtio, restarts_bounded)
{
	const char *why = "no virtio-rng device";
	unsigned int i;

	for (i = 0; i < virtio_rng_count(); i++) {
		why = virtio_misordered_left_out(virtio_rng_device(i));
		if (!why)
			return restarts_bounded(i);
	}
	return skip(why);
}

#define CHAIN_PARTS	3
#define CHAIN_PART	16
#define CHAIN_TRIES	4

static enum test_result chain_arrives(unsigned int i)
{
	const struct virtio_device *vd = virtio_rng_device(i);
	bool want = has(vd->features, VIRTIO_RING_F_INDIRECT_DESC);
	u8 buf[CHAIN_PARTS * CHAIN_PART];
	bool indirect = !want;
	unsigned int p, tries;
	int got = 0;

	/*
	 * A device may answer with fewer bytes (QEMU's rate limit, max-bytes
	 * per period, gives what is left of its budget): ask again, and the
	 * next period's budget fills the chain.
	 */
	for (tries = 0; tries < CHAIN_TRIES && got >= 0 && got < (int)sizeof(buf); tries++) {
		memset(buf, 0, sizeof(buf));
		got = virtio_rng_read_chain(i, buf, CHAIN_PART, CHAIN_PARTS, &indirect);
	}
	printk("# %s ring=%s: %d bytes in %u buffers, %s (try %u)\n", virtio_rng_name(i),
	       virtio_ring_kind(vd), got, CHAIN_PARTS,
	       indirect ? "indirect" : "direct", tries);
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
 * After a driver operation on @vd (its count @before it): interrupts on
 * until the count moved (or IRQ_WAIT_NS passed): how many the operation
 * brought. A wait that found its buffer at once never halted, and
 * selftests may run with interrupts off: its interrupt is still pending
 * then. MSIs may merge: one or more.
 */
static u64 irqs_since(struct virtio_device *vd, u64 before)
{
	u64 start, flags;

	start = sched_clock();
	flags = irq_save();
	irq_enable();
	while (__atomic_load_n(&vd->irqs, __ATOMIC_ACQUIRE) == before &&
	       sched_clock() - start < IRQ_WAIT_NS)
		cpu_relax();
	restore_flags(flags);
	return __atomic_load_n(&vd->irqs, __ATOMIC_ACQUIRE) - before;
}

static u64 irqs_for_reads(unsigned int i)
{
	struct virtio_device *vd = virtio_rng_device(i);
	u64 before = __atomic_load_n(&vd->irqs, __ATOMIC_ACQUIRE);
	u8 a[RNG_TEST_BYTES];

	if (virtio_rng_read(i, a, sizeof(a)) || virtio_rng_read(i, a, sizeof(a)))
		return 0;
	return irqs_since(vd, before);
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

/* One operation of a driver on its device, which must bring an interrupt. */
struct driver_op {
	const char *what;
	struct virtio_device *vd;
	int (*run)(unsigned int i);
	unsigned int i;
};

static u8 sector[BLK_SECTOR_SIZE] __aligned(BLK_SECTOR_SIZE);

static int blk_read_one(unsigned int i)
{
	return virtio_blk_read(i, 0, sector, 1);
}

/* A datagram to the discard port of the gateway (or the ARP request for it). */
static int net_send_one(unsigned int i)
{
	static const char msg[] = "proteus: interrupt count";

	return net_udp_send(net_gateway_ip(), DISCARD_PORT, DISCARD_PORT, msg, sizeof(msg));
}

static int console_write_one(unsigned int p)
{
	return virtio_console_write(p, "\n", 1);
}

/* Each running blk, net and console device and what to ask of it: how many. */
static unsigned int driver_ops(struct driver_op *ops, unsigned int max)
{
	unsigned int n = 0, i;

	for (i = 0; i < virtio_blk_count() && n < max; i++)
		if (virtio_blk_info(i)->running)
			ops[n++] = (struct driver_op){ "blk read", virtio_blk_device(i),
						       blk_read_one, i };
	if (virtio_net_running() && net_up() && n < max)
		ops[n++] = (struct driver_op){ "net send", virtio_net_device(),
					       net_send_one, 0 };
	if (virtio_console_running() && virtio_console_port_ready(0) && n < max)
		ops[n++] = (struct driver_op){ "console write", virtio_console_device(),
					       console_write_one, 0 };
	return n;
}

#define MAX_DRIVER_OPS	8

/*
 * virtio-blk, -net and -console wait on their device's interrupt: one
 * operation each (a sector read, a datagram sent, a byte written) brings
 * at least one interrupt where the device offers one (and is used as
 * virtio.rng_interrupt_driven says). The balloon's configuration-change
 * interrupt is balloon.follows_num_pages'.
 */
SELFTEST(virtio, drivers_interrupt_driven)
{
	struct driver_op ops[MAX_DRIVER_OPS];
	unsigned int n = driver_ops(ops, MAX_DRIVER_OPS), k;

	if (!n)
		return skip("no running virtio-blk, -net or -console device");
	for (k = 0; k < n; k++) {
		struct virtio_device *vd = ops[k].vd;
		u64 before = __atomic_load_n(&vd->irqs, __ATOMIC_ACQUIRE), got;

		EXPECT(!ops[k].run(ops[k].i));
		got = irqs_since(vd, before);
		printk("# %s %s: offers %s, uses %s (%s): %llu interrupts\n", ops[k].what,
		       vd->name, irq_modes[vd->irq_offered], irq_modes[vd->irq_mode],
		       vd->irq_name, (unsigned long long)got);
		if (vd->irq_offered == VIRTIO_IRQ_NONE)
			continue;
		if (vd->irq_mode != vd->irq_offered) {
			EXPECT(vd->irq_offered == VIRTIO_IRQ_MSIX &&
			       vd->irq_mode == VIRTIO_IRQ_INTX && vd->irq_why);
		}
		EXPECT(got > 0);
	}
	return TEST_PASS;
}
