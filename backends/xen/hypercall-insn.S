/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Xen PV hypercall instruction as an op: a PV kernel runs in ring 3
 * and enters Xen with syscall. The caller has loaded rax and the argument
 * registers; syscall writes rcx and r11, so the body is C-ABI class. It is
 * also the inline body the patcher puts at the sites. (HVM/PVH guests use
 * vmcall or vmmcall: arch/x86/paravirt/hypercall-insn.S.)
 */
#include <asm/pv/site.h>

PV_FUNC xen_hypercall_syscall
	syscall
1:	ret
	.size	xen_hypercall_syscall, . - xen_hypercall_syscall
	PV_INLINE_BODY xen_hypercall_syscall, 1b, PV_CLOBBERS_NORMAL, 1
