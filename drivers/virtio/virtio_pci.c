// SPDX-License-Identifier: GPL-2.0
/*
 * Virtio over PCI, the modern interface (virtio 1.2, 4.1): vendor 0x1af4,
 * device 0x1040 + type (modern only) or 0x1000-0x103f (transitional, the
 * type in the subsystem device ID), driven through the structures its
 * vendor capabilities (id 9) place in memory BARs: common configuration,
 * notifications (queue_notify_off x notify_off_multiplier into the
 * notify region), the ISR byte and the device-specific configuration.
 * Each is mapped with map_mmio; every offset and length the device gives
 * is checked against its BAR and region before use. Transitional devices
 * without the capabilities (disable-modern=on) go through the legacy
 * interface (virtio_pci_legacy.c).
 */
#include <asm/irq.h>
#include <asm/pv/ops.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_pci.h>
#include <proteus/io.h>
#include <proteus/kernel.h>
#include <proteus/pci.h>
#include <proteus/printk.h>
#include <proteus/string.h>
#include <proteus/virtio.h>
#include "virtio_pci.h"

#define VIRTIO_PCI_VENDOR		0x1af4
#define VIRTIO_PCI_TRANSITIONAL_FIRST	0x1000
#define VIRTIO_PCI_TRANSITIONAL_LAST	0x103f
#define VIRTIO_PCI_MODERN_FIRST		0x1040
#define VIRTIO_PCI_MODERN_LAST		0x107f
#define PCI_SUBSYSTEM_ID		0x2e

/* A bus's worth of slots: qemu-tcg alone has 9 virtio functions. */
#define VIRTIO_PCI_MAX_DEVICES		32

static struct virtio_pci vpdevs[VIRTIO_PCI_MAX_DEVICES];
static unsigned int nr_vpdevs;

static struct virtio_pci *to_vp(struct virtio_device *vd)
{
	return vd->priv;
}

static u8 vp_get_status(struct virtio_device *vd)
{
	return readb(&to_vp(vd)->common->device_status);
}

static void vp_set_status(struct virtio_device *vd, u8 status)
{
	writeb(status, &to_vp(vd)->common->device_status);
}

static u64 vp_get_features(struct virtio_device *vd)
{
	struct virtio_pci_common_cfg *c = to_vp(vd)->common;
	u64 f;

	writel(0, &c->device_feature_select);
	f = readl(&c->device_feature);
	writel(1, &c->device_feature_select);
	return f | (u64)readl(&c->device_feature) << 32;
}

static void vp_set_features(struct virtio_device *vd, u64 features)
{
	struct virtio_pci_common_cfg *c = to_vp(vd)->common;

	writel(0, &c->guest_feature_select);
	writel((u32)features, &c->guest_feature);
	writel(1, &c->guest_feature_select);
	writel(features >> 32, &c->guest_feature);
}

static u16 vp_queue_max(struct virtio_device *vd, unsigned int idx)
{
	struct virtio_pci *vp = to_vp(vd);

	if (idx >= vp->num_queues || idx >= VIRTIO_PCI_MAX_QUEUES)
		return 0;
	writew(idx, &vp->common->queue_select);
	return readw(&vp->common->queue_size);
}

static void write64(u64 v, __le32 *lo, __le32 *hi)
{
	writel((u32)v, lo);
	writel(v >> 32, hi);
}

/*
 * Back from MSI-X to INTx: the device first told to use no vector, then
 * MSI-X disabled at the function (which makes it signal INTx again), its
 * vectors given back.
 */
static void msix_fall_back(struct virtio_pci *vp, const char *why)
{
	struct virtio_pci_common_cfg *c = vp->common;

	pr_warn("virtio: %s %s: %s; falling back to INTx\n", virtio_type_name(vp->vd.id),
		vp->vd.name, why);
	writew(VIRTIO_MSI_NO_VECTOR, &c->msix_config);
	writew(VIRTIO_MSI_NO_VECTOR, &c->queue_msix_vector);
	pci_msix_disable(&vp->msix);
	virtio_irq_unbind_vectors(&vp->vd);
	virtio_pci_bind_intx(vp);
	vp->vd.irq_why = why;
}

/*
 * Config changes on MSI-X entry 0, queue @idx (selected) on @entry, each
 * read back (4.1.4.3): VIRTIO_MSI_NO_VECTOR there is the device refusing
 * (no room for it), which leaves the device to INTx. The config vector
 * is written with each queue: a reset (virtio_start) clears it.
 */
