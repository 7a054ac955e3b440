// SPDX-License-Identifier: GPL-2.0
/*
 * Xen PV: the kernel runs on page tables of its own, not on the ones Xen
 * built. Its root and its (empty) user root are pinned, which Xen says by
 * refusing to pin them again, and read-only; Xen's initial tables are no
 * longer page tables: writable again, and no longer boot data the page
 * allocator must avoid.
 */
#include <asm/pgtable.h>
#include <asm/pv/ops.h>
#include <proteus/bootinfo.h>
#include <proteus/mm.h>
#include <proteus/selftest.h>
#include "../../../backends/xen/mmu-pv.h"
#include "../../../backends/xen/xen.h"

static const char *not_pv(void)
{
	return boot_info.path == BOOT_XEN_PV ? NULL :
	       "not a Xen PV guest (no tables built by Xen)";
}

static long mmuext(unsigned int cmd, phys_addr_t pa)
{
	struct mmuext_op op = { .cmd = cmd };

	op.arg1.mfn = xen_pfn_to_mfn(pa >> PAGE_SHIFT);
	return xen_hypercall(__HYPERVISOR_mmuext_op, (u64)(uintptr_t)&op, 1, 0,
			     DOMID_SELF, 0);
}

/* Pinned: Xen refuses a second pin. One it accepted is undone. */
static bool pinned(phys_addr_t root)
{
	if (mmuext(MMUEXT_PIN_L4_TABLE, root) < 0)
		return true;
	mmuext(MMUEXT_UNPIN_TABLE, root);
	return false;
}

SELFTEST(xen_mmu, runs_on_own_pinned_tables)
{
	phys_addr_t root = read_cr3() & PTE_ADDR_MASK, user = xen_pv_user_root;

	if (not_pv())
		return skip(not_pv());
	printk("# root %#llx, user root %#llx, Xen's was %#llx\n",
	       (unsigned long long)root, (unsigned long long)user,
	       (unsigned long long)xen_start_info->pt_base);
	EXPECT(root != xen_start_info->pt_base);
	EXPECT(user != 0 && user != root);
	EXPECT(pinned(root));
	EXPECT(pinned(user));
	EXPECT(probe_write_faults(phys_to_virt(root)));
	EXPECT(probe_write_faults(phys_to_virt(user)));
	return TEST_PASS;
}

static bool reserved_at(phys_addr_t pa)
{
	u32 i;

	for (i = 0; i < boot_info.nr_reserved; i++)
		if (pa >= boot_info.reserved[i].base &&
		    pa - boot_info.reserved[i].base < boot_info.reserved[i].size)
			return true;
	return false;
}

/* Whether the page at @pa is a table of the tree under @t (level @level). */
static bool in_tree(const u64 *t, int level, phys_addr_t pa)
{
	unsigned int i;

	if ((u64)(uintptr_t)t == pa)
		return true;
	for (i = 0; level > 1 && i < 512; i++) {
		if (level == 4 && i >= ((HYPERVISOR_VIRT_START >> 39) & 511) &&
		    i < ((HYPERVISOR_VIRT_END >> 39) & 511))
			continue;
		if ((t[i] & _PAGE_PRESENT) && !(t[i] & _PAGE_PSE) &&
		    in_tree(phys_to_virt(pte_val(t[i]) & PTE_ADDR_MASK), level - 1, pa))
			return true;
	}
	return false;
}

/*
 * Each of Xen's old table pages is free or in use as data (writable), or
 * handed out again as one of the kernel's own tables (read-only then).
 */
SELFTEST(xen_mmu, xen_tables_given_back)
{
	unsigned int i, n, reused = 0, read_only = 0, faulting = 0, kept = 0;

	if (not_pv())
		return skip(not_pv());
	n = (unsigned int)xen_start_info->nr_pt_frames;
	for (i = 0; i < n; i++) {
		phys_addr_t pa = xen_start_info->pt_base + (u64)i * PAGE_SIZE;
		int level;
		u64 *e = pgtable_lookup(current_root(), pa, &level);

		kept += reserved_at(pa);
		if (in_tree(current_root(), 4, pa)) {
			reused++;
			continue;
		}
		read_only += !e || level != 1 || !(*e & _PAGE_RW);
		faulting += probe_write_faults(phys_to_virt(pa));
	}
	printk("# %u pages of Xen's tables, %u of them the kernel's tables now\n",
	       n, reused);
	EXPECT(n > 0);
	EXPECT_EQ(kept, 0);
	EXPECT_EQ(read_only, 0);
	EXPECT_EQ(faulting, 0);
	return TEST_PASS;
}
