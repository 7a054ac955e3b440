// SPDX-License-Identifier: GPL-2.0
/*
 * Issuing a hypercall: number in rax, arguments in rdi, rsi, rdx, r10, r8
 * (xen/arch-x86/xen-x86_64.h), through the hypercall op's site, which may
 * clobber what a C call may: Xen may clobber the argument registers, and
 * syscall clobbers rcx and r11. We issue
 * the instruction ourselves rather than call a Xen-written hypercall page:
 * executing hypervisor-written code defeats speculation protections.
 */
#include <asm/pv/ops.h>
#include "xen.h"

long xen_hypercall(unsigned int nr, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5)
{
	register u64 rdi __asm__("rdi") = a1;
	register u64 rsi __asm__("rsi") = a2;
	register u64 rdx __asm__("rdx") = a3;
	register u64 r10 __asm__("r10") = a4;
	register u64 r8 __asm__("r8") = a5;
	long ret = nr;

	__asm__ __volatile__(PV_SITE(PV_CLOBBERS_NORMAL)
			     : "+a"(ret), "+r"(rdi), "+r"(rsi), "+r"(rdx),
			       "+r"(r10), "+r"(r8), ASM_CALL_CONSTRAINT
			     : PV_SITE_INPUTS(hypercall)
			     : "rcx", "r9", "r11", "memory", "cc");
	return ret;
}
