// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio device lifecycle (virtio 1.2, 3.1.1): reset and wait for the
 * status to read 0 (firmware may have left the device running),
 * ACKNOWLEDGE, DRIVER, the features negotiated and FEATURES_OK read back,
 * the queues, DRIVER_OK. Whatever goes wrong sets FAILED and says why in
 * one line; a failed device is never touched again but to reset it.
 * Waits are bounded by the clock, never by a silent spin.
 */
#include <asm/pv/ops.h>
#include <asm/processor.h>
#include <proteus/kernel.h>
#include <proteus/mm.h>
#include <proteus/printk.h>
#include <proteus/string.h>
#include <proteus/virtio.h>
#include <proteus/virtio_balloon.h>
#include <proteus/virtio_net.h>
#include <proteus/virtio_blk.h>
#include <proteus/virtio_console.h>
#include <linux/virtio_ids.h>

/* How long a device may take to reset (QEMU: at once). */
#define VIRTIO_RESET_TIMEOUT_NS	(1000 * NSEC_PER_MSEC)
/* How often a wait looks for DEVICE_NEEDS_RESET in the status. */
#define VIRTIO_STATUS_POLL_NS	NSEC_PER_MSEC
/* Room for every PCI and MMIO device the transports take. */
#define VIRTIO_MAX_DEVICES	48

static struct virtio_device *devices[VIRTIO_MAX_DEVICES];
static unsigned int nr_devices;

void virtio_register(struct virtio_device *vd)
{
	vd->irq_line = -1;
	strlcpy(vd->irq_name, "polled", sizeof(vd->irq_name));
	if (nr_devices < VIRTIO_MAX_DEVICES)
		devices[nr_devices++] = vd;
	else
		pr_warn("virtio: %s: more than %u devices; not counted\n", vd->name,
			VIRTIO_MAX_DEVICES);
}

unsigned int virtio_count(u32 id)
{
	unsigned int i, n = 0;

	for (i = 0; i < nr_devices; i++)
		n += devices[i]->id == id;
	return n;
}