static int set_vectors(struct virtio_pci *vp, unsigned int idx, u16 entry)
{
	struct virtio_pci_common_cfg *c = vp->common;

	writew(0, &c->msix_config);
	if (readw(&c->msix_config) != 0) {
		msix_fall_back(vp, "the config vector read back refused");
		return -1;
	}
	writew(idx, &c->queue_select);
	writew(entry, &c->queue_msix_vector);
	if (readw(&c->queue_msix_vector) != entry) {
		msix_fall_back(vp, "a queue vector read back refused");
		return -1;
	}
	return 0;
}

int virtio_pci_set_queue_entry(struct virtio_device *vd, unsigned int idx, u16 entry)
{
	struct virtio_pci *vp = to_vp(vd);

	if (vd->irq_mode != VIRTIO_IRQ_MSIX || vd->legacy || idx >= vp->num_queues)
		return -1;
	set_vectors(vp, idx, entry);
	return 0;
}

static int vp_queue_enable(struct virtio_device *vd, unsigned int idx, u16 num,
			   u64 desc, u64 avail, u64 used)
{
	struct virtio_pci *vp = to_vp(vd);
	struct virtio_pci_common_cfg *c = vp->common;
	u64 off;

	writew(idx, &c->queue_select);
	writew(num, &c->queue_size);
	write64(desc, &c->queue_desc_lo, &c->queue_desc_hi);
	write64(avail, &c->queue_avail_lo, &c->queue_avail_hi);
	write64(used, &c->queue_used_lo, &c->queue_used_hi);
	off = (u64)readw(&c->queue_notify_off) * vp->notify_mult;
	if (off + sizeof(u16) > vp->notify_len) {
		virtio_fail(vd, "queue %u notifies at %#llx, past the %u-byte notify region",
			    idx, (unsigned long long)off, vp->notify_len);
		return -1;
	}
	vp->queue_notify[idx] = (u16 *)(vp->notify + off);
	if (vd->irq_mode == VIRTIO_IRQ_MSIX)
		set_vectors(vp, idx, vp->queue_entry);
	writew(1, &c->queue_enable);
	return 0;
}

static void vp_notify(struct virtio_device *vd, unsigned int idx)
{
	writew(idx, to_vp(vd)->queue_notify[idx]);
}

/* Aligned 32-bit words in one access, so the device never sees half a value. */
static int vp_set_config(struct virtio_device *vd, unsigned int offset, const void *buf,
			 unsigned int len)
{
	struct virtio_pci *vp = to_vp(vd);
	const u8 *src = buf;
	unsigned int i, step;
	u32 w;

	if ((u64)offset + len > vp->device_len)
		return -1;
	for (i = 0; i < len; i += step) {
		step = (offset + i) % 4 == 0 && len - i >= 4 ? 4 : 1;
		if (step == 4) {
			memcpy(&w, src + i, 4);
			writel(w, vp->device + offset + i);
		} else {
			writeb(src[i], vp->device + offset + i);
		}
	}
	return 0;
}

static u32 vp_config_read(struct virtio_device *vd, unsigned int off,
			  unsigned int width)
{
	u8 *p = to_vp(vd)->device + off;

	return width == 4 ? readl(p) : width == 2 ? readw(p) : readb(p);
}

static u32 vp_generation(struct virtio_device *vd)
{
	return readb(&to_vp(vd)->common->config_generation);
}

/* Reading the ISR byte acknowledges it and lowers INTx (4.1.4.5). */
static u8 vp_irq_status(struct virtio_device *vd)
{
	return readb(to_vp(vd)->isr);
}

static const struct virtio_transport virtio_pci_transport = {
	.get_status = vp_get_status,
	.set_status = vp_set_status,
	.get_features = vp_get_features,
	.set_features = vp_set_features,
	.queue_max = vp_queue_max,
	.queue_enable = vp_queue_enable,
	.notify = vp_notify,
	.set_config = vp_set_config,
	.config_read = vp_config_read,
	.generation = vp_generation,
	.irq_status = vp_irq_status,
};

struct vp_region {
	u8 type, bar;
	u32 offset, length, mult;
};

static void read_cap(const struct pci_dev *d, u8 pos, struct vp_region *r)
{
	r->type = pci_read8(d, pos + offsetof(struct virtio_pci_cap, cfg_type));
	r->bar = pci_read8(d, pos + offsetof(struct virtio_pci_cap, bar));
	r->offset = pci_read32(d, pos + offsetof(struct virtio_pci_cap, offset));
	r->length = pci_read32(d, pos + offsetof(struct virtio_pci_cap, length));
	r->mult = 0;
	if (r->type == VIRTIO_PCI_CAP_NOTIFY_CFG &&
	    pci_read8(d, pos + offsetof(struct virtio_pci_cap, cap_len)) >=
	    sizeof(struct virtio_pci_notify_cap))
		r->mult = pci_read32(d, pos + offsetof(struct virtio_pci_notify_cap,
						       notify_off_multiplier));
}

