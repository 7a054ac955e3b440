/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exception table: an instruction that may fault on purpose names where to
 * resume. Used by *_safe accessors and by the selftests that provoke
 * exceptions. A call into non-executable memory is covered by an entry for
 * the instruction after the call (the return address).
 */
#ifndef ASM_EXTABLE_H
#define ASM_EXTABLE_H

#define _ASM_EXTABLE(from, to)					\
	".pushsection .extable, \"a\"\n"			\
	".balign 8\n"						\
	".quad " #from ", " #to "\n"				\
	".popsection\n"

#ifndef __ASSEMBLY__
#include <proteus/types.h>

struct exception_table_entry {
	u64 insn;
	u64 fixup;
};

/* What the last fixed-up exception was; selftests read it. */
struct fault_record {
	u64 vector;
	u64 error_code;
	u64 cr2;
	u64 rip;
	u64 count;
};

extern struct fault_record last_fault;

/* Set when the platform cannot execute int3 / int $n (traps.c). */
extern bool no_softint;

struct pt_regs;
bool fixup_exception(struct pt_regs *regs, u64 cr2);
#endif

#endif
