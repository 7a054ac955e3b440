// SPDX-License-Identifier: GPL-2.0
/*
 * The boot-time patcher. Runs once, after the backend has filled pv_ops and
 * before any other CPU starts or interrupts are enabled. Each recorded site
 * must still hold the indirect call its record describes; it then becomes
 * the implementation's inline body, a direct call, or NOPs
 * (arch/x86/paravirt/insn.c decides). A site that does not hold the
 * expected bytes is left alone and counted as indirect: never half-written.
 *
 * Text is written through a temporary writable alias of the kernel image;
 * the image itself stays read-only. Afterwards the ops table's pages are
 * made read-only too: later changes go through pv_repatch().
 */
#include <asm/extable.h>
#include <asm/pgtable.h>
#include <asm/pv/ops.h>
#include <asm/pv/patch.h>
#include <proteus/cpumask.h>
#include <proteus/kallsyms.h>
#include <asm/percpu.h>
#include <proteus/kernel.h>
#include <proteus/mm.h>
#include <proteus/panic.h>
#include <proteus/printk.h>
#include <proteus/string.h>
#include "paravirt.h"

/* A canonical region nothing else maps: the kernel image's writable alias. */
#define KERNEL_ALIAS	0x0000400000000000ULL

extern const struct pv_site __start_pv_sites[], __stop_pv_sites[];
extern const struct pv_body __start_pv_bodies[], __stop_pv_bodies[];
extern char _text[], _end[], __pv_ops_start[], __pv_ops_end[];

struct pv_patch_stats pv_stats;
static u8 site_kind[PV_MAX_SITES];
static bool site_bad[PV_MAX_SITES];
static bool alias_on;
bool pv_ops_sealed;
const char *pv_seal_skip_reason = "not sealed yet";

static u64 kaddr(const void *p)
{
	return (u64)(uintptr_t)p;
}

unsigned int pv_nr_sites(void)
{
	return (unsigned int)(__stop_pv_sites - __start_pv_sites);
}

const struct pv_site *pv_site(unsigned int i)
{
	return &__start_pv_sites[i];
}

enum pv_site_kind pv_site_kind(unsigned int i)
{
	return site_kind[i];
}

bool pv_site_bad(unsigned int i)
{
	return site_bad[i];
}

void pv_set_site_kind(unsigned int i, enum pv_site_kind k)
{
	site_kind[i] = k;
}

void **pv_op_slot(unsigned int op)
{
	return (void **)&pv_ops + op;
}

void pv_impl_of(const void *fn, struct pv_impl *impl)
{
	const struct pv_body *b;

	*impl = (struct pv_impl){ .fn = kaddr(fn), .is_nop = fn == (void *)pv_nop };
	for (b = __start_pv_bodies; b < __stop_pv_bodies; b++) {
		if (b->fn == impl->fn) {
			impl->body = (const u8 *)(uintptr_t)b->fn;
			impl->body_len = b->len;
			impl->body_clobbers = b->clobbers;
			impl->body_insns = b->insns;
			return;
		}
	}
}

/*
 * Where to write kernel bytes: the writable alias while it is mapped.
 * Without W^X (a CPU without NX) the image is written in place.
 */
u8 *pv_writable(u64 addr)
{
	return alias_on ? (u8 *)(uintptr_t)(KERNEL_ALIAS + addr - kaddr(_text)) :
			  (u8 *)(uintptr_t)addr;
}

void pv_alias_map(void)
{
	if (!wx_enforced)
		return;
	pgtable_map(current_root(), KERNEL_ALIAS, kaddr(_text), kaddr(_end) - kaddr(_text),
		    _PAGE_PRESENT | _PAGE_RW | nx_bit(), false);
	alias_on = true;
}

/* Only this CPU ever uses the alias: only it needs to flush. */
void pv_alias_unmap(void)
{
	struct cpumask self = { 0 };

	if (!alias_on)
		return;
	cpumask_set_cpu(smp_processor_id(), &self);
	pgtable_unmap(current_root(), KERNEL_ALIAS, kaddr(_end) - kaddr(_text), &self);
	alias_on = false;
}

