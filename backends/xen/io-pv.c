// SPDX-License-Identifier: GPL-2.0
/*
 * Xen PV device access for a dom0: I/O ports and memory-mapped registers.
 *
 * Ports: the kernel runs in ring 3, where in/out fault (#GP) unless the
 * vCPU's I/O privilege level allows them. Xen keeps a virtual IOPL per
 * vCPU, set with PHYSDEVOP_set_iopl, and counts a PV kernel as ring 1:
 * IOPL 1 lets the kernel's in/out through (Xen checks each port against
 * the domain's I/O permissions and emulates the ones it keeps, such as
 * the CMOS clock's) while user mode, ring 3, still faults. Each vCPU asks
 * for itself.
 *
 * MMIO: a PV entry names a machine frame, and device memory is in no
 * p2m, so make_pte's pfn -> mfn translation must not touch it. The
 * registers are mapped in a window of their own at XEN_MMIO_BASE plus
 * the machine address (one fixed offset, as native MMIO sits at va ==
 * pa), each entry written with mmu_update holding the machine frame as
 * it is. Xen accepts it when the frame is I/O memory the domain may
 * use (dom0: all but what Xen keeps, such as the local APIC and MSI
 * ranges) and refuses it otherwise.
 */
#include <asm/pgtable.h>
#include <asm/pv/ops.h>
#include <proteus/cpumask.h>
#include <proteus/mm.h>
#include <proteus/printk.h>
#include <proteus/smp.h>
#include <xen/physdev.h>
#include "mmu-pv.h"
#include "xen.h"

#define _PAGE_PWT	(1ULL << 3)
#define _PAGE_PCD	(1ULL << 4)
/* The top 64 TiB of the address space: machine addresses below 2^46. */
#define XEN_MMIO_BASE	0xffffc00000000000ULL
#define XEN_MMIO_LIMIT	(1ULL << 46)
/* The ring Xen runs a PV kernel in, as far as IOPL goes. */
#define XEN_PV_KERNEL_IOPL	1

/*
 * PHYSDEVOP_set_iopl for the running vCPU. Xen refuses an IOPL above 3
 * (-EINVAL, xen/arch/x86/physdev.c) and keeps the vCPU's old one. A
 * refusal (also: a domain without I/O rights) leaves the port ops
 * faulting as far as the kernel can tell: say so, and set port_io_missing
 * for the tests and the drivers that ask it.
 */
long xen_pv_set_iopl(unsigned int level)
{
	struct physdev_set_iopl iopl = { .iopl = level };
	long rc;

	rc = xen_hypercall2(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl,
			    (u64)(uintptr_t)&iopl);
	if (rc) {
		pr_err("xen-pv: PHYSDEVOP_set_iopl(%u) refused on vCPU %u (%ld): no port I/O\n",
		       level, smp_processor_id(), rc);
		port_io_missing = "Xen refused PHYSDEVOP_set_iopl: no port I/O from the PV kernel";
	}
	return rc;
}

void xen_pv_io_cpu_init(void)
{
	if (!xen_pv_set_iopl(XEN_PV_KERNEL_IOPL) && smp_processor_id() == 0)
		pr_info("xen-pv: port I/O at IOPL %u (PHYSDEVOP_set_iopl)\n",
			XEN_PV_KERNEL_IOPL);
}

static void unmap_window(u64 start, u64 end)
{
	if (end > start)
		pgtable_unmap(current_root(), start, end - start, cpu_online_mask);
}

/*
 * Each page's entry through mmu_update with the machine frame as given,
 * uncached (PCD|PWT: PAT entry 3, UC, in Xen's PAT as in the default).
 * A refusal undoes the pages already mapped and returns NULL.
 */
static void *xen_pv_map_mmio(phys_addr_t ma, size_t size)
{
	u64 start = ALIGN_DOWN(ma, PAGE_SIZE), end = ALIGN_UP(ma + size, PAGE_SIZE);
	u64 flags = _PAGE_PRESENT | _PAGE_RW | _PAGE_PCD | _PAGE_PWT | nx_bit();
	u64 a;

	if (!size || end < start || end > XEN_MMIO_LIMIT)
		return NULL;
	for (a = start; a < end; a += PAGE_SIZE) {
		u64 *e = pgtable_leaf_alloc(current_root(), XEN_MMIO_BASE + a);
		long rc = xen_pv_mmu_update(e, a | flags);

		if (rc) {
			pr_err("xen-pv: Xen refused to map I/O memory at %#llx (%ld)\n",
			       (unsigned long long)a, rc);
			unmap_window(XEN_MMIO_BASE + start, XEN_MMIO_BASE + a);
			return NULL;
		}
	}
	return (void *)(uintptr_t)(XEN_MMIO_BASE + ma);
}

/* The window's entries go, every CPU flushes, empty tables are freed. */
static void xen_pv_unmap_mmio(void *va, size_t size)
{
	u64 v = (u64)(uintptr_t)va;

	if (v < XEN_MMIO_BASE || !size)
		return;
	unmap_window(ALIGN_DOWN(v, PAGE_SIZE), ALIGN_UP(v + size, PAGE_SIZE));
}

void xen_pv_io_install(void)
{
	pv_ops.io.map_mmio = xen_pv_map_mmio;
	pv_ops.io.unmap_mmio = xen_pv_unmap_mmio;
}
