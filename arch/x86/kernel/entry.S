/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exception entry. One stub per vector pushes a zero error code when the
 * CPU does not, then the vector, and joins exc_common, which builds a
 * struct pt_regs and calls do_exception(). The stubs are global (exc_0
 * to exc_31) so that a backend's own entry stubs can end in them.
 * The way back is the iret op (pv_iret).
 */
#include <asm/entry.h>
#include <asm/ptrace.h>

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
		    (v) == 21 || (v) == 29 || (v) == 30)

	.text
.macro exc_stub vec
	.balign	16
	.globl	exc_\vec
exc_\vec:
	.if !HAS_ERR(\vec)
	pushq	$0
	.endif
	pushq	$\vec
	jmp	exc_common
.endm

.macro exc_addr vec
	.quad	exc_\vec
.endm

.altmacro
	for_each_vector exc_stub

exc_common:
	cld
	SAVE_REGS
	movq	%rsp, %rdi
	call	do_exception
	RESTORE_REGS_AND_IRET

/*
 * The iret op: how an exception returns. Native is the instruction; the
 * Xen PV backend points it at its hypercall. It is a plain pointer rather
 * than a pv_ops member because only this assembly uses it.
 */
	.globl	native_iret
native_iret:
	iretq

	.data
	.balign	8
	.globl	pv_iret
pv_iret:
	.quad	native_iret

	.section .rodata
	.balign	8
	.globl	exception_stubs
exception_stubs:
	for_each_vector exc_addr
