// SPDX-License-Identifier: GPL-2.0
/*
 * Device interrupts for a Xen PV dom0: pirq event channels. Xen owns the
 * IOAPICs, the MSI-X tables and the vectors; the domain asks for a GSI or
 * an MSI-X entry (map_msix below) as a physical IRQ
 * number of its own (PHYSDEVOP_map_pirq, MAP_PIRQ_TYPE_GSI; a PV dom0
 * sees no ACPI tables, so an ISA IRQ is the GSI of the same number, which
 * Xen routed from its own MADT at boot), then for an event channel Xen
 * raises when the line fires (EVTCHNOP_bind_pirq, which also unmasks the
 * line at Xen's IOAPIC). The port's handler, called from the event upcall
 * with the port's pending bit clear, runs the device's handler and then
 * ends the interrupt with PHYSDEVOP_eoi when Xen says it needs one
 * (PHYSDEVOP_irq_status_query: Xen asks it of every pirq of a PV domain
 * that registered no EOI bitmap; for a level line it is what unmasks the
 * line again, an edge line Xen acked when it fired).
 *
 * Unbinding closes the port and keeps the pirq mapped: PHYSDEVOP_unmap_pirq
 * would also take the IRQ out of the domain's permitted set (Xen's
 * unmap_domain_pirq denies it), so the GSI could never be mapped again
 * (map_pirq: -EPERM). A later bind of the GSI gets the same pirq back
 * from map_pirq. Only a pirq this file mapped and failed to bind is
 * unmapped: nothing else holds it yet.
 */
#include <asm/irq.h>
#include <asm/pv/ops.h>
#include <asm-generic/errno-base.h>
#include <proteus/printk.h>
#include <proteus/spinlock.h>
#include <xen/physdev.h>
#include "events.h"
#include "xen.h"

#define MAX_PIRQ_LINES	32

struct pirq_line {
	struct device_irq *irq;
	bool needs_eoi;
};

static DEFINE_SPINLOCK(lines_lock);
static struct pirq_line lines[MAX_PIRQ_LINES];

static long physdev_op(unsigned int cmd, void *arg)
{
	return xen_hypercall2(__HYPERVISOR_physdev_op, cmd, (u64)(uintptr_t)arg);
}

static struct pirq_line *line_of_port(evtchn_port_t port)
{
	unsigned int i;

	for (i = 0; i < MAX_PIRQ_LINES; i++) {
		struct device_irq *irq = __atomic_load_n(&lines[i].irq, __ATOMIC_ACQUIRE);

		if (irq && irq->port == (int)port)
			return &lines[i];
	}
	return NULL;
}

static void pirq_eoi(u32 pirq)
{
	struct physdev_eoi eoi = { .irq = pirq };

	physdev_op(PHYSDEVOP_eoi, &eoi);
}

static void pirq_event(evtchn_port_t port, struct pt_regs *regs)
{
	struct pirq_line *l = line_of_port(port);

	if (!l)
		return;
	l->irq->handler(regs);
	if (l->needs_eoi)
		pirq_eoi((u32)l->irq->pirq);
}

static struct pirq_line *claim_line(struct device_irq *irq, bool needs_eoi)
{
	u64 flags = spin_lock_irqsave(&lines_lock);
	struct pirq_line *l = NULL;
	unsigned int i;

	for (i = 0; i < MAX_PIRQ_LINES && !l; i++) {
		if (!lines[i].irq) {
			l = &lines[i];
			l->needs_eoi = needs_eoi;
			__atomic_store_n(&l->irq, irq, __ATOMIC_RELEASE);
		}
	}
	spin_unlock_irqrestore(&lines_lock, flags);
	return l;
}

static void release_line(struct device_irq *irq)
{
	u64 flags = spin_lock_irqsave(&lines_lock);
	unsigned int i;

	for (i = 0; i < MAX_PIRQ_LINES; i++)
		if (lines[i].irq == irq)
			__atomic_store_n(&lines[i].irq, NULL, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&lines_lock, flags);
}

static void unmap_pirq(int pirq)
{
	struct physdev_unmap_pirq u = { .domid = DOMID_SELF, .pirq = pirq };
	long rc = physdev_op(PHYSDEVOP_unmap_pirq, &u);

	if (rc)
		pr_err("xen-pv: PHYSDEVOP_unmap_pirq(%d) refused (%ld)\n", pirq, rc);
}

/*
 * A level-triggered GSI's signalling, told to Xen before it is mapped
 * (PHYSDEVOP_setup_gsi: Xen programs its IOAPIC pin from what a dom0
 * learnt from ACPI; without it a PCI GSI stays edge). Xen answers -EEXIST
 * for a pin it set up already (an ISA IRQ from its own MADT): that is
 * fine. An edge line needs nothing: Xen's default.
 */
static int setup_gsi(const struct device_irq *irq)
{
	struct physdev_setup_gsi g = {
		.gsi = (int)irq->gsi, .triggering = 1,
		.polarity = !!(irq->flags & DEVICE_IRQ_ACTIVE_LOW),
	};
	long rc;

	if (!(irq->flags & DEVICE_IRQ_LEVEL))
		return 0;
	rc = physdev_op(PHYSDEVOP_setup_gsi, &g);
	if (rc && rc != -EEXIST) {
		pr_err("xen-pv: PHYSDEVOP_setup_gsi refused GSI %u (%ld)\n", irq->gsi, rc);
		return -1;
	}
	return 0;
}

