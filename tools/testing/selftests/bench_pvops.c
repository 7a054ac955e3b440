// SPDX-License-Identifier: GPL-2.0
/*
 * bench=pvops: what one call of an op costs as the bare instruction, as
 * the unpatched indirect call through the table, and as the patched site,
 * all in the same boot (the op is re-patched between the last two). TSC
 * ticks per call, the empty loop subtracted; under qemu-icount a tick is
 * one instruction, so the table is exact path lengths.
 */
#include <asm/pv/paravirt.h>
#include <proteus/bench.h>
#include <proteus/printk.h>

#define ITERS	1000

struct op_bench {
	const char *name;
	unsigned int op;
	u64 (*bare)(unsigned int n);
	u64 (*site)(unsigned int n);
};

static u64 empty_loop(unsigned int n)
{
	u64 t0 = rdtsc();

	while (n--)
		barrier();
	return rdtsc() - t0;
}

/* One loop with the bare instruction, one with the op's call site. */
#define BENCH_OP(id, op, bare_asm, call)				\
static __noinline u64 bare_##id(unsigned int n)				\
{									\
	u64 t0 = rdtsc(), v = 0;					\
	while (n--)							\
		__asm__ __volatile__(bare_asm : "+a"(v) :: "memory");	\
	return rdtsc() - t0;						\
}									\
static __noinline u64 site_##id(unsigned int n)				\
{									\
	u64 t0 = rdtsc();						\
	while (n--) {							\
		call;							\
		barrier();						\
	}								\
	return rdtsc() - t0;						\
}

BENCH_OP(save_fl, irq.save_fl, "pushfq; popq %0", (void)save_flags())
BENCH_OP(restore_fl, irq.restore_fl, "pushq %0; popfq", restore_flags(0x2))
BENCH_OP(irq_disable, irq.irq_disable, "cli", irq_disable())
BENCH_OP(read_cr2, cpu.read_cr2, "movq %%cr2, %0", (void)read_cr2())
BENCH_OP(read_cr3, cpu.read_cr3, "movq %%cr3, %0", (void)read_cr3())
BENCH_OP(pte_val, mmu.pte_val, "movq %0, %0", (void)pte_val(0x1000))
BENCH_OP(flush_tlb_one, mmu.flush_tlb_one, "invlpg (%0)", flush_tlb_one(0))
BENCH_OP(probe, probe, "", pv_probe())

#define ENTRY(id, op)	{ #op, PV_OP_INDEX(op), bare_##id, site_##id }

static const struct op_bench benches[] = {
	ENTRY(save_fl, irq.save_fl),
	ENTRY(restore_fl, irq.restore_fl),
	ENTRY(irq_disable, irq.irq_disable),
	ENTRY(read_cr2, cpu.read_cr2),
	ENTRY(read_cr3, cpu.read_cr3),
	ENTRY(pte_val, mmu.pte_val),
	ENTRY(flush_tlb_one, mmu.flush_tlb_one),
	ENTRY(probe, probe),
};

static const char *const kind_names[PV_SITE_KINDS] = {
	[PV_SITE_INDIRECT] = "indirect",
	[PV_SITE_INLINE] = "inline",
	[PV_SITE_DIRECT] = "direct",
	[PV_SITE_NOP] = "nop",
};

/* Hundredths of a tick per call, the loop's own cost taken out. */
static u64 per_call(u64 ticks, u64 empty)
{
	return (ticks > empty ? ticks - empty : 0) * 100 / ITERS;
}

/* The kind the patcher gives sites of op now. */
static const char *patched_kind(unsigned int op)
{
	unsigned int i;

	for (i = 0; i < pv_nr_sites(); i++)
		if (pv_site(i)->op == op)
			return kind_names[pv_site_kind(i)];
	return "-";
}

static void print_row(const struct op_bench *b, u64 bare, u64 ind, u64 pat)
{
	printk("bench: %-20s %6llu.%02llu %6llu.%02llu %6llu.%02llu  %s\n", b->name,
	       bare / 100, bare % 100, ind / 100, ind % 100, pat / 100, pat % 100,
	       patched_kind(b->op));
}

static void bench_pvops(void)
{
	u64 empty, flags = irq_save();
	unsigned int i;

	empty_loop(ITERS);
	empty = empty_loop(ITERS);
	printk("bench: pvops, TSC ticks per call (qemu-icount: instructions), %u calls, backend %s\n",
	       ITERS, pv_backend->name);
	printk("bench: %-20s %9s %9s %9s  %s\n", "op", "bare", "indirect",
	       "patched", "patched as");
	for (i = 0; i < ARRAY_SIZE(benches); i++) {
		const struct op_bench *b = &benches[i];
		void *impl = ((void **)&pv_ops)[b->op];
		u64 bare, ind, pat;

		b->bare(ITERS);
		bare = per_call(b->bare(ITERS), empty);
		pv_repatch(b->op, impl, true);
		b->site(ITERS);
		ind = per_call(b->site(ITERS), empty);
		pv_repatch(b->op, impl, false);
		b->site(ITERS);
		pat = per_call(b->site(ITERS), empty);
		print_row(b, bare, ind, pat);
	}
	restore_flags(flags);
}
BENCHMARK("pvops", bench_pvops);
