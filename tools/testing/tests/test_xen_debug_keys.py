# SPDX-License-Identifier: GPL-2.0
"""proteus_runner.qemu.xen_debug_keys: on a Xen boot's timeout the runner
types Ctrl-A three times (Xen takes its console's input) and then the
debug keys, each flushed; a QEMU already gone (a broken pipe) ends it
quietly, since the runner must still reach its verdict."""

import io

from proteus_runner import qemu


class FakeProc:
    def __init__(self, stdin):
        self.stdin = stdin


class Recorder(io.BytesIO):
    def __init__(self):
        super().__init__()
        self.flushes = 0

    def flush(self):
        self.flushes += 1


class Broken:
    def write(self, data):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        pass


def no_sleep(monkeypatch):
    monkeypatch.setattr(qemu.time, "sleep", lambda s: None)


def test_keys_typed_in_order_each_flushed(monkeypatch):
    no_sleep(monkeypatch)
    rec = Recorder()
    qemu.xen_debug_keys(FakeProc(rec))
    assert rec.getvalue() == b"\x01\x01\x01q0ea"
    assert rec.flushes == len(qemu.XEN_DEBUG_KEYS)


def test_gone_qemu_is_quiet(monkeypatch):
    no_sleep(monkeypatch)
    qemu.xen_debug_keys(FakeProc(Broken()))
