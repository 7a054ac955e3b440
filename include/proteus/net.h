/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal IPv4 stack for tests: Ethernet, ARP (requests, replies, a
 * small cache), IPv4 without fragments or options we act on, ICMP echo,
 * UDP, a DHCP client. One interface, configured statically for QEMU's user
 * network (10.0.2.15/24, gateway 10.0.2.2) unless net_dhcp takes a
 * lease, polled by whoever waits: no
 * interrupts, no queues, one caller at a time.
 *
 * The parsers (net_*_parse) are pure and host-tested: every length and
 * header field from the wire is checked against the bytes actually
 * received before anything is read; a bad packet returns -1 and is
 * counted by its caller. Wire formats: linux/if_ether.h, if_arp.h, ip.h,
 * icmp.h, udp.h; addresses and ports are kept in host order here.
 */
#ifndef PROTEUS_NET_H
#define PROTEUS_NET_H

#include <linux/if_ether.h>
#include <proteus/types.h>

/*
 * ARP for IPv4 over Ethernet (RFC 826): hardware type, opcodes (as in
 * linux/if_arp.h, which cannot be included without libc's sys/socket.h).
 */
#define ARP_PKT_LEN	28
#define ARPHRD_ETHER	1
#define ARPOP_REQUEST	1
#define ARPOP_REPLY	2
#define IP_HDR_MIN	20
/* ICMP echo types (RFC 792; linux/icmp.h drags in libc's sys/socket.h too). */
#define ICMP_ECHOREPLY	0
#define ICMP_ECHO	8
#define ICMP_HDR_LEN	8
#define UDP_HDR_LEN	8
/* The largest frame built or taken here (no VLAN tags built). */
#define NET_FRAME_MAX	1514
#define NET_UDP_MAX	(NET_FRAME_MAX - ETH_HLEN - IP_HDR_MIN - UDP_HDR_LEN)

#define IPV4(a, b, c, d)	((u32)(a) << 24 | (u32)(b) << 16 | (c) << 8 | (d))

static inline u16 get_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline u32 get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline void put_be16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static inline void put_be32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* The Internet checksum (RFC 1071) of @len bytes, folded, complemented. */
u16 net_checksum(const void *buf, size_t len, u32 sum);
/* The unfolded sum of @len bytes, to chain pseudo-headers. */
u32 net_sum(const void *buf, size_t len, u32 sum);

struct eth_view {
	const u8 *dst, *src;
	u16 type;
	const u8 *payload;
	size_t len;
};
int net_eth_parse(const u8 *p, size_t len, struct eth_view *e);

struct arp_view {
	u16 op;			/* ARPOP_REQUEST, ARPOP_REPLY */
	u8 sha[ETH_ALEN], tha[ETH_ALEN];
	u32 spa, tpa;
};
/* Only Ethernet/IPv4 ARP (htype 1, ptype 0x0800, hlen 6, plen 4). */
int net_arp_parse(const u8 *p, size_t len, struct arp_view *a);
/* The 28 bytes of @a into @p. */
void net_arp_build(u8 *p, const struct arp_view *a);

struct ipv4_view {
	u8 proto, ttl;
	u32 src, dst;
	const u8 *payload;
	size_t len;		/* total length minus the header: padding cut off */
};
/*
 * Version 4, header length 20..60 inside @len, total length between the
 * header length and @len, header checksum right. Fragments (MF set or an
 * offset) return -2: this stack drops them, counted apart.
 */
int net_ipv4_parse(const u8 *p, size_t len, struct ipv4_view *ip);
/* A 20-byte header for @payload_len bytes into @p, checksum filled in. */
void net_ipv4_build(u8 *p, u8 proto, u32 src, u32 dst, size_t payload_len, u16 id);

struct icmp_view {
	u8 type, code;
	u16 id, seq;
	const u8 *data;
	size_t len;
};
/* At least the 8-byte header; checksum over all @len bytes right. */
int net_icmp_parse(const u8 *p, size_t len, struct icmp_view *ic);
/* An echo message (@type ICMP_ECHO or ICMP_ECHOREPLY) into @p: its length. */
size_t net_icmp_build_echo(u8 *p, u8 type, u16 id, u16 seq, const void *data,
			   size_t len);

struct udp_view {
	u16 sport, dport;
	const u8 *data;
	size_t len;
};
/*
 * The UDP length between 8 and @len (the IP payload); the checksum over
 * the pseudo-header right unless 0 (none sent).
 */
