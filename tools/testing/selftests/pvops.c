// SPDX-License-Identifier: GPL-2.0
/*
 * The pv ops core: every site holds what the patcher reported, no site is
 * left indirect on the native backend, the ops table is sealed, runtime
 * re-patching switches an op with exact call counts, and the ops keep
 * their meaning (CR3 round trip, a remapped page is seen after
 * flush_tlb_one).
 */
#include <asm/extable.h>
#include <asm/pgtable.h>
#include <asm/ptrace.h>
#include <asm/pv/init.h>
#include <asm/pv/paravirt.h>
#include <proteus/bootinfo.h>
#include <proteus/kernel.h>
#include <proteus/mm.h>
#include <proteus/smp.h>
#include <proteus/spinlock.h>
#include <proteus/selftest.h>
#include <proteus/string.h>

/* Rebuild each site's expected bytes from its kind and current op. */
SELFTEST(pvops, site_bytes_match_report)
{
	unsigned int i, n = pv_nr_sites(), kinds[PV_SITE_KINDS] = { 0 };

	EXPECT(n > 0);
	for (i = 0; i < n; i++) {
		const struct pv_site *s = pv_site(i);
		enum pv_site_kind k = pv_site_kind(i);
		u8 want[PV_MAX_SITE_LEN];
		struct pv_impl impl;

		kinds[k]++;
		if (k == PV_SITE_INDIRECT) {
			pv_build_indirect(want, s->addr,
					  (u64)(uintptr_t)((void **)&pv_ops + s->op));
		} else {
			pv_impl_of(((void **)&pv_ops)[s->op], &impl);
			EXPECT_EQ(pv_build_site(want, s->addr, s->len, s->clobbers, &impl), k);
		}
		if (memcmp((const void *)(uintptr_t)s->addr, want, s->len)) {
			printk("# site %u at %#llx (op %u) differs from its %d form\n",
			       i, (unsigned long long)s->addr, s->op, k);
			return TEST_FAIL;
		}
	}
	for (i = 0; i < PV_SITE_KINDS; i++)
		EXPECT_EQ(kinds[i], pv_stats.kinds[i]);
	return TEST_PASS;
}

SELFTEST(pvops, native_backend_leaves_no_indirect_site)
{
	if (strcmp(pv_backend->name, "native"))
		return skip("not the native backend");
	EXPECT_EQ(pv_stats.kinds[PV_SITE_INDIRECT], 0);
	EXPECT(pv_stats.kinds[PV_SITE_INLINE] > 0);
	return TEST_PASS;
}

SELFTEST(pvops, ops_table_write_faults)
{
	volatile u64 *slot = (volatile u64 *)&pv_ops.probe;
	u64 before = last_fault.count, v;

	if (!pv_ops_sealed)
		return skip(pv_seal_skip_reason);
	v = *slot;
	__asm__ __volatile__("1: movq %1, (%0)\n"
			     "2:\n"
			     _ASM_EXTABLE(1b, 2b)
			     :: "r"(slot), "r"(v) : "memory");
	EXPECT_EQ(last_fault.count, before + 1);
	EXPECT_EQ(last_fault.vector, X86_TRAP_PF);
	EXPECT(last_fault.error_code & X86_PF_WRITE);
	return TEST_PASS;
}

static u64 probe_calls[2];

static void probe_a(void)
{
	probe_calls[0]++;
}

static void probe_b(void)
{
	probe_calls[1]++;
}

/* Flip the probe op back and forth; every call lands in exactly one. */
SELFTEST(pvops, repatch_exact_counts)
{
	unsigned int round, i, calls = 0;

	probe_calls[0] = probe_calls[1] = 0;
	for (round = 0; round < 200; round++) {
		EXPECT_EQ(PV_REPATCH(probe, round & 1 ? probe_b : probe_a), 0);
		for (i = 0; i < 5; i++, calls++)
			pv_probe();
	}
	EXPECT_EQ(probe_calls[0], 500);
	EXPECT_EQ(probe_calls[1], 500);
	EXPECT_EQ(PV_REPATCH(probe, pv_nop), 0);
	pv_probe();
	EXPECT_EQ(probe_calls[0] + probe_calls[1], calls);
	return TEST_PASS;
}

