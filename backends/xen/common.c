// SPDX-License-Identifier: GPL-2.0
/*
 * What the PV and PVH backends share: the dom0 console, power off and the
 * TSC frequency.
 */
#include <asm/hypervisor.h>
#include <asm/pv/init.h>
#include <asm/pv/ops.h>
#include <asm/pvclock.h>
#include <proteus/bootinfo.h>
#include <proteus/console.h>
#include <proteus/panic.h>
#include <proteus/printk.h>
#include <xen/version.h>
#include <xen/sched.h>
#include "grant-table.h"
#include "xen.h"

bool xen_is_dom0(void)
{
	struct xen_feature_info fi = { .submap_idx = 0 };

	if (xen_start_info)
		return xen_start_info->flags & SIF_INITDOMAIN;
	if (xen_hypercall2(__HYPERVISOR_xen_version, XENVER_get_features,
			   (u64)(uintptr_t)&fi) < 0)
		return false;
	return fi.submap & (1U << XENFEAT_dom0);
}

/*
 * console_io(CONSOLEIO_write) hands bytes to Xen's own console, which
 * only the hardware domain may use. A domU's console is a shared ring
 * with xenconsoled; that comes with the event channel work.
 */
static void xen_console_write(const char *s, size_t n)
{
	xen_hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, n,
		       (u64)(uintptr_t)s);
}

static struct console xen_console = {
	.name = "xen",
	.write = xen_console_write,
};

void xen_console_init(void)
{
	if ((boot_info.console_hints & CONSOLE_HINT_XEN) && xen_is_dom0())
		register_console(&xen_console);
}

/* The boot line, then the grant table, once the hypercall sites are patched. */
void xen_late_init(void)
{
	xen_report();
	gnttab_init();
}

/* Xen owns the platform's ACPI power management: dom0 asks Xen. */
void xen_power_init(void)
{
	pr_info("power: off via xen sched_op shutdown\n");
}

/*
 * SCHEDOP_shutdown ends the domain; for dom0 Xen then stops the machine:
 * "poweroff" halts it, "crash" reboots it. The status itself reached the
 * runner through the console line machine_power_off() printed.
 */
void xen_power_off(int status)
{
	struct sched_shutdown s = {
		.reason = status ? SHUTDOWN_crash : SHUTDOWN_poweroff,
	};

	for (;;)
		xen_hypercall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
			       (u64)(uintptr_t)&s);
}

/*
 * Xen's timing leaf (base + 3, sub-leaf 0): ECX is the guest TSC in kHz
 * (xen/arch-x86/cpuid.h). Xen may leave it 0 for a PV dom0; then the
 * pvclock scale in vcpu_info.time says it (vcpu_time_info is a pvclock
 * record; cpu_init(0) has set up the boot vCPU's vcpu_info).
 */
u64 xen_tsc_khz(void)
{
	struct cpuid_regs r;

	if (hypervisor.base && hypervisor.max_leaf >= hypervisor.base + 3) {
		cpuid_count(hypervisor.base + 3, 0, &r);
		if (r.ecx)
			return r.ecx;
	}
	if (!xen_vcpu[0])
		return 0;
	return pvclock_tsc_khz((const struct pvclock_vcpu_time_info *)
			       &xen_vcpu[0]->time);
}