/* The region inside its memory BAR, mapped; NULL with a line otherwise. */
static void *map_region(struct virtio_pci *vp, const struct vp_region *r,
			u32 min_len, const char *what)
{
	const struct pci_bar *b;
	void *va;

	if (r->bar >= PCI_NR_BARS || !vp->pdev->bar[r->bar].size ||
	    vp->pdev->bar[r->bar].io) {
		virtio_fail(&vp->vd, "%s structure in BAR %u, no memory BAR", what, r->bar);
		return NULL;
	}
	b = &vp->pdev->bar[r->bar];
	if (r->length < min_len || (u64)r->offset + r->length > b->size) {
		virtio_fail(&vp->vd, "%s structure %#x+%#x does not fit BAR %u (%#llx bytes, %u needed)",
			    what, r->offset, r->length, r->bar,
			    (unsigned long long)b->size, min_len);
		return NULL;
	}
	if (!b->base) {
		virtio_fail(&vp->vd, "BAR %u not assigned by the firmware", r->bar);
		return NULL;
	}
	va = map_mmio(b->base + r->offset, r->length);
	if (!va)
		virtio_fail(&vp->vd, "cannot map the %s structure at %#llx", what,
			    (unsigned long long)(b->base + r->offset));
	return va;
}

/* The first capability of each type; 0 when common or notify is missing. */
static bool find_regions(const struct pci_dev *d, struct vp_region *common,
			 struct vp_region *notify, struct vp_region *isr,
			 struct vp_region *device)
{
	struct vp_region r, *slot;
	u8 pos = 0;

	common->type = notify->type = isr->type = device->type = 0;
	while ((pos = pci_find_capability(d, PCI_CAP_ID_VNDR, pos))) {
		if (pci_read8(d, pos + offsetof(struct virtio_pci_cap, cap_len)) <
		    sizeof(struct virtio_pci_cap) ||
		    pos + sizeof(struct virtio_pci_cap) > PCI_CFG_SIZE)
			continue;
		read_cap(d, pos, &r);
		slot = r.type == VIRTIO_PCI_CAP_COMMON_CFG ? common :
		       r.type == VIRTIO_PCI_CAP_NOTIFY_CFG ? notify :
		       r.type == VIRTIO_PCI_CAP_ISR_CFG ? isr :
		       r.type == VIRTIO_PCI_CAP_DEVICE_CFG ? device : NULL;
		if (slot && !slot->type)
			*slot = r;
	}
	return common->type && notify->type;
}

static int map_regions(struct virtio_pci *vp, const struct vp_region *common,
		       const struct vp_region *notify, const struct vp_region *isr,
		       const struct vp_region *device)
{
	vp->common = map_region(vp, common, sizeof(*vp->common), "common");
	if (!vp->common)
		return -1;
	/* From here on a failure can set FAILED in the device's status. */
	vp->vd.t = &virtio_pci_transport;
	vp->notify = map_region(vp, notify, sizeof(u16), "notify");
	if (!vp->notify)
		return -1;
	vp->notify_len = notify->length;
	vp->notify_mult = notify->mult;
	if (isr->type && !(vp->isr = map_region(vp, isr, 1, "ISR")))
		return -1;
	if (device->type && !(vp->device = map_region(vp, device, 1, "device")))
		return -1;
	vp->device_len = device->type ? device->length : 0;
	vp->vd.config_len = vp->device_len;
	vp->num_queues = readw(&vp->common->num_queues);
	return 0;
}

/*
 * INTx on the GSI the PCI layer finds for the pin, level-triggered,
 * active high (QEMU's ACPI tables declare its PCI links so on pc and q35).
 */
void virtio_pci_bind_intx(struct virtio_pci *vp)
{
	const struct pci_dev *d = vp->pdev;
	const char *why;
	int gsi;

	if (!vp->vd.t->irq_status) {
		virtio_irq_none(&vp->vd, "no ISR structure to acknowledge INTx");
		return;
	}
	gsi = pci_intx_gsi(d, &why);
	if (gsi < 0) {
		virtio_irq_none(&vp->vd, why);
		return;
	}
	/*
	 * A status left from before (firmware, or QEMU's ISR, which also
	 * counts MSI-X notifications) would hold the line up from the start.
	 */
	vp->vd.t->irq_status(&vp->vd);
	pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) & ~PCI_COMMAND_INTX_DISABLE);
	if (!virtio_irq_bind_line(&vp->vd, gsi, DEVICE_IRQ_LEVEL, VIRTIO_IRQ_INTX, "intx"))
		pr_info("virtio: %s %s: INTx pin %c on GSI %d\n", virtio_type_name(vp->vd.id),
			vp->vd.name, 'A' + pci_read8(d, PCI_INTERRUPT_PIN) - 1, gsi);
}

