/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bare instructions. Only backends/native uses the privileged ones
 * directly; core code goes through the pv_ops wrappers. (The native
 * single-instruction ops live in backends/native/inline.S, where the
 * patcher finds their inline bodies.)
 */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <proteus/types.h>

/* RFLAGS: the interrupt enable flag. */
#define X86_EFLAGS_IF	(1ULL << 9)

struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

static inline void native_cpuid(u32 leaf, u32 subleaf, struct cpuid_regs *r)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx), "=d"(r->edx)
			     : "a"(leaf), "c"(subleaf));
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline u64 native_rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void native_wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr" :: "c"(msr), "a"((u32)v), "d"((u32)(v >> 32))
			     : "memory");
}

/* A spin-wait hint: saves power, and lets a hyperthread sibling run. */
static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

static inline unsigned int current_cpl(void)
{
	u16 cs;

	__asm__ __volatile__("mov %%cs, %0" : "=r"(cs));
	return cs & 3;
}

/* CPUID bits we test for. */
#define CPUID_1_ECX_HYPERVISOR	(1U << 31)

#endif
