/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROTEUS_BENCH_H
#define PROTEUS_BENCH_H

#include <proteus/compiler.h>

struct benchmark {
	const char *name;
	void (*run)(void);
};

#define BENCHMARK(name, fn)						\
	static const struct benchmark __bench_##fn __used		\
	__section(".benchmarks") __aligned(8) = { name, fn }

/* Run the benchmark bench= named, if any. */
void benchmarks_run(void);

#endif
