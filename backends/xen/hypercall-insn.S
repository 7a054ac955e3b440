/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypercall instruction as an op: the caller has loaded rax and the
 * argument registers; the site runs the instruction. syscall writes rcx
 * and r11 (so its body is C-ABI class); vmcall and vmmcall write nothing.
 * PV guests (ring 3) trap with syscall; HVM/PVH guests use vmcall on Intel
 * and vmmcall on AMD. Each is also the inline body the patcher puts at the
 * sites, so a patched hypercall is the bare instruction.
 */
#include <asm/pv/site.h>

.macro hypercall_insn name
	.text
	.globl	\name
	.type	\name, @function
\name:
.endm

hypercall_insn xen_hypercall_syscall
	syscall
1:	ret
	.size	xen_hypercall_syscall, . - xen_hypercall_syscall
	PV_INLINE_BODY xen_hypercall_syscall, 1b, PV_CLOBBERS_NORMAL

hypercall_insn xen_hypercall_vmcall
	vmcall
1:	ret
	.size	xen_hypercall_vmcall, . - xen_hypercall_vmcall
	PV_INLINE_BODY xen_hypercall_vmcall, 1b, PV_CLOBBERS_NONE

hypercall_insn xen_hypercall_vmmcall
	vmmcall
1:	ret
	.size	xen_hypercall_vmmcall, . - xen_hypercall_vmmcall
	PV_INLINE_BODY xen_hypercall_vmmcall, 1b, PV_CLOBBERS_NONE
