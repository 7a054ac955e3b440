// SPDX-License-Identifier: GPL-2.0
/*
 * Xen PV page tables: entries hold machine frames (a page mapped through
 * the hooks is found under its mfn, remapped and unmapped as the kernel
 * asks), the pfn <-> mfn translation round-trips on a sample of RAM, the
 * pinned tables are read-only to the kernel (a direct write faults, or
 * for an L1 is validated by Xen and refused when unsafe), a
 * device is given the machine address, and an update Xen must refuse
 * (a page-table page mapped writable) comes back as an error with the
 * entry unchanged, and in a batch (one mmu_update, or a multicall
 * entry) it stops Xen at that update, the ones before applied, and the
 * panic message names it. Only a Xen PV guest has such tables.
 */
#include <asm/extable.h>
#include <asm/pgtable.h>
#include <asm/ptrace.h>
#include <asm/pv/ops.h>
#include <proteus/bootinfo.h>
#include <proteus/cpumask.h>
#include <proteus/mm.h>
#include <proteus/selftest.h>
#include <proteus/smp.h>
#include <proteus/string.h>
#include "../../../backends/xen/mmu-pv.h"
#include "../../../backends/xen/xen.h"

#define XEN_MMU_VA	0x0000530000000000ULL
#define SAMPLES		64

static const char *not_pv(void)
{
	return boot_info.path == BOOT_XEN_PV ? NULL :
	       "not a Xen PV guest (its page tables hold physical frames)";
}

