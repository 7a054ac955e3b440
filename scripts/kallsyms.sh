#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Turn `nm -n --defined-only vmlinux` output into the .kallsyms section:
# text symbols sorted by address, their name offsets, and the names.
# With /dev/null it emits an empty table for the first link.
set -e
awk 'BEGIN { n = 0 }
$2 ~ /^[tT]$/ && $3 !~ /^(kallsyms_|\.L)/ {
	addr[n] = $1; name[n] = $3; n++
}
END {
	print "\t.section .kallsyms, \"a\""
	print "\t.balign 8"
	print "\t.globl kallsyms_num, kallsyms_addrs, kallsyms_name_offs, kallsyms_names"
	print "kallsyms_num:\n\t.quad " (n + 0)
	print "kallsyms_addrs:"
	for (i = 0; i < n; i++)
		print "\t.quad 0x" addr[i]
	print "kallsyms_name_offs:"
	off = 0
	for (i = 0; i < n; i++) {
		print "\t.long " off
		off += length(name[i]) + 1
	}
	print "kallsyms_names:"
	for (i = 0; i < n; i++)
		print "\t.asciz \"" name[i] "\""
}' "$1"
