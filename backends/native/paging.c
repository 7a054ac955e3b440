// SPDX-License-Identifier: GPL-2.0
/*
 * Native (and PVH) paging: replace the boot identity map of the low 4 GiB
 * with the kernel's own tables. RAM (usable, ACPI, NVS, persistent) and
 * the firmware's reserved ranges below 4 GiB, where PC firmware keeps its
 * tables, are mapped 1:1 (2 MiB pages where a whole aligned chunk fits),
 * read-write and non-executable; reserved ranges above 4 GiB (QEMU's
 * HyperTransport hole is 12 GiB of it) are left to on-demand mappings; the low MiB with 4 KiB pages and page 0 left out so a
 * NULL dereference faults; the kernel image with 4 KiB pages by section:
 * text read-only and executable, rodata and the symbol table read-only,
 * data and bss writable. CR0.WP makes read-only binding for ring 0 too.
 */
#include <asm/msr-index.h>
#include <asm/pgtable.h>
#include <asm/pv/native.h>
#include <asm/pv/ops.h>
#include <proteus/bootinfo.h>
#include <proteus/mm.h>
#include <proteus/panic.h>
#include <proteus/printk.h>
#include <proteus/string.h>

#define LOW_MEM		0x100000ULL

extern char _text[], _etext[], _rodata[], _erodata[], _data[], __bss_end[];
extern char _end[];

bool wx_enforced;
const char *wx_skip_reason = "paging not set up";

static u64 pa_of(const char *sym)
{
	return (u64)(uintptr_t)sym;
}

static void map_section(u64 *pml4, const char *start, const char *end, u64 flags)
{
	u64 s = pa_of(start), e = ALIGN_UP(pa_of(end), PAGE_SIZE);

	pgtable_map(pml4, s, s, e - s, flags | _PAGE_PRESENT, false);
}

/* 2 MiB chunks the kernel image touches must use 4 KiB pages. */
static void map_ram(u64 *pml4, u64 base, u64 end, u64 kchunk_lo, u64 kchunk_hi)
{
	const u64 flags = _PAGE_PRESENT | _PAGE_RW | nx_bit();

	base = ALIGN_DOWN(base, PAGE_SIZE);
	end = ALIGN_UP(end, PAGE_SIZE);
	while (base < end) {
		u64 stop = end;

		if (base < kchunk_hi && end > kchunk_lo) {
			if (base < kchunk_lo) {
				stop = kchunk_lo;
			} else {
				stop = MIN(end, kchunk_hi);
				pgtable_map(pml4, base, base, stop - base, flags, false);
				base = stop;
				continue;
			}
		}
		pgtable_map(pml4, base, base, stop - base, flags, true);
		base = stop;
	}
}

static bool direct_mapped(const struct mem_region *r)
{
	switch (r->type) {
	case MEM_USABLE:
	case MEM_ACPI:
	case MEM_NVS:
	case MEM_PMEM:
		return true;
	default:
		return r->base + r->size <= (1ULL << 32);
	}
}

void native_paging_init(void)
{
	const struct memmap *m = &boot_info.memmap;
	u64 kchunk_lo = ALIGN_DOWN(pa_of(_text), PMD_SIZE);
	u64 kchunk_hi = ALIGN_UP(pa_of(_end), PMD_SIZE);
	phys_addr_t root = alloc_pages(0);
	u64 *pml4, nx;
	u32 i;

	if (!root)
		panic("mm: out of memory for the page table root");
	pgtable_set_nx(rdmsr(MSR_EFER) & EFER_NX);
	nx = nx_bit();
	pml4 = phys_to_virt(root);
	memset(pml4, 0, PAGE_SIZE);
	pgtable_map(pml4, PAGE_SIZE, PAGE_SIZE, LOW_MEM - PAGE_SIZE,
		    _PAGE_PRESENT | _PAGE_RW | nx, false);
	for (i = 0; i < m->nr; i++) {
		u64 base = MAX(m->r[i].base, LOW_MEM);
		u64 end = m->r[i].base + m->r[i].size;

		if (!direct_mapped(&m->r[i]))
			continue;
		if (end > base)
			map_ram(pml4, base, end, kchunk_lo, kchunk_hi);
	}
	map_ram(pml4, kchunk_lo, kchunk_hi, kchunk_lo, kchunk_hi);
	map_section(pml4, _text, _etext, 0);
	map_section(pml4, _rodata, _erodata, nx);
	map_section(pml4, _data, __bss_end, _PAGE_RW | nx);
	map_section(pml4, __bss_end, _end, nx);
	pv_alloc_pt(root, 4);
	write_cr3(root);
	wx_enforced = nx != 0;
	wx_skip_reason = nx ? NULL : "the CPU has no NX bit";
	pr_info("mm: kernel page tables at %#llx, W^X %s\n",
		(unsigned long long)root, nx ? "enforced" : "without NX");
}
