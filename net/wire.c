// SPDX-License-Identifier: GPL-2.0
/*
 * Packets on the wire, parsed and built: Ethernet II, ARP for IPv4 over
 * Ethernet (RFC 826), IPv4 (RFC 791), ICMP echo (RFC 792), UDP (RFC 768).
 * Parsers take the bytes received and their count, check every length
 * and header field against that count before reading what it covers,
 * and hand back views into the same bytes; nothing here allocates,
 * logs or keeps state, so the host tests feed it anything.
 */
#include <linux/in.h>
#include <proteus/net.h>
#include <proteus/string.h>

/* RFC 791 flags and fragment offset, in the 16 bits at offset 6. */
#define IP_MF		0x2000
#define IP_OFFSET	0x1fff
#define IP_DEFAULT_TTL	64

int net_eth_parse(const u8 *p, size_t len, struct eth_view *e)
{
	if (len < ETH_HLEN)
		return -1;
	e->dst = p;
	e->src = p + ETH_ALEN;
	e->type = get_be16(p + 2 * ETH_ALEN);
	e->payload = p + ETH_HLEN;
	e->len = len - ETH_HLEN;
	return 0;
}

int net_arp_parse(const u8 *p, size_t len, struct arp_view *a)
{
	if (len < ARP_PKT_LEN)
		return -1;
	if (get_be16(p) != ARPHRD_ETHER || get_be16(p + 2) != ETH_P_IP ||
	    p[4] != ETH_ALEN || p[5] != 4)
		return -1;
	a->op = get_be16(p + 6);
	memcpy(a->sha, p + 8, ETH_ALEN);
	a->spa = get_be32(p + 14);
	memcpy(a->tha, p + 18, ETH_ALEN);
	a->tpa = get_be32(p + 24);
	return 0;
}

void net_arp_build(u8 *p, const struct arp_view *a)
{
	put_be16(p, ARPHRD_ETHER);
	put_be16(p + 2, ETH_P_IP);
	p[4] = ETH_ALEN;
	p[5] = 4;
	put_be16(p + 6, a->op);
	memcpy(p + 8, a->sha, ETH_ALEN);
	put_be32(p + 14, a->spa);
	memcpy(p + 18, a->tha, ETH_ALEN);
	put_be32(p + 24, a->tpa);
}

int net_ipv4_parse(const u8 *p, size_t len, struct ipv4_view *ip)
{
	size_t hlen, total;

	if (len < IP_HDR_MIN || p[0] >> 4 != 4)
		return -1;
	hlen = (p[0] & 0xf) * 4;
	total = get_be16(p + 2);
	if (hlen < IP_HDR_MIN || hlen > len || total < hlen || total > len)
		return -1;
	if (net_checksum(p, hlen, 0))
		return -1;
	if (get_be16(p + 6) & (IP_MF | IP_OFFSET))
		return -2;
	ip->ttl = p[8];
	ip->proto = p[9];
	ip->src = get_be32(p + 12);
	ip->dst = get_be32(p + 16);
	ip->payload = p + hlen;
	ip->len = total - hlen;
	return 0;
}

void net_ipv4_build(u8 *p, u8 proto, u32 src, u32 dst, size_t payload_len, u16 id)
{
	p[0] = 0x45;
	p[1] = 0;
	put_be16(p + 2, IP_HDR_MIN + payload_len);
	put_be16(p + 4, id);
	put_be16(p + 6, 0);
	p[8] = IP_DEFAULT_TTL;
	p[9] = proto;
	put_be16(p + 10, 0);
	put_be32(p + 12, src);
	put_be32(p + 16, dst);
	put_be16(p + 10, net_checksum(p, IP_HDR_MIN, 0));
}

int net_icmp_parse(const u8 *p, size_t len, struct icmp_view *ic)
{
	if (len < ICMP_HDR_LEN || net_checksum(p, len, 0))
		return -1;
	ic->type = p[0];
	ic->code = p[1];
	ic->id = get_be16(p + 4);
	ic->seq = get_be16(p + 6);
	ic->data = p + ICMP_HDR_LEN;
	ic->len = len - ICMP_HDR_LEN;
	return 0;
}

size_t net_icmp_build_echo(u8 *p, u8 type, u16 id, u16 seq, const void *data,
			   size_t len)
{
	p[0] = type;
	p[1] = 0;
	put_be16(p + 2, 0);
	put_be16(p + 4, id);
	put_be16(p + 6, seq);
	memmove(p + ICMP_HDR_LEN, data, len);
	put_be16(p + 2, net_checksum(p, ICMP_HDR_LEN + len, 0));
	return ICMP_HDR_LEN + len;
}

/* The pseudo-header's sum (RFC 768): addresses, protocol, UDP length. */
static u32 udp_pseudo_sum(u32 src, u32 dst, size_t len)
{
	u8 ph[12];

	put_be32(ph, src);
	put_be32(ph + 4, dst);
	ph[8] = 0;
	ph[9] = IPPROTO_UDP;
	put_be16(ph + 10, len);
	return net_sum(ph, sizeof(ph), 0);
}

int net_udp_parse(const u8 *p, size_t len, u32 src, u32 dst, struct udp_view *u)
{
	size_t ulen;

	if (len < UDP_HDR_LEN)
		return -1;
	ulen = get_be16(p + 4);
	if (ulen < UDP_HDR_LEN || ulen > len)
		return -1;
	if (get_be16(p + 6) && net_checksum(p, ulen, udp_pseudo_sum(src, dst, ulen)))
		return -1;
	u->sport = get_be16(p);
	u->dport = get_be16(p + 2);
	u->data = p + UDP_HDR_LEN;
	u->len = ulen - UDP_HDR_LEN;
	return 0;
}

size_t net_udp_build(u8 *p, u32 src, u32 dst, u16 sport, u16 dport,
		     const void *data, size_t len)
{
	size_t ulen = UDP_HDR_LEN + len;
	u16 sum;

	put_be16(p, sport);
	put_be16(p + 2, dport);
	put_be16(p + 4, ulen);
	put_be16(p + 6, 0);
	memmove(p + UDP_HDR_LEN, data, len);
	sum = net_checksum(p, ulen, udp_pseudo_sum(src, dst, ulen));
	/* 0 means "no checksum": a computed 0 goes out as its complement. */
	put_be16(p + 6, sum ? sum : 0xffff);
	return ulen;
}

/* A decimal number up to @max from *@s, which moves past it: 0 or -1. */
static int parse_dec(const char **s, u32 max, u32 *out)
{
	const char *p = *s;
	u32 v = 0;

	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (*p++ - '0');
		if (v > max)
			return -1;
	}
	*s = p;
	*out = v;
	return 0;
}

int net_parse_endpoint(const char *s, u32 *ip, u16 *port)
{
	u32 part, addr = 0, p;
	int i;

	for (i = 0; i < 4; i++) {
		if (parse_dec(&s, 255, &part) || *s++ != (i < 3 ? '.' : ':'))
			return -1;
		addr = addr << 8 | part;
	}
	if (parse_dec(&s, 65535, &p) || *s || !p)
		return -1;
	*ip = addr;
	*port = p;
	return 0;
}
