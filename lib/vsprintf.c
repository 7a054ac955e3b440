// SPDX-License-Identifier: GPL-2.0
/*
 * vsnprintf/snprintf with C99 semantics for the subset the kernel uses:
 * conversions d i u x X o c s p %, length modifiers hh h l ll z t, flags
 * - 0 + space #, width and precision (either may be '*').
 *
 * Differences from a hosted libc, all deliberate:
 *  - %p always prints "0x" and 16 hex digits, NULL included, so that
 *    addresses line up in logs;
 *  - %s of NULL prints "(null)", cut by the precision like any string;
 *  - %n is not supported (it writes through a pointer), and it or any other
 *    unknown conversion is copied to the output as written.
 *
 * The output is always NUL-terminated when size > 0, and the return value
 * is the length the full output would have had.
 */
#include <proteus/compiler.h>
#include <proteus/printk.h>
#include <proteus/string.h>

enum {
	FL_LEFT = 1 << 0,	/* '-': pad on the right */
	FL_ZERO = 1 << 1,	/* '0': pad numbers with zeros */
	FL_PLUS = 1 << 2,	/* '+': always print a sign */
	FL_SPACE = 1 << 3,	/* ' ': space where a '+' would go */
	FL_ALT = 1 << 4,	/* '#': 0x prefix for %x, leading 0 for %o */
};

enum length {
	LEN_INT,
	LEN_CHAR,	/* hh */
	LEN_SHORT,	/* h */
	LEN_LONG,	/* l */
	LEN_LLONG,	/* ll */
	LEN_SIZE,	/* z */
	LEN_PTRDIFF,	/* t */
};

struct spec {
	unsigned int flags;
	int width;
	int prec;		/* -1 when none was given */
	enum length len;
};

struct out {
	char *buf;
	size_t size;
	size_t pos;		/* length of the full output so far */
};

static void put(struct out *o, char c)
{
	if (o->pos < o->size)
		o->buf[o->pos] = c;
	o->pos++;
}

static void put_repeat(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

static void put_mem(struct out *o, const char *s, size_t n)
{
	while (n--)
		put(o, *s++);
}

/* A string padded to the field width: %s, %c and %p. */
static void put_field(struct out *o, const struct spec *sp,
		      const char *s, size_t n)
{
	int pad = sp->width > 0 && (size_t)sp->width > n ?
		  sp->width - (int)n : 0;

	if (!(sp->flags & FL_LEFT))
		put_repeat(o, ' ', pad);
	put_mem(o, s, n);
	if (sp->flags & FL_LEFT)
		put_repeat(o, ' ', pad);
}

static void put_number(struct out *o, const struct spec *sp, u64 val,
		       bool negative, bool is_signed, unsigned int base,
		       bool upper)
{
	const char *xdigits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char digits[24];	/* 22 octal digits hold 64 bits */
	char prefix[2];
	int ndigits = 0, nprefix = 0, zeros, pad;
	int prec = sp->prec < 0 ? 1 : sp->prec;

	if (is_signed) {
		if (negative)
			prefix[nprefix++] = '-';
		else if (sp->flags & FL_PLUS)
			prefix[nprefix++] = '+';
		else if (sp->flags & FL_SPACE)
			prefix[nprefix++] = ' ';
	}
	if ((sp->flags & FL_ALT) && base == 16 && val) {
		prefix[nprefix++] = '0';
		prefix[nprefix++] = upper ? 'X' : 'x';
	}

	/* Digits in reverse; a zero value with precision 0 has none. */
	for (; val; val /= base)
		digits[ndigits++] = xdigits[val % base];

	zeros = prec > ndigits ? prec - ndigits : 0;
	/* '#' with %o: the first digit printed must be a 0. */
	if ((sp->flags & FL_ALT) && base == 8 && !zeros &&
	    (!ndigits || digits[ndigits - 1] != '0'))
		zeros = 1;

	pad = sp->width - nprefix - zeros - ndigits;
	/* '0' only pads when neither '-' nor a precision was given. */
	if ((sp->flags & (FL_ZERO | FL_LEFT)) == FL_ZERO && sp->prec < 0 &&
	    pad > 0) {
		zeros += pad;
		pad = 0;
	}

	if (!(sp->flags & FL_LEFT))
		put_repeat(o, ' ', pad);
	put_mem(o, prefix, nprefix);
	put_repeat(o, '0', zeros);
	while (ndigits)
		put(o, digits[--ndigits]);
	if (sp->flags & FL_LEFT)
		put_repeat(o, ' ', pad);
}

/* Decimal digits of a width or precision, saturating instead of overflowing. */
static int parse_int(const char **fmt)
{
	int n = 0;

	for (; **fmt >= '0' && **fmt <= '9'; (*fmt)++) {
		int d = **fmt - '0';

		n = n > (__INT_MAX__ - d) / 10 ? __INT_MAX__ : n * 10 + d;
	}
	return n;
}

static const char *parse_flags(const char *fmt, struct spec *sp)
{
	for (;; fmt++) {
		switch (*fmt) {
		case '-':
			sp->flags |= FL_LEFT;
			break;
		case '0':
			sp->flags |= FL_ZERO;
			break;
		case '+':
			sp->flags |= FL_PLUS;
			break;
		case ' ':
			sp->flags |= FL_SPACE;
			break;
		case '#':
			sp->flags |= FL_ALT;
			break;
		default:
			return fmt;
		}
	}
}

static const char *parse_width(const char *fmt, struct spec *sp, va_list *ap)
{
	if (*fmt != '*') {
		sp->width = parse_int(&fmt);
		return fmt;
	}
	sp->width = va_arg(*ap, int);
	/* A negative '*' width is a '-' flag and its absolute value. */
	if (sp->width < 0) {
		sp->flags |= FL_LEFT;
		sp->width = sp->width == -__INT_MAX__ - 1 ? __INT_MAX__ :
			    -sp->width;
	}
	return fmt + 1;
}

static const char *parse_prec(const char *fmt, struct spec *sp, va_list *ap)
{
	sp->prec = -1;
	if (*fmt != '.')
		return fmt;
	fmt++;
	if (*fmt != '*') {
		sp->prec = parse_int(&fmt);
		return fmt;
	}
	/* A negative '*' precision counts as none given. */
	sp->prec = va_arg(*ap, int);
	if (sp->prec < 0)
		sp->prec = -1;
	return fmt + 1;
}

static const char *parse_length(const char *fmt, struct spec *sp)
{
	switch (*fmt) {
	case 'h':
		if (fmt[1] == 'h') {
			sp->len = LEN_CHAR;
			return fmt + 2;
		}
		sp->len = LEN_SHORT;
		return fmt + 1;
	case 'l':
		if (fmt[1] == 'l') {
			sp->len = LEN_LLONG;
			return fmt + 2;
		}
		sp->len = LEN_LONG;
		return fmt + 1;
	case 'z':
		sp->len = LEN_SIZE;
		return fmt + 1;
	case 't':
		sp->len = LEN_PTRDIFF;
		return fmt + 1;
	default:
		sp->len = LEN_INT;
		return fmt;
	}
}

static s64 arg_signed(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:
		return (short)va_arg(*ap, int);
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:		/* the signed type of size_t's width */
	case LEN_PTRDIFF:
		return va_arg(*ap, ptrdiff_t);
	default:
		return va_arg(*ap, int);
	}
}

