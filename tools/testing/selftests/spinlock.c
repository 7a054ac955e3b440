// SPDX-License-Identifier: GPL-2.0
/*
 * The spinlock slow path's kick, observed. lock.wait and lock.kick are
 * re-patched to test implementations: a waiter ignores the lock and
 * waits only for its own kick flag (a kick that never comes ends the
 * wait after WAIT_MS and counts as missed), and each kick is counted per
 * target CPU. So a waiter gets the lock only if the unlocker kicks it:
 * an unlock that forgets the kick, or kicks another CPU than the one
 * holding the next ticket, shows as a missed wait and a wrong count.
 */
#include <asm/pv/ops.h>
#include <asm/pv/paravirt.h>
#include <proteus/kernel.h>
#include <proteus/selftest.h>
#include <proteus/smp.h>
#include <proteus/spinlock.h>
#include <proteus/string.h>

static u64 kicks[MAX_CPUS];
static u8 kick_pending[MAX_CPUS];
static u64 waits[MAX_CPUS];
static u64 missed[MAX_CPUS];

/* lock.wait under test: return only when kicked (or after WAIT_MS). */
static void kick_only_wait(u8 *ptr, u8 val)
{
	unsigned int cpu = smp_processor_id();
	u64 end = tsc_deadline(WAIT_NS);

	__atomic_fetch_add(&waits[cpu], 1, __ATOMIC_RELEASE);
	while (!__atomic_exchange_n(&kick_pending[cpu], 0, __ATOMIC_ACQ_REL)) {
		if (tsc_passed(end)) {
			__atomic_fetch_add(&missed[cpu], 1, __ATOMIC_RELEASE);
			return;
		}
		cpu_relax();
	}
}

/* lock.kick under test: count, and let the target's wait end. */
static void counting_kick(unsigned int cpu)
{
	__atomic_fetch_add(&kicks[cpu], 1, __ATOMIC_RELEASE);
	__atomic_store_n(&kick_pending[cpu], 1, __ATOMIC_RELEASE);
}

static DEFINE_SPINLOCK(kick_lock);
static unsigned int got_lock[MAX_CPUS];
static u32 got_lock_n;

/* On each waiter: queue for the lock, note our turn, pass it on. */
static void take_kick_lock(void *unused)
{
	u64 flags = spin_lock_irqsave(&kick_lock);

	got_lock[got_lock_n++] = smp_processor_id();
	spin_unlock_irqrestore(&kick_lock, flags);
}

/* Whether *v reaches at least want within WAIT_NS. */
static bool wait_at_least(const u64 *v, u64 want)
{
	u64 end = tsc_deadline(WAIT_NS);

	while (__atomic_load_n(v, __ATOMIC_ACQUIRE) < want)
		if (tsc_passed(end))
			return false;
	return true;
}

/*
 * With this CPU holding the lock, the others queue one by one, highest
 * CPU first (so that kicking the lowest waiting CPU, or the first one
 * found, is wrong), each seen inside its wait before the next queues:
 * their tickets follow that order. Then we unlock: every waiter must get
 * the lock in its turn, kicked exactly once, none waiting in vain.
 */
static enum test_result queue_and_release(unsigned int *queue, unsigned int n)
{
	unsigned int i, cpu;
	bool queued = true;
	u32 done;
	u64 end;

	spin_lock(&kick_lock);
	for (i = 0; i < n && queued; i++) {
		struct cpumask one = { 1ULL << queue[i] };

		smp_call_function_many(&one, take_kick_lock, NULL, false);
		queued = wait_at_least(&waits[queue[i]], 1);
	}
	spin_unlock(&kick_lock);
	/* Each got the lock, as long as they keep getting it. */
	do {
		done = __atomic_load_n(&got_lock_n, __ATOMIC_ACQUIRE);
		end = tsc_deadline(WAIT_NS);
		while (__atomic_load_n(&got_lock_n, __ATOMIC_ACQUIRE) == done &&
		       !tsc_passed(end))
			cpu_relax();
	} while (got_lock_n != done && got_lock_n < n);
	EXPECT(queued);
	EXPECT_EQ(got_lock_n, n);
	for (i = 0; i < n; i++) {
		cpu = queue[i];
		if (got_lock[i] != cpu || kicks[cpu] != 1 || missed[cpu])
			printk("# turn %u: CPU %u got it; CPU %u kicked %llu times, %llu waits missed\n",
			       i, got_lock[i], cpu, kicks[cpu], missed[cpu]);
		EXPECT_EQ(got_lock[i], cpu);
		EXPECT_EQ(kicks[cpu], 1);
		EXPECT_EQ(missed[cpu], 0);
	}
	EXPECT_EQ(kicks[smp_processor_id()], 0);
	return TEST_PASS;
}

SELFTEST(spinlock, unlock_kicks_next_waiter)
{
	void *wait = pv_ops.lock.wait, *kick = pv_ops.lock.kick;
	unsigned int queue[MAX_CPUS], n = 0, cpu;
	int patched_wait, patched_kick, restored_kick, restored_wait;
	enum test_result r;

	if (nr_cpus_online() < 2)
		return skip("one CPU online: no waiter to kick");
	for (cpu = MAX_CPUS; cpu-- > 0; )
		if (cpu_online(cpu) && cpu != smp_processor_id())
			queue[n++] = cpu;
	memset(kicks, 0, sizeof(kicks));
	memset(kick_pending, 0, sizeof(kick_pending));
	memset(waits, 0, sizeof(waits));
	memset(missed, 0, sizeof(missed));
	got_lock_n = 0;
	patched_wait = PV_REPATCH(lock.wait, kick_only_wait);
	patched_kick = patched_wait ? -1 : PV_REPATCH(lock.kick, counting_kick);
	r = patched_wait || patched_kick ? TEST_FAIL : queue_and_release(queue, n);
	/* Put the real wait and kick back before judging anything. */
	restored_kick = PV_REPATCH(lock.kick, kick);
	restored_wait = PV_REPATCH(lock.wait, wait);
	EXPECT_EQ(patched_wait, 0);
	EXPECT_EQ(patched_kick, 0);
	EXPECT_EQ(restored_kick, 0);
	EXPECT_EQ(restored_wait, 0);
	return r;
}
