/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The paravirt ops table. Core code reaches CPU, interrupt, MMU, clock,
 * APIC, port/MMIO, lock and hypercall operations only through pv_ops, via
 * the call-site wrappers at the end of this file. Each wrapper is a
 * patchable site (asm/pv/site.h): an indirect call through the table that
 * the patcher rewrites at boot into the op's inline body, a direct call or
 * NOPs. Every member is such an op; boot-time hooks that are called
 * through a plain pointer live in struct pv_init_ops (asm/pv/init.h).
 *
 * Every op has its contract below. Unless it says otherwise an op may be
 * called on any CPU, with interrupts on or off, once the backend's init()
 * has filled the table (before the patcher runs it is the indirect call,
 * afterwards the patched site: the same meaning), and it acts on the
 * calling CPU. "Callee-save" ops may be called from delicate places and
 * change only %rax: their slots hold a struct pv_callee_save, which only
 * PV_CALLEE_SAVE() makes (asm/pv/site.h).
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
struct desc_ptr;
struct device_irq;

/**
 * struct pv_cpu_ops - processor registers and instructions
 * @cpuid: CPUID @leaf/@subleaf into @r, as the hypervisor wants the guest
 *	to see it (Xen PV: through the forced-emulation prefix).
 * @read_cr0: this CPU's CR0.
 * @write_cr0: set this CPU's CR0 (cache and protection control); with
 *	interrupts off.
 * @read_cr2: callee-save. The linear address of this CPU's last page
 *	fault; meaningful in the #PF handler before anything can fault again.
 * @read_cr3: this CPU's page-table root, a physical address (plus PCD/PWT).
 * @write_cr3: switch this CPU's address space; drops its non-global TLB
 *	entries.
 * @read_cr4: this CPU's CR4.
 * @write_cr4: set this CPU's CR4 (feature enables); with interrupts off.
 * @read_msr: an MSR of this CPU; an MSR that does not exist raises #GP.
 * @write_msr: write an MSR of this CPU; raises #GP like @read_msr.
 * @read_msr_safe: like @read_msr into *@v; returns 0, or -1 (*@v 0) where
 *	the access raised #GP.
 * @write_msr_safe: like @write_msr; returns 0, or -1 where it raised #GP.
 * @wbinvd: write back and invalidate this CPU's caches (slow: thousands
 *	of cycles).
 * @load_gdt: load this CPU's GDT from @d; boot and CPU bring-up, with
 *	interrupts off.
 * @load_idt: load this CPU's IDT from @d (Xen PV: the trap table); boot
 *	and CPU bring-up, with interrupts off.
 * @load_tr: load this CPU's task register with GDT selector @sel; once per
 *	CPU at bring-up.
 * @io_delay: wait about a microsecond between accesses to a slow legacy
 *	device.
 */
struct pv_cpu_ops {
	void (*cpuid)(u32 leaf, u32 subleaf, struct cpuid_regs *r);
	u64 (*read_cr0)(void);
	void (*write_cr0)(u64 v);
	struct pv_callee_save read_cr2;
	u64 (*read_cr3)(void);
	void (*write_cr3)(u64 v);
	u64 (*read_cr4)(void);
	void (*write_cr4)(u64 v);
	u64 (*read_msr)(u32 msr);
	void (*write_msr)(u32 msr, u64 v);
	int (*read_msr_safe)(u32 msr, u64 *v);
	int (*write_msr_safe)(u32 msr, u64 v);
	void (*wbinvd)(void);
	void (*load_gdt)(const struct desc_ptr *d);
	void (*load_idt)(const struct desc_ptr *d);
	void (*load_tr)(u16 sel);
	void (*io_delay)(void);
};

