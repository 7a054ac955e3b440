// SPDX-License-Identifier: GPL-2.0
/*
 * The two Xen backends. xen-pv is chosen by the PV entry path (only Xen
 * starts a PV guest) and installed its ops at entry already; xen-pvh is
 * a PVH guest that finds Xen's CPUID leaves: native CPU, paging and
 * interrupts, Xen's console, clock, events and power off.
 */
#include <asm/hypervisor.h>
#include <asm/pv/init.h>
#include <asm/pv/ops.h>
#include <asm/bootparam.h>
#include <proteus/bootinfo.h>
#include <proteus/printk.h>
#include <xen/memory.h>
#include "xen.h"

static bool xen_pv_detect(void)
{
	return boot_info.path == BOOT_XEN_PV;
}

PV_BACKEND(xen_pv_backend) = {
	.name = "xen-pv",
	.priority = 100,
	.detect = xen_pv_detect,
};

static bool xen_pvh_detect(void)
{
	return boot_info.path == BOOT_PVH && hypervisor.type == HYPERVISOR_XEN;
}

/*
 * Xen's PVH dom0 start info may carry no memory map (version 0); then the
 * hypervisor gives it, in e820 format, through XENMEM_memory_map.
 */
static void xen_pvh_memory_map(void)
{
	static struct boot_e820_entry e820[MEMMAP_MAX];
	struct xen_memory_map map = { .nr_entries = MEMMAP_MAX };
	unsigned int i;
	long rc;

	if (boot_info.memmap.nr)
		return;
	set_xen_guest_handle(map.buffer, e820);
	rc = xen_hypercall2(__HYPERVISOR_memory_op, XENMEM_memory_map,
			    (u64)(uintptr_t)&map);
	if (rc) {
		pr_err("xen-pvh: XENMEM_memory_map failed (%ld)\n", rc);
		return;
	}
	for (i = 0; i < map.nr_entries && i < MEMMAP_MAX; i++)
		memmap_add(&boot_info.memmap, e820[i].addr, e820[i].size, e820[i].type);
}

static void xen_pvh_init(void)
{
	pv_ops.hypercall = hypervisor_hypercall_insn();
	xen_pvh_memory_map();
	xen_console_init();
	xen_pvh_shared_info_init();
	pv_init.cpu_init = xen_pvh_cpu_init;
	pv_init.apic_init = xen_pvh_apic_init;
	pv_init.tsc_khz = xen_tsc_khz;
	pv_ops.sys.power_off = xen_power_off;
	pv_init.power_init = xen_power_init;
	pv_init.late_init = xen_late_init;
}

PV_BACKEND(xen_pvh_backend) = {
	.name = "xen-pvh",
	.priority = 50,
	.detect = xen_pvh_detect,
	.init = xen_pvh_init,
};
