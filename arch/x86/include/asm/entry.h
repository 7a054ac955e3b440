/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building and leaving a struct pt_regs (asm/ptrace.h) in the exception
 * and interrupt entry paths; the stub has pushed the vector and an error
 * code (or 0) already. The way back is the iret op (pv_iret).
 */
#ifndef ASM_ENTRY_H
#define ASM_ENTRY_H

#include <asm/ptrace.h>

#ifdef __ASSEMBLY__
.macro SAVE_REGS
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%rax
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm

/*
 * m 0, m 1, ... m NR_EXCEPTIONS-1. Use it in alternate macro mode
 * (.altmacro), where %i passes i's value, not its name.
 */
.macro for_each_vector m
	.set	i, 0
	.rept	NR_EXCEPTIONS
	\m	%i
	.set	i, i + 1
	.endr
.endm

.macro RESTORE_REGS_AND_IRET
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
	addq	$16, %rsp
	jmp	*pv_iret(%rip)
.endm
#endif

#endif
