// SPDX-License-Identifier: GPL-2.0
/*
 * W^X: text is not writable, rodata is not writable, data and the stack's
 * neighbourhood (bss) are not executable; no mapping at all (the direct
 * map included) is writable and executable, and none makes the kernel's
 * text writable; the patcher's writable alias of the image is not
 * executable, and gone (from the tables and the TLB) once unmapped;
 * sealing a page drops its writable TLB entry. Each probe runs under the
 * fixup table so a missing protection shows up as a failure, not a crash.
 */
#include <asm/extable.h>
#include <asm/pgtable.h>
#include <asm/pv/ops.h>
#include <asm/pv/paravirt.h>
#include <asm/ptrace.h>
#include <proteus/mm.h>
#include <proteus/selftest.h>
#include <proteus/smp.h>

static u8 data_ret[16] __aligned(16) = { 0xc3 };	/* ret */
static u8 bss_ret[16] __aligned(16);
static const u8 rodata_byte = 0x5a;

SELFTEST(wx, text_not_writable)
{
	if (!wx_enforced)
		return skip(wx_skip_reason);
	EXPECT(probe_write_faults((volatile u8 *)(uintptr_t)&probe_write_faults));
	return TEST_PASS;
}

SELFTEST(wx, rodata_not_writable)
{
	if (!wx_enforced)
		return skip(wx_skip_reason);
	EXPECT(probe_write_faults((volatile u8 *)(uintptr_t)&rodata_byte));
	return TEST_PASS;
}

SELFTEST(wx, data_not_executable)
{
	if (!wx_enforced)
		return skip(wx_skip_reason);
	EXPECT(probe_exec_faults(data_ret));
	return TEST_PASS;
}

SELFTEST(wx, bss_not_executable)
{
	if (!wx_enforced)
		return skip(wx_skip_reason);
	bss_ret[0] = 0xc3;
	EXPECT(probe_exec_faults(bss_ret));
	return TEST_PASS;
}

/*
 * The page-table entries themselves: text read-only and executable, data
 * writable and not executable, and page 0 not mapped at all, so that a
 * NULL dereference faults.
 */
static u64 pte_of(const void *p)
{
	int level;
	u64 *e = pgtable_lookup(current_root(), (u64)(uintptr_t)p, &level);

	return e ? *e : 0;
}

SELFTEST(wx, kernel_page_permissions)
{
	u64 text, data, ro;

	if (!wx_enforced)
		return skip(wx_skip_reason);
	text = pte_of((const void *)&pte_of);
	data = pte_of(data_ret);
	ro = pte_of(&rodata_byte);
	EXPECT(text & _PAGE_PRESENT);
	EXPECT(!(text & (_PAGE_RW | _PAGE_NX)));
	EXPECT((ro & (_PAGE_PRESENT | _PAGE_RW | _PAGE_NX)) == (_PAGE_PRESENT | _PAGE_NX));
	EXPECT((data & (_PAGE_PRESENT | _PAGE_RW | _PAGE_NX)) ==
	       (_PAGE_PRESENT | _PAGE_RW | _PAGE_NX));
	EXPECT_EQ(pte_of(NULL), 0);
	return TEST_PASS;
}

/*
 * Walk every table under the active root, once per table: a leaf (4 KiB
 * entry or large page) counts once whatever it maps, so the cost is the
 * number of tables, not the amount of RAM. Permissions combine down the
 * levels: writable only if every level allows it, executable unless one
 * level sets NX.
 */
extern char _text[], _etext[];

struct walk {
	u64 leaves, tables;
	u64 wx_va, text_w_va;
	bool wx, text_w;
};

static void check_leaf(struct walk *w, u64 va, u64 e, u64 size, bool rw, bool nx)
{
	u64 pa = pte_val(e) & PTE_ADDR_MASK & ~(size - 1);
	u64 text_lo = (u64)(uintptr_t)_text, text_hi = (u64)(uintptr_t)_etext;

	w->leaves++;
	if (rw && !nx && !w->wx) {
		w->wx = true;
		w->wx_va = va;
	}
	/* The direct map is 1:1: the text's frames are at its addresses. */
	if (rw && pa < text_hi && pa + size > text_lo && !w->text_w) {
		w->text_w = true;
		w->text_w_va = va;
	}
}

