// SPDX-License-Identifier: GPL-2.0
/*
 * bench=pvops: what one call of an op costs as the bare instruction, as
 * the unpatched indirect call through the table, and as the patched site,
 * all in the same boot (the op is re-patched between the last two). TSC
 * ticks per call, the empty loop subtracted; under icount (qemu-icount,
 * xen-pv-icount, xen-pvh-icount) a tick is one instruction, the
 * hypervisor's included, so the table is exact path lengths. A kernel
 * out of ring 0 (Xen PV: ring 3) cannot run the privileged bare
 * instructions: their bare column reads "-", and so does an op the
 * backend leaves on such an instruction (it faults or traps to Xen).
 * The hypercall op (a number no hypervisor knows) has no bare column.
 */
#include <asm/pv/native.h>
#include <asm/pv/paravirt.h>
#include <asm/processor.h>
#include <proteus/bench.h>
#include <proteus/kallsyms.h>
#include <proteus/printk.h>

#define ITERS	1000

struct op_bench {
	const char *name;
	unsigned int op;
	u64 (*bare)(unsigned int n);
	u64 (*site)(unsigned int n);
	const void *native;	/* privileged: the native implementation */
};

static u64 empty_loop(unsigned int n)
{
	u64 t0 = rdtsc();

	while (n--)
		barrier();
	return rdtsc() - t0;
}

/* A loop over the op's call site. */
#define BENCH_SITE(id, call)						\
static __noinline u64 site_##id(unsigned int n)				\
{									\
	u64 t0 = rdtsc();						\
	while (n--) {							\
		call;							\
		barrier();						\
	}								\
	return rdtsc() - t0;						\
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
BENCH_SITE(id, call)

#define NULL_HYPERCALL	0xffff	/* no hypervisor knows it: -ENOSYS at once */

/* The hypercall op's round trip, hypervisor included; native: -ENOSYS. */
static inline void null_hypercall(void)
{
	long ret = NULL_HYPERCALL;

	__asm__ __volatile__(PV_SITE(PV_CLOBBERS_NORMAL)
			     : "+a"(ret), ASM_CALL_CONSTRAINT
			     : PV_SITE_INPUTS(hypercall)
			     : "rdi", "rsi", "rdx", PV_NORMAL_CLOBBERS);
}

BENCH_OP(save_fl, irq.save_fl, "pushfq; popq %0", (void)save_flags())
BENCH_OP(restore_fl, irq.restore_fl, "pushq %0; popfq", restore_flags(0x2))
BENCH_OP(irq_disable, irq.irq_disable, "cli", irq_disable())
BENCH_OP(read_cr2, cpu.read_cr2, "movq %%cr2, %0", (void)read_cr2())
BENCH_OP(read_cr3, cpu.read_cr3, "movq %%cr3, %0", (void)read_cr3())
BENCH_OP(pte_val, mmu.pte_val, "movq %0, %0", (void)pte_val(0x1000))
BENCH_OP(flush_tlb_one, mmu.flush_tlb_one, "invlpg (%0)", flush_tlb_one(0))
BENCH_OP(probe, probe, "", pv_probe())
BENCH_SITE(hypercall, null_hypercall())

#define ENTRY(id, op)	{ #op, PV_OP_INDEX(op), bare_##id, site_##id, NULL }
/* An op with no one bare instruction. */
#define SITE_ENTRY(id, op)	{ #op, PV_OP_INDEX(op), NULL, site_##id, NULL }
/* An op whose bare instruction needs CPL 0, and its native implementation. */
#define PRIV_ENTRY(id, op, native)	\
	{ #op, PV_OP_INDEX(op), bare_##id, site_##id, (const void *)(native) }

/* popfq is not privileged: out of ring 0 it leaves IF alone. */
static const struct op_bench benches[] = {
	ENTRY(save_fl, irq.save_fl),
	ENTRY(restore_fl, irq.restore_fl),
	PRIV_ENTRY(irq_disable, irq.irq_disable, &native_irq_disable_callee_save),
	PRIV_ENTRY(read_cr2, cpu.read_cr2, &native_read_cr2_callee_save),
	PRIV_ENTRY(read_cr3, cpu.read_cr3, native_read_cr3),
	ENTRY(pte_val, mmu.pte_val),
	PRIV_ENTRY(flush_tlb_one, mmu.flush_tlb_one, native_flush_tlb_one),
	ENTRY(probe, probe),
	SITE_ENTRY(hypercall, hypercall),
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

static void *op_impl(unsigned int op)
{
	return ((void **)&pv_ops)[op];
}

/* The name of the function op's slot holds: what its sites run. */
static const char *impl_name(unsigned int op)
{
	const char *name;
	u64 off;

	name = kallsyms_lookup((u64)(uintptr_t)op_impl(op), &off);
	return name && !off ? name : "?";
}

#define TICKS_LEN	24

/* Hundredths as "N.NN" in buf (TICKS_LEN bytes), or "-" for none. */
static const char *ticks(char *buf, u64 v, bool none)
{
	if (none)
		return "-";
	snprintf(buf, TICKS_LEN, "%llu.%02llu", v / 100, v % 100);
	return buf;
}

static void print_row(const struct op_bench *b, bool bare_ok, bool site_ok,
		      u64 bare, u64 ind, u64 pat)
{
	char nb[TICKS_LEN], ni[TICKS_LEN], np[TICKS_LEN];

	printk("bench: %-20s %9s %9s %9s  %s %s\n", b->name, ticks(nb, bare, !bare_ok),
	       ticks(ni, ind, !site_ok), ticks(np, pat, !site_ok), patched_kind(b->op),
	       impl_name(b->op));
}

/* Hundredths of a tick per call of op's sites, unpatched or patched. */
static u64 site_cost(const struct op_bench *b, bool indirect, u64 empty)
{
	pv_repatch(b->op, op_impl(b->op), indirect);
	b->site(ITERS);
	return per_call(b->site(ITERS), empty);
}

static void bench_pvops(void)
{
	u64 empty, flags = irq_save();
	unsigned int i, cpl = current_cpl();

	empty_loop(ITERS);
	empty = empty_loop(ITERS);
	printk("bench: pvops, TSC ticks per call (under icount: instructions), %u calls, backend %s\n",
	       ITERS, pv_backend->name);
	if (cpl)
		printk("bench: kernel at CPL %u: privileged instructions are not run (-), bare or left native by the backend\n",
		       cpl);
	printk("bench: %-20s %9s %9s %9s  %s\n", "op", "bare", "indirect",
	       "patched", "patched as");
	for (i = 0; i < ARRAY_SIZE(benches); i++) {
		const struct op_bench *b = &benches[i];
		bool site_ok = !b->native || !cpl || op_impl(b->op) != b->native;
		bool bare_ok = b->bare && (!b->native || !cpl);
		u64 bare = 0, ind = 0, pat = 0;

		if (bare_ok) {
			b->bare(ITERS);
			bare = per_call(b->bare(ITERS), empty);
		}
		if (site_ok) {
			ind = site_cost(b, true, empty);
			pat = site_cost(b, false, empty);
		}
		print_row(b, bare_ok, site_ok, bare, ind, pat);
	}
	restore_flags(flags);
}
BENCHMARK("pvops", bench_pvops);
