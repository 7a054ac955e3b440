// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime re-patching: switch one op to another implementation on a live
 * system. The table slot changes first (so any indirect site already
 * follows), then every site of the op that the boot patcher handled is
 * rewritten through the writable alias.
 *
 * With other CPUs running, a site must never be seen half-written. The
 * breakpoint protocol: int3 on every site's first byte, serialize every
 * CPU, write the tails, serialize, write the first bytes, serialize. A CPU
 * that reaches a site meanwhile traps, and the #BP handler (on its own IST
 * stack) does what the site stands for: a call to whatever the op's table
 * slot holds (written first, so the new implementation; its inline body
 * and its function do the same), or nothing for pv_nop. That is right at
 * any moment, which also covers a CPU running a breakpoint it fetched
 * before the site was finished: QEMU's multi-threaded TCG does that now
 * and then (seen in about 1 of 6 storm runs), although every CPU has
 * serialized. Where software interrupts cannot run (no_softint), every
 * other CPU is instead parked in a stop-machine rendezvous.
 *
 * The int3 only catches CPUs that arrive at a site's first byte. A CPU
 * can also resume inside a site: returning from a call, or interrupted
 * there. Every form ends its call or body at the site's end and leads
 * with its NOPs (insn.c), so a return always lands past the site, and a
 * CPU interrupted inside a site has at most run NOPs: while an op is
 * re-patched, the handlers of the serializing IPI and of the stop-machine
 * rendezvous move such a CPU back to the site's start (pv_repatch_rewind),
 * from where it meets the int3 or the finished form. That holds only for
 * bodies of one instruction: with other CPUs online, a body of several is
 * called instead of inlined, and an op whose sites hold one (inlined at
 * boot) is not re-patched at all.
 */
#include <asm/extable.h>
#include <asm/ptrace.h>
#include <asm/pv/ops.h>
#include <proteus/printk.h>
#include <proteus/smp.h>
#include <proteus/string.h>
#include "paravirt.h"

/*
 * What impl looks like to the patcher now: with other CPUs online, a body
 * of several instructions is none (a CPU could stop between them).
 */
static void impl_now(void *impl, struct pv_impl *pi)
{
	pv_impl_of(impl, pi);
	if (pi->body_insns > 1 && nr_cpus_online() > 1)
		pi->body = NULL;
}

/* The bytes site i must hold for impl (or the indirect call). */
static enum pv_site_kind site_bytes(unsigned int i, void *impl, bool indirect,
				    u8 *out)
{
	const struct pv_site *s = pv_site(i);
	struct pv_impl pi;

	if (indirect) {
		pv_build_indirect(out, s->addr, (u64)(uintptr_t)pv_op_slot(s->op));
		return PV_SITE_INDIRECT;
	}
	impl_now(impl, &pi);
	return pv_build_site(out, s->addr, s->len, s->clobbers, &pi);
}

/*
 * The op being re-patched, while its sites change: for each of its sites,
 * the leading NOP bytes of its old form or its new one, whichever is more.
 * A CPU stopped inside those has run nothing of the site.
 */
static struct {
	unsigned int op;
	bool active;
	u8 lead[PV_MAX_SITES];
} window;
static u64 rewinds;

static unsigned int lead_of(unsigned int i, void *impl, enum pv_site_kind k)
{
	struct pv_impl pi;

	impl_now(impl, &pi);
	return pv_site_lead(k, pv_site(i)->len, &pi);
}

static void window_open(unsigned int op, void *old, void *impl, bool indirect)
{
	unsigned int i, n = pv_nr_sites(), was, will;
	u8 bytes[PV_MAX_SITE_LEN];

	for (i = 0; i < n; i++) {
		if (pv_site(i)->op != op || pv_site_bad(i))
			continue;
		was = lead_of(i, old, pv_site_kind(i));
		will = lead_of(i, impl, site_bytes(i, impl, indirect, bytes));
		window.lead[i] = (u8)(was > will ? was : will);
	}
	window.op = op;
	__atomic_store_n(&window.active, true, __ATOMIC_RELEASE);
}

static void window_close(void)
{
	__atomic_store_n(&window.active, false, __ATOMIC_RELEASE);
}

void pv_repatch_rewind(struct pt_regs *regs)
{
	unsigned int i, n = pv_nr_sites();

	if (!regs || !__atomic_load_n(&window.active, __ATOMIC_ACQUIRE))
		return;
	for (i = 0; i < n; i++) {
		const struct pv_site *s = pv_site(i);
		u64 at;

		if (s->op != window.op || pv_site_bad(i))
			continue;
		at = pv_site_resume(regs->rip, s->addr, s->len, window.lead[i]);
		if (at != regs->rip) {
			regs->rip = at;
			__atomic_add_fetch(&rewinds, 1, __ATOMIC_RELAXED);
			return;
		}
	}
}

