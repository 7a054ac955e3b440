// SPDX-License-Identifier: GPL-2.0
/*
 * lib/vsprintf.c against expected strings, against the host's vsnprintf
 * wherever C leaves no latitude, and for truncation and return values.
 */
#include "unit.h"

#include <limits.h>
#include <stdint.h>

#define BUF_SIZE	512

/* kvsnprintf's output for fmt must be expect, its return strlen(expect). */
static void expect_vfmt(const char *file, int line, const char *expect,
			const char *fmt, va_list ap)
{
	char buf[BUF_SIZE];
	int n;

	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	unit_name("\"%s\"", fmt);
	CHECK_STR_AT(file, line, buf, expect);
	CHECK_EQ_AT(file, line, n, strlen(expect));
	unit_name(NULL);
}

__attribute__((format(printf, 4, 5)))
static void expect_fmt(const char *file, int line, const char *expect,
		       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	expect_vfmt(file, line, expect, fmt, ap);
	va_end(ap);
}

/* The same, for formats a compiler would rightly complain about. */
static void expect_raw(const char *file, int line, const char *expect,
		       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	expect_vfmt(file, line, expect, fmt, ap);
	va_end(ap);
}

#define EXPECT(expect, ...)						\
	expect_fmt(__FILE__, __LINE__, expect, __VA_ARGS__)
#define EXPECT_RAW(expect, ...)						\
	expect_raw(__FILE__, __LINE__, expect, __VA_ARGS__)

static void test_integers(void)
{
	EXPECT("0", "%d", 0);
	EXPECT("-1", "%d", -1);
	EXPECT("42", "%i", 42);
	EXPECT("2147483647", "%d", INT_MAX);
	EXPECT("-2147483648", "%d", INT_MIN);
	EXPECT("4294967295", "%u", UINT_MAX);
	EXPECT("-9223372036854775808", "%lld", LLONG_MIN);
	EXPECT("9223372036854775807", "%ld", LONG_MAX);
	EXPECT("18446744073709551615", "%llu", ULLONG_MAX);
	EXPECT("ffffffffffffffff", "%lx", ULONG_MAX);
	EXPECT("deadbeef DEADBEEF", "%x %X", 0xdeadbeefu, 0xdeadbeefu);
	EXPECT("777", "%o", 0777);
	EXPECT("1777777777777777777777", "%llo", ULLONG_MAX);
	EXPECT("-1 255", "%hhd %hhu", 255, 255);
	EXPECT("0 ff", "%hhu %hhx", 256, 0x1ff);
	EXPECT("-1 65535", "%hd %hu", 65535, 65535);
	EXPECT("0", "%hu", 65536);
	EXPECT("18446744073709551615", "%zu", SIZE_MAX);
	EXPECT("-5", "%zd", (ptrdiff_t)-5);
	EXPECT("-7 7", "%td %tu", (ptrdiff_t)-7, (size_t)7);
	EXPECT("1 2 3", "%d %ld %lld", 1, 2L, 3LL);
}

static void test_flags(void)
{
	EXPECT("+5 -5", "%+d %+d", 5, -5);
	EXPECT(" 5 -5", "% d % d", 5, -5);
	EXPECT_RAW("+5", "%+ d", 5);
	EXPECT("+0", "%+d", 0);
	EXPECT_RAW("5", "%+u", 5u);
	EXPECT("-0042", "%05d", -42);
	EXPECT("+0042", "%+05d", 42);
	EXPECT("42   |", "%-5d|", 42);
	EXPECT_RAW("42   |", "%-05d|", 42);
	EXPECT("   42", "%5d", 42);
	EXPECT_RAW("  007", "%05.3d", 7);
	EXPECT("0xff 0XFF", "%#x %#X", 255, 255);
	EXPECT("0", "%#x", 0);
	EXPECT("0x0000ff", "%#08x", 255);
	EXPECT("  0x00ff", "%#8.4x", 255);
	EXPECT("010", "%#o", 8);
	EXPECT("0", "%#o", 0);
	EXPECT("0", "%#.0o", 0);
	EXPECT("0010", "%#.4o", 8);
	EXPECT("00000010", "%#08o", 8);
}

