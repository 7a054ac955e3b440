// SPDX-License-Identifier: GPL-2.0
/*
 * Lazy MMU sections (the lazy_mmu_enter/leave ops): on every backend the
 * updates made in a section are all applied when it ends, another mmu op
 * in the section applies them first, and an interrupt handler's set_pte
 * acts at once. Under Xen PV the section really defers: the entries keep
 * their old values until the end, and N updates cost one multicall (one
 * more per full batch) instead of N mmu_update hypercalls.
 */
#include <asm/irq.h>
#include <asm/pgtable.h>
#include <asm/pv/ops.h>
#include <proteus/bootinfo.h>
#include <proteus/cpumask.h>
#include <proteus/mm.h>
#include <proteus/selftest.h>
#include <proteus/smp.h>
#include "../../../backends/xen/mmu-pv.h"

#define LAZY_VA		0x0000531000000000ULL	/* 2 MiB aligned: one level-1 table */
#define NR_PTES		(XEN_LAZY_MMU_BATCH + 8)
#define MARK_A		0xa1a1a1a1ULL
#define MARK_B		0xb2b2b2b2ULL

struct lazy_pages {
	phys_addr_t a, b;
	u64 *pte[NR_PTES];
	u64 flags;
};

/* NR_PTES pages at LAZY_VA, all mapping page a; page b ready to swap in. */
static bool map_pages(struct lazy_pages *p)
{
	int level;
	unsigned int i;

	p->flags = _PAGE_PRESENT | _PAGE_RW | nx_bit();
	p->a = alloc_pages(0);
	p->b = alloc_pages(0);
	if (!p->a || !p->b)
		return false;
	*(volatile u64 *)phys_to_virt(p->a) = MARK_A;
	*(volatile u64 *)phys_to_virt(p->b) = MARK_B;
	for (i = 0; i < NR_PTES; i++)
		pgtable_map(current_root(), LAZY_VA + i * PAGE_SIZE, p->a, PAGE_SIZE,
			    p->flags, false);
	for (i = 0; i < NR_PTES; i++) {
		p->pte[i] = pgtable_lookup(current_root(), LAZY_VA + i * PAGE_SIZE, &level);
		if (!p->pte[i] || level != 1)
			return false;
	}
	return true;
}

static void unmap_pages(struct lazy_pages *p)
{
	pgtable_unmap(current_root(), LAZY_VA, NR_PTES * PAGE_SIZE, cpu_online_mask);
	if (p->a)
		free_pages(p->a, 0);
	if (p->b)
		free_pages(p->b, 0);
}

/* How many of the first n entries map page pa, read from the tables. */
static unsigned int entries_mapping(const struct lazy_pages *p, unsigned int n,
				    phys_addr_t pa)
{
	unsigned int i, k = 0;

	for (i = 0; i < n; i++)
		k += (pte_val(*p->pte[i]) & PTE_ADDR_MASK) == pa;
	return k;
}

/* How many of the first n pages read page b's mark through their mapping. */
static unsigned int pages_reading_b(unsigned int n)
{
	unsigned int i, k = 0;
	u64 v;

	for (i = 0; i < n; i++)
		k += probe_read_u64(LAZY_VA + i * PAGE_SIZE, &v) && v == MARK_B;
	return k;
}

SELFTEST(lazy_mmu, all_applied_by_leave)
{
	struct lazy_pages p;
	unsigned int i, mapped, reading;
	bool ok = map_pages(&p);

	if (ok) {
		lazy_mmu_enter();
		for (i = 0; i < NR_PTES; i++)
			set_pte(p.pte[i], make_pte(p.b | p.flags));
		lazy_mmu_leave();
		flush_tlb_local();
	}
	mapped = ok ? entries_mapping(&p, NR_PTES, p.b) : 0;
	reading = ok ? pages_reading_b(NR_PTES) : 0;
	unmap_pages(&p);
	EXPECT(ok);
	EXPECT_EQ(mapped, NR_PTES);
	EXPECT_EQ(reading, NR_PTES);
	return TEST_PASS;
}

/* A TLB flush inside the section applies the queue first: the page is seen. */
SELFTEST(lazy_mmu, other_op_applies_queue_first)
{
	struct lazy_pages p;
	u64 seen = 0;
	bool ok = map_pages(&p);

	if (ok) {
		lazy_mmu_enter();
		set_pte(p.pte[0], make_pte(p.b | p.flags));
		flush_tlb_one(LAZY_VA);
		probe_read_u64(LAZY_VA, &seen);
		lazy_mmu_leave();
	}
	unmap_pages(&p);
	EXPECT(ok);
	EXPECT_EQ(seen, MARK_B);
	return TEST_PASS;
}

static struct {
	u64 *queued, *own;
	phys_addr_t b;
	u64 flags;
	u64 queued_seen, own_seen;
	int done;
} handler_case;

