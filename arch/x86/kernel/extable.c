// SPDX-License-Identifier: GPL-2.0
/*
 * Exception fixups. The table is small and unsorted (a handful of *_safe
 * accessors and selftests), so a linear search is the simplest correct
 * thing. A breakpoint is a trap: it reports the address after the int3 or
 * int $3, so its entry names that address. An instruction fetch from a non-executable page faults at the
 * target, not at the call: such a fault resumes at the fixup of the
 * caller's return address, popping it.
 */
#include <asm/extable.h>
#include <asm/ptrace.h>

extern const struct exception_table_entry __start_extable[], __stop_extable[];

struct fault_record last_fault;

static const struct exception_table_entry *search_extable(u64 addr)
{
	const struct exception_table_entry *e;

	for (e = __start_extable; e < __stop_extable; e++)
		if (e->insn == addr)
			return e;
	return NULL;
}

static void record(const struct pt_regs *regs, u64 cr2)
{
	last_fault.vector = regs->vector;
	last_fault.error_code = regs->error_code;
	last_fault.cr2 = cr2;
	last_fault.rip = regs->rip;
	last_fault.count++;
}

bool fixup_exception(struct pt_regs *regs, u64 cr2)
{
	const struct exception_table_entry *e = search_extable(regs->rip);

	if (e) {
		record(regs, cr2);
		regs->rip = e->fixup;
		return true;
	}
	if (regs->vector == X86_TRAP_PF && (regs->error_code & X86_PF_INSTR) &&
	    cr2 == regs->rip) {
		u64 ret = *(const u64 *)(uintptr_t)regs->rsp;

		e = search_extable(ret);
		if (e) {
			record(regs, cr2);
			regs->rsp += 8;
			regs->rip = e->fixup;
			return true;
		}
	}
	return false;
}
