// SPDX-License-Identifier: GPL-2.0
/*
 * The legacy virtio-pci interface (virtio 1.2, 4.1.4.8), for transitional
 * devices that offer no modern capabilities (QEMU disable-modern=on):
 * registers in I/O BAR 0 reached with the port ops, 32 feature bits, a
 * queue size the device fixes, and each queue one physically contiguous
 * block whose page frame number the driver writes (the core lays it out,
 * virtio_setup_vq). Offsets: linux/virtio_pci.h.
 */
#include <asm/pv/ops.h>
#include <proteus/kernel.h>
#include <proteus/printk.h>
#include <proteus/string.h>
#include <proteus/virtio.h>
#include "virtio_pci.h"

/* The common header up to the device configuration, without MSI-X. */
#define VIRTIO_PCI_LEGACY_REGS	20

static u16 io(struct virtio_device *vd, u16 reg)
{
	return ((struct virtio_pci *)vd->priv)->io + reg;
}

static u8 vl_get_status(struct virtio_device *vd)
{
	return inb(io(vd, VIRTIO_PCI_STATUS));
}

static void vl_set_status(struct virtio_device *vd, u8 status)
{
	outb(status, io(vd, VIRTIO_PCI_STATUS));
}

static u64 vl_get_features(struct virtio_device *vd)
{
	return inl(io(vd, VIRTIO_PCI_HOST_FEATURES));
}

static void vl_set_features(struct virtio_device *vd, u64 features)
{
	outl((u32)features, io(vd, VIRTIO_PCI_GUEST_FEATURES));
}

/* A queue that already has a ring (a PFN) counts as absent. */
static u16 vl_queue_max(struct virtio_device *vd, unsigned int idx)
{
	outw(idx, io(vd, VIRTIO_PCI_QUEUE_SEL));
	if (inl(io(vd, VIRTIO_PCI_QUEUE_PFN)))
		return 0;
	return inw(io(vd, VIRTIO_PCI_QUEUE_NUM));
}

static int vl_queue_enable(struct virtio_device *vd, unsigned int idx, u16 num,
			   u64 desc, u64 avail, u64 used)
{
	u64 pfn = desc >> VIRTIO_PCI_QUEUE_ADDR_SHIFT;

	if (desc % VIRTIO_PCI_VRING_ALIGN || pfn > 0xffffffffULL) {
		virtio_fail(vd, "queue %u at %#llx: not a 32-bit page frame", idx,
			    (unsigned long long)desc);
		return -1;
	}
	outw(idx, io(vd, VIRTIO_PCI_QUEUE_SEL));
	outl(pfn, io(vd, VIRTIO_PCI_QUEUE_PFN));
	return 0;
}

static void vl_notify(struct virtio_device *vd, unsigned int idx)
{
	outw(idx, io(vd, VIRTIO_PCI_QUEUE_NOTIFY));
}

/* Aligned 32-bit words in one access, so the device never sees half a value. */
static int vl_set_config(struct virtio_device *vd, unsigned int offset, const void *buf,
			 unsigned int len)
{
	struct virtio_pci *vp = vd->priv;
	const u8 *src = buf;
	unsigned int i, step;
	u32 w;

	if ((u64)VIRTIO_PCI_LEGACY_REGS + offset + len > vp->pdev->bar[0].size)
		return -1;
	for (i = 0; i < len; i += step) {
		step = (offset + i) % 4 == 0 && len - i >= 4 ? 4 : 1;
		if (step == 4) {
			memcpy(&w, src + i, 4);
			outl(w, io(vd, VIRTIO_PCI_LEGACY_REGS + offset + i));
		} else {
			outb(src[i], io(vd, VIRTIO_PCI_LEGACY_REGS + offset + i));
		}
	}
	return 0;
}

/* Device configuration after the header (no MSI-X here: offset 20). */
static u32 vl_config_read(struct virtio_device *vd, unsigned int off,
			  unsigned int width)
{
	u16 port = io(vd, VIRTIO_PCI_CONFIG_OFF(false) + off);

	return width == 4 ? inl(port) : width == 2 ? inw(port) : inb(port);
}

/* Reading the ISR register acknowledges it and lowers INTx. */
static u8 vl_irq_status(struct virtio_device *vd)
{
	return inb(io(vd, VIRTIO_PCI_ISR));
}

static const struct virtio_transport virtio_pci_legacy_transport = {
	.get_status = vl_get_status,
	.set_status = vl_set_status,
	.get_features = vl_get_features,
	.set_features = vl_set_features,
	.queue_max = vl_queue_max,
	.queue_enable = vl_queue_enable,
	.notify = vl_notify,
	.set_config = vl_set_config,
	.config_read = vl_config_read,
	.irq_status = vl_irq_status,
};

int virtio_pci_legacy_init(struct virtio_pci *vp)
{
	const struct pci_bar *b = &vp->pdev->bar[0];

	vp->vd.mode = "legacy";
	vp->vd.legacy = true;
	if (!b->io || b->size < VIRTIO_PCI_LEGACY_REGS || !b->base) {
		virtio_fail(&vp->vd, "no modern capabilities and no legacy I/O BAR 0");
		return -1;
	}
	if (port_io_missing) {
		virtio_fail(&vp->vd, "legacy interface, but %s", port_io_missing);
		return -1;
	}
	vp->io = b->base;
	vp->vd.config_len = MIN(b->size, 0x10000) - VIRTIO_PCI_CONFIG_OFF(false);
	pci_write16(vp->pdev, PCI_COMMAND, pci_read16(vp->pdev, PCI_COMMAND) |
		    PCI_COMMAND_IO | PCI_COMMAND_MASTER);
	vp->vd.t = &virtio_pci_legacy_transport;
	virtio_pci_bind_intx(vp);
	if (vp->vd.irq_mode == VIRTIO_IRQ_INTX && vp->vd.irq_offered == VIRTIO_IRQ_MSIX)
		vp->vd.irq_why = "legacy interface: its MSI-X layout is not driven";
	return 0;
}