SELFTEST(pvops, cr3_round_trip)
{
	u64 cr3;

	if (boot_info.path == BOOT_XEN_PV)
		return skip("Xen PV switches address space with MMUEXT_NEW_BASEPTR (Xen backend issue)");
	cr3 = read_cr3();
	write_cr3(cr3);
	EXPECT_EQ(read_cr3(), cr3);
	return TEST_PASS;
}

/* A scratch VA nothing else uses, mapped to one frame then another. */
#define SCRATCH_VA	0x0000500000000000ULL

SELFTEST(pvops, flush_tlb_one_shows_remap)
{
	u64 *root, *pte;
	phys_addr_t a, b;
	int level;

	if (!wx_enforced)
		return skip(wx_skip_reason);
	root = current_root();
	a = alloc_pages(0);
	b = alloc_pages(0);
	EXPECT(a && b);
	*(volatile u64 *)phys_to_virt(a) = 0xaaaa;
	*(volatile u64 *)phys_to_virt(b) = 0xbbbb;
	pgtable_map(root, SCRATCH_VA, a, PAGE_SIZE, _PAGE_PRESENT | _PAGE_RW, false);
	flush_tlb_one(SCRATCH_VA);
	EXPECT_EQ(*(volatile u64 *)SCRATCH_VA, 0xaaaa);
	pte = pgtable_lookup(root, SCRATCH_VA, &level);
	EXPECT(pte && level == 1);
	set_pte(pte, b | _PAGE_PRESENT | _PAGE_RW);
	flush_tlb_one(SCRATCH_VA);
	EXPECT_EQ(*(volatile u64 *)SCRATCH_VA, 0xbbbb);
	pgtable_unmap(root, SCRATCH_VA, PAGE_SIZE, cpu_online_mask);
	free_pages(a, 0);
	free_pages(b, 0);
	return TEST_PASS;
}

/*
 * The re-patch storm: the other CPUs call the probe op in a loop (serving
 * the patcher's IPIs as they go) while this CPU flips it between two
 * implementations thousands of times. Every call must land in exactly one
 * of them: their counts add up to the loops run.
 */
#define STORM_FLIPS	2000
/*
 * ...or fewer when they take longer than this: each flip waits for every
 * other CPU three times, and on a loaded host with more vCPUs than cores
 * each wait takes a host timeslice, which would make the storm outlast
 * the boot's timeout. At least STORM_MIN_FLIPS run.
 */
#define STORM_BUDGET_NS	(5 * NSEC_PER_SEC)
#define STORM_MIN_FLIPS	100

static u64 storm_hits[MAX_CPUS][2];
static u64 storm_loops[MAX_CPUS];
static volatile bool storm_stop;
static u32 storm_running;

static void storm_a(void)
{
	storm_hits[smp_processor_id()][0]++;
}

static void storm_b(void)
{
	storm_hits[smp_processor_id()][1]++;
}

static void storm_worker(void *unused)
{
	unsigned int cpu = smp_processor_id();

	__atomic_add_fetch(&storm_running, 1, __ATOMIC_ACQ_REL);
	while (!storm_stop) {
		pv_probe();
		storm_loops[cpu]++;
		smp_call_function_interrupt();
	}
	__atomic_sub_fetch(&storm_running, 1, __ATOMIC_ACQ_REL);
}

SELFTEST(pvops, repatch_storm_smp)
{
	unsigned int cpu, i, others = nr_cpus_online() - 1;
	u64 hits[2] = { 0, 0 }, loops = 0, spins = 0, end;

	if (!others)
		return skip("needs at least 2 CPUs online");
	memset(storm_hits, 0, sizeof(storm_hits));
	memset(storm_loops, 0, sizeof(storm_loops));
	storm_stop = false;
	EXPECT_EQ(PV_REPATCH(probe, storm_a), 0);
	smp_call_function(storm_worker, NULL, false);
	while (__atomic_load_n(&storm_running, __ATOMIC_ACQUIRE) < others &&
	       ++spins < 100000000)
		cpu_relax();
	EXPECT_EQ(storm_running, others);
	end = tsc_deadline(STORM_BUDGET_NS);
	for (i = 0; i < STORM_FLIPS && (i < STORM_MIN_FLIPS || !tsc_passed(end)); i++)
		EXPECT_EQ(PV_REPATCH(probe, i & 1 ? storm_a : storm_b), 0);
	storm_stop = true;
	while (__atomic_load_n(&storm_running, __ATOMIC_ACQUIRE))
		cpu_relax();
	EXPECT_EQ(PV_REPATCH(probe, pv_nop), 0);
	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		hits[0] += storm_hits[cpu][0];
		hits[1] += storm_hits[cpu][1];
		loops += storm_loops[cpu];
	}
	printk("# %u flips, %llu calls on %u CPUs: %llu to a, %llu to b; %llu late breakpoints\n",
	       i, loops, others, hits[0], hits[1],
	       (unsigned long long)pv_late_breakpoints());
	EXPECT_EQ(hits[0] + hits[1], loops);
	EXPECT(loops >= i);
	EXPECT(hits[0] && hits[1]);
	return TEST_PASS;
}

