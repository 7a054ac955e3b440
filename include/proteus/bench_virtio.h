/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What bench=virtio-blk and bench=virtio-net share: the time each
 * measurement may take, and a device's counters around it.
 */
#ifndef PROTEUS_BENCH_VIRTIO_H
#define PROTEUS_BENCH_VIRTIO_H

#include <proteus/kernel.h>
#include <proteus/types.h>

/*
 * Guest time one measurement runs for: the emulating KVM (~1M
 * instructions/s) then does a few hundred I/Os, TCG thousands.
 */
#define BENCH_VIRTIO_NS		(1500 * NSEC_PER_MSEC)

struct virtio_device;

/* A device's kicks and interrupts, and the clock, at a measurement's start. */
struct bench_virtio_mark {
	u64 ns, notifies, irqs;
};

void bench_virtio_start(struct virtio_device *vd, struct bench_virtio_mark *m);
/*
 * The end of the line for @ops operations since @m: ns, ops per second,
 * kicks and interrupts per operation (two decimals), after @prefix.
 */
void bench_virtio_report(struct virtio_device *vd, const struct bench_virtio_mark *m,
			 u64 ops, const char *unit, const char *prefix);

#endif
