// SPDX-License-Identifier: GPL-2.0
/*
 * Virtio devices as QEMU gives them. virtio-rng: bytes arrive, and two
 * reads of 64 bytes are neither constant nor equal (chance of a false
 * failure: 2^-504); the entropy pool got credit from the device and two
 * reads from it differ. SKIP without a virtio-rng device (a plain
 * `qemu-system-x86_64 -kernel`); a device found but failed is a FAIL.
 */
#include <proteus/entropy.h>
#include <proteus/selftest.h>
#include <proteus/string.h>
#include <proteus/virtio.h>
#include <linux/virtio_ids.h>

#define RNG_TEST_BYTES	64

static bool constant(const u8 *p, size_t len)
{
	size_t i;

	for (i = 1; i < len; i++)
		if (p[i] != p[0])
			return false;
	return true;
}

SELFTEST(virtio, rng_bytes_vary)
{
	const char *why = virtio_rng_missing();
	u8 a[RNG_TEST_BYTES], b[RNG_TEST_BYTES], p[RNG_TEST_BYTES], q[RNG_TEST_BYTES];

	if (why && !virtio_find(VIRTIO_ID_RNG))
		return skip(why);
	if (why) {
		printk("# %s\n", why);
		return TEST_FAIL;
	}
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	EXPECT(!virtio_rng_read(a, sizeof(a)));
	EXPECT(!virtio_rng_read(b, sizeof(b)));
	printk("# %02x%02x%02x%02x... then %02x%02x%02x%02x...; pool credited %u bits\n",
	       a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3], entropy_bits());
	EXPECT(!constant(a, sizeof(a)));
	EXPECT(!constant(b, sizeof(b)));
	EXPECT(memcmp(a, b, sizeof(a)));
	EXPECT(entropy_bits() > 0);
	entropy_read(p, sizeof(p));
	entropy_read(q, sizeof(q));
	EXPECT(memcmp(p, q, sizeof(p)));
	return TEST_PASS;
}
