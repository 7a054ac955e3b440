// SPDX-License-Identifier: GPL-2.0
/*
 * net/wire.c, net/checksum.c and the virtio-net receive gathering
 * (drivers/virtio/virtio_net_rx.c) against good, truncated and hostile
 * packets. Every packet is handed over in a heap block of exactly its
 * length, so a parser reading one byte past it is an ASan report; the
 * gathering state is on the heap too, its frame last, so a write past
 * the frame is one as well.
 */
#include "unit.h"

#include <proteus/net.h>
#include <proteus/virtio_net.h>

#define SRC	IPV4(10, 0, 2, 15)
#define DST	IPV4(10, 0, 2, 2)

/* @len bytes of @p in a block of their own (freed by the caller). */
static u8 *exact(const void *p, size_t len)
{
	u8 *b = malloc(len ? len : 1);

	memcpy(b, p, len);
	return b;
}

static int ipv4_parse_exact(const u8 *p, size_t len, struct ipv4_view *ip)
{
	u8 *b = exact(p, len);
	int rc = net_ipv4_parse(b, len, ip);

	free(b);
	return rc;
}

static void test_checksum(void)
{
	/* RFC 1071 section 3's example: the sum of these words is 0xddf2. */
	static const u8 rfc[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	u8 odd[] = { 0x12, 0x34, 0x56 };

	unit_name("checksum");
	CHECK_EQ(net_checksum(rfc, sizeof(rfc), 0), (u16)~0xddf2);
	CHECK_EQ(net_checksum(odd, sizeof(odd), 0), (u16)~(0x1234 + 0x5600));
	CHECK_EQ(net_checksum(NULL, 0, 0), 0xffff);
	CHECK_EQ(net_checksum(rfc, 4, net_sum(rfc + 4, 4, 0)), (u16)~0xddf2);
}

static void test_eth_arp(void)
{
	struct arp_view a = { .op = 1, .sha = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 },
			      .spa = SRC, .tpa = DST }, b;
	struct eth_view e;
	u8 pkt[ARP_PKT_LEN], *x;
	size_t len;

	unit_name("eth");
	x = exact(pkt, ETH_HLEN - 1);
	CHECK_EQ(net_eth_parse(x, ETH_HLEN - 1, &e), -1);
	free(x);
	x = exact("\xff\xff\xff\xff\xff\xff\x52\x54\x00\x12\x34\x56\x08\x06", ETH_HLEN);
	CHECK_EQ(net_eth_parse(x, ETH_HLEN, &e), 0);
	CHECK_EQ(e.type, ETH_P_ARP);
	CHECK_EQ(e.len, 0);
	free(x);

	unit_name("arp");
	net_arp_build(pkt, &a);
	x = exact(pkt, sizeof(pkt));
	CHECK_EQ(net_arp_parse(x, sizeof(pkt), &b), 0);
	free(x);
	CHECK_EQ(b.op, 1);
	CHECK_EQ(b.spa, SRC);
	CHECK_EQ(b.tpa, DST);
	CHECK(!memcmp(b.sha, a.sha, ETH_ALEN));
	for (len = 0; len < sizeof(pkt); len++) {
		x = exact(pkt, len);
		CHECK_EQ(net_arp_parse(x, len, &b), -1);
		free(x);
	}
	pkt[4] = 8;		/* a hardware address of 8 bytes */
	CHECK_EQ(net_arp_parse(pkt, sizeof(pkt), &b), -1);
	pkt[4] = ETH_ALEN;
	pkt[3] = 0xdd;		/* ptype 0x08dd */
	CHECK_EQ(net_arp_parse(pkt, sizeof(pkt), &b), -1);
}

