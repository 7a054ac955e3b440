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

#define MAX_PATTERNS	16

extern const struct selftest __start_selftests[], __stop_selftests[];

static char patterns_buf[256] = "all";
static const char *patterns[MAX_PATTERNS];
static unsigned int nr_patterns;
static bool pattern_used[MAX_PATTERNS];
static const char *skip_reason;

enum test_result skip(const char *reason)
{
	skip_reason = reason;
	return TEST_SKIP;
}

static int set_selftest(const char *val)
{
	if (!val || !*val || strlen(val) >= sizeof(patterns_buf))
		return -1;
	strlcpy(patterns_buf, val, sizeof(patterns_buf));
	return 0;
}
KERNEL_PARAM("selftest", set_selftest);

static void split_patterns(void)
{
	char *p = patterns_buf;

	nr_patterns = 0;
	while (*p && nr_patterns < MAX_PATTERNS) {
		char *comma = strchr(p, ',');

		if (comma)
			*comma = '\0';
		if (*p)
			patterns[nr_patterns++] = p;
		if (!comma)
			break;
		p = comma + 1;
	}
}

static bool selected(const struct selftest *t)
{
	char full[96];
	bool hit = false;
	unsigned int i;

	snprintf(full, sizeof(full), "%s.%s", t->suite, t->name);
	for (i = 0; i < nr_patterns; i++) {
		if (!strcmp(patterns[i], "all") || glob_match(patterns[i], full) ||
		    glob_match(patterns[i], t->suite)) {
			pattern_used[i] = true;
			hit = true;
		}
	}
	return hit;
}

int selftests_run(void)
{
	const struct selftest *t;
	unsigned int n = 0, i, pass = 0, fail = 0, skipped = 0, unmatched = 0;

	split_patterns();
	if (nr_patterns == 1 && !strcmp(patterns[0], "none"))
		return EXIT_OK;
	for (t = __start_selftests; t < __stop_selftests; t++)
		n += selected(t);
	for (i = 0; i < nr_patterns; i++) {
		if (!pattern_used[i] && strcmp(patterns[i], "none")) {
			pr_warn("selftest: '%s' matches no test\n", patterns[i]);
			unmatched++;
		}
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
