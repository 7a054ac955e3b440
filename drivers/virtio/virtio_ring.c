// SPDX-License-Identifier: GPL-2.0
/*
 * Split virtqueue, driver side (virtio 1.2, 2.7). The descriptor table
 * and the available ring are ours and the device only reads them; the
 * used ring is the device's, and nothing read from it is trusted: the
 * used index may not run more than a queue ahead of what we consumed, an
 * id must name the head of a chain in flight, and a length may not exceed
 * what that chain let the device write. Our own copy of the free list and
 * of each chain (vq->next, vq->chain) is what we free from, so a device
 * that scribbles on the descriptor table cannot steer us either.
 *
 * Barriers (2.7.13, 2.7.14): descriptors and the ring entry are written
 * before avail->idx (a write barrier); the full barrier between
 * publishing avail->idx and reading used->flags or avail_event keeps a
 * kick from being skipped on a stale value; used entries are read after used->idx (a read
 * barrier). Modern devices are little-endian, as x86 is.
 */
#include <proteus/compiler.h>
#include <proteus/printk.h>
#include <proteus/string.h>
#include <proteus/virtqueue.h>

#define virtio_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define virtio_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define virtio_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)

size_t vq_desc_bytes(u16 num)
{
	return sizeof(struct vring_desc) * num;
}

size_t vq_avail_bytes(u16 num)
{
	return sizeof(struct vring_avail) + sizeof(u16) * (num + 1);
}

size_t vq_used_bytes(u16 num)
{
	return sizeof(struct vring_used) + sizeof(struct vring_used_elem) * num +
	       sizeof(u16);
}

__printf(2, 3)
static void vq_break(struct virtqueue *vq, const char *fmt, ...)
{
	va_list ap;

	if (vq->broken)
		return;
	va_start(ap, fmt);
	vsnprintf(vq->why, sizeof(vq->why), fmt, ap);
	va_end(ap);
	vq->broken = vq->why;
	pr_err("virtio: %s: %s; queue broken\n", vq->name, vq->why);
}

int vq_init(struct virtqueue *vq, const char *name, u16 num, void *desc,
	       void *avail, void *used)
{
	u16 i;

	memset(vq, 0, sizeof(*vq));
	strlcpy(vq->name, name, sizeof(vq->name));
	if (!num || num > VQ_MAX_SIZE || (num & (num - 1))) {
		vq_break(vq, "queue size %u: not a power of two up to %u", num,
			 VQ_MAX_SIZE);
		return -1;
	}
	if (!IS_ALIGNED((uintptr_t)desc, VRING_DESC_ALIGN_SIZE) ||
	    !IS_ALIGNED((uintptr_t)avail, VRING_AVAIL_ALIGN_SIZE) ||
	    !IS_ALIGNED((uintptr_t)used, VRING_USED_ALIGN_SIZE)) {
		vq_break(vq, "ring areas misaligned");
		return -1;
	}
	vq->num = num;
	vq->desc = desc;
	vq->avail = avail;
	vq->used = used;
	memset(desc, 0, vq_desc_bytes(num));
	memset(avail, 0, vq_avail_bytes(num));
	memset(used, 0, vq_used_bytes(num));
	for (i = 0; i < num; i++)
		vq->next[i] = i + 1;
	vq->num_free = num;
	return 0;
}

int vq_add(struct virtqueue *vq, const struct vq_buf *bufs, unsigned int n,
	      void *token)
{
	u16 head = vq->free_head, d = head;
	u32 writable = 0;
	unsigned int i;

	if (vq->broken || !n || n > vq->num_free || !token)
		return -1;
	for (i = 0; i < n; i++)
		if (!bufs[i].len)
			return -1;
	/* The chain follows our free list: vq->next links it as it is. */
	for (i = 0; i < n; i++, d = vq->next[d]) {
		struct vring_desc *e = &vq->desc[d];

		e->addr = bufs[i].addr;
		e->len = bufs[i].len;
		e->flags = (bufs[i].device_writes ? VRING_DESC_F_WRITE : 0) |
			   (i + 1 < n ? VRING_DESC_F_NEXT : 0);
		e->next = i + 1 < n ? vq->next[d] : 0;
		if (bufs[i].device_writes)
			writable += bufs[i].len;
	}
	vq->free_head = d;
	vq->num_free -= n;
	vq->chain[head] = (struct vq_chain){ token, n, writable };
	vq->avail->ring[vq->avail_idx % vq->num] = head;
	virtio_wmb();
	vq->avail_idx++;
	*(volatile u16 *)&vq->avail->idx = vq->avail_idx;
	return 0;
}

/* The u16 after the available ring: the used index the driver waits for. */
static volatile u16 *used_event(struct virtqueue *vq)
{
	return &vq->avail->ring[vq->num];
}

/* The u16 after the used ring: the available index the device waits for. */
static volatile u16 *avail_event(struct virtqueue *vq)
{
	return (volatile u16 *)&vq->used->ring[vq->num];
}

bool vq_kick_needed(struct virtqueue *vq)
{
	u16 old = vq->kick_idx, new = vq->avail_idx;

	virtio_mb();
	vq->kick_idx = new;
	if (vq->event_idx)
		return vring_need_event(*avail_event(vq), new, old);
	return !(READ_ONCE(vq->used->flags) & VRING_USED_F_NO_NOTIFY);
}

/* Put the chain at @head back on the free list, by our own links. */
static void free_chain(struct virtqueue *vq, u16 head)
{
	struct vq_chain *c = &vq->chain[head];
	u16 tail = head, i;

	for (i = 1; i < c->ndesc; i++)
		tail = vq->next[tail];
	vq->next[tail] = vq->free_head;
	vq->free_head = head;
	vq->num_free += c->ndesc;
	c->token = NULL;
}

void *vq_get_used(struct virtqueue *vq, u32 *len)
{
	const struct vring_used_elem *e;
	u16 used_idx, in_flight;
	struct vq_chain *c;
	u32 id, l;
	void *token;

	if (vq->broken)
		return NULL;
	used_idx = READ_ONCE(vq->used->idx);
	if (used_idx == vq->last_used)
		return NULL;
	in_flight = vq->num - vq->num_free;
	if ((u16)(used_idx - vq->last_used) > in_flight) {
		vq_break(vq, "used index %u is %u past the %u consumed, with %u descriptors in flight",
			 used_idx, (u16)(used_idx - vq->last_used), vq->last_used,
			 in_flight);
		return NULL;
	}
	virtio_rmb();
	e = &vq->used->ring[vq->last_used % vq->num];
	id = READ_ONCE(e->id);
	l = READ_ONCE(e->len);
	if (id >= vq->num) {
		vq_break(vq, "used id %u out of range (queue size %u)", id, vq->num);
		return NULL;
	}
	c = &vq->chain[id];
	if (!c->token) {
		vq_break(vq, "used id %u is no chain in flight (returned twice?)", id);
		return NULL;
	}
	if (l > c->writable) {
		vq_break(vq, "used len %u for id %u exceeds the %u bytes it may write",
			 l, id, c->writable);
		return NULL;
	}
	vq->last_used++;
	if (vq->event_idx)
		*used_event(vq) = vq->last_used;
	token = c->token;
	free_chain(vq, id);
	*len = l;
	return token;
}
