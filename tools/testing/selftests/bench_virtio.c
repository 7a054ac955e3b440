// SPDX-License-Identifier: GPL-2.0
/*
 * The clock and counters around one bench=virtio-blk or bench=virtio-net
 * measurement, and its numbers printed (no floats: two decimals by hand).
 */
#include <asm/pv/ops.h>
#include <proteus/bench_virtio.h>
#include <proteus/printk.h>
#include <proteus/virtio.h>

void bench_virtio_start(struct virtio_device *vd, struct bench_virtio_mark *m)
{
	m->notifies = vd->notifies;
	m->irqs = __atomic_load_n(&vd->irqs, __ATOMIC_ACQUIRE);
	m->ns = sched_clock();
}

/* @a / @b in hundredths (0 when @b is 0). */
static u64 hundredths(u64 a, u64 b)
{
	return b ? a * 100 / b : 0;
}

void bench_virtio_report(struct virtio_device *vd, const struct bench_virtio_mark *m,
			 u64 ops, const char *unit, const char *prefix)
{
	u64 ns = sched_clock() - m->ns;
	u64 kicks = hundredths(vd->notifies - m->notifies, ops);
	u64 irqs = hundredths(__atomic_load_n(&vd->irqs, __ATOMIC_ACQUIRE) - m->irqs, ops);
	u64 rate = ns ? ops * NSEC_PER_SEC / ns : 0;

	printk("%s ns=%llu %ss/s=%llu kicks/%s=%llu.%02llu irqs/%s=%llu.%02llu\n", prefix,
	       (unsigned long long)ns, unit, (unsigned long long)rate, unit,
	       (unsigned long long)(kicks / 100), (unsigned long long)(kicks % 100), unit,
	       (unsigned long long)(irqs / 100), (unsigned long long)(irqs % 100));
}
