/* SPDX-License-Identifier: GPL-2.0 */
/* Private to virtio_pci.c (modern) and virtio_pci_legacy.c. */
#ifndef VIRTIO_PCI_PRIV_H
#define VIRTIO_PCI_PRIV_H

#include <linux/virtio_pci.h>
#include <proteus/pci.h>
#include <proteus/virtio.h>

#define VIRTIO_PCI_MAX_QUEUES		8

struct virtio_pci {
	struct virtio_device vd;
	struct pci_dev *pdev;
	struct virtio_pci_common_cfg *common;
	u8 *notify;
	u32 notify_len, notify_mult;
	u8 *isr;
	u8 *device;
	u32 device_len;
	u16 num_queues;
	u16 *queue_notify[VIRTIO_PCI_MAX_QUEUES];
	u16 io;			/* legacy: I/O BAR 0's base */
	struct pci_msix msix;	/* table mapped while MSI-X is in use */
	u16 queue_entry;	/* MSI-X entry of the queues (config: entry 0) */
};

/*
 * Drive @vp through the legacy interface in its I/O BAR 0 (virtio 1.2,
 * 4.1.4.8): 0, or -1 with the device FAILED and a line.
 */
int virtio_pci_legacy_init(struct virtio_pci *vp);

/*
 * Bind @vp's INTx line: the GSI its Interrupt Line register names (the
 * firmware wrote it), level-triggered. Leaves the device polled, with a
 * line, when it has no pin or the firmware routed none.
 */
void virtio_pci_bind_intx(struct virtio_pci *vp);


#endif