static void test_precision(void)
{
	EXPECT("", "%.0d", 0);
	EXPECT("", "%.0x", 0);
	EXPECT("     ", "%5.0d", 0);
	EXPECT("+", "%+.0d", 0);
	EXPECT("007", "%.3d", 7);
	EXPECT("-007", "%.3d", -7);
	EXPECT("1234", "%.2d", 1234);
	EXPECT("00000000000000000000000042", "%.26d", 42);
	EXPECT("abc", "%.3s", "abcdef");
	EXPECT("       abc", "%10.3s", "abcdef");
	EXPECT("", "%.0s", "abc");
	EXPECT("abc", "%.10s", "abc");
	/* The precision bounds the read: no NUL needed within it. */
	EXPECT("ab", "%.2s", (const char[2]){ 'a', 'b' });
	EXPECT("|", "%.s|", "x");
}

static void test_star(void)
{
	EXPECT("   42", "%*d", 5, 42);
	EXPECT("42   |", "%*d|", -5, 42);
	EXPECT("42   |", "%-*d|", 5, 42);
	EXPECT("007", "%.*d", 3, 7);
	EXPECT("7", "%.*d", -1, 7);
	EXPECT("   007", "%*.*d", 6, 3, 7);
	EXPECT("ab", "%.*s", 2, "abc");
	EXPECT("abc", "%.*s", -3, "abc");
	EXPECT("  x", "%*c", 3, 'x');
}

static void test_chars_strings(void)
{
	EXPECT("x", "%c", 'x');
	EXPECT("  x", "%3c", 'x');
	EXPECT("x  |", "%-3c|", 'x');
	EXPECT("hello", "%s", "hello");
	EXPECT("", "%s", "");
	EXPECT("   hi", "%5s", "hi");
	EXPECT("hi   |", "%-5s|", "hi");
	EXPECT_RAW("(null)", "%s", (char *)NULL);
	EXPECT_RAW("(nu", "%.3s", (char *)NULL);
	EXPECT_RAW("  (null)", "%8s", (char *)NULL);
	EXPECT("100%", "%d%%", 100);
	EXPECT("a1b-2c", "a%db%dc", 1, -2);
	EXPECT("plain text", "plain text");
	EXPECT_RAW("", "");
	EXPECT("\001" "4warn 3", "\001" "4warn %d", 3);
}

static void test_pointers(void)
{
	EXPECT("0x0000000000001234", "%p", (void *)0x1234);
	EXPECT("0x0000000000000000", "%p", NULL);
	EXPECT("0xffffffff80001000", "%p", (void *)0xffffffff80001000ul);
	EXPECT("  0x00000000deadbeef", "%20p", (void *)0xdeadbeef);
	EXPECT("0x00000000deadbeef  |", "%-20p|", (void *)0xdeadbeef);
	EXPECT("0x0000000000000001", "%5p", (void *)1);
}

static void test_unknown(void)
{
	EXPECT_RAW("%y", "%y");
	EXPECT_RAW("a%-5yb", "a%-5yb");
	EXPECT_RAW("%n", "%n");
	EXPECT_RAW("abc%", "abc%");
	EXPECT_RAW("%l", "%l");
	EXPECT_RAW("%-08.3", "%-08.3");
	EXPECT_RAW("5 %q 6", "%d %q %d", 5, 6);
}

