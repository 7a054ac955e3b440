/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Split virtqueues (virtio 1.2, 2.7): the driver's side of the ring, free
 * of any transport or DMA op, so the host tests drive it against a
 * simulated device. The caller gives the three areas (each inside one
 * page, with their bus addresses known to the transport) and bus
 * addresses for the buffers; the ring never dereferences those.
 *
 * Everything the device writes (used index, used ids and lengths) is
 * checked before use; the first bad value breaks the queue: vq->broken
 * says why (printed once) and every later call fails.
 */
#ifndef PROTEUS_VIRTQUEUE_H
#define PROTEUS_VIRTQUEUE_H

#include <proteus/types.h>
#include <linux/virtio_ring.h>

/* One size for every queue here: each area of the ring fits in a page. */
#define VQ_MAX_SIZE	256

struct vq_buf {
	u64 addr;		/* bus address */
	u32 len;
	bool device_writes;	/* VRING_DESC_F_WRITE */
};

struct vq_chain {
	void *token;		/* the driver's cookie; NULL: not in flight */
	u16 ndesc;
	u32 writable;		/* bytes the device may write */
};

struct virtqueue {
	char name[24];		/* for messages: "0000:00:04.0 vq0" */
	u16 num;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	u16 free_head, num_free;
	u16 avail_idx;		/* the driver's copy of avail->idx */
	u16 kick_idx;		/* avail_idx when vq_kick_needed last looked */
	bool event_idx;		/* VIRTIO_RING_F_EVENT_IDX negotiated: set after vq_init */
	u16 last_used;		/* used entries consumed */
	const char *broken;
	char why[96];
	u16 next[VQ_MAX_SIZE];	/* the free list and chains: our copy, never the device's */
	struct vq_chain chain[VQ_MAX_SIZE];
};

/* Bytes each area takes for @num entries (split ring, 2.7). */
size_t vq_desc_bytes(u16 num);
size_t vq_avail_bytes(u16 num);
size_t vq_used_bytes(u16 num);

/*
 * Set up @vq over the given areas, zeroed here; @num a power of two up
 * to VQ_MAX_SIZE. -1 (and vq->broken) otherwise.
 */
int vq_init(struct virtqueue *vq, const char *name, u16 num, void *desc,
	       void *avail, void *used);

/*
 * Publish one chain of @n buffers, @token coming back from
 * vq_get_used; -1 when it does not fit, is empty, has a buffer of
 * length 0, or the queue is broken.
 */
int vq_add(struct virtqueue *vq, const struct vq_buf *bufs, unsigned int n,
	      void *token);

/*
 * Whether the device wants to hear of what was published since the last
 * call (after a full barrier): with EVENT_IDX, whether those entries
 * passed its avail_event (2.7.10); else unless it set NO_NOTIFY.
 */
bool vq_kick_needed(struct virtqueue *vq);

/*
 * The token of the next chain the device returned, with the bytes it
 * wrote in *@len; NULL when none is ready, or the queue is (now) broken.
 * With EVENT_IDX, used_event moves to what was consumed.
 */
void *vq_get_used(struct virtqueue *vq, u32 *len);

#endif
