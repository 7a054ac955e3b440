// SPDX-License-Identifier: GPL-2.0
/*
 * Which hypervisor is underneath, from the CPUID 0x40000000 range. Each
 * 0x100-leaf slot may hold a signature; a slot only counts when its max
 * leaf lies inside it (TCG returns junk above its own slot). Xen and KVM
 * win over signatures they may also expose for compatibility (Hyper-V).
 */
#include <asm/hypervisor.h>
#include <asm/pv/ops.h>
#include <proteus/string.h>

struct hypervisor_info hypervisor;

static const struct {
	const char *sig;
	enum hypervisor_type type;
	int rank;
} known[] = {
	{ "XenVMMXenVMM", HYPERVISOR_XEN, 3 },
	{ "KVMKVMKVM\0\0\0", HYPERVISOR_KVM, 3 },
	{ "TCGTCGTCGTCG", HYPERVISOR_TCG, 2 },
	{ "Microsoft Hv", HYPERVISOR_OTHER, 1 },
	{ "VMwareVMware", HYPERVISOR_OTHER, 1 },
};

static int classify(const char sig[12], enum hypervisor_type *type)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(known); i++) {
		if (!memcmp(sig, known[i].sig, 12)) {
			*type = known[i].type;
			return known[i].rank;
		}
	}
	*type = HYPERVISOR_OTHER;
	return 0;
}

static void scan_leaves(void)
{
	int best = -1;
	u32 base;

	for (base = 0x40000000; base < 0x40010000; base += 0x100) {
		struct cpuid_regs r;
		enum hypervisor_type type;
		char sig[12];
		int rank;

		cpuid(base, &r);
		if (r.eax < base || r.eax - base >= 0x100)
			continue;
		memcpy(sig, &r.ebx, 4);
		memcpy(sig + 4, &r.ecx, 4);
		memcpy(sig + 8, &r.edx, 4);
		rank = classify(sig, &type);
		if (rank <= best)
			continue;
		best = rank;
		hypervisor.type = type;
		hypervisor.base = base;
		hypervisor.max_leaf = r.eax;
		memcpy(hypervisor.signature, sig, 12);
	}
}

void hypervisor_detect(void)
{
	struct cpuid_regs r;

	/* Under Xen PV the cpuid op already answers with Xen's policy. */
	cpuid(1, &r);
	if (!(r.ecx & CPUID_1_ECX_HYPERVISOR)) {
		hypervisor.type = HYPERVISOR_NONE;
		return;
	}
	hypervisor.type = HYPERVISOR_OTHER;
	scan_leaves();
}

const char *hypervisor_name(void)
{
	static const char *const names[] = {
		[HYPERVISOR_NONE] = "none",
		[HYPERVISOR_KVM] = "kvm",
		[HYPERVISOR_XEN] = "xen",
		[HYPERVISOR_TCG] = "tcg",
		[HYPERVISOR_OTHER] = "other",
	};

	return names[hypervisor.type];
}

/*
 * Intel's VMX exits on vmcall, AMD's SVM on vmmcall; the other one is #UD
 * unless the hypervisor emulates it. AuthenticAMD and HygonGenuine are
 * told apart by CPUID 0's ebx: "Auth" and "Hygo".
 */
void (*hypervisor_hypercall_insn(void))(void)
{
	struct cpuid_regs r;

	cpuid(0, &r);
	return (r.ebx == 0x68747541 || r.ebx == 0x6f677948) ?
	       hypercall_vmmcall : hypercall_vmcall;
}
