// SPDX-License-Identifier: GPL-2.0
/*
 * The balloon's arithmetic, apart from the driver so the host tests
 * drive it: how many pages to hold for a request (never all the free
 * memory: a num_pages beyond what the kernel can spare stops at what it
 * can), and the steps toward it.
 */
#include <proteus/compiler.h>
#include <proteus/virtio_balloon.h>

u64 balloon_reserve(u64 total_pages)
{
	return MAX(total_pages / 8, (u64)BALLOON_MIN_RESERVE);
}

u32 balloon_target(u32 num_pages, u32 actual, u64 free_pages, u64 reserve)
{
	u64 spare = free_pages > reserve ? free_pages - reserve : 0;

	if (num_pages <= actual)
		return num_pages;
	return actual + (u32)MIN((u64)(num_pages - actual), spare);
}

int balloon_step(u32 target, u32 actual, unsigned int batch)
{
	if (target > actual)
		return (int)MIN(target - actual, batch);
	return -(int)MIN(actual - target, batch);
}
