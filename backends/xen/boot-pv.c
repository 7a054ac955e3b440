// SPDX-License-Identifier: GPL-2.0
/*
 * Xen PV start of day. Xen built our initial page tables (kernel, start
 * info, p2m list, the tables themselves and a stack, mapped at va ==
 * pseudo-physical since VIRT_BASE is 0) and entered xen_pv_start in ring 3
 * with %rsi = start_info. The ops that must work before anything can fault
 * or print are installed first, then start_info is read once into
 * boot_info.
 */
#include <asm/layout.h>
#include <asm/pgtable.h>
#include <asm/percpu.h>
#include <asm/pv/ops.h>
#include <proteus/bootinfo.h>
#include <proteus/kernel.h>
#include <proteus/panic.h>
#include <proteus/printk.h>
#include <proteus/string.h>
#include "xen.h"

#define BOOT_STACK_PAGES 1	/* Xen's bootstrap stack follows the tables */

struct start_info *xen_start_info;

/* Page-table entries hold machine frames; Xen's M2P table maps them back. */
static const u64 *const m2p = (const u64 *)MACH2PHYS_VIRT_START;

static const u64 *pv_table(u64 entry)
{
	u64 mfn = (entry & PTE_ADDR_MASK) >> PAGE_SHIFT;

	return (const u64 *)(uintptr_t)(m2p[mfn] << PAGE_SHIFT);
}

/* Whether Xen's initial tables map va. */
static bool pv_mapped(u64 va)
{
	const u64 *t = (const u64 *)(uintptr_t)xen_start_info->pt_base;
	int level;

	for (level = 4; level >= 1; level--) {
		u64 e = t[(va >> (12 + 9 * (level - 1))) & 511];

		if (!(e & _PAGE_PRESENT))
			return false;
		if (level == 1 || (level <= 3 && (e & _PAGE_PSE)))
			return true;
		t = pv_table(e);
	}
	return false;
}

static void read_start_info(const struct start_info *si)
{
	u64 pt_end = si->pt_base + si->nr_pt_frames * PAGE_SIZE;
	u64 boot_end = pt_end + BOOT_STACK_PAGES * PAGE_SIZE;
	u64 mapped = ALIGN_UP(boot_end, PAGE_SIZE);
	u64 ram = (u64)si->nr_pages << PAGE_SHIFT;

	bootinfo_set_cmdline((const char *)si->cmd_line, MAX_GUEST_CMDLINE);
	memmap_add(&boot_info.memmap, 0, ram, MEM_USABLE);
	/* Kernel, p2m list, start info; page tables (freed later); stack. */
	bootinfo_reserve(KERNEL_LOAD_ADDR, si->pt_base - KERNEL_LOAD_ADDR);
	bootinfo_reserve(si->pt_base, pt_end - si->pt_base);
	bootinfo_reserve(pt_end, boot_end - pt_end);
	if (si->mod_start && si->mod_len)
		bootinfo_add_module(si->flags & SIF_MOD_START_PFN ?
				    (u64)si->mod_start << PAGE_SHIFT : si->mod_start,
				    si->mod_len);
	while (mapped < ram && pv_mapped(mapped))
		mapped += PAGE_SIZE;
	boot_info.direct_map_limit = mapped;
}

void xen_pv_boot(struct start_info *si, u64 entry_tsc) __noreturn;
void xen_pv_boot(struct start_info *si, u64 entry_tsc)
{
	/* vcpu-info-pv.S finds the vCPU's vcpu_info through the per-CPU area. */
	percpu_init_boot_cpu();
	xen_start_info = si;
	pv_ops.hypercall = xen_hypercall_syscall;
	boot_info.path = BOOT_XEN_PV;
	boot_info.entry_tsc = entry_tsc;
	boot_info.console_hints = CONSOLE_HINT_XEN;
	xen_pv_install_ops();
	if (memcmp(si->magic, "xen-3.0-x86_64", 14))
		panic("xen-pv: start_info magic '%.14s' is not xen-3.0-x86_64",
		      si->magic);
	read_start_info(si);
	start_kernel();
}
