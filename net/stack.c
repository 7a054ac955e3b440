// SPDX-License-Identifier: GPL-2.0
/*
 * The stack's one interface, statically configured for QEMU's user
 * network (slirp): 10.0.2.15/24, gateway 10.0.2.2, until net_dhcp takes
 * a lease (slirp's DHCP server gives the same); slirp answers ARP and
 * ping for the gateway itself and relays UDP to 10.0.2.2 to the host's
 * loopback. Nothing runs in the background: whoever waits for a reply
 * (ARP, echo, a datagram) polls the device, and every frame that comes in
 * meanwhile is handled on the way: ARP requests for us answered and the
 * sender cached, echo requests answered, the rest looked at by the
 * waiter. One caller at a time.
 */
#include <asm/pv/ops.h>
#include <linux/in.h>
#include <proteus/kernel.h>
#include <proteus/net.h>
#include <proteus/printk.h>
#include <proteus/string.h>

#define BROADCAST_IP	IPV4(255, 255, 255, 255)
#define ARP_CACHE_SIZE	8
/* How long one poll of the device may block before the waiter looks again. */
#define POLL_SLICE_NS	(10 * NSEC_PER_MSEC)
/* ARP requests are repeated this often while nobody answers. */
#define ARP_RETRY_NS	(500 * NSEC_PER_MSEC)
#define PING_ID		0x5052		/* "PR" */

static const struct net_device *dev;
static u32 local_ip = IPV4(10, 0, 2, 15);
static u32 gateway_ip = IPV4(10, 0, 2, 2);
static u32 netmask = IPV4(255, 255, 255, 0);
/* While a DHCP exchange runs: datagrams to any address are looked at. */
static bool dhcp_running;
static struct net_stats stats;
static u16 ip_id;

static struct arp_entry {
	u32 ip;
	u8 mac[ETH_ALEN];
	bool valid;
} arp_cache[ARP_CACHE_SIZE];
static unsigned int arp_next;

static const u8 broadcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* What the current waiter looks for; handle_frame fills it in. */
static struct {
	enum { WAIT_NONE, WAIT_ARP, WAIT_ECHO, WAIT_UDP } what;
	u32 ip;			/* ARP: the address asked for */
	u16 seq, port;
	const u8 *expect;	/* echo: the bytes that must come back */
	size_t expect_len;
	u8 *buf;		/* UDP: where the datagram goes */
	size_t cap;
	int got;		/* -1 until it came; then its length */
	u32 src;
	u16 sport;
} waiter;

/* Room for a VLAN tag too (such frames are then ignored, not cut). */
static u8 rx_frame[NET_FRAME_MAX + 4];
static u8 tx_frame[NET_FRAME_MAX];

void net_attach(const struct net_device *nd)
{
	dev = nd;
	printk("net: %s 10.0.2.15/24 gateway 10.0.2.2 (static)\n", nd->name);
}

bool net_up(void)
{
	return dev;
}

u32 net_local_ip(void)
{
	return local_ip;
}

u32 net_gateway_ip(void)
{
	return gateway_ip;
}

const struct net_stats *net_stats(void)
{
	return &stats;
}

void net_arp_flush(void)
{
	memset(arp_cache, 0, sizeof(arp_cache));
}

static struct arp_entry *arp_lookup(u32 ip)
{
	unsigned int i;

	for (i = 0; i < ARP_CACHE_SIZE; i++)
		if (arp_cache[i].valid && arp_cache[i].ip == ip)
			return &arp_cache[i];
	return NULL;
}

/* Remember @ip at @mac: its entry updated, or the oldest replaced. */
static void arp_learn(u32 ip, const u8 *mac)
{
	struct arp_entry *e = arp_lookup(ip);

	if (!e) {
		e = &arp_cache[arp_next];
		arp_next = (arp_next + 1) % ARP_CACHE_SIZE;
	}
	e->ip = ip;
	memcpy(e->mac, mac, ETH_ALEN);
	e->valid = true;
}

/* The Ethernet header in tx_frame: the frame's length. */
static size_t eth_header(const u8 *dst, u16 type, size_t payload_len)
{
	memcpy(tx_frame, dst, ETH_ALEN);
	memcpy(tx_frame + ETH_ALEN, dev->mac, ETH_ALEN);
	put_be16(tx_frame + 2 * ETH_ALEN, type);
	return ETH_HLEN + payload_len;
}

