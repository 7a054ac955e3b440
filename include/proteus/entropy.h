/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel entropy pool: devices (virtio-rng) add bytes and say how
 * many bits of entropy they carry; entropy_read gives mixed output.
 */
#ifndef PROTEUS_ENTROPY_H
#define PROTEUS_ENTROPY_H

#include <proteus/types.h>

void entropy_add(const void *buf, size_t len, unsigned int bits);
/* Bits credited so far (capped at the pool's size). */
unsigned int entropy_bits(void);
/* @len bytes drawn from the pool, which moves on (never the same twice). */
void entropy_read(void *buf, size_t len);

#endif
