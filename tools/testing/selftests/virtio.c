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
 */
#include <linux/virtio_ids.h>
#include <linux/virtio_ring.h>
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
