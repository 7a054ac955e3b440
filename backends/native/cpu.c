// SPDX-License-Identifier: GPL-2.0
/*
 * Native CPU, interrupt and port I/O ops: the bare instructions. On bare
 * metal and under hardware virtualization these are what the CPU (or the
 * hypervisor's trap-and-emulate) implements directly.
 */
#include <asm/pv/native.h>

/* CPUID is unprivileged; a hypervisor traps it and answers for itself. */
void native_cpuid_op(u32 leaf, u32 subleaf, struct cpuid_regs *r)
{
	native_cpuid(leaf, subleaf, r);
}

/* CR2 holds the faulting linear address of the last #PF. */
u64 native_read_cr2_op(void)
{
	return native_read_cr2();
}

void native_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

/* hlt waits for the next interrupt; with IF clear only NMI/SMI/INIT end it. */
void native_halt(void)
{
	__asm__ __volatile__("hlt" ::: "memory");
}

u8 native_inb(u16 port)
{
	u8 v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void native_outb(u8 val, u16 port)
{
	__asm__ __volatile__("outb %0, %1" :: "a"(val), "Nd"(port));
}
