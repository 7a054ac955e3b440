// SPDX-License-Identifier: GPL-2.0
/*
 * Each CPU's GDT and TSS. The GDT copies the boot GDT (head32.S), so the
 * selectors are the same on every CPU, and adds a 64-bit TSS descriptor.
 * The TSS is there for its interrupt stack table: #BP runs on IST1, so
 * the text patcher's int3 finds a known-good stack wherever it hits; #DF
 * and NMI run on IST2, since they may come when the current stack cannot
 * be trusted. All CPUs share one IDT: a gate's IST index picks a stack
 * from the TSS of whichever CPU takes the exception. Native and PVH only:
 * a Xen PV guest has no GDT or TSS of its own to load.
 */
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/ptrace.h>
#include <asm/pv/ops.h>
#include <proteus/mm.h>
#include <proteus/panic.h>
#include <proteus/string.h>

#define TSS_AVAILABLE	0x89	/* present, DPL 0, type 9: available 64-bit TSS */

extern const struct desc_ptr boot_gdt_desc;

static void free_stack(u64 top)
{
	if (top)
		free_pages(top - (PAGE_SIZE << IST_STACK_ORDER), IST_STACK_ORDER);
}

/* The top of a new interrupt stack (virtual == physical), 0 if none. */
static u64 alloc_stack(void)
{
	phys_addr_t pa = alloc_pages(IST_STACK_ORDER);

	return pa ? pa + (PAGE_SIZE << IST_STACK_ORDER) : 0;
}

/* A system-segment descriptor: 16 bytes, the base split over both halves. */
static void set_tss_desc(u64 *gdt, const struct tss *tss)
{
	u64 base = (u64)(uintptr_t)tss, limit = sizeof(*tss) - 1;

	gdt[GDT_ENTRY_TSS] = (limit & 0xffff) | (base & 0xffffff) << 16 |
			     (u64)TSS_AVAILABLE << 40 | (limit >> 16 & 0xf) << 48 |
			     (base >> 24 & 0xff) << 56;
	gdt[GDT_ENTRY_TSS + 1] = base >> 32;
}

int tss_setup(struct percpu *p)
{
	u32 boot_size = boot_gdt_desc.size + 1;
	u64 bp = alloc_stack(), critical = alloc_stack();

	if (boot_size > GDT_ENTRY_TSS * sizeof(u64))
		panic("tss: the boot GDT has %u bytes, the per-CPU GDT room for %zu",
		      boot_size, GDT_ENTRY_TSS * sizeof(u64));
	if (!bp || !critical) {
		free_stack(bp);
		free_stack(critical);
		return -1;
	}
	p->tss.ist[IST_BREAKPOINT - 1] = bp;
	p->tss.ist[IST_CRITICAL - 1] = critical;
	p->tss.iomap_base = sizeof(p->tss);	/* no I/O permission bitmap */
	memcpy(p->gdt, (const void *)(uintptr_t)boot_gdt_desc.address, boot_size);
	set_tss_desc(p->gdt, &p->tss);
	return 0;
}

/*
 * The new GDT has the same code and data descriptors under the same
 * selectors, so the segment registers need no reload.
 */
void tss_load(struct percpu *p)
{
	struct desc_ptr d = { sizeof(p->gdt) - 1, (u64)(uintptr_t)p->gdt };

	load_gdt(&d);
	load_tr(__KERNEL_TSS);
}

/*
 * traps.c owns the IDT; we find it where the CPU does. The CPU reads a
 * gate at each delivery, so the change needs no reload.
 */
void tss_init(void)
{
	struct percpu *p = this_cpu();

	if (tss_setup(p))
		panic("tss: out of memory for the boot CPU's interrupt stacks");
	tss_load(p);
	idt_set_ist(X86_TRAP_BP, IST_BREAKPOINT);
	idt_set_ist(X86_TRAP_DF, IST_CRITICAL);
	idt_set_ist(X86_TRAP_NMI, IST_CRITICAL);
	idt_load();
}
