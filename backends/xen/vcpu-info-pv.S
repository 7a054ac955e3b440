/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Xen PV ops that only read or write the running vCPU's vcpu_info:
 * the irq flags and %cr2. A ring-3 kernel's IF means nothing: the flag
 * is the running vCPU's evtchn_upcall_mask byte (1 = events held off), in
 * its vcpu_info: vcpu_info[cpu] of the shared_info page pv.c maps at
 * xen_pv_shared_info_page (CPU numbers are vCPU ids under PV). Each op
 * takes the CPU number from the per-CPU area (%gs, set before the first
 * op runs) and touches one byte at a link-time address (below 2 GiB, so
 * an absolute disp32) indexed by it. They change at most %rax and the
 * flags: callee-save as they are, called directly with no register
 * saving. Not inline bodies: they name a link-time address.
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
#define VCPU0_CR2	(xen_pv_shared_info_page + XEN_VCPU0_CR2)

/* %rax = this CPU's vcpu_info offset in shared_info. */
.macro this_vcpu_info
	movl	%gs:XEN_PERCPU_CPU, %eax
	shll	$XEN_VCPU_INFO_SHIFT, %eax
.endm

#define X86_EFLAGS_IF	0x200

PV_CALLEE_SAVE_FUNC xen_pv_save_fl
	this_vcpu_info
	cmpb	$0, UPCALL_MASK(%rax)
	sete	%al
	movzbl	%al, %eax
	shll	$9, %eax		/* X86_EFLAGS_IF */
	ret
	.size	xen_pv_save_fl, . - xen_pv_save_fl

PV_CALLEE_SAVE_FUNC xen_pv_irq_disable
	this_vcpu_info
	movb	$1, UPCALL_MASK(%rax)
	ret
	.size	xen_pv_irq_disable, . - xen_pv_irq_disable

PV_CALLEE_SAVE_FUNC xen_pv_irq_enable
	this_vcpu_info
	movb	$0, UPCALL_MASK(%rax)
	cmpb	$0, UPCALL_PENDING(%rax)
	jne	xen_pv_force_upcall_callee_save
	ret
	.size	xen_pv_irq_enable, . - xen_pv_irq_enable

PV_CALLEE_SAVE_FUNC xen_pv_restore_fl
	testl	$X86_EFLAGS_IF, %edi
	jnz	xen_pv_irq_enable
	this_vcpu_info
	movb	$1, UPCALL_MASK(%rax)
	ret
	.size	xen_pv_restore_fl, . - xen_pv_restore_fl

/*
 * %cr2 is privileged: Xen copies the faulting address into vcpu_info's
 * arch.cr2 before it bounces a page fault to us. Only %rax changes.
 */
PV_CALLEE_SAVE_FUNC xen_pv_read_cr2
	this_vcpu_info
	movq	VCPU0_CR2(%rax), %rax
	ret
	.size	xen_pv_read_cr2, . - xen_pv_read_cr2