/*
 * In the handler: its own update is applied at once, and after the ones
 * the interrupted section queued before it (those are applied too).
 */
static void lazy_ipi_handler(struct pt_regs *regs)
{
	set_pte(handler_case.own, make_pte(handler_case.b | handler_case.flags));
	handler_case.own_seen = pte_val(*handler_case.own) & PTE_ADDR_MASK;
	handler_case.queued_seen = pte_val(*handler_case.queued) & PTE_ADDR_MASK;
	__atomic_store_n(&handler_case.done, 1, __ATOMIC_RELEASE);
}

SELFTEST(lazy_mmu, irq_handler_not_deferred)
{
	struct lazy_pages p;
	u64 end, flags;
	bool ok = map_pages(&p);
	int v = irq_alloc_vector(lazy_ipi_handler);

	handler_case = (typeof(handler_case)){ .done = 0 };
	if (ok && v >= 0) {
		handler_case.queued = p.pte[0];
		handler_case.own = p.pte[1];
		handler_case.b = p.b;
		handler_case.flags = p.flags;
		flags = irq_save();
		lazy_mmu_enter();
		set_pte(p.pte[0], make_pte(p.b | p.flags));
		send_ipi(smp_processor_id(), (unsigned int)v);
		irq_enable();
		end = tsc_deadline(WAIT_NS);
		while (!__atomic_load_n(&handler_case.done, __ATOMIC_ACQUIRE) &&
		       !tsc_passed(end))
			cpu_relax();
		irq_disable();
		lazy_mmu_leave();
		restore_flags(flags);
	}
	if (v >= 0)
		irq_free_vector((unsigned int)v);
	unmap_pages(&p);
	EXPECT(ok);
	EXPECT(v >= 0);
	EXPECT_EQ(handler_case.done, 1);
	EXPECT_EQ(handler_case.queued_seen, p.b);
	EXPECT_EQ(handler_case.own_seen, p.b);
	return TEST_PASS;
}

/* Calls made and entries changed by n set_pte, in a section or not. */
struct batch_run {
	u64 updates, multicalls;	/* hypercalls for the run */
	u64 early_calls;		/* hypercalls before the section ended */
	unsigned int applied_early;	/* entries changed before it ended */
	unsigned int applied;		/* entries changed after it */
};

static void run_batch(struct lazy_pages *p, phys_addr_t to, bool lazy,
		      struct batch_run *r)
{
	struct xen_mmu_calls c0 = xen_mmu_calls, c1;
	u64 flags = irq_save();
	unsigned int i;

	if (lazy)
		lazy_mmu_enter();
	for (i = 0; i < NR_PTES; i++)
		set_pte(p->pte[i], make_pte(to | p->flags));
	c1 = xen_mmu_calls;
	r->applied_early = entries_mapping(p, NR_PTES, to);
	if (lazy)
		lazy_mmu_leave();
	r->applied = entries_mapping(p, NR_PTES, to);
	restore_flags(flags);
	r->early_calls = c1.mmu_update - c0.mmu_update + c1.multicall - c0.multicall;
	r->updates = xen_mmu_calls.mmu_update - c0.mmu_update;
	r->multicalls = xen_mmu_calls.multicall - c0.multicall;
}

/*
 * NR_PTES updates (a full batch and then some): in a section, the first
 * full batch goes as one multicall when it fills, the rest at the end,
 * nothing else; outside one, one mmu_update each.
 */
SELFTEST(lazy_mmu, xen_pv_one_multicall_per_batch)
{
	struct lazy_pages p;
	struct batch_run plain = { 0 }, lazy = { 0 };
	bool ok;

	if (boot_info.path != BOOT_XEN_PV)
		return skip("not a Xen PV guest: sections defer nothing natively");
	ok = map_pages(&p);
	if (ok) {
		run_batch(&p, p.b, false, &plain);
		run_batch(&p, p.a, true, &lazy);
	}
	unmap_pages(&p);
	printk("# %u updates: %llu mmu_update calls plain; %llu multicalls lazy\n",
	       NR_PTES, (unsigned long long)plain.updates,
	       (unsigned long long)lazy.multicalls);
	EXPECT(ok);
	EXPECT_EQ(plain.updates, NR_PTES);
	EXPECT_EQ(plain.multicalls, 0);
	EXPECT_EQ(plain.applied, NR_PTES);
	EXPECT_EQ(lazy.early_calls, 1);
	EXPECT_EQ(lazy.applied_early, XEN_LAZY_MMU_BATCH);
	EXPECT_EQ(lazy.applied, NR_PTES);
	EXPECT_EQ(lazy.updates, 0);
	EXPECT_EQ(lazy.multicalls, 2);
	return TEST_PASS;
}
