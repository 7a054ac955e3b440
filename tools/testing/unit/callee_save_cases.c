// SPDX-License-Identifier: GPL-2.0
/*
 * Assignments to the ops table, compiled one case at a time by
 * test_callee_save.sh with the kernel's compiler and flags. CASE_GOOD is
 * how backends fill callee-save and ordinary slots and must compile; each
 * other case stores a value of the wrong kind and must be refused.
 */
#include <asm/pv/ops.h>
#include <asm/pv/paravirt.h>

u64 wrapped(void);
u64 unwrapped(void);
void halt_fn(void);
void assign(void);

u64 wrapped(void)
{
	return X86_EFLAGS_IF;
}
PV_CALLEE_SAVE_THUNK(wrapped);

u64 unwrapped(void)
{
	return 0;
}

void halt_fn(void)
{
}

#if defined(CASE_GOOD)
static struct pv_irq_ops ops __used = {
	.save_fl = PV_CALLEE_SAVE(wrapped),
	.safe_halt = halt_fn,
};
#elif defined(CASE_PLAIN_IN_INITIALIZER)
static struct pv_irq_ops ops __used = {
	.save_fl = unwrapped,
};
#endif

void assign(void)
{
#if defined(CASE_GOOD)
	pv_ops.irq.save_fl = PV_CALLEE_SAVE(wrapped);
	pv_ops.irq.safe_halt = halt_fn;
	PV_REPATCH_CALLEE(irq.save_fl, PV_CALLEE_SAVE(wrapped));
	PV_REPATCH(irq.safe_halt, halt_fn);
#elif defined(CASE_PLAIN_INTO_CALLEE)
	pv_ops.irq.save_fl = unwrapped;
#elif defined(CASE_CALLEE_INTO_PLAIN)
	pv_ops.irq.safe_halt = PV_CALLEE_SAVE(wrapped);
#elif defined(CASE_NO_THUNK)
	pv_ops.irq.save_fl = PV_CALLEE_SAVE(unwrapped);
#elif defined(CASE_REPATCH_PLAIN_INTO_CALLEE)
	PV_REPATCH(irq.save_fl, unwrapped);
#elif defined(CASE_REPATCH_CALLEE_INTO_PLAIN)
	PV_REPATCH_CALLEE(irq.safe_halt, PV_CALLEE_SAVE(wrapped));
#endif
}
