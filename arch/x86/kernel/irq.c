// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts on vectors 32-255: the IDT gates for them, a handler table,
 * and do_irq(), which the entry stubs (irq_entry.S) call with interrupts
 * off. Every vector is counted; a vector nobody registered is reported
 * once. The interrupt controller learns that a handler is done through
 * the eoi op, except for the spurious vector, which the local APIC raises
 * without setting an in-service bit and so must not be acknowledged.
 */
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/irq.h>
#include <asm/percpu.h>
#include <asm/ptrace.h>
#include <asm/pv/ops.h>
#include <proteus/kernel.h>
#include <proteus/printk.h>
#include <proteus/spinlock.h>

extern const u64 irq_stubs[NR_VECTORS - NR_EXCEPTIONS];

static irq_handler_t handlers[NR_VECTORS];
static u64 counts[NR_VECTORS];

static u64 timer_irqs;
static u64 timer_last_ns;

static bool valid_vector(unsigned int vector)
{
	return vector >= IRQ_VECTOR_FIRST && vector < NR_VECTORS &&
	       vector != IRQ_VECTOR_SPURIOUS;
}

/* Claim the slot only if it is free, even against another CPU. */
int irq_register_vector(unsigned int vector, irq_handler_t handler)
{
	irq_handler_t none = NULL;

	if (!valid_vector(vector) || !handler)
		return -1;
	if (!__atomic_compare_exchange_n(&handlers[vector], &none, handler, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return -1;
	return 0;
}

int irq_alloc_vector(irq_handler_t handler)
{
	unsigned int v;

	for (v = IRQ_VECTOR_FIRST; v <= IRQ_VECTOR_LAST; v++)
		if (!irq_register_vector(v, handler))
			return (int)v;
	return -1;
}

void irq_free_vector(unsigned int vector)
{
	if (valid_vector(vector))
		__atomic_store_n(&handlers[vector], NULL, __ATOMIC_RELEASE);
}

u64 irq_count(unsigned int vector)
{
	if (vector >= NR_VECTORS)
		return 0;
	return __atomic_load_n(&counts[vector], __ATOMIC_RELAXED);
}

static void unhandled(unsigned int vector)
{
	static u8 reported[NR_VECTORS];

	if (!__atomic_exchange_n(&reported[vector], 1, __ATOMIC_RELAXED))
		pr_warn("irq: vector %#x has no handler\n", vector);
}

void irq_deliver(unsigned int vector, struct pt_regs *regs)
{
	irq_handler_t h;

	if (vector >= NR_VECTORS)
		return;
	__atomic_fetch_add(&counts[vector], 1, __ATOMIC_RELAXED);
	if (vector == IRQ_VECTOR_SPURIOUS)
		return;
	h = __atomic_load_n(&handlers[vector], __ATOMIC_ACQUIRE);
	if (h)
		h(regs);
	else
		unhandled(vector);
}

void do_irq(struct pt_regs *regs)
{
	unsigned int vector = (unsigned int)regs->vector;

	this_cpu()->irq_depth++;
	irq_deliver(vector, regs);
	this_cpu()->irq_depth--;
	if (vector != IRQ_VECTOR_SPURIOUS)
		apic_eoi();
}

/* The one-shot timer: count it and note when it came. */
static void timer_interrupt(struct pt_regs *regs)
{
	__atomic_store_n(&timer_last_ns, sched_clock(), __ATOMIC_RELAXED);
	__atomic_fetch_add(&timer_irqs, 1, __ATOMIC_RELEASE);
}

u64 timer_irq_count(void)
{
	return __atomic_load_n(&timer_irqs, __ATOMIC_ACQUIRE);
}

u64 timer_irq_last_ns(void)
{
	return __atomic_load_n(&timer_last_ns, __ATOMIC_RELAXED);
}

/*
 * sti;hlt wakes only for an interrupt, so halt only while the timer says
 * one is coming; otherwise (it fired, or was never armed) spin with
 * interrupts on until the deadline.
 */
bool timer_wait(u64 seen, u64 timeout_ns)
{
	u64 end = tsc_deadline(timeout_ns);
	u64 flags = irq_save();

	while (timer_irq_count() == seen && !tsc_passed(end)) {
		if (timer_oneshot_pending()) {
			safe_halt();
		} else {
			irq_enable();
			cpu_relax();
		}
		irq_disable();
	}
	restore_flags(flags);
	return timer_irq_count() != seen;
}

void irq_init(void)
{
	unsigned int v;

	for (v = NR_EXCEPTIONS; v < NR_VECTORS; v++)
		idt_set_gate(v, irq_stubs[v - NR_EXCEPTIONS]);
	idt_load();
	irq_register_vector(IRQ_VECTOR_TIMER, timer_interrupt);
}
