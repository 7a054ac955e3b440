/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The EFI stub's first byte, the switch from the firmware's long mode to
 * the kernel's 32-bit Linux-protocol entry, and the trailer mkbzimage
 * fills. Linked at 0; only RIP-relative references.
 */
#include <asm/bootmarker.h>

/* The boot protocol's flat 32-bit selectors, as our setup uses them. */
#define BOOT_CS		0x10
#define BOOT_DS		0x18

#define X86_CR0_PG	0x80000000
#define X86_CR4_PCIDE	(1 << 17)
#define MSR_EFER	0xc0000080
#define EFER_LME	(1 << 8)

	.section ".head", "ax"
	.globl	efistub_start
efistub_start:

/*
 * void efi_enter32(u32 entry, u32 boot_params, u64 entry_tsc), SysV ABI.
 * Runs from a copy below 4 GiB (the firmware may have loaded us above),
 * after ExitBootServices, on the firmware's identity map: it loads its own
 * GDT and an empty IDT, moves the stack into the copy, drops to
 * compatibility mode, turns paging and long mode off and jumps to the
 * kernel's 32-bit entry with the registers loader32 would pass:
 * %esi = boot_params, %ebx = EFI_MARKER, %edi:%ebp = the entry TSC.
 * Nothing may be above 4 GiB after the far return: code, GDT and stack are
 * all in the copy.
 */
	.code64
	.globl	efi_enter32, efi_enter32_end
efi_enter32:
	cli
	leaq	enter_gdt(%rip), %rax
	movq	%rax, enter_gdt_desc + 2(%rip)
	lgdt	enter_gdt_desc(%rip)
	lidt	enter_idt_desc(%rip)
	movq	%cr4, %rax		/* paging cannot go off with PCIDE set */
	andq	$~X86_CR4_PCIDE, %rax
	movq	%rax, %cr4

	leaq	enter_stack_end(%rip), %rsp
	pushq	%rdi			/* the entry, for the 32-bit side */
	movl	%esi, %esi
	movl	$EFI_MARKER, %ebx
	movl	%edx, %ebp
	shrq	$32, %rdx
	movl	%edx, %edi
	leaq	1f(%rip), %rax
	pushq	$BOOT_CS
	pushq	%rax
	lretq

	.code32
1:	movl	$BOOT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%eax, %ss
	movl	%cr0, %eax
	andl	$~X86_CR0_PG, %eax
	movl	%eax, %cr0
	movl	$MSR_EFER, %ecx
	rdmsr
	andl	$~EFER_LME, %eax
	wrmsr
	popl	%eax			/* low half of the pushed entry */
	jmp	*%eax

	.balign	8
enter_gdt:
	.quad	0
	.quad	0
	.quad	0x00cf9b000000ffff	/* 0x10: code, base 0, 4 GiB, 32-bit */
	.quad	0x00cf93000000ffff	/* 0x18: data, base 0, 4 GiB */
enter_gdt_end:
	.balign	8
	.word	0, 0, 0
enter_gdt_desc:
	.word	enter_gdt_end - enter_gdt - 1
	.quad	0			/* base, set at run time */
	.word	0, 0, 0
enter_idt_desc:
	.word	0			/* limit 0: no gate is valid */
	.quad	0
	.balign	16
	.skip	64
enter_stack_end:
efi_enter32_end:

/* Read and filled by mkbzimage; the last bytes of efistub.bin. */
	.section ".trailer", "a"
	.balign	4
	.globl	efistub_trailer
efistub_trailer:
	.long	0x53494645		/* EFISTUB_MAGIC, "EFIS" */
	.long	efi_pe_entry - .
	.long	efi_handover_entry - .
	.long	0			/* payload_offset (build) */
	.long	0			/* payload_length (build) */
	.long	0			/* pm_offset (build) */