static void test_ipv4(void)
{
	u8 pkt[IP_HDR_MIN + 40 + 8];
	struct ipv4_view ip;
	size_t len;

	unit_name("ipv4");
	memset(pkt, 0xa5, sizeof(pkt));
	net_ipv4_build(pkt, 17, SRC, DST, 8, 0x1234);
	CHECK_EQ(net_checksum(pkt, IP_HDR_MIN, 0), 0);
	CHECK_EQ(ipv4_parse_exact(pkt, IP_HDR_MIN + 8, &ip), 0);
	CHECK_EQ(ip.proto, 17);
	CHECK_EQ(ip.src, SRC);
	CHECK_EQ(ip.dst, DST);
	CHECK_EQ(ip.len, 8);
	/* Ethernet padding after the datagram is not payload. */
	CHECK_EQ(ipv4_parse_exact(pkt, IP_HDR_MIN + 30, &ip), 0);
	CHECK_EQ(ip.len, 8);
	/* Truncated: shorter than the header, then than the total length. */
	for (len = 0; len < IP_HDR_MIN + 8; len++)
		CHECK_EQ(ipv4_parse_exact(pkt, len, &ip), -1);

	unit_name("ipv4 hostile");
	pkt[0] = 0x65;		/* version 6 */
	CHECK_EQ(ipv4_parse_exact(pkt, IP_HDR_MIN + 8, &ip), -1);
	pkt[0] = 0x44;		/* header of 16 bytes */
	CHECK_EQ(ipv4_parse_exact(pkt, IP_HDR_MIN + 8, &ip), -1);
	pkt[0] = 0x4f;		/* header of 60 bytes, past the 28 given */
	CHECK_EQ(ipv4_parse_exact(pkt, IP_HDR_MIN + 8, &ip), -1);
	net_ipv4_build(pkt, 17, SRC, DST, 8, 1);
	put_be16(pkt + 2, 19);	/* total length inside the header */
	CHECK_EQ(ipv4_parse_exact(pkt, IP_HDR_MIN + 8, &ip), -1);
	net_ipv4_build(pkt, 17, SRC, DST, 8, 1);
	pkt[12] ^= 1;		/* checksum wrong */
	CHECK_EQ(ipv4_parse_exact(pkt, IP_HDR_MIN + 8, &ip), -1);

	unit_name("ipv4 fragments");
	net_ipv4_build(pkt, 17, SRC, DST, 8, 1);
	put_be16(pkt + 6, 0x2000);	/* more fragments */
	put_be16(pkt + 10, 0);
	put_be16(pkt + 10, net_checksum(pkt, IP_HDR_MIN, 0));
	CHECK_EQ(ipv4_parse_exact(pkt, IP_HDR_MIN + 8, &ip), -2);
	put_be16(pkt + 6, 0x0001);	/* a later fragment */
	put_be16(pkt + 10, 0);
	put_be16(pkt + 10, net_checksum(pkt, IP_HDR_MIN, 0));
	CHECK_EQ(ipv4_parse_exact(pkt, IP_HDR_MIN + 8, &ip), -2);
	put_be16(pkt + 6, 0x4000);	/* don't fragment: a whole datagram */
	put_be16(pkt + 10, 0);
	put_be16(pkt + 10, net_checksum(pkt, IP_HDR_MIN, 0));
	CHECK_EQ(ipv4_parse_exact(pkt, IP_HDR_MIN + 8, &ip), 0);

	unit_name("ipv4 options");
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x46;		/* 24-byte header: one option word */
	put_be16(pkt + 2, 24 + 4);
	put_be16(pkt + 10, net_checksum(pkt, 24, 0));
	CHECK_EQ(ipv4_parse_exact(pkt, 28, &ip), 0);
	CHECK_EQ(ip.len, 4);
	CHECK_EQ(ipv4_parse_exact(pkt, 27, &ip), -1);
}

static void test_icmp(void)
{
	u8 pkt[ICMP_HDR_LEN + 5], *x;
	struct icmp_view ic;
	size_t n, len;

	unit_name("icmp");
	n = net_icmp_build_echo(pkt, ICMP_ECHO, 0x5052, 7, "hello", 5);
	CHECK_EQ(n, sizeof(pkt));
	x = exact(pkt, n);
	CHECK_EQ(net_icmp_parse(x, n, &ic), 0);
	CHECK_EQ(ic.type, ICMP_ECHO);
	CHECK_EQ(ic.id, 0x5052);
	CHECK_EQ(ic.seq, 7);
	CHECK_EQ(ic.len, 5);
	CHECK(!memcmp(ic.data, "hello", 5));
	free(x);
	for (len = 0; len < n; len++) {
		x = exact(pkt, len);
		CHECK_EQ(net_icmp_parse(x, len, &ic), -1);
		free(x);
	}
	pkt[ICMP_HDR_LEN] ^= 0x20;
	CHECK_EQ(net_icmp_parse(pkt, n, &ic), -1);
}

