// SPDX-License-Identifier: GPL-2.0
/*
 * Each exception the fixup table must survive: provoke it, check the
 * handler saw the right vector (and CR2 for #PF), and that execution
 * resumed at the fixup.
 */
#include <asm/extable.h>
#include <asm/ptrace.h>
#include <proteus/selftest.h>

/* A canonical address nothing maps in any environment (not even Xen PV). */
#define UNMAPPED_ADDR	0x00007f0000001000ULL
#define NONCANONICAL	0x8000000000000000ULL

static u64 faults_before;

static void arm(void)
{
	faults_before = last_fault.count;
	last_fault.vector = ~0ULL;
}

static enum test_result check(u64 vector, bool resumed)
{
	EXPECT(resumed);
	EXPECT_EQ(last_fault.count, faults_before + 1);
	EXPECT_EQ(last_fault.vector, vector);
	return TEST_PASS;
}

SELFTEST(exceptions, invalid_opcode)
{
	int resumed = 0;

	arm();
	__asm__ __volatile__("1: ud2\n"
			     "2: movl $1, %0\n"
			     _ASM_EXTABLE(1b, 2b)
			     : "+r"(resumed) :: "memory");
	return check(X86_TRAP_UD, resumed);
}

SELFTEST(exceptions, breakpoint)
{
	int resumed = 0;

	if (no_softint)
		return skip("no_softint: this platform cannot execute int3");
	arm();
	__asm__ __volatile__("int3\n"
			     "2: movl $1, %0\n"
			     _ASM_EXTABLE(2b, 2b)
			     : "+r"(resumed) :: "memory");
	return check(X86_TRAP_BP, resumed);
}

SELFTEST(exceptions, general_protection)
{
	u64 addr = NONCANONICAL, val = 0;
	int resumed = 0;

	arm();
	__asm__ __volatile__("1: movq (%2), %1\n"
			     "2: movl $1, %0\n"
			     _ASM_EXTABLE(1b, 2b)
			     : "+r"(resumed), "+r"(val) : "r"(addr) : "memory");
	return check(X86_TRAP_GP, resumed);
}

SELFTEST(exceptions, page_fault)
{
	u64 addr = UNMAPPED_ADDR, val = 0;
	int resumed = 0;
	enum test_result r;

	arm();
	__asm__ __volatile__("1: movq (%2), %1\n"
			     "2: movl $1, %0\n"
			     _ASM_EXTABLE(1b, 2b)
			     : "+r"(resumed), "+r"(val) : "r"(addr) : "memory");
	r = check(X86_TRAP_PF, resumed);
	if (r != TEST_PASS)
		return r;
	EXPECT_EQ(last_fault.cr2, addr);
	EXPECT(!(last_fault.error_code & (X86_PF_PROT | X86_PF_WRITE)));
	return TEST_PASS;
}

SELFTEST(exceptions, divide_error)
{
	u32 lo = 1, hi = 0, divisor = 0;
	int resumed = 0;

	arm();
	__asm__ __volatile__("1: divl %3\n"
			     "2: movl $1, %0\n"
			     _ASM_EXTABLE(1b, 2b)
			     : "+r"(resumed), "+a"(lo), "+d"(hi) : "r"(divisor)
			     : "memory");
	return check(X86_TRAP_DE, resumed);
}
