// SPDX-License-Identifier: GPL-2.0
/*
 * Which selftests selftest= selects: "all", "none", or comma-separated
 * shell globs, each matched against "suite.name" and against the suite
 * alone ("time" selects every time test, "time.*" too, "*.wallclock_*"
 * one test in each suite that has it). "all" among globs selects all;
 * "none" runs nothing when it stands alone and is ignored among globs.
 * Pure string work, so that host tests can check it.
 */
#include <proteus/cmdline.h>
#include <proteus/selftest.h>
#include <proteus/string.h>

int selftest_filter_parse(struct selftest_filter *f, const char *spec)
{
	char *p;

	f->nr = 0;
	f->none = false;
	if (!spec || strlen(spec) >= sizeof(f->buf))
		return -1;
	strlcpy(f->buf, spec, sizeof(f->buf));
	for (p = f->buf; p; ) {
		char *comma = strchr(p, ',');

		if (comma)
			*comma = '\0';
		if (*p) {
			if (f->nr == SELFTEST_PATTERNS_MAX)
				return -1;
			f->used[f->nr] = false;
			f->patterns[f->nr++] = p;
		}
		p = comma ? comma + 1 : NULL;
	}
	if (!f->nr)
		return -1;
	f->none = f->nr == 1 && !strcmp(f->patterns[0], "none");
	return 0;
}

bool selftest_filter_match(struct selftest_filter *f, const char *suite,
			   const char *name)
{
	char full[96];
	bool hit = false;
	unsigned int i;

	if (f->none)
		return false;
	snprintf(full, sizeof(full), "%s.%s", suite, name);
	for (i = 0; i < f->nr; i++) {
		if (!strcmp(f->patterns[i], "all") ||
		    glob_match(f->patterns[i], full) ||
		    glob_match(f->patterns[i], suite)) {
			f->used[i] = true;
			hit = true;
		}
	}
	return hit;
}

const char *selftest_filter_unused(const struct selftest_filter *f,
				   unsigned int *i)
{
	for (; *i < f->nr; (*i)++) {
		const char *p = f->patterns[*i];

		if (!f->used[*i] && strcmp(p, "none")) {
			(*i)++;
			return p;
		}
	}
	return NULL;
}