static void test_udp(void)
{
	u8 pkt[UDP_HDR_LEN + 4], *x;
	struct udp_view u;
	size_t n, len;

	unit_name("udp");
	n = net_udp_build(pkt, SRC, DST, 40000, 7, "ping", 4);
	CHECK_EQ(n, sizeof(pkt));
	x = exact(pkt, n);
	CHECK_EQ(net_udp_parse(x, n, SRC, DST, &u), 0);
	CHECK_EQ(u.sport, 40000);
	CHECK_EQ(u.dport, 7);
	CHECK_EQ(u.len, 4);
	CHECK(!memcmp(u.data, "ping", 4));
	free(x);
	for (len = 0; len < n; len++) {
		x = exact(pkt, len);
		CHECK_EQ(net_udp_parse(x, len, SRC, DST, &u), -1);
		free(x);
	}
	/* Another destination: the pseudo-header no longer sums. */
	CHECK_EQ(net_udp_parse(pkt, n, SRC, DST + 1, &u), -1);

	unit_name("udp hostile");
	put_be16(pkt + 4, 7);		/* length under the header */
	CHECK_EQ(net_udp_parse(pkt, n, SRC, DST, &u), -1);
	put_be16(pkt + 4, n + 1);	/* length past the IP payload */
	CHECK_EQ(net_udp_parse(pkt, n, SRC, DST, &u), -1);
	put_be16(pkt + 4, n);
	put_be16(pkt + 6, 0);		/* no checksum sent: taken as is */
	CHECK_EQ(net_udp_parse(pkt, n, SRC, DST, &u), 0);
	/* A shorter UDP length inside a longer IP payload: padding cut. */
	n = net_udp_build(pkt, SRC, DST, 1, 2, "ab", 2);
	CHECK_EQ(net_udp_parse(pkt, sizeof(pkt), SRC, DST, &u), 0);
	CHECK_EQ(u.len, 2);
}

static void test_endpoint(void)
{
	static const char *const bad[] = {
		"", "10.0.2.2", "10.0.2.2:", "10.0.2:7", "10.0.2.256:7", "10.0.2.2:0",
		"10.0.2.2:65536", "10.0.2.2:7x", "a.b.c.d:7", "10..2.2:7", "10.0.2.2.1:7",
		"99999999999.0.0.0:1",
	};
	unsigned int i;
	u32 ip = 0;
	u16 port = 0;

	unit_name("endpoint");
	CHECK_EQ(net_parse_endpoint("10.0.2.2:40123", &ip, &port), 0);
	CHECK_EQ(ip, DST);
	CHECK_EQ(port, 40123);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unit_name("endpoint '%s'", bad[i]);
		CHECK_EQ(net_parse_endpoint(bad[i], &ip, &port), -1);
	}
}

/* A server's reply: our request turned into a BOOTREPLY with @opts. */
static size_t dhcp_reply(u8 *p, u32 xid, const u8 *mac, const u8 *opts, size_t olen)
{
	size_t n = net_dhcp_build(p, DHCP_DISCOVER, xid, mac, 0, 0);

	CHECK(n < DHCP_MSG_MAX);
	p[0] = 2;
	put_be32(p + 16, IPV4(10, 0, 2, 15));
	memcpy(p + 240, opts, olen);
	return 240 + olen;
}

