/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ticket spinlocks: CPUs get the lock in the order they asked for it. A
 * waiter spins a while, then hands the wait to the backend through
 * pv_lock_wait(), which natively keeps spinning (with pause) and under a
 * hypervisor may sleep until the unlocker kicks it. Unlock is a locked
 * add: its full barrier orders the release before the look at sleepers,
 * so a waiter that has just gone to sleep is always seen and kicked.
 *
 * The one-byte tickets allow 255 waiters, far more than MAX_CPUS. A lock
 * taken in interrupt handlers must be taken with interrupts off elsewhere
 * (spin_lock_irqsave), or the handler may spin on its own CPU's lock.
 */
#ifndef PROTEUS_SPINLOCK_H
#define PROTEUS_SPINLOCK_H

#include <proteus/types.h>
#include <asm/processor.h>
#include <asm/pv/ops.h>

typedef struct spinlock {
	u8 head;	/* the ticket being served */
	u8 tail;	/* the next ticket to hand out */
	u8 sleepers;	/* waiters inside pv_lock_wait, who may need a kick */
} spinlock_t;

#define DEFINE_SPINLOCK(name)	spinlock_t name = { 0, 0, 0 }

void spin_lock_slow(spinlock_t *l, u8 ticket);
void spin_unlock_kick(spinlock_t *l, u8 ticket);

static inline void spin_lock(spinlock_t *l)
{
	u8 ticket = __atomic_fetch_add(&l->tail, 1, __ATOMIC_ACQUIRE);

	if (__atomic_load_n(&l->head, __ATOMIC_ACQUIRE) != ticket)
		spin_lock_slow(l, ticket);
}

/*
 * Take the next ticket only if it is the one being served. head moves
 * only on unlock, so tail == head seen here means the lock is free.
 */
static inline bool spin_trylock(spinlock_t *l)
{
	u8 ticket = __atomic_load_n(&l->head, __ATOMIC_RELAXED);
	u8 next = ticket + 1;

	return __atomic_compare_exchange_n(&l->tail, &ticket, next, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void spin_unlock(spinlock_t *l)
{
	u8 next = __atomic_add_fetch(&l->head, 1, __ATOMIC_SEQ_CST);

	if (__atomic_load_n(&l->sleepers, __ATOMIC_RELAXED))
		spin_unlock_kick(l, next);
}

static inline u64 spin_lock_irqsave(spinlock_t *l)
{
	u64 flags = irq_save();

	spin_lock(l);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, u64 flags)
{
	spin_unlock(l);
	restore_flags(flags);
}

#endif
