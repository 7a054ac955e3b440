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
	unsigned int bad_reported;	/* sites refused: not holding their call */
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

#define PV_REPATCH_EINVAL	(-1)
#define PV_REPATCH_EMULTI	(-2)

/**
 * pv_repatch() - switch one op to another implementation on a live system
 * @op: the op's index in pv_ops (PV_OP_INDEX)
 * @impl: the new implementation
 * @force_indirect: put the unpatched indirect calls back instead (for
 *	A/B measurements)
 *
 * Sites and table slot alike (arch/x86/paravirt/repatch.c). With other
 * CPUs online an inline body of several instructions is called, not
 * inlined.
 *
 * Return: 0; PV_REPATCH_EINVAL for an op out of range or a NULL @impl;
 * PV_REPATCH_EMULTI, nothing changed, when other CPUs are online and the
 * op's sites hold an inline body of several instructions (inlined at
 * boot): a CPU stopped between two of them could not be moved out of the
 * site safely.
 */
int pv_repatch(unsigned int op, void *impl, bool force_indirect);
struct pt_regs;
/*
 * The re-patch protocol's hook in the serializing IPI and the stop-machine
 * rendezvous: a CPU interrupted (regs) inside the leading NOPs of a site
 * being re-patched resumes at the site's start instead.
 */
void pv_repatch_rewind(struct pt_regs *regs);
/* How many interrupted CPUs pv_repatch_rewind moved (repatch.c). */
u64 pv_repatch_rewinds(void);
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

/*
 * The patcher's steps, for selftests (tools/testing/selftests/pvops.c,
 * wx.c); the boot patcher, re-patching and sealing use exactly these.
 *
 * pv_patch_site: patch one site as boot does. A site that does not hold
 * the indirect call its record describes is reported, left untouched and
 * counted indirect (*bad set). Writes go through pv_writable(), so the
 * caller brackets it with pv_alias_map() and pv_alias_unmap().
 *
 * pv_writable: where to write the kernel byte at addr: the writable alias
 * while it is mapped (read-write, non-executable), else addr itself (no
 * W^X). pv_alias_unmap() removes the alias and flushes it from this CPU.
 *
 * pv_make_readonly: clear the write bit of the 4 KiB pages in [start,
 * end) and flush each from this CPU's TLB (how pv_seal_ops seals).
 */
enum pv_site_kind pv_patch_site(const struct pv_site *s, bool *bad);
u8 *pv_writable(u64 addr);
void pv_alias_map(void);
void pv_alias_unmap(void);
void pv_make_readonly(u64 start, u64 end);

/*
 * Test hook: when set, re-patching calls it after every write to a site
 * (a pass of the breakpoint protocol, or the whole site under
 * stop_machine), with the site's index, so that a selftest can record the
 * order of the protocol's steps. NULL outside tests; it runs with the
 * re-patch in progress, so it must only read and record.
 */
extern void (*pv_repatch_observer)(unsigned int site);

/* A serializing instruction: code written before it is what runs after. */
static inline void sync_core(void)
{
	struct cpuid_regs r;

	native_cpuid(0, 0, &r);
}

#endif