static void test_dhcp(void)
{
	static const u8 mac[ETH_ALEN] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	static const u8 offer[] = { 53, 1, 2, 0, 1, 4, 255, 255, 255, 0,
				    3, 8, 10, 0, 2, 2, 10, 0, 2, 3, 54, 4, 10, 0, 2, 2,
				    51, 4, 0, 1, 0x51, 0x80, 255 };
	u8 p[DHCP_MSG_MAX + 64], *x;
	struct dhcp_view d;
	size_t n, len;

	unit_name("dhcp build");
	n = net_dhcp_build(p, DHCP_REQUEST, 0x1234, mac, IPV4(10, 0, 2, 15), IPV4(10, 0, 2, 2));
	CHECK(n <= DHCP_MSG_MAX);
	CHECK_EQ(p[0], 1);
	CHECK_EQ(get_be32(p + 4), 0x1234);
	CHECK(!memcmp(p + 28, mac, ETH_ALEN));
	CHECK_EQ(get_be32(p + 236), 0x63825363);
	CHECK(p[240] == 53 && p[241] == 1 && p[242] == DHCP_REQUEST);
	CHECK(p[243] == 50 && get_be32(p + 245) == IPV4(10, 0, 2, 15));
	CHECK_EQ(p[n - 1], 255);
	/* Our own request is no reply. */
	CHECK_EQ(net_dhcp_parse(p, n, 0x1234, mac, &d), -1);

	unit_name("dhcp offer");
	n = dhcp_reply(p, 0x1234, mac, offer, sizeof(offer));
	x = exact(p, n);
	CHECK_EQ(net_dhcp_parse(x, n, 0x1234, mac, &d), 0);
	free(x);
	CHECK_EQ(d.type, DHCP_OFFER);
	CHECK_EQ(d.yiaddr, IPV4(10, 0, 2, 15));
	CHECK_EQ(d.netmask, IPV4(255, 255, 255, 0));
	CHECK_EQ(d.router, IPV4(10, 0, 2, 2));
	CHECK_EQ(d.server, IPV4(10, 0, 2, 2));
	CHECK_EQ(net_dhcp_parse(p, n, 0x1235, mac, &d), -1);
	/* Truncated: before the options, or inside one. */
	for (len = 0; len < 240 + 3; len++) {
		x = exact(p, len);
		CHECK_EQ(net_dhcp_parse(x, len, 0x1234, mac, &d), -1);
		free(x);
	}
	/* Cut at an option's end it may still parse (END is optional), never read past. */
	for (len = 240 + 3; len < n; len++) {
		x = exact(p, len);
		d.type = 0;
		CHECK(net_dhcp_parse(x, len, 0x1234, mac, &d) == -1 || d.type == DHCP_OFFER);
		free(x);
	}
	x = exact(p, 240 + 7);	/* inside the subnet mask */
	CHECK_EQ(net_dhcp_parse(x, 240 + 7, 0x1234, mac, &d), -1);
	free(x);

	unit_name("dhcp hostile");
	p[240 + 1] = 2;		/* message type of 2 bytes */
	CHECK_EQ(net_dhcp_parse(p, n, 0x1234, mac, &d), -1);
	p[240 + 1] = 1;
	p[240 + 5] = 3;		/* a mask of 3 bytes */
	CHECK_EQ(net_dhcp_parse(p, n, 0x1234, mac, &d), -1);
	p[240 + 5] = 4;
	p[240 + 27] = 200;	/* an option longer than the message */
	CHECK_EQ(net_dhcp_parse(p, n, 0x1234, mac, &d), -1);
	n = dhcp_reply(p, 0x1234, mac, (const u8 *)"\x00\x00\xff", 3);
	CHECK_EQ(net_dhcp_parse(p, n, 0x1234, mac, &d), -1);	/* no message type */
}

/* A receive buffer of @size bytes: a header saying @num_buffers, then @fill bytes. */
static u8 *rx_buf(size_t size, u16 num_buffers, u8 fill)
{
	u8 *b = malloc(size);
	struct virtio_net_hdr_v1 h = { .num_buffers = num_buffers };

	memset(b, fill, size);
	if (size >= VNET_HDR_LEN)
		memcpy(b, &h, VNET_HDR_LEN);
	return b;
}

/* A buffer continuing a packet: no header, @size bytes of @fill. */
static u8 *cont_buf(size_t size, u8 fill)
{
	u8 *b = malloc(size);

	memset(b, fill, size);
	return b;
}

static struct vnet_rx *rx_new(u16 max_buffers)
{
	struct vnet_rx *rx = calloc(1, sizeof(*rx));

	rx->max_buffers = max_buffers;
	return rx;
}

