/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-guest selftests, reported as kselftest TAP 13. A test registers with
 * SELFTEST(suite, name) into a linker section and returns TEST_PASS,
 * TEST_FAIL or skip("reason"). EXPECT() prints a diagnostic and fails.
 */
#ifndef PROTEUS_SELFTEST_H
#define PROTEUS_SELFTEST_H

#include <proteus/types.h>
#include <proteus/compiler.h>
#include <proteus/kernel.h>
#include <proteus/printk.h>

enum test_result { TEST_PASS, TEST_FAIL, TEST_SKIP };

/* Durations in the nanoseconds the clock ops count, for tests: 2 * MS. */
#define US	NSEC_PER_USEC
#define MS	NSEC_PER_MSEC

/*
 * How long a test waits for another CPU, an interrupt or the host before
 * it counts as never: a loaded host can deschedule a vCPU for tens of ms,
 * and under the emulating KVM every exit costs 10-30 us. A passing test
 * never waits that long; only a failing one pays it.
 */
#define WAIT_MS		10000
#define WAIT_NS		(WAIT_MS * MS)

struct selftest {
	const char *suite;
	const char *name;
	enum test_result (*fn)(void);
};

#define SELFTEST(suite, name)						\
	static enum test_result st_##suite##_##name(void);		\
	static const struct selftest __st_##suite##_##name __used	\
	__section(".selftests") __aligned(8) =				\
		{ #suite, #name, st_##suite##_##name };			\
	static enum test_result st_##suite##_##name(void)

/*
 * selftest=: a copy of the value split into its patterns, and which of
 * them matched a test (kernel/selftest-select.c).
 */
#define SELFTEST_PATTERNS_MAX	16

struct selftest_filter {
	char buf[256];
	const char *patterns[SELFTEST_PATTERNS_MAX];
	bool used[SELFTEST_PATTERNS_MAX];
	unsigned int nr;
	bool none;		/* "none" alone: nothing runs */
};

/* Split spec; -1 if empty, too long or more than SELFTEST_PATTERNS_MAX. */
int selftest_filter_parse(struct selftest_filter *f, const char *spec);
/* Whether suite.name is selected; marks the patterns that match it. */
bool selftest_filter_match(struct selftest_filter *f, const char *suite,
			   const char *name);
/* From pattern *i on, the next one that matched nothing ("none" aside). */
const char *selftest_filter_unused(const struct selftest_filter *f,
				   unsigned int *i);

/* Record why the test is skipped; return its value from the test. */
enum test_result skip(const char *reason);

#define EXPECT(cond)							\
	do {								\
		if (!(cond)) {						\
			printk("# %s:%d: expected %s\n", __FILE__,	\
			       __LINE__, #cond);			\
			return TEST_FAIL;				\
		}							\
	} while (0)

#define EXPECT_EQ(a, b)							\
	do {								\
		unsigned long long __a = (a), __b = (b);		\
		if (__a != __b) {					\
			printk("# %s:%d: %s == %#llx, expected %s == %#llx\n", \
			       __FILE__, __LINE__, #a, __a, #b, __b);	\
			return TEST_FAIL;				\
		}							\
	} while (0)

/*
 * Memory probes (tools/testing/selftests/probe.c), each under the
 * exception table: a write that faults as a protection violation, a read
 * that faults as not present, a call into p whose fetch faults; and a
 * read of 8 bytes that says whether it worked.
 */
bool probe_write_faults(volatile u8 *p);
bool probe_read_faults(const volatile u8 *p);
bool probe_exec_faults(const void *p);
bool probe_read_u64(u64 addr, u64 *val);

/* An online CPU other than this one, or -1. */
int another_cpu(void);

struct pvclock_vcpu_time_info;
/*
 * pvclock-check.c: over 2 ms the record's time follows the TSC at the
 * record's rate (khz), within what the reads cost; what names it in the log.
 */
enum test_result pvclock_follows_tsc(const char *what,
				     const struct pvclock_vcpu_time_info *t, u64 khz);

#endif