static u64 arg_unsigned(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
	case LEN_PTRDIFF:	/* the unsigned type of ptrdiff_t's width */
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static void put_string(struct out *o, const struct spec *sp, const char *s)
{
	size_t n;

	if (!s)
		s = "(null)";
	n = sp->prec < 0 ? strlen(s) : strnlen(s, sp->prec);
	put_field(o, sp, s, n);
}

static void put_pointer(struct out *o, const struct spec *sp, const void *p)
{
	static const char xdigits[] = "0123456789abcdef";
	uintptr_t v = (uintptr_t)p;
	char s[2 + 16];
	int i;

	s[0] = '0';
	s[1] = 'x';
	for (i = 17; i >= 2; i--, v >>= 4)
		s[i] = xdigits[v & 0xf];
	put_field(o, sp, s, sizeof(s));
}

/*
 * Output one conversion, its specification parsed and conv its conversion
 * character. Returns false for an unknown conversion.
 */
static bool convert(struct out *o, const struct spec *sp, char conv,
		    va_list *ap)
{
	char c;
	s64 sv;

	switch (conv) {
	case 'd':
	case 'i':
		sv = arg_signed(ap, sp->len);
		/* Negate in unsigned arithmetic: -INT64_MIN does not exist. */
		put_number(o, sp, sv < 0 ? -(u64)sv : (u64)sv, sv < 0, true,
			   10, false);
		return true;
	case 'u':
		put_number(o, sp, arg_unsigned(ap, sp->len), false, false, 10,
			   false);
		return true;
	case 'x':
	case 'X':
		put_number(o, sp, arg_unsigned(ap, sp->len), false, false, 16,
			   conv == 'X');
		return true;
	case 'o':
		put_number(o, sp, arg_unsigned(ap, sp->len), false, false, 8,
			   false);
		return true;
	case 'c':
		c = (char)va_arg(*ap, int);
		put_field(o, sp, &c, 1);
		return true;
	case 's':
		put_string(o, sp, va_arg(*ap, const char *));
		return true;
	case 'p':
		put_pointer(o, sp, va_arg(*ap, const void *));
		return true;
	case '%':
		put(o, '%');
		return true;
	default:
		return false;
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size };
	va_list args;

	/* A copy, so that helpers can take its address portably. */
	va_copy(args, ap);
	while (*fmt) {
		const char *start = fmt;
		struct spec sp = { 0 };

		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_flags(fmt + 1, &sp);
		fmt = parse_width(fmt, &sp, &args);
		fmt = parse_prec(fmt, &sp, &args);
		fmt = parse_length(fmt, &sp);
		if (*fmt && convert(&o, &sp, *fmt, &args)) {
			fmt++;
			continue;
		}
		/* Unknown, or cut short by the end of fmt: copy as written. */
		if (*fmt)
			fmt++;
		put_mem(&o, start, fmt - start);
	}
	va_end(args);

	if (size)
		o.buf[o.pos < size ? o.pos : size - 1] = '\0';
	return o.pos > __INT_MAX__ ? __INT_MAX__ : (int)o.pos;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
