// SPDX-License-Identifier: GPL-2.0
/*
 * arch/x86/kernel/pvclock.c: pvclock_tsc_khz() for the scales KVM would
 * pick, the TSC scaling with negative and positive shifts and with
 * products past 64 bits, the version-retry protocol (a writer thread
 * flips a record from odd to even under a waiting reader, and another
 * rewrites one continuously under reads that must never see it torn), the
 * cross-CPU monotonic guard and the stable flag, pvclock_valid() and
 * pvclock_wallclock().
 *
 * The reader takes its own rdtsc, so no check depends on the TSC's value:
 * either the record's scale is 0 (the result is exactly system_time) or
 * the test reads the TSC just before and just after the call, computes
 * the two results those would give with its own scaling (written apart
 * from the kernel's: the delta split into 32-bit halves instead of a
 * 128-bit product), and wants the result between them. A record's
 * tsc_timestamp is set a chosen number of ticks before the first reading
 * (modulo 2^64, as the reader subtracts). Those checks run pinned to one
 * CPU, lest another CPU's TSC disagree a little with this one's.
 */
#define _GNU_SOURCE
#include "unit.h"

#include <pthread.h>
#include <sched.h>
#include <time.h>

#include <asm/pvclock.h>

#define NSEC_PER_SEC	1000000000ull

/* The test's own TSC reading, ordered like the reader's. */
static u64 tsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((u64)hi << 32) | lo;
}

/*
 * ((delta shifted) * mul) >> 32, without a 128-bit product: with
 * delta = hi * 2^32 + lo, that is hi * mul + (lo * mul) >> 32 exactly
 * (modulo 2^64, as the kernel's result is cast to 64 bits).
 */
static u64 ref_scale(u64 delta, u32 mul, int shift)
{
	u64 hi, lo;

	if (shift < 0)
		delta /= 1ull << -shift;
	else
		delta *= 1ull << shift;
	hi = delta >> 32;
	lo = delta & 0xffffffffull;
	return hi * mul + ((lo * mul) >> 32);
}

static void set_record(struct pvclock_vcpu_time_info *t, u32 version,
		       u64 tsc_timestamp, u64 system_time, u32 mul, int shift,
		       u8 flags)
{
	memset(t, 0, sizeof(*t));
	t->version = version;
	t->tsc_timestamp = tsc_timestamp;
	t->system_time = system_time;
	t->tsc_to_system_mul = mul;
	t->tsc_shift = shift;
	t->flags = flags;
}

/* The CPU set to restore after pin(); whether pin() managed to pin. */
static cpu_set_t saved_cpus;
static bool pinned;

static void pin(void)
{
	int cpu = sched_getcpu();
	cpu_set_t one;

	pinned = false;
	if (cpu < 0 || sched_getaffinity(0, sizeof(saved_cpus), &saved_cpus))
		return;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	pinned = !sched_setaffinity(0, sizeof(one), &one);
	if (!pinned)
		printf("# could not pin to CPU %d; TSC checks run unpinned\n",
		       cpu);
}

static void unpin(void)
{
	if (pinned)
		sched_setaffinity(0, sizeof(saved_cpus), &saved_cpus);
	pinned = false;
}

/*
 * One pvclock_read_raw() of a record whose tsc_timestamp is ago ticks
 * before now: the result must lie between what the TSC before and after
 * the call give.
 */
static void check_scaled_at(const char *file, int line, u64 ago,
			    u64 system_time, u32 mul, int shift)
{
	struct pvclock_vcpu_time_info t;
	u64 before, after, ts, ns, lo, hi;
	u8 flags = 0xff;
	bool ok;

	unit_name("scale: %llu ticks ago, mul %#x, shift %d",
		  (unsigned long long)ago, mul, shift);
	before = tsc();
	ts = before - ago;
	set_record(&t, 2, ts, system_time, mul, shift, 0);
	ns = pvclock_read_raw(&t, &flags);
	after = tsc();
	lo = system_time + ref_scale(before - ts, mul, shift);
	hi = system_time + ref_scale(after - ts, mul, shift);
	ok = unit_result(lo <= ns && ns <= hi, file, line,
			 "result within what the TSC before and after give");
	if (!ok)
		printf("#   got %llu\n#   expected [%llu, %llu]\n",
		       (unsigned long long)ns, (unsigned long long)lo,
		       (unsigned long long)hi);
	CHECK_EQ_AT(file, line, flags, 0);
	unit_name(NULL);
}

