/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device registers that map_mmio mapped: one access of the register's own
 * width each (volatile), never merged, split or reordered by the compiler.
 * Uncached mappings keep them in order on the bus.
 */
#ifndef PROTEUS_IO_H
#define PROTEUS_IO_H

#include <proteus/types.h>

static inline u8 readb(const volatile void *p)
{
	return *(const volatile u8 *)p;
}

static inline u16 readw(const volatile void *p)
{
	return *(const volatile u16 *)p;
}

static inline u32 readl(const volatile void *p)
{
	return *(const volatile u32 *)p;
}

static inline void writeb(u8 v, volatile void *p)
{
	*(volatile u8 *)p = v;
}

static inline void writew(u16 v, volatile void *p)
{
	*(volatile u16 *)p = v;
}

static inline void writel(u32 v, volatile void *p)
{
	*(volatile u32 *)p = v;
}

#endif
