// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-rng (virtio 1.2, 5.4): one queue of device-writable buffers the
 * device fills with random bytes; no features, no configuration. At
 * probe each device's first bytes go into the kernel entropy pool.
 * Requests wait for the used ring with the device's interrupt
 * (virtio_wait_used; polled where it has none), one at a time per device
 * under its lock. A request may also be split into a chain of several
 * buffers, which shows the ring's indirect descriptors in use.
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
/* Buffers one request may be split into (virtio_rng_read_chain). */
#define RNG_MAX_PARTS		4
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

/*
 * One request of @nparts buffers of @part bytes (up to RNG_CHUNK in all)
 * as one chain: how many bytes came, or -1.
 */
static int read_chunk(struct rng_dev *r, u8 *dst, size_t part, unsigned int nparts)
{
	struct vq_buf b[RNG_MAX_PARTS];
	unsigned int i;
	u32 got;

	for (i = 0; i < nparts; i++)
		b[i] = (struct vq_buf){ dma_addr(r->buf + i * part), part, true };
	if (virtio_add_and_kick(r->vd, 0, &r->vq, b, nparts, r->buf))
		return -1;
	if (virtio_wait_used(r->vd, &r->vq, &got, RNG_TIMEOUT_NS) != r->buf)
		return -1;
	memcpy(dst, r->buf, got);
	return got;
}

int virtio_rng_read_chain(unsigned int i, void *buf, size_t part,
			  unsigned int nparts, bool *indirect)
{
	struct rng_dev *r = &rngs[i];
	u32 before;
	int got;

	if (i >= nr_rngs || !part || !nparts || nparts > RNG_MAX_PARTS ||
	    part * nparts > RNG_CHUNK)
		return -1;
	spin_lock(&r->lock);
	before = r->vq.nr_indirect;
	got = r->vd->failed ? -1 : read_chunk(r, buf, part, nparts);
	*indirect = r->vq.nr_indirect != before;
	spin_unlock(&r->lock);
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
		got = read_chunk(r, p, MIN(len, RNG_CHUNK), 1);
		if (got < 0)
			break;
		p += got;
		len -= got;
	}
	spin_unlock(&r->lock);
	return len ? -1 : 0;
}

static struct rng_dev *find(struct virtio_device *vd)
{
	unsigned int i;

	for (i = 0; i < nr_rngs; i++)
		if (rngs[i].vd == vd)
			return &rngs[i];
	return NULL;
}

/* Negotiate, the queue, DRIVER_OK: 0 or -1. */
static int start(struct rng_dev *r)
{
	if (virtio_start(r->vd, 0) || virtio_setup_vq(r->vd, 0, &r->vq, RNG_QUEUE_SIZE))
		return -1;
	virtio_ready(r->vd);
	return 0;
}

/* From a wait under the device's lock: nothing is kept posted. */
int virtio_rng_restart(struct virtio_device *vd)
{
	struct rng_dev *r = find(vd);

	return r ? start(r) : -1;
}

int virtio_rng_send_misordered(unsigned int i)
{
	struct rng_dev *r = &rngs[i];
	int rc;

	if (i >= nr_rngs)
		return -1;
	spin_lock(&r->lock);
	rc = virtio_send_misordered(r->vd, 0, &r->vq, r->buf, RNG_CHUNK, RNG_TIMEOUT_NS);
	spin_unlock(&r->lock);
	return rc;
}

int virtio_rng_retry(unsigned int i)
{
	int rc;

	if (i >= nr_rngs)
		return -1;
	spin_lock(&rngs[i].lock);
	rc = virtio_retry(rngs[i].vd);
	spin_unlock(&rngs[i].lock);
	return rc;
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
	if (start(r))
		return -1;
	if (virtio_rng_read(nr_rngs - 1, seed, sizeof(seed)))
		return -1;
	entropy_add(seed, sizeof(seed), 8 * sizeof(seed));
	return 0;
}