#define check_scaled(ago, system_time, mul, shift) \
	check_scaled_at(__FILE__, __LINE__, ago, system_time, mul, shift)

/* The test's own scaling, against values worked out by hand. */
static void test_reference(void)
{
	unit_name("reference scaling");
	CHECK_EQ(ref_scale(4000000000ull, 0x80000000u, -1), 1000000000ull);
	CHECK_EQ(ref_scale(1000000000ull, 0xc0000000u, 1), 1500000000ull);
	/* 2^40 * 2^31 / 2^32: a product of 2^71 */
	CHECK_EQ(ref_scale(1ull << 40, 0x80000000u, 0), 1ull << 39);
	/* (2^50 >> 2) * (2^32 - 1) / 2^32 = 2^48 - 2^16 */
	CHECK_EQ(ref_scale(1ull << 50, 0xffffffffu, -2),
		 (1ull << 48) - (1ull << 16));
	/* 3 * 2^36 << 2 = 3 * 2^38 times 15/16 */
	CHECK_EQ(ref_scale(3ull << 36, 0xf0000000u, 2), 45ull << 34);
	/* 2.6 GHz: 2.6e9 ticks are a second, less the rounding of mul */
	CHECK_EQ(ref_scale(2600000000ull, 0xc4ec4ec4u, -1), 999999999ull);
	unit_name(NULL);
}

static void test_scale(void)
{
	struct pvclock_vcpu_time_info t;
	u8 flags;

	/* No scale: exactly system_time whatever the TSC says. */
	unit_name("scale: mul 0");
	set_record(&t, 2, tsc(), 123456789, 0, 0, 0);
	CHECK_EQ(pvclock_read_raw(&t, &flags), 123456789);
	set_record(&t, 4, 0, 987654321012345ull, 0, -5,
		   PVCLOCK_TSC_STABLE_BIT | PVCLOCK_GUEST_STOPPED);
	CHECK_EQ(pvclock_read_raw(&t, &flags), 987654321012345ull);
	CHECK_EQ(flags, PVCLOCK_TSC_STABLE_BIT | PVCLOCK_GUEST_STOPPED);
	/* tsc_timestamp in the future of the TSC: the delta wraps, * 0 */
	set_record(&t, 6, tsc() + (1ull << 40), 5, 0, 0, 0);
	CHECK_EQ(pvclock_read_raw(&t, &flags), 5);
	unit_name(NULL);

	pin();
	/* Products below 2^64. */
	check_scaled(4000000000ull, 0, 0x80000000u, -1);	/* delta / 4 */
	check_scaled(1000000000ull, 1000, 0xc0000000u, 1);	/* delta * 1.5 */
	check_scaled(10000000ull, 77, 0xc4ec4ec4u, -1);		/* 2.6 GHz */
	check_scaled(100000000ull, 0, 0xa0000000u, 4);		/* 100 MHz */
	check_scaled(1000000ull, 0, 0x80000000u, 0);
	check_scaled(0, 42, 0xffffffffu, 0);
	/* delta * mul past 2^64: 2^40 * ~2^31.6 */
	check_scaled(1ull << 40, 0, 0xc4ec4ec4u, -1);
	check_scaled(1ull << 40, 1ull << 50, 0xc4ec4ec4u, 0);
	/* (2^50 >> 2) * ~2^32 */
	check_scaled(1ull << 50, 0, 0xffffffffu, -2);
	/* (3 * 2^36 << 2) * ~2^32 */
	check_scaled(3ull << 36, 12345, 0xf0000000u, 2);
	/* (2^36 << 1) * 2^31 */
	check_scaled(1ull << 36, 0, 0x80000000u, 1);
	/* ~2^62 ticks at 1 GHz (shift 1, mul 2^31): a 2^93 product */
	check_scaled(1ull << 62, 0, 0x80000000u, 1);
	unpin();
}

