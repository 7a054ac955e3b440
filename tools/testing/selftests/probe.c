// SPDX-License-Identifier: GPL-2.0
/*
 * Memory probes for selftests: each access runs under the exception
 * table (asm/extable.h), so a protection that is missing shows up as a
 * failed expectation, never as a crash, and the fault is checked against
 * last_fault for its kind.
 */
#include <asm/extable.h>
#include <asm/ptrace.h>
#include <proteus/selftest.h>
#include <proteus/smp.h>

bool probe_write_faults(volatile u8 *p)
{
	u64 before = last_fault.count;
	u8 v = *p;

	__asm__ __volatile__("1: movb %1, (%0)\n"
			     "2:\n"
			     _ASM_EXTABLE(1b, 2b)
			     :: "r"(p), "q"(v) : "memory");
	return last_fault.count == before + 1 && last_fault.vector == X86_TRAP_PF &&
	       (last_fault.error_code & X86_PF_WRITE) &&
	       (last_fault.error_code & X86_PF_PROT);
}

bool probe_read_faults(const volatile u8 *p)
{
	u64 before = last_fault.count;
	u8 v = 0;

	__asm__ __volatile__("1: movb (%1), %0\n"
			     "2:\n"
			     _ASM_EXTABLE(1b, 2b)
			     : "+q"(v) : "r"(p) : "memory");
	return last_fault.count == before + 1 && last_fault.vector == X86_TRAP_PF &&
	       !(last_fault.error_code & X86_PF_PROT) &&
	       last_fault.cr2 == (u64)(uintptr_t)p;
}

bool probe_exec_faults(const void *p)
{
	int faulted;

	__asm__ __volatile__("xorl %0, %0\n"
			     "call *%1\n"
			     "2: jmp 4f\n"
			     "3: movl $1, %0\n"
			     "4:\n"
			     _ASM_EXTABLE(2b, 3b)
			     : "=&r"(faulted) : "r"(p) : "memory");
	return faulted && last_fault.vector == X86_TRAP_PF &&
	       (last_fault.error_code & X86_PF_INSTR) &&
	       last_fault.cr2 == (u64)(uintptr_t)p;
}

bool probe_read_u64(u64 addr, u64 *val)
{
	int faulted;

	__asm__ __volatile__("xorl %0, %0\n"
			     "1: movq (%2), %1\n"
			     "jmp 3f\n"
			     "2: movl $1, %0\n"
			     "3:\n"
			     _ASM_EXTABLE(1b, 2b)
			     : "=&r"(faulted), "=&r"(*val) : "r"(addr) : "memory");
	return !faulted;
}

/* An online CPU other than this one, or -1. */
int another_cpu(void)
{
	unsigned int cpu;

	for_each_cpu(cpu, cpu_online_mask)
		if (cpu != smp_processor_id())
			return (int)cpu;
	return -1;
}
