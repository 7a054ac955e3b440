// SPDX-License-Identifier: GPL-2.0
/*
 * printk: format, keep a copy in the log buffer, write to every console.
 * A console registered later is first handed the buffer, so messages from
 * before the first console (boot protocol parsing, memory map warnings)
 * still appear. Messages above console_loglevel are dropped entirely.
 * A lock keeps lines from several CPUs whole; it is taken with a bounded
 * wait so that a CPU that dies holding it cannot silence a panic.
 */
#include <proteus/printk.h>
#include <proteus/console.h>
#include <proteus/cmdline.h>
#include <proteus/string.h>
#include <asm/pv/ops.h>

#define LOCK_SPINS	10000000

#define LOG_BUF_SIZE	(32 * 1024)
#define DEFAULT_LEVEL	6

static char log_buf[LOG_BUF_SIZE];
static u64 log_len;		/* bytes ever logged; the buffer keeps the tail */
static struct console *consoles;
static int console_loglevel = 6;

static void log_store(const char *s, size_t n)
{
	while (n--)
		log_buf[log_len++ % LOG_BUF_SIZE] = *s++;
}

static void log_replay(struct console *c)
{
	u64 start = log_len > LOG_BUF_SIZE ? log_len - LOG_BUF_SIZE : 0;
	u64 from = start % LOG_BUF_SIZE, to = log_len % LOG_BUF_SIZE;

	if (log_len - start == LOG_BUF_SIZE || from > to) {
		c->write(log_buf + from, LOG_BUF_SIZE - from);
		from = 0;
	}
	c->write(log_buf + from, to - from);
}

void register_console(struct console *c)
{
	log_replay(c);
	c->next = consoles;
	consoles = c;
}

static u32 printk_lock;

static u64 printk_lock_take(bool *locked)
{
	u64 flags = irq_save(), spins = 0;
	u32 free = 0;

	while (!__atomic_compare_exchange_n(&printk_lock, &free, 1, false,
					    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		free = 0;
		if (++spins == LOCK_SPINS) {
			*locked = false;
			return flags;
		}
		__asm__ __volatile__("pause");
	}
	*locked = true;
	return flags;
}

static void printk_lock_give(bool locked, u64 flags)
{
	if (locked)
		__atomic_store_n(&printk_lock, 0, __ATOMIC_RELEASE);
	restore_flags(flags);
}

int vprintk(const char *fmt, va_list ap)
{
	bool locked;
	u64 flags;
	char line[1024];
	int level = DEFAULT_LEVEL, n;
	struct console *c;

	if (fmt[0] == KERN_SOH[0] && fmt[1] >= '0' && fmt[1] <= '7') {
		level = fmt[1] - '0';
		fmt += 2;
	}
	if (level > console_loglevel)
		return 0;
	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n >= (int)sizeof(line)) {
		/* Cut, but keep the line a line. */
		n = sizeof(line) - 1;
		if (fmt[strlen(fmt) - 1] == '\n')
			line[n - 1] = '\n';
	}
	flags = printk_lock_take(&locked);
	log_store(line, n);
	for (c = consoles; c; c = c->next)
		c->write(line, n);
	printk_lock_give(locked, flags);
	return n;
}

bool console_flush(void)
{
	struct console *c;
	bool all = true;

	for (c = consoles; c; c = c->next)
		if (c->flush && !c->flush())
			all = false;
	return all;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

static int set_loglevel(const char *val)
{
	u64 v;

	if (!val || parse_u64(val, &v) || v > 7)
		return -1;
	console_loglevel = (int)v;
	return 0;
}
KERNEL_PARAM("loglevel", set_loglevel);
