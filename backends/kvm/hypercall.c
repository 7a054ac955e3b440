// SPDX-License-Identifier: GPL-2.0
/*
 * KVM hypercalls (Documentation/virt/kvm/x86/hypercalls.rst): number in
 * rax, up to four arguments in rbx, rcx, rdx and rsi, result in rax. The
 * instruction is the hypercall op's site, patched to vmcall or vmmcall;
 * the site may clobber what a C call may, so rbx survives it and the other
 * argument registers are treated as clobbered.
 */
#include <asm/pv/ops.h>
#include "kvm.h"

long kvm_hypercall(unsigned int nr, u64 a0, u64 a1, u64 a2, u64 a3)
{
	register u64 rcx __asm__("rcx") = a1;
	register u64 rdx __asm__("rdx") = a2;
	register u64 rsi __asm__("rsi") = a3;
	long ret = nr;

	__asm__ __volatile__(PV_SITE(PV_CLOBBERS_NORMAL)
			     : "+a"(ret), "+r"(rcx), "+r"(rdx), "+r"(rsi),
			       ASM_CALL_CONSTRAINT
			     : "b"(a0), PV_SITE_INPUTS(hypercall)
			     : "rdi", "r8", "r9", "r10", "r11", "memory", "cc");
	return ret;
}
