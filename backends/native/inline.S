/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Native implementations that are single instructions. Each is a real
 * function (what an unpatched indirect call or a direct call reaches) and,
 * up to its ret, the inline body the patcher copies into call sites. Args
 * arrive in %rdi, %rsi; results leave in %rax, as at any pv site. body_end
 * takes what the body clobbers and how many instructions it is
 * (PV_INLINE_BODY, asm/pv/site.h).
 */
#include <asm/pv/site.h>

.macro body_end name, clobbers, insns
1:	ret
	.size	\name, . - \name
	PV_INLINE_BODY \name, 1b, \clobbers, \insns
.endm

/* CR0: cache and protection control (WP makes read-only binding in ring 0). */
PV_FUNC native_read_cr0
	movq	%cr0, %rax
body_end native_read_cr0, PV_CLOBBERS_RAX, 1

PV_FUNC native_write_cr0
	movq	%rdi, %cr0
body_end native_write_cr0, PV_CLOBBERS_NONE, 1

/* CR2: the linear address of the last page fault. */
PV_CALLEE_SAVE_FUNC native_read_cr2
	movq	%cr2, %rax
body_end native_read_cr2, PV_CLOBBERS_RAX, 1

/* CR3: the page-table root; writing it switches address space. */
PV_FUNC native_read_cr3
	movq	%cr3, %rax
body_end native_read_cr3, PV_CLOBBERS_RAX, 1

PV_FUNC native_write_cr3
	movq	%rdi, %cr3
body_end native_write_cr3, PV_CLOBBERS_NONE, 1

PV_FUNC native_read_cr4
	movq	%cr4, %rax
body_end native_read_cr4, PV_CLOBBERS_RAX, 1

PV_FUNC native_write_cr4
	movq	%rdi, %cr4
body_end native_write_cr4, PV_CLOBBERS_NONE, 1

PV_FUNC native_wbinvd
	wbinvd
body_end native_wbinvd, PV_CLOBBERS_NONE, 1

PV_FUNC native_load_gdt
	lgdt	(%rdi)
body_end native_load_gdt, PV_CLOBBERS_NONE, 1

PV_FUNC native_load_idt
	lidt	(%rdi)
body_end native_load_idt, PV_CLOBBERS_NONE, 1

PV_FUNC native_load_tr
	ltr	%di
body_end native_load_tr, PV_CLOBBERS_NONE, 1

/* Port 0x80 is the POST-code port: writing it takes about a microsecond. */
PV_FUNC native_io_delay
	outb	%al, $0x80
body_end native_io_delay, PV_CLOBBERS_NONE, 1

/* IF lives in RFLAGS; cli/sti change it, hlt waits for an interrupt. */
PV_CALLEE_SAVE_FUNC native_save_fl
	pushfq
	popq	%rax
body_end native_save_fl, PV_CLOBBERS_RAX, 2

PV_CALLEE_SAVE_FUNC native_restore_fl
	pushq	%rdi
	popfq
body_end native_restore_fl, PV_CLOBBERS_NONE, 2

PV_CALLEE_SAVE_FUNC native_irq_disable
	cli
body_end native_irq_disable, PV_CLOBBERS_NONE, 1

PV_CALLEE_SAVE_FUNC native_irq_enable
	sti
body_end native_irq_enable, PV_CLOBBERS_NONE, 1

/* sti takes effect after the next instruction, so no interrupt slips in. */
PV_FUNC native_safe_halt
	sti
	hlt
body_end native_safe_halt, PV_CLOBBERS_NONE, 2

PV_FUNC native_halt
	hlt
body_end native_halt, PV_CLOBBERS_NONE, 1

/* The hardware walks the tables itself: an entry is a plain store. */
PV_FUNC native_set_pte
	movq	%rsi, (%rdi)
body_end native_set_pte, PV_CLOBBERS_NONE, 1

/* Reloading CR3 drops every non-global TLB entry. */
PV_FUNC native_flush_tlb_local
	movq	%cr3, %rax
	movq	%rax, %cr3
body_end native_flush_tlb_local, PV_CLOBBERS_RAX, 2

PV_FUNC native_flush_tlb_one
	invlpg	(%rdi)
body_end native_flush_tlb_one, PV_CLOBBERS_NONE, 1

/* Natively an entry's value is its bits. */
PV_CALLEE_SAVE_FUNC native_pte_identity
	movq	%rdi, %rax
body_end native_pte_identity, PV_CLOBBERS_RAX, 1

PV_FUNC native_inb
	movl	%edi, %edx
	inb	%dx, %al
body_end native_inb, PV_CLOBBERS_NORMAL, 2

PV_FUNC native_inw
	movl	%edi, %edx
	inw	%dx, %ax
body_end native_inw, PV_CLOBBERS_NORMAL, 2

PV_FUNC native_inl
	movl	%edi, %edx
	inl	%dx, %eax
body_end native_inl, PV_CLOBBERS_NORMAL, 2

PV_FUNC native_outb
	movl	%edi, %eax
	movl	%esi, %edx
	outb	%al, %dx
body_end native_outb, PV_CLOBBERS_NORMAL, 3

PV_FUNC native_outw
	movl	%edi, %eax
	movl	%esi, %edx
	outw	%ax, %dx
body_end native_outw, PV_CLOBBERS_NORMAL, 3

PV_FUNC native_outl
	movl	%edi, %eax
	movl	%esi, %edx
	outl	%eax, %dx
body_end native_outl, PV_CLOBBERS_NORMAL, 3

/* The designated no-op: sites of an op pointing here become NOPs. */
PV_FUNC pv_nop
	ret
	.size	pv_nop, . - pv_nop

/* No hypervisor to call: -ENOSYS. */
PV_FUNC native_hypercall
	movq	$-38, %rax
	ret
	.size	native_hypercall, . - native_hypercall
