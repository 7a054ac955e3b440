# SPDX-License-Identifier: GPL-2.0
"""Host tests of tools/testing/proteus_runner (make pytest): recorded
console logs under fixtures/ replayed through the parser and the judge."""

import io
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from proteus_runner import verdict  # noqa: E402
from proteus_runner.console import Console, split_log  # noqa: E402

FIXTURES = os.path.join(HERE, "fixtures")
TIMEOUT = 90

# The fields judge() reads of the runner's environments (tools/testing/run).
QEMU_TCG = {"name": "qemu-tcg", "kind": "qemu", "debug_exit": True,
            "expect": {"backend": "native", "indirect": 0, "boot": "linux16"}}
QEMU_KVM = {"name": "qemu-kvm", "kind": "qemu", "debug_exit": True,
            "expect": {"backend": "kvm", "indirect": 0, "boot": "linux16"}}
QEMU_ACPI_OFF = {"name": "qemu-acpi-off", "kind": "qemu", "debug_exit": False,
                 "expect": {"backend": "native", "indirect": 0, "boot": "linux16"}}
XEN_PV = {"name": "xen-pv", "kind": "xen", "expect": {"boot": "xen-pv"}}
GRUB_UEFI = {"name": "grub-uefi", "kind": "qemu", "debug_exit": True,
             "expect": {"backend": "native", "indirect": 0, "boot": "linux32", "cpus": 2}}
GRUB_UEFI_HANDOVER = {"name": "grub-uefi-handover", "kind": "qemu", "debug_exit": True,
                      "expect": {"backend": "native", "indirect": 0, "boot": "efi",
                                 "cpus": 2}}
UEFI = {"name": "uefi", "kind": "qemu", "debug_exit": True,
        "expect": {"backend": "native", "indirect": 0, "boot": "efi", "cpus": 2}}


class Replay:
    """A fixture fed through Console as QEMU's pipes would, then judged."""

    def __init__(self, name, env, chunk=None):
        with open(os.path.join(FIXTURES, name), "rb") as f:
            self.recorded = split_log(f.read())
        self.env = env
        self.log = io.StringIO()
        self.console = Console(self.log)
        for stream, data in (("serial", self.recorded.serial),
                             ("stderr", self.recorded.stderr)):
            step = chunk or max(len(data), 1)
            for i in range(0, len(data), step):
                self.console.feed(stream, data[i:i + step])
        self.console.finish()
        self.verdict, self.reasons = verdict.judge(env, self.console, self.recorded.code,
                                                   self.recorded.ended, TIMEOUT)

    def outcome(self):
        return verdict.Outcome(self.env, self.verdict, self.reasons, self.console, 1.0)


@pytest.fixture(autouse=True)
def no_vmlinux(monkeypatch):
    """Never name a KVM error's IP from whatever build/vmlinux is here."""
    monkeypatch.setattr(verdict, "symbolize", lambda addr: "")
