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

#endif