static u64 frame_of(u64 e)
{
	return (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
}

SELFTEST(xen_mmu, map_remap_unmap_machine_frames)
{
	const u64 flags = _PAGE_PRESENT | _PAGE_RW | nx_bit();
	phys_addr_t a, b;
	u64 *e, stored_a, stored_b, seen_a, seen_b = 0;
	bool gone;
	int level;

	if (not_pv())
		return skip(not_pv());
	a = alloc_pages(0);
	b = alloc_pages(0);
	EXPECT(a && b);
	*(volatile u64 *)phys_to_virt(a) = 0xa1a1;
	*(volatile u64 *)phys_to_virt(b) = 0xb2b2;
	pgtable_map(current_root(), XEN_MMU_VA, a, PAGE_SIZE, flags, false);
	e = pgtable_lookup(current_root(), XEN_MMU_VA, &level);
	EXPECT(e && level == 1);
	stored_a = *e;
	seen_a = *(volatile u64 *)XEN_MMU_VA;
	set_pte(e, make_pte(b | flags));
	flush_tlb_one(XEN_MMU_VA);
	stored_b = *e;
	probe_read_u64(XEN_MMU_VA, &seen_b);
	pgtable_unmap(current_root(), XEN_MMU_VA, PAGE_SIZE, cpu_online_mask);
	gone = probe_read_faults((const volatile u8 *)XEN_MMU_VA);
	free_pages(a, 0);
	free_pages(b, 0);
	EXPECT_EQ(frame_of(stored_a), xen_pfn_to_mfn(a >> PAGE_SHIFT));
	EXPECT_EQ(frame_of(stored_b), xen_pfn_to_mfn(b >> PAGE_SHIFT));
	EXPECT_EQ(pte_val(stored_b) & PTE_ADDR_MASK, b);
	EXPECT_EQ(seen_a, 0xa1a1);
	EXPECT_EQ(seen_b, 0xb2b2);
	EXPECT(gone);
	return TEST_PASS;
}

/* Evenly spaced pfns over all of RAM: a fixed number, whatever its size. */
SELFTEST(xen_mmu, pfn_mfn_round_trip_sampled)
{
	u64 nr = xen_start_info ? xen_start_info->nr_pages : 0, i, bad = 0, moved = 0;

	if (not_pv())
		return skip(not_pv());
	EXPECT(nr > SAMPLES);
	for (i = 0; i < SAMPLES; i++) {
		u64 pfn = i * (nr - 1) / (SAMPLES - 1), mfn = xen_pfn_to_mfn(pfn);

		if (xen_mfn_to_pfn(mfn) != pfn) {
			printk("# pfn %#llx -> mfn %#llx -> pfn %#llx\n",
			       (unsigned long long)pfn, (unsigned long long)mfn,
			       (unsigned long long)xen_mfn_to_pfn(mfn));
			bad++;
		}
		moved += mfn != pfn;
	}
	EXPECT_EQ(bad, 0);
	/* A dom0 of 64 MiB in 512 is not laid out 1:1 by Xen. */
	EXPECT(moved > 0);
	return TEST_PASS;
}

/* Write byte v at p under the exception table: whether it faulted. */
static bool write_byte_faults(volatile u8 *p, u8 v)
{
	u64 before = last_fault.count;

	__asm__ __volatile__("1: movb %1, (%0)\n"
			     "2:\n"
			     _ASM_EXTABLE(1b, 2b)
			     :: "r"(p), "q"(v) : "memory");
	return last_fault.count == before + 1 && last_fault.vector == X86_TRAP_PF;
}

/*
 * The kernel does not write its tables: a plain write to the (pinned) root
 * faults. Xen's writable-pagetables assist, which 64-bit PV guests always
 * have, emulates a plain write to an L1 after validating the new entry:
 * so a write that would map the root writable faults, entry unchanged.
 */
SELFTEST(xen_mmu, pinned_tables_read_only)
{
	const u64 flags = _PAGE_PRESENT | nx_bit();
	u64 root = (u64)(uintptr_t)current_root(), *e, before, after;
	bool root_faults, l1_faults;
	int level;

	if (not_pv())
		return skip(not_pv());
	root_faults = probe_write_faults((volatile u8 *)current_root());
	pgtable_map(current_root(), XEN_MMU_VA, root, PAGE_SIZE, flags, false);
	e = pgtable_lookup(current_root(), XEN_MMU_VA, &level);
	EXPECT(e && level == 1);
	before = *e;
	l1_faults = write_byte_faults((volatile u8 *)e, (u8)(before | _PAGE_RW));
	after = *e;
	pgtable_unmap(current_root(), XEN_MMU_VA, PAGE_SIZE, cpu_online_mask);
	EXPECT(root_faults);
	EXPECT(l1_faults);
	EXPECT_EQ(after, before);
	return TEST_PASS;
}

/* A device must see the machine address, from the p2m; offsets kept. */
SELFTEST(xen_mmu, dma_addr_is_machine_address)
{
	static u8 buf[64] __aligned(64);
	u64 va = (u64)(uintptr_t)&buf[8];

	if (not_pv())
		return skip(not_pv());
	EXPECT_EQ(dma_addr(&buf[8]),
		  xen_pfn_to_mfn(va >> PAGE_SHIFT) << PAGE_SHIFT | (va & (PAGE_SIZE - 1)));
	return TEST_PASS;
}

/*
 * Mapping the root page-table page writable is what Xen exists to refuse:
 * the update returns an error and the entry keeps its old value.
 */
SELFTEST(xen_mmu, refused_update_returns_error)
{
	const u64 flags = _PAGE_PRESENT | nx_bit();
	u64 root = (u64)(uintptr_t)current_root(), *e, before, after;
	phys_addr_t a;
	long rc;
	int level;

	if (not_pv())
		return skip(not_pv());
	a = alloc_pages(0);
	EXPECT(a != 0);
	pgtable_map(current_root(), XEN_MMU_VA, a, PAGE_SIZE, flags, false);
	e = pgtable_lookup(current_root(), XEN_MMU_VA, &level);
	EXPECT(e && level == 1);
	before = *e;
	rc = xen_pv_mmu_update(e, make_pte(root | flags | _PAGE_RW));
	after = *e;
	pgtable_unmap(current_root(), XEN_MMU_VA, PAGE_SIZE, cpu_online_mask);
	free_pages(a, 0);
	printk("# mmu_update mapping the root writable: %ld\n", rc);
	EXPECT(rc < 0);
	EXPECT_EQ(after, before);
	return TEST_PASS;
}

static bool contains(const char *s, const char *part)
{
	size_t n = strlen(part);

	for (; *s; s++)
		if (!strncmp(s, part, n))
			return true;
	return false;
}

typedef long (*batch_send_t)(const struct mmu_update *req, unsigned int n, u32 *done);

/* Lazy MMU mode's way: the batch as the one entry of a multicall. */
static long send_by_multicall(const struct mmu_update *req, unsigned int n, u32 *done)
{
	struct multicall_entry mc;

	return xen_lazy_mmu_send(&mc, req, n, done);
}

/*
 * Three updates, the second mapping the root page-table page writable:
 * Xen applies the first, refuses the second and leaves the third, says
 * it applied one, and the message the boot-time panic would print names
 * update 2 of 3 and that entry's address.
 */
static enum test_result refused_in_batch(batch_send_t send, const char *what)
{
	const u64 flags = _PAGE_PRESENT | nx_bit();
	u64 root = (u64)(uintptr_t)current_root(), *e[3], before[3], after[3];
	struct mmu_update req[3];
	phys_addr_t a = alloc_pages(2), b = alloc_pages(0);
	char msg[160], entry[32];
	u32 done = ~0U;
	int i, level;
	long rc;

	EXPECT(a && b);
	pgtable_map(current_root(), XEN_MMU_VA, a, 3 * PAGE_SIZE, flags, false);
	for (i = 0; i < 3; i++) {
		e[i] = pgtable_lookup(current_root(), XEN_MMU_VA + i * PAGE_SIZE, &level);
		EXPECT(e[i] && level == 1);
		before[i] = *e[i];
		req[i].ptr = xen_machine_addr(e[i]) | MMU_NORMAL_PT_UPDATE;
		req[i].val = make_pte(b | flags);
	}
	req[1].val = make_pte(root | flags | _PAGE_RW);
	rc = send(req, 3, &done);
	for (i = 0; i < 3; i++)
		after[i] = *e[i];
	xen_mmu_batch_refusal(msg, sizeof(msg), what, req, 3, done, rc);
	snprintf(entry, sizeof(entry), "at %p ", e[1]);
	pgtable_unmap(current_root(), XEN_MMU_VA, 3 * PAGE_SIZE, cpu_online_mask);
	free_pages(a, 2);
	free_pages(b, 0);
	printk("# %s\n", msg);
	EXPECT(rc < 0);
	EXPECT_EQ(done, 1);
	EXPECT_EQ(frame_of(after[0]), xen_pfn_to_mfn(b >> PAGE_SHIFT));
	EXPECT_EQ(after[1], before[1]);
	EXPECT_EQ(after[2], before[2]);
	EXPECT(contains(msg, "mmu_update 2 of 3,"));
	EXPECT(contains(msg, entry));
	return TEST_PASS;
}

SELFTEST(xen_mmu, batch_refusal_names_entry)
{
	if (not_pv())
		return skip(not_pv());
	return refused_in_batch(xen_mmu_update_batch, "batched");
}

SELFTEST(xen_mmu, multicall_refusal_names_entry)
{
	if (not_pv())
		return skip(not_pv());
	return refused_in_batch(send_by_multicall, "deferred");
}
