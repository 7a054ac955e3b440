# SPDX-License-Identifier: GPL-2.0
"""proteus_runner.hang: 'info registers -a' as QEMU 7.2's monitor printed it
(fixtures/info-registers-a-tcg-smp2.txt, a 2-vCPU qemu-tcg boot sampled
mid-selftest, the monitor's echo of the command included) parsed into
vCPUs, RIPs named from nm output, and the sampling against a simulated
monitor: one that answers, one that never does (the cap ends it), and a
socket nobody listens on."""

import os
import socket
import threading
import time

from proteus_runner import hang

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
FIXTURE = os.path.join(FIXTURES, "info-registers-a-tcg-smp2.txt")
# A 2-vCPU uefi boot sampled while its AP still waited for its start-up IPI.
FIXTURE_AP_WAITING = os.path.join(FIXTURES, "info-registers-a-uefi-ap-waiting.txt")

# An excerpt of 'nm -n --defined-only build/vmlinux' around the fixture's RIPs.
NM = """\
0000000000000020 a i
0000000000200000 T _text
0000000000200000 T startup_32_bp
00000000002065d0 T pv_seal_ops
0000000000206620 t lead_of
0000000000206a40 T pv_bp_emulate
00000000002291c0 t storm_worker
0000000000237000 R _etext
00000000002f9000 R _end
"""


def fixture_text(path=FIXTURE):
    with open(path, encoding="utf-8") as f:
        return f.read()


def test_parse_two_vcpus_from_qemu_output():
    cpus = hang.parse_registers(fixture_text())
    assert cpus == [hang.VCpu(0, 0x206659, 0, False, "RIP"),
                    hang.VCpu(1, 0x229210, 0, False, "RIP")]


def test_parse_a_vcpu_not_in_long_mode():
    cpus = hang.parse_registers(fixture_text(FIXTURE_AP_WAITING))
    assert cpus == [hang.VCpu(0, 0x203f92, 0, False, "RIP"),
                    hang.VCpu(1, 0xfff0, 0, True, "EIP")]
    assert hang.describe(1, cpus[1], hang.Symbols(NM)) == (
        "sample 1 cpu1 eip=0000fff0 outside the kernel cpl=0 halted=1")


def test_parse_single_vcpu_without_cpu_lines():
    text = ("RAX=0000000000000000 RBX=0000000000000001\n"
            "RIP=ffff82d040212345 RFL=00000246 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=1\n")
    assert hang.parse_registers(text) == [
        hang.VCpu(0, 0xffff82d040212345, 0, True, "RIP")]


def test_parse_without_cpl_or_hlt_says_unknown():
    assert hang.parse_registers("CPU#3\nRIP=0000000000001000\n") == [
        hang.VCpu(3, 0x1000, None, None, "RIP")]


def test_parse_nothing():
    assert hang.parse_registers("unknown command: 'info registerz'\n") == []


def test_symbol_names_and_offsets():
    syms = hang.Symbols(NM)
    assert syms.name(0x206659) == "lead_of+0x39"
    assert syms.name(0x229210) == "storm_worker+0x50"
    assert syms.name(0x206a40) == "pv_bp_emulate+0x0"
    # _text and startup_32_bp share an address: the function's name wins.
    assert syms.name(0x200004) == "startup_32_bp+0x4"


def test_symbols_outside_the_kernel():
    syms = hang.Symbols(NM)
    assert syms.name(0x1ffff) is None
    assert syms.name(0x2f9000) is None          # _end is past the kernel
    assert syms.name(0xffff82d040212345) is None  # in Xen
    assert syms.name(0x20) is None              # an absolute symbol's value


def test_describe_lines():
    syms = hang.Symbols(NM)
    inside = hang.VCpu(1, 0x229210, 0, True, "RIP")
    outside = hang.VCpu(0, 0xffff82d040212345, 0, False, "RIP")
    assert hang.describe(2, inside, syms) == (
        "sample 2 cpu1 rip=0000000000229210 storm_worker+0x50 cpl=0 halted=1")
    assert hang.describe(1, outside, syms) == (
        "sample 1 cpu0 rip=ffff82d040212345 outside the kernel cpl=0 halted=0")
    assert hang.describe(1, hang.VCpu(0, 0x206659, None, None, "RIP"), None) == (
        "sample 1 cpu0 rip=0000000000206659 (no symbols)")


def test_symbols_of_a_missing_file():
    syms, why = hang.Symbols.from_file("/nonexistent/vmlinux")
    assert syms is None and "nm" in why


class FakeMonitor:
    """A unix socket server speaking like QEMU's HMP: banner, prompt, then
    for each command line the fixture's text and a prompt again; silent
    ones never answer anything."""

    def __init__(self, path, silent=False):
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(1)
        self.silent = silent
        self.commands = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        conn, _ = self.server.accept()
        with conn:
            if self.silent:
                conn.recv(1)
                return
            conn.sendall(b"QEMU 7.2.22 monitor - type 'help' for more information\r\n(qemu) ")
            buf = b""
            while True:
                data = conn.recv(4096)
                if not data:
                    return
                buf += data
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    self.commands.append(line.decode())
                    conn.sendall(line + b"\r\n" + fixture_text().encode() + b"(qemu) ")

    def close(self):
        self.server.close()


def test_samples_from_a_monitor(tmp_path):
    path = str(tmp_path / "monitor.sock")
    fake = FakeMonitor(path)
    try:
        lines = hang.sample_vcpus(path, hang.Symbols(NM), samples=3, gap=0.01, cap=5)
    finally:
        fake.close()
    assert fake.commands == ["info registers -a"] * 3
    assert lines[0].startswith("# --- where the vCPUs were")
    assert lines[-1] == hang.BLOCK_END
    assert lines[1:-1] == ["# sample %d cpu%d rip=%s cpl=0 halted=0" % (k, cpu, where)
                           for k in (1, 2, 3)
                           for cpu, where in ((0, "0000000000206659 lead_of+0x39"),
                                              (1, "0000000000229210 storm_worker+0x50"))]


def test_a_silent_monitor_is_capped(tmp_path):
    path = str(tmp_path / "monitor.sock")
    fake = FakeMonitor(path, silent=True)
    start = time.monotonic()
    try:
        lines = hang.sample_vcpus(path, hang.Symbols(NM), cap=0.5)
    finally:
        fake.close()
    took = time.monotonic() - start
    assert 0.4 < took < 3
    assert lines[1] == "# the monitor did not answer within 0.5 s; ending QEMU"
    assert lines[-1] == hang.BLOCK_END
    assert len(lines) == 3


def test_no_monitor_socket(tmp_path):
    lines = hang.sample_vcpus(str(tmp_path / "none.sock"), None, cap=0.3)
    assert "cannot connect" in lines[1] and len(lines) == 3
