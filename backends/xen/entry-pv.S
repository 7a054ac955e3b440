/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen PV callbacks other than exceptions. Neither is expected yet (events
 * are masked; failsafe means Xen could not restore our segment state), so
 * both report and panic on an aligned stack.
 */
#include <xen/xen.h>

	.text
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
what_event:
	.asciz	"event"
what_failsafe:
	.asciz	"failsafe"