/* One vector on @entry: 0, or -1. */
static int msix_vector(struct virtio_pci *vp, u16 entry)
{
	const struct pci_dev *d = vp->pdev;
	struct device_irq msi = {
		.msi_seg = d->seg, .msi_bus = d->bus, .msi_devfn = d->dev << 3 | d->fn,
		.msix_entry = entry, .msix_table_base = vp->msix.bar_base,
	};

	if (virtio_irq_bind_vector(&vp->vd, &msi))
		return -1;
	vp->msix.by_hypervisor = msi.msi_by_hypervisor;
	if (!msi.msi_by_hypervisor)
		pci_msix_set(&vp->msix, entry, msi.msi_addr, msi.msi_data);
	return 0;
}

/*
 * MSI-X: entry 0 for configuration changes, entry 1 shared by the
 * queues (entry 0 too on a one-entry table): NULL, or why not.
 */
static const char *setup_msix(struct virtio_pci *vp)
{
	const char *why = pci_msix_init(vp->pdev, &vp->msix);

	if (why)
		return why;
	vp->queue_entry = vp->msix.size > 1 ? 1 : 0;
	if (msix_vector(vp, 0) || (vp->queue_entry && msix_vector(vp, vp->queue_entry))) {
		pci_msix_disable(&vp->msix);
		virtio_irq_unbind_vectors(&vp->vd);
		return "no MSI vector from the bind_device_irq op";
	}
	pci_msix_unmask_function(&vp->msix);
	virtio_irq_set_mode(&vp->vd, VIRTIO_IRQ_MSIX, "msix");
	return NULL;
}

/* MSI-X where the device and the backend have it, INTx otherwise. */
static void vp_bind_irq(struct virtio_pci *vp)
{
	const char *why = setup_msix(vp);

	if (!why)
		return;
	if (vp->vd.irq_offered == VIRTIO_IRQ_MSIX)
		pr_info("virtio: %s %s: MSI-X not used: %s; INTx\n",
			virtio_type_name(vp->vd.id), vp->vd.name, why);
	virtio_pci_bind_intx(vp);
	if (vp->vd.irq_mode == VIRTIO_IRQ_INTX)
		vp->vd.irq_why = why;
}

static u32 device_type(const struct pci_dev *d)
{
	if (d->device >= VIRTIO_PCI_MODERN_FIRST)
		return d->device - VIRTIO_PCI_MODERN_FIRST;
	return pci_read16(d, PCI_SUBSYSTEM_ID);
}

static void probe(struct pci_dev *d)
{
	struct vp_region common, notify, isr, device;
	struct virtio_pci *vp;

	if (nr_vpdevs == VIRTIO_PCI_MAX_DEVICES) {
		pr_warn("virtio: %s: more than %u devices; ignored\n", d->name,
			VIRTIO_PCI_MAX_DEVICES);
		return;
	}
	vp = &vpdevs[nr_vpdevs];
	vp->pdev = d;
	vp->vd.priv = vp;
	vp->vd.id = device_type(d);
	vp->vd.mode = d->device >= VIRTIO_PCI_MODERN_FIRST ? "modern" : "transitional";
	strlcpy(vp->vd.name, d->name, sizeof(vp->vd.name));
	nr_vpdevs++;
	virtio_register(&vp->vd);
	vp->vd.irq_offered = pci_find_capability(d, PCI_CAP_ID_MSIX, 0) ? VIRTIO_IRQ_MSIX :
			     pci_read8(d, PCI_INTERRUPT_PIN) ? VIRTIO_IRQ_INTX :
			     VIRTIO_IRQ_NONE;
	if (!find_regions(d, &common, &notify, &isr, &device)) {
		if (!virtio_pci_legacy_init(vp))
			virtio_probe_driver(&vp->vd);
		return;
	}
	if (pci_assign_bars(d)) {
		virtio_fail(&vp->vd, "its BARs could not be assigned");
		return;
	}
	pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) |
		    PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	if (map_regions(vp, &common, &notify, &isr, &device))
		return;
	vp_bind_irq(vp);
	virtio_probe_driver(&vp->vd);
}

void virtio_pci_init(void)
{
	unsigned int i;

	for (i = 0; i < pci_nr_devices(); i++) {
		struct pci_dev *d = pci_device(i);

		if (d->vendor == VIRTIO_PCI_VENDOR &&
		    d->device >= VIRTIO_PCI_TRANSITIONAL_FIRST &&
		    d->device <= VIRTIO_PCI_MODERN_LAST)
			probe(d);
	}
}