static int eth_send(const u8 *dst, u16 type, size_t payload_len)
{
	return dev->send(tx_frame, eth_header(dst, type, payload_len));
}

static int arp_send(u16 op, const u8 *dst_mac, u32 tpa)
{
	struct arp_view a = { .op = op, .spa = local_ip, .tpa = tpa };

	memcpy(a.sha, dev->mac, ETH_ALEN);
	if (op == ARPOP_REPLY)
		memcpy(a.tha, dst_mac, ETH_ALEN);
	net_arp_build(tx_frame + ETH_HLEN, &a);
	return eth_send(dst_mac, ETH_P_ARP, ARP_PKT_LEN);
}

static void handle_arp(const struct eth_view *e)
{
	struct arp_view a;

	if (net_arp_parse(e->payload, e->len, &a)) {
		stats.rx_bad++;
		return;
	}
	if (a.tpa != local_ip) {
		stats.rx_ignored++;
		return;
	}
	arp_learn(a.spa, a.sha);
	if (a.op == ARPOP_REQUEST && !arp_send(ARPOP_REPLY, a.sha, a.spa))
		stats.arp_replies_sent++;
	if (waiter.what == WAIT_ARP && a.spa == waiter.ip)
		waiter.got = 0;
}

/* The MAC to send @ip's packets to: its own on the subnet, else the gateway's. */
static u32 next_hop(u32 ip)
{
	return (ip & netmask) == (local_ip & netmask) ? ip : gateway_ip;
}

static int ip_send_from(const u8 *mac, u32 src, u32 dst, u8 proto, size_t len)
{
	net_ipv4_build(tx_frame + ETH_HLEN, proto, src, dst, len, ip_id++);
	return eth_send(mac, ETH_P_IP, IP_HDR_MIN + len);
}

static int ip_send_to(const u8 *mac, u32 dst, u8 proto, size_t len)
{
	return ip_send_from(mac, local_ip, dst, proto, len);
}

static void handle_icmp(const u8 *src_mac, const struct ipv4_view *ip)
{
	u8 *out = tx_frame + ETH_HLEN + IP_HDR_MIN;
	struct icmp_view ic;

	if (net_icmp_parse(ip->payload, ip->len, &ic)) {
		stats.rx_bad++;
		return;
	}
	if (ic.type == ICMP_ECHO && ic.len <= NET_FRAME_MAX - ETH_HLEN - IP_HDR_MIN -
	    ICMP_HDR_LEN) {
		size_t n = net_icmp_build_echo(out, ICMP_ECHOREPLY, ic.id, ic.seq,
					       ic.data, ic.len);

		if (!ip_send_to(src_mac, ip->src, IPPROTO_ICMP, n))
			stats.icmp_echo_replies_sent++;
		return;
	}
	if (ic.type == ICMP_ECHOREPLY && waiter.what == WAIT_ECHO &&
	    ic.id == PING_ID && ic.seq == waiter.seq && ip->src == waiter.ip &&
	    ic.len == waiter.expect_len && !memcmp(ic.data, waiter.expect, ic.len)) {
		waiter.got = ic.len;
		return;
	}
	stats.rx_ignored++;
}

static void handle_udp(const struct ipv4_view *ip)
{
	struct udp_view u;

	if (net_udp_parse(ip->payload, ip->len, ip->src, ip->dst, &u)) {
		stats.rx_bad++;
		return;
	}
	if (waiter.what != WAIT_UDP || u.dport != waiter.port || waiter.got >= 0) {
		stats.rx_ignored++;
		return;
	}
	waiter.got = MIN(u.len, waiter.cap);
	memcpy(waiter.buf, u.data, waiter.got);
	waiter.src = ip->src;
	waiter.sport = u.sport;
}

static void handle_ipv4(const struct eth_view *e)
{
	struct ipv4_view ip;
	int rc = net_ipv4_parse(e->payload, e->len, &ip);

	if (rc) {
		if (rc == -2)
			stats.rx_fragments++;
		else
			stats.rx_bad++;
		return;
	}
	if (ip.dst != local_ip && ip.dst != BROADCAST_IP && !dhcp_running) {
		stats.rx_ignored++;
		return;
	}
	if (ip.proto == IPPROTO_ICMP)
		handle_icmp(e->src, &ip);
	else if (ip.proto == IPPROTO_UDP)
		handle_udp(&ip);
	else
		stats.rx_ignored++;
}

