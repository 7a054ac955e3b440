// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-net and the stack over QEMU's user network (slirp). The gateway
 * 10.0.2.2 answers ARP and ping itself; UDP to it reaches the host's
 * loopback, where the runner starts an echo server and names it with
 * net.echo=10.0.2.2:PORT. The echo test sends more datagrams than the
 * receive queue has buffers, so a queue not refilled loses the later
 * ones, and each must come back with its own bytes. Round trips are
 * printed, not judged. The DHCP lease slirp gives is its documented
 * default (the static configuration's values). net.quiet_receive: a
 * receive on a port nothing is sent to times out without failing the
 * device (its receive wait's timeout is no fault). SKIP without a virtio-net device (a plain
 * `qemu-system-x86_64 -kernel`), and the echo test without net.echo=; a
 * device found but not running is a FAIL.
 */
#include <asm/pv/ops.h>
#include <linux/virtio_ids.h>
#include <proteus/cmdline.h>
#include <proteus/net.h>
#include <proteus/selftest.h>
#include <proteus/string.h>
#include <proteus/virtio.h>
#include <proteus/virtio_net.h>

#define PING_COUNT		4
#define ECHO_LOCAL_PORT		40000
/* A full-sized datagram first, then small ones past the queue's size. */
#define ECHO_BIG		1400
#define ECHO_SMALL		64
#define ECHO_EXTRA		8
/* More than the transmit queue's 16 entries hold. */
#define BURST_COUNT		24

static u32 echo_ip;
static u16 echo_port;

static int set_echo(const char *val)
{
	return val ? net_parse_endpoint(val, &echo_ip, &echo_port) : -1;
}
KERNEL_PARAM("net.echo", set_echo);

/* Every receive buffer handed back is posted again. */
static enum test_result rx_full(void)
{
	EXPECT_EQ(virtio_net_rx_posted(), virtio_net_rx_size());
	return TEST_PASS;
}

/*
 * TEST_PASS when the stack is up with its receive queue full; else SKIP
 * (no device) or FAIL (a device not running, or a queue a test before
 * left short: failing at once rather than waiting for what cannot come).
 */
static enum test_result no_net(void)
{
	if (!virtio_count(VIRTIO_ID_NET))
		return skip("no virtio-net device");
	if (!virtio_net_running() || !net_up()) {
		printk("# a virtio-net device was found but does not run\n");
		return TEST_FAIL;
	}
	return rx_full();
}

SELFTEST(net, arp_gateway)
{
	const struct net_stats *st = net_stats();
	u64 frames;
	u8 mac[ETH_ALEN];
	enum test_result r = no_net();

	if (r != TEST_PASS)
		return r;
	net_arp_flush();
	frames = st->rx_frames;
	EXPECT(!net_arp_resolve(net_gateway_ip(), mac, WAIT_NS));
	printk("# 10.0.2.2 is at %02x:%02x:%02x:%02x:%02x:%02x\n", mac[0], mac[1], mac[2],
	       mac[3], mac[4], mac[5]);
	EXPECT(st->rx_frames > frames);
	EXPECT(!(mac[0] & 1));
	EXPECT(memcmp(mac, "\0\0\0\0\0\0", ETH_ALEN));
	return rx_full();
}

/*
 * A transmit chain with no header (no device-readable buffer): QEMU's
 * device sets DEVICE_NEEDS_RESET and answers nothing; the core must reset
 * it and the driver start it again with its receive buffers posted, and
 * ARP to the gateway must then work. A legacy device has no such bit
 * (QEMU's just stops): skipped.
 */
SELFTEST(net, needs_reset)
{
	struct virtio_device *vd = virtio_net_device();
	enum test_result r = no_net();
	u8 mac[ETH_ALEN];
	unsigned int restarts;

	if (r != TEST_PASS)
		return r;
	if (vd->legacy)
		return skip("legacy device: no DEVICE_NEEDS_RESET (QEMU's just stops)");
	restarts = vd->restarts;
	EXPECT(virtio_net_send_unreadable() == -1);
	EXPECT_EQ(vd->restarts, restarts + 1);
	EXPECT(virtio_net_running());
	EXPECT(rx_full() == TEST_PASS);
	net_arp_flush();
	EXPECT(!net_arp_resolve(net_gateway_ip(), mac, WAIT_NS));
	return rx_full();
}

SELFTEST(net, ping_gateway)
{
	static const size_t sizes[PING_COUNT] = { 56, 0, 1000, 1472 };
	u64 rtt, min = ~0ULL, max = 0, sum = 0;
	unsigned int i;
	enum test_result r = no_net();

	if (r != TEST_PASS)
		return r;
	for (i = 0; i < PING_COUNT; i++) {
		if (net_ping(net_gateway_ip(), i + 1, sizes[i], WAIT_NS, &rtt)) {
			printk("# echo %u (%zu bytes) to 10.0.2.2: no reply\n", i + 1, sizes[i]);
			return TEST_FAIL;
		}
		min = MIN(min, rtt);
		max = MAX(max, rtt);
		sum += rtt;
	}
	printk("# ping 10.0.2.2: %u replies, rtt min/avg/max %llu/%llu/%llu us\n", PING_COUNT,
	       min / US, sum / PING_COUNT / US, max / US);
	EXPECT(net_stats()->rx_bad == 0);
	return rx_full();
}

/* slirp's DHCP server hands out its documented defaults to the first client. */
SELFTEST(net, dhcp_lease)
{
	struct dhcp_view lease;
	enum test_result r = no_net();

	if (r != TEST_PASS)
		return r;
	EXPECT(!net_dhcp(WAIT_NS, &lease));
	EXPECT_EQ(lease.yiaddr, IPV4(10, 0, 2, 15));
	EXPECT_EQ(lease.netmask, IPV4(255, 255, 255, 0));
	EXPECT_EQ(lease.router, IPV4(10, 0, 2, 2));
	EXPECT_EQ(lease.server, IPV4(10, 0, 2, 2));
	EXPECT_EQ(net_local_ip(), lease.yiaddr);
	return rx_full();
}

/* One datagram of @len bytes (seeded by @seq) out and back: its round trip, or 0. */
static u64 echo_once(unsigned int seq, size_t len)
{
	static u8 out[ECHO_BIG], in[ECHO_BIG + 1];
	u64 start = sched_clock();
	u32 src;
	u16 sport;
	size_t i;
	int got;

	for (i = 0; i < len; i++)
		out[i] = seq * 7 + i;
	if (net_udp_send(echo_ip, ECHO_LOCAL_PORT, echo_port, out, len))
		return 0;
	got = net_udp_recv(ECHO_LOCAL_PORT, in, sizeof(in), &src, &sport, WAIT_NS);
	if (got != (int)len || src != echo_ip || sport != echo_port || memcmp(in, out, len)) {
		printk("# datagram %u (%zu bytes): %d bytes back from %#x:%u%s\n", seq, len,
		       got, src, sport,
		       got == (int)len && memcmp(in, out, len) ? ", other bytes" : "");
		return 0;
	}
	return sched_clock() - start;
}

SELFTEST(net, udp_echo)
{
	unsigned int i, n;
	u64 rtt, min = ~0ULL, max = 0, sum = 0;
	enum test_result r = no_net();

	if (r != TEST_PASS)
		return r;
	if (!echo_port)
		return skip("no net.echo=IP:PORT given: no echo server to talk to");
	n = virtio_net_rx_size() + ECHO_EXTRA;
	for (i = 0; i < n; i++) {
		rtt = echo_once(i, i ? ECHO_SMALL : ECHO_BIG);
		if (!rtt)
			return TEST_FAIL;
		min = MIN(min, rtt);
		max = MAX(max, rtt);
		sum += rtt;
	}
	printk("# udp echo %u.%u.%u.%u:%u: %u datagrams, rtt min/avg/max %llu/%llu/%llu us\n",
	       echo_ip >> 24, echo_ip >> 16 & 0xff, echo_ip >> 8 & 0xff, echo_ip & 0xff,
	       echo_port, n, min / US, sum / n / US, max / US);
	return rx_full();
}

/*
 * The burst path (net_udp_send_burst, what bench=virtio-net measures):
 * BURST_COUNT copies of one datagram, more than the transmit queue holds,
 * every one echoed back with its bytes; the device's kick counter moved.
 */
SELFTEST(net, udp_burst)
{
	static u8 out[ECHO_SMALL], in[ECHO_SMALL + 1];
	struct virtio_device *vd = virtio_net_device();
	enum test_result r = no_net();
	unsigned int i;
	u64 kicks;
	u32 src;
	u16 sport;
	int got;

	if (r != TEST_PASS)
		return r;
	if (!echo_port)
		return skip("no net.echo=IP:PORT given: no echo server to talk to");
	for (i = 0; i < sizeof(out); i++)
		out[i] = 0xc3 ^ i;
	kicks = vd->notifies;
	EXPECT(!net_udp_send_burst(echo_ip, ECHO_LOCAL_PORT, echo_port, out, sizeof(out),
				   BURST_COUNT));
	EXPECT(vd->notifies > kicks);
	for (i = 0; i < BURST_COUNT; i++) {
		got = net_udp_recv(ECHO_LOCAL_PORT, in, sizeof(in), &src, &sport, WAIT_NS);
		if (got != (int)sizeof(out) || memcmp(in, out, sizeof(out))) {
			printk("# burst datagram %u of %u: %d bytes back\n", i, BURST_COUNT, got);
			return TEST_FAIL;
		}
	}
	printk("# udp burst: %u datagrams out, %llu kicks, all echoed\n", BURST_COUNT,
	       (unsigned long long)(vd->notifies - kicks));
	return TEST_PASS;
}

/* A local port nothing is sent to, and how long to listen on it. */
#define QUIET_PORT		40001
#define QUIET_WAIT_NS		(20 * MS)

/*
 * A receive that times out on a quiet port is no fault: nothing comes
 * (the timeout expires inside the driver's receive wait), and the device
 * still runs with its receive queue full.
 */
SELFTEST(net, quiet_receive)
{
	enum test_result r = no_net();
	u8 buf[64];
	u16 sport;
	u32 src;

	if (r != TEST_PASS)
		return r;
	EXPECT_EQ(net_udp_recv(QUIET_PORT, buf, sizeof(buf), &src, &sport, QUIET_WAIT_NS), -1);
	EXPECT(virtio_net_running());
	return rx_full();
}