/**
 * struct pv_irq_ops - whether this CPU takes interrupts (Xen PV: events)
 * @save_fl: callee-save. A flags word (u64 (void)) whose X86_EFLAGS_IF bit
 *	says whether this CPU takes interrupts now; its other bits mean
 *	nothing to the caller.
 * @restore_fl: callee-save. Take interrupts or not (void (u64)) as a
 *	@save_fl value says; one that became pending while they were off is
 *	taken at once.
 * @irq_disable: callee-save. Stop taking interrupts on this CPU.
 * @irq_enable: callee-save. Take interrupts again; pending ones at once.
 * @safe_halt: enable interrupts and wait for one, atomically (no wakeup
 *	is lost between the two); returns after it was handled, with
 *	interrupts on.
 * @halt: wait for the next interrupt without changing whether they are
 *	taken; with them off only NMI or INIT ends the wait natively (Xen PV
 *	yields the CPU instead). May return early: callers loop.
 */
struct pv_irq_ops {
	struct pv_callee_save save_fl;
	struct pv_callee_save restore_fl;
	struct pv_callee_save irq_disable;
	struct pv_callee_save irq_enable;
	void (*safe_halt)(void);
	void (*halt)(void);
};

/**
 * struct pv_mmu_ops - page tables and TLBs
 * @set_pte: write @val into the level-1 entry at @ptep (a kernel virtual
 *	address): the only way entries change. The caller flushes the TLB.
 * @set_pmd: the same at level 2.
 * @set_pud: the same at level 3.
 * @set_p4d: the same at level 4.
 * @alloc_pt: the page at @pa becomes a page table of @level (1-4), before
 *	it is linked into a live table.
 * @release_pt: the page at @pa stops being a page table of @level, after
 *	it was unlinked and flushed.
 * @flush_tlb_local: drop this CPU's non-global TLB entries.
 * @flush_tlb_one: drop this CPU's TLB entries for the page at @va.
 * @flush_tlb_multi: drop the entries for @va (FLUSH_TLB_ALL: all
 *	non-global ones) on every online CPU in @cpus, the caller's included,
 *	and return when they are gone; the others must be taking interrupts.
 * @pte_val: callee-save. An entry's value as the kernel means it, with a
 *	physical frame (u64 (u64)); the identity where entries hold
 *	physical frames, as natively.
 * @make_pte: callee-save. The entry to store for a value (u64 (u64)); the
 *	inverse of @pte_val.
 * @lazy_mmu_enter: start a lazy-MMU section on this CPU, around a run of
 *	set_pte calls. Until the section ends, set_pte may be deferred: an
 *	entry set in it may still read back its old value and translate as
 *	before, so the caller does not read it back or rely on it before the
 *	end. Every other mmu op (set_pmd and up, a TLB flush) and write_cr3
 *	acts at once, after all the updates deferred before it. Sections
 *	nest and stay on this CPU; an interrupt handler's set_pte acts at
 *	once, never deferred into the section it interrupted. Native:
 *	nothing (entries are written at once).
 * @lazy_mmu_leave: end the section @lazy_mmu_enter began; when the
 *	outermost one ends, every deferred update has been applied.
 */
struct pv_mmu_ops {
	void (*set_pte)(u64 *ptep, u64 val);
	void (*set_pmd)(u64 *pmdp, u64 val);
	void (*set_pud)(u64 *pudp, u64 val);
	void (*set_p4d)(u64 *p4dp, u64 val);
	void (*alloc_pt)(phys_addr_t pa, int level);
	void (*release_pt)(phys_addr_t pa, int level);
	void (*flush_tlb_local)(void);
	void (*flush_tlb_one)(u64 va);
	void (*flush_tlb_multi)(const struct cpumask *cpus, u64 va);
	struct pv_callee_save pte_val;
	struct pv_callee_save make_pte;
	void (*lazy_mmu_enter)(void);
	void (*lazy_mmu_leave)(void);
};

#define FLUSH_TLB_ALL	(~0ULL)

