/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen PV entry points: the exception stubs of the trap table, the event
 * and failsafe callbacks, and the iret op.
 */
#include <asm/entry.h>
#include <xen/xen.h>

/*
 * Xen bounces an exception to the trap table's handler with %rcx and %r11
 * pushed on top of the hardware-style frame. Each xen_exc_N pops them back
 * and ends in the core's exc_N (entry.S), which then sees a native frame;
 * pv.c points the trap table at xen_exception_stubs[N] wherever the IDT
 * has exc_N.
 */
	.text
.macro xen_exc_stub vec
	.balign	8
xen_exc_\vec:
	popq	%rcx
	popq	%r11
	jmp	exc_\vec
.endm

.macro xen_exc_addr vec
	.quad	xen_exc_\vec
.endm

.altmacro
	for_each_vector xen_exc_stub
.noaltmacro

/*
 * The other callbacks. Neither is expected yet (events are masked;
 * failsafe means Xen could not restore our segment state), so both report
 * and panic on an aligned stack.
 */
	.globl	xen_event_entry, xen_failsafe_entry
xen_event_entry:
	leaq	what_event(%rip), %rdi
	jmp	1f
xen_failsafe_entry:
	leaq	what_failsafe(%rip), %rdi
1:	andq	$-16, %rsp
	call	xen_pv_unexpected
	ud2

/*
 * The iret op for PV: a ring-3 kernel cannot rely on iretq, so the frame
 * goes back through HYPERVISOR_iret, which wants rax, r11, rcx and a flags
 * word (0: not returning from a syscall) on top of the hardware-style frame
 * (struct iret_context in xen/arch-x86/xen-x86_64.h).
 */
	.globl	xen_pv_iret
xen_pv_iret:
	pushq	$0
	pushq	%rcx
	pushq	%r11
	pushq	%rax
	movl	$__HYPERVISOR_iret, %eax
	syscall
	ud2

	.section .rodata
	.balign	8
	.globl	xen_exception_stubs
xen_exception_stubs:
.altmacro
	for_each_vector xen_exc_addr
.noaltmacro
what_event:
	.asciz	"event"
what_failsafe:
	.asciz	"failsafe"
