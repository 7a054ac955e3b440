// SPDX-License-Identifier: GPL-2.0
/*
 * drivers/virtio/balloon-target.c: the balloon holds what the device
 * asks, never so much that fewer than the reserve stay free (a request
 * beyond the RAM stops at what can be spared, a deflate is never held
 * back), and its steps reach the target exactly, a batch at most each,
 * at the extremes of the 32-bit fields too.
 */
#include "unit.h"

#include <proteus/virtio_balloon.h>

#define BATCH	256

/* Walk from @actual to @target as the driver does: the steps taken. */
static unsigned int walk(u32 actual, u32 target, u32 *end)
{
	unsigned int steps = 0;
	int step;

	while ((step = balloon_step(target, actual, BATCH))) {
		CHECK(step <= BATCH && step >= -BATCH);
		CHECK(step > 0 ? target - actual >= (u32)step : actual - target >= (u32)-step);
		actual += step;
		if (++steps > 1u << 25)
			break;
	}
	*end = actual;
	return steps;
}

int main(void)
{
	u32 end;

	unit_name("reserve");
	CHECK_EQ(balloon_reserve(0), BALLOON_MIN_RESERVE);
	CHECK_EQ(balloon_reserve(1024), BALLOON_MIN_RESERVE);
	CHECK_EQ(balloon_reserve(32768), 4096);
	CHECK_EQ(balloon_reserve(~0ULL), ~0ULL / 8);

	unit_name("target");
	/* Plenty free: exactly what is asked. */
	CHECK_EQ(balloon_target(4096, 0, 32000, 4000), 4096);
	/* Beyond what can be spared: stops with the reserve left free. */
	CHECK_EQ(balloon_target(4096, 0, 525, 256), 269);
	CHECK_EQ(balloon_target(4096, 100, 525, 256), 369);
	/* Free at or under the reserve: no further. */
	CHECK_EQ(balloon_target(4096, 50, 256, 256), 50);
	CHECK_EQ(balloon_target(4096, 50, 10, 256), 50);
	CHECK_EQ(balloon_target(4096, 0, 0, 0), 0);
	/* Deflating is never held back, whatever is free. */
	CHECK_EQ(balloon_target(0, 4096, 0, 256), 0);
	CHECK_EQ(balloon_target(100, 4096, 0, 256), 100);
	CHECK_EQ(balloon_target(4096, 4096, 0, 256), 4096);
	/* 32-bit extremes. */
	CHECK_EQ(balloon_target(0xffffffffu, 0, ~0ULL, 0), 0xffffffffu);
	CHECK_EQ(balloon_target(0xffffffffu, 0xfffffff0u, ~0ULL, 256), 0xffffffffu);
	CHECK_EQ(balloon_target(0xffffffffu, 1, 1ULL << 40, 1ULL << 39), 0xffffffffu);
	CHECK_EQ(balloon_target(0xffffffffu, 0, 1000, 0), 1000);

	unit_name("step");
	CHECK_EQ(balloon_step(0, 0, BATCH), 0);
	CHECK_EQ(balloon_step(4096, 0, BATCH), BATCH);
	CHECK_EQ(balloon_step(10, 0, BATCH), 10);
	CHECK_EQ(balloon_step(0, 4096, BATCH), -BATCH);
	CHECK_EQ(balloon_step(4090, 4096, BATCH), -6);
	CHECK_EQ(balloon_step(0xffffffffu, 0, BATCH), BATCH);
	CHECK_EQ(balloon_step(0, 0xffffffffu, BATCH), -BATCH);

	unit_name("walk");
	CHECK_EQ(walk(0, 4096, &end), 16);
	CHECK_EQ(end, 4096);
	CHECK_EQ(walk(4096, 0, &end), 16);
	CHECK_EQ(end, 0);
	CHECK_EQ(walk(0, 269, &end), 2);
	CHECK_EQ(end, 269);
	CHECK_EQ(walk(1000, 1000, &end), 0);
	CHECK_EQ(walk(0xffffff00u, 0xffffffffu, &end), 1);
	CHECK_EQ(end, 0xffffffffu);
	return unit_done();
}
