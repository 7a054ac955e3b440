// SPDX-License-Identifier: GPL-2.0
/*
 * Xen PV: the kernel's own page tables. Xen starts the domain on tables it
 * built in the boot area (start_info.pt_base, nr_pt_frames), pinned and in
 * use. Once they are W^X, the kernel copies their guest part into pages of
 * its own allocator, so that every table it runs on is one it allocated
 * and can free. Xen insists on three things, in this order:
 *
 *  - a page becomes a table only while every mapping of it is read-only:
 *    the copies' own entries for table pages are made read-only while the
 *    copies are still plain memory, then the live direct map (alloc_pt);
 *  - the root is validated as a whole when pinned (MMUEXT_PIN_L4_TABLE),
 *    then switched to with MMUEXT_NEW_BASEPTR (write_cr3);
 *  - a 64-bit PV vCPU has a second root for user mode
 *    (MMUEXT_NEW_USER_BASEPTR): a kernel without user space gives an empty
 *    pinned one, so that nothing is left pointing at Xen's tables.
 *
 * Then Xen's tables are unpinned and nothing uses them: they lose their
 * page-table type, become writable data again (release_pt) and go back to
 * the page allocator. Xen's own slots of a root (its hypervisor hole) are
 * Xen's to fill: they are neither copied nor walked.
 */
#include <asm/pgtable.h>
#include <asm/pv/ops.h>
#include <proteus/bootinfo.h>
#include <proteus/mm.h>
#include <proteus/panic.h>
#include <proteus/printk.h>
#include <proteus/string.h>
#include "mmu-pv.h"
#include "xen.h"

phys_addr_t xen_pv_user_root;

static unsigned int table_pages;

static unsigned int root_index(u64 va)
{
	return (va >> 39) & 511;
}

/* Root slots Xen fills itself (its hypervisor hole): not the kernel's. */
static bool xen_slot(unsigned int i, int level)
{
	return level == 4 && i >= root_index(HYPERVISOR_VIRT_START) &&
	       i < root_index(HYPERVISOR_VIRT_END);
}

/* Whether entry i of a level-@level table links a table of the kernel's. */
static bool links_table(const u64 *t, unsigned int i, int level)
{
	return level > 1 && !xen_slot(i, level) && (t[i] & _PAGE_PRESENT) &&
	       !(t[i] & _PAGE_PSE);
}

static u64 *table_below(u64 e)
{
	return phys_to_virt(pte_val(e) & PTE_ADDR_MASK);
}

static phys_addr_t zeroed_page(void)
{
	phys_addr_t pa = alloc_pages(0);

	if (!pa)
		panic("xen-pv: out of memory for the kernel's page tables");
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	table_pages++;
	return pa;
}

/* A copy of the level-@level table @t and of every table below it. */
static phys_addr_t copy_table(const u64 *t, int level)
{
	phys_addr_t pa = zeroed_page();
	u64 *copy = phys_to_virt(pa);
	unsigned int i;

	for (i = 0; i < 512; i++) {
		if (links_table(t, i, level))
			copy[i] = make_pte(copy_table(table_below(t[i]), level - 1) |
					   (pte_val(t[i]) & ~PTE_ADDR_MASK));
		else if (!xen_slot(i, level))
			copy[i] = t[i];
	}
	return pa;
}

/* fn on every table from @t down, each after the tables below it. */
static void for_each_table(u64 *t, int level, void (*fn)(u64 *t, int level))
{
	unsigned int i;

	for (i = 0; i < 512; i++)
		if (links_table(t, i, level))
			for_each_table(table_below(t[i]), level - 1, fn);
	fn(t, level);
}

static u64 *new_root;

/* In the copies, still plain memory: the page @t itself read-only. */
static void map_read_only(u64 *t, int level)
{
	int l;
	u64 *e = pgtable_lookup(new_root, (u64)(uintptr_t)t, &l);

	if (!e || l != 1)
		panic("xen-pv: page table %p is not in the direct map", t);
	*e &= ~_PAGE_RW;
}

static void announce(u64 *t, int level)
{
	pv_alloc_pt((u64)(uintptr_t)t, level);
}

static unsigned int released;

static void give_back(u64 *t, int level)
{
	if (level != 4)
		pv_release_pt((u64)(uintptr_t)t, level);
	free_pages((u64)(uintptr_t)t, 0);
	released++;
}

static void set_user_root(phys_addr_t pa)
{
	struct mmuext_op op = { .cmd = MMUEXT_NEW_USER_BASEPTR };
	long rc;

	op.arg1.mfn = xen_pfn_to_mfn(pa >> PAGE_SHIFT);
	xen_lazy_mmu_flush();
	rc = xen_hypercall(__HYPERVISOR_mmuext_op, (u64)(uintptr_t)&op, 1, 0,
			   DOMID_SELF, 0);
	if (rc)
		panic("xen-pv: MMUEXT_NEW_USER_BASEPTR to %#llx refused (%ld)",
		      (unsigned long long)pa, rc);
}

void xen_pv_own_tables(void)
{
	u64 *old = phys_to_virt(xen_start_info->pt_base);
	phys_addr_t root;

	xen_pv_user_root = zeroed_page();
	root = copy_table(old, 4);
	new_root = phys_to_virt(root);
	for_each_table(new_root, 4, map_read_only);
	map_read_only(phys_to_virt(xen_pv_user_root), 4);
	for_each_table(new_root, 4, announce);
	pv_alloc_pt(xen_pv_user_root, 4);
	write_cr3(root);
	set_user_root(xen_pv_user_root);
	pv_release_pt(xen_start_info->pt_base, 4);
	for_each_table(old, 4, give_back);
	if (!bootinfo_release(xen_start_info->pt_base,
			      xen_start_info->nr_pt_frames * PAGE_SIZE))
		panic("xen-pv: Xen's page tables were not reserved as boot data");
	pr_info("mm: Xen PV: own page tables at %#llx (%u pages, pinned, user root %#llx); Xen's %u at %#llx unpinned and freed\n",
		(unsigned long long)root, table_pages,
		(unsigned long long)xen_pv_user_root, released,
		(unsigned long long)xen_start_info->pt_base);
}