/* Output of each size from 0 to past the end, guarded by a canary. */
static void test_truncation(void)
{
	static const char full[] = "value=-42|    ab|0x00ff";
	char buf[64];
	size_t size, len = strlen(full);
	bool ok_ret = true, ok_text = true, ok_guard = true;

	for (size = 0; size <= len + 2; size++) {
		int n;

		memset(buf, '#', sizeof(buf));
		n = ksnprintf(buf, size, "value=%d|%6s|%#06x", -42, "ab", 255);
		ok_ret &= n == (int)len;
		if (size) {
			size_t kept = size - 1 < len ? size - 1 : len;

			ok_text &= !memcmp(buf, full, kept) &&
				   buf[kept] == '\0';
			ok_guard &= buf[kept + 1] == '#';
		} else {
			ok_guard &= buf[0] == '#';
		}
	}
	CHECK(ok_ret);
	CHECK(ok_text);
	CHECK(ok_guard);

	CHECK_EQ(ksnprintf(NULL, 0, "%s and %d", "this", 12345), 14);
	CHECK_EQ(ksnprintf(buf, 1, "abc"), 3);
	CHECK_STR(buf, "");
	CHECK_EQ(ksnprintf(buf, 5, "hello world"), 11);
	CHECK_STR(buf, "hell");
	CHECK_EQ(ksnprintf(buf, 4, "%5d", 7), 5);
	CHECK_STR(buf, "   ");
	CHECK_EQ(ksnprintf(buf, 16, "%1000d", 1), 1000);
	CHECK_EQ(strlen(buf), 15);
	CHECK_EQ(ksnprintf(buf, 8, "%.100000d", 1), 100000);
	CHECK_STR(buf, "0000000");
}

/* Through a heap buffer of the exact size, so ASan sees any overrun. */
static void test_exact_buffer(void)
{
	size_t size = 6;
	char *buf = malloc(size);

	CHECK_EQ(ksnprintf(buf, size, "%s", "12345"), 5);
	CHECK_STR(buf, "12345");
	CHECK_EQ(ksnprintf(buf, size, "%s", "123456789"), 9);
	CHECK_STR(buf, "12345");
	CHECK_EQ(ksnprintf(buf, size, "%p", (void *)1), 18);
	CHECK_STR(buf, "0x000");
	free(buf);
}

/* kvsnprintf and the host's vsnprintf must agree on fmt. */
__attribute__((format(printf, 3, 4)))
static void same_as_libc(const char *file, int line, const char *fmt, ...)
{
	char ours[BUF_SIZE], theirs[BUF_SIZE];
	va_list ap, aq;
	int n1, n2;

	va_start(ap, fmt);
	va_copy(aq, ap);
	n1 = kvsnprintf(ours, sizeof(ours), fmt, ap);
	n2 = vsnprintf(theirs, sizeof(theirs), fmt, aq);
	va_end(aq);
	va_end(ap);
	unit_name("\"%s\" like libc", fmt);
	CHECK_STR_AT(file, line, ours, theirs);
	CHECK_EQ_AT(file, line, n1, n2);
	unit_name(NULL);
}

#define SAME(...)	same_as_libc(__FILE__, __LINE__, __VA_ARGS__)

/* Extremes and flag mixes where C leaves no latitude. */
static void test_against_libc(void)
{
	SAME("%d|%5d|%-5d|%05d|%+d|% d|%.3d|%8.3d|%-8.3d|%+.0d",
	     1, -2, 3, -4, 5, 6, -7, 8, 9, 0);
	SAME("%+25lld|%-25lld|%025lld", LLONG_MIN, LLONG_MIN, LLONG_MIN);
	SAME("%+.30lld|% .30lld", LLONG_MAX, LLONG_MAX);
	SAME("%#25llo|%#-25llx|%#025llX", ULLONG_MAX, ULLONG_MAX, ULLONG_MAX);
	SAME("%#.0x|%#.0o|%.0u|%5.0u|%-5.0x|", 0, 0, 0, 0, 0);
	SAME("%#5.3x|%#-8.5o|%#08x", 10, 10, 10);
	SAME("%*.*d|%-*.*d|%*.*s|", -8, 4, -5, 8, -1, 5, 3, 2, "xyz");
	SAME("%hhd %hhu %hhx %hd %hu %ho", -129, 511, 0x1234, -32769, 70000,
	     -1);
	SAME("%zu %zx %td %tx", (size_t)-1, (size_t)12345, (ptrdiff_t)-3,
	     (ptrdiff_t)-3);
	SAME("[%8c][%-8c][%.0s][%-8.2s]", 'a', 'b', "gone", "kept");
}

