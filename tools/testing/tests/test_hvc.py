# SPDX-License-Identifier: GPL-2.0
"""proteus_runner.hvc: the virtio-console ports' QEMU arguments and the
check of their chardev files against what the guest says it wrote."""

import os

from proteus_runner import hvc
from proteus_runner.console import Result

NONCE = "0123456789abcdef"
LINE0 = "proteus nonce %s port 0" % NONCE
LINE1 = "proteus nonce %s port 1" % NONCE
SERIAL = ('# virtio-console: wrote "%s" to port 0 (unnamed)\n'
          '# virtio-console: wrote "%s" to port 1 (org.proteus.test)\n' % (LINE0, LINE1))
TOTALS = "# Totals: pass:3 fail:0 xfail:0 xpass:0 skip:1 error:0\n"
RAN = [Result(True, 1, hvc.TEST, "")]


def write_ports(base, hvc0, port1):
    for suffix, text in (("hvc0", hvc0), ("port1", port1)):
        if text is not None:
            with open("%s.%s" % (base, suffix), "w") as f:
                f.write(text)


def test_qemu_args_name_files_and_remove_stale_ones(tmp_path):
    base = str(tmp_path / "qemu-tcg")
    write_ports(base, "stale\n", "stale\n")
    args = hvc.qemu_args(["disable-legacy=on", "iommu_platform=on"], base)
    assert args[:2] == ["-device", "virtio-serial-pci,disable-legacy=on,iommu_platform=on"]
    assert "file,id=vc0,path=%s.hvc0" % base in args
    assert "virtconsole,chardev=vc0,nr=0" in args
    assert "virtserialport,chardev=vc1,nr=1,name=org.proteus.test" in args
    assert not os.path.exists(base + ".hvc0") and not os.path.exists(base + ".port1")


def test_qemu_args_other_device(tmp_path):
    base = str(tmp_path / "qemu-microvm-virtio")
    assert hvc.qemu_args(["virtio-serial-device"], base)[:2] == ["-device", "virtio-serial-device"]
    assert hvc.qemu_args(["virtio-serial-device", "packed=on"], base)[1] == \
        "virtio-serial-device,packed=on"


def test_lines_found(tmp_path):
    base = str(tmp_path / "qemu-tcg")
    write_ports(base, "boot\n" + LINE0 + "\n", LINE1 + "\n")
    assert hvc.check(SERIAL, RAN, base, mirrored=False) == []


def test_mirrored_needs_totals(tmp_path):
    base = str(tmp_path / "qemu-tcg")
    # The mirrored printk line quotes the nonce line; only a whole line counts.
    write_ports(base, SERIAL + LINE0 + "\n" + TOTALS, LINE1 + "\n")
    assert hvc.check(SERIAL, RAN, base, mirrored=True) == []
    write_ports(base, SERIAL + LINE0 + "\n", LINE1 + "\n")
    assert hvc.check(SERIAL, RAN, base, mirrored=True) == [
        "console=hvc0, but qemu-tcg.hvc0 lacks the '# Totals:' summary line"]


def test_missing_or_garbled_line_fails(tmp_path):
    base = str(tmp_path / "qemu-tcg")
    write_ports(base, SERIAL, "\0" * len(LINE1) + "\n")
    why = hvc.check(SERIAL, RAN, base, mirrored=False)
    assert why == ["port 0 (virtconsole): qemu-tcg.hvc0 lacks the guest's line %r" % LINE0,
                   "port 1 (org.proteus.test): qemu-tcg.port1 lacks the guest's line %r"
                   % LINE1]


def test_no_file_or_no_guest_line(tmp_path):
    base = str(tmp_path / "qemu-tcg")
    write_ports(base, LINE0 + "\n", None)
    serial = SERIAL.splitlines()[0] + "\n"
    assert hvc.check(serial, RAN, base, mirrored=False) == [
        "the guest wrote no nonce line to port 1 (org.proteus.test)"]
    assert hvc.check(SERIAL, RAN, base, mirrored=False) == [
        "port 1 (org.proteus.test): no file %s.port1" % base]


def test_skipped_test_fails_and_absent_test_is_not_checked(tmp_path):
    base = str(tmp_path / "qemu-tcg")
    skipped = [Result(True, 1, hvc.TEST, "SKIP no virtio-console device")]
    assert hvc.check("", skipped, base, mirrored=True) == [
        "virtio.console_ports skipped (SKIP no virtio-console device) though the runner "
        "gave a virtio-console device"]
    assert hvc.check("", [Result(True, 1, "virtio.rng_bytes_vary", "")], base, True) == []
