/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Xen PV irq flag ops. A ring-3 kernel's IF means nothing: the flag
 * is vCPU 0's evtchn_upcall_mask byte (1 = events held off), in the
 * shared_info page pv.c maps at xen_pv_shared_info_page, so each op is a
 * byte access at a link-time address. They change at most %rax and the
 * flags: callee-save as they are, called directly with no register
 * saving. Not inline bodies: %rip-relative operands cannot be copied.
 *
 * Unmasking must look for an event that came while masked and have Xen
 * deliver it at once: Xen sets upcall_pending, and any hypercall returns
 * through its upcall check (xen_pv_force_upcall, pv.c). A racing event
 * needs no fence: Xen kicks a running vCPU, and its return to us checks
 * again.
 */
#include <asm/pv/site.h>
#include "pv-irq.h"

#define UPCALL_PENDING	(xen_pv_shared_info_page + XEN_VCPU0_UPCALL_PENDING)
#define UPCALL_MASK	(xen_pv_shared_info_page + XEN_VCPU0_UPCALL_MASK)
#define X86_EFLAGS_IF	0x200

PV_CALLEE_SAVE_FUNC xen_pv_save_fl
	xorl	%eax, %eax
	cmpb	$0, UPCALL_MASK(%rip)
	sete	%al
	shll	$9, %eax		/* X86_EFLAGS_IF */
	ret
	.size	xen_pv_save_fl, . - xen_pv_save_fl

PV_CALLEE_SAVE_FUNC xen_pv_irq_disable
	movb	$1, UPCALL_MASK(%rip)
	ret
	.size	xen_pv_irq_disable, . - xen_pv_irq_disable

PV_CALLEE_SAVE_FUNC xen_pv_irq_enable
	movb	$0, UPCALL_MASK(%rip)
	cmpb	$0, UPCALL_PENDING(%rip)
	jne	xen_pv_force_upcall_callee_save
	ret
	.size	xen_pv_irq_enable, . - xen_pv_irq_enable

PV_CALLEE_SAVE_FUNC xen_pv_restore_fl
	testl	$X86_EFLAGS_IF, %edi
	jnz	xen_pv_irq_enable
	movb	$1, UPCALL_MASK(%rip)
	ret
	.size	xen_pv_restore_fl, . - xen_pv_restore_fl
