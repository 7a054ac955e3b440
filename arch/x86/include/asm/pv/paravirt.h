/* SPDX-License-Identifier: GPL-2.0 */
/* The patcher as the rest of the kernel sees it. */
#ifndef ASM_PV_PARAVIRT_H
#define ASM_PV_PARAVIRT_H

#include <proteus/types.h>
#include <asm/pv/ops.h>
#include <asm/pv/patch.h>

#define PV_MAX_SITES	2048
#define PV_NR_OPS	(sizeof(struct pv_ops) / sizeof(void *))

struct pv_patch_stats {
	unsigned int kinds[PV_SITE_KINDS];
	u64 patch_ns;
};

extern struct pv_patch_stats pv_stats;
extern bool pv_ops_sealed;
extern const char *pv_seal_skip_reason;

/* Boot: patch every site for the chosen backend, then seal the table. */
void pv_patch_all(const char *backend);
void pv_seal_ops(void);

/* Sites, for selftests and the benchmark. */
unsigned int pv_nr_sites(void);
void pv_impl_of(const void *fn, struct pv_impl *impl);
const struct pv_site *pv_site(unsigned int i);
enum pv_site_kind pv_site_kind(unsigned int i);

/*
 * Switch one op to impl at runtime on a live system, sites and table
 * slot alike (arch/x86/paravirt/repatch.c). force_indirect puts the
 * unpatched indirect calls back instead (for A/B measurements).
 */
int pv_repatch(unsigned int op, void *impl, bool force_indirect);
struct pt_regs;
/* The #BP handler's hook: emulate a site that is being re-patched. */
bool pv_bp_emulate(struct pt_regs *regs);
/* Breakpoints handled after their site was already rewritten (repatch.c). */
u64 pv_late_breakpoints(void);

/*
 * Re-patch an op, checked against the op's type: PV_REPATCH takes a
 * function of the op's signature, PV_REPATCH_CALLEE a callee-save op's
 * PV_CALLEE_SAVE() value; each refuses to compile for the other kind.
 */
#define PV_REPATCH(op, impl) ({						\
	_Static_assert(!__builtin_types_compatible_p(__typeof__(pv_ops.op), \
						     struct pv_callee_save), \
		       #op " is callee-save: use PV_REPATCH_CALLEE");	\
	__typeof__(pv_ops.op) __impl = (impl);				\
	pv_repatch(PV_OP_INDEX(op), (void *)__impl, false);		\
})

#define PV_REPATCH_CALLEE(op, cs) ({					\
	_Static_assert(__builtin_types_compatible_p(__typeof__(pv_ops.op), \
						    struct pv_callee_save), \
		       #op " is not callee-save: use PV_REPATCH");	\
	struct pv_callee_save __cs = (cs);				\
	pv_repatch(PV_OP_INDEX(op), (void *)__cs.func, false);		\
})

/* A serializing instruction: code written before it is what runs after. */
static inline void sync_core(void)
{
	struct cpuid_regs r;

	native_cpuid(0, 0, &r);
}

#endif
