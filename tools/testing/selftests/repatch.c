// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime re-patching on a live SMP system (arch/x86/paravirt/repatch.c).
 *
 * The storm: the other CPUs run a probe site in a loop while this CPU
 * switches the probe op between every ordered pair of site kinds: the
 * inline body of pvtest_probe_one (pvops-body.S), direct calls to two C
 * functions, NOPs, and the indirect call. It runs with the breakpoint
 * protocol, or with stop_machine where no_softint.
 *
 * The steps: with the test hook pv_repatch_observer, the bytes of one site
 * after every write of the breakpoint protocol, and how many times each CPU
 * has serialized by then (sync_core_all_count): int3 alone first, every
 * CPU serialized, the tail under the int3, serialized, the first byte,
 * serialized.
 */
#include <asm/extable.h>
#include <asm/ptrace.h>
#include <asm/pv/paravirt.h>
#include <proteus/kernel.h>
#include <proteus/smp.h>
#include <proteus/selftest.h>
#include <proteus/string.h>

/*
 * What ran at a storm site: its return value. A NOP site leaves the 0 the
 * caller put in rax; each implementation returns its own number, and the
 * C ones count themselves in counted[]: a call that ran whole. The inline
 * body is one instruction, which runs whole or not at all.
 */
enum { RAN_NOP, RAN_BODY, RAN_A, RAN_B, RAN_KINDS };

struct storm_cpu {
	u64 counted[RAN_KINDS];
	u64 ran[RAN_KINDS];
	u64 loops;
	u64 strange;
} __aligned(64);

static struct storm_cpu storm[MAX_CPUS];
static volatile bool storm_stop;
static u32 storm_running;

extern u64 pvtest_probe_one(u64 *counted), pvtest_probe_body(u64 *counted);

static u64 storm_a(u64 *counted)
{
	counted[RAN_A]++;
	return RAN_A;
}

static u64 storm_b(u64 *counted)
{
	counted[RAN_B]++;
	return RAN_B;
}

/*
 * A probe site of our own: rdi points at the counters, rax starts at 0.
 * It is 8-byte aligned so that it never straddles a page: QEMU 7.2's
 * multi-threaded TCG runs such a site torn while it is re-patched, the
 * part on one page from an older translation, even with every CPU
 * serialized and with padding leading (seen at page offsets 4091 and
 * 4093, after the other pvops tests: a call to a wrong target, a resume
 * inside a NOP), which would make this test QEMU's code tracking instead.
 */
static u64 storm_site(u64 *counted)
{
	u64 ret = RAN_NOP, di = (u64)(uintptr_t)counted, si, dx;

	__asm__ __volatile__(".balign 8\n\t"
			     PV_SITE(PV_CLOBBERS_NORMAL)
			     : "+a"(ret), "+D"(di), "=S"(si), "=d"(dx),
			       ASM_CALL_CONSTRAINT
			     : PV_SITE_INPUTS(probe)
			     : PV_NORMAL_CLOBBERS);
	return ret;
}

/*
 * The probe op is void (*)(void) for its other users, but only our sites
 * run while these implementations are in place: they take the counters.
 */
static int probe_repatch(void *impl, bool indirect)
{
	return pv_repatch(PV_OP_INDEX(probe), impl, indirect);
}

static void storm_worker(void *unused)
{
	struct storm_cpu *me = &storm[smp_processor_id()];

	__atomic_add_fetch(&storm_running, 1, __ATOMIC_ACQ_REL);
	while (!storm_stop) {
		u64 r = storm_site(me->counted);

		if (r < RAN_KINDS)
			me->ran[r]++;
		else
			me->strange++;
		__atomic_store_n(&me->loops, me->loops + 1, __ATOMIC_RELEASE);
		smp_call_function_interrupt();
	}
	__atomic_sub_fetch(&storm_running, 1, __ATOMIC_ACQ_REL);
}

/* The states the storm moves between, each with the kind its sites take. */
static const struct storm_state {
	void *impl;
	bool indirect;
	enum pv_site_kind kind;
	const char *name;
} storm_states[] = {
	{ pvtest_probe_one, false, PV_SITE_INLINE, "inline body" },
	{ storm_a, false, PV_SITE_DIRECT, "direct a" },
	{ storm_b, false, PV_SITE_DIRECT, "direct b" },
	{ pv_nop, false, PV_SITE_NOP, "nop" },
	{ storm_b, true, PV_SITE_INDIRECT, "indirect b" },
};

