// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU areas: a static array, so the boot CPU's is usable before
 * memory management and no CPU ever allocates its own. Each CPU's GS base
 * points at its area. The base is written with the wrmsr op everywhere:
 * natively it is the instruction, and a Xen PV kernel (ring 3) gets the
 * same effect because Xen's privileged-instruction emulation handles
 * writes to the FS/GS base MSRs of 64-bit PV guests.
 */
#include <asm/msr-index.h>
#include <asm/percpu.h>
#include <asm/pv/ops.h>

struct percpu percpu_areas[MAX_CPUS];

static void set_gs_base(struct percpu *p)
{
	p->self = p;
	wrmsr(MSR_GS_BASE, (u64)(uintptr_t)p);
}

/*
 * Leaf 0xb gives the full 32-bit x2APIC ID where it exists (its EBX is
 * 0 when the leaf is not implemented); leaf 1 has the 8-bit xAPIC ID.
 */
u32 cpu_initial_apic_id(void)
{
	struct cpuid_regs r;

	cpuid(0, &r);
	if (r.eax >= 0xb) {
		cpuid_count(0xb, 0, &r);
		if (r.ebx)
			return r.edx;
	}
	cpuid(1, &r);
	return r.ebx >> 24;
}

void percpu_init_boot_cpu(void)
{
	extern char boot_stack_top[];
	struct percpu *p = &percpu_areas[0];

	p->cpu = 0;
	p->apic_id = cpu_initial_apic_id();
	p->stack_top = (u64)(uintptr_t)boot_stack_top;
	set_gs_base(p);
	cpumask_set_cpu(0, &cpu_online_bits);
}

void percpu_init_ap(struct percpu *p)
{
	set_gs_base(p);
}