/**
 * struct pv_time_ops - clocks and this CPU's timer
 * @sched_clock: nanoseconds since about boot; never goes back on one CPU.
 *	Usable once tsc_init() ran.
 * @steal_clock: nanoseconds CPU @cpu was runnable but the host ran
 *	something else; 0 where the hypervisor does not say.
 * @wallclock: seconds since 1970-01-01 UTC; may be slow (natively it
 *	reads the CMOS RTC).
 * @set_oneshot: raise IRQ_VECTOR_TIMER on this CPU once, @delta_ns from
 *	now, replacing a timer already armed. Returns 0 when armed, -ENODEV
 *	when this CPU has no timer, -ERANGE when @delta_ns is beyond its
 *	reach (nothing armed then). After this CPU's interrupt controller is
 *	up (pv_init.apic_init).
 * @oneshot_pending: whether this CPU's one-shot timer is armed and has
 *	not fired; false without a timer.
 */
struct pv_time_ops {
	u64 (*sched_clock)(void);
	u64 (*steal_clock)(unsigned int cpu);
	u64 (*wallclock)(void);
	int (*set_oneshot)(u64 delta_ns);
	bool (*oneshot_pending)(void);
};

/**
 * struct pv_apic_ops - this CPU's interrupt controller
 * @eoi: end of interrupt, from the handler of the interrupt being handled.
 * @send_ipi: raise fixed @vector on online CPU @cpu.
 * @send_ipi_mask: raise @vector on every online CPU in @cpus.
 * @send_ipi_allbutself: raise @vector on every other online CPU.
 */
struct pv_apic_ops {
	void (*eoi)(void);
	void (*send_ipi)(unsigned int cpu, unsigned int vector);
	void (*send_ipi_mask)(const struct cpumask *cpus, unsigned int vector);
	void (*send_ipi_allbutself)(unsigned int vector);
};

/**
 * struct pv_io_ops - how drivers reach devices: the only way they do
 * @inb: read a byte from I/O port @port (Xen PV: one Xen lets the
 *	domain use).
 * @inw: read 16 bits from @port.
 * @inl: read 32 bits from @port.
 * @outb: write byte @val to I/O port @port.
 * @outw: write 16 bits to @port.
 * @outl: write 32 bits to @port.
 * @map_mmio: map @size bytes of device registers at physical @pa uncached
 *	and return their kernel virtual address, or NULL when it cannot
 *	(@size 0, a range that wraps; Xen PV: a machine range Xen does not
 *	let the domain map). It may allocate page tables: not with
 *	interrupts off, not from an interrupt handler.
 * @unmap_mmio: undo @map_mmio for the @va and @size it gave; flushes every
 *	CPU's TLB, so not with interrupts off either.
 * @dma_addr: the bus address a device must be given to reach the kernel
 *	buffer at @va (in the kernel image or the direct map; physical
 *	natively, a machine address under Xen PV). Valid within @va's page:
 *	a buffer crossing pages is asked about page by page.
 * @bind_device_irq: have the device interrupt @irq describes (asm/irq.h:
 *	type, GSI, trigger and polarity flags, handler) call its handler on
 *	the calling CPU, and fill the rest of @irq. Returns 0, or a negative
 *	errno with nothing left bound and a log line saying what refused:
 *	-EINVAL for a type it does not know, -ENODEV for a line no interrupt
 *	controller has, -EBUSY when no vector or port is free, or Xen's error
 *	(Xen PV: PHYSDEVOP_map_pirq or EVTCHNOP_bind_pirq refused). Natively,
 *	under KVM and Xen PVH: an IOAPIC entry to a vector of its own, or
 *	for an MSI a vector and its message. Xen PV: a pirq event channel,
 *	its handler called from the event upcall; for an MSI-X entry Xen
 *	writes the entry itself (msi_by_hypervisor).
 *	The handler runs with interrupts off and must quiet the device
 *	before it returns (read its status, which a level line needs to
 *	drop); the backend then ends the interrupt: natively the local APIC
 *	EOI, which for a level line also clears the IOAPIC's remote IRR; Xen
 *	PV PHYSDEVOP_eoi, which Xen asks of a PV domain for every pirq (it
 *	unmasks a level line at the IOAPIC; an edge one Xen acked already).
 *	Not with interrupts off, not from an interrupt handler.
 * @unbind_device_irq: undo @bind_device_irq: the line is masked and its
 *	vector or port freed (Xen PV: EVTCHNOP_close; the pirq stays mapped,
 *	as Xen revokes an unmapped GSI from the domain). @irq can be bound
 *	again.
 *	The device should be quiet first: an interrupt already on its way
 *	is counted on a vector with no handler and reported once.
 */