#define NR_STATES	ARRAY_SIZE(storm_states)
/* Steps 1..NR_STATES-1 from every state: every ordered pair, per round. */
#define STORM_ROUNDS	10
#define STORM_FLIPS	(STORM_ROUNDS * NR_STATES * (NR_STATES - 1))

static bool probe_sites_are(enum pv_site_kind kind)
{
	unsigned int i, n = pv_nr_sites();

	for (i = 0; i < n; i++)
		if (pv_site(i)->op == PV_OP_INDEX(probe) && pv_site_kind(i) != kind)
			return false;
	return true;
}

/*
 * Wait until every worker has finished two calls since 'seen': the second
 * began after the flip, so each state is run. Bounded, in case a worker
 * died.
 */
static bool workers_moved(u64 *seen)
{
	unsigned int cpu, self = smp_processor_id();
	u64 end = tsc_deadline(WAIT_NS);

	for_each_cpu(cpu, cpu_online_mask) {
		if (cpu == self)
			continue;
		while (__atomic_load_n(&storm[cpu].loops, __ATOMIC_ACQUIRE) <
		       seen[cpu] + 2) {
			if (tsc_passed(end))
				return false;
			cpu_relax();
		}
		seen[cpu] = storm[cpu].loops;
	}
	return true;
}

static bool storm_start(unsigned int others)
{
	u64 end = tsc_deadline(WAIT_NS);

	memset(storm, 0, sizeof(storm));
	storm_stop = false;
	smp_call_function(storm_worker, NULL, false);
	while (__atomic_load_n(&storm_running, __ATOMIC_ACQUIRE) < others &&
	       !tsc_passed(end))
		cpu_relax();
	return storm_running == others;
}

static bool storm_end(void)
{
	u64 end = tsc_deadline(WAIT_NS);

	storm_stop = true;
	while (__atomic_load_n(&storm_running, __ATOMIC_ACQUIRE) && !tsc_passed(end))
		cpu_relax();
	return !storm_running;
}

static enum test_result storm_check(u64 rewinds)
{
	u64 ran[RAN_KINDS] = { 0 }, loops = 0, strange = 0;
	unsigned int cpu, k;

	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		for (k = 0; k < RAN_KINDS; k++) {
			ran[k] += storm[cpu].ran[k];
			/* A call ran whole iff it said so. */
			if (k == RAN_A || k == RAN_B)
				EXPECT_EQ(storm[cpu].counted[k], storm[cpu].ran[k]);
		}
		loops += storm[cpu].loops;
		strange += storm[cpu].strange;
	}
	printk("# %u flips (%s), %llu calls: %llu nop, %llu inline, %llu a, %llu b; %llu late breakpoints, %llu CPUs moved out of a site\n",
	       (unsigned int)STORM_FLIPS, no_softint ? "stop_machine" : "breakpoints",
	       (unsigned long long)loops, (unsigned long long)ran[RAN_NOP],
	       (unsigned long long)ran[RAN_BODY], (unsigned long long)ran[RAN_A],
	       (unsigned long long)ran[RAN_B],
	       (unsigned long long)pv_late_breakpoints(),
	       (unsigned long long)(pv_repatch_rewinds() - rewinds));
	EXPECT_EQ(strange, 0);
	EXPECT_EQ(ran[RAN_NOP] + ran[RAN_BODY] + ran[RAN_A] + ran[RAN_B], loops);
	for (k = 0; k < RAN_KINDS; k++)
		EXPECT(ran[k] > 0);
	return TEST_PASS;
}

