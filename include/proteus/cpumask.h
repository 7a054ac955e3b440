/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sets of CPUs, by CPU number (0 is the boot CPU). One 64-bit word:
 * MAX_CPUS is 64, plenty for the machines we run on and cheap to pass
 * around; growing it means an array of words in struct cpumask and loops
 * in these helpers, nothing else. Setting a bit is atomic: masks may be
 * read and changed from several CPUs at once.
 */
#ifndef PROTEUS_CPUMASK_H
#define PROTEUS_CPUMASK_H

#include <proteus/types.h>

#define MAX_CPUS	64

struct cpumask {
	u64 bits;
};

static inline u64 cpumask_bits(const struct cpumask *m)
{
	return __atomic_load_n(&m->bits, __ATOMIC_RELAXED);
}

static inline void cpumask_set_cpu(unsigned int cpu, struct cpumask *m)
{
	__atomic_fetch_or(&m->bits, 1ULL << cpu, __ATOMIC_SEQ_CST);
}

static inline void cpumask_clear_cpu(unsigned int cpu, struct cpumask *m)
{
	__atomic_fetch_and(&m->bits, ~(1ULL << cpu), __ATOMIC_SEQ_CST);
}

static inline void cpumask_and(struct cpumask *dst, const struct cpumask *a,
			       const struct cpumask *b)
{
	__atomic_store_n(&dst->bits, cpumask_bits(a) & cpumask_bits(b),
			 __ATOMIC_RELAXED);
}

static inline bool cpumask_empty(const struct cpumask *m)
{
	return !cpumask_bits(m);
}

static inline bool cpumask_test_cpu(unsigned int cpu, const struct cpumask *m)
{
	return cpu < MAX_CPUS && (cpumask_bits(m) >> cpu & 1);
}

/* Population count without POPCNT, which not every x86-64 CPU has. */
static inline unsigned int cpumask_weight(const struct cpumask *m)
{
	u64 w = cpumask_bits(m);

	w -= (w >> 1) & 0x5555555555555555ULL;
	w = (w & 0x3333333333333333ULL) + ((w >> 2) & 0x3333333333333333ULL);
	w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (unsigned int)((w * 0x0101010101010101ULL) >> 56);
}

/* The lowest CPU in m numbered cpu or above; MAX_CPUS when there is none. */
static inline unsigned int cpumask_next(unsigned int cpu, const struct cpumask *m)
{
	u64 rest;

	if (cpu >= MAX_CPUS)
		return MAX_CPUS;
	rest = cpumask_bits(m) & (~0ULL << cpu);
	return rest ? (unsigned int)__builtin_ctzll(rest) : MAX_CPUS;
}

#define for_each_cpu(cpu, mask)						\
	for ((cpu) = cpumask_next(0, (mask)); (cpu) < MAX_CPUS;		\
	     (cpu) = cpumask_next((cpu) + 1, (mask)))

/* The CPUs that run the kernel and answer IPIs (kernel/smp.c). */
extern struct cpumask cpu_online_bits;
#define cpu_online_mask	((const struct cpumask *)&cpu_online_bits)

static inline bool cpu_online(unsigned int cpu)
{
	return cpumask_test_cpu(cpu, cpu_online_mask);
}

static inline unsigned int nr_cpus_online(void)
{
	return cpumask_weight(cpu_online_mask);
}

#endif
