# SPDX-License-Identifier: GPL-2.0
"""The firmware environments' pieces that need no QEMU: the kernel command
line as GRUB words, the boot disk's GRUB commands, the skip reasons."""

import pytest

from proteus_runner import firmware, qemu


def test_kernel_words_split_as_the_kernel_does():
    line = 'a  b="x y" "c=d e" f""g\th\n'
    assert firmware.kernel_words(line) == ["a", "b=x y", "c=d e", "fg", "h"]


def test_grub_words_keep_spaces_inside_a_word():
    assert (firmware.grub_words('hosttime=1 selftest-x="a b"')
            == "'hosttime=1' 'selftest-x=a b'")


@pytest.mark.parametrize("arg", ["x=it's", "x=a\\b"])
def test_grub_words_refuse_what_grub_would_escape(arg):
    with pytest.raises(ValueError, match="cannot go through GRUB"):
        firmware.grub_words("hosttime=1 " + arg)


def test_boot_cfg_with_and_without_module():
    assert firmware.boot_cfg("linux16", "a b=c", None) == (
        'echo "grub: linux16 /kernel"\nlinux16 /kernel \'a\' \'b=c\'\nboot\n')
    cfg = firmware.boot_cfg("linux", "a", "build/bootmod.bin").splitlines()
    assert cfg[1:] == ["linux /kernel 'a'", "initrd /module", "boot"]
    cfg = firmware.boot_cfg("linuxefi", "a", "build/bootmod.bin").splitlines()
    assert cfg[1:] == ["linuxefi /kernel 'a'", "initrdefi /module", "boot"]


def test_missing_grub_platform_skips_with_its_package(monkeypatch, tmp_path):
    monkeypatch.setattr(firmware, "GRUB_LIB", str(tmp_path))
    env = {"requires": ["grub-efi", "ovmf"]}
    assert qemu.skip_reason(env) == "%s/x86_64-efi missing (package grub-efi-amd64-bin)" % tmp_path


def test_missing_ovmf_skips(monkeypatch, tmp_path):
    monkeypatch.setattr(firmware, "OVMF_CODE", str(tmp_path / "OVMF_CODE_4M.fd"))
    assert (qemu.skip_reason({"requires": ["ovmf"]})
            == "%s/OVMF_CODE_4M.fd missing (package ovmf)" % tmp_path)
