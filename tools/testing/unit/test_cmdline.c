// SPDX-License-Identifier: GPL-2.0
/* lib/cmdline.c: tokenizing, dispatch, warnings and the value helpers. */
#include "unit.h"

#include <time.h>

#include <proteus/cmdline.h>

/* What the handlers saw: "key=value" or a bare "key", '|'-separated. */
static char seen[256 * 1024];

static void record(const char *key, const char *val)
{
	size_t len = strlen(seen);

	snprintf(seen + len, sizeof(seen) - len, "%s%s%s%s", len ? "|" : "",
		 key, val ? "=" : "", val ? val : "");
}

static int set_foo(const char *val)
{
	record("foo", val);
	return 0;
}

static int set_num(const char *val)
{
	u64 v;

	if (parse_u64(val, &v))
		return -1;
	record("num", val);
	return 0;
}

static int set_flag(const char *val)
{
	bool b;

	if (parse_bool(val, &b))
		return -1;
	record("flag", b ? "true" : "false");
	return 0;
}

/* A switch that takes no value. */
static int set_quiet(const char *val)
{
	if (val)
		return -1;
	record("quiet", NULL);
	return 0;
}

static int set_dup_a(const char *val)
{
	record("dup.a", val);
	return 0;
}

static int set_dup_b(const char *val)
{
	record("dup.b", val);
	return 0;
}

static const struct kernel_param params[] = {
	{ "foo", set_foo },
	{ "num", set_num },
	{ "flag", set_flag },
	{ "quiet", set_quiet },
	{ "dup", set_dup_a },
	{ "dup", set_dup_b },
};

/*
 * Parse a copy of line in a heap block of its exact size, so that ASan
 * catches any access past its end; returns the token count.
 */
static int parse(const char *line)
{
	char *buf = strdup(line);
	int n;

	seen[0] = '\0';
	unit_log_reset();
	n = cmdline_parse(buf, params, params + ARRAY_SIZE(params));
	free(buf);
	return n;
}

static void test_tokens(void)
{
	unit_name("empty line");
	CHECK_EQ(parse(""), 0);
	CHECK_STR(seen, "");
	CHECK_EQ(unit_log.count, 0);

	unit_name("whitespace only");
	CHECK_EQ(parse("  \t\n \t  \n"), 0);
	CHECK_STR(seen, "");
	CHECK_EQ(unit_log.count, 0);

	unit_name("one token");
	CHECK_EQ(parse("foo=bar"), 1);
	CHECK_STR(seen, "foo=bar");

	unit_name("mixed separators");
	CHECK_EQ(parse("\t foo=bar   quiet\tnum=0x10\nflag=on \n"), 4);
	CHECK_STR(seen, "foo=bar|quiet|num=0x10|flag=true");
	CHECK_EQ(unit_log.count, 0);

	unit_name("bare key and empty value");
	CHECK_EQ(parse("foo foo="), 2);
	CHECK_STR(seen, "foo|foo=");

	unit_name("value holding '='");
	CHECK_EQ(parse("foo=a=b="), 1);
	CHECK_STR(seen, "foo=a=b=");

	unit_name("repeated key");
	CHECK_EQ(parse("foo=1 foo=2"), 2);
	CHECK_STR(seen, "foo=1|foo=2");

	unit_name("key registered twice");
	CHECK_EQ(parse("dup=x"), 1);
	CHECK_STR(seen, "dup.a=x|dup.b=x");

	unit_name("bare bool");
	CHECK_EQ(parse("flag"), 1);
	CHECK_STR(seen, "flag=true");
	unit_name(NULL);
}

static void test_quotes(void)
{
	unit_name("quoted value");
	CHECK_EQ(parse("foo=\"a b\tc\" quiet"), 2);
	CHECK_STR(seen, "foo=a b\tc|quiet");

	unit_name("empty quotes");
	CHECK_EQ(parse("foo=\"\" quiet"), 2);
	CHECK_STR(seen, "foo=|quiet");

	unit_name("quotes mid-value");
	CHECK_EQ(parse("foo=a\"b c\"d"), 1);
	CHECK_STR(seen, "foo=ab cd");

	unit_name("whole token quoted");
	CHECK_EQ(parse("\"foo=x y\" num=1"), 2);
	CHECK_STR(seen, "foo=x y|num=1");
	CHECK_EQ(unit_log.count, 0);

	unit_name("unterminated quote");
	CHECK_EQ(parse("num=1 foo=\"a quiet  num=2"), 2);
	CHECK_STR(seen, "num=1|foo=a quiet  num=2");
	CHECK_EQ(unit_log.count, 1);
	CHECK(unit_log_find(KERN_WARNING
			    "cmdline: unterminated quote in 'foo'"));

	unit_name("lone quote");
	CHECK_EQ(parse("\""), 1);
	CHECK_EQ(unit_log_matches("unterminated quote in ''"), 1);
	CHECK_EQ(unit_log_matches("unknown parameter ''"), 1);
	unit_name(NULL);
}

