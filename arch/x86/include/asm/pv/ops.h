/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The paravirt ops table. Core code reaches CPU, interrupt, clock, port I/O
 * and machine-level operations only through pv_ops; the chosen backend
 * (backends/native, backends/xen, ...) fills it before anything else runs.
 * Each op carries its contract. The table starts out native.
 */
#ifndef ASM_PV_OPS_H
#define ASM_PV_OPS_H

#include <proteus/types.h>
#include <proteus/compiler.h>
#include <asm/processor.h>

struct pv_cpu_ops {
	/* CPUID as the hypervisor wants the guest to see it. */
	void (*cpuid)(u32 leaf, u32 subleaf, struct cpuid_regs *r);
	/* Faulting address of the last page fault. */
	u64 (*read_cr2)(void);
	/* Install the exception entry points (IDT or trap table). */
	void (*load_idt)(void);
};

struct pv_irq_ops {
	/* Stop taking interrupts/events on this CPU. */
	void (*irq_disable)(void);
	/* Wait for the next interrupt/event (with them disabled: forever). */
	void (*halt)(void);
};

struct pv_mmu_ops {
	/* Give the kernel its final page tables (direct map, W^X). */
	void (*paging_init)(void);
};

struct pv_io_ops {
	u8 (*inb)(u16 port);
	void (*outb)(u8 val, u16 port);
};

struct pv_time_ops {
	/* TSC frequency in kHz, 0 if it cannot be determined. */
	u64 (*tsc_khz)(void);
};

struct pv_sys_ops {
	/* Number of usable CPUs, as firmware or the hypervisor reports them. */
	unsigned int (*cpu_count)(void);
	/* Stop the machine; status 0 means success. Never returns. */
	void (*power_off)(int status) __noreturn;
};

struct pv_ops {
	struct pv_cpu_ops cpu;
	struct pv_irq_ops irq;
	struct pv_mmu_ops mmu;
	struct pv_io_ops io;
	struct pv_time_ops time;
	struct pv_sys_ops sys;
};

extern struct pv_ops pv_ops;

/* A backend: detect() says whether it can run here, init() fills pv_ops. */
struct pv_backend {
	const char *name;
	int priority;			/* highest usable one wins */
	bool (*detect)(void);
	void (*init)(void);
};

#define PV_BACKEND(var)							\
	static const struct pv_backend var __used			\
	__section(".pv_backends") __aligned(8)

const struct pv_backend *pv_select_backend(void);
extern const struct pv_backend *pv_backend;

/* Call-site wrappers used by core code. */
static inline void cpuid_count(u32 leaf, u32 subleaf, struct cpuid_regs *r)
{
	pv_ops.cpu.cpuid(leaf, subleaf, r);
}

static inline void cpuid(u32 leaf, struct cpuid_regs *r)
{
	pv_ops.cpu.cpuid(leaf, 0, r);
}

static inline u64 read_cr2(void)
{
	return pv_ops.cpu.read_cr2();
}

static inline u8 inb(u16 port)
{
	return pv_ops.io.inb(port);
}

static inline void outb(u8 val, u16 port)
{
	pv_ops.io.outb(val, port);
}

#endif
