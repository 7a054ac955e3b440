/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The paravirt ops table. Core code reaches CPU, interrupt, MMU, clock,
 * APIC, port/MMIO, lock and hypercall operations only through pv_ops, via
 * the call-site wrappers at the end of this file. Each wrapper is a
 * patchable site (asm/pv/site.h): an indirect call through the table that
 * the patcher rewrites at boot into the op's inline body, a direct call or
 * NOPs. Every op has a one-line contract; "callee-save" ops may be called
 * from delicate places and clobber only %rax (C implementations go through
 * PV_CALLEE_SAVE thunks).
 *
 * Adding an op: a member here with its contract, its native default in
 * arch/x86/paravirt/ops.c, overrides in the backends that differ, and a
 * wrapper below. The patcher needs nothing.
 */
#ifndef ASM_PV_OPS_H
#define ASM_PV_OPS_H

#include <proteus/types.h>
#include <proteus/compiler.h>
#include <asm/processor.h>
#include <asm/pv/site.h>

struct cpumask;

struct desc_ptr {
	u16 size;
	u64 address;
} __packed;

struct pv_cpu_ops {
	/* CPUID as the hypervisor wants the guest to see it. */
	void (*cpuid)(u32 leaf, u32 subleaf, struct cpuid_regs *r);
	u64 (*read_cr0)(void);
	void (*write_cr0)(u64 v);
	/* Faulting address of the last page fault. Callee-save. */
	u64 (*read_cr2)(void);
	/* Root of the current address space (physical). */
	u64 (*read_cr3)(void);
	/* Switch address space; flushes non-global TLB entries. */
	void (*write_cr3)(u64 v);
	u64 (*read_cr4)(void);
	void (*write_cr4)(u64 v);
	/* MSR access; the plain ones may fault, the _safe ones return -1 on #GP. */
	u64 (*read_msr)(u32 msr);
	void (*write_msr)(u32 msr, u64 v);
	int (*read_msr_safe)(u32 msr, u64 *v);
	int (*write_msr_safe)(u32 msr, u64 v);
	/* Write back and invalidate caches. */
	void (*wbinvd)(void);
	/* Load descriptor tables and the task register. */
	void (*load_gdt)(const struct desc_ptr *d);
	void (*load_idt)(const struct desc_ptr *d);
	void (*load_tr)(u16 sel);
	/* A short delay between accesses to slow legacy devices. */
	void (*io_delay)(void);
};

struct pv_irq_ops {
	/* RFLAGS with IF meaning "interrupts enabled". Callee-save. */
	u64 (*save_fl)(void);
	/* Restore what save_fl returned. Callee-save. */
	void (*restore_fl)(u64 flags);
	/* Stop / resume taking interrupts (or events) on this CPU. Callee-save. */
	void (*irq_disable)(void);
	void (*irq_enable)(void);
	/* Enable interrupts and wait for one, atomically (sti; hlt). */
	void (*safe_halt)(void);
	/* Wait for the next interrupt; with them disabled only NMI/INIT end it. */
	void (*halt)(void);
};

struct pv_mmu_ops {
	/* Write a page-table entry at each level (the only way entries change). */
	void (*set_pte)(u64 *ptep, u64 val);
	void (*set_pmd)(u64 *pmdp, u64 val);
	void (*set_pud)(u64 *pudp, u64 val);
	void (*set_p4d)(u64 *p4dp, u64 val);
	/* A page becomes / stops being a page table of the given level (1-4). */
	void (*alloc_pt)(phys_addr_t pa, int level);
	void (*release_pt)(phys_addr_t pa, int level);
	/* TLB: this CPU's non-global entries, one page, or CPUs in a mask. */
	void (*flush_tlb_local)(void);
	void (*flush_tlb_one)(u64 va);
	void (*flush_tlb_multi)(const struct cpumask *cpus, u64 va);
	/* Entry <-> value conversions (machine frames under Xen PV). Callee-save. */
	u64 (*pte_val)(u64 pte);
	u64 (*make_pte)(u64 val);
	/* Boot: give the kernel its final page tables. Not a patched site. */
	void (*paging_init)(void);
};

#define FLUSH_TLB_ALL	(~0ULL)

struct pv_time_ops {
	/* Nanoseconds since boot, monotonic per CPU. */
	u64 (*sched_clock)(void);
	/* Nanoseconds the given CPU was runnable but not running. */
	u64 (*steal_clock)(unsigned int cpu);
	/* Seconds since 1970-01-01 UTC. */
	u64 (*wallclock)(void);
	/* Raise the timer interrupt on this CPU once, delta_ns from now. */
	int (*set_oneshot)(u64 delta_ns);
	/* Whether this CPU's one-shot timer is armed and has not fired. */
	bool (*oneshot_pending)(void);
	/* Boot: TSC frequency in kHz, 0 if unknown. Not a patched site. */
	u64 (*tsc_khz)(void);
	/*
	 * Switch sched_clock to the named source, continuing from the old
	 * one's value; with NULL only report. Returns the source in use
	 * afterwards. Not a patched site.
	 */
	const char *(*clock_select)(const char *name);
};