void virtio_fail(struct virtio_device *vd, const char *fmt, ...)
{
	char why[128];
	va_list ap;

	if (vd->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	vd->failed = true;
	if (vd->t)
		vd->t->set_status(vd, vd->t->get_status(vd) | VIRTIO_CONFIG_S_FAILED);
	pr_err("virtio: %s %s %s: %s; status FAILED\n", virtio_type_name(vd->id),
	       vd->name, vd->mode, why);
}

int virtio_write_config(struct virtio_device *vd, unsigned int offset, const void *buf,
			unsigned int len)
{
	if (!vd->t->set_config(vd, offset, buf, len))
		return 0;
	virtio_fail(vd, "configuration write %u+%u past what the device has", offset, len);
	return -1;
}

static void add_status(struct virtio_device *vd, u8 bits)
{
	vd->t->set_status(vd, vd->t->get_status(vd) | bits);
}

static int reset(struct virtio_device *vd)
{
	u64 start = sched_clock();
	u8 s;

	vd->t->set_status(vd, 0);
	while ((s = vd->t->get_status(vd)) != 0) {
		if (sched_clock() - start > VIRTIO_RESET_TIMEOUT_NS) {
			virtio_fail(vd, "status still %#x 1 s after a reset", s);
			return -1;
		}
		cpu_relax();
	}
	return 0;
}

int virtio_start(struct virtio_device *vd, u64 wanted)
{
	const char *why;
	u64 offered;

	if (reset(vd))
		return -1;
	add_status(vd, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	add_status(vd, VIRTIO_CONFIG_S_DRIVER);
	offered = vd->t->get_features(vd);
	vd->offered = offered;
	if (virtio_negotiate(offered, wanted, vd->legacy, &vd->features, &why)) {
		virtio_fail(vd, "features %#llx: %s", (unsigned long long)offered, why);
		return -1;
	}
	vd->t->set_features(vd, vd->features);
	if (vd->legacy)
		return 0;
	add_status(vd, VIRTIO_CONFIG_S_FEATURES_OK);
	if (!(vd->t->get_status(vd) & VIRTIO_CONFIG_S_FEATURES_OK)) {
		virtio_fail(vd, "FEATURES_OK not kept: features %#llx of %#llx refused",
			    (unsigned long long)vd->features,
			    (unsigned long long)offered);
		return -1;
	}
	return 0;
}

/* Bus addresses of pages @pa.. (@n of them) follow each other. */
static bool bus_contiguous(phys_addr_t pa, unsigned int n)
{
	u64 first = dma_addr(phys_to_virt(pa));
	unsigned int i;

	for (i = 1; i < n; i++)
		if (dma_addr(phys_to_virt(pa + i * PAGE_SIZE)) != first + i * PAGE_SIZE)
			return false;
	return true;
}

/*
 * A legacy queue is one block (4.1.4.8 and 2.7 "Legacy Interfaces"): the
 * descriptors, the available ring after them, the used ring at the next
 * 4 KiB boundary, contiguous in bus addresses (under Xen PV the p2m may
 * scatter pages: then it fails with a line).
 */
static int setup_legacy_vq(struct virtio_device *vd, unsigned int idx,
			   struct virtqueue *vq, u16 num, const char *name)
{
	size_t used_off = ALIGN_UP(vq_desc_bytes(num) + vq_avail_bytes(num), PAGE_SIZE);
	size_t total = used_off + vq_used_bytes(num);
	unsigned int order = 0;
	phys_addr_t pa;
	u8 *ring;

	while ((PAGE_SIZE << order) < total)
		order++;
	pa = alloc_pages(order);
	if (!pa) {
		virtio_fail(vd, "no memory for queue %u", idx);
		return -1;
	}
	ring = phys_to_virt(pa);
	if (!bus_contiguous(pa, ALIGN_UP(total, PAGE_SIZE) / PAGE_SIZE)) {
		virtio_fail(vd, "queue %u: no bus-contiguous block for a legacy ring", idx);
	} else if (vq_init(vq, name, num, ring, ring + vq_desc_bytes(num), ring + used_off)) {
		virtio_fail(vd, "queue %u: %s", idx, vq->broken);
	} else if (!vd->t->queue_enable(vd, idx, num, dma_addr(ring), 0, 0)) {
		return 0;
	}
	free_pages(pa, order);
	return -1;
}

/*
 * A restart sets up a queue again over fresh pages: the ones its last
 * setup took (the device, reset, no longer uses them) go back. Legacy
 * devices never restart (no DEVICE_NEEDS_RESET).
 */
static void free_page_at(void *va)
{
	if (va)
		free_pages(virt_to_phys(va), 0);
}

static void release_modern_vq(struct virtqueue *vq)
{
	void *desc = vq->packed ? (void *)vq->ring : (void *)vq->desc;
	void *ring = vq->packed ? (void *)vq->driver_event : (void *)vq->avail;
	unsigned int i;

	free_page_at(desc);
	free_page_at(ring);
	for (i = 0; i < VQ_INDIRECT_PAGES; i++)
		free_page_at(vq->indirect_page[i]);
	memset(vq, 0, sizeof(*vq));
}

/*
 * Modern queues: the descriptor table (split) or ring (packed) fills one
 * page at VQ_MAX_SIZE; the available and used rings, or the driver and
 * device event structures, share a second. Each area inside one page is
 * what dma_addr answers for.
 */
static int setup_modern_vq(struct virtio_device *vd, unsigned int idx,
			   struct virtqueue *vq, u16 num, const char *name)
{
	phys_addr_t desc_pa = alloc_pages(0), ring_pa = alloc_pages(0);
	u8 *desc, *avail, *used;
	int rc;

	if (!desc_pa || !ring_pa) {
		virtio_fail(vd, "no memory for queue %u", idx);
		goto free;
	}
	desc = phys_to_virt(desc_pa);
	avail = phys_to_virt(ring_pa);
	if (vd->features & (1ULL << VIRTIO_F_RING_PACKED)) {
		used = avail + PAGE_SIZE / 2;
		rc = vq_init_packed(vq, name, num, desc, avail, used);
	} else {
		used = avail + ALIGN_UP(vq_avail_bytes(num), VRING_USED_ALIGN_SIZE);
		rc = vq_init(vq, name, num, desc, avail, used);
	}
	if (rc) {
		virtio_fail(vd, "queue %u: %s", idx, vq->broken);
		goto free;
	}
	if (!vd->t->queue_enable(vd, idx, num, dma_addr(desc), dma_addr(avail),
				 dma_addr(used)))
		return 0;
free:
	if (desc_pa)
		free_pages(desc_pa, 0);
	if (ring_pa)
		free_pages(ring_pa, 0);
	return -1;
}

/* Queues take indirect tables when the device offered them. */
static bool uses_indirect(const struct virtio_device *vd)
{
	return vd->features & (1ULL << VIRTIO_RING_F_INDIRECT_DESC);
}

/*
 * With INDIRECT_DESC a queue gets its tables, sized by the driver's
 * longest chain (vd->max_chain), page by page (each page's own bus
 * address: under Xen PV neighbours need not be contiguous); without
 * memory its chains simply stay direct.
 */
static void setup_indirect(struct virtio_device *vd, unsigned int idx,
			   struct virtqueue *vq)
{
	u16 max = vd->max_chain ? vd->max_chain : VQ_INDIRECT_DEFAULT;
	phys_addr_t pa[VQ_INDIRECT_PAGES];
	void *pages[VQ_INDIRECT_PAGES];
	u64 bus[VQ_INDIRECT_PAGES];
	unsigned int i, n;

	if (!uses_indirect(vd))
		return;
	n = max >= 2 && max <= VQ_INDIRECT_LIMIT ? vq_indirect_pages(vq->num, max) : 0;
	for (i = 0; i < n; i++) {
		pa[i] = alloc_pages(0);
		if (!pa[i]) {
			pr_warn("virtio: %s queue %u: no memory for indirect tables; chains stay direct\n",
				vd->name, idx);
			while (i--)
				free_pages(pa[i], 0);
			return;
		}
		pages[i] = phys_to_virt(pa[i]);
		bus[i] = dma_addr(pages[i]);
	}
	vq_set_indirect(vq, max, pages, bus);
}

int virtio_setup_vq(struct virtio_device *vd, unsigned int idx,
		    struct virtqueue *vq, u16 want)
{
	u16 max = vd->t->queue_max(vd, idx);
	char name[24];
	int rc;

	if (!max) {
		virtio_fail(vd, "queue %u not offered", idx);
		return -1;
	}
	if ((max & (max - 1)) && !(vd->features & (1ULL << VIRTIO_F_RING_PACKED))) {
		virtio_fail(vd, "queue %u size %u is not a power of two", idx, max);
		return -1;
	}
	if (vd->legacy && max > VQ_MAX_SIZE) {
		virtio_fail(vd, "queue %u: legacy size %u is fixed, over the %u supported",
			    idx, max, VQ_MAX_SIZE);
		return -1;
	}
	snprintf(name, sizeof(name), "%s vq%u", vd->name, idx);
	if (!vd->legacy)
		release_modern_vq(vq);
	rc = vd->legacy ? setup_legacy_vq(vd, idx, vq, max, name) :
			  setup_modern_vq(vd, idx, vq, MIN(max, want), name);
	if (rc)
		return rc;
	vq->event_idx = vd->features & (1ULL << VIRTIO_RING_F_EVENT_IDX);
	setup_indirect(vd, idx, vq);
	vd->nr_queues++;
	return 0;
}

/*
 * @probe takes a device on once; @restart starts it again after the core
 * reset it for DEVICE_NEEDS_RESET (virtio_start, its queues over the same
 * structures, what it keeps posted, virtio_ready); NULL: the driver
 * cannot, and the device is failed instead.
 */
static const struct virtio_driver {
	u32 id;
	int (*probe)(struct virtio_device *vd);
	int (*restart)(struct virtio_device *vd);
} drivers[] = {
	{ VIRTIO_ID_RNG, virtio_rng_probe, virtio_rng_restart },
	{ VIRTIO_ID_BALLOON, virtio_balloon_probe, virtio_balloon_restart },
	{ VIRTIO_ID_NET, virtio_net_probe, virtio_net_restart },
	{ VIRTIO_ID_BLOCK, virtio_blk_probe, virtio_blk_restart },
	{ VIRTIO_ID_CONSOLE, virtio_console_probe, virtio_console_restart },
};

static const struct virtio_driver *find_driver(u32 id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(drivers); i++)
		if (drivers[i].id == id)
			return &drivers[i];
	return NULL;
}

void virtio_probe_driver(struct virtio_device *vd)
{
	const struct virtio_driver *drv = find_driver(vd->id);

	if (drv) {
		drv->probe(vd);
		return;
	}
	pr_info("virtio: %s %s %s (type %u): no driver\n", virtio_type_name(vd->id),
		vd->name, vd->mode, vd->id);
}

void virtio_ready(struct virtio_device *vd)
{
	add_status(vd, VIRTIO_CONFIG_S_DRIVER_OK);
	printk("virtio: %s %s %s %s queues=%u ring=%s%s%s%s\n", virtio_type_name(vd->id),
	       vd->name, vd->mode, vd->irq_name, vd->nr_queues, virtio_ring_kind(vd),
	       uses_indirect(vd) ? " indirect" : "", vd->detail[0] ? " " : "", vd->detail);
}

bool virtio_reset_asked(struct virtio_device *vd)
{
	return __atomic_load_n(&vd->reset_status, __ATOMIC_ACQUIRE) ||
	       (vd->t->get_status(vd) & VIRTIO_CONFIG_S_NEEDS_RESET);
}

void virtio_needs_reset(struct virtio_device *vd)
{
	const struct virtio_driver *drv = find_driver(vd->id);
	u8 s = __atomic_exchange_n(&vd->reset_status, 0, __ATOMIC_ACQ_REL);

	if (!s)
		s = vd->t->get_status(vd);
	if (vd->failed || !(s & VIRTIO_CONFIG_S_NEEDS_RESET))
		return;
	if (!drv || !drv->restart) {
		virtio_fail(vd, "DEVICE_NEEDS_RESET (status %#x); its driver cannot restart it", s);
		return;
	}
	if (vd->restarts_in_row == VIRTIO_MAX_RESTARTS) {
		virtio_fail(vd, "DEVICE_NEEDS_RESET (status %#x) after %u restarts in a row",
			    s, VIRTIO_MAX_RESTARTS);
		return;
	}
	printk("virtio: %s %s %s: DEVICE_NEEDS_RESET (status %#x); resetting and starting again\n",
	       virtio_type_name(vd->id), vd->name, vd->mode, s);
	vd->restarts_in_row++;
	vd->restarts++;
	vd->nr_queues = 0;
	if (!reset(vd))
		drv->restart(vd);
}

int virtio_retry(struct virtio_device *vd)
{
	const struct virtio_driver *drv = find_driver(vd->id);

	if (!vd->failed || !drv || !drv->restart)
		return -1;
	printk("virtio: %s %s %s: FAILED; taken on again\n", virtio_type_name(vd->id),
	       vd->name, vd->mode);
	vd->failed = false;
	vd->restarts_in_row = 0;
	__atomic_store_n(&vd->reset_status, 0, __ATOMIC_RELEASE);
	vd->nr_queues = 0;
	if (reset(vd) || drv->restart(vd))
		return -1;
	return vd->failed ? -1 : 0;
}

int virtio_add_and_kick(struct virtio_device *vd, unsigned int idx,
			struct virtqueue *vq, const struct vq_buf *bufs,
			unsigned int n, void *token)
{
	if (vd->failed)
		return -1;
	if (vq_add(vq, bufs, n, token)) {
		if (vq->broken)
			virtio_fail(vd, "%s", vq->broken);
		return -1;
	}
	virtio_irq_progress(vd);
	if (vq_kick_needed(vq)) {
		vd->notifies++;
		vd->t->notify(vd, idx);
	}
	return 0;
}

const char *virtio_misordered_left_out(const struct virtio_device *vd)
{
	if (vd->legacy)
		return "legacy: no DEVICE_NEEDS_RESET to see";
	if (vd->features & (1ULL << VIRTIO_F_RING_PACKED))
		return "packed: QEMU 7.2 leaves a refused chain available, and devices retry it forever";
	return NULL;
}

int virtio_send_misordered(struct virtio_device *vd, unsigned int idx,
			   struct virtqueue *vq, void *buf, u32 len, u64 timeout_ns)
{
	struct vq_buf b[2] = {
		{ dma_addr(buf), len / 2, true },
		{ dma_addr((u8 *)buf + len / 2), len / 2, false },
	};
	u64 irqs = __atomic_load_n(&vd->irqs, __ATOMIC_ACQUIRE);
	u32 got;

	if (virtio_add_and_kick(vd, idx, vq, b, 2, buf))
		return -1;
	virtio_wait_irq(vd, irqs, timeout_ns);
	return virtio_wait_used(vd, vq, &got, timeout_ns) == buf ? (int)got : -1;
}

void *virtio_poll_used(struct virtio_device *vd, struct virtqueue *vq,
		       u32 *len, u64 timeout_ns)
{
	u64 start = sched_clock(), looked = start, now;
	void *token;

	while (!vd->failed) {
		token = vq_get_used(vq, len);
		if (token) {
			virtio_irq_progress(vd);
			vd->restarts_in_row = 0;
			return token;
		}
		if (vq->broken) {
			virtio_fail(vd, "%s", vq->broken);
			break;
		}
		now = sched_clock();
		/* A device that needs a reset answers nothing more: restarted, and NULL. */
		if (now - looked > VIRTIO_STATUS_POLL_NS) {
			looked = now;
			if (virtio_reset_asked(vd)) {
				virtio_needs_reset(vd);
				break;
			}
		}
		if (now - start > timeout_ns) {
			virtio_fail(vd, "no buffer returned in %llu ms",
				    (unsigned long long)(timeout_ns / NSEC_PER_MSEC));
			break;
		}
		cpu_relax();
	}
	return NULL;
}

void virtio_init(void)
{
	virtio_pci_init();
	virtio_mmio_init();
}
