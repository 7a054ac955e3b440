/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The real-mode part of the bzImage: boot sector, setup header and the
 * 16-bit setup code (the "linux16" path of the Linux x86 boot protocol,
 * Documentation/arch/x86/boot.rst).
 *
 * A loader (QEMU's linuxboot option ROM under SeaBIOS, qboot, GRUB's
 * linux16) puts this image at some seg:0, fills in the setup header, sets
 * ds = es = ss = seg and jumps to (seg + 0x20):0, i.e. to the jump at 0x200.
 * The setup then
 *
 *   1. reads the TSC (boot time zero for the kernel),
 *   2. builds a zeroed boot_params in its own memory and copies the loaded
 *      setup header into it, so that whatever the loader filled in survives,
 *   3. asks the BIOS for the memory map (E820, else E801, else 88h),
 *   4. opens the A20 gate,
 *   5. switches to 32-bit protected mode with flat segments and jumps to
 *      code32_start (normally our loader32 stub at 1 MiB) with
 *      %esi = boot_params, %ebx = LINUX16_MARKER, %edi:%ebp = the TSC.
 *
 * The image is linked at 0: every label is an offset from seg:0. Field
 * offsets come from <asm/bootparam.h> through the generated boot-offsets.h,
 * so the header below cannot drift from the ABI: each field is placed with
 * .org at its official offset, and the assembler refuses if one overflows.
 */
#include <asm/bootparam.h>
#include <asm/bootmarker.h>
#include "boot-offsets.h"

#define PM_LOAD_ADDR	0x100000	/* code32_start, pref_address */
#define KERNEL_ALIGN	0x200000
#define BOOT_PROTOCOL	0x020f		/* 2.15 */

/* The 32-bit boot protocol's selectors; our GDT puts flat segments there. */
#define BOOT_CS		0x10
#define BOOT_DS		0x18

#define SMAP		0x534d4150	/* "SMAP", the E820 signature */
#define E820_RAM	1
#define E820_BUF_SIZE	24		/* ACPI 3.0 entries carry 4 more bytes */

#define COM1		0x3f8
#define DEBUG_EXIT_PORT	0x501		/* QEMU isa-debug-exit */

	.code16
	.section ".text", "ax"
	.globl	_start
_start:

/*
 * Boot sector. Only runs if a BIOS boots the image from a disk, which is not
 * how a bzImage is meant to start: say so and stop. It must fit below the
 * setup header at 0x1f1.
 *
 * It is also the MS-DOS header of the image's PE/COFF face (the EFI stub):
 * "MZ" first, the PE header's file offset at 0x3c; UEFI reads nothing
 * else of it. As 16-bit code "MZ" is "dec %bp; pop %dx", harmless before
 * the far jump, which sets up everything the rest relies on.
 */
bootsect:
	.ascii	"MZ"
	ljmp	$0x07c0, $1f		/* the BIOS loaded us at 0000:7c00 */
	.org	PE_LFANEW_OFFSET
	.long	pe_header		/* e_lfanew */
1:	movw	%cs, %ax
	movw	%ax, %ds
	movw	%ax, %ss
	xorw	%sp, %sp
	sti
	cld
	movw	$bootsect_msg, %si
2:	lodsb
	testb	%al, %al
	jz	3f
	movb	$0x0e, %ah		/* teletype output */
	movw	$0x0007, %bx
	int	$0x10
	jmp	2b
3:	hlt
	jmp	3b

bootsect_msg:
	.ascii	"Proteus: this is a bzImage, not a boot disk.\r\n"
	.ascii	"Boot it with a Linux-protocol loader (GRUB, QEMU -kernel)\r\n"
	.asciz	"or start it as an EFI application.\r\n"

/*
 * The setup header. Fields marked (build) are filled in by mkbzimage, those
 * marked (loader) by the boot loader; the rest are ours.
 */
	.org	BP_hdr_setup_sects
hdr:
	.byte	0			/* setup_sects (build) */
	.org	BP_hdr_root_flags
	.word	0			/* root_flags: unused */
	.org	BP_hdr_syssize
	.long	0			/* syssize: pm part / 16 (build) */
	.org	BP_hdr_ram_size
	.word	0			/* ram_size: obsolete */
	.org	BP_hdr_vid_mode
	.word	0xffff			/* vid_mode: "normal", we set no mode */
	.org	BP_hdr_root_dev
	.word	0			/* root_dev: none */
	.org	BP_hdr_boot_flag
	.word	0xaa55			/* boot_flag */
	.org	BP_hdr_jump
	/*
	 * Loaders enter here at (seg + 0x20):0, and read the end of the header
	 * from this short jump's target: it must skip all of it.
	 */
