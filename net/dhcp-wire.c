// SPDX-License-Identifier: GPL-2.0
/*
 * DHCP messages (RFC 2131; options RFC 2132), as much as a client asking
 * for one address needs: DISCOVER and REQUEST built; OFFER and ACK (and
 * NAK) parsed. A reply counts only if it is a BOOTREPLY for our
 * transaction and hardware address with the magic cookie; the options
 * are walked with each length checked against the bytes received, and a
 * known option with the wrong length makes the whole message bad. Pure,
 * for the host tests.
 */
#include <proteus/net.h>
#include <proteus/string.h>

#define BOOTREQUEST		1
#define BOOTREPLY		2
#define DHCP_FLAG_BROADCAST	0x8000
#define DHCP_MAGIC		0x63825363
/* op .. file: the fixed BOOTP part (RFC 2131, figure 1), then the cookie. */
#define DHCP_FIXED_LEN		236
#define DHCP_OPTIONS_OFF	(DHCP_FIXED_LEN + 4)

#define OPT_PAD			0
#define OPT_SUBNET_MASK		1
#define OPT_ROUTER		3
#define OPT_REQUESTED_IP	50
#define OPT_MSG_TYPE		53
#define OPT_SERVER_ID		54
#define OPT_PARAM_LIST		55
#define OPT_END			255

static u8 *put_option(u8 *o, u8 code, const void *val, u8 len)
{
	o[0] = code;
	o[1] = len;
	memcpy(o + 2, val, len);
	return o + 2 + len;
}

static u8 *put_option_ip(u8 *o, u8 code, u32 ip)
{
	u8 v[4];

	put_be32(v, ip);
	return put_option(o, code, v, sizeof(v));
}

size_t net_dhcp_build(u8 *p, u8 type, u32 xid, const u8 *mac, u32 requested,
		      u32 server)
{
	static const u8 params[] = { OPT_SUBNET_MASK, OPT_ROUTER };
	u8 *o;

	memset(p, 0, DHCP_OPTIONS_OFF);
	p[0] = BOOTREQUEST;
	p[1] = 1;		/* Ethernet */
	p[2] = ETH_ALEN;
	put_be32(p + 4, xid);
	put_be16(p + 10, DHCP_FLAG_BROADCAST);
	memcpy(p + 28, mac, ETH_ALEN);
	put_be32(p + DHCP_FIXED_LEN, DHCP_MAGIC);
	o = put_option(p + DHCP_OPTIONS_OFF, OPT_MSG_TYPE, &type, 1);
	if (type == DHCP_REQUEST) {
		o = put_option_ip(o, OPT_REQUESTED_IP, requested);
		o = put_option_ip(o, OPT_SERVER_ID, server);
	}
	o = put_option(o, OPT_PARAM_LIST, params, sizeof(params));
	*o++ = OPT_END;
	return o - p;
}

/* One option's value into @d; -1 when a known option has the wrong length. */
static int take_option(struct dhcp_view *d, u8 code, const u8 *v, u8 len)
{
	switch (code) {
	case OPT_MSG_TYPE:
		if (len != 1)
			return -1;
		d->type = v[0];
		break;
	case OPT_SUBNET_MASK:
		if (len != 4)
			return -1;
		d->netmask = get_be32(v);
		break;
	case OPT_ROUTER:
		if (len < 4 || len % 4)
			return -1;
		d->router = get_be32(v);
		break;
	case OPT_SERVER_ID:
		if (len != 4)
			return -1;
		d->server = get_be32(v);
		break;
	}
	return 0;
}

int net_dhcp_parse(const u8 *p, size_t len, u32 xid, const u8 *mac,
		   struct dhcp_view *d)
{
	size_t i = DHCP_OPTIONS_OFF;
	u8 code, olen;

	if (len < DHCP_OPTIONS_OFF || p[0] != BOOTREPLY || p[1] != 1 ||
	    p[2] != ETH_ALEN || get_be32(p + 4) != xid || memcmp(p + 28, mac, ETH_ALEN) ||
	    get_be32(p + DHCP_FIXED_LEN) != DHCP_MAGIC)
		return -1;
	memset(d, 0, sizeof(*d));
	d->yiaddr = get_be32(p + 16);
	while (i < len && (code = p[i]) != OPT_END) {
		if (code == OPT_PAD) {
			i++;
			continue;
		}
		if (i + 2 > len || i + 2 + p[i + 1] > len)
			return -1;
		olen = p[i + 1];
		if (take_option(d, code, p + i + 2, olen))
			return -1;
		i += 2 + olen;
	}
	return d->type ? 0 : -1;
}