/* Whether a site holds the bytes it had when the kernel was linked. */
static bool site_is_pristine(const struct pv_site *s)
{
	return s->op < PV_NR_OPS &&
	       pv_site_holds_call((const u8 *)(uintptr_t)s->addr, s->addr, s->len,
				  kaddr(pv_op_slot(s->op)));
}

static void report_bad_site(const struct pv_site *s)
{
	u64 off;
	const char *sym = kallsyms_lookup(s->addr, &off);

	pr_warn("pv: site at %#llx (%s+%#llx, op %u) does not hold its call; left indirect\n",
		(unsigned long long)s->addr, sym ? sym : "?",
		(unsigned long long)(sym ? off : 0), s->op);
	pv_stats.bad_reported++;
}

enum pv_site_kind pv_patch_site(const struct pv_site *s, bool *bad)
{
	u8 bytes[PV_MAX_SITE_LEN];
	struct pv_impl impl;
	void *fn;
	enum pv_site_kind k;

	*bad = !site_is_pristine(s);
	if (*bad) {
		report_bad_site(s);
		return PV_SITE_INDIRECT;
	}
	fn = *pv_op_slot(s->op);
	if (!fn)
		panic("pv: op %u has no implementation (site %#llx)", s->op,
		      (unsigned long long)s->addr);
	pv_impl_of(fn, &impl);
	if (impl.body && impl.body_clobbers < s->clobbers)
		panic("pv: op %u's implementation clobbers more registers than its site at %#llx allows",
		      s->op, (unsigned long long)s->addr);
	k = pv_build_site(bytes, s->addr, s->len, s->clobbers, &impl);
	if (k != PV_SITE_INDIRECT)
		memcpy(pv_writable(s->addr), bytes, s->len);
	return k;
}

void pv_patch_all(const char *backend)
{
	unsigned int i, n = pv_nr_sites();
	u64 t0 = rdtsc();

	if (n > PV_MAX_SITES)
		panic("pv: %u call sites, more than the %u the patcher tracks",
		      n, PV_MAX_SITES);
	pv_alias_map();
	for (i = 0; i < n; i++) {
		site_kind[i] = pv_patch_site(&__start_pv_sites[i], &site_bad[i]);
		pv_stats.kinds[site_kind[i]]++;
	}
	pv_alias_unmap();
	sync_core();
	pv_stats.patch_ns = tsc_to_ns(rdtsc() - t0);
	printk("pv: backend=%s sites=%u inline=%u direct=%u nop=%u indirect=%u patch_us=%llu\n",
	       backend, n, pv_stats.kinds[PV_SITE_INLINE],
	       pv_stats.kinds[PV_SITE_DIRECT], pv_stats.kinds[PV_SITE_NOP],
	       pv_stats.kinds[PV_SITE_INDIRECT],
	       (unsigned long long)(pv_stats.patch_ns / 1000));
}

void pv_make_readonly(u64 start, u64 end)
{
	u64 va;
	int level;

	for (va = start; va < end; va += PAGE_SIZE) {
		u64 *e = pgtable_lookup(current_root(), va, &level);

		if (!e || level != 1)
			panic("pv: %#llx is not mapped with a 4 KiB page",
			      (unsigned long long)va);
		set_pte(e, *e & ~_PAGE_RW);
		flush_tlb_one(va);
	}
}

/* The table's own pages become read-only: writing pv_ops now faults. */
void pv_seal_ops(void)
{
	if (!wx_enforced) {
		pv_seal_skip_reason = wx_skip_reason;
		return;
	}
	pv_make_readonly(kaddr(__pv_ops_start), kaddr(__pv_ops_end));
	pv_ops_sealed = true;
	pv_seal_skip_reason = NULL;
}
