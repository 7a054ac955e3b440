// SPDX-License-Identifier: GPL-2.0
/*
 * The two Xen backends. xen-pv is chosen by the PV entry path (only Xen
 * starts a PV guest) and installed its ops at entry already; xen-pvh is
 * a PVH guest that finds Xen's CPUID leaves: native CPU, paging and
 * interrupts, Xen's console, clock and power off.
 */
#include <asm/hypervisor.h>
#include <asm/pv/ops.h>
#include <proteus/bootinfo.h>
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

static void xen_pvh_init(void)
{
	xen_select_hypercall_insn_hvm();
	xen_console_init();
	pv_ops.time.tsc_khz = xen_tsc_khz;
	pv_ops.sys.power_off = xen_power_off;
}

PV_BACKEND(xen_pvh_backend) = {
	.name = "xen-pvh",
	.priority = 50,
	.detect = xen_pvh_detect,
	.init = xen_pvh_init,
};
