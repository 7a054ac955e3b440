/* SPDX-License-Identifier: GPL-2.0 */
/*
 * loader32: the start of the bzImage's protected-mode part, loaded at
 * code32_start (1 MiB). It is entered two ways, both in 32-bit protected
 * mode with flat segments, paging and interrupts off, %esi = boot_params:
 *
 *   linux16  from our real-mode setup: %ebx = LINUX16_MARKER and %edi:%ebp
 *            = the TSC the setup read first thing;
 *   linux32  from a 32-bit loader (GRUB's "linux"): %ebx = %ebp = %edi = 0.
 *
 * The payload after the stub is the kernel ELF (build/vmlinux) unchanged.
 * The stub checks it, copies its PT_LOAD segments to their physical
 * addresses, zeroes their bss parts and jumps to e_entry with %esi, %ebx and
 * %edi:%ebp as the kernel expects them (see asm/bootmarker.h).
 *
 * Every check that fails prints "bzImage: <reason>" on COM1, tells QEMU's
 * isa-debug-exit (if any) that the boot failed, and stops: no silent hang.
 *
 * Linked at 0 and run wherever it was loaded: %ebx holds the run-time base
 * and every label is used as an offset from it.
 */
#include <asm/bootparam.h>
#include <asm/bootmarker.h>
#include "boot-offsets.h"

#define LOW_LIMIT	0x100000	/* no kernel byte below 1 MiB */
#define COM1		0x3f8
#define DEBUG_EXIT_PORT	0x501		/* QEMU isa-debug-exit */

	.code32
	.section ".text", "ax"
	.globl	startup_32
startup_32:
	rdtsc				/* first: the linux32 path's time zero */
	cmpl	$LINUX16_MARKER, %ebx
	je	1f			/* keep the setup's earlier TSC */
	xorl	%ebx, %ebx		/* anything else means "not linux16" */
	movl	%eax, %ebp
	movl	%edx, %edi
1:	cli
	cld
	movl	%ebx, %ecx

	/*
	 * Find out where we run. call/pop needs a stack before we know where
	 * ours is: boot_params.scratch is the word the protocol sets aside
	 * for exactly this kind of use.
	 */
	leal	BP_scratch + 4(%esi), %esp
	call	2f
2:	popl	%ebx
	subl	$2b, %ebx		/* %ebx = run-time address of startup_32 */
	leal	stack_end(%ebx), %esp

	movl	%ecx, saved_marker(%ebx)
	movl	%ebp, saved_tsc_lo(%ebx)
	movl	%edi, saved_tsc_hi(%ebx)
	movl	%esi, saved_bp(%ebx)

	/*
	 * Ranges the kernel must not land on, as [start, end): this image
	 * (stub and payload), the boot_params page, the initrd and the
	 * command line. The last two may be absent: [0, 0) overlaps nothing.
	 */
	movl	trailer_payload_offset(%ebx), %ebp
	addl	%ebx, %ebp		/* %ebp = the ELF, from here on */
	movl	trailer_payload_length(%ebx), %eax
	addl	%ebp, %eax
	movl	%eax, image_end(%ebx)

	movl	BP_hdr_ramdisk_size(%esi), %eax
	testl	%eax, %eax
	jz	3f
	movl	BP_hdr_ramdisk_image(%esi), %ecx
	movl	%ecx, initrd_start(%ebx)
	addl	%ecx, %eax
	jnc	4f
	movl	$0xffffffff, %eax	/* clamp a range that wraps */
4:	movl	%eax, initrd_end(%ebx)
3:
	movl	BP_hdr_cmd_line_ptr(%esi), %edi
	testl	%edi, %edi
	jz	5f
	movl	%edi, cmdline_start(%ebx)
	movl	BP_hdr_cmdline_size(%esi), %ecx	/* a bound, not the length */
	incl	%ecx
	xorl	%eax, %eax
	repne scasb			/* %edi = one past the NUL (or the bound) */
	movl	%edi, cmdline_end(%ebx)