static void handle_frame(const u8 *p, size_t len)
{
	struct eth_view e;

	stats.rx_frames++;
	if (net_eth_parse(p, len, &e)) {
		stats.rx_bad++;
		return;
	}
	if (memcmp(e.dst, dev->mac, ETH_ALEN) && memcmp(e.dst, broadcast, ETH_ALEN)) {
		stats.rx_ignored++;
		return;
	}
	if (e.type == ETH_P_ARP)
		handle_arp(&e);
	else if (e.type == ETH_P_IP)
		handle_ipv4(&e);
	else
		stats.rx_ignored++;
}

/*
 * Handle frames until the waiter got its answer or @deadline (sched_clock)
 * passed: 0, or -1 when the device failed.
 */
static int poll_until(u64 deadline)
{
	u64 now;
	int n;

	while (waiter.got < 0 && (now = sched_clock()) < deadline) {
		n = dev->recv(rx_frame, sizeof(rx_frame), MIN(POLL_SLICE_NS, deadline - now));
		if (n < 0)
			return -1;
		if (n)
			handle_frame(rx_frame, n);
	}
	return 0;
}

int net_arp_resolve(u32 ip, u8 *mac, u64 timeout_ns)
{
	u64 deadline = sched_clock() + timeout_ns, next;
	struct arp_entry *e;

	if (!dev)
		return -1;
	waiter.what = WAIT_ARP;
	waiter.ip = ip;
	while (!(e = arp_lookup(ip)) && sched_clock() < deadline) {
		waiter.got = -1;
		if (arp_send(ARPOP_REQUEST, broadcast, ip))
			break;
		next = MIN(sched_clock() + ARP_RETRY_NS, deadline);
		if (poll_until(next))
			break;
	}
	waiter.what = WAIT_NONE;
	if (!e)
		return -1;
	memcpy(mac, e->mac, ETH_ALEN);
	return 0;
}

/* Resolve @ip's next hop within what is left until @deadline. */
static int resolve_hop(u32 ip, u8 *mac, u64 deadline)
{
	u64 now = sched_clock();

	return now < deadline ? net_arp_resolve(next_hop(ip), mac, deadline - now) : -1;
}

int net_ping(u32 ip, u16 seq, size_t len, u64 timeout_ns, u64 *rtt_ns)
{
	static u8 pattern[NET_UDP_MAX];
	u8 *icmp = tx_frame + ETH_HLEN + IP_HDR_MIN;
	u64 start = sched_clock(), deadline = start + timeout_ns, sent;
	u8 mac[ETH_ALEN];
	size_t i, n;

	if (!dev || len > sizeof(pattern) || resolve_hop(ip, mac, deadline))
		return -1;
	for (i = 0; i < len; i++)
		pattern[i] = seq + i;
	n = net_icmp_build_echo(icmp, ICMP_ECHO, PING_ID, seq, pattern, len);
	waiter = (typeof(waiter)){ .what = WAIT_ECHO, .ip = ip, .seq = seq,
				   .expect = pattern, .expect_len = len, .got = -1 };
	sent = sched_clock();
	if (ip_send_to(mac, ip, IPPROTO_ICMP, n) || poll_until(deadline) ||
	    waiter.got < 0) {
		waiter.what = WAIT_NONE;
		return -1;
	}
	*rtt_ns = sched_clock() - sent;
	waiter.what = WAIT_NONE;
	return 0;
}

/* A datagram's whole frame in tx_frame: its length, or 0 (no route, too long). */
static size_t udp_frame(u32 ip, u16 sport, u16 dport, const void *data, size_t len)
{
	u8 *udp = tx_frame + ETH_HLEN + IP_HDR_MIN;
	u8 mac[ETH_ALEN];
	size_t n;

	if (!dev || len > NET_UDP_MAX ||
	    resolve_hop(ip, mac, sched_clock() + ARP_RETRY_NS * 4))
		return 0;
	n = net_udp_build(udp, local_ip, ip, sport, dport, data, len);
	net_ipv4_build(tx_frame + ETH_HLEN, IPPROTO_UDP, local_ip, ip, n, ip_id++);
	return eth_header(mac, ETH_P_IP, IP_HDR_MIN + n);
}

