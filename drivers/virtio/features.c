// SPDX-License-Identifier: GPL-2.0
/*
 * Feature negotiation (virtio 1.2, 2.2 and 6): accept what the device
 * offers and the driver or the core knows, nothing else. VERSION_1 is
 * required of a modern device; a legacy interface has 32 bits and gets what
 * the driver wants, EVENT_IDX and INDIRECT_DESC. The rings implement
 * EVENT_IDX, INDIRECT_DESC (split) and RING_PACKED (virtqueue.h) and take
 * them where offered. ACCESS_PLATFORM, when
 * offered, is accepted: every address the device gets is the dma_addr
 * op's, which is what the platform's translation expects.
 */
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <proteus/virtio.h>

int virtio_negotiate(u64 offered, u64 wanted, bool legacy, u64 *accepted,
		     const char **why)
{
	if (legacy) {
		*accepted = offered & (wanted | VIRTIO_CORE_LEGACY_FEATURES) &
			    0xffffffffULL;
		return 0;
	}
	if (!(offered & (1ULL << VIRTIO_F_VERSION_1))) {
		*why = "VERSION_1 not offered (a legacy-only device)";
		return -1;
	}
	*accepted = offered & (wanted | VIRTIO_CORE_FEATURES);
	return 0;
}

const char *virtio_ring_kind(const struct virtio_device *vd)
{
	return vd->features & (1ULL << VIRTIO_F_RING_PACKED) ? "packed" : "split";
}

const char *virtio_type_name(u32 id)
{
	switch (id) {
	case VIRTIO_ID_NET:		return "net";
	case VIRTIO_ID_BLOCK:		return "blk";
	case VIRTIO_ID_CONSOLE:		return "console";
	case VIRTIO_ID_RNG:		return "rng";
	case VIRTIO_ID_BALLOON:		return "balloon";
	default:			return "unknown";
	}
}