struct pv_apic_ops {
	/* Boot, on every CPU: bring up its local interrupt controller. Not a site. */
	void (*init)(void);
	/* Signal end of interrupt to the local interrupt controller. */
	void (*eoi)(void);
	/* Send a fixed-vector IPI to one CPU, a set of CPUs, or all others. */
	void (*send_ipi)(unsigned int cpu, unsigned int vector);
	void (*send_ipi_mask)(const struct cpumask *cpus, unsigned int vector);
	void (*send_ipi_allbutself)(unsigned int vector);
};

struct pv_io_ops {
	u8 (*inb)(u16 port);
	u16 (*inw)(u16 port);
	u32 (*inl)(u16 port);
	void (*outb)(u8 val, u16 port);
	void (*outw)(u16 val, u16 port);
	void (*outl)(u32 val, u16 port);
	/* Map device registers uncached; NULL on failure. */
	void *(*map_mmio)(phys_addr_t pa, size_t size);
	void (*unmap_mmio)(void *va, size_t size);
	/* The address a device must use to reach this kernel buffer. */
	u64 (*dma_addr)(const void *va);
};

struct pv_lock_ops {
	/* Spinlock slow path: wait while *ptr == val; kick wakes a waiter. */
	void (*wait)(u8 *ptr, u8 val);
	void (*kick)(unsigned int cpu);
};

struct pv_sys_ops {
	/* Boot: number of usable CPUs. Not a patched site. */
	unsigned int (*cpu_count)(void);
	/*
	 * Boot, on each CPU once its per-CPU area is up, before its APIC:
	 * register what the hypervisor keeps per vCPU. Not a patched site.
	 */
	void (*cpu_init)(unsigned int cpu);
	/* Boot: start the other CPUs; returns how many are online. Not a site. */
	unsigned int (*smp_boot)(void);
	/* Stop the machine; status 0 means success. Never returns. */
	void (*power_off)(int status) __noreturn;
};

struct pv_ops {
	struct pv_cpu_ops cpu;
	struct pv_irq_ops irq;
	struct pv_mmu_ops mmu;
	struct pv_time_ops time;
	struct pv_apic_ops apic;
	struct pv_io_ops io;
	struct pv_lock_ops lock;
	struct pv_sys_ops sys;
	/*
	 * The hypercall instruction: the caller loads the hypervisor's
	 * registers (the site may clobber what a C call may), the site
	 * becomes vmcall, vmmcall or syscall. Native: returns -ENOSYS.
	 */
	void (*hypercall)(void);
	/* No effect; for the patcher's selftests and benchmark. */
	void (*probe)(void);
};

extern struct pv_ops pv_ops;

/* The designated no-op: an op pointing here becomes NOPs at its sites. */
void pv_nop(void);

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

/* --- call-site wrappers: the only way core code calls an op --- */

static inline void cpuid_count(u32 leaf, u32 subleaf, struct cpuid_regs *r)
{
	PVOP_VCALL3(cpu.cpuid, leaf, subleaf, r);
}

static inline void cpuid(u32 leaf, struct cpuid_regs *r)
{
	PVOP_VCALL3(cpu.cpuid, leaf, 0, r);
}

static inline u64 read_cr0(void)
{
	return PVOP_CALL0(cpu.read_cr0);
}

static inline void write_cr0(u64 v)
{
	PVOP_VCALL1(cpu.write_cr0, v);
}

static inline u64 read_cr2(void)
{
	return PVOP_CALLEE0(cpu.read_cr2);
}

static inline u64 read_cr3(void)
{
	return PVOP_CALL0(cpu.read_cr3);
}

static inline void write_cr3(u64 v)
{
	PVOP_VCALL1(cpu.write_cr3, v);
}

static inline u64 read_cr4(void)
{
	return PVOP_CALL0(cpu.read_cr4);
}

static inline void write_cr4(u64 v)
{
	PVOP_VCALL1(cpu.write_cr4, v);
}

static inline u64 rdmsr(u32 msr)
{
	return PVOP_CALL1(cpu.read_msr, msr);
}

static inline void wrmsr(u32 msr, u64 v)
{
	PVOP_VCALL2(cpu.write_msr, msr, v);
}

static inline int rdmsr_safe(u32 msr, u64 *v)
{
	return (int)PVOP_CALL2(cpu.read_msr_safe, msr, v);
}

static inline int wrmsr_safe(u32 msr, u64 v)
{
	return (int)PVOP_CALL2(cpu.write_msr_safe, msr, v);
}

static inline void wbinvd(void)
{
	PVOP_VCALL0(cpu.wbinvd);
}

static inline void load_gdt(const struct desc_ptr *d)
{
	PVOP_VCALL1(cpu.load_gdt, d);
}

static inline void load_idt(const struct desc_ptr *d)
{
	PVOP_VCALL1(cpu.load_idt, d);
}

static inline void load_tr(u16 sel)
{
	PVOP_VCALL1(cpu.load_tr, sel);
}

