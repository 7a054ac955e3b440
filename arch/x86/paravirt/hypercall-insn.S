/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hardware-virtualization hypercall instructions, as implementations
 * of the hypercall op for KVM and for Xen HVM/PVH guests: vmcall on Intel,
 * vmmcall on AMD and Hygon (hypervisor_hypercall_insn() picks). The caller
 * has loaded rax and the argument registers; the hypervisor writes only
 * rax, so the body clobbers nothing else and the patcher puts the bare
 * 3-byte instruction at each site.
 */
#include <asm/pv/site.h>

PV_FUNC hypercall_vmcall
	vmcall
1:	ret
	.size	hypercall_vmcall, . - hypercall_vmcall
	PV_INLINE_BODY hypercall_vmcall, 1b, PV_CLOBBERS_NONE, 1

PV_FUNC hypercall_vmmcall
	vmmcall
1:	ret
	.size	hypercall_vmmcall, . - hypercall_vmmcall
	PV_INLINE_BODY hypercall_vmmcall, 1b, PV_CLOBBERS_NONE, 1
