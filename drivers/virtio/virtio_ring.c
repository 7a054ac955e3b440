// SPDX-License-Identifier: GPL-2.0
/*
 * Split virtqueue, driver side (virtio 1.2, 2.7), and the three calls
 * drivers make, which branch to the packed ring (virtio_ring_packed.c)
 * when the queue is one. The descriptor table and the available ring are
 * ours and the device only reads them; the used ring is the device's,
 * and nothing read from it is trusted: the used index may not run more
 * than a queue ahead of what we consumed, an id must name the head of a
 * chain in flight, and a length may not exceed what that chain let the
 * device write. Our own copy of the free list and of each chain
 * (vq->next, vq->chain) is what we free from, so a device that scribbles
 * on the descriptor table cannot steer us either.
 *
 * Indirect descriptors (2.7.5.3): with INDIRECT_DESC a chain of several
 * buffers takes one ring descriptor pointing at one of the queue's tables
 * (vq_set_indirect, shared with the packed ring); the chain keeps the
 * table until it comes back, and its writable bytes bound the used length
 * as for a direct chain. A chain longer than a table goes direct.
 *
 * Barriers (2.7.13, 2.7.14): descriptors and the ring entry are written
 * before avail->idx (a write barrier); the full barrier between
 * publishing avail->idx and reading used->flags or avail_event keeps a
 * kick from being skipped on a stale value; used entries are read after
 * used->idx (a read barrier). Modern devices are little-endian, as x86 is.
 */
#include <proteus/printk.h>
#include <proteus/string.h>
#include "virtio_ring.h"

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

void vq_break(struct virtqueue *vq, const char *fmt, ...)
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

int vq_init_common(struct virtqueue *vq, const char *name, u16 num)
{
	u16 i;

	memset(vq, 0, sizeof(*vq));
	strlcpy(vq->name, name, sizeof(vq->name));
	if (!num || num > VQ_MAX_SIZE) {
		vq_break(vq, "queue size %u: not from 1 to %u", num, VQ_MAX_SIZE);
		return -1;
	}
	for (i = 0; i < num; i++) {
		vq->next[i] = i + 1;
		vq->chain[i].table = -1;
	}
	vq->num = num;
	vq->num_free = num;
	return 0;
}

