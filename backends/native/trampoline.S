/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where an application processor starts. A start-up IPI sends an AP to
 * real mode at CS = vector << 8, IP = 0, so smp.c copies smp_trampoline
 * to a free page below 1 MiB and fills in its GDT pointer. That page only
 * loads a GDT and enters 32-bit protected mode; then the AP jumps into
 * kernel text (ap_startup_32), turns on long mode with the kernel's own
 * page tables and continues in C. The low page is thus only ever executed
 * with paging off and needs no executable mapping (the kernel's tables
 * map the low MiB non-executable); the first instruction fetched with
 * paging on is in kernel text, which they map executable.
 *
 * Many APs may run this at once. Nothing here writes memory another CPU
 * reads until each AP takes a stack of its own with one atomic add; the
 * values it reads (smp_ap_*) are set by the boot CPU before any SIPI.
 */
#include <asm/layout.h>
#include <asm/msr-index.h>

#define X86_CR0_PE	(1 << 0)
#define X86_CR4_PAE	(1 << 5)

/* Data to the kernel: copied, never executed where it lies. */
	.section .rodata
	.code16
	.balign	16
	.globl	smp_trampoline, smp_trampoline_gdtr, smp_trampoline_end
smp_trampoline:
	cli
	movw	%cs, %ax
	movw	%ax, %ds
	lgdtl	smp_trampoline_gdtr - smp_trampoline
	movl	%cr0, %eax
	orl	$X86_CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$__BOOT_CS32, $ap_startup_32

	/* Limit and 32-bit base of a GDT below 4 GiB with the boot selectors. */
	.balign	8
smp_trampoline_gdtr:
	.word	0
	.long	0
smp_trampoline_end:

	.text
	.code32
ap_startup_32:
	movl	$__KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	$X86_CR4_PAE, %eax
	movl	%eax, %cr4
	movl	smp_ap_cr3, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	movl	smp_ap_efer, %eax
	xorl	%edx, %edx
	wrmsr
	/* The boot CPU's CR0: paging on, caches on (INIT set CD and NW). */
	movl	smp_ap_cr0, %eax
	movl	%eax, %cr0
	ljmp	$__KERNEL_CS, $ap_startup_64

	.code64
ap_startup_64:
	xorl	%eax, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movl	$1, %eax
	lock xaddl %eax, smp_ap_next_stack(%rip)
	cmpl	smp_ap_nr_stacks(%rip), %eax
	jae	1f
	movq	smp_ap_stacks(, %rax, 8), %rsp
	xorl	%ebp, %ebp
	movq	%rsp, %rdi
	call	ap_start		/* does not return */
	/* An AP beyond the stacks handed out is none we started: park it. */
1:	cli
	hlt
	jmp	1b
