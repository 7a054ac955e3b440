// SPDX-License-Identifier: GPL-2.0
/*
 * bench=virtio-net: UDP datagrams of BENCH_PAYLOAD bytes to a sink on the
 * host (bench.sink=IP:PORT: the runner starts one that only counts, on
 * the host's loopback, reached through QEMU's user network), in bursts of
 * BENCH_BURST through the driver's burst path (as many in flight as the
 * transmit queue holds), for BENCH_VIRTIO_NS of guest time with
 * interrupts on. One line:
 *
 *   bench: virtio-net udp-tx payload=64 packets=N ns=T packets/s=X
 *	 kicks/packet=K.KK irqs/packet=I.II
 *
 * A first datagram, sent alone before the clock starts (it resolves the
 * gateway's MAC), is not measured: 'done datagrams=N' counts it, to set
 * beside what the runner says the sink received (slirp may drop some).
 * Without a virtio-net device or bench.sink= it prints a skip line.
 */
#include <asm/irq.h>
#include <asm/pv/ops.h>
#include <proteus/bench.h>
#include <proteus/bench_virtio.h>
#include <proteus/cmdline.h>
#include <proteus/net.h>
#include <proteus/printk.h>
#include <proteus/string.h>
#include <proteus/virtio.h>
#include <proteus/virtio_net.h>

#define BENCH_PAYLOAD		64
#define BENCH_BURST		64
#define BENCH_MAX_PACKETS	200000
#define BENCH_SPORT		40001

static u32 sink_ip;
static u16 sink_port;

static int set_sink(const char *val)
{
	return val ? net_parse_endpoint(val, &sink_ip, &sink_port) : -1;
}
KERNEL_PARAM("bench.sink", set_sink);

static void bench_virtio_net(void)
{
	struct virtio_device *vd = virtio_net_device();
	struct bench_virtio_mark m;
	u8 payload[BENCH_PAYLOAD];
	char line[96];
	u64 sent = 0, first, flags, end;
	int rc;

	if (!vd || !virtio_net_running() || !net_up()) {
		printk("bench: virtio-net skipped: no running virtio-net device\n");
		return;
	}
	if (!sink_port) {
		printk("bench: virtio-net skipped: no bench.sink=IP:PORT given\n");
		return;
	}
	memset(payload, 0x5a, sizeof(payload));
	printk("bench: virtio-net device=%s ring=%s irq=%s backend=%s sink=%u.%u.%u.%u:%u\n",
	       vd->name, virtio_ring_kind(vd), vd->irq_name, pv_backend->name,
	       sink_ip >> 24, (sink_ip >> 16) & 0xff, (sink_ip >> 8) & 0xff, sink_ip & 0xff,
	       sink_port);
	flags = irq_save();
	irq_enable();
	/* The first datagram alone: ARP for the gateway is not measured. */
	rc = net_udp_send(sink_ip, BENCH_SPORT, sink_port, payload, sizeof(payload));
	first = !rc;
	bench_virtio_start(vd, &m);
	end = m.ns + BENCH_VIRTIO_NS;
	while (!rc && sent < BENCH_MAX_PACKETS && sched_clock() < end) {
		rc = net_udp_send_burst(sink_ip, BENCH_SPORT, sink_port, payload,
					sizeof(payload), BENCH_BURST);
		sent += rc ? 0 : BENCH_BURST;
	}
	if (rc) {
		printk("bench: virtio-net udp-tx: sending failed after %llu packets\n",
		       (unsigned long long)sent);
	} else {
		snprintf(line, sizeof(line), "bench: virtio-net udp-tx payload=%u packets=%llu",
			 BENCH_PAYLOAD, (unsigned long long)sent);
		bench_virtio_report(vd, &m, sent, "packet", line);
	}
	restore_flags(flags);
	printk("bench: virtio-net done datagrams=%llu\n",
	       (unsigned long long)(first + sent));
}
BENCHMARK("virtio-net", bench_virtio_net);
