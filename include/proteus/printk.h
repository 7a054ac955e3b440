/* SPDX-License-Identifier: GPL-2.0 */
/*
 * printk: formatted kernel messages with a level. Messages go to a log
 * buffer first and to every registered console; a console registered late
 * gets the buffered history replayed, so nothing printed before the
 * consoles exist is lost.
 */
#ifndef PROTEUS_PRINTK_H
#define PROTEUS_PRINTK_H

#include <proteus/types.h>
#include <proteus/compiler.h>

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"

__printf(1, 2) int printk(const char *fmt, ...);
int vprintk(const char *fmt, va_list ap);

#define pr_emerg(fmt, ...)	printk(KERN_EMERG fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING fmt, ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	printk(KERN_DEBUG fmt, ##__VA_ARGS__)

/* A warning printed the first time only (for paths that may repeat it). */
#define pr_warn_once(fmt, ...) ({					\
	static bool __warned;						\
	if (!__atomic_exchange_n(&__warned, true, __ATOMIC_RELAXED))	\
		pr_warn(fmt, ##__VA_ARGS__);				\
})

__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