SELFTEST(pvops, repatch_storm_smp)
{
	unsigned int others = nr_cpus_online() - 1, i, state = 0;
	u64 seen[MAX_CPUS] = { 0 }, rewinds = pv_repatch_rewinds();
	enum test_result r = TEST_PASS;

	if (!others)
		return skip("needs at least 2 CPUs online");
	if (probe_repatch(storm_states[0].impl, false)) {
		int unpatched = PV_REPATCH(probe, pv_nop);

		printk("# re-patching the probe to %s failed\n", storm_states[0].name);
		EXPECT_EQ(unpatched, 0);
		return TEST_FAIL;
	}
	if (!storm_start(others)) {
		/* Stop the workers that did start, and put the op back, first. */
		bool ended = storm_end();
		int unpatched = PV_REPATCH(probe, pv_nop);

		printk("# %u of %u workers started\n", storm_running, others);
		EXPECT(ended);
		EXPECT_EQ(unpatched, 0);
		return TEST_FAIL;
	}
	for (i = 0; i < STORM_FLIPS && r == TEST_PASS; i++) {
		unsigned int step = 1 + (i / NR_STATES) % (NR_STATES - 1);
		const struct storm_state *to;

		state = (state + step) % NR_STATES;
		to = &storm_states[state];
		if (probe_repatch(to->impl, to->indirect) ||
		    !probe_sites_are(to->kind)) {
			printk("# flip %u to %s: the probe sites are not %s\n",
			       i, to->name, to->name);
			r = TEST_FAIL;
		} else if (!workers_moved(seen)) {
			printk("# flip %u to %s: a worker stopped running\n", i, to->name);
			r = TEST_FAIL;
		}
	}
	if (!storm_end()) {
		printk("# %u workers still running\n", storm_running);
		r = TEST_FAIL;
	}
	EXPECT_EQ(PV_REPATCH(probe, pv_nop), 0);
	if (r != TEST_PASS)
		return r;
	return storm_check(rewinds);
}

/* --- the breakpoint protocol, step by step --- */

#define MAX_STEPS	8

static struct repatch_step {
	u8 bytes[PV_SITE_LEN];
	u64 synced[MAX_CPUS];
} steps[MAX_STEPS];
static unsigned int nr_steps, watched_site;

static void record_step(unsigned int site)
{
	struct repatch_step *st = &steps[nr_steps];
	unsigned int cpu;

	if (site != watched_site)
		return;
	if (nr_steps++ >= MAX_STEPS)
		return;
	memcpy(st->bytes, (const void *)(uintptr_t)pv_site(site)->addr, PV_SITE_LEN);
	for_each_cpu(cpu, cpu_online_mask)
		st->synced[cpu] = sync_core_all_count(cpu);
}

/* Every online CPU serialized exactly 'rounds' times since 'base'. */
static bool all_synced(const u64 *now, const u64 *base, u64 rounds)
{
	unsigned int cpu;

	for_each_cpu(cpu, cpu_online_mask) {
		if (now[cpu] - base[cpu] != rounds) {
			printk("# CPU %u serialized %llu times, expected %llu\n", cpu,
			       (unsigned long long)(now[cpu] - base[cpu]),
			       (unsigned long long)rounds);
			return false;
		}
	}
	return true;
}

static void print_step(unsigned int n, const u8 *b)
{
	printk("# step %u: %02x %02x %02x %02x %02x %02x\n", n, b[0], b[1], b[2],
	       b[3], b[4], b[5]);
}

static int first_probe_site(void)
{
	unsigned int i, n = pv_nr_sites();

	for (i = 0; i < n; i++)
		if (pv_site(i)->op == PV_OP_INDEX(probe) &&
		    pv_site_kind(i) != PV_SITE_INDIRECT)
			return (int)i;
	return -1;
}