static unsigned long long rng_state = 0x9e3779b97f4a7c15ull;

static unsigned long long rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Format v, converted to the C type that len and conv call for. */
static int format_random(bool host, char *buf, size_t size, const char *fmt,
			 const char *len, char conv, unsigned long long v)
{
	int (*fn)(char *, size_t, const char *, ...) =
		host ? snprintf : ksnprintf;
	bool sgn = conv == 'd' || conv == 'i';

	if (conv == 'c')
		return fn(buf, size, fmt, (int)(v % 95) + ' ');
	if (conv == 's')
		return fn(buf, size, fmt, "a random string");
	if (!strcmp(len, "ll"))
		return sgn ? fn(buf, size, fmt, (long long)v) :
			     fn(buf, size, fmt, v);
	if (*len == 'l' || *len == 'z' || *len == 't')
		return sgn ? fn(buf, size, fmt, (long)v) :
			     fn(buf, size, fmt, (unsigned long)v);
	/* int, which hh and h arguments are promoted to */
	return sgn ? fn(buf, size, fmt, (int)v) :
		     fn(buf, size, fmt, (unsigned int)v);
}

/* Write a random conversion, with only the flags C defines for it. */
static void random_format(char *fmt, const char **len, char *conv)
{
	static const char *const lens[] = {
		"", "hh", "h", "l", "ll", "z", "t",
	};
	static const char convs[] = "diuxXocs";
	static const char flags[] = "-0+ #";
	bool numeric;
	int f;

	*conv = convs[rng() % (sizeof(convs) - 1)];
	numeric = *conv != 'c' && *conv != 's';
	*len = numeric ? lens[rng() % ARRAY_SIZE(lens)] : "";

	*fmt++ = '%';
	for (f = 0; flags[f]; f++) {
		if (rng() & 1)
			continue;
		if ((flags[f] == '0' && !numeric) ||
		    (flags[f] == '#' && !strchr("xXo", *conv)))
			continue;
		*fmt++ = flags[f];
	}
	if (rng() & 1)
		fmt += sprintf(fmt, "%d", (int)(rng() % 25));
	if (*conv != 'c' && rng() & 1)
		fmt += sprintf(fmt, rng() & 1 ? ".%d" : ".", (int)(rng() % 25));
	sprintf(fmt, "%s%c", *len, *conv);
}

static void test_random_against_libc(void)
{
	int i, cases = 5000, mismatches = 0;

	for (i = 0; i < cases; i++) {
		char fmt[64], ours[BUF_SIZE], theirs[BUF_SIZE];
		unsigned long long v = rng();
		const char *len;
		char conv;
		int n1, n2;

		/* Small values too, where precision and '#' matter most. */
		if (rng() & 1)
			v %= 20;
		random_format(fmt, &len, &conv);
		n1 = format_random(false, ours, sizeof(ours), fmt, len, conv,
				   v);
		n2 = format_random(true, theirs, sizeof(theirs), fmt, len,
				   conv, v);
		if (n1 == n2 && !strcmp(ours, theirs))
			continue;
		if (mismatches++ < 5) {
			printf("#   \"%s\" of 0x%llx\n", fmt, v);
			unit_print_str("ours", ours);
			unit_print_str("libc", theirs);
		}
	}
	unit_name("%d random formats like libc", cases);
	CHECK_EQ(mismatches, 0);
	unit_name(NULL);
}

int main(void)
{
	test_integers();
	test_flags();
	test_precision();
	test_star();
	test_chars_strings();
	test_pointers();
	test_unknown();
	test_truncation();
	test_exact_buffer();
	test_against_libc();
	test_random_against_libc();
	return unit_done();
}