5:

	/* The ELF header. */
	cmpl	$EH_SIZE, trailer_payload_length(%ebx)
	jb	err_not_elf
	cmpl	$ELF_MAGIC, (%ebp)
	jne	err_not_elf
	cmpb	$ELF_CLASS64, ELF_EI_CLASS(%ebp)
	jne	err_not_x86_64
	cmpb	$ELF_DATA2LSB, ELF_EI_DATA(%ebp)
	jne	err_not_x86_64
	cmpw	$ELF_EM_X86_64, EH_e_machine(%ebp)
	jne	err_not_x86_64
	cmpl	$0, EH_e_entry + 4(%ebp)
	jne	err_entry

	/* The program header table must lie inside the payload. */
	movzwl	EH_e_phentsize(%ebp), %eax
	cmpl	$PH_SIZE, %eax
	jb	err_phdrs
	movzwl	EH_e_phnum(%ebp), %ecx
	testl	%ecx, %ecx
	jz	err_phdrs
	cmpl	$ELF_PHNUM_MAX, %ecx
	ja	err_phdrs
	movl	%ecx, phdrs_left(%ebx)
	mull	%ecx			/* %eax = table size, < 4 MiB */
	cmpl	$0, EH_e_phoff + 4(%ebp)
	jne	err_phdrs
	movl	EH_e_phoff(%ebp), %edx
	movl	trailer_payload_length(%ebx), %ecx
	cmpl	%ecx, %edx
	ja	err_phdrs
	subl	%edx, %ecx		/* room after the table's start */
	cmpl	%ecx, %eax
	ja	err_phdrs
	addl	%ebp, %edx		/* %edx = the current program header */

/*
 * One PT_LOAD at a time: check it, then copy it. Checking all of them
 * first would buy nothing: none can overwrite anything we still need.
 */
.Lnext_phdr:
	cmpl	$ELF_PT_LOAD, PH_p_type(%edx)
	jne	.Lskip_phdr

	/* Everything lives below 4 GiB: the high halves must be 0. */
	movl	PH_p_offset + 4(%edx), %eax
	orl	PH_p_paddr + 4(%edx), %eax
	orl	PH_p_filesz + 4(%edx), %eax
	orl	PH_p_memsz + 4(%edx), %eax
	jnz	err_above_4g

	movl	PH_p_memsz(%edx), %ecx
	testl	%ecx, %ecx
	jz	.Lskip_phdr		/* nothing to load */
	cmpl	%ecx, PH_p_filesz(%edx)
	ja	err_filesz

	/* The file bytes must be in the payload. */
	movl	trailer_payload_length(%ebx), %eax
	subl	PH_p_offset(%edx), %eax
	jb	err_outside
	cmpl	%eax, PH_p_filesz(%edx)
	ja	err_outside

	/* The destination: [%eax, %edi). */
	movl	PH_p_paddr(%edx), %eax
	movl	%eax, %edi
	addl	%ecx, %edi
	jc	err_above_4g
	cmpl	$LOW_LIMIT, %eax
	jb	err_low

	movl	%ebx, %ecx
	movl	image_end(%ebx), %esi
	call	overlaps
	jc	err_over_image
	movl	saved_bp(%ebx), %ecx
	leal	BP_SIZE(%ecx), %esi
	call	overlaps
	jc	err_over_bp
	movl	initrd_start(%ebx), %ecx
	movl	initrd_end(%ebx), %esi
	call	overlaps
	jc	err_over_initrd
	movl	cmdline_start(%ebx), %ecx
	movl	cmdline_end(%ebx), %esi
	call	overlaps
	jc	err_over_cmdline

	/* Does this segment's file part hold the entry point? */
	movl	EH_e_entry(%ebp), %ecx
	subl	%eax, %ecx
	cmpl	PH_p_filesz(%edx), %ecx
	jae	6f
	movb	$1, entry_found(%ebx)