SELFTEST(pvops, repatch_breakpoint_steps)
{
	/* A 1-byte NOP, then the body (movl $1, %eax) ending at the site's end. */
	static const u8 want[PV_SITE_LEN] = { 0x90, 0xb8, 0x01, 0x00, 0x00, 0x00 };
	u8 old[PV_SITE_LEN], after[PV_SITE_LEN];
	u64 base[MAX_CPUS], end[MAX_CPUS];
	unsigned int cpu, n;
	int site, patched_a, patched_one = -1, unpatched;

	if (nr_cpus_online() < 2)
		return skip("needs at least 2 CPUs online (one CPU re-patches without breakpoints)");
	if (no_softint)
		return skip("no_softint: re-patching parks the other CPUs with stop_machine instead");
	patched_a = probe_repatch(storm_a, false);
	site = first_probe_site();
	if (patched_a || site < 0) {
		unpatched = PV_REPATCH(probe, pv_nop);
		EXPECT_EQ(patched_a, 0);
		EXPECT(site >= 0);
		EXPECT_EQ(unpatched, 0);
		return TEST_FAIL;
	}
	watched_site = (unsigned int)site;
	memcpy(old, (const void *)(uintptr_t)pv_site(watched_site)->addr, PV_SITE_LEN);
	for_each_cpu(cpu, cpu_online_mask)
		base[cpu] = sync_core_all_count(cpu);
	nr_steps = 0;
	/* A 1-byte NOP, then the call ending at the site's end: only then watch. */
	if (old[0] == 0x90 && old[1] == 0xe8) {
		pv_repatch_observer = record_step;
		patched_one = probe_repatch(pvtest_probe_one, false);
		pv_repatch_observer = NULL;
	}
	for_each_cpu(cpu, cpu_online_mask)
		end[cpu] = sync_core_all_count(cpu);
	memcpy(after, (const void *)(uintptr_t)pv_site(watched_site)->addr, PV_SITE_LEN);
	unpatched = PV_REPATCH(probe, pv_nop);

	EXPECT_EQ(old[0], 0x90);
	EXPECT_EQ(old[1], 0xe8);
	EXPECT_EQ(patched_one, 0);
	EXPECT_EQ(unpatched, 0);

	for (n = 0; n < nr_steps && n < MAX_STEPS; n++)
		print_step(n, steps[n].bytes);
	EXPECT_EQ(nr_steps, 3);
	/* What the site holds now, independently of the patcher. */
	EXPECT(!memcmp(after, want, PV_SITE_LEN));
	/* 1: int3 on the first byte, nothing else, before any serialization. */
	EXPECT_EQ(steps[0].bytes[0], 0xcc);
	EXPECT(!memcmp(steps[0].bytes + 1, old + 1, PV_SITE_LEN - 1));
	EXPECT(all_synced(steps[0].synced, base, 0));
	/* 2: every CPU serialized, then the tail, under the int3. */
	EXPECT_EQ(steps[1].bytes[0], 0xcc);
	EXPECT(!memcmp(steps[1].bytes + 1, after + 1, PV_SITE_LEN - 1));
	EXPECT(all_synced(steps[1].synced, base, 1));
	/* 3: serialized again, then the first byte. */
	EXPECT(!memcmp(steps[2].bytes, after, PV_SITE_LEN));
	EXPECT(all_synced(steps[2].synced, base, 2));
	/* And a last serialization before the re-patch returns. */
	EXPECT(all_synced(end, base, 3));
	return TEST_PASS;
}

/* --- CPUs stopped inside a site --- */

/*
 * From nop (66 0f 1f 44 00 00) to direct (90, e8 rel32): a CPU interrupted
 * at offset off of the site while it changes. During the re-patch (from
 * the observer, at its first write), the protocol's hook must move it back
 * to the start from inside the NOPs of either form (1-5) and leave it at
 * 0 and 6 (past the site); from direct to inline (90, b8 imm32) only from
 * 1, the end of both forms' NOP; after the re-patch, nowhere.
 */
static u64 resumed[PV_SITE_LEN + 1];
static bool rewind_checked;

static void rewind_probe(unsigned int site)
{
	u64 at = pv_site(site)->addr;
	struct pt_regs regs;
	unsigned int off;

	if (site != watched_site || rewind_checked)
		return;
	rewind_checked = true;
	for (off = 0; off <= PV_SITE_LEN; off++) {
		memset(&regs, 0, sizeof(regs));
		regs.rip = at + off;
		pv_repatch_rewind(&regs);
		resumed[off] = regs.rip - at;
	}
}

/* Re-patch the probe op to impl; where a CPU stopped at each offset resumes. */
static bool rewind_during(void *impl, const u64 *want)
{
	unsigned int off;
	bool ok = true;

	rewind_checked = false;
	pv_repatch_observer = rewind_probe;
	ok = probe_repatch(impl, false) == 0;
	pv_repatch_observer = NULL;
	ok = ok && rewind_checked;
	for (off = 0; ok && off <= PV_SITE_LEN; off++) {
		if (resumed[off] != want[off])
			printk("# stopped at +%u: resumes at +%llu, expected +%llu\n",
			       off, (unsigned long long)resumed[off],
			       (unsigned long long)want[off]);
		ok = resumed[off] == want[off];
	}
	return ok;
}

