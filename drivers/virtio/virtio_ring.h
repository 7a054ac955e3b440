/* SPDX-License-Identifier: GPL-2.0 */
/* Private to virtio_ring.c (split, the API) and virtio_ring_packed.c. */
#ifndef VIRTIO_RING_PRIV_H
#define VIRTIO_RING_PRIV_H

#include <proteus/compiler.h>
#include <proteus/virtqueue.h>

#define virtio_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define virtio_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define virtio_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)

/* Mark @vq broken, once, with a line saying why. */
__printf(2, 3) void vq_break(struct virtqueue *vq, const char *fmt, ...);

/*
 * The chain the device says it used (@id, with @len bytes written): NULL,
 * the queue broken, when @id is out of range, no chain in flight, or
 * @len more than the chain lets the device write.
 */
struct vq_chain *vq_used_chain(struct virtqueue *vq, u32 id, u32 len);

/* The queue's name and size checked, the free list of @num entries set. */
int vq_init_common(struct virtqueue *vq, const char *name, u16 num);

/*
 * Indirect tables (virtio_ring.c): a free one for a chain of @n buffers
 * (counted in nr_indirect), or -1: the chain goes direct; give back
 * table @t (-1: none); its address and bus address.
 */
int vq_take_table(struct virtqueue *vq, unsigned int n);
void vq_put_table(struct virtqueue *vq, int t);
void *vq_table(const struct virtqueue *vq, int t);
u64 vq_table_bus(const struct virtqueue *vq, int t);

/* The packed ring's side of the three calls (virtio_ring_packed.c). */
int vq_packed_add(struct virtqueue *vq, const struct vq_buf *bufs,
		  unsigned int n, void *token);
bool vq_packed_kick_needed(struct virtqueue *vq);
void *vq_packed_get_used(struct virtqueue *vq, u32 *len);

#endif
