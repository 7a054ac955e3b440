// SPDX-License-Identifier: GPL-2.0
/*
 * The ops table and the choice of backend. The table starts native so that
 * the earliest code runs on a PC as it is; a backend's init() overrides
 * what its platform does differently, before the patcher runs, and fills
 * the boot hooks in pv_init likewise. The tables have pages of their own
 * so that they can be made read-only once patched.
 */
#include <asm/apic.h>
#include <asm/hypervisor.h>
#include <asm/pgtable.h>
#include <asm/pv/init.h>
#include <asm/pv/ops.h>
#include <asm/pv/native.h>
#include <proteus/bootinfo.h>
#include <proteus/cmdline.h>
#include <proteus/printk.h>
#include <proteus/string.h>

struct pv_ops pv_ops __section(".data.pv_ops") = {
	.cpu = {
		.cpuid = native_cpuid_op,
		.read_cr0 = native_read_cr0,
		.write_cr0 = native_write_cr0,
		.read_cr2 = PV_CALLEE_SAVE(native_read_cr2),
		.read_cr3 = native_read_cr3,
		.write_cr3 = native_write_cr3,
		.read_cr4 = native_read_cr4,
		.write_cr4 = native_write_cr4,
		.read_msr = native_read_msr,
		.write_msr = native_write_msr,
		.read_msr_safe = native_read_msr_safe,
		.write_msr_safe = native_write_msr_safe,
		.wbinvd = native_wbinvd,
		.load_gdt = native_load_gdt,
		.load_idt = native_load_idt,
		.load_tr = native_load_tr,
		.io_delay = native_io_delay,
	},
	.irq = {
		.save_fl = PV_CALLEE_SAVE(native_save_fl),
		.restore_fl = PV_CALLEE_SAVE(native_restore_fl),
		.irq_disable = PV_CALLEE_SAVE(native_irq_disable),
		.irq_enable = PV_CALLEE_SAVE(native_irq_enable),
		.safe_halt = native_safe_halt,
		.halt = native_halt,
	},
	.mmu = {
		.set_pte = native_set_pte,
		.set_pmd = native_set_pte,
		.set_pud = native_set_pte,
		.set_p4d = native_set_pte,
		.alloc_pt = (void *)pv_nop,
		.release_pt = (void *)pv_nop,
		.flush_tlb_local = native_flush_tlb_local,
		.flush_tlb_one = native_flush_tlb_one,
		.flush_tlb_multi = flush_tlb_multi_ipi,
		.pte_val = PV_CALLEE_SAVE(native_pte_identity),
		.make_pte = PV_CALLEE_SAVE(native_pte_identity),
		.lazy_mmu_enter = pv_nop,
		.lazy_mmu_leave = pv_nop,
	},
	.time = {
		.sched_clock = native_sched_clock,
		.steal_clock = native_steal_clock,
		.wallclock = native_wallclock,
		.set_oneshot = lapic_set_oneshot,
		.oneshot_pending = lapic_oneshot_pending,
	},
	.apic = {
		.eoi = lapic_eoi,
		.send_ipi = lapic_send_ipi,
		.send_ipi_mask = lapic_send_ipi_mask,
		.send_ipi_allbutself = lapic_send_ipi_allbutself,
	},
	.io = {
		.inb = native_inb,
		.inw = native_inw,
		.inl = native_inl,
		.outb = native_outb,
		.outw = native_outw,
		.outl = native_outl,
		.map_mmio = native_map_mmio,
		.unmap_mmio = native_unmap_mmio,
		.dma_addr = native_dma_addr,
		.bind_device_irq = native_bind_device_irq,
		.unbind_device_irq = native_unbind_device_irq,
	},
	.lock = {
		.wait = native_lock_wait,
		/* A native waiter spins: there is nobody to wake. */
		.kick = (void *)pv_nop,
	},
	.sys = {
		.power_off = native_power_off,
	},
	.hypercall = native_hypercall,
	.probe = pv_nop,
};

const char *port_io_missing;

/* The boot hooks share the ops table's pages: sealed with it. */
struct pv_init_ops pv_init __section(".data.pv_ops") = {
	.cpu_count = native_cpu_count,
	/* A PC has no per-CPU hypervisor state to register. */
	.cpu_init = (void *)pv_nop,
	.smp_boot = native_smp_boot,
	.paging_init = native_paging_init,
	.tsc_khz = native_tsc_khz,
	.clock_select = native_clock_select,
	.apic_init = lapic_init,
	.power_init = native_power_init,
	/* A PC offers nothing more to start. */
	.late_init = pv_nop,
};

const struct pv_backend *pv_backend;

extern const struct pv_backend __start_pv_backends[], __stop_pv_backends[];

/* pv=auto|native|kvm|xen: which backend family to use. */
static char pv_choice[8] = "auto";

static int set_pv(const char *val)
{
	static const char *const choices[] = { "auto", "native", "kvm", "xen" };
	unsigned int i;

	for (i = 0; val && i < ARRAY_SIZE(choices); i++) {
		if (!strcmp(val, choices[i])) {
			strlcpy(pv_choice, val, sizeof(pv_choice));
			return 0;
		}
	}
	return -1;
}
KERNEL_PARAM("pv", set_pv);

static const struct pv_backend *find_backend(const char *family, bool usable)
{
	const struct pv_backend *b, *best = NULL;

	for (b = __start_pv_backends; b < __stop_pv_backends; b++) {
		if (family && strncmp(b->name, family, strlen(family)))
			continue;
		if (best && b->priority <= best->priority)
			continue;
		if (!usable || b->detect())
			best = b;
	}
	return best;
}

/* Honour pv= where it can work; say why where it cannot. */
static const struct pv_backend *forced_backend(const struct pv_backend *best)
{
	const struct pv_backend *b;

	if (!strcmp(pv_choice, "auto"))
		return best;
	/*
	 * Under Xen only the Xen backends can run: a PV guest has no native
	 * mode at all, and a PVH dom0 gets its console, memory map and power
	 * off only from Xen.
	 */
	if (hypervisor.type == HYPERVISOR_XEN && strcmp(pv_choice, "xen")) {
		pr_warn("pv=%s ignored: under Xen only the %s backend can run\n",
			pv_choice, best->name);
		return best;
	}
	b = find_backend(pv_choice, true);
	if (b)
		return b;
	pr_warn("pv=%s: %s; using native\n", pv_choice,
		find_backend(pv_choice, false) ? "that hypervisor is not here" :
		"this kernel has no such backend yet");
	return find_backend("native", true);
}

const struct pv_backend *pv_select_backend(void)
{
	const struct pv_backend *best = forced_backend(find_backend(NULL, true));

	pv_backend = best;
	if (best->init)
		best->init();
	return best;
}