static inline void io_delay(void)
{
	PVOP_VCALL0(cpu.io_delay);
}

static inline u64 save_flags(void)
{
	return PVOP_CALLEE0(irq.save_fl);
}

static inline void restore_flags(u64 f)
{
	PVOP_VCALLEE1(irq.restore_fl, f);
}

static inline void irq_disable(void)
{
	PVOP_VCALLEE0(irq.irq_disable);
}

static inline void irq_enable(void)
{
	PVOP_VCALLEE0(irq.irq_enable);
}

static inline u64 irq_save(void)
{
	u64 f = save_flags();

	irq_disable();
	return f;
}

#define X86_EFLAGS_IF	(1ULL << 9)

static inline bool irqs_disabled(void)
{
	return !(save_flags() & X86_EFLAGS_IF);
}

static inline void safe_halt(void)
{
	PVOP_VCALL0(irq.safe_halt);
}

static inline void halt(void)
{
	PVOP_VCALL0(irq.halt);
}

static inline void set_pte(u64 *p, u64 v)
{
	PVOP_VCALL2(mmu.set_pte, p, v);
}

static inline void set_pmd(u64 *p, u64 v)
{
	PVOP_VCALL2(mmu.set_pmd, p, v);
}

static inline void set_pud(u64 *p, u64 v)
{
	PVOP_VCALL2(mmu.set_pud, p, v);
}

static inline void set_p4d(u64 *p, u64 v)
{
	PVOP_VCALL2(mmu.set_p4d, p, v);
}

static inline void pv_alloc_pt(phys_addr_t pa, int level)
{
	PVOP_VCALL2(mmu.alloc_pt, pa, level);
}

static inline void pv_release_pt(phys_addr_t pa, int level)
{
	PVOP_VCALL2(mmu.release_pt, pa, level);
}

static inline void flush_tlb_local(void)
{
	PVOP_VCALL0(mmu.flush_tlb_local);
}

static inline void flush_tlb_one(u64 va)
{
	PVOP_VCALL1(mmu.flush_tlb_one, va);
}

static inline void flush_tlb_multi(const struct cpumask *cpus, u64 va)
{
	PVOP_VCALL2(mmu.flush_tlb_multi, cpus, va);
}

static inline u64 pte_val(u64 pte)
{
	return PVOP_CALLEE1(mmu.pte_val, pte);
}

static inline u64 make_pte(u64 val)
{
	return PVOP_CALLEE1(mmu.make_pte, val);
}

static inline u64 sched_clock(void)
{
	return PVOP_CALL0(time.sched_clock);
}

static inline u64 steal_clock(unsigned int cpu)
{
	return PVOP_CALL1(time.steal_clock, cpu);
}

static inline u64 wallclock(void)
{
	return PVOP_CALL0(time.wallclock);
}

static inline int timer_set_oneshot(u64 delta_ns)
{
	return (int)PVOP_CALL1(time.set_oneshot, delta_ns);
}

static inline bool timer_oneshot_pending(void)
{
	return (bool)PVOP_CALL0(time.oneshot_pending);
}

static inline void apic_eoi(void)
{
	PVOP_VCALL0(apic.eoi);
}

static inline void send_ipi(unsigned int cpu, unsigned int vector)
{
	PVOP_VCALL2(apic.send_ipi, cpu, vector);
}

static inline void send_ipi_mask(const struct cpumask *cpus, unsigned int vector)
{
	PVOP_VCALL2(apic.send_ipi_mask, cpus, vector);
}

static inline void send_ipi_allbutself(unsigned int vector)
{
	PVOP_VCALL1(apic.send_ipi_allbutself, vector);
}

static inline u8 inb(u16 port)
{
	return (u8)PVOP_CALL1(io.inb, port);
}

static inline u16 inw(u16 port)
{
	return (u16)PVOP_CALL1(io.inw, port);
}

static inline u32 inl(u16 port)
{
	return (u32)PVOP_CALL1(io.inl, port);
}

static inline void outb(u8 val, u16 port)
{
	PVOP_VCALL2(io.outb, val, port);
}

static inline void outw(u16 val, u16 port)
{
	PVOP_VCALL2(io.outw, val, port);
}

static inline void outl(u32 val, u16 port)
{
	PVOP_VCALL2(io.outl, val, port);
}

static inline void *map_mmio(phys_addr_t pa, size_t size)
{
	return (void *)(uintptr_t)PVOP_CALL2(io.map_mmio, pa, size);
}

static inline void unmap_mmio(void *va, size_t size)
{
	PVOP_VCALL2(io.unmap_mmio, va, size);
}

static inline u64 dma_addr(const void *va)
{
	return PVOP_CALL1(io.dma_addr, va);
}

static inline void pv_lock_wait(u8 *ptr, u8 val)
{
	PVOP_VCALL2(lock.wait, ptr, val);
}

static inline void pv_lock_kick(unsigned int cpu)
{
	PVOP_VCALL1(lock.kick, cpu);
}

static inline void pv_probe(void)
{
	PVOP_VCALL0(probe);
}

#endif