struct pv_io_ops {
	u8 (*inb)(u16 port);
	u16 (*inw)(u16 port);
	u32 (*inl)(u16 port);
	void (*outb)(u8 val, u16 port);
	void (*outw)(u16 val, u16 port);
	void (*outl)(u32 val, u16 port);
	void *(*map_mmio)(phys_addr_t pa, size_t size);
	void (*unmap_mmio)(void *va, size_t size);
	u64 (*dma_addr)(const void *va);
	int (*bind_device_irq)(struct device_irq *irq);
	void (*unbind_device_irq)(struct device_irq *irq);
};

/*
 * Why the port I/O ops cannot reach devices (Xen PV: Xen refused the
 * domain I/O privilege), or NULL when they can.
 */
extern const char *port_io_missing;

/**
 * struct pv_lock_ops - the spinlock slow path
 * @wait: wait while *@ptr == @val or until kicked; may return early, so
 *	the caller checks again. Interrupts on or off.
 * @kick: wake CPU @cpu if it is in @wait.
 */
struct pv_lock_ops {
	void (*wait)(u8 *ptr, u8 val);
	void (*kick)(unsigned int cpu);
};

/**
 * struct pv_sys_ops - the machine
 * @power_off: stop the machine and hand @status (0 success, 1 a test
 *	failed, 2 panic) to whoever started it, where the platform can.
 *	Never returns; any context, panic included.
 */
struct pv_sys_ops {
	void (*power_off)(int status) __noreturn;
};

/**
 * struct pv_ops - every patched op; the table the sites call through
 * @hypercall: the hypercall instruction: the caller loads the hypervisor's
 *	registers (the site may clobber what a C call may), the site becomes
 *	vmcall, vmmcall or syscall. Native: returns -ENOSYS.
 * @probe: no effect; for the patcher's selftests and benchmark.
 */
struct pv_ops {
	struct pv_cpu_ops cpu;
	struct pv_irq_ops irq;
	struct pv_mmu_ops mmu;
	struct pv_time_ops time;
	struct pv_apic_ops apic;
	struct pv_io_ops io;
	struct pv_lock_ops lock;
	struct pv_sys_ops sys;
	void (*hypercall)(void);
	void (*probe)(void);
};

_Static_assert(sizeof(struct pv_callee_save) == sizeof(void *),
	       "the patcher indexes pv_ops as an array of pointers");

extern struct pv_ops pv_ops;

/* The designated no-op: an op pointing here becomes NOPs at its sites. */
void pv_nop(void);

/*
 * A backend: detect() says whether it can run here, init() fills pv_ops
 * and pv_init (asm/pv/init.h).
 */
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

static inline void lazy_mmu_enter(void)
{
	PVOP_VCALL0(mmu.lazy_mmu_enter);
}

static inline void lazy_mmu_leave(void)
{
	PVOP_VCALL0(mmu.lazy_mmu_leave);
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

static inline int bind_device_irq(struct device_irq *irq)
{
	return (int)PVOP_CALL1(io.bind_device_irq, irq);
}

static inline void unbind_device_irq(struct device_irq *irq)
{
	PVOP_VCALL1(io.unbind_device_irq, irq);
}

static inline void pv_lock_wait(u8 *ptr, u8 val)
{
	PVOP_VCALL2(lock.wait, ptr, val);
}

static inline void pv_lock_kick(unsigned int cpu)
{
	PVOP_VCALL1(lock.kick, cpu);
}

static inline void __noreturn pv_power_off(int status)
{
	PVOP_VCALL1(sys.power_off, status);
	__builtin_unreachable();
}

static inline void pv_probe(void)
{
	PVOP_VCALL0(probe);
}

#endif