hdr_jump:
	.byte	0xeb
	.byte	start_of_setup - 1f
1:
	.org	BP_hdr_header
	.ascii	"HdrS"			/* header magic */
	.org	BP_hdr_version
	.word	BOOT_PROTOCOL
	.org	BP_hdr_realmode_swtch
	.long	0			/* realmode_swtch: no hook */
	.org	BP_hdr_start_sys_seg
	.word	0x1000			/* start_sys_seg: obsolete */
	.org	BP_hdr_kernel_version
	.word	kernel_version - hdr_jump	/* relative to 0x200 */
	.org	BP_hdr_type_of_loader
	.byte	0			/* type_of_loader (loader) */
	.org	BP_hdr_loadflags
	.byte	LOADED_HIGH		/* loadflags: pm part at 1 MiB */
	.org	BP_hdr_setup_move_size
	.word	0x8000			/* setup_move_size: pre-2.02 only */
	.org	BP_hdr_code32_start
	.long	PM_LOAD_ADDR		/* code32_start (loaders may hook it) */
	.org	BP_hdr_ramdisk_image
	.long	0			/* ramdisk_image (loader) */
	.org	BP_hdr_ramdisk_size
	.long	0			/* ramdisk_size (loader) */
	.org	BP_hdr_bootsect_kludge
	.long	0			/* bootsect_kludge: obsolete */
	.org	BP_hdr_heap_end_ptr
	.word	0			/* heap_end_ptr (loader) */
	.org	BP_hdr_ext_loader_ver
	.byte	0			/* ext_loader_ver (loader) */
	.org	BP_hdr_ext_loader_type
	.byte	0			/* ext_loader_type (loader) */
	.org	BP_hdr_cmd_line_ptr
	.long	0			/* cmd_line_ptr (loader) */
	.org	BP_hdr_initrd_addr_max
	.long	0x7fffffff		/* initrd_addr_max */
	.org	BP_hdr_kernel_alignment
	.long	KERNEL_ALIGN		/* kernel_alignment */
	.org	BP_hdr_relocatable_kernel
	.byte	0			/* relocatable_kernel: no */
	.org	BP_hdr_min_alignment
	.byte	21			/* min_alignment: log2(KERNEL_ALIGN) */
	.org	BP_hdr_xloadflags
	.word	0			/* xloadflags: EFI handover (build) */
	.org	BP_hdr_cmdline_size
	.long	4095			/* cmdline_size: the kernel truncates */
	.org	BP_hdr_hardware_subarch
	.long	0			/* hardware_subarch: PC */
	.org	BP_hdr_hardware_subarch_data
	.quad	0
	.org	BP_hdr_payload_offset
	.long	0			/* payload_offset: vmlinux in pm part (build) */
	.org	BP_hdr_payload_length
	.long	0			/* payload_length (build) */
	.org	BP_hdr_setup_data
	.quad	0			/* setup_data (loader) */
	.org	BP_hdr_pref_address
	.quad	PM_LOAD_ADDR		/* pref_address */
	.org	BP_hdr_init_size
	.long	0			/* init_size (build) */
	.org	BP_hdr_handover_offset
	.long	0			/* handover_offset: EFI stub (build) */
	.org	BP_hdr_kernel_info_offset
	.long	0			/* kernel_info_offset (build) */
	/*
	 * The end of struct setup_header as the ABI header knows it: should
	 * the ABI grow, the new fields read as zero; mkbzimage checks that
	 * the jump at 0x200 skips them all.
	 */
	.org	BP_hdr_end

/*
 * The jump at 0x200 lands here with cs = seg + 0x20, ds = es = ss = seg.
 * The TSC is read first, before anything else costs time, and kept in
 * %edi:%ebp until there is a data segment to store it in.
 */