static void walk_table(struct walk *w, const u64 *t, int level, u64 va_base,
		       bool rw, bool nx)
{
	u64 span = 1ULL << (12 + 9 * (level - 1));
	unsigned int i;

	w->tables++;
	for (i = 0; i < 512; i++) {
		u64 e = t[i], va = va_base + i * span;
		bool erw = rw && (e & _PAGE_RW), enx = nx || (e & _PAGE_NX);

		if (!(e & _PAGE_PRESENT))
			continue;
		if (level == 4 && i >= 256)
			va |= 0xffff000000000000ULL;	/* canonical upper half */
		if (level == 4 && va >= hv_hole_start && va < hv_hole_end)
			continue;			/* the hypervisor's */
		if (level == 1 || (level <= 3 && (e & _PAGE_PSE)))
			check_leaf(w, va, e, span, erw, enx);
		else
			walk_table(w, phys_to_virt(pte_val(e) & PTE_ADDR_MASK), level - 1,
				   va, erw, enx);
	}
}

SELFTEST(wx, no_mapping_writable_and_executable)
{
	struct walk w = { 0 };

	if (!wx_enforced)
		return skip(wx_skip_reason);
	walk_table(&w, current_root(), 4, 0, true, false);
	printk("# %llu tables, %llu leaves\n", (unsigned long long)w.tables,
	       (unsigned long long)w.leaves);
	if (w.wx)
		printk("# %#llx is writable and executable\n",
		       (unsigned long long)w.wx_va);
	if (w.text_w)
		printk("# %#llx maps kernel text writable\n",
		       (unsigned long long)w.text_w_va);
	EXPECT(w.leaves > 0);
	EXPECT(!w.wx);
	EXPECT(!w.text_w);
	return TEST_PASS;
}

/*
 * The alias exists only while the patcher writes: it maps the image
 * read-write but never executable; once unmapped, a read through it
 * faults although this CPU had just used it (its TLB entry must be gone
 * too).
 */
SELFTEST(wx, patcher_alias_nx_and_gone)
{
	const u8 *text = (const u8 *)(uintptr_t)pv_nop;
	u64 *e, pte;
	u8 *alias;
	bool same, exec_fault, gone;
	int level;

	if (!wx_enforced)
		return skip(wx_skip_reason);
	/* Outside patching there is no alias: the last user unmapped it. */
	EXPECT(pv_writable((u64)(uintptr_t)text) == text);
	pv_alias_map();
	alias = pv_writable((u64)(uintptr_t)text);
	e = pgtable_lookup(current_root(),
			   (u64)(uintptr_t)alias, &level);
	pte = e ? *e : 0;
	same = alias != text && *(volatile u8 *)alias == *text;
	exec_fault = probe_exec_faults(alias);	/* pv_nop is a ret */
	(void)*(volatile u8 *)alias;		/* its TLB entry is fresh */
	pv_alias_unmap();
	gone = probe_read_faults(alias);
	EXPECT(same);
	EXPECT((pte & (_PAGE_PRESENT | _PAGE_RW | _PAGE_NX)) ==
	       (_PAGE_PRESENT | _PAGE_RW | _PAGE_NX));
	EXPECT(exec_fault);
	EXPECT(pgtable_lookup(current_root(),
			      (u64)(uintptr_t)alias, &level) == NULL);
	EXPECT(gone);
	EXPECT(pv_writable((u64)(uintptr_t)text) == text);
	return TEST_PASS;
}

/*
 * Sealing (pv_make_readonly, as pv_seal_ops uses it) on a scratch page
 * this CPU has just written: the write-enabled TLB entry it holds must be
 * dropped, or the next write still goes through (QEMU TCG keeps such
 * entries until invlpg, as hardware may).
 */
#define SEAL_VA		0x0000520000000000ULL

SELFTEST(wx, seal_drops_writable_tlb_entry)
{
	struct cpumask self = { 0 };
	u64 *root;
	phys_addr_t pa;
	bool faulted;

	if (!wx_enforced)
		return skip(wx_skip_reason);
	root = current_root();
	pa = alloc_pages(0);
	EXPECT(pa != 0);
	pgtable_map(root, SEAL_VA, pa, PAGE_SIZE, _PAGE_PRESENT | _PAGE_RW | nx_bit(),
		    false);
	*(volatile u64 *)SEAL_VA = 0x5ea1;
	pv_make_readonly(SEAL_VA, SEAL_VA + PAGE_SIZE);
	faulted = probe_write_faults((volatile u8 *)SEAL_VA);
	cpumask_set_cpu(smp_processor_id(), &self);
	pgtable_unmap(root, SEAL_VA, PAGE_SIZE, &self);
	free_pages(pa, 0);
	EXPECT(faulted);
	return TEST_PASS;
}
