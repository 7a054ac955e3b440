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
 */
#include <asm/extable.h>
#include <asm/ptrace.h>
#include <asm/pv/ops.h>
#include <proteus/printk.h>
#include <proteus/smp.h>
#include <proteus/string.h>
#include "paravirt.h"

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
	pv_impl_of(impl, &pi);
	return pv_build_site(out, s->addr, s->len, s->clobbers, &pi);
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
	if (op >= PV_NR_OPS || !impl)
		return -1;
	pv_alias_map();
	write_slot(op, impl);
	if (pv_repatch_smp(op, impl, force_indirect))
		repatch_sites(op, impl, force_indirect);
	pv_alias_unmap();
	sync_core();
	return 0;
}
