// SPDX-License-Identifier: GPL-2.0
/*
 * Cross-CPU calls, stop_machine and sync_core_all.
 *
 * Each CPU has one mailbox (struct call_slot in its per-CPU area). A
 * sender, holding call_lock so that it is the mailbox's only writer,
 * waits until the target has taken its previous call, stores fn and arg,
 * bumps seq and sends the IPI. The target reads fn and arg, claims them by
 * moving taken up to seq (a compare-exchange, since a poll and the IPI
 * handler may race on the same CPU), runs fn and publishes done. The lock
 * is dropped before waiting for done, so fn may itself make calls.
 *
 * Everyone who waits here serves their own mailbox meanwhile: a CPU
 * waiting for call_lock may be the very target its holder waits for.
 */
#include <asm/irq.h>
#include <asm/percpu.h>
#include <asm/pv/ops.h>
#include <asm/pv/paravirt.h>
#include <proteus/kernel.h>
#include <proteus/panic.h>
#include <proteus/smp.h>
#include <proteus/spinlock.h>

#define CALL_TIMEOUT_MS	10000

struct cpumask cpu_online_bits;

static DEFINE_SPINLOCK(call_lock);
/* Where each CPU resumes when its call IPI returns; NULL while polling. */
static struct pt_regs *ipi_regs[MAX_CPUS];
static DEFINE_SPINLOCK(stop_lock);

/*
 * A long call that polls for more (a selftest's worker loop) finishes
 * after the calls nested in it: done only moves forward.
 */
static void mark_done(struct call_slot *s, u32 seq)
{
	u32 done = __atomic_load_n(&s->done, __ATOMIC_ACQUIRE);

	while ((s32)(seq - done) > 0 &&
	       !__atomic_compare_exchange_n(&s->done, &done, seq, false,
					    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		;
}

void smp_call_function_interrupt(void)
{
	struct call_slot *s = &this_cpu()->call;
	u32 seq = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
	u32 taken = __atomic_load_n(&s->taken, __ATOMIC_ACQUIRE);
	void (*fn)(void *arg);
	void *arg;
	u64 flags;

	if (seq == taken)
		return;
	fn = s->fn;
	arg = s->arg;
	if (!__atomic_compare_exchange_n(&s->taken, &taken, seq, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return;		/* a nested poll on this CPU ran it */
	/* Off already in the IPI handler; a waiter's poll may have them on. */
	flags = irq_save();
	fn(arg);
	restore_flags(flags);
	mark_done(s, seq);
}

void smp_call_function_irq(struct pt_regs *regs)
{
	unsigned int cpu = smp_processor_id();
	struct pt_regs *outer = ipi_regs[cpu];

	ipi_regs[cpu] = regs;
	smp_call_function_interrupt();
	ipi_regs[cpu] = outer;
}

/*
 * Spin until *counter reaches target (mod 2^32), serving our mailbox;
 * cpu is the one we wait for, in the message of the panic that ends a
 * wait nobody answers.
 */
static void wait_for(const u32 *counter, u32 target, unsigned int cpu,
		     const char *what)
{
	u64 end = tsc_deadline(CALL_TIMEOUT_MS * NSEC_PER_MSEC);

	while ((s32)(__atomic_load_n(counter, __ATOMIC_ACQUIRE) - target) < 0) {
		smp_call_function_interrupt();
		cpu_relax();
		if (tsc_passed(end))
			panic("smp: CPU %u: %s after %u ms", cpu, what,
			      CALL_TIMEOUT_MS);
	}
}

static void lock_serving(spinlock_t *l)
{
	while (!spin_trylock(l)) {
		smp_call_function_interrupt();
		cpu_relax();
	}
}

static u32 post(unsigned int cpu, void (*fn)(void *arg), void *arg)
{
	struct call_slot *s = &per_cpu(cpu)->call;
	u32 seq = s->seq;

	wait_for(&s->taken, seq, cpu, "previous call still not taken");
	s->fn = fn;
	s->arg = arg;
	__atomic_store_n(&s->seq, seq + 1, __ATOMIC_RELEASE);
	return seq + 1;
}

void smp_call_function_many(const struct cpumask *mask, void (*fn)(void *arg),
			    void *arg, bool wait)
{
	struct cpumask targets;
	u32 seq[MAX_CPUS];
	unsigned int cpu;

	cpumask_and(&targets, mask, cpu_online_mask);
	cpumask_clear_cpu(smp_processor_id(), &targets);
	if (cpumask_empty(&targets))
		return;
	lock_serving(&call_lock);
	for_each_cpu(cpu, &targets)
		seq[cpu] = post(cpu, fn, arg);
	send_ipi_mask(&targets, IRQ_VECTOR_IPI_CALL);
	spin_unlock(&call_lock);
	if (!wait)
		return;
	for_each_cpu(cpu, &targets)
		wait_for(&per_cpu(cpu)->call.done, seq[cpu], cpu,
			 "call still not finished");
}

void smp_call_function(void (*fn)(void *arg), void *arg, bool wait)
{
	smp_call_function_many(cpu_online_mask, fn, arg, wait);
}

struct stop_state {
	u32 arrived;
	u32 left;
	bool release;
};

/* On each other CPU, as a call: interrupts are off. */
static void stop_spin(void *data)
{
	struct stop_state *st = data;
	struct percpu *me = this_cpu();
	u64 spins = me->stop_spins;

	pv_repatch_rewind(ipi_regs[smp_processor_id()]);
	__atomic_fetch_add(&st->arrived, 1, __ATOMIC_ACQ_REL);
	while (!__atomic_load_n(&st->release, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&me->stop_spins, ++spins, __ATOMIC_RELAXED);
		cpu_relax();
	}
	sync_core();
	__atomic_fetch_add(&st->left, 1, __ATOMIC_RELEASE);
}

int stop_machine(int (*fn)(void *arg), void *arg)
{
	struct stop_state st = { 0 };
	unsigned int others;
	u64 flags;
	int ret;

	lock_serving(&stop_lock);
	flags = irq_save();
	others = nr_cpus_online() - 1;
	smp_call_function(stop_spin, &st, false);
	wait_for(&st.arrived, others, smp_processor_id(),
		 "other CPUs still not stopped");
	ret = fn(arg);
	__atomic_store_n(&st.release, true, __ATOMIC_RELEASE);
	/* st lives on this stack: nobody may still be reading it. */
	wait_for(&st.left, others, smp_processor_id(),
		 "other CPUs still not resumed");
	sync_core();
	restore_flags(flags);
	spin_unlock(&stop_lock);
	return ret;
}

static u64 sync_core_counts[MAX_CPUS];

/* Each CPU counts its own serializations: only it writes its counter. */
static void sync_core_counted(void)
{
	sync_core();
	__atomic_add_fetch(&sync_core_counts[smp_processor_id()], 1,
			   __ATOMIC_RELEASE);
}

/* A CPU interrupted inside a site being re-patched leaves it first. */
static void sync_core_ipi(void *unused)
{
	pv_repatch_rewind(ipi_regs[smp_processor_id()]);
	sync_core_counted();
}

void sync_core_all(void)
{
	sync_core_counted();
	smp_call_function(sync_core_ipi, NULL, true);
}

u64 sync_core_all_count(unsigned int cpu)
{
	return __atomic_load_n(&sync_core_counts[cpu], __ATOMIC_ACQUIRE);
}