start_of_setup:
	rdtsc
	movl	%eax, %ebp
	movl	%edx, %edi

	/*
	 * Take seg from cs rather than trusting ds: cs = seg + 0x20 is what
	 * the protocol's entry at 0x200 implies. Then run with cs = seg too,
	 * so that labels (offsets from seg:0) work for code and data alike.
	 * The instruction after a load of ss runs with interrupts held off,
	 * which keeps ss:esp consistent.
	 */
	movw	%cs, %ax
	subw	$0x20, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movl	$setup_stack_end, %esp	/* upper half 0: BIOS code may use %esp */
	pushw	%ax
	pushw	$1f
	lretw
1:	cld
	movl	%ebp, tsc_lo
	movl	%edi, tsc_hi

	/*
	 * With CAN_USE_HEAP the loader says seg:0 .. heap_end_ptr + 0x200 is
	 * ours: move the stack to its top for more room for BIOS calls (qboot
	 * runs C code on our stack). Capped below 64 KiB, and never moved
	 * down into our own data.
	 */
	testb	$CAN_USE_HEAP, BP_hdr_loadflags
	jz	2f
	movzwl	BP_hdr_heap_end_ptr, %eax
	addl	$0x200, %eax
	cmpl	$0xfff0, %eax
	jbe	3f
	movl	$0xfff0, %eax
3:	cmpl	$setup_stack_end, %eax
	jbe	2f
	andb	$0xf0, %al
	movl	%eax, %esp
2:
	/* A clean boot_params, then the header as the loader left it. */
	xorl	%eax, %eax
	movw	$boot_params, %di
	movw	$BP_SIZE / 4, %cx
	rep stosl
	movw	$BP_hdr, %si
	movw	$boot_params + BP_hdr, %di
	movw	$BP_hdr_end - BP_hdr, %cx
	rep movsb

	call	detect_memory
	call	enable_a20

/*
 * Into protected mode: interrupts and NMIs off, an empty IDT (a stray
 * exception before the kernel loads its own then shuts the machine down
 * instead of jumping to a real-mode vector), flat GDT, PE, far jump.
 */
	cli
	movb	$0x80, %al		/* bit 7 of the CMOS index: NMI off */
	outb	%al, $0x70

	movw	%ds, %cx
	movzwl	%cx, %ecx
	shll	$4, %ecx		/* %ecx = linear address of seg:0 */
	leal	gdt(%ecx), %eax
	movl	%eax, gdt_desc + 2
	leal	pm32(%ecx), %eax
	movl	%eax, pm32_ptr
	leal	boot_params(%ecx), %esi
	movzwl	%sp, %edx
	addl	%ecx, %edx		/* the same stack, as a linear address */

	lidtl	null_idt_desc
	lgdtl	gdt_desc
	movl	%cr0, %eax
	orb	$1, %al			/* PE */
	movl	%eax, %cr0
	ljmpl	*pm32_ptr		/* reloads cs; must follow the cr0 write */

	.code32
pm32:
	movl	$BOOT_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%eax, %ss
	movl	%edx, %esp

	/* code32_start from our copy: a loader may have hooked it. */
	movl	BP_hdr_code32_start(%esi), %eax
	movl	tsc_lo(%ecx), %ebp
	movl	tsc_hi(%ecx), %edi
	movl	$LINUX16_MARKER, %ebx
	jmpl	*%eax

	.code16

/*
 * Memory map into boot_params.e820_table. E820 first; it is the only
 * interface qboot offers. The entries are stored as the BIOS gives them:
 * the kernel sanitizes the map, we only bound the count.
 */
detect_memory:
	xorl	%ebx, %ebx		/* continuation value: start */
.Le820_next:
	movl	$0xe820, %eax		/* all 32 bits: qboot compares %eax */
	movl	$SMAP, %edx
	movl	$E820_BUF_SIZE, %ecx
	movl	$e820_buf, %edi		/* qboot writes through all of %edi */
	int	$0x15
	jc	.Le820_end		/* error, or past the last entry */
	cmpl	$SMAP, %eax
	jne	.Le820_end		/* not an E820 BIOS after all */

	/* 20 or 24 bytes came back: the first 20 are the boot ABI's entry. */
	movzbw	boot_params + BP_e820_entries, %ax
	imulw	$E820_ENTRY_SIZE, %ax, %di
	addw	$boot_params + BP_e820_table, %di
	movw	$e820_buf, %si
	movw	$E820_ENTRY_SIZE / 4, %cx
	rep movsl
	incb	boot_params + BP_e820_entries
	cmpb	$E820_MAX_ENTRIES, boot_params + BP_e820_entries
	jae	.Le820_end
	testl	%ebx, %ebx		/* 0: that was the last one */
	jnz	.Le820_next