int net_udp_send(u32 ip, u16 sport, u16 dport, const void *data, size_t len)
{
	size_t n = udp_frame(ip, sport, dport, data, len);

	return n ? dev->send(tx_frame, n) : -1;
}

int net_udp_send_burst(u32 ip, u16 sport, u16 dport, const void *data, size_t len,
		       unsigned int count)
{
	size_t n;

	if (!dev || !dev->send_burst)
		return -1;
	n = udp_frame(ip, sport, dport, data, len);
	return n ? dev->send_burst(tx_frame, n, count) : -1;
}

int net_udp_recv(u16 port, void *buf, size_t cap, u32 *src, u16 *sport,
		 u64 timeout_ns)
{
	int got;

	if (!dev)
		return -1;
	waiter = (typeof(waiter)){ .what = WAIT_UDP, .port = port, .buf = buf,
				   .cap = cap, .got = -1 };
	if (poll_until(sched_clock() + timeout_ns))
		waiter.got = -1;
	got = waiter.got;
	*src = waiter.src;
	*sport = waiter.sport;
	waiter.what = WAIT_NONE;
	return got;
}

/* One DHCP message of @type out, from 0.0.0.0:68 to everyone's port 67. */
static int dhcp_send(u8 type, u32 xid, u32 requested, u32 server)
{
	static u8 msg[DHCP_MSG_MAX];
	u8 *udp = tx_frame + ETH_HLEN + IP_HDR_MIN;
	size_t n = net_dhcp_build(msg, type, xid, dev->mac, requested, server);

	n = net_udp_build(udp, 0, BROADCAST_IP, DHCP_CLIENT_PORT, DHCP_SERVER_PORT, msg, n);
	return ip_send_from(broadcast, 0, BROADCAST_IP, IPPROTO_UDP, n);
}

/* The server's reply of type @want (or a NAK) to @xid, until @deadline. */
static int dhcp_wait(u32 xid, u8 want, u64 deadline, struct dhcp_view *d)
{
	static u8 msg[NET_UDP_MAX];
	u64 now;
	u32 src;
	u16 sport;
	int n;

	while ((now = sched_clock()) < deadline) {
		n = net_udp_recv(DHCP_CLIENT_PORT, msg, sizeof(msg), &src, &sport,
				 deadline - now);
		if (n < 0)
			return -1;
		if (sport == DHCP_SERVER_PORT && !net_dhcp_parse(msg, n, xid, dev->mac, d) &&
		    (d->type == want || d->type == DHCP_NAK))
			return d->type == want ? 0 : -1;
		stats.rx_ignored++;
	}
	return -1;
}

int net_dhcp(u64 timeout_ns, struct dhcp_view *lease)
{
	u64 deadline = sched_clock() + timeout_ns;
	struct dhcp_view offer;
	int rc = -1;
	u32 xid;

	if (!dev)
		return -1;
	xid = (u32)sched_clock() ^ get_be32(dev->mac + 2);
	dhcp_running = true;
	if (!dhcp_send(DHCP_DISCOVER, xid, 0, 0) && !dhcp_wait(xid, DHCP_OFFER, deadline, &offer) &&
	    offer.yiaddr && offer.server &&
	    !dhcp_send(DHCP_REQUEST, xid, offer.yiaddr, offer.server) &&
	    !dhcp_wait(xid, DHCP_ACK, deadline, lease) && lease->yiaddr == offer.yiaddr)
		rc = 0;
	dhcp_running = false;
	if (rc)
		return -1;
	local_ip = lease->yiaddr;
	netmask = lease->netmask ? lease->netmask : netmask;
	gateway_ip = lease->router ? lease->router : gateway_ip;
	net_arp_flush();
	printk("net: %s DHCP lease %u.%u.%u.%u mask %#x router %u.%u.%u.%u\n", dev->name,
	       local_ip >> 24, local_ip >> 16 & 0xff, local_ip >> 8 & 0xff, local_ip & 0xff,
	       netmask, gateway_ip >> 24, gateway_ip >> 16 & 0xff, gateway_ip >> 8 & 0xff,
	       gateway_ip & 0xff);
	return 0;
}