/*
 * The page-table hooks fire once per table: mapping one page in an empty
 * top-level slot makes three tables, unmapping it gives all three back.
 */
#define HOOK_VA		0x0000600000000000ULL

static unsigned int pt_allocs, pt_releases;

static void count_alloc_pt(phys_addr_t pa, int level)
{
	pt_allocs++;
}

static void count_release_pt(phys_addr_t pa, int level)
{
	pt_releases++;
}

SELFTEST(pvops, page_table_hooks)
{
	void *alloc = pv_ops.mmu.alloc_pt, *release = pv_ops.mmu.release_pt;
	unsigned int allocs, releases;
	u64 *root;
	phys_addr_t pa;

	if (!wx_enforced)
		return skip(wx_skip_reason);
	root = current_root();
	pa = alloc_pages(0);
	EXPECT(pa != 0);
	*(volatile u64 *)phys_to_virt(pa) = 0x5eed;
	EXPECT_EQ(PV_REPATCH(mmu.alloc_pt, count_alloc_pt), 0);
	EXPECT_EQ(PV_REPATCH(mmu.release_pt, count_release_pt), 0);
	/* Re-patching maps tables of its own: count only ours. */
	pt_allocs = pt_releases = 0;
	pgtable_map(root, HOOK_VA, pa, PAGE_SIZE, _PAGE_PRESENT | nx_bit(), false);
	EXPECT_EQ(*(volatile u64 *)HOOK_VA, 0x5eed);
	pgtable_unmap(root, HOOK_VA, PAGE_SIZE, cpu_online_mask);
	allocs = pt_allocs;
	releases = pt_releases;
	EXPECT_EQ(PV_REPATCH(mmu.alloc_pt, alloc), 0);
	EXPECT_EQ(PV_REPATCH(mmu.release_pt, release), 0);
	free_pages(pa, 0);
	EXPECT_EQ(allocs, 3);
	EXPECT_EQ(releases, 3);
	return TEST_PASS;
}

/* Entry values and entries convert both ways without loss. */
SELFTEST(pvops, pte_value_round_trip)
{
	static const u64 vals[] = { 0, 0x1000 | _PAGE_PRESENT,
				    0x7fff000 | _PAGE_PRESENT | _PAGE_RW | _PAGE_NX };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		EXPECT_EQ(pte_val(make_pte(vals[i])), vals[i]);
		EXPECT_EQ(make_pte(pte_val(vals[i])), vals[i]);
	}
	return TEST_PASS;
}

/*
 * Every member of pv_ops is an op that core code reaches through a
 * patched site; a hook called through a plain pointer belongs in pv_init
 * (asm/pv/init.h). An op without a single recorded site is such a hook,
 * or a wrapper nobody calls yet: these few are listed, and leave the list
 * with their first caller (the test fails while one is still listed).
 */
static const unsigned int ops_without_caller[] = {
	PV_OP_INDEX(cpu.write_cr0), PV_OP_INDEX(cpu.wbinvd),
	PV_OP_INDEX(cpu.io_delay), PV_OP_INDEX(io.inw), PV_OP_INDEX(io.inl),
	PV_OP_INDEX(io.outw), PV_OP_INDEX(io.outl), PV_OP_INDEX(io.unmap_mmio),
	PV_OP_INDEX(io.dma_addr),
};

static bool listed_without_caller(unsigned int op)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops_without_caller); i++)
		if (ops_without_caller[i] == op)
			return true;
	return false;
}

