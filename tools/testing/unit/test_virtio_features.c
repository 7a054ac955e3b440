// SPDX-License-Identifier: GPL-2.0
/*
 * drivers/virtio/features.c: the driver accepts only bits it or the core
 * knows, never one it was merely offered, and refuses a modern device
 * without VERSION_1; a legacy one gets the driver's bits of its 32.
 */
#include "unit.h"

#include <proteus/virtio.h>
#include <linux/virtio_ring.h>

#define BIT(n)		(1ULL << (n))
#define VERSION_1	BIT(VIRTIO_F_VERSION_1)
#define ACCESS_PLATFORM	BIT(VIRTIO_F_ACCESS_PLATFORM)
#define EVENT_IDX	BIT(VIRTIO_RING_F_EVENT_IDX)
#define INDIRECT	BIT(VIRTIO_RING_F_INDIRECT_DESC)
#define PACKED		BIT(VIRTIO_F_RING_PACKED)
#define CORE		(VERSION_1 | ACCESS_PLATFORM | EVENT_IDX | INDIRECT | PACKED)

int main(void)
{
	const char *why = NULL;
	u64 acc = 0xdead;

	unit_name("negotiate");
	CHECK_EQ(virtio_negotiate(~0ULL, 0, false, &acc, &why), 0);
	CHECK_EQ(acc, CORE);
	CHECK_EQ(virtio_negotiate(~0ULL, BIT(5) | BIT(0), false, &acc, &why), 0);
	CHECK_EQ(acc, CORE | BIT(5) | BIT(0));
	CHECK_EQ(virtio_negotiate(VERSION_1 | PACKED | INDIRECT, 0, false, &acc, &why), 0);
	CHECK_EQ(acc, VERSION_1 | PACKED | INDIRECT);
	CHECK_EQ(virtio_negotiate(VERSION_1 | BIT(3) | BIT(40), BIT(5), false, &acc, &why), 0);
	CHECK_EQ(acc, VERSION_1);
	acc = 0xdead;
	CHECK_EQ(virtio_negotiate(~VERSION_1, BIT(5), false, &acc, &why), -1);
	CHECK(why && strstr(why, "VERSION_1"));
	CHECK_EQ(acc, 0xdead);
	CHECK_EQ(virtio_negotiate(~0ULL, BIT(5) | BIT(40), true, &acc, &why), 0);
	CHECK_EQ(acc, BIT(5) | EVENT_IDX | INDIRECT);
	CHECK_EQ(virtio_negotiate(BIT(3), BIT(5), true, &acc, &why), 0);
	CHECK_EQ(acc, 0);
	CHECK_STR(virtio_type_name(4), "rng");
	CHECK_STR(virtio_type_name(999), "unknown");
	return unit_done();
}
