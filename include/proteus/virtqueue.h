/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Virtqueues, the driver's side: split (virtio 1.2, 2.7, with indirect
 * descriptors and EVENT_IDX) and packed (2.8, with event suppression).
 * Free of any transport or DMA op, so the host tests drive them against
 * a simulated device. The caller gives the areas (each inside one page,
 * with their bus addresses known to the transport) and bus addresses for
 * the buffers; the ring never dereferences those.
 *
 * Drivers see one API whatever the kind: vq_add, vq_kick_needed,
 * vq_get_used. Only the setup differs (vq_init or vq_init_packed, and
 * vq_set_indirect for a split ring whose device took INDIRECT_DESC).
 *
 * Everything the device writes (used index, used ids, lengths and flags)
 * is checked before use; the first bad value breaks the queue:
 * vq->broken says why (printed once) and every later call fails.
 */
#ifndef PROTEUS_VIRTQUEUE_H
#define PROTEUS_VIRTQUEUE_H

#include <proteus/types.h>
#include <linux/virtio_ring.h>

/* One size for every queue here: each area of the ring fits in a page. */
#define VQ_MAX_SIZE	256

/*
 * Indirect tables (split 2.7.5.3, packed 2.8.19): a queue has one table
 * per ring slot, up to VQ_INDIRECT_TABLES (a u64 of free bits), each of
 * the entries its drivers' longest chain takes (vq_set_indirect: from 2
 * to VQ_INDIRECT_LIMIT, 1 KiB), packed whole into pages none crosses;
 * a chain takes one while in flight. A longer chain goes direct.
 */
#define VQ_INDIRECT_DEFAULT	16
#define VQ_INDIRECT_LIMIT	64
#define VQ_INDIRECT_TABLES	64
#define VQ_INDIRECT_PAGE	4096
#define VQ_INDIRECT_PAGES	(VQ_INDIRECT_TABLES * VQ_INDIRECT_LIMIT * \
				 sizeof(struct vring_desc) / VQ_INDIRECT_PAGE)

struct vq_buf {
	u64 addr;		/* bus address */
	u32 len;
	bool device_writes;	/* VRING_DESC_F_WRITE */
};

struct vq_chain {
	void *token;		/* the driver's cookie; NULL: not in flight */
	u16 ndesc;		/* descriptors it takes in the ring */
	s8 table;		/* its indirect table, or -1 */
	u32 writable;		/* bytes the device may write */
};

struct virtqueue {
	char name[24];		/* for messages: "0000:00:04.0 vq0" */
	bool packed;		/* which ring: the calls branch on it */
	u16 num;
	/* Split ring: descriptor table, available and used rings. */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	/* Packed ring: the descriptors and the two event structures. */
	struct vring_packed_desc *ring;
	struct vring_packed_desc_event *driver_event;	/* ours */
	struct vring_packed_desc_event *device_event;	/* the device's */
	u16 next_avail;		/* packed: where the next chain goes */
	bool avail_wrap, used_wrap;	/* packed: wrap counters (2.8.1) */
	/* Split: descriptors; packed: buffer ids. */
	u16 free_head, num_free;
	u16 avail_idx;		/* split: the driver's avail->idx; packed: descriptors published */
	u16 kick_idx;		/* avail_idx when vq_kick_needed last looked */
	bool event_idx;		/* VIRTIO_RING_F_EVENT_IDX negotiated: set after vq_init */
	u16 last_used;		/* split: used entries consumed; packed: next used position */
	/* With INDIRECT_DESC: the tables (vq_set_indirect). */
	u16 indirect_max;	/* entries a table holds; 0: no tables */
	u16 indirect_per_page;
	u64 indirect_free;	/* bit i: table i is free */
	struct vring_desc *indirect_page[VQ_INDIRECT_PAGES];
	u64 indirect_bus[VQ_INDIRECT_PAGES];
	u32 nr_indirect;	/* chains published through a table */
	const char *broken;
	char why[96];
	u16 next[VQ_MAX_SIZE];	/* free lists and chains: our copy, never the device's */
	struct vq_chain chain[VQ_MAX_SIZE];
};

/* Bytes each area takes for @num entries (split ring, 2.7). */
size_t vq_desc_bytes(u16 num);
size_t vq_avail_bytes(u16 num);
size_t vq_used_bytes(u16 num);
/* The packed ring's descriptors (2.8); each event structure is 4 bytes. */
size_t vq_packed_bytes(u16 num);

/*
 * Set up a split @vq over the given areas, zeroed here; @num a power of
 * two up to VQ_MAX_SIZE. -1 (and vq->broken) otherwise.
 */
int vq_init(struct virtqueue *vq, const char *name, u16 num, void *desc,
	    void *avail, void *used);

/*
 * Set up a packed @vq: @ring of vq_packed_bytes(@num) (16-byte aligned),
 * the driver and device event structures (4-byte aligned), zeroed here;
 * @num from 1 to VQ_MAX_SIZE. -1 (and vq->broken) otherwise.
 */
int vq_init_packed(struct virtqueue *vq, const char *name, u16 num, void *ring,
		   void *driver_event, void *device_event);

/* Tables a queue of @num entries takes: at most VQ_INDIRECT_TABLES. */
unsigned int vq_indirect_tables(u16 num);
/* Pages (VQ_INDIRECT_PAGE bytes each) those tables of @max entries fill. */
unsigned int vq_indirect_pages(u16 num, u16 max);

/*
 * Let @vq (split or packed, set up) publish chains of 2 to @max buffers
 * through indirect tables in @pages (vq_indirect_pages of them, 16-byte
 * aligned, page @i at bus address @bus[i]). Only once INDIRECT_DESC was
 * negotiated. -1 with a line when @max is not from 2 to
 * VQ_INDIRECT_LIMIT: the queue's chains then stay direct.
 */
int vq_set_indirect(struct virtqueue *vq, u16 max, void *const pages[],
		    const u64 bus[]);

/*
 * Publish one chain of @n buffers, @token coming back from
 * vq_get_used; -1 when it does not fit, is empty, has a buffer of
 * length 0, or the queue is broken.
 */
int vq_add(struct virtqueue *vq, const struct vq_buf *bufs, unsigned int n,
	   void *token);

/*
 * Whether the device wants to hear of what was published since the last
 * call (after a full barrier): split with EVENT_IDX, whether those
 * entries passed its avail_event (2.7.10), else unless it set NO_NOTIFY;
 * packed, as its device event structure says (2.8.10).
 */
bool vq_kick_needed(struct virtqueue *vq);

/*
 * The token of the next chain the device returned, with the bytes it
 * wrote in *@len; NULL when none is ready, or the queue is (now) broken.
 * With EVENT_IDX, the used event moves to what was consumed.
 */
void *vq_get_used(struct virtqueue *vq, u32 *len);

#endif
