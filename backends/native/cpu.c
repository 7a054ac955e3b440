// SPDX-License-Identifier: GPL-2.0
/*
 * Native CPU ops written in C: those too long to inline at a 6-byte site.
 * The bare instructions with inline bodies are in inline.S.
 */
#include <asm/extable.h>
#include <asm/pv/native.h>

/* CPUID is unprivileged; a hypervisor traps it and answers for itself. */
void native_cpuid_op(u32 leaf, u32 subleaf, struct cpuid_regs *r)
{
	native_cpuid(leaf, subleaf, r);
}

/* MSRs: ecx selects, edx:eax carries the value; unknown ones raise #GP. */
u64 native_read_msr(u32 msr)
{
	return native_rdmsr(msr);
}

void native_write_msr(u32 msr, u64 v)
{
	native_wrmsr(msr, v);
}

int native_read_msr_safe(u32 msr, u64 *v)
{
	u32 lo = 0, hi = 0;
	int err = 0;

	__asm__ __volatile__("1: rdmsr\n"
			     "2:\n"
			     ".pushsection .text.fixup, \"ax\"\n"
			     "3: movl $-1, %2\n"
			     "jmp 2b\n"
			     ".popsection\n"
			     _ASM_EXTABLE(1b, 3b)
			     : "+a"(lo), "+d"(hi), "+r"(err) : "c"(msr));
	*v = ((u64)hi << 32) | lo;
	return err;
}

int native_write_msr_safe(u32 msr, u64 v)
{
	int err = 0;

	__asm__ __volatile__("1: wrmsr\n"
			     "2:\n"
			     ".pushsection .text.fixup, \"ax\"\n"
			     "3: movl $-1, %0\n"
			     "jmp 2b\n"
			     ".popsection\n"
			     _ASM_EXTABLE(1b, 3b)
			     : "+r"(err)
			     : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32))
			     : "memory");
	return err;
}
