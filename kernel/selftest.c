// SPDX-License-Identifier: GPL-2.0
/*
 * Selftest runner: selects tests with selftest= (all by default, none, or
 * comma-separated globs over "suite.name" or "suite"), runs them in link
 * order and prints kselftest TAP 13 with the totals line the runner reads.
 */
#include <proteus/cmdline.h>
#include <proteus/kernel.h>
#include <proteus/panic.h>
#include <proteus/printk.h>
#include <proteus/selftest.h>
#include <proteus/string.h>

extern const struct selftest __start_selftests[], __stop_selftests[];

static struct selftest_filter filter;
static bool filter_given;
static const char *skip_reason;

enum test_result skip(const char *reason)
{
	skip_reason = reason;
	return TEST_SKIP;
}

/* A bad value is refused (the command line warns) and all tests run. */
static int set_selftest(const char *val)
{
	filter_given = !selftest_filter_parse(&filter, val);
	return filter_given ? 0 : -1;
}
KERNEL_PARAM("selftest", set_selftest);

static bool selected(const struct selftest *t)
{
	return selftest_filter_match(&filter, t->suite, t->name);
}

int selftests_run(void)
{
	const struct selftest *t;
	unsigned int n = 0, i = 0, pass = 0, fail = 0, skipped = 0, unmatched = 0;
	const char *unused;

	if (!filter_given)
		selftest_filter_parse(&filter, "all");
	if (filter.none)
		return EXIT_OK;
	for (t = __start_selftests; t < __stop_selftests; t++)
		n += selected(t);
	while ((unused = selftest_filter_unused(&filter, &i))) {
		pr_warn("selftest: '%s' matches no test\n", unused);
		unmatched++;
	}
	printk("TAP version 13\n1..%u\n", n);
	n = 0;
	for (t = __start_selftests; t < __stop_selftests; t++) {
		enum test_result r;

		if (!selected(t))
			continue;
		skip_reason = NULL;
		r = t->fn();
		n++;
		if (r == TEST_SKIP) {
			skipped++;
			printk("ok %u %s.%s # SKIP %s\n", n, t->suite, t->name,
			       skip_reason ? skip_reason : "no reason given");
		} else if (r == TEST_PASS) {
			pass++;
			printk("ok %u %s.%s\n", n, t->suite, t->name);
		} else {
			fail++;
			printk("not ok %u %s.%s\n", n, t->suite, t->name);
		}
	}
	printk("# Totals: pass:%u fail:%u xfail:0 xpass:0 skip:%u error:%u\n",
	       pass, fail, skipped, unmatched);
	return fail || unmatched ? EXIT_TESTS_FAILED : EXIT_OK;
}
