#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The symbol table link must not move anything but the table itself.
set -e
strip_syms() {
	nm -n --defined-only "$1" | grep -v -E ' (kallsyms_[a-z_]+|_end)$'
}
if ! strip_syms "$1" > "$2.syms.a" || ! strip_syms "$2" > "$2.syms.b" ||
   ! cmp -s "$2.syms.a" "$2.syms.b"; then
	echo "kallsyms: the second link moved symbols:" >&2
	diff "$2.syms.a" "$2.syms.b" | head >&2
	exit 1
fi
rm -f "$2.syms.a" "$2.syms.b"
