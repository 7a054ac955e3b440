// SPDX-License-Identifier: GPL-2.0
/*
 * Symbol lookup for backtraces. The table (scripts/kallsyms.sh) lists the
 * text symbols sorted by address: a binary search finds the last one at or
 * below the address.
 */
#include <proteus/kallsyms.h>

extern const u64 kallsyms_num;
extern const u64 kallsyms_addrs[];
extern const u32 kallsyms_name_offs[];
extern const char kallsyms_names[];
extern char _text[], _etext[];

const char *kallsyms_lookup(u64 addr, u64 *offset)
{
	u64 lo = 0, hi = kallsyms_num;

	if (addr < (u64)(uintptr_t)_text || addr >= (u64)(uintptr_t)_etext || !hi)
		return NULL;
	while (hi - lo > 1) {
		u64 mid = lo + (hi - lo) / 2;

		if (kallsyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (kallsyms_addrs[lo] > addr)
		return NULL;
	*offset = addr - kallsyms_addrs[lo];
	return kallsyms_names + kallsyms_name_offs[lo];
}