u64 pv_repatch_rewinds(void)
{
	return __atomic_load_n(&rewinds, __ATOMIC_RELAXED);
}

/* Whether op's sites hold an inline body of several instructions. */
static bool holds_multi_insn_body(unsigned int op)
{
	unsigned int i, n = pv_nr_sites();
	struct pv_impl pi;

	pv_impl_of(*pv_op_slot(op), &pi);
	if (pi.body_insns <= 1)
		return false;
	for (i = 0; i < n; i++)
		if (pv_site(i)->op == op && pv_site_kind(i) == PV_SITE_INLINE)
			return true;
	return false;
}

static void write_slot(unsigned int op, void *impl)
{
	void **slot = pv_op_slot(op);

	memcpy(pv_writable((u64)(uintptr_t)slot), &impl, sizeof(impl));
}

static u64 late_breakpoints;
void (*pv_repatch_observer)(unsigned int site);

/* #BP at the start of a pv site: a CPU ran into a site being rewritten. */
bool pv_bp_emulate(struct pt_regs *regs)
{
	unsigned int i, n = pv_nr_sites();
	u64 at = regs->rip - 1;

	for (i = 0; i < n; i++) {
		const struct pv_site *s = pv_site(i);
		void *impl = READ_ONCE(*pv_op_slot(s->op));

		if (s->addr != at)
			continue;
		if (*(volatile u8 *)(uintptr_t)at != 0xcc)
			__atomic_add_fetch(&late_breakpoints, 1, __ATOMIC_RELAXED);
		if (impl != (void *)pv_nop) {
			regs->rsp -= 8;
			*(u64 *)(uintptr_t)regs->rsp = s->addr + s->len;
			regs->rip = (u64)(uintptr_t)impl;
		} else {
			regs->rip = s->addr + s->len;
		}
		return true;
	}
	return false;
}

u64 pv_late_breakpoints(void)
{
	return late_breakpoints;
}

static void write_sites(unsigned int op, void *impl, bool indirect,
			unsigned int from, unsigned int to, bool int3)
{
	unsigned int i, n = pv_nr_sites();

	for (i = 0; i < n; i++) {
		const struct pv_site *s = pv_site(i);
		u8 bytes[PV_MAX_SITE_LEN];
		enum pv_site_kind k;

		if (s->op != op || pv_site_bad(i))
			continue;
		k = site_bytes(i, impl, indirect, bytes);
		if (k == PV_SITE_INDIRECT)
			pv_build_indirect(bytes, s->addr,
					  (u64)(uintptr_t)pv_op_slot(s->op));
		if (int3)
			bytes[0] = 0xcc;
		memcpy(pv_writable(s->addr) + from, bytes + from, to - from);
		if (!int3)
			pv_set_site_kind(i, k);
		if (pv_repatch_observer)
			pv_repatch_observer(i);
	}
}

static void repatch_breakpoints(unsigned int op, void *impl, bool indirect)
{
	write_sites(op, impl, indirect, 0, 1, true);
	sync_core_all();
	write_sites(op, impl, indirect, 1, PV_SITE_LEN, false);
	sync_core_all();
	write_sites(op, impl, indirect, 0, 1, false);
	sync_core_all();
}

struct stop_args {
	unsigned int op;
	void *impl;
	bool indirect;
};

/* All sites of op at once: only safe when no other CPU can run them. */
static void repatch_sites(unsigned int op, void *impl, bool indirect)
{
	write_sites(op, impl, indirect, 0, PV_SITE_LEN, false);
}

static int repatch_stopped(void *arg)
{
	struct stop_args *a = arg;

	repatch_sites(a->op, a->impl, a->indirect);
	return 0;
}

/* Returns nonzero when no other CPU runs: the caller patches directly. */
static int pv_repatch_smp(unsigned int op, void *impl, bool indirect)
{
	struct stop_args a = { op, impl, indirect };

	if (nr_cpus_online() <= 1)
		return 1;
	if (no_softint)
		stop_machine(repatch_stopped, &a);
	else
		repatch_breakpoints(op, impl, indirect);
	return 0;
}

int pv_repatch(unsigned int op, void *impl, bool force_indirect)
{
	void *old;

	if (op >= PV_NR_OPS || !impl)
		return PV_REPATCH_EINVAL;
	if (nr_cpus_online() > 1 && holds_multi_insn_body(op)) {
		pr_warn("pv: op %u's sites hold an inline body of several instructions; another CPU may be stopped inside one: not re-patched\n",
			op);
		return PV_REPATCH_EMULTI;
	}
	old = *pv_op_slot(op);
	window_open(op, old, impl, force_indirect);
	pv_alias_map();
	write_slot(op, impl);
	if (pv_repatch_smp(op, impl, force_indirect))
		repatch_sites(op, impl, force_indirect);
	pv_alias_unmap();
	sync_core();
	window_close();
	return 0;
}
