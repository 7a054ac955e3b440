/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen PV entry (the ELF ENTRY note): 64-bit, paging on with Xen's initial
 * tables, ring 3, events masked, %rsi = start_info. Take the TSC first so
 * "ready in" counts from here, move to our own stack, and let C install
 * the trap table before anything can fault.
 */
	.text
	.globl	xen_pv_start
xen_pv_start:
	rdtsc
	shlq	$32, %rdx
	orq	%rax, %rdx
	leaq	boot_stack_top(%rip), %rsp
	xorl	%ebp, %ebp
	movq	%rsi, %rdi
	movq	%rdx, %rsi
	call	xen_pv_boot
	ud2

/*
 * A vCPU that VCPUOP_up started (smp.c): Xen loaded %rsp (its stack) and
 * %rdi (its struct percpu) from the context VCPUOP_initialise gave.
 */
	.globl	xen_pv_ap_entry
xen_pv_ap_entry:
	xorl	%ebp, %ebp
	call	xen_pv_ap_start
	ud2
