// SPDX-License-Identifier: GPL-2.0
/*
 * The spinlock slow path and the unlocker's kick. A waiter that has spun
 * SPIN_LAPS times records in its per-CPU area which lock and ticket it
 * waits for, counts itself in the lock's sleepers, and from then on waits
 * through pv_lock_wait(), which may return early: the loop re-reads head
 * every time. An unlocker that sees sleepers looks for the CPU holding the
 * ticket now served and kicks it (a no-op natively, where nobody sleeps).
 *
 * An interrupt handler may itself wait for a lock while its CPU was
 * waiting for another: the record is saved and restored around the wait.
 * Kicks meant for the interrupted wait are lost meanwhile, which is fine:
 * that wait re-reads head as soon as the handler returns. A kick that
 * reaches a CPU no longer waiting (the record is read racily) only costs
 * that CPU a spurious wakeup, which pv_lock_wait() allows.
 */
#include <asm/percpu.h>
#include <proteus/cpumask.h>
#include <proteus/spinlock.h>

#define SPIN_LAPS	1024

static bool served(const spinlock_t *l, u8 ticket)
{
	return __atomic_load_n(&l->head, __ATOMIC_ACQUIRE) == ticket;
}

void spin_lock_slow(spinlock_t *l, u8 ticket)
{
	struct lock_waiting *w = &this_cpu()->lock_waiting, saved = *w;
	unsigned int laps;
	u8 head;

	for (laps = 0; laps < SPIN_LAPS; laps++) {
		cpu_relax();
		if (served(l, ticket))
			return;
	}
	w->ticket = ticket;
	__atomic_store_n(&w->lock, l, __ATOMIC_RELEASE);
	/* Locked: the record is visible before anyone can count us. */
	__atomic_fetch_add(&l->sleepers, 1, __ATOMIC_SEQ_CST);
	while ((head = __atomic_load_n(&l->head, __ATOMIC_ACQUIRE)) != ticket)
		pv_lock_wait(&l->head, head);
	__atomic_fetch_sub(&l->sleepers, 1, __ATOMIC_RELAXED);
	w->ticket = saved.ticket;
	__atomic_store_n(&w->lock, saved.lock, __ATOMIC_RELEASE);
}

void spin_unlock_kick(spinlock_t *l, u8 ticket)
{
	unsigned int cpu;

	for_each_cpu(cpu, cpu_online_mask) {
		const struct lock_waiting *w = &per_cpu(cpu)->lock_waiting;

		if (__atomic_load_n(&w->lock, __ATOMIC_RELAXED) == l &&
		    w->ticket == ticket) {
			pv_lock_kick(cpu);
			return;
		}
	}
}
