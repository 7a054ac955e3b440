// SPDX-License-Identifier: GPL-2.0
/*
 * The ops table and the choice of backend. The table starts with the
 * native implementations so that the earliest code (before a backend is
 * chosen) runs on a PC as it is; a backend's init() then overrides what
 * its platform does differently.
 */
#include <asm/pv/ops.h>
#include <asm/pv/native.h>
#include <proteus/printk.h>

struct pv_ops pv_ops = {
	.cpu = {
		.cpuid = native_cpuid_op,
		.read_cr2 = native_read_cr2_op,
		.load_idt = native_load_idt,
	},
	.irq = {
		.irq_disable = native_irq_disable,
		.halt = native_halt,
	},
	.mmu = {
		.paging_init = native_paging_init,
	},
	.io = {
		.inb = native_inb,
		.outb = native_outb,
	},
	.time = {
		.tsc_khz = native_tsc_khz,
	},
	.sys = {
		.cpu_count = native_cpu_count,
		.power_off = native_power_off,
	},
};

const struct pv_backend *pv_backend;

extern const struct pv_backend __start_pv_backends[], __stop_pv_backends[];

const struct pv_backend *pv_select_backend(void)
{
	const struct pv_backend *b, *best = NULL;

	for (b = __start_pv_backends; b < __stop_pv_backends; b++) {
		if (best && b->priority <= best->priority)
			continue;
		if (b->detect())
			best = b;
	}
	pv_backend = best;
	if (best->init)
		best->init();
	return best;
}