.Le820_end:
	cmpb	$0, boot_params + BP_e820_entries
	je	.Le801
	ret

	/*
	 * No E820: build two entries, conventional memory and the extended
	 * memory above 1 MiB, from E801 (or the older 88h). The KiB counts
	 * also go where the boot ABI has fields for them.
	 */
.Le801:
	movw	$0xe801, %ax
	xorw	%bx, %bx
	xorw	%cx, %cx
	xorw	%dx, %dx
	int	$0x15
	jc	.L88
	movw	%cx, %si		/* some BIOSes answer in cx/dx, */
	orw	%dx, %si		/* others in ax/bx only */
	jz	1f
	movw	%cx, %ax
	movw	%dx, %bx
1:	movzwl	%ax, %eax		/* KiB between 1 and 16 MiB */
	cmpl	$15 * 1024, %eax
	ja	.L88			/* more than 15 MiB there: nonsense */
	jb	2f			/* a hole below 16 MiB: stop there */
	movzwl	%bx, %ebx		/* 64 KiB blocks above 16 MiB */
	shll	$6, %ebx
	addl	%ebx, %eax
2:	movl	%eax, boot_params + BP_alt_mem_k
	jmp	.Lext_found

.L88:
	movb	$0x88, %ah
	int	$0x15
	jc	.Lno_map
	movzwl	%ax, %eax		/* KiB above 1 MiB, at most 64 MiB */
	movw	%ax, boot_params + BP_ext_mem_k

.Lext_found:
	/* %eax = KiB above 1 MiB. Entry 1: [1 MiB, 1 MiB + size). */
	movl	%eax, %edx
	shll	$10, %eax
	shrl	$22, %edx
#define E820_1	(boot_params + BP_e820_table + E820_ENTRY_SIZE)
	movl	$0x100000, E820_1 + E820_addr
	movl	%eax, E820_1 + E820_size
	movl	%edx, E820_1 + E820_size + 4
	movl	$E820_RAM, E820_1 + E820_type
#undef E820_1

	/* Entry 0: [0, base memory size), the size from int 12h. */
	xorw	%ax, %ax
	int	$0x12
	movzwl	%ax, %eax
	shll	$10, %eax
#define E820_0	(boot_params + BP_e820_table)
	movl	%eax, E820_0 + E820_size
	movl	$E820_RAM, E820_0 + E820_type
#undef E820_0
	movb	$2, boot_params + BP_e820_entries
	ret

.Lno_map:
	/* Not fatal here: the kernel decides what to do without a map. */
	movw	$msg_no_map, %si
	jmp	bios_puts

/*
 * Open the A20 gate: most machines (and QEMU) have it open already; else
 * try the fast A20 port, then the keyboard controller; if the gate stays
 * shut the kernel cannot run, so report that and stop.
 */
enable_a20:
	movw	$2, %cx			/* a working gate shows in two rounds */
	call	a20_test
	jnz	.La20_ok

	inb	$0x92, %al		/* fast A20 (port 92h) */
	orb	$0x02, %al
	andb	$0xfe, %al		/* bit 0 would reset the machine */
	outb	%al, $0x92
	movw	$0x100, %cx
	call	a20_test
	jnz	.La20_ok

	call	kbc_wait		/* 8042: write its output port */
	movb	$0xd1, %al
	outb	%al, $0x64
	call	kbc_wait
	movb	$0xdf, %al		/* A20 on, no reset */
	outb	%al, $0x60
	call	kbc_wait
	movb	$0xff, %al		/* a null command some 8042s need */
	outb	%al, $0x64
	call	kbc_wait
	movw	$0x4000, %cx		/* the 8042 can be slow to act */
	call	a20_test
	jnz	.La20_ok

	movw	$msg_a20, %si
	jmp	die
.La20_ok:
	ret

/*
 * Is A20 open? Writes to 0000:0200 and reads ffff:0210, the same address
 * when A20 is shut (linear 0x000200), 1 MiB apart when it is open (linear
 * 0x100200, which nothing writes meanwhile). Counting our value up means a
 * chance equality cannot last two rounds. %cx = rounds.
 * Returns ZF clear if A20 is open. The word at 0000:0200 is restored.
 */
