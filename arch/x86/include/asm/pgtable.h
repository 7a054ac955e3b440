/* SPDX-License-Identifier: GPL-2.0 */
/* 4-level x86-64 page tables: entry bits and the table builder. */
#ifndef ASM_PGTABLE_H
#define ASM_PGTABLE_H

#include <proteus/types.h>

#define _PAGE_PRESENT	(1ULL << 0)
#define _PAGE_RW	(1ULL << 1)
#define _PAGE_USER	(1ULL << 2)
#define _PAGE_PSE	(1ULL << 7)
#define _PAGE_NX	(1ULL << 63)
#define PTE_ADDR_MASK	0x000ffffffffff000ULL

#define PMD_SIZE	(1ULL << 21)

/* Map [pa, pa + size) at va with leaf flags; 2 MiB pages where allowed. */
void pgtable_map(u64 *pml4, u64 va, phys_addr_t pa, u64 size, u64 flags,
		 bool large);

/*
 * The 4 KiB leaf entry for va, the tables above it made if missing (for
 * a caller that writes the entry itself); panics inside a large page.
 */
u64 *pgtable_leaf_alloc(u64 *pml4, u64 va);

/* Whether leaf entries get the NX bit (set once EFER.NXE is known). */
void pgtable_set_nx(bool enabled);
u64 nx_bit(void);

struct cpumask;

/*
 * Unmap 4 KiB mappings in [va, va + size), flush the CPUs in users (those
 * that may have used them), and give back the page tables left empty
 * (through the release_pt op).
 */
void pgtable_unmap(u64 *pml4, u64 va, u64 size, const struct cpumask *users);

/*
 * TLB shootdown by IPI (arch/x86/mm/tlb.c), the flush_tlb_multi op's
 * native implementation: each CPU in cpus flushes va (or everything, for
 * FLUSH_TLB_ALL); returns once all have.
 */
void flush_tlb_multi_ipi(const struct cpumask *cpus, u64 va);

/*
 * The part of every root the hypervisor owns (Xen PV: its hole in the
 * upper half), [hv_hole_start, hv_hole_end): not the kernel's to walk;
 * empty natively.
 */
extern u64 hv_hole_start, hv_hole_end;

/* The running CPU's page-table root (the PML4 CR3 points at), mapped. */
u64 *current_root(void);

/*
 * The leaf entry that maps va, or NULL (and *level the level it stopped
 * at). The entry as stored: pte_val() gives the kernel's value.
 */
u64 *pgtable_lookup(u64 *pml4, u64 va, int *level);

#endif
