// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/selftest-select.c: what selftest= selects. Each case parses a
 * value and checks which of a fixed list of tests it selects, and which
 * of its patterns are reported as matching nothing.
 */
#include "unit.h"

#include <proteus/selftest.h>

static const char *const tests[][2] = {
	{ "time", "sched_clock_monotonic" },
	{ "time", "wallclock_plausible" },
	{ "kvm", "wallclock_matches_rtc" },
	{ "kvm", "kvmclock_follows_tsc" },
	{ "smp", "stop_machine" },
	{ "smpx", "other" },
	{ "cpu", "tsc_monotonic" },
};
#define NR_TESTS	ARRAY_SIZE(tests)

/*
 * selected: one character per test in tests[], '1' selected, '0' not;
 * unused: the patterns that matched nothing, '|'-separated.
 */
static void check_at(const char *file, int line, const char *spec,
		     const char *selected, const char *unused)
{
	struct selftest_filter f;
	char got[NR_TESTS + 1], got_unused[256] = "";
	const char *p;
	unsigned int t, i = 0;

	unit_name("selftest=%s", spec);
	if (!unit_result(!selftest_filter_parse(&f, spec), file, line,
			 "accepted"))
		return;
	for (t = 0; t < NR_TESTS; t++)
		got[t] = selftest_filter_match(&f, tests[t][0], tests[t][1]) ?
			 '1' : '0';
	got[NR_TESTS] = '\0';
	while ((p = selftest_filter_unused(&f, &i))) {
		if (got_unused[0])
			strcat(got_unused, "|");
		strcat(got_unused, p);
	}
	CHECK_STR_AT(file, line, got, selected);
	CHECK_STR_AT(file, line, got_unused, unused);
	unit_name(NULL);
}

#define check(spec, selected, unused) \
	check_at(__FILE__, __LINE__, spec, selected, unused)

static void test_selection(void)
{
	/*                    time  kvm  smp smpx cpu */
	check("all",		"1111111", "");
	check("none",		"0000000", "");
	check("time",		"1100000", "");
	check("smp",		"0000100", "");		/* not smpx */
	check("smp*",		"0000110", "");
	check("time.*",		"1100000", "");
	check("*.wallclock_*",	"0110000", "");
	check("kvm.kvmclock_follows_tsc", "0001000", "");
	check("*clock*",	"1111000", "");
	check("t?me.sched_clock_monotonic", "1000000", "");
	check("time,kvm.wallclock_matches_rtc", "1110000", "");
	check("cpu,,smp", "0000101", "");		/* empty items skipped */
	check(",time,",		"1100000", "");
	/* a test's name alone is not its full name */
	check("tsc_monotonic",	"0000000", "tsc_monotonic");
	check("nosuch",		"0000000", "nosuch");
	check("time,nosuch,kvm.nope,smp", "1100100", "nosuch|kvm.nope");
	check("none,time",	"1100000", "");	/* none among globs: ignored */
	check("all,nosuch",	"1111111", "nosuch");
	check("TIME",		"0000000", "TIME");	/* case matters */
	check("*",		"1111111", "");
}

static void test_refused(void)
{
	struct selftest_filter f;
	char long_spec[300], many[128] = "";
	int i;

	unit_name("refused");
	CHECK_EQ(selftest_filter_parse(&f, NULL), -1);
	CHECK_EQ(selftest_filter_parse(&f, ""), -1);
	CHECK_EQ(selftest_filter_parse(&f, ",,,"), -1);
	memset(long_spec, 'a', sizeof(long_spec) - 1);
	long_spec[sizeof(long_spec) - 1] = '\0';
	CHECK_EQ(selftest_filter_parse(&f, long_spec), -1);
	long_spec[sizeof(f.buf) - 1] = '\0';		/* 255: fits */
	CHECK_EQ(selftest_filter_parse(&f, long_spec), 0);
	for (i = 0; i < SELFTEST_PATTERNS_MAX; i++)
		strcat(many, i ? ",t" : "t");
	CHECK_EQ(selftest_filter_parse(&f, many), 0);
	CHECK_EQ(f.nr, SELFTEST_PATTERNS_MAX);
	strcat(many, ",t");
	CHECK_EQ(selftest_filter_parse(&f, many), -1);
	unit_name(NULL);
}

int main(void)
{
	test_selection();
	test_refused();
	return unit_done();
}
