// SPDX-License-Identifier: GPL-2.0
/*
 * W^X: text is not writable, rodata is not writable, data and the stack's
 * neighbourhood (bss) are not executable. Each probe runs under the fixup
 * table so a missing protection shows up as a failure, not a crash.
 */
#include <asm/extable.h>
#include <asm/pgtable.h>
#include <asm/pv/ops.h>
#include <asm/ptrace.h>
#include <proteus/mm.h>
#include <proteus/selftest.h>

static u8 data_ret[16] __aligned(16) = { 0xc3 };	/* ret */
static u8 bss_ret[16] __aligned(16);
static const u8 rodata_byte = 0x5a;

/* Write one byte at p; returns true when that faulted with a write #PF. */
static bool write_faults(volatile u8 *p)
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

/* Call the code at p; returns true when the fetch faulted. */
static bool exec_faults(const void *p)
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

SELFTEST(wx, text_not_writable)
{
	if (!wx_enforced)
		return skip(wx_skip_reason);
	EXPECT(write_faults((volatile u8 *)(uintptr_t)&write_faults));
	return TEST_PASS;
}

SELFTEST(wx, rodata_not_writable)
{
	if (!wx_enforced)
		return skip(wx_skip_reason);
	EXPECT(write_faults((volatile u8 *)(uintptr_t)&rodata_byte));
	return TEST_PASS;
}

SELFTEST(wx, data_not_executable)
{
	if (!wx_enforced)
		return skip(wx_skip_reason);
	EXPECT(exec_faults(data_ret));
	return TEST_PASS;
}

SELFTEST(wx, bss_not_executable)
{
	if (!wx_enforced)
		return skip(wx_skip_reason);
	bss_ret[0] = 0xc3;
	EXPECT(exec_faults(bss_ret));
	return TEST_PASS;
}

/*
 * The page-table entries themselves: text read-only and executable, data
 * writable and not executable, and page 0 not mapped at all, so that a
 * NULL dereference faults.
 */
static u64 pte_of(const void *p)
{
	int level;
	u64 *e = pgtable_lookup(current_root(), (u64)(uintptr_t)p, &level);

	return e ? *e : 0;
}

SELFTEST(wx, kernel_page_permissions)
{
	u64 text, data, ro;

	if (!wx_enforced)
		return skip(wx_skip_reason);
	text = pte_of((const void *)&pte_of);
	data = pte_of(data_ret);
	ro = pte_of(&rodata_byte);
	EXPECT(text & _PAGE_PRESENT);
	EXPECT(!(text & (_PAGE_RW | _PAGE_NX)));
	EXPECT((ro & (_PAGE_PRESENT | _PAGE_RW | _PAGE_NX)) == (_PAGE_PRESENT | _PAGE_NX));
	EXPECT((data & (_PAGE_PRESENT | _PAGE_RW | _PAGE_NX)) ==
	       (_PAGE_PRESENT | _PAGE_RW | _PAGE_NX));
	EXPECT_EQ(pte_of(NULL), 0);
	return TEST_PASS;
}
