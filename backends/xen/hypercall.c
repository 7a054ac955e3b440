// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercall issue. Arguments go in rdi, rsi, rdx, r10, r8 and the number in
 * rax (xen/arch-x86/xen-x86_64.h); Xen may clobber the argument registers,
 * and syscall clobbers rcx and r11.
 */
#include <asm/processor.h>
#include "xen.h"

enum xen_hypercall_insn xen_hc_insn = XEN_HC_SYSCALL;

long xen_hypercall(unsigned int nr, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5)
{
	register u64 rdi __asm__("rdi") = a1;
	register u64 rsi __asm__("rsi") = a2;
	register u64 rdx __asm__("rdx") = a3;
	register u64 r10 __asm__("r10") = a4;
	register u64 r8 __asm__("r8") = a5;
	long ret = nr;

	switch (xen_hc_insn) {
	case XEN_HC_SYSCALL:
		__asm__ __volatile__("syscall"
				     : "+a"(ret), "+r"(rdi), "+r"(rsi), "+r"(rdx),
				       "+r"(r10), "+r"(r8)
				     :: "rcx", "r11", "memory");
		break;
	case XEN_HC_VMCALL:
		__asm__ __volatile__("vmcall"
				     : "+a"(ret), "+r"(rdi), "+r"(rsi), "+r"(rdx),
				       "+r"(r10), "+r"(r8)
				     :: "memory");
		break;
	case XEN_HC_VMMCALL:
		__asm__ __volatile__("vmmcall"
				     : "+a"(ret), "+r"(rdi), "+r"(rsi), "+r"(rdx),
				       "+r"(r10), "+r"(r8)
				     :: "memory");
		break;
	}
	return ret;
}

/* HVM/PVH: the instruction follows the CPU vendor (AMD and Hygon: vmmcall). */
void xen_select_hypercall_insn_hvm(void)
{
	struct cpuid_regs r;

	native_cpuid(0, 0, &r);
	/* "AuthenticAMD" and "HygonGenuine" both have ebx "Auth"/"Hygo". */
	xen_hc_insn = (r.ebx == 0x68747541 || r.ebx == 0x6f677948) ?
		      XEN_HC_VMMCALL : XEN_HC_VMCALL;
}