/* The TSC frequency of KVM-style scales (kvm_get_time_scale()). */
static void test_tsc_khz(void)
{
	static const struct {
		u32 mul;
		int shift;
		u64 khz;
	} cases[] = {
		{ 0xc4ec4ec4u, -1, 2600000 },	/* 2.6 GHz */
		{ 0x80000000u, 1, 1000000 },	/* 1 GHz */
		{ 0xaaaaaaaau, -1, 3000000 },	/* 3 GHz as KVM scales it */
		{ 715827882u, 1, 3000000 },	/* 3 GHz: mul 2^32 / 6 */
		{ 0xa0000000u, 4, 100000 },	/* 100 MHz */
		{ 0xb08d41c8u, -1, 2899998 },	/* 2.899999 GHz, rounded down */
		{ 0x80000000u, 0, 2000000 },	/* 2 GHz, shift 0 */
		{ 0x80000000u, -3, 16000000 },	/* 16 GHz */
		{ 0, 0, 0 },			/* unset */
		{ 0, -1, 0 },
		{ 0, 3, 0 },
	};
	struct pvclock_vcpu_time_info t;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unit_name("tsc_khz: mul %#x, shift %d", cases[i].mul,
			  cases[i].shift);
		set_record(&t, 2, 0, 0, cases[i].mul, cases[i].shift, 0);
		CHECK_EQ(pvclock_tsc_khz(&t), cases[i].khz);
	}
	unit_name(NULL);
}

static void test_valid(void)
{
	struct pvclock_vcpu_time_info t;

	unit_name("valid");
	set_record(&t, 0, 0, 0, 0x80000000u, 1, 0);
	CHECK(!pvclock_valid(&t));
	set_record(&t, 1, 0, 0, 0x80000000u, 1, 0);
	CHECK(!pvclock_valid(&t));
	set_record(&t, 0xffffffffu, 0, 0, 0x80000000u, 1, 0);
	CHECK(!pvclock_valid(&t));
	set_record(&t, 2, 0, 12345, 0, 1, 0);
	CHECK(!pvclock_valid(&t));
	set_record(&t, 0, 0, 0, 0, 0, 0);
	CHECK(!pvclock_valid(&t));
	set_record(&t, 2, 0, 0, 0x80000000u, 1, 0);
	CHECK(pvclock_valid(&t));
	set_record(&t, 0x80000000u, 0, 0, 1, -1, 0);
	CHECK(pvclock_valid(&t));
	set_record(&t, 0xfffffffeu, 0, 0, 0xffffffffu, 0, 0);
	CHECK(pvclock_valid(&t));
	unit_name(NULL);
}

/*
 * A writer flipping a record from odd to even after a while: it first
 * writes the new fields, then the even version.
 */
struct flip {
	struct pvclock_vcpu_time_info *t;	/* or */
	struct pvclock_wall_clock *w;
	u64 system_time;			/* t's new system_time */
	u32 sec;				/* w's new sec */
	u32 version;				/* the even version */
	bool flipped;
};

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	while (nanosleep(&ts, &ts))
		;
}

