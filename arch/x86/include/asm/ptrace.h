/* SPDX-License-Identifier: GPL-2.0 */
/* Register frame built by the exception entry (arch/x86/kernel/entry.S). */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#ifndef __ASSEMBLY__
#include <proteus/types.h>

struct pt_regs {
	u64 r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	u64 rax, rcx, rdx, rsi, rdi;
	u64 vector, error_code;
	/* Pushed by the CPU (or by Xen's bounce frame under PV). */
	u64 rip, cs, rflags, rsp, ss;
};
#endif

#define X86_TRAP_DE	0
#define X86_TRAP_DB	1
#define X86_TRAP_NMI	2
#define X86_TRAP_BP	3
#define X86_TRAP_OF	4
#define X86_TRAP_BR	5
#define X86_TRAP_UD	6
#define X86_TRAP_NM	7
#define X86_TRAP_DF	8
#define X86_TRAP_TS	10
#define X86_TRAP_NP	11
#define X86_TRAP_SS	12
#define X86_TRAP_GP	13
#define X86_TRAP_PF	14
#define X86_TRAP_MF	16
#define X86_TRAP_AC	17
#define X86_TRAP_MC	18
#define X86_TRAP_XF	19
#define NR_EXCEPTIONS	32

/* Page-fault error code bits. */
#define X86_PF_PROT	(1 << 0)
#define X86_PF_WRITE	(1 << 1)
#define X86_PF_USER	(1 << 2)
#define X86_PF_INSTR	(1 << 4)

#endif
