/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt vectors 32-255 (arch/x86/kernel/irq.c): a handler per vector,
 * per-vector counts, and the one-shot timer's interrupt as tests see it.
 * Fixed vectors sit high (the local APIC's priority class is vector >> 4,
 * so they win over device vectors); the rest are handed out from the
 * range IRQ_VECTOR_FIRST..IRQ_VECTOR_LAST.
 */
#ifndef ASM_IRQ_H
#define ASM_IRQ_H

#include <proteus/types.h>
#include <asm/percpu.h>

#define IRQ_VECTOR_FIRST	0x20
#define IRQ_VECTOR_LAST		0xef
#define IRQ_VECTOR_TIMER	0xec
#define IRQ_VECTOR_IPI_CALL	0xfb
#define IRQ_VECTOR_SPURIOUS	0xff

struct pt_regs;
typedef void (*irq_handler_t)(struct pt_regs *regs);

/*
 * A device interrupt line, as the io ops bind_device_irq and
 * unbind_device_irq take it (asm/pv/ops.h). The caller fills the input
 * half; bind fills the rest, which belongs to the backend until unbind.
 * @type says which input fields count: a GSI (an IOAPIC input; an ISA
 * IRQ's GSI and flags come from ioapic_isa_gsi()) with @gsi and @flags,
 * or an MSI-X entry (@msi_seg, @msi_bus, @msi_devfn name the function,
 * @msix_entry the entry, @msix_table_base the bus address of the BAR that
 * holds the table): bind fills @msi_addr and @msi_data, the message the
 * device must write to raise the handler on the calling CPU,
 * edge-triggered, which the caller programs into the entry and unmasks;
 * unless bind sets @msi_by_hypervisor (Xen PV: Xen writes the entry and
 * unmasks it itself, the caller must leave the table alone).
 */
enum device_irq_type {
	DEVICE_IRQ_GSI,
	DEVICE_IRQ_MSI,
};

#define DEVICE_IRQ_LEVEL	(1U << 0)	/* level-triggered, else edge */
#define DEVICE_IRQ_ACTIVE_LOW	(1U << 1)	/* active low, else high */

struct device_irq {
	enum device_irq_type type;
	u32 gsi;
	u32 flags;			/* DEVICE_IRQ_* */
	irq_handler_t handler;
	/* Set by bind: the vector (native), or the pirq and its port (Xen PV). */
	int vector;
	int pirq;
	int port;
	u16 msi_seg;
	u8 msi_bus, msi_devfn;
	u16 msix_entry;
	u64 msix_table_base;
	/* Set by bind for an MSI. */
	u64 msi_addr;
	u32 msi_data;
	bool msi_by_hypervisor;
};

/* Boot CPU: point vectors 32-255 at their entry stubs and load the IDT. */
void irq_init(void);

/*
 * Claim a vector for handler: a given one (0 on success), or any free one
 * of IRQ_VECTOR_FIRST..IRQ_VECTOR_LAST (the vector). -1 if taken / none.
 */
int irq_register_vector(unsigned int vector, irq_handler_t handler);
int irq_alloc_vector(irq_handler_t handler);
void irq_free_vector(unsigned int vector);

/* Interrupts taken on a vector since boot, all CPUs together. */
u64 irq_count(unsigned int vector);

/* Called by the entry stubs (irq_entry.S). */
void do_irq(struct pt_regs *regs);

/* Whether this CPU is running an interrupt handler (inside do_irq). */
static inline bool in_irq(void)
{
	return this_cpu()->irq_depth != 0;
}

/*
 * Count and run vector's handler as if it had been raised, without the
 * EOI: for a backend whose own interrupt carries others (Xen's event
 * upcall delivers the timer's), from that interrupt's handler.
 */
void irq_deliver(unsigned int vector, struct pt_regs *regs);

/*
 * The timer interrupt (IRQ_VECTOR_TIMER, raised by timer_set_oneshot()):
 * how many came and sched_clock() at the latest. timer_wait() waits, with
 * interrupts on, until the count passes 'seen' or timeout_ns elapse;
 * it halts only while the timer is armed, so it never hangs.
 */
u64 timer_irq_count(void);
u64 timer_irq_last_ns(void);
bool timer_wait(u64 seen, u64 timeout_ns);

#endif
