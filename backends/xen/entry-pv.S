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
 *
 * #BP also leaves a gap: Xen has no IST for a PV guest, so the frame lies
 * just below the interrupted %rsp, where the text patcher's int3
 * emulation pushes a return address (pv_bp_emulate). Natively #BP has its
 * own stack; here its stub moves the frame 16 bytes down first.
 */
	.text
.macro xen_exc_stub vec
	.balign	8
xen_exc_\vec:
	popq	%rcx
	popq	%r11
.if \vec == 3		/* #BP */
	subq	$16, %rsp
	pushq	%rax
	.irp	slot, 0, 8, 16, 24, 32
	movq	24+\slot(%rsp), %rax
	movq	%rax, 8+\slot(%rsp)
	.endr
	popq	%rax
.endif
	jmp	exc_\vec
.endm

.macro xen_exc_addr vec
	.quad	xen_exc_\vec
.endm

.altmacro
	for_each_vector xen_exc_stub
.noaltmacro

/*
 * The event callback: Xen pushed %rcx and %r11 over a hardware-style
 * frame with no error code, as for an exception. Popping them leaves the
 * frame an interrupt gate gives, so it continues at the upcall vector's
 * stub (irq_entry.S: do_irq() runs the upcall, the iret op returns).
 * Before events.c set xen_upcall_stub an upcall is a bug: report it and
 * panic, as for failsafe (Xen could not restore our segment state).
 */
	.globl	xen_event_entry, xen_failsafe_entry
xen_event_entry:
	popq	%rcx
	popq	%r11
	cmpq	$0, xen_upcall_stub(%rip)
	je	2f
	jmp	*xen_upcall_stub(%rip)
2:	leaq	what_event(%rip), %rdi
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