a20_test:
	xorw	%ax, %ax
	movw	%ax, %fs
	decw	%ax
	movw	%ax, %gs
	movw	%fs:0x200, %dx
	movw	%dx, %ax
1:	incw	%ax
	movw	%ax, %fs:0x200
	outb	%al, $0x80		/* I/O delay: let a slow gate settle */
	cmpw	%gs:0x210, %ax
	loope	1b
	movw	%dx, %fs:0x200		/* mov leaves ZF alone */
	ret

/* Wait (bounded) until the 8042 takes input. Clobbers %al, %cx. */
kbc_wait:
	xorw	%cx, %cx		/* 65536 polls */
1:	inb	$0x64, %al
	testb	$0x02, %al		/* input buffer full */
	loopnz	1b
	ret

/* Print the string at %si through the BIOS (int 10h teletype). */
bios_puts:
	lodsb
	testb	%al, %al
	jz	1f
	movb	$0x0e, %ah
	movw	$0x0007, %bx
	pushw	%si
	int	$0x10
	popw	%si
	jmp	bios_puts
1:	ret

/*
 * Fatal error: the string at %si goes to the BIOS console and to COM1
 * (with -display none, SeaBIOS' console is invisible; qboot's int 10h goes
 * to COM1 as well, so there the line shows twice), then QEMU's
 * isa-debug-exit gets a failure status, and we stop for good.
 */
die:
	pushw	%si
	call	bios_puts
	popw	%si

	movw	$COM1 + 1, %dx		/* IER: no interrupts */
	xorb	%al, %al
	outb	%al, %dx
	movw	$COM1 + 3, %dx		/* LCR: DLAB, to set the divisor */
	movb	$0x80, %al
	outb	%al, %dx
	movw	$COM1, %dx		/* divisor 1: 115200 baud */
	movb	$1, %al
	outb	%al, %dx
	movw	$COM1 + 1, %dx
	xorb	%al, %al
	outb	%al, %dx
	movw	$COM1 + 3, %dx		/* 8n1 */
	movb	$0x03, %al
	outb	%al, %dx
1:	lodsb
	testb	%al, %al
	jz	3f
	movb	%al, %ah
	movw	$COM1 + 5, %dx		/* LSR: wait (bounded) for THR empty */
	xorw	%cx, %cx
2:	inb	%dx, %al
	testb	$0x20, %al
	loopz	2b
	movw	$COM1, %dx
	movb	%ah, %al
	outb	%al, %dx
	jmp	1b

3:	movw	$DEBUG_EXIT_PORT, %dx
	movb	$2, %al
	outb	%al, %dx
	cli
4:	hlt
	jmp	4b

kernel_version:
	.asciz	"Proteus"
msg_no_map:
	.asciz	"setup: no memory map from the BIOS (E820, E801, 88h)\r\n"
msg_a20:
	.asciz	"setup: cannot open the A20 gate, cannot boot\r\n"

/*
 * The PE/COFF headers (signature, COFF header, PE32+ optional header,
 * section table): room only, mkbzimage writes and checks all of it, as
 * only it knows the image's layout. UEFI finds them through e_lfanew.
 */
	.balign	8
pe_header:
	.skip	PE_HEADER_SIZE

	.balign	8
gdt:
	.quad	0
	.quad	0			/* 0x08: unused, as in the protocol */
	.quad	0x00cf9b000000ffff	/* 0x10: code, base 0, 4 GiB, 32-bit */
	.quad	0x00cf93000000ffff	/* 0x18: data, base 0, 4 GiB, writable */
gdt_end:

	.balign	4
	.word	0			/* align the base field */
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	0			/* base: linear, set at run time */

	.word	0
null_idt_desc:
	.word	0			/* limit 0: no gate is valid */
	.long	0

pm32_ptr:
	.long	0			/* linear address of pm32, at run time */
	.word	BOOT_CS

	.section ".bss", "aw", @nobits
	.balign	16
boot_params:
	.skip	BP_SIZE
e820_buf:
	.skip	E820_BUF_SIZE
tsc_lo:
	.skip	4
tsc_hi:
	.skip	4
	.balign	16
setup_stack:
	.skip	2048
setup_stack_end:
