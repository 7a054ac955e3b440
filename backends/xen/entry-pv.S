/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen PV callbacks other than exceptions. Neither is expected yet (events
 * are masked; failsafe means Xen could not restore our segment state), so
 * both report and panic on an aligned stack.
 */
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

	.section .rodata
what_event:
	.asciz	"event"
what_failsafe:
	.asciz	"failsafe"