/* The tokenizer alone, as callers that walk the tokens themselves use it. */
static void test_next(void)
{
	char line[] = "  a=1 \"b=x y\"\tc  ", empty[] = " \t\n";
	char *p = line, *key, *val;

	unit_name("cmdline_next");
	p = cmdline_next(p, &key, &val);
	CHECK_STR(key, "a");
	CHECK_STR(val, "1");
	p = cmdline_next(p, &key, &val);
	CHECK_STR(key, "b");
	CHECK_STR(val, "x y");
	p = cmdline_next(p, &key, &val);
	CHECK_STR(key, "c");
	CHECK(val == NULL);
	CHECK(cmdline_next(p, &key, &val) == NULL);
	CHECK(cmdline_next(empty, &key, &val) == NULL);
	unit_name(NULL);
}

static void test_warnings(void)
{
	unit_name("unknown key");
	CHECK_EQ(parse("bogus=1 foo=ok"), 2);
	CHECK_STR(seen, "foo=ok");
	CHECK_EQ(unit_log.count, 1);
	CHECK_STR(unit_log.msg[0],
		  KERN_WARNING "cmdline: unknown parameter 'bogus' ignored\n");

	unit_name("keys match exactly");
	CHECK_EQ(parse("fo=1 fooo=1 FOO=1 foo.x=1"), 4);
	CHECK_STR(seen, "");
	CHECK_EQ(unit_log_matches("unknown parameter"), 4);
	CHECK(unit_log_find("'fooo'"));

	unit_name("empty key");
	CHECK_EQ(parse("=x"), 1);
	CHECK_STR(unit_log.msg[0],
		  KERN_WARNING "cmdline: unknown parameter '' ignored\n");

	unit_name("bad value");
	CHECK_EQ(parse("num=12x quiet=1 num=7"), 3);
	CHECK_STR(seen, "num=7");
	CHECK_EQ(unit_log.count, 2);
	CHECK_STR(unit_log.msg[0],
		  KERN_WARNING "cmdline: bad value '12x' for 'num', ignored\n");
	CHECK_STR(unit_log.msg[1],
		  KERN_WARNING "cmdline: bad value '1' for 'quiet', ignored\n");

	unit_name("missing value");
	CHECK_EQ(parse("num"), 1);
	CHECK_STR(unit_log.msg[0],
		  KERN_WARNING "cmdline: bad value '' for 'num', ignored\n");
	unit_name(NULL);
}

static void test_long_tokens(void)
{
	size_t n = 100000;
	char *line = malloc(n + 16), *expect = malloc(n + 16);

	/* A 100000-byte value reaches its handler whole. */
	memcpy(line, "foo=", 4);
	memset(line + 4, 'v', n);
	strcpy(line + 4 + n, " quiet");
	memcpy(expect, line, 4 + n);
	strcpy(expect + 4 + n, "|quiet");
	unit_name("long value");
	CHECK_EQ(parse(line), 2);
	CHECK_STR(seen, expect);

	/* A 100000-byte unknown key is reported, the report cut short. */
	memset(line, 'k', n);
	line[n] = '\0';
	unit_name("long unknown key");
	CHECK_EQ(parse(line), 1);
	CHECK_EQ(unit_log.count, 1);
	CHECK(unit_log_find("cmdline: unknown parameter 'kkkk"));
	unit_name(NULL);
	free(line);
	free(expect);
}

struct u64_case {
	const char *s;
	int ret;
	u64 val;
};

