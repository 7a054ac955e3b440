// SPDX-License-Identifier: GPL-2.0
/*
 * Packed virtqueue, driver side (virtio 1.2, 2.8): one ring of
 * descriptors both sides write. The driver makes a descriptor available
 * by setting its AVAIL flag to its avail wrap counter and USED to the
 * inverse (2.8.1); the device marks a chain used by writing one
 * descriptor, with the chain's buffer id and length, whose AVAIL and USED
 * both equal the driver's used wrap counter, at the next used position;
 * that position then moves past as many descriptors as the chain took.
 * Each counter flips when its position passes the end of the ring.
 *
 * Indirect (2.8.19): with INDIRECT_DESC a chain of several buffers takes
 * one ring descriptor, flagged INDIRECT, pointing at a table of the
 * queue's (virtio_ring.c); the device marks it used as any chain of one.
 *
 * Buffer ids are ours (a free list in vq->next, the chain in vq->chain):
 * a used id out of range, not in flight (returned twice), a length past
 * the chain's writable bytes, or a descriptor marked used while none is
 * in flight breaks the queue. The device event structure is checked too.
 *
 * Barriers (2.8.21): every descriptor of a chain is written, then a write
 * barrier, then the head's flags, which publish it. A full barrier
 * between that and reading the device event structure (2.8.10, kick or
 * not); a read barrier between seeing a used descriptor's flags and
 * reading its id and length.
 */
#include <proteus/printk.h>
#include <proteus/string.h>
#include "virtio_ring.h"

#define DESC_AVAIL	(1u << VRING_PACKED_DESC_F_AVAIL)
#define DESC_USED	(1u << VRING_PACKED_DESC_F_USED)
#define EVENT_WRAP	(1u << VRING_PACKED_EVENT_F_WRAP_CTR)

size_t vq_packed_bytes(u16 num)
{
	return sizeof(struct vring_packed_desc) * num;
}

int vq_init_packed(struct virtqueue *vq, const char *name, u16 num, void *ring,
		   void *driver_event, void *device_event)
{
	if (vq_init_common(vq, name, num))
		return -1;
	if (!IS_ALIGNED((uintptr_t)ring, 16) ||
	    !IS_ALIGNED((uintptr_t)driver_event, 4) ||
	    !IS_ALIGNED((uintptr_t)device_event, 4)) {
		vq_break(vq, "packed ring areas misaligned");
		return -1;
	}
	vq->packed = true;
	vq->ring = ring;
	vq->driver_event = driver_event;
	vq->device_event = device_event;
	vq->avail_wrap = true;
	vq->used_wrap = true;
	memset(ring, 0, vq_packed_bytes(num));
	memset(driver_event, 0, sizeof(*vq->driver_event));
	memset(device_event, 0, sizeof(*vq->device_event));
	return 0;
}

/* AVAIL as the wrap counter, USED its inverse: available in that lap. */
static u16 avail_flags(bool wrap)
{
	return wrap ? DESC_AVAIL : DESC_USED;
}

/*
 * The chain in indirect table @t (2.8.19: one after another, WRITE the
 * only flag, ids ignored), and its writable bytes; the ring descriptor
 * that points at it says INDIRECT alone.
 */
static u32 fill_indirect(struct virtqueue *vq, int t, const struct vq_buf *bufs,
			 unsigned int n, struct vq_buf *ring_buf)
{
	struct vring_packed_desc *table = vq_table(vq, t);
	u32 writable = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		table[i] = (struct vring_packed_desc){ .addr = bufs[i].addr,
			.len = bufs[i].len,
			.flags = bufs[i].device_writes ? VRING_DESC_F_WRITE : 0 };
		if (bufs[i].device_writes)
			writable += bufs[i].len;
	}
	*ring_buf = (struct vq_buf){ vq_table_bus(vq, t), n * sizeof(*table), false };
	return writable;
}

/* @n descriptors from @bufs in the ring under buffer @id: the head's flags. */
static u16 fill_ring(struct virtqueue *vq, const struct vq_buf *bufs, unsigned int n,
		     u16 id, u16 extra)
{
	u16 pos = vq->next_avail, head_flags = 0;
	bool wrap = vq->avail_wrap;
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct vring_packed_desc *d = &vq->ring[pos];
		u16 flags = avail_flags(wrap) | extra |
			    (bufs[i].device_writes ? VRING_DESC_F_WRITE : 0) |
			    (i + 1 < n ? VRING_DESC_F_NEXT : 0);

		d->addr = bufs[i].addr;
		d->len = bufs[i].len;
		d->id = id;
		if (i)
			d->flags = flags;
		else
			head_flags = flags;
		if (++pos == vq->num) {
			pos = 0;
			wrap = !wrap;
		}
	}
	vq->next_avail = pos;
	vq->avail_wrap = wrap;
	return head_flags;
}