6:
	/*
	 * Copy the file part, zero the rest. Dwords then bytes: each
	 * repetition is a step of KVM's instruction emulator here, so four
	 * bytes a step matter.
	 */
	movl	%eax, %edi
	movl	PH_p_offset(%edx), %esi
	addl	%ebp, %esi
	movl	PH_p_filesz(%edx), %ecx
	movl	%ecx, %eax
	shrl	$2, %ecx
	rep movsl
	movl	%eax, %ecx
	andl	$3, %ecx
	rep movsb

	movl	PH_p_memsz(%edx), %ecx
	subl	PH_p_filesz(%edx), %ecx
	movl	%ecx, %esi
	xorl	%eax, %eax
	shrl	$2, %ecx
	rep stosl
	movl	%esi, %ecx
	andl	$3, %ecx
	rep stosb

.Lskip_phdr:
	movzwl	EH_e_phentsize(%ebp), %eax
	addl	%eax, %edx
	decl	phdrs_left(%ebx)
	jnz	.Lnext_phdr

	cmpb	$0, entry_found(%ebx)
	je	err_entry

	/* Into the kernel, with the registers of the contract. */
	movl	EH_e_entry(%ebp), %eax
	movl	saved_bp(%ebx), %esi
	movl	saved_tsc_hi(%ebx), %edi
	movl	saved_tsc_lo(%ebx), %ebp
	movl	saved_marker(%ebx), %ebx
	jmp	*%eax

/*
 * Do [%eax, %edi) and [%ecx, %esi) overlap? CF set if so.
 * Both ends are exclusive, so an empty range overlaps nothing.
 */
overlaps:
	cmpl	%esi, %eax		/* starts at or after the other's end? */
	jae	1f
	cmpl	%edi, %ecx		/* the other starts at or after our end? */
	jae	1f
	stc
	ret
1:	clc
	ret

/*
 * Errors. Those about a segment print its physical address too, so that
 * "which one" needs no debugger.
 */
#define FAIL(label, msg)		\
label:					\
	leal	msg(%ebx), %esi;	\
	jmp	fail
#define FAIL_AT(label, msg)		\
label:					\
	leal	msg(%ebx), %esi;	\
	jmp	fail_at_segment

FAIL(err_not_elf, msg_not_elf)
FAIL(err_not_x86_64, msg_not_x86_64)
FAIL(err_phdrs, msg_phdrs)
FAIL(err_entry, msg_entry)
FAIL_AT(err_above_4g, msg_above_4g)
FAIL_AT(err_filesz, msg_filesz)
FAIL_AT(err_outside, msg_outside)
FAIL_AT(err_low, msg_low)
FAIL_AT(err_over_image, msg_over_image)
FAIL_AT(err_over_bp, msg_over_bp)
FAIL_AT(err_over_initrd, msg_over_initrd)
FAIL_AT(err_over_cmdline, msg_over_cmdline)

/* %esi = message, %edx = program header: "<msg> (p_paddr 0x<p_paddr>)". */
fail_at_segment:
	movl	PH_p_paddr(%edx), %eax
	movl	%eax, fail_value(%ebx)
	movb	$1, fail_has_value(%ebx)
fail:
	pushl	%esi
	call	serial_init
	leal	msg_prefix(%ebx), %esi
	call	puts
	popl	%esi
	call	puts
	cmpb	$0, fail_has_value(%ebx)
	je	2f
	leal	msg_at(%ebx), %esi
	call	puts
	movl	fail_value(%ebx), %edi
	movl	$8, %ecx
1:	roll	$4, %edi
	movl	%edi, %eax
	andl	$0xf, %eax
	movb	hexdigits(%ebx,%eax), %al
	pushl	%ecx
	call	putc
	popl	%ecx
	loop	1b
	leal	msg_at_end(%ebx), %esi
	call	puts
2:	leal	msg_eol(%ebx), %esi
	call	puts

	movw	$DEBUG_EXIT_PORT, %dx	/* QEMU exits with status 5 */
	movb	$2, %al
	outb	%al, %dx
	cli
3:	hlt
	jmp	3b

