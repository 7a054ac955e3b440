/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cross-CPU calls and rendezvous (kernel/smp.c). A call runs fn(arg) on
 * other online CPUs from their IPI handler, with interrupts off, so fn
 * must be short and must not wait for the caller. Callers may have
 * interrupts on or off: while they wait they serve calls aimed at their
 * own CPU, so two CPUs calling each other do not deadlock. A CPU that
 * spins with interrupts off outside these functions cannot answer; a call
 * that gets no answer within 10 s panics rather than hang.
 */
#ifndef PROTEUS_SMP_H
#define PROTEUS_SMP_H

#include <proteus/types.h>
#include <proteus/cpumask.h>
#include <asm/percpu.h>

/* The local APIC ID of a CPU, for the IPI ops. */
static inline u32 cpu_apic_id(unsigned int cpu)
{
	return per_cpu(cpu)->apic_id;
}

/*
 * Run fn(arg) on the online CPUs in mask other than the caller's; with
 * wait, return once all have returned from fn. Without wait, arg must
 * stay valid until fn has run everywhere.
 */
void smp_call_function_many(const struct cpumask *mask, void (*fn)(void *arg),
			    void *arg, bool wait);

/* The same on every other online CPU. */
void smp_call_function(void (*fn)(void *arg), void *arg, bool wait);

/* The IPI handler's work: run the call waiting for this CPU, if any. */
void smp_call_function_interrupt(void);
struct pt_regs;
/*
 * The same from the IPI itself: regs is where this CPU resumes, which a
 * call may change (runtime re-patching moves a CPU out of a site).
 */
void smp_call_function_irq(struct pt_regs *regs);

/*
 * Run fn(arg) on this CPU, with interrupts off, while every other online
 * CPU spins with interrupts off; each executes a serializing instruction
 * before it goes back to what it was doing. Returns fn's value. For
 * changes (such as to kernel text) that no other CPU may observe half
 * done. Callers are serialized.
 */
int stop_machine(int (*fn)(void *arg), void *arg);

/*
 * Every online CPU executes a serializing instruction; returns once all
 * have. After it, no CPU runs instructions fetched before the call.
 */
void sync_core_all(void);

/*
 * How many times cpu has serialized for sync_core_all() (as its caller or
 * from the IPI), so that a test can tell which CPUs a protocol serialized.
 */
u64 sync_core_all_count(unsigned int cpu);

#endif