int net_udp_parse(const u8 *p, size_t len, u32 src, u32 dst, struct udp_view *u);
/* Header and @len bytes of @data into @p, checksum filled in: its length. */
size_t net_udp_build(u8 *p, u32 src, u32 dst, u16 sport, u16 dport,
		     const void *data, size_t len);

/* DHCP (RFC 2131): message types (option 53) and ports. */
#define DHCP_DISCOVER		1
#define DHCP_OFFER		2
#define DHCP_REQUEST		3
#define DHCP_ACK		5
#define DHCP_NAK		6
#define DHCP_SERVER_PORT	67
#define DHCP_CLIENT_PORT	68
/* A DISCOVER or REQUEST with its options fits in this. */
#define DHCP_MSG_MAX		300

struct dhcp_view {
	u8 type;		/* option 53; 0: absent (then the parse fails) */
	u32 yiaddr, netmask, router, server;	/* 0 when not given */
};
/*
 * A client's @type message (DHCP_DISCOVER or DHCP_REQUEST, the latter for
 * @requested from @server) for transaction @xid into @p: its length. It
 * asks for the reply by broadcast and for the mask and router.
 */
size_t net_dhcp_build(u8 *p, u8 type, u32 xid, const u8 *mac, u32 requested,
		      u32 server);
/*
 * A server's reply to transaction @xid for @mac: 0 with its address and
 * options in @d, or -1 (not ours, truncated, an option past the end or
 * of the wrong length, no message type).
 */
int net_dhcp_parse(const u8 *p, size_t len, u32 xid, const u8 *mac,
		   struct dhcp_view *d);

/* "A.B.C.D:PORT" (port 1..65535) into *@ip, *@port: 0, or -1 if malformed. */
int net_parse_endpoint(const char *s, u32 *ip, u16 *port);

/* The interface, given by its driver. */
struct net_device {
	const char *name;
	u8 mac[ETH_ALEN];
	/* Send one frame: 0, or -1 (the device failed). */
	int (*send)(const void *frame, size_t len);
	/*
	 * Send @count copies of one frame, several in flight: 0, or -1
	 * (the device failed). NULL where the driver has no such path.
	 */
	int (*send_burst)(const void *frame, size_t len, unsigned int count);
	/* One frame into @buf within @timeout_ns: its length, 0 if none, -1. */
	int (*recv)(void *buf, size_t cap, u64 timeout_ns);
};

void net_attach(const struct net_device *nd);
bool net_up(void);
u32 net_local_ip(void);
u32 net_gateway_ip(void);

/* Counters of what the stack took and dropped, and why. */
struct net_stats {
	u64 rx_frames, rx_bad, rx_fragments, rx_ignored;
	u64 arp_replies_sent, icmp_echo_replies_sent;
};
const struct net_stats *net_stats(void);

/* @ip's MAC (asking with ARP, within @timeout_ns): 0 or -1. */
int net_arp_resolve(u32 ip, u8 *mac, u64 timeout_ns);
/*
 * Ask for a lease by DHCP within @timeout_ns and take it: address, mask
 * and router replace the static ones; 0 with the lease in *@lease, or -1
 * (the static configuration stays).
 */
int net_dhcp(u64 timeout_ns, struct dhcp_view *lease);
/* Forget the ARP cache (for a test that must see a request go out). */
void net_arp_flush(void);
/*
 * One echo request of @len bytes to @ip; 0 when the matching reply with
 * the same bytes came within @timeout_ns (*@rtt_ns: how long), else -1.
 */
int net_ping(u32 ip, u16 seq, size_t len, u64 timeout_ns, u64 *rtt_ns);
/* One datagram from @sport to @ip:@dport: 0 or -1. */
int net_udp_send(u32 ip, u16 sport, u16 dport, const void *data, size_t len);
/*
 * @count copies of one datagram, as fast as the driver's transmit queue
 * takes them (for benchmarks): 0, or -1 (no route, no burst path, the
 * device failed).
 */
int net_udp_send_burst(u32 ip, u16 sport, u16 dport, const void *data, size_t len,
		       unsigned int count);
/*
 * The next datagram to local port @port within @timeout_ns into @buf: its
 * length (cut to @cap), *@src and *@sport its origin; -1 when none came.
 */
int net_udp_recv(u16 port, void *buf, size_t cap, u32 *src, u16 *sport,
		 u64 timeout_ns);

#endif