SELFTEST(pvops, every_op_has_a_site)
{
	unsigned int sites[PV_NR_OPS] = { 0 };
	unsigned int i, n = pv_nr_sites(), bad = 0;

	for (i = 0; i < n; i++) {
		EXPECT(pv_site(i)->op < PV_NR_OPS);
		sites[pv_site(i)->op]++;
	}
	for (i = 0; i < PV_NR_OPS; i++) {
		if (!sites[i] && !listed_without_caller(i)) {
			printk("# pv_ops slot %u has no call site: a raw-pointer hook? (pv_init)\n", i);
			bad++;
		}
		if (sites[i] && listed_without_caller(i)) {
			printk("# pv_ops slot %u has %u sites: drop it from ops_without_caller\n",
			       i, sites[i]);
			bad++;
		}
	}
	EXPECT_EQ(bad, 0);
	return TEST_PASS;
}

/* The boot hooks share the sealed pages: once sealed, a store faults. */
SELFTEST(pvops, init_hooks_sealed)
{
	volatile u64 *slot = (volatile u64 *)&pv_init.cpu_count;
	u64 before = last_fault.count, v;

	if (!pv_ops_sealed)
		return skip(pv_seal_skip_reason);
	v = *slot;
	__asm__ __volatile__("1: movq %1, (%0)\n"
			     "2:\n"
			     _ASM_EXTABLE(1b, 2b)
			     :: "r"(slot), "r"(v) : "memory");
	EXPECT_EQ(last_fault.count, before + 1);
	EXPECT(last_fault.error_code & X86_PF_WRITE);
	return TEST_PASS;
}

/*
 * A C function as a callee-save op, through its thunk: it changes every
 * register a C function may, and the caller of the site must see none of
 * them change but %rax.
 */
#define CR2_MAGIC	0xc2c2c2c2c2c2c2c2ULL

u64 pvops_test_cr2(void);
u64 pvops_test_cr2(void)
{
	__asm__ __volatile__("xorl %%ecx, %%ecx\n\txorl %%edx, %%edx\n\t"
			     "xorl %%esi, %%esi\n\txorl %%edi, %%edi\n\t"
			     "xorl %%r8d, %%r8d\n\txorl %%r9d, %%r9d\n\t"
			     "xorl %%r10d, %%r10d\n\txorl %%r11d, %%r11d"
			     ::: "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11");
	return CR2_MAGIC;
}
PV_CALLEE_SAVE_THUNK(pvops_test_cr2);

/* A read_cr2 site with a known value in each register it must keep. */
static u64 read_cr2_keeping(bool *kept)
{
	register u64 rcx __asm__("rcx") = 0x1c, rdx __asm__("rdx") = 0x2d;
	register u64 rsi __asm__("rsi") = 0x3e, rdi __asm__("rdi") = 0x4f;
	register u64 r8 __asm__("r8") = 0x58, r9 __asm__("r9") = 0x69;
	register u64 r10 __asm__("r10") = 0x7a, r11 __asm__("r11") = 0x8b;
	u64 ret;

	__asm__ __volatile__(PV_SITE(PV_CLOBBERS_RAX)
			     : "=a"(ret), "+r"(rcx), "+r"(rdx), "+r"(rsi),
			       "+r"(rdi), "+r"(r8), "+r"(r9), "+r"(r10), "+r"(r11),
			       ASM_CALL_CONSTRAINT
			     : PV_SITE_INPUTS(cpu.read_cr2)
			     : "memory", "cc");
	*kept = rcx == 0x1c && rdx == 0x2d && rsi == 0x3e && rdi == 0x4f &&
		r8 == 0x58 && r9 == 0x69 && r10 == 0x7a && r11 == 0x8b;
	return ret;
}

SELFTEST(pvops, callee_save_repatch_keeps_registers)
{
	struct pv_callee_save saved = pv_ops.cpu.read_cr2;
	bool kept;
	u64 v;

	EXPECT_EQ(PV_REPATCH_CALLEE(cpu.read_cr2, PV_CALLEE_SAVE(pvops_test_cr2)), 0);
	v = read_cr2_keeping(&kept);
	EXPECT_EQ(PV_REPATCH_CALLEE(cpu.read_cr2, saved), 0);
	EXPECT_EQ(v, CR2_MAGIC);
	EXPECT(kept);
	return TEST_PASS;
}