/* COM1 at 115200 8n1, no interrupts; whatever the firmware left. */
serial_init:
	movw	$COM1 + 1, %dx		/* IER */
	xorb	%al, %al
	outb	%al, %dx
	movw	$COM1 + 3, %dx		/* LCR: DLAB on */
	movb	$0x80, %al
	outb	%al, %dx
	movw	$COM1, %dx		/* divisor 1 */
	movb	$1, %al
	outb	%al, %dx
	movw	$COM1 + 1, %dx
	xorb	%al, %al
	outb	%al, %dx
	movw	$COM1 + 3, %dx		/* 8n1, DLAB off */
	movb	$0x03, %al
	outb	%al, %dx
	ret

/* Print the string at %esi. Clobbers %eax, %ecx, %edx, %esi. */
puts:
	lodsb
	testb	%al, %al
	jz	1f
	call	putc
	jmp	puts
1:	ret

/* Print %al; the wait for the transmitter is bounded (no UART, no hang). */
putc:
	movb	%al, %ah
	movw	$COM1 + 5, %dx		/* LSR */
	movl	$0x10000, %ecx
1:	inb	%dx, %al
	testb	$0x20, %al		/* THR empty */
	loopz	1b
	movw	$COM1, %dx
	movb	%ah, %al
	outb	%al, %dx
	ret

	.section ".rodata", "a"
hexdigits:
	.ascii	"0123456789abcdef"
msg_prefix:
	.asciz	"bzImage: "
msg_at:
	.asciz	" (p_paddr 0x"
msg_at_end:
	.asciz	")"
msg_eol:
	.asciz	"\r\n"
msg_not_elf:
	.asciz	"the payload is not an ELF file"
msg_not_x86_64:
	.asciz	"the payload is not a little-endian x86-64 ELF64"
msg_phdrs:
	.asciz	"bad program header table in the payload"
msg_entry:
	.asciz	"the entry point is not in a loaded segment below 4 GiB"
msg_above_4g:
	.asciz	"kernel segment reaches above 4 GiB"
msg_filesz:
	.asciz	"kernel segment has p_filesz > p_memsz"
msg_outside:
	.asciz	"kernel segment's bytes lie outside the payload"
msg_low:
	.asciz	"kernel segment loads below 1 MiB"
msg_over_image:
	.asciz	"kernel segment would overwrite the bzImage itself"
msg_over_bp:
	.asciz	"kernel segment would overwrite boot_params"
msg_over_initrd:
	.asciz	"kernel segment would overwrite the initrd"
msg_over_cmdline:
	.asciz	"kernel segment would overwrite the command line"

/*
 * kernel_info (boot protocol 2.15): found through the header's
 * kernel_info_offset, which mkbzimage points here. setup_type_max tells
 * loaders which setup_data types they may pass: the kernel skips types it
 * does not use, so the ones the ABI header defines are all fine.
 */
	.balign	4
kernel_info:
	.ascii	"LToP"
	.long	kernel_info_var - kernel_info	/* size of the fixed part */
	.long	kernel_info_end - kernel_info	/* size with variable data */
	.long	SETUP_ENUM_MAX			/* setup_type_max */
kernel_info_var:
kernel_info_end:

/*
 * Variables and the stack live in the image (zeros in the file): there is
 * no memory after the stub that is ours, the payload starts there.
 */
	.section ".data", "aw"
	.balign	4
saved_marker:	.long	0
saved_tsc_lo:	.long	0
saved_tsc_hi:	.long	0
saved_bp:	.long	0
image_end:	.long	0
initrd_start:	.long	0
initrd_end:	.long	0
cmdline_start:	.long	0
cmdline_end:	.long	0
phdrs_left:	.long	0
fail_value:	.long	0
entry_found:	.byte	0
fail_has_value:	.byte	0
	.balign	16
stack:
	.skip	256
stack_end:

/* Read by mkbzimage, which fills in the payload's place and size. */
	.section ".trailer", "a"
	.long	LOADER32_MAGIC
	.long	kernel_info
trailer_payload_offset:
	.long	0
trailer_payload_length:
	.long	0
