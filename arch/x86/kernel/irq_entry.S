/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt entry for vectors 32-255. The CPU pushes no error code for
 * them, so each stub pushes a zero in its place and the vector, giving the
 * same struct pt_regs layout as the exception path, and joins irq_common,
 * which saves the registers and calls do_irq(). The way back is the iret
 * op (pv_iret), as for exceptions. Interrupt gates clear IF, so handlers
 * run with interrupts off and do not nest.
 */
#include <asm/entry.h>
#include <asm/ptrace.h>

#define FIRST_IRQ_VECTOR	NR_EXCEPTIONS
#define NR_IRQ_VECTORS		(256 - NR_EXCEPTIONS)

	.text
.macro irq_stub vec
	.balign	16
irq_\vec:
	pushq	$0
	pushq	$\vec
	jmp	irq_common
.endm

.macro irq_addr vec
	.quad	irq_\vec
.endm

.altmacro
.macro for_each_irq_vector m
	.set	i, FIRST_IRQ_VECTOR
	.rept	NR_IRQ_VECTORS
	\m	%i
	.set	i, i + 1
	.endr
.endm

	for_each_irq_vector irq_stub

irq_common:
	cld
	SAVE_REGS
	movq	%rsp, %rdi
	call	do_irq
	RESTORE_REGS_AND_IRET

	.section .rodata
	.balign	8
	.globl	irq_stubs
irq_stubs:
	for_each_irq_vector irq_addr
