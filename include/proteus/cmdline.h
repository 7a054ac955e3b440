/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel command line: space-separated "key" or "key=value" tokens; a value
 * may be double-quoted to hold spaces. Parameters register themselves with
 * KERNEL_PARAM() into a linker section.
 */
#ifndef PROTEUS_CMDLINE_H
#define PROTEUS_CMDLINE_H

#include <proteus/types.h>
#include <proteus/compiler.h>

struct kernel_param {
	const char *key;
	/* val is NULL for a bare "key". Return 0, or -1 for a bad value. */
	int (*set)(const char *val);
};

#define KERNEL_PARAM(name, fn)						\
	static const struct kernel_param __param_##fn			\
	__used __section(".kparams") __aligned(8) = { name, fn }

/*
 * Split buf in place and dispatch each token to its parameter in
 * [first, last). Unknown keys and values refused by their handler are
 * reported with a printk warning and otherwise ignored. Returns the number
 * of tokens seen.
 */
int cmdline_parse(char *buf, const struct kernel_param *first,
		  const struct kernel_param *last);

/*
 * Tokenizer under cmdline_parse: split the next token at p in place.
 * *key gets the key, *val the value without its quotes (NULL for a bare
 * key). Returns where to continue, or NULL when no token is left.
 */
char *cmdline_next(char *p, char **key, char **val);

/* Parse every registered parameter (the .kparams section) from buf. */
int cmdline_parse_kernel(char *buf);

/* Helpers for handlers: 0 on success, -1 on a malformed number. */
int parse_u64(const char *s, u64 *out);
int parse_bool(const char *s, bool *out);

/* Match a shell-style glob with '*' and '?'. */
bool glob_match(const char *pattern, const char *s);

#endif
