/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 32-bit entries: the Linux boot protocol (from our bzImage loader, for
 * both the real-mode "linux16" path and the 32-bit "linux32" path) and
 * PVH. Both end in long mode on an identity map of the low 4 GiB and call
 * boot_native_entry(path, protocol_data, entry_tsc), which reads the
 * protocol's structure into boot_info. Nothing here may use the stack
 * before the switch, and every failure is reported, never a silent hang.
 */
#include <asm/layout.h>
#include <asm/bootmarker.h>
#include <asm/bootpaths.h>
#include <asm/msr-index.h>
#include <abi/hvm_start_info.h>

#define X86_CR0_PE	(1 << 0)
#define X86_CR0_WP	(1 << 16)
#define X86_CR0_PG	(1 << 31)
#define X86_CR4_PAE	(1 << 5)
#define PTE_PRESENT_RW	0x03
#define PDE_LARGE_RW	0x83

	.section .head.text, "ax"
	.code32

/* Linux boot protocol: %esi = boot_params, %ebx = marker, %edi:%ebp = TSC. */
	.globl startup_32_bp
startup_32_bp:
	cli
	cld
	movl	$BOOT_PATH_LINUX16, %eax
	cmpl	$LINUX16_MARKER, %ebx
	je	1f
	movl	$BOOT_PATH_EFI, %eax
	cmpl	$EFI_MARKER, %ebx
	je	1f
	movl	$BOOT_PATH_LINUX32, %eax
1:	movl	%eax, boot_proto_path
	movl	%esi, boot_proto_data
	movl	%ebp, boot_entry_tsc
	movl	%edi, boot_entry_tsc + 4
	jmp	startup_32_common

/* PVH (Xen's PHYS32_ENTRY): %ebx = hvm_start_info, paging off. */
	.globl startup_32_pvh
startup_32_pvh:
	rdtsc
	cli
	cld
	movl	%eax, boot_entry_tsc
	movl	%edx, boot_entry_tsc + 4
	movl	$BOOT_PATH_PVH, boot_proto_path
	movl	%ebx, boot_proto_data
	leal	msg_pvh_magic, %esi
	cmpl	$HVM_START_MAGIC_VALUE, (%ebx)
	jne	early_fail32

startup_32_common:
	lgdt	boot_gdt_desc
	ljmp	$__BOOT_CS32, $1f
1:	movl	$__KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs

	/* Long mode is the one thing we cannot do without. */
	leal	msg_no_lm, %esi
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	early_fail32
	movl	$0x80000001, %eax
	cpuid
	btl	$29, %edx
	jnc	early_fail32
	movl	%edx, %ebx		/* keep the NX bit (20) for EFER */

	/* Identity map 0-4 GiB with 2 MiB pages: PML4[0] -> PDPT[0..3] -> PDs. */
	movl	$boot_pd, %edi
	movl	$PDE_LARGE_RW, %eax
	movl	$2048, %ecx
2:	movl	%eax, (%edi)
	addl	$0x200000, %eax
	addl	$8, %edi
	loop	2b
	movl	$boot_pdpt, %edi
	movl	$boot_pd + PTE_PRESENT_RW, %eax
	movl	$4, %ecx
3:	movl	%eax, (%edi)
	addl	$4096, %eax
	addl	$8, %edi
	loop	3b
	movl	$boot_pdpt + PTE_PRESENT_RW, boot_pml4

	movl	%cr4, %eax
	orl	$X86_CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$boot_pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	btl	$20, %ebx
	jnc	4f
	orl	$EFER_NX, %eax
4:	wrmsr
	movl	%cr0, %eax
	orl	$(X86_CR0_PG | X86_CR0_WP | X86_CR0_PE), %eax
	movl	%eax, %cr0
	ljmp	$__KERNEL_CS, $startup_64

/*
 * Print the message at %esi on COM1 and stop with a failing status on
 * QEMU's isa-debug-exit; halt if neither exists. Paging off, no stack.
 */
early_fail32:
	movw	$0x3fd, %dx
1:	inb	%dx, %al
	testb	$0x20, %al
	jz	1b
	movb	(%esi), %al
	testb	%al, %al
	jz	2f
	movw	$0x3f8, %dx
	outb	%al, %dx
	incl	%esi
	movw	$0x3fd, %dx
	jmp	1b
2:	movw	$0x501, %dx
	movb	$2, %al
	outb	%al, %dx
3:	hlt
	jmp	3b

	.code64
startup_64:
	xorl	%eax, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	leaq	boot_stack_top(%rip), %rsp
	xorl	%ebp, %ebp
	movl	boot_proto_path(%rip), %edi
	movl	boot_proto_data(%rip), %esi
	movq	boot_entry_tsc(%rip), %rdx
	call	boot_native_entry
	ud2

	.section .rodata
msg_no_lm:
	.asciz	"proteus: this CPU has no long mode; cannot boot\r\n"
msg_pvh_magic:
	.asciz	"proteus: PVH entry without the hvm_start_info magic\r\n"

	.balign	8
	.globl	boot_gdt
boot_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 32-bit code */
	.quad	0x00cf92000000ffff	/* data */
	.quad	0x00af9a000000ffff	/* 64-bit code */
boot_gdt_end:
	.globl	boot_gdt_desc
boot_gdt_desc:
	.word	boot_gdt_end - boot_gdt - 1
	.quad	boot_gdt

	.data
	.balign	8
boot_entry_tsc:
	.quad	0
boot_proto_path:
	.long	0
boot_proto_data:
	.long	0

	.section .bss.page_aligned, "aw", @nobits
	.balign	4096
	.globl	boot_pml4
boot_pml4:
	.skip	4096
boot_pdpt:
	.skip	4096
boot_pd:
	.skip	4 * 4096
	.globl	boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip	BOOT_STACK_SIZE
boot_stack_top:
