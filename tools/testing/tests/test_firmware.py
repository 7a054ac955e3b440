# SPDX-License-Identifier: GPL-2.0
"""The firmware environments' pieces that need no QEMU: the kernel command
line as GRUB words, the boot disk's GRUB commands, the skip reasons."""

import shlex

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


def test_chainloader_words_are_joined_as_they_are():
    # GRUB's chainloader joins its arguments with spaces, no quoting: a
    # word holding a space carries the kernel's own double quotes.
    line = 'hosttime=1 x="a b" "c d" e\\f'
    words = firmware.chainloader_words(line)
    assert words == "'hosttime=1' 'x=\"a b\"' '\"c d\"' 'e\\f'"
    # GRUB's script drops the single quotes as sh does; the kernel then
    # splits the joined LoadOptions back into the same words.
    load_options = " ".join(shlex.split(words))
    assert firmware.kernel_words(load_options) == firmware.kernel_words(line)


def test_chainloader_words_refuse_a_quote():
    with pytest.raises(ValueError, match="cannot go through GRUB's chainloader"):
        firmware.chainloader_words("hosttime=1 x=it's")


def test_boot_cfg_chainloader_has_no_initrd():
    assert firmware.boot_cfg("chainloader", "a b=c", None) == (
        'echo "grub: chainloader /kernel"\nchainloader /kernel \'a\' \'b=c\'\nboot\n')
    with pytest.raises(ValueError, match="chainloader cannot pass a boot module"):
        firmware.boot_cfg("chainloader", "a", "build/bootmod.bin")


def test_esp_disk_holds_the_image_at_the_default_boot_path(tmp_path):
    if firmware.mtools_problem():
        pytest.skip(firmware.mtools_problem())
    (tmp_path / "bzImage").write_bytes(b"MZ" + bytes(5000))
    disk = tmp_path / firmware.esp_disk(str(tmp_path), "uefi-esp", "bzImage")
    assert disk.stat().st_size == firmware.BOOT_DISK_MIN
    out = tmp_path / "out"
    firmware.run_tool(["mcopy", "-i", str(disk), "::/EFI/BOOT/BOOTX64.EFI", str(out)])
    assert out.read_bytes() == (tmp_path / "bzImage").read_bytes()


def test_missing_mtools_skips(monkeypatch):
    monkeypatch.setattr(firmware.shutil, "which", lambda cmd: None if cmd == "mmd" else cmd)
    assert qemu.skip_reason({"requires": ["mtools"]}) == "mmd missing (run: make deps)"


def test_missing_grub_platform_skips_with_its_package(monkeypatch, tmp_path):
    monkeypatch.setattr(firmware, "GRUB_LIB", str(tmp_path))
    env = {"requires": ["grub-efi", "ovmf"]}
    assert qemu.skip_reason(env) == "%s/x86_64-efi missing (package grub-efi-amd64-bin)" % tmp_path


def test_missing_ovmf_skips(monkeypatch, tmp_path):
    monkeypatch.setattr(firmware, "OVMF_CODE", str(tmp_path / "OVMF_CODE_4M.fd"))
    assert (qemu.skip_reason({"requires": ["ovmf"]})
            == "%s/OVMF_CODE_4M.fd missing (package ovmf)" % tmp_path)
