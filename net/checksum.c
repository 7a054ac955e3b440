// SPDX-License-Identifier: GPL-2.0
/*
 * The Internet checksum (RFC 1071): the ones' complement of the ones'
 * complement sum of 16-bit big-endian words, an odd last byte padded
 * with zero. net_sum chains pieces (a pseudo-header, then the data);
 * net_checksum folds and complements. A packet whose checksum field is
 * right sums, field included, to 0xffff, so checking is net_checksum == 0.
 */
#include <proteus/net.h>

u32 net_sum(const void *buf, size_t len, u32 sum)
{
	const u8 *p = buf;
	u64 s = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += get_be16(p + i);
	if (len & 1)
		s += (u16)(p[len - 1] << 8);
	while (s >> 32)
		s = (s & 0xffffffff) + (s >> 32);
	return s;
}

u16 net_checksum(const void *buf, size_t len, u32 sum)
{
	u32 s = net_sum(buf, len, sum);

	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (u16)~s;
}
