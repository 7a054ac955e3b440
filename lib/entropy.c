// SPDX-License-Identifier: GPL-2.0
/*
 * A small entropy pool: 512 bits in eight lanes. Input is XORed into the
 * lanes and stirred with an add-rotate-xor permutation (SipHash's round,
 * on two lane quartets, applied four times) so every input bit reaches
 * every lane; output is taken from a stirred copy and a counter moves the
 * pool on after each read. This collects entropy and never hands out the
 * same bytes twice; it is not a vetted CSPRNG (no key erasure, no
 * reseed schedule), which a consumer that needs one must add.
 */
#include <proteus/entropy.h>
#include <proteus/kernel.h>
#include <proteus/spinlock.h>
#include <proteus/string.h>

#define POOL_LANES	8
#define POOL_BITS	(POOL_LANES * 64)
#define STIR_ROUNDS	4

static struct {
	u64 lane[POOL_LANES];
	u64 reads;
	unsigned int bits;
} pool;

static DEFINE_SPINLOCK(pool_lock);

static inline u64 rol64(u64 v, unsigned int s)
{
	return v << s | v >> (64 - s);
}

/* SipHash's SipRound on v[0..3]. */
static void sip_round(u64 *v)
{
	v[0] += v[1]; v[1] = rol64(v[1], 13); v[1] ^= v[0]; v[0] = rol64(v[0], 32);
	v[2] += v[3]; v[3] = rol64(v[3], 16); v[3] ^= v[2];
	v[0] += v[3]; v[3] = rol64(v[3], 21); v[3] ^= v[0];
	v[2] += v[1]; v[1] = rol64(v[1], 17); v[1] ^= v[2]; v[2] = rol64(v[2], 32);
}

/* Both quartets, then each fed into the other. */
static void stir(u64 *lane)
{
	unsigned int r, i;

	for (r = 0; r < STIR_ROUNDS; r++) {
		sip_round(lane);
		sip_round(lane + 4);
		for (i = 0; i < 4; i++) {
			lane[i] ^= lane[i + 4];
			lane[i + 4] += rol64(lane[i], 7 + 8 * i);
		}
	}
}

void entropy_add(const void *buf, size_t len, unsigned int bits)
{
	const u8 *p = buf;
	u64 flags = spin_lock_irqsave(&pool_lock);
	size_t i;

	for (i = 0; i < len; i++) {
		pool.lane[i / 8 % POOL_LANES] ^= (u64)p[i] << (i % 8 * 8);
		if (i % (POOL_LANES * 8) == POOL_LANES * 8 - 1)
			stir(pool.lane);
	}
	stir(pool.lane);
	pool.bits = MIN(pool.bits + bits, POOL_BITS);
	spin_unlock_irqrestore(&pool_lock, flags);
}

unsigned int entropy_bits(void)
{
	return READ_ONCE(pool.bits);
}

void entropy_read(void *buf, size_t len)
{
	u64 flags = spin_lock_irqsave(&pool_lock);
	u64 out[POOL_LANES];
	u8 *p = buf;
	size_t n;

	while (len) {
		pool.lane[POOL_LANES - 1] ^= ++pool.reads;
		stir(pool.lane);
		memcpy(out, pool.lane, sizeof(out));
		stir(out);
		/* Half of the copy goes out; the pool keeps what made it. */
		n = MIN(len, sizeof(out) / 2);
		memcpy(p, out, n);
		p += n;
		len -= n;
	}
	spin_unlock_irqrestore(&pool_lock, flags);
}