static void *flip_thread(void *arg)
{
	struct flip *f = arg;

	sleep_ms(30);
	if (f->t) {
		__atomic_store_n(&f->t->system_time, f->system_time,
				 __ATOMIC_RELEASE);
		__atomic_store_n(&f->t->version, f->version, __ATOMIC_RELEASE);
	} else {
		__atomic_store_n(&f->w->sec, f->sec, __ATOMIC_RELEASE);
		__atomic_store_n(&f->w->version, f->version, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&f->flipped, true, __ATOMIC_RELEASE);
	return NULL;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void test_version_retry(void)
{
	/* packed, but aligned here for the writer's atomic stores */
	struct pvclock_vcpu_time_info t __attribute__((aligned(8)));
	struct pvclock_wall_clock w __attribute__((aligned(8)));
	struct flip f;
	pthread_t thr;
	double start, waited;
	u8 flags;
	u64 ns;

	/* An even version: read at once. */
	unit_name("retry: even version");
	set_record(&t, 8, 0, 4242, 0, 0, PVCLOCK_TSC_STABLE_BIT);
	CHECK_EQ(pvclock_read_raw(&t, &flags), 4242);
	CHECK_EQ(flags, PVCLOCK_TSC_STABLE_BIT);
	CHECK_EQ(t.version, 8);

	/* An odd version: the reader waits for the even one. */
	unit_name("retry: odd version, then even");
	set_record(&t, 3, 0, 111, 0, 0, 0);
	f = (struct flip){ .t = &t, .system_time = 222, .version = 4 };
	start = now_ms();
	if (!CHECK(!pthread_create(&thr, NULL, flip_thread, &f)))
		return;
	ns = pvclock_read_raw(&t, &flags);
	waited = now_ms() - start;
	CHECK(__atomic_load_n(&f.flipped, __ATOMIC_ACQUIRE));
	pthread_join(thr, NULL);
	CHECK_EQ(ns, 222);
	CHECK(waited >= 20);
	printf("# waited %.1f ms\n", waited);

	/* The same for the wall clock record. */
	unit_name("retry: wall clock, odd version, then even");
	set_record(&t, 2, 0, 0, 0, 0, 0);
	memset(&w, 0, sizeof(w));
	w.version = 1;
	w.sec = 1000;
	f = (struct flip){ .w = &w, .sec = 2000, .version = 2 };
	start = now_ms();
	if (!CHECK(!pthread_create(&thr, NULL, flip_thread, &f)))
		return;
	ns = pvclock_wallclock(&w, &t);
	waited = now_ms() - start;
	CHECK(__atomic_load_n(&f.flipped, __ATOMIC_ACQUIRE));
	pthread_join(thr, NULL);
	CHECK_EQ(ns, 2000);
	CHECK(waited >= 20);
	unit_name(NULL);
}

/*
 * A writer rewriting a record as a hypervisor does (odd version, fields,
 * even version) as fast as it can: generation k has system_time k * 1000
 * and flags k & 0xff, so a read that mixed two generations shows.
 */
static struct pvclock_vcpu_time_info churn_rec __attribute__((aligned(64)));
static bool churn_stop;

static void *churn_thread(void *arg)
{
	u64 k;

	(void)arg;
	for (k = 1; !__atomic_load_n(&churn_stop, __ATOMIC_RELAXED); k++) {
		u32 v = churn_rec.version;

		__atomic_store_n(&churn_rec.version, v + 1, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_RELEASE);
		__atomic_store_n(&churn_rec.system_time, k * 1000,
				 __ATOMIC_RELAXED);
		__atomic_store_n(&churn_rec.flags, (u8)k, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_RELEASE);
		__atomic_store_n(&churn_rec.version, v + 2, __ATOMIC_RELAXED);
		/* odd versions on the way */
	}
	return NULL;
}

static void test_torn(void)
{
	enum { READS = 200000 };
	pthread_t thr;
	u64 ns, prev = 0, gens = 0;
	int i, torn = 0, backwards = 0;
	u8 flags;

	unit_name("retry: record rewritten under the reader");
	set_record(&churn_rec, 0, 0, 0, 0, 0, 0);
	churn_stop = false;
	if (!CHECK(!pthread_create(&thr, NULL, churn_thread, NULL)))
		return;
	for (i = 0; i < READS; i++) {
		ns = pvclock_read_raw(&churn_rec, &flags);
		if (ns % 1000 || (u8)(ns / 1000) != flags) {
			if (!torn++)
				printf("# torn read: system_time %llu, flags %#x\n",
				       (unsigned long long)ns, flags);
		}
		if (ns < prev)
			backwards++;
		gens += ns != prev;
		prev = ns;
	}
	__atomic_store_n(&churn_stop, true, __ATOMIC_RELAXED);
	pthread_join(thr, NULL);
	CHECK_EQ(torn, 0);
	CHECK_EQ(backwards, 0);
	printf("# %llu generations seen in %d reads\n",
	       (unsigned long long)gens, READS);
	unit_name(NULL);
}

/*
 * The guard. Its last value is shared by all the reads of this binary
 * and only grows, so these run after the other pvclock_read() calls with
 * times above theirs. Records have scale 0: exact times.
 */
#define G	(1ull << 60)

static void test_guard(void)
{
	struct pvclock_vcpu_time_info a, b, c;

	pvclock_trust_stable_flag(false);

	unit_name("guard: untrusted");
	set_record(&a, 2, 0, G, 0, 0, 0);
	CHECK_EQ(pvclock_read(&a), G);
	set_record(&b, 2, 0, G - 1000, 0, 0, 0);
	CHECK_EQ(pvclock_read(&b), G);		/* behind: the last value */
	set_record(&b, 2, 0, G - 1000, 0, 0, PVCLOCK_TSC_STABLE_BIT);
	CHECK_EQ(pvclock_read(&b), G);		/* the flag is not believed */
	CHECK_EQ(pvclock_read(&a), G);		/* equal */
	set_record(&c, 2, 0, G + 5, 0, 0, 0);
	CHECK_EQ(pvclock_read(&c), G + 5);	/* ahead: itself */
	CHECK_EQ(pvclock_read(&a), G + 5);	/* the new last value */
	CHECK_EQ(pvclock_read(&b), G + 5);

	unit_name("guard: trusted");
	pvclock_trust_stable_flag(true);
	CHECK_EQ(pvclock_read(&b), G - 1000);	/* stable: the raw value */
	set_record(&a, 2, 0, G, 0, 0, 0);
	CHECK_EQ(pvclock_read(&a), G + 5);	/* no flag: still guarded */
	set_record(&a, 2, 0, G, 0, 0, PVCLOCK_GUEST_STOPPED);
	CHECK_EQ(pvclock_read(&a), G + 5);	/* another flag is not it */
	set_record(&c, 2, 0, G + 10, 0, 0, 0);
	CHECK_EQ(pvclock_read(&c), G + 10);
	CHECK_EQ(pvclock_read(&a), G + 10);

	unit_name("guard: untrusted again");
	pvclock_trust_stable_flag(false);
	CHECK_EQ(pvclock_read(&b), G + 10);
	unit_name(NULL);
}

/*
 * The guard across threads: each reads its own record, the records
 * running at the same rate but up to a few ms apart, and publishes what
 * it got; a read that starts after another's result was published must
 * not return less than it. Runs after test_guard(), above its times.
 */
enum { GUARD_THREADS = 4, GUARD_READS = 20000 };

static struct pvclock_vcpu_time_info guard_recs[GUARD_THREADS];
static u64 guard_published;
static int guard_backwards[GUARD_THREADS];

static void *guard_thread(void *arg)
{
	int id = (int)(long)arg, i;

	for (i = 0; i < GUARD_READS; i++) {
		u64 seen = __atomic_load_n(&guard_published, __ATOMIC_ACQUIRE);
		u64 ns = pvclock_read(&guard_recs[id]);
		u64 old = seen;

		if (ns < seen)
			guard_backwards[id]++;
		while (ns > old &&
		       !__atomic_compare_exchange_n(&guard_published, &old, ns,
						    false, __ATOMIC_RELEASE,
						    __ATOMIC_RELAXED))
			;
	}
	return NULL;
}

static void test_guard_threads(void)
{
	pthread_t thr[GUARD_THREADS];
	u64 now = tsc();
	int i, started = 0, backwards = 0;

	unit_name("guard: %d threads", GUARD_THREADS);
	pvclock_trust_stable_flag(false);
	guard_published = 0;
	for (i = 0; i < GUARD_THREADS; i++) {
		/* 1 GHz-ish (shift 1, mul 2^31), i * 2 ms behind */
		set_record(&guard_recs[i], 2, now, 2 * G - i * 2000000ull,
			   0x80000000u, 1, 0);
		guard_backwards[i] = 0;
	}
	for (i = 0; i < GUARD_THREADS; i++) {
		if (pthread_create(&thr[i], NULL, guard_thread, (void *)(long)i))
			break;
		started++;
	}
	CHECK_EQ(started, GUARD_THREADS);
	for (i = 0; i < started; i++) {
		pthread_join(thr[i], NULL);
		backwards += guard_backwards[i];
	}
	CHECK_EQ(backwards, 0);
	unit_name(NULL);
}

static void test_wallclock(void)
{
	static const struct {
		u32 sec, nsec;
		u64 system_time, want;
	} cases[] = {
		{ 1700000000, 0, 0, 1700000000 },
		{ 1700000000, 0, 5 * NSEC_PER_SEC, 1700000005 },
		{ 1700000000, 999999999, 0, 1700000000 },
		{ 1700000000, 999999999, 1, 1700000001 },
		{ 1700000000, 600000000, 399999999, 1700000000 },
		{ 1700000000, 600000000, 400000000, 1700000001 },
		{ 1700000000, 600000000, 1400000000, 1700000002 },
		{ 1700000000, 500000000, 86400 * NSEC_PER_SEC + 499999999,
		  1700086400 },
		{ 1700000000, 500000000, 86400 * NSEC_PER_SEC + 500000000,
		  1700086401 },
		/* past 2^32 seconds: no 32-bit sum */
		{ 0xffffffffu, 999999999, 1000000001, 0x100000001ull },
		{ 0, 0, 1ull << 62, (1ull << 62) / NSEC_PER_SEC },
	};
	struct pvclock_vcpu_time_info t;
	struct pvclock_wall_clock w;
	u64 before, after, ts, got, lo, hi;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unit_name("wallclock: %u s + %u ns + %llu ns", cases[i].sec,
			  cases[i].nsec,
			  (unsigned long long)cases[i].system_time);
		memset(&w, 0, sizeof(w));
		w.version = 2;
		w.sec = cases[i].sec;
		w.nsec = cases[i].nsec;
		set_record(&t, 2, 0, cases[i].system_time, 0, 0, 0);
		CHECK_EQ(pvclock_wallclock(&w, &t), cases[i].want);
	}

	/* With a running TSC: 10 s (1 GHz) since system_time 0.7 s. */
	unit_name("wallclock: running TSC");
	pin();
	memset(&w, 0, sizeof(w));
	w.version = 6;
	w.sec = 1600000000;
	w.nsec = 300000000;
	before = tsc();
	ts = before - 10000000000ull;
	set_record(&t, 2, ts, 700000000, 0x80000000u, 1, 0);
	got = pvclock_wallclock(&w, &t);
	after = tsc();
	unpin();
	lo = w.sec + (w.nsec + 700000000 +
		      ref_scale(before - ts, 0x80000000u, 1)) / NSEC_PER_SEC;
	hi = w.sec + (w.nsec + 700000000 +
		      ref_scale(after - ts, 0x80000000u, 1)) / NSEC_PER_SEC;
	CHECK(lo >= 1600000011 && lo <= got && got <= hi);
	if (!(lo <= got && got <= hi))
		printf("#   got %llu, expected [%llu, %llu]\n",
		       (unsigned long long)got, (unsigned long long)lo,
		       (unsigned long long)hi);
	unit_name(NULL);
}

int main(void)
{
	test_reference();
	test_tsc_khz();
	test_valid();
	test_scale();
	test_version_retry();
	test_torn();
	test_wallclock();
	test_guard();
	test_guard_threads();
	return unit_done();
}
