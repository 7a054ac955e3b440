/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Boot-time platform hooks. Unlike pv_ops these are called through plain
 * pointers, never from a patched site: each runs a handful of times while
 * the kernel comes up (clock_select also later, and rarely). The backend's
 * init() fills them alongside pv_ops, starting from the native defaults in
 * arch/x86/paravirt/ops.c. The table shares pv_ops' pages, so it is sealed
 * read-only with it once the boot CPU is patched.
 */
#ifndef ASM_PV_INIT_H
#define ASM_PV_INIT_H

#include <proteus/types.h>

/**
 * struct pv_init_ops - how the platform brings the kernel up
 * @cpu_count: the number of CPUs the platform will let us start; on the
 *	boot CPU, before smp_boot.
 * @cpu_init: register what the hypervisor keeps per vCPU for CPU @cpu;
 *	called on that CPU once its per-CPU area is up and before its
 *	apic_init, with interrupts off (CPU 0 before patching).
 * @smp_boot: start the other CPUs, each through cpu_init and apic_init;
 *	returns how many CPUs are online. Once, on the boot CPU, after
 *	patching.
 * @paging_init: give the kernel its final page tables; once, on the boot
 *	CPU, from mm_init().
 * @tsc_khz: the TSC frequency in kHz, 0 if the platform does not know it
 *	(the caller calibrates then); once, from tsc_init(), after cpu_init(0).
 * @clock_select: switch sched_clock to source @name (continuing from the
 *	old source's value) by re-patching its sites, or with NULL only report;
 *	returns the name of the source in use afterwards. Any time after
 *	patching, with interrupts on and other CPUs taking them (a re-patch
 *	stops every CPU); not from an interrupt handler.
 * @apic_init: bring up this CPU's local interrupt controller; on each CPU
 *	at bring-up, after its cpu_init, with interrupts off.
 * @power_init: learn how the platform powers off and resets, so that
 *	pv_ops.sys.power_off need not (it may run in a panic), and say so in
 *	one line; once, on the boot CPU, after mm_init (it may map registers).
 * @late_init: start and report what the platform offers beyond the ops
 *	(Xen's grant table); once, on the boot CPU, after patching (calls
 *	go through patched sites) and before smp_boot.
 */
struct pv_init_ops {
	unsigned int (*cpu_count)(void);
	void (*cpu_init)(unsigned int cpu);
	unsigned int (*smp_boot)(void);
	void (*paging_init)(void);
	u64 (*tsc_khz)(void);
	const char *(*clock_select)(const char *name);
	void (*apic_init)(void);
	void (*power_init)(void);
	void (*late_init)(void);
};

extern struct pv_init_ops pv_init;

#endif
