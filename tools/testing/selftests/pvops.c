// SPDX-License-Identifier: GPL-2.0
/*
 * The pv ops core: every site decodes to what the patcher reported, a
 * site that does not hold its call is refused untouched, no site is left
 * indirect on the native backend, the ops table is sealed, runtime
 * re-patching switches an op with exact call counts (on SMP: repatch.c),
 * and the ops keep their meaning (CR3 switched to another root and back,
 * a remapped page is seen after flush_tlb_one).
 */
#include <asm/extable.h>
#include <asm/pgtable.h>
#include <asm/ptrace.h>
#include <asm/pv/init.h>
#include <asm/pv/native.h>
#include <asm/pv/paravirt.h>
#include <proteus/bootinfo.h>
#include <proteus/kernel.h>
#include <proteus/mm.h>
#include <proteus/smp.h>
#include <proteus/spinlock.h>
#include <proteus/selftest.h>
#include <proteus/string.h>

/*
 * An independent reading of what a site holds, by decoding its bytes (not
 * with pv_build_site, which made them): the few forms a site can take.
 */
extern const struct pv_body __start_pv_bodies[], __stop_pv_bodies[];

static s32 get_s32(const u8 *p)
{
	return (s32)((u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24);
}

/* Length of the NOP at p (90, 66 90, [66|2e]* 0f 1f /0 m), or 0. */
static unsigned int nop_len(const u8 *p, unsigned int room)
{
	unsigned int n = 0, mod, rm;

	if (p[0] == 0x90)
		return 1;
	if (room >= 2 && p[0] == 0x66 && p[1] == 0x90)
		return 2;
	while (n < room && (p[n] == 0x66 || p[n] == 0x2e))
		n++;
	if (n + 3 > room || p[n] != 0x0f || p[n + 1] != 0x1f || (p[n + 2] & 0x38))
		return 0;
	mod = p[n + 2] >> 6;
	rm = p[n + 2] & 7;
	n += 3;
	if (mod == 3)
		return 0;
	if (rm == 4 && n < room && mod == 0 && (p[n] & 7) == 5)
		n += 4;			/* SIB without base: disp32 */
	if (rm == 4)
		n++;			/* SIB */
	if (mod == 0 && rm == 5)
		n += 4;			/* rip + disp32 */
	n += mod == 1 ? 1 : mod == 2 ? 4 : 0;
	return n <= room ? n : 0;
}

static bool all_nops(const u8 *p, unsigned int len)
{
	unsigned int n;

	while (len) {
		n = nop_len(p, len);
		if (!n)
			return false;
		p += n;
		len -= n;
	}
	return true;
}

/* The bytes after the NOPs that lead a site: where its call or body starts. */
static unsigned int lead_len(const u8 *p, unsigned int len)
{
	unsigned int at = 0, n;

	while (at < len && (n = nop_len(p + at, len - at)))
		at += n;
	return at;
}

/* The registered body of the implementation fn, if any. */
static const struct pv_body *body_of(u64 fn)
{
	const struct pv_body *b;

	for (b = __start_pv_bodies; b < __stop_pv_bodies; b++)
		if (b->fn == fn)
			return b;
	return NULL;
}

/*
 * What site s holds, decoded: the kind, and for calls the target (the
 * slot for the indirect call, the function for a direct one). Returns
 * false when the bytes are none of the forms, or a form that contradicts
 * what pv_ops holds for the op.
 */
static bool decode_site(const struct pv_site *s, enum pv_site_kind *kind)
{
	const u8 *p = (const u8 *)(uintptr_t)s->addr;
	u64 impl = (u64)(uintptr_t)((void **)&pv_ops)[s->op];
	u64 slot = (u64)(uintptr_t)((void **)&pv_ops + s->op);
	const struct pv_body *b = body_of(impl);
	u64 end = s->addr + s->len;
	unsigned int lead;

	if (s->len == 6 && p[0] == 0xff && p[1] == 0x15) {
		*kind = PV_SITE_INDIRECT;
		return end + get_s32(p + 2) == slot;
	}
	/* Leading NOPs, then the call or body up to the site's end. */
	lead = lead_len(p, s->len);
	if (lead == s->len) {
		*kind = PV_SITE_NOP;
		return impl == (u64)(uintptr_t)pv_nop;
	}
	if (lead + 5 == s->len && p[lead] == 0xe8) {
		*kind = PV_SITE_DIRECT;
		return end + get_s32(p + lead + 1) == impl;
	}
	*kind = PV_SITE_INLINE;
	return b && lead + b->len == s->len &&
	       !memcmp(p + lead, (const void *)(uintptr_t)impl, b->len);
}

/* Each site decodes to the kind the patcher reported, for the op's implementation. */
SELFTEST(pvops, site_bytes_match_report)
{
	unsigned int i, n = pv_nr_sites(), kinds[PV_SITE_KINDS] = { 0 };

	EXPECT(n > 0);
	for (i = 0; i < n; i++) {
		const struct pv_site *s = pv_site(i);
		enum pv_site_kind k = PV_SITE_KINDS;
		bool ok = decode_site(s, &k);

		if (!ok || k != pv_site_kind(i)) {
			const u8 *p = (const u8 *)(uintptr_t)s->addr;

			printk("# site %u at %#llx (op %u, reported kind %d): %02x %02x %02x %02x %02x %02x decode as kind %d%s\n",
			       i, (unsigned long long)s->addr, s->op, pv_site_kind(i),
			       p[0], p[1], p[2], p[3], p[4], p[5], k,
			       ok ? "" : ", not what pv_ops holds");
			return TEST_FAIL;
		}
		kinds[k]++;
	}
	for (i = 0; i < PV_SITE_KINDS; i++)
		EXPECT_EQ(kinds[i], pv_stats.kinds[i]);
	return TEST_PASS;
}

/*
 * Sites the boot patcher never saw (no .pv_sites record): one holds the
 * probe op's indirect call, the others a call through the wrong slot and
 * that call with an int3 over its first byte. pv_patch_site(), the
 * patcher's own per-site step, must refuse the bad ones untouched.
 */
extern u8 pvtest_site_good[], pvtest_site_other_slot[], pvtest_site_int3[];

static void __used pvtest_sites(void)
{
	__asm__ __volatile__(".pushsection .text\n"
			     "pvtest_site_good:\n\t"
			     "call *%c0(%%rip)\n"
			     "pvtest_site_other_slot:\n\t"
			     "call *%c1(%%rip)\n"
			     "pvtest_site_int3:\n\t"
			     ".byte 0xcc, 0x15\n\t"
			     ".long %c0 - (. + 4)\n\t"
			     "ud2\n"
			     ".popsection\n"
			     :: "i"(&pv_ops.probe), "i"(&pv_ops.hypercall));
}

static enum pv_site_kind patch_test_site(const struct pv_site *s, bool *bad)
{
	enum pv_site_kind k;

	pv_alias_map();
	k = pv_patch_site(s, bad);
	pv_alias_unmap();
	sync_core();
	return k;
}

SELFTEST(pvops, patcher_refuses_bad_site)
{
	struct pv_site bad_sites[] = {
		{ .addr = (u64)(uintptr_t)pvtest_site_other_slot, .len = PV_SITE_LEN },
		{ .addr = (u64)(uintptr_t)pvtest_site_int3, .len = PV_SITE_LEN },
		{ .addr = (u64)(uintptr_t)pvtest_site_good, .len = PV_SITE_LEN - 1 },
	};
	struct pv_site good = { .addr = (u64)(uintptr_t)pvtest_site_good,
				.op = PV_OP_INDEX(probe), .len = PV_SITE_LEN };
	unsigned int i, reported = pv_stats.bad_reported;
	u8 before[PV_SITE_LEN], after[PV_SITE_LEN];
	enum pv_site_kind k;
	bool bad;

	printk("# %u deliberately bad test sites: expect as many warnings\n",
	       (unsigned int)ARRAY_SIZE(bad_sites));
	for (i = 0; i < ARRAY_SIZE(bad_sites); i++) {
		const struct pv_site *s = &bad_sites[i];

		bad_sites[i].op = PV_OP_INDEX(probe);
		memcpy(before, (const void *)(uintptr_t)s->addr, PV_SITE_LEN);
		bad = false;
		k = patch_test_site(s, &bad);
		EXPECT_EQ(k, PV_SITE_INDIRECT);
		EXPECT(bad);
		EXPECT(!memcmp((const void *)(uintptr_t)s->addr, before, PV_SITE_LEN));
		EXPECT_EQ(pv_stats.bad_reported, reported + i + 1);
	}
	/* The control: the same path patches a site that holds its call. */
	EXPECT_EQ(PV_REPATCH(probe, pv_nop), 0);
	memcpy(before, pvtest_site_good, PV_SITE_LEN);
	k = patch_test_site(&good, &bad);
	memcpy(after, pvtest_site_good, PV_SITE_LEN);
	pv_alias_map();
	memcpy(pv_writable(good.addr), before, PV_SITE_LEN);
	pv_alias_unmap();
	sync_core();
	pv_stats.bad_reported = reported;
	EXPECT(!bad);
	EXPECT_EQ(k, PV_SITE_NOP);
	EXPECT(all_nops(after, PV_SITE_LEN));
	EXPECT(!memcmp(pvtest_site_good, before, PV_SITE_LEN));
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
	if (!pv_ops_sealed)
		return skip(pv_seal_skip_reason);
	EXPECT(probe_write_faults((volatile u8 *)&pv_ops.probe));
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
	unsigned int round, i;
	int patched = 0, unpatched;

	probe_calls[0] = probe_calls[1] = 0;
	for (round = 0; round < 200 && !patched; round++) {
		patched = PV_REPATCH(probe, round & 1 ? probe_b : probe_a);
		for (i = 0; i < 5 && !patched; i++)
			pv_probe();
	}
	unpatched = PV_REPATCH(probe, pv_nop);
	pv_probe();		/* the nop: counted by neither */
	EXPECT_EQ(patched, 0);
	EXPECT_EQ(unpatched, 0);
	EXPECT_EQ(probe_calls[0], 500);
	EXPECT_EQ(probe_calls[1], 500);
	return TEST_PASS;
}

/*
 * Switch to a copy of the root that maps one more page, and back: read_cr3
 * must follow write_cr3 both ways, and the page must be seen only while the
 * copy is in use.
 */
#define CR3_TEST_VA	0x0000510000000000ULL

SELFTEST(pvops, cr3_round_trip)
{
	u64 old, now, back, seen = 0, *orig, *copy, flags;
	phys_addr_t root, page;
	struct cpumask self = { 0 };
	bool mapped;

	old = read_cr3();
	orig = phys_to_virt(old & PTE_ADDR_MASK);
	EXPECT(!(orig[(CR3_TEST_VA >> 39) & 511] & _PAGE_PRESENT));
	root = alloc_pages(0);
	page = alloc_pages(0);
	EXPECT(root && page);
	copy = phys_to_virt(root);
	memcpy(copy, orig, PAGE_SIZE);
	*(volatile u64 *)phys_to_virt(page) = 0xc3c3;
	pgtable_map(copy, CR3_TEST_VA, page, PAGE_SIZE, _PAGE_PRESENT | nx_bit(), false);
	pv_alloc_pt(root, 4);
	flags = irq_save();
	write_cr3(root);
	now = read_cr3();
	mapped = probe_read_u64(CR3_TEST_VA, &seen);
	write_cr3(old);
	back = read_cr3();
	restore_flags(flags);
	cpumask_set_cpu(smp_processor_id(), &self);
	pgtable_unmap(copy, CR3_TEST_VA, PAGE_SIZE, &self);
	pv_release_pt(root, 4);
	free_pages(root, 0);
	free_pages(page, 0);
	EXPECT_EQ(now & PTE_ADDR_MASK, root);
	EXPECT(mapped);
	EXPECT_EQ(seen, 0xc3c3);
	EXPECT_EQ(back, old);
	EXPECT(!probe_read_u64(CR3_TEST_VA, &seen));
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
	set_pte(pte, make_pte(b | _PAGE_PRESENT | _PAGE_RW));
	flush_tlb_one(SCRATCH_VA);
	EXPECT_EQ(*(volatile u64 *)SCRATCH_VA, 0xbbbb);
	pgtable_unmap(root, SCRATCH_VA, PAGE_SIZE, cpu_online_mask);
	free_pages(a, 0);
	free_pages(b, 0);
	return TEST_PASS;
}

/*
 * The page-table hooks fire once per table: mapping one page in an empty
 * top-level slot makes three tables, unmapping it gives all three back.
 */
#define HOOK_VA		0x0000600000000000ULL

static unsigned int pt_allocs, pt_releases;
static void (*real_alloc_pt)(phys_addr_t pa, int level);
static void (*real_release_pt)(phys_addr_t pa, int level);

/* Count, then do what the backend does (Xen PV: make the table read-only). */
static void count_alloc_pt(phys_addr_t pa, int level)
{
	pt_allocs++;
	real_alloc_pt(pa, level);
}

static void count_release_pt(phys_addr_t pa, int level)
{
	pt_releases++;
	real_release_pt(pa, level);
}

SELFTEST(pvops, page_table_hooks)
{
	void *alloc = pv_ops.mmu.alloc_pt, *release = pv_ops.mmu.release_pt;
	unsigned int allocs, releases;
	int patched_alloc, patched_release, restored_alloc, restored_release;
	u64 *root, seen;
	phys_addr_t pa;

	if (!wx_enforced)
		return skip(wx_skip_reason);
	root = current_root();
	pa = alloc_pages(0);
	EXPECT(pa != 0);
	*(volatile u64 *)phys_to_virt(pa) = 0x5eed;
	real_alloc_pt = alloc;
	real_release_pt = release;
	patched_alloc = PV_REPATCH(mmu.alloc_pt, count_alloc_pt);
	patched_release = PV_REPATCH(mmu.release_pt, count_release_pt);
	/* Re-patching maps tables of its own: count only ours. */
	pt_allocs = pt_releases = 0;
	pgtable_map(root, HOOK_VA, pa, PAGE_SIZE, _PAGE_PRESENT | nx_bit(), false);
	seen = *(volatile u64 *)HOOK_VA;
	pgtable_unmap(root, HOOK_VA, PAGE_SIZE, cpu_online_mask);
	allocs = pt_allocs;
	releases = pt_releases;
	/* The real hooks back, the page unmapped and freed, then judge. */
	restored_alloc = PV_REPATCH(mmu.alloc_pt, alloc);
	restored_release = PV_REPATCH(mmu.release_pt, release);
	free_pages(pa, 0);
	EXPECT_EQ(patched_alloc, 0);
	EXPECT_EQ(patched_release, 0);
	EXPECT_EQ(restored_alloc, 0);
	EXPECT_EQ(restored_release, 0);
	EXPECT_EQ(seen, 0x5eed);
	EXPECT_EQ(allocs, 3);
	EXPECT_EQ(releases, 3);
	return TEST_PASS;
}

/*
 * Entry values and entries convert both ways without loss, for a real
 * frame of ours. Where the backend's conversion is the identity (native,
 * KVM, PVH) the entry is the value itself; where it is not (Xen PV, whose
 * entries hold machine frames), the flags stay and the round trip holds.
 */
SELFTEST(pvops, pte_value_round_trip)
{
	const bool identity =
		pv_ops.mmu.make_pte.func == &native_pte_identity_callee_save &&
		pv_ops.mmu.pte_val.func == &native_pte_identity_callee_save;
	const u64 flags = _PAGE_PRESENT | _PAGE_RW | nx_bit();
	phys_addr_t pa = alloc_pages(0);
	u64 val, pte, back, empty;

	EXPECT(pa != 0);
	val = pa | flags;
	pte = make_pte(val);
	back = pte_val(pte);
	empty = pte_val(make_pte(0));
	free_pages(pa, 0);
	printk("# frame %#llx: entry %#llx (%s conversion)\n",
	       (unsigned long long)pa, (unsigned long long)pte,
	       identity ? "identity" : "backend's");
	EXPECT_EQ(back, val);
	EXPECT_EQ(empty, 0);
	if (identity)
		EXPECT_EQ(pte, val);
	else
		EXPECT_EQ(pte & ~PTE_ADDR_MASK, flags);
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
	if (!pv_ops_sealed)
		return skip(pv_seal_skip_reason);
	EXPECT(probe_write_faults((volatile u8 *)&pv_init.cpu_count));
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