/* Xen picks the pirq (pirq -1 in); one already mapped to the GSI is reused. */
static int map_gsi(u32 gsi)
{
	struct physdev_map_pirq m = {
		.domid = DOMID_SELF, .type = MAP_PIRQ_TYPE_GSI,
		.index = (int)gsi, .pirq = -1,
	};
	long rc = physdev_op(PHYSDEVOP_map_pirq, &m);

	if (rc) {
		pr_err("xen-pv: PHYSDEVOP_map_pirq refused GSI %u (%ld)\n", gsi, rc);
		return (int)rc;
	}
	return m.pirq;
}

/*
 * An MSI-X entry as a pirq (MAP_PIRQ_TYPE_MSI_SEG, the segment in the
 * high half of bus), after telling Xen of the function
 * (PHYSDEVOP_pci_device_add; without it map_pirq answers -ENODEV here;
 * -EEXIST when Xen knew it): Xen writes the entry with a vector of its own
 * and unmasks it when the pirq is bound; the table is Xen's from then on
 * (read-only to the domain), and setting MSI-X Enable is left to the
 * domain. Xen says "unexpected initial MSI-X state ... fixing" when it
 * finds the Function Mask set at the add: harmless, the mask is the PCI
 * layer's while it sets up.
 */
static int map_msix(struct device_irq *irq)
{
	struct physdev_map_pirq m = {
		.domid = DOMID_SELF, .type = MAP_PIRQ_TYPE_MSI_SEG, .index = -1,
		.pirq = -1, .bus = (int)((u32)irq->msi_seg << 16 | irq->msi_bus),
		.devfn = irq->msi_devfn, .entry_nr = irq->msix_entry,
		.table_base = irq->msix_table_base,
	};
	struct physdev_pci_device_add add = {
		.seg = irq->msi_seg, .bus = irq->msi_bus, .devfn = irq->msi_devfn,
	};
	long rc = physdev_op(PHYSDEVOP_pci_device_add, &add);

	if (rc && rc != -EEXIST)
		pr_info("xen-pv: PHYSDEVOP_pci_device_add: %ld\n", rc);
	rc = physdev_op(PHYSDEVOP_map_pirq, &m);
	if (rc) {
		pr_err("xen-pv: PHYSDEVOP_map_pirq refused MSI-X entry %u of %02x:%02x.%u (%ld)\n",
		       irq->msix_entry, irq->msi_bus, irq->msi_devfn >> 3, irq->msi_devfn & 7, rc);
		return (int)rc;
	}
	irq->msi_by_hypervisor = true;
	return m.pirq;
}

static bool pirq_needs_eoi(int pirq)
{
	struct physdev_irq_status_query q = { .irq = (u32)pirq };

	return physdev_op(PHYSDEVOP_irq_status_query, &q) ||
	       (q.flags & XENIRQSTAT_needs_eoi);
}

/*
 * The bind_device_irq op under Xen PV. The line is recorded before the
 * port is bound (an event can come as soon as it is unmasked); any
 * refusal undoes what was done and returns Xen's error.
 */
static int xen_pv_bind_device_irq(struct device_irq *irq)
{
	int pirq, port;

	if (irq->type == DEVICE_IRQ_MSI) {
		pirq = map_msix(irq);
	} else if (irq->type == DEVICE_IRQ_GSI) {
		if (setup_gsi(irq))
			return -EINVAL;
		pirq = map_gsi(irq->gsi);
	} else {
		pr_err("xen-pv: device interrupt of unknown type %u\n", irq->type);
		return -EINVAL;
	}
	if (pirq < 0)
		return pirq;
	irq->pirq = pirq;
	irq->port = -1;
	irq->vector = -1;
	if (!claim_line(irq, pirq_needs_eoi(pirq))) {
		pr_err("xen-pv: all %u pirq lines in use\n", MAX_PIRQ_LINES);
		unmap_pirq(pirq);
		return -EBUSY;
	}
	port = xen_evtchn_bind_pirq((u32)pirq, pirq_event);
	if (port < 0) {
		pr_err("xen-pv: EVTCHNOP_bind_pirq refused pirq %d (%d)\n", pirq, port);
		release_line(irq);
		unmap_pirq(pirq);
		return port;
	}
	__atomic_store_n(&irq->port, port, __ATOMIC_RELEASE);
	xen_evtchn_unmask((evtchn_port_t)port);
	return 0;
}

/* Close the port (masks it, drops its handler); the pirq stays mapped. */
static void xen_pv_unbind_device_irq(struct device_irq *irq)
{
	if (irq->port < 0)
		return;
	xen_evtchn_close((evtchn_port_t)irq->port);
	release_line(irq);
	irq->port = -1;
}

void xen_pv_pirq_install(void)
{
	pv_ops.io.bind_device_irq = xen_pv_bind_device_irq;
	pv_ops.io.unbind_device_irq = xen_pv_unbind_device_irq;
}