static void test_parse_u64(void)
{
	static const struct u64_case cases[] = {
		{ "0", 0, 0 },
		{ "123", 0, 123 },
		{ "010", 0, 10 },
		{ "18446744073709551615", 0, UINT64_MAX },
		{ "18446744073709551616", -1, 0 },
		{ "99999999999999999999999", -1, 0 },
		{ "0x0", 0, 0 },
		{ "0xDeadBeef", 0, 0xdeadbeef },
		{ "0Xff", 0, 0xff },
		{ "0xffffffffffffffff", 0, UINT64_MAX },
		{ "0x10000000000000000", -1, 0 },
		{ "4K", 0, 4096 },
		{ "4k", 0, 4096 },
		{ "16M", 0, 16 << 20 },
		{ "2g", 0, 2ull << 30 },
		{ "0x10M", 0, 16 << 20 },
		{ "0K", 0, 0 },
		{ "17179869183G", 0, 17179869183ull << 30 },
		{ "17179869184G", -1, 0 },
		{ "18014398509481983K", 0, 18014398509481983ull << 10 },
		{ "18014398509481984K", -1, 0 },
		{ "", -1, 0 },
		{ "0x", -1, 0 },
		{ "K", -1, 0 },
		{ "-1", -1, 0 },
		{ "+1", -1, 0 },
		{ " 1", -1, 0 },
		{ "1 ", -1, 0 },
		{ "12a", -1, 0 },
		{ "1KB", -1, 0 },
		{ "1T", -1, 0 },
		{ "1KK", -1, 0 },
		{ "0x1g", 0, 1ull << 30 },
		{ "0xg", -1, 0 },
		{ "1.5", -1, 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct u64_case *c = &cases[i];
		u64 v = 0x5a5a;

		unit_name("parse_u64(\"%s\")", c->s);
		CHECK_EQ(parse_u64(c->s, &v), c->ret);
		/* On failure the output is left alone. */
		CHECK_EQ(v, c->ret ? 0x5a5a : c->val);
	}
	unit_name("parse_u64(NULL)");
	CHECK_EQ(parse_u64(NULL, &(u64){ 0 }), -1);
	unit_name(NULL);
}

static void test_parse_bool(void)
{
	static const char *const yes[] = {
		"1", "y", "Y", "yes", "YES", "on", "On", "true", "TRUE",
	};
	static const char *const no[] = {
		"0", "n", "N", "no", "No", "off", "OFF", "false", "False",
	};
	static const char *const bad[] = {
		"", "2", "yess", "ye", "of", "tru", "onn", " on", "on ", "-1",
	};
	size_t i;
	bool b;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		unit_name("parse_bool(\"%s\")", yes[i]);
		b = false;
		CHECK(parse_bool(yes[i], &b) == 0 && b);
	}
	for (i = 0; i < ARRAY_SIZE(no); i++) {
		unit_name("parse_bool(\"%s\")", no[i]);
		b = true;
		CHECK(parse_bool(no[i], &b) == 0 && !b);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		unit_name("parse_bool(\"%s\")", bad[i]);
		b = true;
		CHECK(parse_bool(bad[i], &b) == -1 && b);
	}
	unit_name("parse_bool(NULL), a bare key");
	b = false;
	CHECK(parse_bool(NULL, &b) == 0 && b);
	unit_name(NULL);
}

struct glob_case {
	const char *pattern;
	const char *s;
	bool match;
};

static void test_glob(void)
{
	static const struct glob_case cases[] = {
		{ "", "", true },
		{ "", "a", false },
		{ "a", "", false },
		{ "*", "", true },
		{ "*", "anything", true },
		{ "**", "x", true },
		{ "?", "", false },
		{ "?", "a", true },
		{ "?", "ab", false },
		{ "??", "ab", true },
		{ "a?c", "abc", true },
		{ "a?c", "ac", false },
		{ "a*c", "ac", true },
		{ "a*c", "abbbc", true },
		{ "a*c", "abcd", false },
		{ "*.c", "main.c", true },
		{ "*.c", "main.h", false },
		{ "*.c", ".c", true },
		{ "a*b*c", "aXbYc", true },
		{ "a*b*c", "aXcYb", false },
		{ "*a", "aaa", true },
		{ "*ab", "aab", true },
		{ "*aab", "aaab", true },
		{ "a*", "b", false },
		{ "*?", "", false },
		{ "*?", "x", true },
		{ "?*?", "x", false },
		{ "ab", "abc", false },
		{ "abc", "ab", false },
		{ "*x*", "abc", false },
		{ "*x*", "abxc", true },
		{ "mem*", "memmap", true },
		{ "*map", "memmap", true },
		{ "m*m*p", "memmap", true },
		{ "m*m*p*", "memmap", true },
		{ "m*m*m*p", "memmap", true },
		{ "m*m*m*m*p", "memmap", false },
		{ "a*b", "ab", true },
		{ "a*b", "abab", true },
		{ "a*b", "abac", false },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct glob_case *c = &cases[i];

		unit_name("glob_match(\"%s\", \"%s\")", c->pattern, c->s);
		CHECK_EQ(glob_match(c->pattern, c->s), c->match);
	}
	unit_name(NULL);
}

/* Patterns that make a backtracking matcher exponential stay linear. */
static void test_glob_pathological(void)
{
	size_t n = 200000;
	char *s = malloc(n + 2);
	clock_t start;
	double secs;

	memset(s, 'a', n);
	s[n] = '\0';
	start = clock();
	CHECK(!glob_match("a*a*a*a*b", s));
	CHECK(!glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", s));
	CHECK(!glob_match("*?*?*?*?*?*?*?*?*?*?*b", s));
	CHECK(glob_match("*a*a*a*a*a*a*a*a*a*a*a", s));
	s[n] = 'b';
	s[n + 1] = '\0';
	CHECK(glob_match("a*a*a*a*b", s));
	CHECK(glob_match("*a*a*a*a*a*a*a*a*a*a*b", s));
	secs = (double)(clock() - start) / CLOCKS_PER_SEC;
	unit_name("200000-byte subjects take %.3f s", secs);
	CHECK(secs < 1.0);
	unit_name(NULL);
	free(s);
}

int main(void)
{
	test_tokens();
	test_quotes();
	test_next();
	test_warnings();
	test_long_tokens();
	test_parse_u64();
	test_parse_bool();
	test_glob();
	test_glob_pathological();
	return unit_done();
}
