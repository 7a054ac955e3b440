// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel command line parsing and the helpers parameter handlers use.
 *
 * A line is split in place into tokens separated by spaces, tabs or
 * newlines. Double quotes anywhere in a token group whitespace into it and
 * are removed, so key="a b" and "key=a b" both give key the value a b; there
 * is no escape for a literal quote. A token is then a bare "key" or
 * "key=value", split at its first '='; keys are matched exactly. Values
 * point into the caller's buffer, which must therefore outlive any handler
 * that keeps them.
 */
#include <proteus/cmdline.h>
#include <proteus/printk.h>
#include <proteus/string.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

char *cmdline_next(char *p, char **key, char **val)
{
	char *tok, *w, *eq;
	bool quoted = false;

	while (is_space(*p))
		p++;
	if (!*p)
		return NULL;

	/* Compact the token in place, dropping its quotes. */
	for (tok = w = p; *p && (quoted || !is_space(*p)); p++) {
		if (*p == '"')
			quoted = !quoted;
		else
			*w++ = *p;
	}
	/* Step over the separator before terminating at w, which may be it. */
	if (*p)
		p++;
	*w = '\0';

	*key = tok;
	*val = NULL;
	eq = strchr(tok, '=');
	if (eq) {
		*eq = '\0';
		*val = eq + 1;
	}
	if (quoted)
		pr_warn("cmdline: unterminated quote in '%s', taking the rest of the line\n",
			tok);
	return p;
}

/*
 * Hand one token to every parameter registered under its key: two
 * subsystems may well want to see the same switch.
 */
static void dispatch(const char *key, const char *val,
		     const struct kernel_param *first,
		     const struct kernel_param *last)
{
	const struct kernel_param *p;
	bool known = false;

	for (p = first; p < last; p++) {
		if (strcmp(p->key, key))
			continue;
		known = true;
		if (p->set(val))
			pr_warn("cmdline: bad value '%s' for '%s', ignored\n",
				val ? val : "", key);
	}
	if (!known)
		pr_warn("cmdline: unknown parameter '%s' ignored\n", key);
}

int cmdline_parse(char *buf, const struct kernel_param *first,
		  const struct kernel_param *last)
{
	char *p = buf, *key, *val;
	int n = 0;

	while ((p = cmdline_next(p, &key, &val))) {
		dispatch(key, val, first, last);
		n++;
	}
	return n;
}

/* The value of a digit in any base up to 16; 16 for anything else. */
static unsigned int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 16;
}

static unsigned int suffix_shift(char c)
{
	switch (c) {
	case 'K':
	case 'k':
		return 10;
	case 'M':
	case 'm':
		return 20;
	case 'G':
	case 'g':
		return 30;
	default:
		return 0;
	}
}

/*
 * Decimal, or hex after "0x"; a leading 0 does not mean octal. One K, M or
 * G suffix (either case) multiplies by 2^10, 2^20 or 2^30. No sign, no
 * whitespace, nothing after the suffix; *out is left alone on failure.
 */
int parse_u64(const char *s, u64 *out)
{
	unsigned int base = 10, shift, d;
	const char *digits;
	u64 v = 0;

	if (!s)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (digits = s; (d = digit_value(*s)) < base; s++) {
		if (v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	if (s == digits)
		return -1;

	shift = suffix_shift(*s);
	if (shift)
		s++;
	if (*s || v > UINT64_MAX >> shift)
		return -1;
	*out = v << shift;
	return 0;
}

static char to_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool equal_nocase(const char *a, const char *b)
{
	for (; *a && to_lower(*a) == to_lower(*b); a++, b++)
		;
	return to_lower(*a) == to_lower(*b);
}

/*
 * 1/0, y/n, yes/no, on/off, true/false, in any case. A bare key (NULL)
 * means true, so that "quiet" reads as "quiet=1".
 */
int parse_bool(const char *s, bool *out)
{
	static const struct {
		const char *word;
		bool value;
	} words[] = {
		{ "1", true }, { "y", true }, { "yes", true },
		{ "on", true }, { "true", true },
		{ "0", false }, { "n", false }, { "no", false },
		{ "off", false }, { "false", false },
	};
	size_t i;

	if (!s) {
		*out = true;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(words); i++) {
		if (equal_nocase(s, words[i].word)) {
			*out = words[i].value;
			return 0;
		}
	}
	return -1;
}

/*
 * Iterative, with a single backtracking point: when a mismatch follows a
 * '*', only the most recent '*' needs to swallow one more character, since
 * any earlier '*' could not help the remaining pattern match. That bounds
 * the work by strlen(pattern) * strlen(s) whatever the pattern.
 */
bool glob_match(const char *pattern, const char *s)
{
	const char *p = pattern;
	const char *star = NULL;	/* pattern just after the last '*' */
	const char *resume = NULL;	/* where that '*' stops swallowing */

	while (*s) {
		if (*p == '*') {
			star = ++p;
			resume = s;
		} else if (*p == '?' || *p == *s) {
			p++;
			s++;
		} else if (star) {
			p = star;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return !*p;
}
