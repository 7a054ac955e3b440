#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install what building and testing Proteus needs, and nothing else.
#
#   sh tools/testing/deps.sh        (make deps; make check runs it first)
#
# Debian packages: only the missing ones, with one 'apt-get update' first.
# Xen: the hypervisor binary is taken out of Debian's xen-hypervisor package
# into build/xen/xen without installing the package (no Xen on the host).
# As root it installs; as another user it prints the commands and exits 1.
# gdb (for make debug) is optional and never installed here.

set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
XEN_PKG=xen-hypervisor-4.17-amd64
XEN_GZ=boot/xen-4.17-amd64.gz
XEN_OUT=$ROOT/build/xen/xen

export DEBIAN_FRONTEND=noninteractive

is_root() { [ "$(id -u)" -eq 0 ]; }
have() { command -v "$1" >/dev/null 2>&1; }

# One line per package: the package, then what must exist when it is
# installed (a command, or an absolute path). libc6-dev is only a
# recommendation of gcc, and the host tools (mkbzimage, unit tests) need it.
# linux-perf: make perf-exits counts KVM tracepoints with perf.
# python3-pytest: make pytest, for Debian's /usr/bin/python3.
# grub-*, xorriso, mtools, ovmf: the firmware environments (grub-bios,
# grub-uefi, uefi): the runner builds a GRUB ISO (grub-mkrescue, which needs
# xorriso, and mtools for its EFI image), a FAT boot disk per boot (mtools),
# and boots OVMF. The -bin packages hold GRUB's modules only: installing
# them changes no bootloader of this host.
REQUIREMENTS='
qemu-system-x86	qemu-system-x86_64
qemu-system-data	/usr/share/qemu/qboot.rom
libxen-dev	/usr/include/xen/xen.h
linux-libc-dev	/usr/include/linux/kvm_para.h
python3	python3
binutils	ld
binutils	objcopy
binutils	nm
gcc	gcc
libc6-dev	/usr/include/elf.h
make	make
linux-perf	perf
python3-pytest	/usr/lib/python3/dist-packages/pytest
grub-common	grub-mkrescue
grub-pc-bin	/usr/lib/grub/i386-pc/moddep.lst
grub-efi-amd64-bin	/usr/lib/grub/x86_64-efi/moddep.lst
xorriso	xorriso
mtools	mformat
mtools	mcopy
ovmf	/usr/share/OVMF/OVMF_CODE_4M.fd
ovmf	/usr/share/OVMF/OVMF_VARS_4M.fd
'

present() {
	case $1 in
	/*) [ -e "$1" ] ;;
	*) have "$1" ;;
	esac
}

missing_packages() {
	echo "$REQUIREMENTS" | while read -r pkg what; do
		[ -n "$pkg" ] || continue
		present "$what" || echo "$pkg"
	done | sort -u | tr '\n' ' ' | sed 's/ $//'
}

APT_UPDATED=no
apt_update_once() {
	[ "$APT_UPDATED" = yes ] && return 0
	echo "deps: apt-get update"
	apt-get update -qq
	APT_UPDATED=yes
}

install_packages() {
	apt_update_once
	echo "deps: apt-get install $*"
	apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Fetch the Xen .deb into a scratch folder and unpack only the hypervisor.
fetch_xen() {
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	# apt drops privileges to _apt for downloads: let it write here.
	if is_root && id _apt >/dev/null 2>&1; then
		chown _apt "$tmp"
	fi
	if ! (cd "$tmp" && apt-get download -qq "$XEN_PKG") 2>"$tmp/err"; then
		if is_root && [ "$APT_UPDATED" = no ]; then
			apt_update_once
			(cd "$tmp" && apt-get download -qq "$XEN_PKG") 2>"$tmp/err" || {
				cat "$tmp/err" >&2
				return 1
			}
		else
			cat "$tmp/err" >&2
			return 1
		fi
	fi
	# Called as a condition, so 'set -e' is off here: check each step.
	mkdir "$tmp/x" &&
		dpkg-deb -x "$tmp"/"$XEN_PKG"_*.deb "$tmp/x" &&
		mkdir -p "$(dirname "$XEN_OUT")" &&
		gunzip -c "$tmp/x/$XEN_GZ" >"$XEN_OUT.tmp" || return 1
	if [ "$(head -c 4 "$XEN_OUT.tmp" | od -An -c | tr -d ' ')" != '177ELF' ]; then
		echo "deps: $XEN_GZ from $XEN_PKG is not an ELF image" >&2
		rm -f "$XEN_OUT.tmp"
		return 1
	fi
	mv "$XEN_OUT.tmp" "$XEN_OUT"
	rm -rf "$tmp"
	trap - EXIT
	echo "deps: $XEN_PKG -> build/xen/xen"
}

xen_commands() {
	cat <<EOF
    (as root first, if apt cannot find the package: apt-get update)
    tmp=\$(mktemp -d) && (cd "\$tmp" && apt-get download $XEN_PKG) &&
    dpkg-deb -x "\$tmp"/${XEN_PKG}_*.deb "\$tmp/x" && mkdir -p $ROOT/build/xen &&
    gunzip -c "\$tmp/x/$XEN_GZ" > $XEN_OUT && rm -rf "\$tmp"
EOF
}

main() {
	status=0
	actions=no
	pkgs=$(missing_packages)

	if [ -n "$pkgs" ]; then
		actions=yes
		if is_root; then
			# shellcheck disable=SC2086
			install_packages $pkgs
			pkgs=$(missing_packages)
			if [ -n "$pkgs" ]; then
				echo "deps: still missing after install: $pkgs" >&2
				status=1
			fi
		else
			echo "deps: missing packages: $pkgs. As root, run:" >&2
			echo "    apt-get update && apt-get install -y --no-install-recommends $pkgs" >&2
			status=1
		fi
	fi

	if [ ! -s "$XEN_OUT" ]; then
		actions=yes
		# apt-get download needs no root, only up-to-date package lists.
		if ! fetch_xen; then
			echo "deps: could not get the Xen hypervisor ($XEN_PKG). Run:" >&2
			xen_commands >&2
			status=1
		fi
	fi

	if [ "$status" -eq 0 ]; then
		note=
		have gdb || note="; gdb not installed (optional, for make debug)"
		if [ "$actions" = yes ]; then
			echo "deps: done$note"
		else
			echo "deps: all present (qemu, xen headers, toolchain, perf, pytest, grub, ovmf, build/xen/xen)$note"
		fi
	fi
	return "$status"
}

main
