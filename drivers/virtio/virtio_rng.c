// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-rng (virtio 1.2, 5.4): one queue of device-writable buffers the
 * device fills with random bytes; no features, no configuration. At
 * probe each device's first bytes go into the kernel entropy pool.
 * Requests wait for the used ring with the device's interrupt
 * (virtio_wait_used; polled where it has none), one at a time per device
 * under its lock.
 */
#include <asm/pv/ops.h>
#include <linux/virtio_ids.h>
#include <proteus/entropy.h>
#include <proteus/kernel.h>
#include <proteus/printk.h>
#include <proteus/spinlock.h>
#include <proteus/string.h>
#include <proteus/virtio.h>

#define RNG_MAX_DEVICES		4
/* QEMU's queue holds 8; more would only wait. */
#define RNG_QUEUE_SIZE		8
#define RNG_CHUNK		64
#define RNG_SEED_BYTES		32
/* QEMU answers from /dev/urandom at once; a device silent this long is broken. */
#define RNG_TIMEOUT_NS		(1000 * NSEC_PER_MSEC)

struct rng_dev {
	struct virtio_device *vd;
	struct virtqueue vq;
	spinlock_t lock;
	/* Inside one page, as dma_addr requires. */
	u8 buf[RNG_CHUNK] __aligned(RNG_CHUNK);
};

static struct rng_dev rngs[RNG_MAX_DEVICES];
static unsigned int nr_rngs;

unsigned int virtio_rng_count(void)
{
	return nr_rngs;
}

const char *virtio_rng_name(unsigned int i)
{
	return i < nr_rngs ? rngs[i].vd->name : "none";
}

struct virtio_device *virtio_rng_device(unsigned int i)
{
	return i < nr_rngs ? rngs[i].vd : NULL;
}

/* One request of up to RNG_CHUNK bytes: how many came, or -1. */
static int read_chunk(struct rng_dev *r, u8 *dst, size_t len)
{
	struct vq_buf b = { dma_addr(r->buf), len, true };
	u32 got;

	if (virtio_add_and_kick(r->vd, 0, &r->vq, &b, 1, r->buf))
		return -1;
	if (virtio_wait_used(r->vd, &r->vq, &got, RNG_TIMEOUT_NS) != r->buf)
		return -1;
	memcpy(dst, r->buf, got);
	return got;
}

int virtio_rng_read(unsigned int i, void *buf, size_t len)
{
	struct rng_dev *r = &rngs[i];
	u8 *p = buf;
	int got = 0;

	if (i >= nr_rngs)
		return -1;
	spin_lock(&r->lock);
	while (len && !r->vd->failed) {
		got = read_chunk(r, p, MIN(len, RNG_CHUNK));
		if (got < 0)
			break;
		p += got;
		len -= got;
	}
	spin_unlock(&r->lock);
	return len ? -1 : 0;
}

int virtio_rng_probe(struct virtio_device *vd)
{
	struct rng_dev *r = &rngs[nr_rngs];
	u8 seed[RNG_SEED_BYTES];

	if (nr_rngs == RNG_MAX_DEVICES) {
		pr_info("virtio: rng %s: more than %u devices; ignored\n", vd->name,
			RNG_MAX_DEVICES);
		return -1;
	}
	r->vd = vd;
	nr_rngs++;
	if (virtio_start(vd, 0) || virtio_setup_vq(vd, 0, &r->vq, RNG_QUEUE_SIZE))
		return -1;
	virtio_ready(vd);
	if (virtio_rng_read(nr_rngs - 1, seed, sizeof(seed)))
		return -1;
	entropy_add(seed, sizeof(seed), 8 * sizeof(seed));
	return 0;
}