static void test_vnet_rx(void)
{
	struct vnet_rx *rx = rx_new(64);
	u8 *b1, *b2, *b3;

	unit_name("vnet_rx one buffer");
	b1 = rx_buf(VNET_HDR_LEN + 60, 1, 0x11);
	CHECK_EQ(vnet_rx_buffer(rx, b1, VNET_HDR_LEN + 60, VNET_HDR_LEN + 60), VNET_RX_FRAME);
	CHECK_EQ(rx->len, 60);
	CHECK_EQ(rx->frame[59], 0x11);
	free(b1);

	unit_name("vnet_rx merged");
	b1 = rx_buf(VNET_HDR_LEN + 1000, 3, 0x21);
	b2 = cont_buf(400, 0x22);
	b3 = cont_buf(100, 0x23);
	CHECK_EQ(vnet_rx_buffer(rx, b1, VNET_HDR_LEN + 1000, VNET_HDR_LEN + 1000), VNET_RX_MORE);
	CHECK_EQ(vnet_rx_buffer(rx, b2, 400, 400), VNET_RX_MORE);
	CHECK_EQ(vnet_rx_buffer(rx, b3, 100, 100), VNET_RX_FRAME);
	CHECK_EQ(rx->len, 1500);
	CHECK(rx->frame[999] == 0x21 && rx->frame[1000] == 0x22 && rx->frame[1499] == 0x23);
	CHECK_EQ(vnet_rx_dropped(rx), 0);
	free(b1);
	free(b2);
	free(b3);

	unit_name("vnet_rx short buffer");
	b1 = rx_buf(VNET_HDR_LEN - 1, 1, 0);
	CHECK_EQ(vnet_rx_buffer(rx, b1, VNET_HDR_LEN - 1, VNET_HDR_LEN - 1), VNET_RX_DROP);
	CHECK_EQ(rx->short_buf, 1);
	free(b1);

	unit_name("vnet_rx num_buffers");
	unit_log_reset();
	b1 = rx_buf(VNET_HDR_LEN + 60, 0, 0);
	CHECK_EQ(vnet_rx_buffer(rx, b1, VNET_HDR_LEN + 60, VNET_HDR_LEN + 60), VNET_RX_DROP);
	free(b1);
	b1 = rx_buf(VNET_HDR_LEN + 60, 65, 0);
	CHECK_EQ(vnet_rx_buffer(rx, b1, VNET_HDR_LEN + 60, VNET_HDR_LEN + 60), VNET_RX_DROP);
	free(b1);
	b1 = rx_buf(VNET_HDR_LEN + 60, 0xffff, 0);
	CHECK_EQ(vnet_rx_buffer(rx, b1, VNET_HDR_LEN + 60, VNET_HDR_LEN + 60), VNET_RX_DROP);
	free(b1);
	CHECK_EQ(rx->bad_count, 3);
	CHECK(unit_log_find("num_buffers 65, not 1..64"));
	/* The next good packet is taken as if nothing happened. */
	b1 = rx_buf(VNET_HDR_LEN + 42, 1, 0x31);
	CHECK_EQ(vnet_rx_buffer(rx, b1, VNET_HDR_LEN + 42, VNET_HDR_LEN + 42), VNET_RX_FRAME);
	CHECK_EQ(rx->len, 42);
	free(b1);

	unit_name("vnet_rx length past the buffer");
	b1 = rx_buf(256, 1, 0x41);
	CHECK_EQ(vnet_rx_buffer(rx, b1, 4096, 256), VNET_RX_DROP);
	CHECK_EQ(rx->past_buffer, 1);
	free(b1);
	/* A few bytes past a short buffer, the frame well under its maximum. */
	b1 = rx_buf(64, 1, 0x41);
	CHECK_EQ(vnet_rx_buffer(rx, b1, 64 + 4, 64), VNET_RX_DROP);
	CHECK_EQ(rx->past_buffer, 2);
	free(b1);
	/* In the middle of a packet: the packet goes, its buffers are used up. */
	b1 = rx_buf(VNET_HDR_LEN + 100, 3, 0x42);
	b2 = cont_buf(64, 0x43);
	b3 = cont_buf(64, 0x44);
	CHECK_EQ(vnet_rx_buffer(rx, b1, VNET_HDR_LEN + 100, VNET_HDR_LEN + 100), VNET_RX_MORE);
	CHECK_EQ(vnet_rx_buffer(rx, b2, 4096, 64), VNET_RX_MORE);
	CHECK_EQ(vnet_rx_buffer(rx, b3, 64, 64), VNET_RX_DROP);
	CHECK_EQ(rx->past_buffer, 3);
	free(b1);
	free(b2);
	free(b3);

	unit_name("vnet_rx frame too long");
	b1 = rx_buf(VNET_HDR_LEN + 1500, 2, 0x51);
	b2 = cont_buf(4096, 0x52);
	CHECK_EQ(vnet_rx_buffer(rx, b1, VNET_HDR_LEN + 1500, VNET_HDR_LEN + 1500), VNET_RX_MORE);
	CHECK_EQ(vnet_rx_buffer(rx, b2, 4096, 4096), VNET_RX_DROP);
	CHECK_EQ(rx->too_long, 1);
	free(b1);
	free(b2);
	b1 = rx_buf(VNET_HDR_LEN + 4000, 1, 0x53);
	CHECK_EQ(vnet_rx_buffer(rx, b1, VNET_HDR_LEN + 4000, VNET_HDR_LEN + 4000), VNET_RX_DROP);
	CHECK_EQ(rx->too_long, 2);
	free(b1);
	CHECK_EQ(vnet_rx_dropped(rx), 1 + 3 + 3 + 2);
	free(rx);

	unit_name("vnet_rx queue of one");
	rx = rx_new(1);
	b1 = rx_buf(VNET_HDR_LEN + 10, 2, 0);
	CHECK_EQ(vnet_rx_buffer(rx, b1, VNET_HDR_LEN + 10, VNET_HDR_LEN + 10), VNET_RX_DROP);
	CHECK_EQ(rx->bad_count, 1);
	free(b1);
	free(rx);
}

int main(void)
{
	test_checksum();
	test_eth_arp();
	test_ipv4();
	test_icmp();
	test_udp();
	test_endpoint();
	test_dhcp();
	test_vnet_rx();
	return unit_done();
}