int vq_packed_add(struct virtqueue *vq, const struct vq_buf *bufs,
		  unsigned int n, void *token)
{
	u16 head = vq->next_avail, id, head_flags, ndesc = n;
	int t = vq_take_table(vq, n);
	struct vq_buf ring_buf;
	u32 writable = 0;
	unsigned int i;

	if (t >= 0)
		ndesc = 1;
	if (ndesc > vq->num_free) {
		vq_put_table(vq, t);
		return -1;
	}
	id = vq->free_head;
	vq->free_head = vq->next[id];
	if (t >= 0) {
		writable = fill_indirect(vq, t, bufs, n, &ring_buf);
		head_flags = fill_ring(vq, &ring_buf, 1, id, VRING_DESC_F_INDIRECT);
	} else {
		for (i = 0; i < n; i++)
			writable += bufs[i].device_writes ? bufs[i].len : 0;
		head_flags = fill_ring(vq, bufs, n, id, 0);
	}
	vq->chain[id] = (struct vq_chain){ token, ndesc, t, writable };
	vq->num_free -= ndesc;
	vq->avail_idx += ndesc;
	virtio_wmb();
	*(volatile u16 *)&vq->ring[head].flags = head_flags;
	return 0;
}

/*
 * 2.8.10: DISABLE, no kick; ENABLE, a kick; DESC (only with EVENT_IDX),
 * a kick when what was published since the last look passed the
 * descriptor (offset and wrap counter) the device names.
 */
bool vq_packed_kick_needed(struct virtqueue *vq)
{
	u16 added = vq->avail_idx - vq->kick_idx, new = vq->next_avail;
	u16 flags, off_wrap, event;

	virtio_mb();
	flags = READ_ONCE(vq->device_event->flags);
	off_wrap = READ_ONCE(vq->device_event->off_wrap);
	vq->kick_idx = vq->avail_idx;
	if (flags == VRING_PACKED_EVENT_FLAG_DISABLE)
		return false;
	if (flags == VRING_PACKED_EVENT_FLAG_ENABLE)
		return true;
	event = off_wrap & ~EVENT_WRAP;
	if (flags != VRING_PACKED_EVENT_FLAG_DESC || !vq->event_idx ||
	    event >= vq->num) {
		vq_break(vq, "device event flags %#x offset %u: not valid (queue size %u%s)",
			 flags, event, vq->num, vq->event_idx ? "" : ", no EVENT_IDX");
		return false;
	}
	/* An offset of the previous lap lies one ring before ours. */
	if (!!(off_wrap & EVENT_WRAP) != vq->avail_wrap)
		event -= vq->num;
	return vring_need_event(event, new, (u16)(new - added));
}

void *vq_packed_get_used(struct virtqueue *vq, u32 *len)
{
	struct vring_packed_desc *d = &vq->ring[vq->last_used];
	u16 flags = READ_ONCE(d->flags), pos;
	bool avail = flags & DESC_AVAIL, used = flags & DESC_USED;
	struct vq_chain *c;
	void *token;
	u32 id, l;

	if (avail != used || used != vq->used_wrap)
		return NULL;
	if (vq->num_free == vq->num) {
		vq_break(vq, "descriptor %u marked used (flags %#x) but none is in flight",
			 vq->last_used, flags);
		return NULL;
	}
	virtio_rmb();
	id = READ_ONCE(d->id);
	l = READ_ONCE(d->len);
	c = vq_used_chain(vq, id, l);
	if (!c)
		return NULL;
	pos = vq->last_used + c->ndesc;
	if (pos >= vq->num) {
		pos -= vq->num;
		vq->used_wrap = !vq->used_wrap;
	}
	vq->last_used = pos;
	vq->num_free += c->ndesc;
	vq->next[id] = vq->free_head;
	vq->free_head = id;
	vq_put_table(vq, c->table);
	c->table = -1;
	token = c->token;
	c->token = NULL;
	if (vq->event_idx) {
		vq->driver_event->off_wrap = pos | (vq->used_wrap ? EVENT_WRAP : 0);
		virtio_wmb();
		vq->driver_event->flags = VRING_PACKED_EVENT_FLAG_DESC;
	}
	*len = l;
	return token;
}
