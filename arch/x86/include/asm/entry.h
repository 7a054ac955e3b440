/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building and leaving a struct pt_regs (asm/ptrace.h) in the exception
 * and interrupt entry paths; the stub has pushed the vector and an error
 * code (or 0) already. The way back is the iret op (pv_iret).
 */
#ifndef ASM_ENTRY_H
#define ASM_ENTRY_H

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
