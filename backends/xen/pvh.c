// SPDX-License-Identifier: GPL-2.0
/*
 * What a PVH domain must ask for that a PV one is given: its shared_info
 * page in its own physical address space, and a vcpu_info per vCPU.
 */
#include <asm/apic.h>
#include <asm/pgtable.h>
#include <asm/percpu.h>
#include <proteus/kernel.h>
#include <proteus/memmap.h>
#include <proteus/printk.h>
#include <xen/memory.h>
#include <xen/vcpu.h>
#include "clock.h"
#include "events.h"
#include "xen.h"

/*
 * shared_info goes where this page is: XENMEM_add_to_physmap puts Xen's
 * shared_info frame at the page's guest frame, and the RAM frame that was
 * there goes back to Xen. A page of the kernel image is one nothing else
 * will ever be handed (the allocator never gives out the image), it is
 * mapped write-back like all RAM already (virtual == physical), and it
 * costs one page; a hole in the memory map would need a mapping of its
 * own and the certainty that no device decodes it.
 */
static u8 shared_info_page[PAGE_SIZE] __aligned(PAGE_SIZE)
	__section(".bss.page_aligned");

/* vcpu_info is 64 bytes and must not cross a page: aligned, it cannot. */
static struct vcpu_info vcpu_area[MAX_CPUS] __aligned(64);

void xen_pvh_shared_info_init(void)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 0,
		.gpfn = (u64)(uintptr_t)shared_info_page >> PAGE_SHIFT,
	};
	long rc = xen_hypercall2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
				 (u64)(uintptr_t)&xatp);

	if (rc) {
		pr_err("xen-pvh: XENMEM_add_to_physmap(shared_info) failed (%ld): events off\n",
		       rc);
		return;
	}
	xen_shared_info = (struct shared_info *)shared_info_page;
}

/*
 * VCPUOP_register_vcpu_info moves the vCPU's vcpu_info to @area (by
 * guest frame and offset). Xen refuses an area that would cross a page
 * (-ENXIO) and a second move (-EINVAL: map_vcpu_info, once per vCPU), and
 * goes on with the vcpu_info it had: so does the kernel. A vCPU with none
 * yet falls back to shared_info's, which the first XEN_LEGACY_MAX_VCPUS
 * have.
 */
long xen_pvh_register_vcpu_info(unsigned int cpu, struct vcpu_info *area)
{
	u64 pa = (u64)(uintptr_t)area;
	struct vcpu_register_vcpu_info r = {
		.mfn = pa >> PAGE_SHIFT,
		.offset = (u32)(pa & (PAGE_SIZE - 1)),
	};
	long rc = xen_hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, cpu,
				 (u64)(uintptr_t)&r);

	if (!rc) {
		xen_vcpu[cpu] = area;
		return 0;
	}
	if (xen_vcpu[cpu]) {
		pr_warn("xen-pvh: VCPUOP_register_vcpu_info refused for vCPU %u (%ld): its vcpu_info stays at %p\n",
			cpu, rc, xen_vcpu[cpu]);
	} else if (cpu < XEN_LEGACY_MAX_VCPUS) {
		pr_warn("xen-pvh: VCPUOP_register_vcpu_info refused for vCPU %u (%ld): using shared_info's\n",
			cpu, rc);
		xen_vcpu[cpu] = &xen_shared_info->vcpu_info[cpu];
	} else {
		pr_err("xen-pvh: vCPU %u has no vcpu_info (VCPUOP_register_vcpu_info: %ld): no events on it\n",
		       cpu, rc);
	}
	return rc;
}

/* The cpu_init hook: the vCPU's vcpu_info, then what time needs of it. */
void xen_pvh_cpu_init(unsigned int cpu)
{
	if (xen_shared_info)
		xen_pvh_register_vcpu_info(cpu, &vcpu_area[cpu]);
	xen_time_cpu_init(cpu);
}

/*
 * PVH has the emulated local APIC (for IPIs, and the timer should the
 * VIRQ fail); events come through the callback vector on top of it.
 */
void xen_pvh_apic_init(void)
{
	lapic_init();
	if (smp_processor_id() == 0)
		xen_events_init_pvh();
	xen_timer_init();
	xen_smp_cpu_init(false);
}