int vq_init(struct virtqueue *vq, const char *name, u16 num, void *desc,
	    void *avail, void *used)
{
	if (vq_init_common(vq, name, num))
		return -1;
	if (num & (num - 1)) {
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
	vq->desc = desc;
	vq->avail = avail;
	vq->used = used;
	memset(desc, 0, vq_desc_bytes(num));
	memset(avail, 0, vq_avail_bytes(num));
	memset(used, 0, vq_used_bytes(num));
	return 0;
}

unsigned int vq_indirect_tables(u16 num)
{
	return num < VQ_INDIRECT_TABLES ? num : VQ_INDIRECT_TABLES;
}

static unsigned int tables_per_page(u16 max)
{
	return VQ_INDIRECT_PAGE / (max * sizeof(struct vring_desc));
}

unsigned int vq_indirect_pages(u16 num, u16 max)
{
	unsigned int per = tables_per_page(max);

	return (vq_indirect_tables(num) + per - 1) / per;
}

int vq_set_indirect(struct virtqueue *vq, u16 max, void *const pages[],
		    const u64 bus[])
{
	unsigned int i, n;

	if (max < 2 || max > VQ_INDIRECT_LIMIT) {
		pr_warn("virtio: %s: indirect tables of %u entries: not from 2 to %u; chains stay direct\n",
			vq->name, max, VQ_INDIRECT_LIMIT);
		return -1;
	}
	n = vq_indirect_pages(vq->num, max);
	for (i = 0; i < n; i++) {
		memset(pages[i], 0, VQ_INDIRECT_PAGE);
		vq->indirect_page[i] = pages[i];
		vq->indirect_bus[i] = bus[i];
	}
	vq->indirect_max = max;
	vq->indirect_per_page = tables_per_page(max);
	vq->indirect_free = ~0ULL >> (64 - vq_indirect_tables(vq->num));
	return 0;
}

/*
 * A free indirect table for a chain of @n, or -1: then it goes direct.
 * No chain may be longer than the queue, indirect or not (2.7.5.3.1).
 */
int vq_take_table(struct virtqueue *vq, unsigned int n)
{
	int t;

	if (!vq->indirect_max || n < 2 || n > vq->indirect_max || n > vq->num ||
	    !vq->indirect_free)
		return -1;
	t = __builtin_ctzll(vq->indirect_free);
	vq->indirect_free &= ~(1ULL << t);
	vq->nr_indirect++;
	return t;
}

void vq_put_table(struct virtqueue *vq, int t)
{
	if (t >= 0)
		vq->indirect_free |= 1ULL << t;
}

static size_t table_offset(const struct virtqueue *vq, int t)
{
	return (t % vq->indirect_per_page) * vq->indirect_max * sizeof(struct vring_desc);
}

void *vq_table(const struct virtqueue *vq, int t)
{
	return (u8 *)vq->indirect_page[t / vq->indirect_per_page] + table_offset(vq, t);
}

u64 vq_table_bus(const struct virtqueue *vq, int t)
{
	return vq->indirect_bus[t / vq->indirect_per_page] + table_offset(vq, t);
}

/* Fill @d from @b, linked to @next when more follow; its writable bytes. */
static u32 fill_desc(struct vring_desc *d, const struct vq_buf *b, bool more,
		     u16 next)
{
	d->addr = b->addr;
	d->len = b->len;
	d->flags = (b->device_writes ? VRING_DESC_F_WRITE : 0) |
		   (more ? VRING_DESC_F_NEXT : 0);
	d->next = more ? next : 0;
	return b->device_writes ? b->len : 0;
}

/*
 * The chain in table @t, and descriptor @d pointing at it (2.7.5.3.1:
 * INDIRECT alone, never with NEXT or WRITE). Its writable bytes.
 */
static u32 fill_indirect(struct virtqueue *vq, struct vring_desc *d, int t,
			 const struct vq_buf *bufs, unsigned int n)
{
	struct vring_desc *table = vq_table(vq, t);
	u32 writable = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		writable += fill_desc(&table[i], &bufs[i], i + 1 < n, i + 1);
	d->addr = vq_table_bus(vq, t);
	d->len = n * sizeof(*table);
	d->flags = VRING_DESC_F_INDIRECT;
	d->next = 0;
	return writable;
}

static int split_add(struct virtqueue *vq, const struct vq_buf *bufs,
		     unsigned int n, void *token)
{
	int t = vq_take_table(vq, n);
	u16 head = vq->free_head, d = head, ndesc = t < 0 ? n : 1;
	u32 writable = 0;
	unsigned int i;

	if (ndesc > vq->num_free) {
		vq_put_table(vq, t);
		return -1;
	}
	if (t >= 0) {
		writable = fill_indirect(vq, &vq->desc[d], t, bufs, n);
		d = vq->next[d];
	}
	/* The chain follows our free list: vq->next links it as it is. */
	for (i = 0; t < 0 && i < n; i++, d = vq->next[d])
		writable += fill_desc(&vq->desc[d], &bufs[i], i + 1 < n, vq->next[d]);
	vq->free_head = d;
	vq->num_free -= ndesc;
	vq->chain[head] = (struct vq_chain){ token, ndesc, t, writable };
	vq->avail->ring[vq->avail_idx % vq->num] = head;
	virtio_wmb();
	vq->avail_idx++;
	*(volatile u16 *)&vq->avail->idx = vq->avail_idx;
	return 0;
}

int vq_add(struct virtqueue *vq, const struct vq_buf *bufs, unsigned int n,
	   void *token)
{
	unsigned int i;

	if (vq->broken || !n || n > VQ_MAX_SIZE || !token)
		return -1;
	for (i = 0; i < n; i++)
		if (!bufs[i].len)
			return -1;
	return vq->packed ? vq_packed_add(vq, bufs, n, token) :
			    split_add(vq, bufs, n, token);
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

	if (vq->packed)
		return vq_packed_kick_needed(vq);
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
	vq_put_table(vq, c->table);
	c->table = -1;
	c->token = NULL;
}

struct vq_chain *vq_used_chain(struct virtqueue *vq, u32 id, u32 len)
{
	struct vq_chain *c;

	if (id >= vq->num) {
		vq_break(vq, "used id %u out of range (queue size %u)", id, vq->num);
		return NULL;
	}
	c = &vq->chain[id];
	if (!c->token) {
		vq_break(vq, "used id %u is no chain in flight (returned twice?)", id);
		return NULL;
	}
	if (len > c->writable) {
		vq_break(vq, "used len %u for id %u exceeds the %u bytes it may write%s",
			 len, id, c->writable, c->table >= 0 ? " (indirect)" : "");
		return NULL;
	}
	return c;
}

static void *split_get_used(struct virtqueue *vq, u32 *len)
{
	const struct vring_used_elem *e;
	u16 used_idx, in_flight;
	struct vq_chain *c;
	u32 id, l;
	void *token;

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
	c = vq_used_chain(vq, id, l);
	if (!c)
		return NULL;
	vq->last_used++;
	if (vq->event_idx)
		*used_event(vq) = vq->last_used;
	token = c->token;
	free_chain(vq, id);
	*len = l;
	return token;
}

void *vq_get_used(struct virtqueue *vq, u32 *len)
{
	if (vq->broken)
		return NULL;
	return vq->packed ? vq_packed_get_used(vq, len) : split_get_used(vq, len);
}
