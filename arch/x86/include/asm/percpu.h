/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU data (arch/x86/kernel/percpu.c) and each CPU's GDT, TSS and
 * interrupt stacks (arch/x86/kernel/tss.c). A CPU finds its struct percpu
 * through its GS base, whose first word points back at the struct, so
 * this_cpu() is one %gs-relative load, valid in interrupt handlers too.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <proteus/types.h>
#include <proteus/compiler.h>
#include <proteus/cpumask.h>

/* Each CPU's GDT: the boot GDT's entries, then its TSS (16 bytes, 2 slots). */
#define GDT_ENTRY_TSS	4
#define GDT_ENTRIES	(GDT_ENTRY_TSS + 2)
#define __KERNEL_TSS	(GDT_ENTRY_TSS * 8)

/* Interrupt stack table slots, numbered as an IDT gate's ist field. */
#define IST_BREAKPOINT	1	/* #BP: the text patcher's int3 may hit anywhere */
#define IST_CRITICAL	2	/* #DF and NMI: the current stack may be bad */
#define IST_STACK_ORDER	1	/* 8 KiB each */

/* The 64-bit TSS: only the interrupt stack table matters in ring 0. */
struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

/* smp_call_function's mailbox, one per target CPU (kernel/smp.c). */
struct call_slot {
	void (*fn)(void *arg);
	void *arg;
	u32 seq;	/* bumped by the sender once fn and arg are in place */
	u32 taken;	/* the last seq whose fn and arg this CPU has read */
	u32 done;	/* the last seq whose fn has returned */
};

/* The lock this CPU waits for in the slow path, for kicks (kernel/spinlock.c). */
struct lock_waiting {
	const void *lock;
	u8 ticket;
};

struct percpu {
	struct percpu *self;		/* %gs:0 */
	unsigned int cpu;		/* 0 is the boot CPU */
	u32 apic_id;
	u64 stack_top;			/* its stack: BOOT_STACK_SIZE below this */
	int boot_state;			/* AP bring-up (backends/native/smp.c) */
	struct call_slot call;
	struct lock_waiting lock_waiting;
	u64 stop_spins;			/* laps spun in stop_machine's rendezvous */
	unsigned int irq_depth;		/* interrupt handlers running (do_irq) */
	u64 scratch[4];			/* for selftests */
	u64 gdt[GDT_ENTRIES];
	struct tss tss __aligned(128);	/* 104 bytes that never straddle a page */
} __aligned(64);

extern struct percpu percpu_areas[MAX_CPUS];

static inline struct percpu *per_cpu(unsigned int cpu)
{
	return &percpu_areas[cpu];
}

/* Volatile: the GS base changes once per CPU, when it is set up. */
static inline struct percpu *this_cpu(void)
{
	struct percpu *p;

	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(p));
	return p;
}

static inline unsigned int smp_processor_id(void)
{
	unsigned int cpu;

	__asm__ __volatile__("movl %%gs:%c1, %0" : "=r"(cpu)
			     : "i"(__builtin_offsetof(struct percpu, cpu)));
	return cpu;
}

/*
 * Boot CPU: its area, GS base and online bit. Uses only the wrmsr op and
 * static data; call it before anything uses this_cpu().
 */
void percpu_init_boot_cpu(void);

/* An AP, first thing in C: point its GS base at its area. */
void percpu_init_ap(struct percpu *p);

/* The APIC ID CPUID reports for the calling CPU (x2APIC ID when known). */
u32 cpu_initial_apic_id(void);

/*
 * Boot CPU, after mm_init: its own GDT with a TSS whose IST stacks take
 * #BP, #DF and NMI. Native and PVH; Xen PV keeps Xen's GDT and TSS.
 */
void tss_init(void);

/* Any CPU: allocate its IST stacks and build its GDT; -1 if out of memory. */
int tss_setup(struct percpu *p);

/* On the CPU itself: load the GDT and task register tss_setup() built. */
void tss_load(struct percpu *p);

/*
 * Deliver vector on IST stack ist (1-7; 0 for the current stack). The IDT
 * is shared, so every CPU that loads it must have a TSS first. Call it
 * again after idt_set_gate() for the vector, which clears the field.
 */

#endif