SELFTEST(pvops, repatch_rewinds_inside_padding)
{
	static const u64 to_direct[PV_SITE_LEN + 1] = { 0, 0, 0, 0, 0, 0, 6 };
	static const u64 to_inline[PV_SITE_LEN + 1] = { 0, 0, 2, 3, 4, 5, 6 };
	struct pt_regs regs = { 0 };
	bool direct_ok, inline_ok;
	u64 rewinds;
	int site;

	EXPECT_EQ(PV_REPATCH(probe, pv_nop), 0);
	site = first_probe_site();
	EXPECT(site >= 0);
	watched_site = (unsigned int)site;
	rewinds = pv_repatch_rewinds();
	direct_ok = rewind_during(storm_a, to_direct);
	inline_ok = rewind_during(pvtest_probe_one, to_inline);
	regs.rip = pv_site(watched_site)->addr + 1;
	pv_repatch_rewind(&regs);
	EXPECT_EQ(PV_REPATCH(probe, pv_nop), 0);

	EXPECT(direct_ok);
	EXPECT(inline_ok);
	EXPECT_EQ(pv_repatch_rewinds(), rewinds + 5 + 1);
	/* No re-patch in progress: nobody is moved. */
	EXPECT_EQ(regs.rip, pv_site(watched_site)->addr + 1);
	return TEST_PASS;
}

/* --- bodies of several instructions --- */

/*
 * With other CPUs online, a body a CPU could stop inside is called, not
 * inlined; with one CPU it is inlined as at boot.
 */
SELFTEST(pvops, repatch_multi_insn_body_called)
{
	enum pv_site_kind want = nr_cpus_online() > 1 ? PV_SITE_DIRECT : PV_SITE_INLINE;
	bool ok;

	EXPECT_EQ(probe_repatch(pvtest_probe_body, false), 0);
	ok = first_probe_site() >= 0 && probe_sites_are(want);
	EXPECT_EQ(PV_REPATCH(probe, pv_nop), 0);
	if (!ok)
		printk("# the probe sites are not %s\n",
		       want == PV_SITE_DIRECT ? "direct calls" : "inline");
	EXPECT(ok);
	return TEST_PASS;
}

/* The sites of an op that the boot patcher inlined a multi-instruction body into. */
static int multi_insn_inline_op(void)
{
	unsigned int i, n = pv_nr_sites();
	struct pv_impl pi;

	for (i = 0; i < n; i++) {
		const struct pv_site *s = pv_site(i);

		if (pv_site_kind(i) != PV_SITE_INLINE || s->op == PV_OP_INDEX(probe))
			continue;
		pv_impl_of(((void **)&pv_ops)[s->op], &pi);
		if (pi.body_insns > 1)
			return s->op;
	}
	return -1;
}

SELFTEST(pvops, repatch_refuses_multi_insn_sites_smp)
{
	u8 before[PV_SITE_LEN];
	const struct pv_site *s = NULL;
	unsigned int i, n = pv_nr_sites();
	void *impl;
	int op;

	if (nr_cpus_online() < 2)
		return skip("needs at least 2 CPUs online (one CPU may re-patch any op)");
	op = multi_insn_inline_op();
	if (op < 0)
		return skip("no op's sites hold an inline body of several instructions on this backend");
	for (i = 0; i < n && !s; i++)
		if (pv_site(i)->op == (unsigned int)op && pv_site_kind(i) == PV_SITE_INLINE)
			s = pv_site(i);
	memcpy(before, (const void *)(uintptr_t)s->addr, PV_SITE_LEN);
	impl = ((void **)&pv_ops)[op];
	/* Even to the same implementation: nothing may be written. */
	EXPECT_EQ(pv_repatch((unsigned int)op, impl, false), PV_REPATCH_EMULTI);
	EXPECT(((void **)&pv_ops)[op] == impl);
	EXPECT(!memcmp(before, (const void *)(uintptr_t)s->addr, PV_SITE_LEN));
	return TEST_PASS;
}
