// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-rng (virtio 1.2, 5.4): one queue of device-writable buffers the
 * device fills with random bytes; no features, no configuration. At
 * probe the first bytes go into the kernel entropy pool. Requests are
 * polled on the used ring (no interrupt yet), one at a time under a lock.
 */
#include <asm/pv/ops.h>
#include <proteus/entropy.h>
#include <proteus/kernel.h>
#include <proteus/printk.h>
#include <proteus/spinlock.h>
#include <proteus/string.h>
#include <proteus/virtio.h>
#include <linux/virtio_ids.h>

/* QEMU's queue holds 8; more would only wait. */
#define RNG_QUEUE_SIZE		8
#define RNG_CHUNK		64
#define RNG_SEED_BYTES		32
/* QEMU answers from /dev/urandom at once; a device silent this long is broken. */
#define RNG_TIMEOUT_NS		(1000 * NSEC_PER_MSEC)

static struct {
	struct virtio_device *vd;
	struct virtqueue vq;
	/* Inside one page, as dma_addr requires. */
	u8 buf[RNG_CHUNK] __aligned(RNG_CHUNK);
} rng;

static DEFINE_SPINLOCK(rng_lock);

const char *virtio_rng_missing(void)
{
	if (!rng.vd && !virtio_find(VIRTIO_ID_RNG))
		return "no virtio-rng device";
	return !rng.vd || rng.vd->failed ? "the virtio-rng device failed" : NULL;
}

/* One request of up to RNG_CHUNK bytes: how many came, or -1. */
static int read_chunk(u8 *dst, size_t len)
{
	struct vq_buf b = { dma_addr(rng.buf), len, true };
	u32 got;

	if (virtio_add_and_kick(rng.vd, 0, &rng.vq, &b, 1, rng.buf))
		return -1;
	if (virtio_poll_used(rng.vd, &rng.vq, &got, RNG_TIMEOUT_NS) != rng.buf)
		return -1;
	memcpy(dst, rng.buf, got);
	return got;
}

int virtio_rng_read(void *buf, size_t len)
{
	u8 *p = buf;
	int got = 0;

	spin_lock(&rng_lock);
	while (len && !virtio_rng_missing()) {
		got = read_chunk(p, MIN(len, RNG_CHUNK));
		if (got < 0)
			break;
		p += got;
		len -= got;
	}
	spin_unlock(&rng_lock);
	return len ? -1 : 0;
}

int virtio_rng_probe(struct virtio_device *vd)
{
	u8 seed[RNG_SEED_BYTES];

	if (rng.vd) {
		pr_info("virtio: rng %s: a second device; ignored\n", vd->name);
		return -1;
	}
	rng.vd = vd;
	if (virtio_start(vd, 0) || virtio_setup_vq(vd, 0, &rng.vq, RNG_QUEUE_SIZE))
		return -1;
	virtio_ready(vd);
	if (virtio_rng_read(seed, sizeof(seed)))
		return -1;
	entropy_add(seed, sizeof(seed), 8 * sizeof(seed));
	return 0;
}
