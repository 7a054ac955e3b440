// SPDX-License-Identifier: GPL-2.0
/*
 * bench=NAME runs a named benchmark after the selftests. Benchmarks
 * register with BENCHMARK(); their numbers are printed, never asserted.
 */
#include <proteus/bench.h>
#include <proteus/cmdline.h>
#include <proteus/printk.h>
#include <proteus/string.h>

extern const struct benchmark __start_benchmarks[], __stop_benchmarks[];

static char bench_name[32];

static int set_bench(const char *val)
{
	const struct benchmark *b;

	for (b = __start_benchmarks; val && b < __stop_benchmarks; b++) {
		if (!strcmp(b->name, val)) {
			strlcpy(bench_name, val, sizeof(bench_name));
			return 0;
		}
	}
	return -1;
}
KERNEL_PARAM("bench", set_bench);

void benchmarks_run(void)
{
	const struct benchmark *b;

	for (b = __start_benchmarks; b < __stop_benchmarks; b++)
		if (!strcmp(b->name, bench_name))
			b->run();
}
