/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PROTEUS_COMPILER_H
#define PROTEUS_COMPILER_H

#define __section(s)	__attribute__((__section__(s)))
#define __used		__attribute__((__used__))
#define __aligned(x)	__attribute__((__aligned__(x)))
#define __packed	__attribute__((__packed__))
#define __noreturn	__attribute__((__noreturn__))
#define __noinline	__attribute__((__noinline__))
#define barrier()	__asm__ __volatile__("" ::: "memory")
#define __printf(a, b)	__attribute__((__format__(printf, a, b)))

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))

/* Hide a value's origin from the optimizer (fixed low addresses, say). */
#define OPTIMIZER_HIDE_VAR(v)	__asm__("" : "+r"(v))

#endif
