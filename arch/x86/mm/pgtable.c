// SPDX-License-Identifier: GPL-2.0
/*
 * Building 4-level page tables in memory the direct map reaches. Table
 * pages come from the page allocator, zeroed, announced with the
 * alloc_pt op; every entry is written with the set_* op of its level,
 * as make_pte turns the kernel's value into it, and read back through
 * pte_val (the identity natively; Xen PV entries hold machine frames).
 * Table pages may be read-only (Xen PV): nothing here writes them but
 * the set_* ops. Intermediate entries are present and writable; the leaf
 * decides the permissions.
 */
#include <asm/pgtable.h>
#include <asm/pv/ops.h>
#include <proteus/mm.h>
#include <proteus/panic.h>
#include <proteus/cpumask.h>
#include <proteus/string.h>

static u64 nx;
u64 hv_hole_start, hv_hole_end;

void pgtable_set_nx(bool enabled)
{
	nx = enabled ? _PAGE_NX : 0;
}

u64 nx_bit(void)
{
	return nx;
}

static u64 *table_of(u64 entry)
{
	return phys_to_virt(pte_val(entry) & PTE_ADDR_MASK);
}

static void set_entry(u64 *e, u64 v, int level)
{
	v = make_pte(v);
	switch (level) {
	case 4:
		set_p4d(e, v);
		break;
	case 3:
		set_pud(e, v);
		break;
	case 2:
		set_pmd(e, v);
		break;
	default:
		set_pte(e, v);
	}
}

/* The table below entry idx of a level-'level' table, made if missing. */
static u64 *next_table(u64 *table, unsigned int idx, int level)
{
	if (!(table[idx] & _PAGE_PRESENT)) {
		phys_addr_t pa = alloc_pages(0);

		if (!pa)
			panic("mm: out of memory for page tables");
		memset(phys_to_virt(pa), 0, PAGE_SIZE);
		pv_alloc_pt(pa, level - 1);
		set_entry(&table[idx], pa | _PAGE_PRESENT | _PAGE_RW, level);
	} else if (table[idx] & _PAGE_PSE) {
		panic("mm: 4 KiB mapping requested inside a large page");
	}
	return table_of(table[idx]);
}

static unsigned int index_at(u64 va, int level)
{
	return (va >> (12 + 9 * (level - 1))) & 511;
}

/* Fill one page table's worth of 4 KiB entries; returns the bytes mapped. */
static u64 fill_pt(u64 *pt, u64 va, phys_addr_t pa, u64 size, u64 flags)
{
	u64 done = 0;

	do {
		set_pte(&pt[index_at(va + done, 1)], make_pte((pa + done) | flags));
		done += PAGE_SIZE;
	} while (done < size && ((va + done) & (PMD_SIZE - 1)));
	return done;
}

/*
 * The level-1 entries of a range are written in one lazy-MMU section (a
 * batch under Xen PV); the tables above are linked at once, as the walk
 * reads them back.
 */
void pgtable_map(u64 *pml4, u64 va, phys_addr_t pa, u64 size, u64 flags,
		 bool large)
{
	lazy_mmu_enter();
	while (size) {
		u64 *pdpt = next_table(pml4, index_at(va, 4), 4);
		u64 *pd = next_table(pdpt, index_at(va, 3), 3);
		u64 step;

		if (large && !(va & (PMD_SIZE - 1)) && !(pa & (PMD_SIZE - 1)) &&
		    size >= PMD_SIZE) {
			set_pmd(&pd[index_at(va, 2)], make_pte(pa | flags | _PAGE_PSE));
			step = PMD_SIZE;
		} else {
			step = fill_pt(next_table(pd, index_at(va, 2), 2), va, pa,
				       size, flags);
		}
		va += step;
		pa += step;
		size = size > step ? size - step : 0;
	}
	lazy_mmu_leave();
}

u64 *pgtable_leaf_alloc(u64 *pml4, u64 va)
{
	u64 *pdpt = next_table(pml4, index_at(va, 4), 4);
	u64 *pd = next_table(pdpt, index_at(va, 3), 3);

	return &next_table(pd, index_at(va, 2), 2)[index_at(va, 1)];
}

static bool table_empty(const u64 *t)
{
	unsigned int i;

	for (i = 0; i < 512; i++)
		if (t[i])
			return false;
	return true;
}

/*
 * Detach the tables under va that are now empty, deepest first. A
 * detached table is all zeroes, so it holds the free list itself: word 0
 * has the next table and, in bits 1-2, its level; the present bit stays
 * clear, so set_pte may write it while the page is still a (read-only)
 * table.
 */
static phys_addr_t detach_empty(u64 *pml4, u64 va, phys_addr_t list)
{
	u64 *path[4] = { pml4 };
	int l;

	for (l = 1; l < 4; l++) {
		u64 e = path[l - 1][index_at(va, 5 - l)];

		if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE))
			return list;
		path[l] = table_of(e);
	}
	for (l = 3; l >= 1 && table_empty(path[l]); l--) {
		set_entry(&path[l - 1][index_at(va, 5 - l)], 0, 5 - l);
		set_pte(&path[l][0], list | (u64)(4 - l) << 1);
		list = (u64)(uintptr_t)path[l];
	}
	return list;
}

/*
 * Clear the 4 KiB entries of [va, end), all under one level-2 entry, in
 * one lazy-MMU section: it ends before anything reads the table back.
 * Whether any was mapped.
 */
static bool clear_ptes(u64 *pml4, u64 va, u64 end)
{
	bool found = false;
	int level;

	lazy_mmu_enter();
	for (; va < end; va += PAGE_SIZE) {
		u64 *e = pgtable_lookup(pml4, va, &level);

		if (!e)
			continue;
		if (level != 1)
			panic("mm: unmapping part of a large page at %#llx",
			      (unsigned long long)va);
		set_pte(e, 0);
		found = true;
	}
	lazy_mmu_leave();
	return found;
}

/*
 * Unmap 4 KiB mappings and give back the page tables left empty. Every CPU
 * that may have used the range flushes before a table is freed, so none can
 * still walk it (invlpg also drops the paging-structure caches, Intel SDM
 * 4.10.4.1).
 */
void pgtable_unmap(u64 *pml4, u64 va, u64 size, const struct cpumask *users)
{
	phys_addr_t list = 0;
	u64 a, next, end = va + size;

	for (a = va; a < end; a = next) {
		next = (a | (PMD_SIZE - 1)) + 1;
		if (!next || next > end)
			next = end;
		if (clear_ptes(pml4, a, next))
			list = detach_empty(pml4, a, list);
	}
	flush_tlb_multi(users, size <= PAGE_SIZE ? va : FLUSH_TLB_ALL);
	while (list) {
		u64 *t = phys_to_virt(list);
		phys_addr_t next_pt = t[0] & PTE_ADDR_MASK;

		pv_release_pt(list, (int)(t[0] >> 1) & 3);
		t[0] = 0;
		free_pages(list, 0);
		list = next_pt;
	}
}

u64 *current_root(void)
{
	return phys_to_virt(read_cr3() & PTE_ADDR_MASK);
}

u64 *pgtable_lookup(u64 *pml4, u64 va, int *level)
{
	u64 *table = pml4;
	int l;

	for (l = 4; l >= 1; l--) {
		u64 *e = &table[index_at(va, l)];

		*level = l;
		if (!(*e & _PAGE_PRESENT))
			return NULL;
		if (l == 1 || (l <= 3 && (*e & _PAGE_PSE)))
			return e;
		table = table_of(*e);
	}
	return NULL;
}
