#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Callee-save ops are a type: compile callee_save_cases.c once per case
# with the kernel's compiler and flags (the arguments) and print TAP. The
# good case must compile, so that a broken command cannot pass the test;
# each wrong assignment must be refused by an error that names the cause.
cc=("$@")
cases=${0%/*}/callee_save_cases.c
out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT
n=0
failed=0

# case, expected outcome (ok or error), a word the "error:" line must hold
check() {
	local rc

	n=$((n + 1))
	"${cc[@]}" -D"CASE_$1" -c "$cases" -o "$out/$1.o" >"$out/$1.log" 2>&1
	rc=$?
	if [ "$2" = ok ] && [ $rc -eq 0 ]; then
		echo "ok $n $1 compiles"
	elif [ "$2" = error ] && [ $rc -ne 0 ] &&
	     grep -q "error:.*$3" "$out/$1.log"; then
		echo "ok $n $1 refused"
	else
		echo "not ok $n $1: expected $2${3:+ naming $3}, compiler exit $rc"
		sed 's/^/# /' "$out/$1.log"
		failed=$((failed + 1))
	fi
}

check GOOD ok
check PLAIN_INTO_CALLEE error pv_callee_save
check PLAIN_IN_INITIALIZER error pv_callee_save
check CALLEE_INTO_PLAIN error pv_callee_save
check NO_THUNK error unwrapped_callee_save
check REPATCH_PLAIN_INTO_CALLEE error "is callee-save"
check REPATCH_CALLEE_INTO_PLAIN error "is not callee-save"
echo "1..$n"
echo "# ${0##*/}: $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
