#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bzImage as a PE/COFF EFI application, checked with binutils' own
# PE reader (objdump, pei-x86-64) rather than with mkbzimage's structures:
# the PE32+ header, sections that mirror the file, the entry point in
# .text, the boot sector still a jump, the EFI handover entry, and the
# payload still build/vmlinux byte for byte. A copy with its .text section
# made to reach past the file must fail the same checks, so that they are
# known to be able to fail. Arguments: BZIMAGE VMLINUX. Prints TAP.
image=$1
vmlinux=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
	fi
}

# Little-endian unsigned value of $3 bytes at offset $2 of file $1.
le() {
	od -An -tu"$3" -j"$2" -N"$3" "$1" | tr -d ' '
}

# One objdump -x field ("Name<spaces>hex"), as a decimal number.
field() {
	local v

	v=$(awk -v f="$2" '$1 == f { print $2; exit }' "$1")
	[ -n "$v" ] && echo $((16#$v))
}

# The PE checks over file $1: prints one line per problem, nothing if fine.
pe_problems() {
	local f=$1 dump=$tmp/dump size base entry salign falign
	local name vma off len text=0

	size=$(stat -c %s "$f")
	objdump -x "$f" > "$dump" 2>&1 || { echo "objdump cannot read it"; return; }
	grep -q 'file format pei-x86-64' "$dump" || echo "not pei-x86-64"
	[ "$(field "$dump" Magic)" = $((0x20b)) ] || echo "not PE32+"
	[ "$(field "$dump" Subsystem)" = 10 ] || echo "not an EFI application"
	salign=$(field "$dump" SectionAlignment)
	falign=$(field "$dump" FileAlignment)
	[ "$salign" = 512 ] && [ "$falign" = 512 ] ||
		echo "alignments $salign/$falign, want 512/512"
	[ "$(field "$dump" SizeOfImage)" = "$size" ] ||
		echo "SizeOfImage is not the file size $size"
	base=$(field "$dump" ImageBase)
	entry=$(($(awk '/^start address/ { print $3 }' "$dump") - base))
	while read -r name len vma off; do
		len=$((16#$len)); vma=$((16#$vma - base)); off=$((16#$off))
		[ $vma = $off ] || echo "$name: address $vma != file offset $off"
		[ $((off % falign)) = 0 ] || echo "$name: file offset $off unaligned"
		[ $((off + len)) -le "$size" ] || echo "$name: ends past the file"
		[ "$off" -ge "$(field "$dump" SizeOfHeaders)" ] ||
			echo "$name: overlaps the headers"
		if [ "$name" = .text ] && [ $entry -ge $vma ] &&
		   [ $entry -lt $((vma + len)) ]; then
			text=1
		fi
	done < <(awk '$1 ~ /^[0-9]+$/ && NF >= 7 { print $2, $3, $4, $6 }' "$dump")
	[ $text = 1 ] || echo "entry point $entry not in .text"
}

problems=$(pe_problems "$image")
ok "$([ -z "$problems" ]; echo $?)" "PE/COFF header (objdump)"
[ -n "$problems" ] && echo "$problems" | sed 's/^/# /'

# The boot sector: "MZ", then the far jump a BIOS runs; the setup header.
[ "$(head -c 2 "$image")" = MZ ] && [ "$(le "$image" 2 1)" = $((0xea)) ] &&
	[ "$(le "$image" $((0x1fe)) 2)" = $((0xaa55)) ] &&
	[ "$(le "$image" $((0x202)) 4)" = $((0x53726448)) ]
ok $? "boot sector is MZ + ljmp, setup header intact"

# Handover: XLF_EFI_HANDOVER_64, its entry inside the protected-mode part
# before the payload.
pm=$((($(le "$image" $((0x1f1)) 1) + 1) * 512))
payload=$(le "$image" $((0x248)) 4)
handover=$(($(le "$image" $((0x264)) 4) + 0x200))
[ $(($(le "$image" $((0x236)) 2) & 8)) = 8 ] && [ $handover -gt 0 ] &&
	[ $handover -lt "$payload" ]
ok $? "EFI handover entry at pm+$handover, before the payload at pm+$payload"

tail -c +$((pm + payload + 1)) "$image" |
	head -c "$(le "$image" $((0x24c)) 4)" | cmp -s - "$vmlinux"
ok $? "payload is $vmlinux byte for byte"

# A .text SizeOfRawData/VirtualSize reaching one sector past the file.
cp "$image" "$tmp/bad"
lfanew=$(le "$image" $((0x3c)) 4)
sec=$((lfanew + 24 + 160 + 40))		# signature+COFF, optional header, .reloc
len=$(($(le "$image" $((sec + 16)) 4) + 512))
for at in 8 16; do
	printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((len & 255)) \
		$((len >> 8 & 255)) $((len >> 16 & 255)) $((len >> 24)))" |
		dd of="$tmp/bad" bs=1 seek=$((sec + at)) conv=notrunc 2>/dev/null
done
problems=$(pe_problems "$tmp/bad")
echo "$problems" | grep -q '^.text: ends past the file'
ok $? "a .text section past the end of the file is caught"
echo "$problems" | sed 's/^/# /'

echo "1..$n"
echo "# ${0##*/}: $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
