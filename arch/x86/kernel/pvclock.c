// SPDX-License-Identifier: GPL-2.0
/*
 * Reading pvclock records (asm/pvclock.h): the version-retry protocol,
 * the TSC scaling, and monotonic time across CPUs when the TSCs may not
 * agree. Shared by the KVM and Xen backends.
 */
#include <asm/processor.h>
#include <asm/pvclock.h>
#include <proteus/kernel.h>
#include <xen/xen.h>

#define OFFSET_SAME(f) \
	(__builtin_offsetof(struct pvclock_vcpu_time_info, f) == \
	 __builtin_offsetof(struct vcpu_time_info, f))
_Static_assert(sizeof(struct pvclock_vcpu_time_info) == 32 &&
	       sizeof(struct vcpu_time_info) == 32 &&
	       OFFSET_SAME(version) && OFFSET_SAME(tsc_timestamp) &&
	       OFFSET_SAME(system_time) && OFFSET_SAME(tsc_to_system_mul) &&
	       OFFSET_SAME(tsc_shift) && OFFSET_SAME(flags),
	       "KVM's pvclock record has Xen's vcpu_time_info layout");

static u8 valid_flags;
static u64 last_ns;

void pvclock_trust_stable_flag(bool trust)
{
	valid_flags = trust ? PVCLOCK_TSC_STABLE_BIT : 0;
}

bool pvclock_stable_flag_trusted(void)
{
	return valid_flags != 0;
}

/* lfence orders rdtsc after the loads of the record before it. */
static inline u64 rdtsc_ordered(void)
{
	__asm__ __volatile__("lfence" ::: "memory");
	return rdtsc();
}

static u64 scale(u64 delta, u32 mul, s8 shift)
{
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	return (u64)(((unsigned __int128)delta * mul) >> 32);
}

u64 pvclock_read_raw(const struct pvclock_vcpu_time_info *t, u8 *flags)
{
	u32 version;
	u64 ns;

	do {
		version = READ_ONCE(t->version);
		barrier();
		ns = READ_ONCE(t->system_time) +
		     scale(rdtsc_ordered() - READ_ONCE(t->tsc_timestamp),
			   READ_ONCE(t->tsc_to_system_mul), READ_ONCE(t->tsc_shift));
		*flags = READ_ONCE(t->flags);
		barrier();
	} while ((version & 1) || version != READ_ONCE(t->version));
	return ns;
}

/*
 * Each vCPU's record is exact for its own TSC, but two vCPUs' TSCs may
 * disagree a little; unless the host vouches for them, never return less
 * than any CPU has already been given.
 */
u64 pvclock_read(const struct pvclock_vcpu_time_info *t)
{
	u8 flags;
	u64 ns = pvclock_read_raw(t, &flags), last;

	if (flags & valid_flags & PVCLOCK_TSC_STABLE_BIT)
		return ns;
	last = __atomic_load_n(&last_ns, __ATOMIC_RELAXED);
	do {
		if (ns <= last)
			return last;
	} while (!__atomic_compare_exchange_n(&last_ns, &last, ns, false,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return ns;
}

bool pvclock_valid(const struct pvclock_vcpu_time_info *t)
{
	u32 version = READ_ONCE(t->version);

	return version && !(version & 1) && READ_ONCE(t->tsc_to_system_mul);
}

/* ns per tick is mul / 2^32 after the shift, so kHz = 10^6 * 2^32 / mul. */
u64 pvclock_tsc_khz(const struct pvclock_vcpu_time_info *t)
{
	u32 mul = READ_ONCE(t->tsc_to_system_mul);
	s8 shift = READ_ONCE(t->tsc_shift);
	u64 khz;

	if (!mul)
		return 0;
	khz = (1000000ULL << 32) / mul;
	return shift >= 0 ? khz >> shift : khz << -shift;
}

u64 pvclock_wallclock(const struct pvclock_wall_clock *w,
		      const struct pvclock_vcpu_time_info *t)
{
	u32 version, sec, nsec;
	u8 flags;

	do {
		version = READ_ONCE(w->version);
		barrier();
		sec = READ_ONCE(w->sec);
		nsec = READ_ONCE(w->nsec);
		barrier();
	} while ((version & 1) || version != READ_ONCE(w->version));
	return sec + (nsec + pvclock_read_raw(t, &flags)) / NSEC_PER_SEC;
}
