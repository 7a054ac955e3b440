/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny harness for the host unit tests, printing TAP: "ok N name" or
 * "not ok N name" followed by "#" lines with file:line and the values, then
 * the plan and a summary line per binary.
 *
 * Include it first, from the one source file of each test binary: besides
 * the check macros it defines printk() and vprintk() for the kernel code
 * under test. They format with the kernel's own vsnprintf and record the
 * messages for the tests to inspect (UNIT_VERBOSE=1 in the environment
 * echoes them too).
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Host builds compile the kernel's formatter as ksnprintf/kvsnprintf (see
 * build.mk), leaving the libc names to libc; declare it under those names.
 */
#define snprintf ksnprintf
#define vsnprintf kvsnprintf
#include <proteus/printk.h>
#undef snprintf
#undef vsnprintf

#define UNIT_LOG_MAX	256	/* messages kept; more are only counted */
#define UNIT_MSG_MAX	1024	/* bytes kept of each */

static struct {
	int run;
	int failed;
	char name[256];		/* prefix of the following checks' names */
} unit;

static struct {
	int count;		/* messages since the last reset */
	char msg[UNIT_LOG_MAX][UNIT_MSG_MAX];
} unit_log;

/* Keep the TAP lines in order with sanitizer reports on stderr. */
__attribute__((constructor)) static void unit_init(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/* Name the checks that follow, printf-style; NULL for none. */
__attribute__((format(printf, 1, 2)))
static inline void unit_name(const char *fmt, ...)
{
	va_list ap;

	unit.name[0] = '\0';
	if (!fmt)
		return;
	va_start(ap, fmt);
	vsnprintf(unit.name, sizeof(unit.name), fmt, ap);
	va_end(ap);
}

/* Part of a test's name, its '#' escaped lest TAP read a directive. */
static inline void unit_print_name(const char *s)
{
	for (; *s; s++) {
		if (*s == '#')
			putchar('\\');
		putchar(*s);
	}
}

static inline bool unit_result(bool ok, const char *file, int line,
			       const char *what)
{
	unit.run++;
	unit.failed += !ok;
	printf("%s %d ", ok ? "ok" : "not ok", unit.run);
	if (unit.name[0]) {
		unit_print_name(unit.name);
		printf(": ");
	}
	unit_print_name(what);
	putchar('\n');
	if (!ok)
		printf("#   at %s:%d\n", file, line);
	return ok;
}

/* A string on a "#" line, with control characters escaped. */
static inline void unit_print_str(const char *label, const char *s)
{
	if (!s) {
		printf("#   %s NULL\n", label);
		return;
	}
	printf("#   %s \"", label);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			printf("\\%03o", c);
		else
			putchar(c);
	}
	printf("\"\n");
}

#define CHECK_AT(file, line, cond)					\
	unit_result(!!(cond), file, line, #cond)

#define CHECK(cond)	CHECK_AT(__FILE__, __LINE__, cond)

#define CHECK_EQ_AT(file, line, a, b) do {				\
	unsigned long long a_ = (a), b_ = (b);				\
									\
	if (!unit_result(a_ == b_, file, line, #a " == " #b))		\
		printf("#   got 0x%llx (%lld)\n#   expected 0x%llx (%lld)\n", \
		       a_, (long long)a_, b_, (long long)b_);		\
} while (0)

#define CHECK_EQ(a, b)	CHECK_EQ_AT(__FILE__, __LINE__, a, b)

#define CHECK_STR_AT(file, line, a, b) do {				\
	const char *a_ = (a), *b_ = (b);				\
									\
	if (!unit_result(a_ && b_ && !strcmp(a_, b_), file, line,	\
			 #a " == " #b)) {				\
		unit_print_str("got", a_);				\
		unit_print_str("expected", b_);				\
	}								\
} while (0)

#define CHECK_STR(a, b)	CHECK_STR_AT(__FILE__, __LINE__, a, b)

/* Print the plan and the summary; the exit status of the test binary. */
#define unit_done()	unit_finish(__FILE__)

static inline int unit_finish(const char *file)
{
	printf("1..%d\n", unit.run);
	printf("# %s: %d passed, %d failed\n", file, unit.run - unit.failed,
	       unit.failed);
	return unit.failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

static inline void unit_log_reset(void)
{
	unit_log.count = 0;
}

/* The first message since the reset that contains needle, or NULL. */
static inline const char *unit_log_find(const char *needle)
{
	int i;

	for (i = 0; i < unit_log.count && i < UNIT_LOG_MAX; i++) {
		if (strstr(unit_log.msg[i], needle))
			return unit_log.msg[i];
	}
	return NULL;
}

/* Messages since the reset that contain needle. */
static inline int unit_log_matches(const char *needle)
{
	int i, n = 0;

	for (i = 0; i < unit_log.count && i < UNIT_LOG_MAX; i++)
		n += strstr(unit_log.msg[i], needle) != NULL;
	return n;
}

int vprintk(const char *fmt, va_list ap)
{
	static char overflow[UNIT_MSG_MAX];
	char *msg = unit_log.count < UNIT_LOG_MAX ?
		    unit_log.msg[unit_log.count] : overflow;
	int n = kvsnprintf(msg, UNIT_MSG_MAX, fmt, ap);

	unit_log.count++;
	if (getenv("UNIT_VERBOSE"))
		unit_print_str("printk", msg);
	return n;
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

#endif
