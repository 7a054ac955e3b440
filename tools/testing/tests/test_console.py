# SPDX-License-Identifier: GPL-2.0
"""The console and TAP parser and the judge, over recorded console logs.

The fixtures are runner logs (build/test-logs/<env>.log), see
fixtures/README; each test states what the runner must make of one."""

import io

import pytest

from conftest import GRUB_UEFI, GRUB_UEFI_HANDOVER, QEMU_KVM, QEMU_TCG, UEFI, XEN_PV, Replay
from proteus_runner import verdict
from proteus_runner.console import Console

ALL = ["qemu-tcg-pass.log", "qemu-tcg-fail.log", "qemu-tcg-panic.log", "qemu-tcg-hang.log",
       "qemu-tcg-garbage.log", "qemu-kvm-error.log", "xen-pv-pass.log",
       "xen-pv-interleaved.log", "xen-pv-panic.log", "grub-uefi-pass.log", "uefi-noboot.log",
       "grub-uefi-handover-abort.log"]
ENV_OF = {"qemu-tcg": QEMU_TCG, "qemu-kvm": QEMU_KVM, "xen-pv": XEN_PV,
          "grub-uefi": GRUB_UEFI, "uefi": UEFI, "grub-uefi-handover": GRUB_UEFI_HANDOVER}


def env_for(name):
    return ENV_OF[name.rsplit("-", 1)[0]]


def test_pass():
    r = Replay("qemu-tcg-pass.log", QEMU_TCG)
    c = r.console
    assert (r.verdict, r.reasons) == ("pass", [])
    assert c.counts() == (45, 0, 21)
    assert (c.status, c.tap_version, c.plan, len(c.results)) == (0, 13, 66, 66)
    assert c.banner == {"boot": "linux16", "hypervisor": "none", "cpus": "1", "mem": "127",
                        "backend": "native", "sites": "242", "inline": "159", "direct": "74",
                        "nop": "9", "indirect": "0", "patch_us": "5642"}
    assert c.ready_us == 60417
    assert c.totals == {"pass": 45, "fail": 0, "xfail": 0, "xpass": 0, "skip": 21, "error": 0}
    assert c.results[7] == verdict_result(True, 8, "cpu.msr_safe_reports_gp",
                                          "SKIP msr_nofault: this platform never raises "
                                          "#GP for MSRs")
    assert (c.panic, c.kvm_error, c.xen_panic) == (None, [], [])
    assert verdict.closing_counts([r.outcome()]) == [45, 0, 21]


def verdict_result(ok, number, name, directive):
    from proteus_runner.console import Result
    return Result(ok, number, name, directive)


def test_failing_test():
    r = Replay("qemu-tcg-fail.log", QEMU_TCG)
    assert r.verdict == "fail"
    assert r.reasons == ["guest reported status=1 (a selftest failed)",
                         "not ok: 8 cpu.msr_safe_reports_gp",
                         "Totals report fail:1 error:0"]
    assert r.console.counts() == (45, 1, 20)
    assert [x.number for x in r.console.failed()] == [8]
    # the failing test case is the failure: the boot adds none of its own
    assert verdict.closing_counts([r.outcome()]) == [45, 1, 20]


def test_failing_test_with_status_0_is_caught():
    r = Replay("qemu-tcg-fail.log", QEMU_TCG)
    r.console.status = 0
    v, why = verdict.judge(QEMU_TCG, r.console, 1, "exit", 90)
    assert v == "fail"
    assert "guest reported status=0 despite failed tests" in why


def test_panic():
    r = Replay("qemu-tcg-panic.log", QEMU_TCG)
    assert r.verdict == "crash"
    assert r.reasons == ["Kernel panic - not syncing: page fault at 0xffffffff81012345, "
                         "cr2=0x0"]
    assert r.console.status == 2
    assert r.console.counts() == (27, 0, 12)
    # 39 test cases ran; the crash is one failure more
    assert verdict.closing_counts([r.outcome()]) == [27, 1, 12]


def test_panic_without_poweroff_line():
    r = Replay("qemu-tcg-panic.log", QEMU_TCG)
    r.console.status = None
    v, why = verdict.judge(QEMU_TCG, r.console, -15, "timeout", 90)
    assert (v, why[1]) == ("crash", "and never printed its poweroff line")


def test_hang_is_a_timeout():
    r = Replay("qemu-tcg-hang.log", QEMU_TCG)
    assert (r.recorded.code, r.recorded.ended) == (-15, "timeout")
    assert (r.verdict, r.reasons) == ("timeout", ["no poweroff line within 90 s"])
    assert r.console.status is None
    assert r.console.counts() == (27, 0, 12)
    assert verdict.closing_counts([r.outcome()]) == [27, 1, 12]


def test_hang_that_qemu_survives_is_not_a_pass():
    """The same log with QEMU ending by itself, no poweroff line: a crash."""
    r = Replay("qemu-tcg-hang.log", QEMU_TCG)
    v, why = verdict.judge(QEMU_TCG, r.console, 0, "exit", 90)
    assert v == "crash"
    assert why[0] == ("no poweroff line; QEMU exited with 0 (an ACPI power-off, or a "
                      "triple fault or reset: -no-reboot turns it into an exit)")


def test_xen_pass():
    r = Replay("xen-pv-pass.log", XEN_PV)
    c = r.console
    assert (r.verdict, r.reasons) == ("pass", [])
    assert c.counts() == (30, 0, 36)
    assert c.xen_dom0_done
    assert c.xen_lines == ["Hardware Dom0 halted: halting machine"]
    assert (c.banner["boot"], c.banner["hypervisor"], c.banner["backend"]) == \
        ("xen-pv", "xen", "xen-pv")


def test_xen_lines_cut_guest_lines():
    """'(XEN)' lines in the middle of guest lines: the guest's pieces are
    joined, and the TAP seen is exactly that of the uncut log."""
    cut = Replay("xen-pv-interleaved.log", XEN_PV)
    whole = Replay("xen-pv-pass.log", XEN_PV)
    assert (cut.verdict, cut.reasons) == ("pass", [])
    assert cut.console.results == whole.console.results
    assert cut.console.tap_version == 13
    assert cut.console.status == 0
    assert not any("(XEN)" in x.name or "XEN" in x.directive for x in cut.console.results)
    assert cut.console.results[1].name == "bootinfo.entry_tsc_sane"
    assert list(cut.console.xen_recent) == [
        "Xen call trace:", "grant_table.c:1234: d0v0 bad ref 9",
        "printk: 3 messages suppressed.", "Hardware Dom0 halted: halting machine"]


def test_xen_panic():
    r = Replay("xen-pv-panic.log", XEN_PV)
    assert r.verdict == "crash"
    assert r.reasons[0] == ("Xen panic: FATAL PAGE FAULT; [error_code=0000]; "
                            "Faulting linear address: 0000000000000008")
    assert r.reasons[1:] == [
        "  after: (XEN) CPU:    0",
        "  after: (XEN) RIP:    e008:[<ffff82d04022c4e1>] page_alloc.c#free_heap_pages"
        "+0x1a1/0x6f0",
        "  after: (XEN) Xen call trace:",
        "  after: (XEN) [<ffff82d04022c4e1>] R page_alloc.c#free_heap_pages+0x1a1/0x6f0"]
    assert r.console.xen_panic_done
    # 'ok 20 irq.ioap' was cut by Xen and never finished: at the end of
    # output the runner still takes the guest's unterminated text as a line
    assert r.console.results[-1].name == "irq.ioap"
    assert verdict.closing_counts([r.outcome()]) == [18, 1, 2]


def test_kvm_internal_error():
    r = Replay("qemu-kvm-error.log", QEMU_KVM)
    assert r.verdict == "crash"
    assert r.reasons == ["KVM internal error. Suberror: 1; emulation failure; "
                         "RIP=ffffffff81003a5c; code at IP: <cd> 21 48 83 c4 08 5b 5d"]
    assert r.console.counts() == (18, 0, 2)


def test_kvm_internal_error_names_the_function(monkeypatch):
    monkeypatch.setattr(verdict, "symbolize",
                        lambda addr: "irq_selftest+0x1c" if addr == 0xffffffff81003a5c else "")
    r = Replay("qemu-kvm-error.log", QEMU_KVM)
    assert r.reasons[0].endswith("<cd> 21 48 83 c4 08 5b 5d = irq_selftest+0x1c")


def test_garbage_bytes():
    """NULs, invalid UTF-8, \\r\\n and bare \\r, escape sequences, a 20000
    byte line: decoded with replacement, never an exception, and the boot
    around them still parses and passes."""
    r = Replay("qemu-tcg-garbage.log", QEMU_TCG)
    c = r.console
    assert (r.verdict, r.reasons) == ("pass", [])
    assert c.counts() == (45, 0, 21)
    assert c.results[3].name == "bootinfo.cmdline\x00_round\ufffdtrip"
    assert not any("\r" in line for line in c.tail)
    text = r.log.getvalue()
    assert "L" * 20000 + "\ufffd" * 7 in text
    assert "mm: caf\u00e9 \u2713 \u00fcber" in text


def test_firmware_escapes_before_the_kernel():
    """OVMF and GRUB clear and paint the screen on the serial port: the
    escape sequences stay in the log, and neither the parser nor the
    lines shown of a failed boot see them."""
    r = Replay("grub-uefi-pass.log", GRUB_UEFI)
    c = r.console
    assert (r.verdict, r.reasons) == ("pass", [])
    assert c.counts() == (80, 0, 11)
    assert (c.banner["boot"], c.banner["cpus"]) == ("linux32", "2")
    assert c.firmware_stuck is None
    assert "\x1b[2J" in r.log.getvalue()
    assert not any("\x1b" in line for line in c.tail)


def test_firmware_found_nothing_to_boot():
    """OVMF that cannot start the image goes to its UEFI shell and waits:
    a crash with OVMF's line, not a timeout, and a tail without escapes."""
    r = Replay("uefi-noboot.log", UEFI)
    c = r.console
    assert r.verdict == "crash"
    assert r.reasons == ['the firmware or bootloader found nothing to boot: BdsDxe: '
                         'starting Boot0003 "EFI Internal Shell" from '
                         'Fv(7CB8BDC9-F8EB-4F34-AAEA-3EE4AF6516A1)'
                         '/FvFile(7C04A583-9E3E-4F1C-AD65-E05268D0B4D1)']
    assert c.banner is None
    assert "UEFI Interactive Shell v2.2" in c.tail
    assert not any("\x1b" in line for line in c.tail)
    assert verdict.closing_counts([r.outcome()]) == [0, 1, 0]


def test_bootloader_waiting_for_a_key():
    """GRUB's abort prompt ends no line: it is seen while QEMU still runs
    (the runner then ends QEMU), not only once QEMU's output ends."""
    r = Replay("grub-uefi-handover-abort.log", GRUB_UEFI_HANDOVER)
    assert r.verdict == "crash"
    assert r.reasons == ["the firmware or bootloader found nothing to boot: "
                         "Aborted. Press any key to exit."]
    live = Console(io.StringIO())
    live.feed("serial", r.recorded.serial.rstrip(b"\n"))
    assert live.firmware_stuck == "Aborted. Press any key to exit."


def test_firmware_line_after_the_banner_is_the_guest_s():
    """Only before the kernel's banner can a line be the firmware's."""
    r = Replay("grub-uefi-pass.log", GRUB_UEFI)
    r.console.line("serial", "# No bootable device (a test's own words)")
    assert r.console.firmware_stuck is None


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("chunk", [1, 7, 4096])
def test_chunking_does_not_matter(name, chunk):
    """QEMU's pipes deliver any number of bytes at a time, splitting lines
    and UTF-8 sequences: the outcome is that of the whole log at once."""
    whole = Replay(name, env_for(name))
    parts = Replay(name, env_for(name), chunk=chunk)
    assert (parts.verdict, parts.reasons) == (whole.verdict, whole.reasons)
    assert parts.console.results == whole.console.results
    assert parts.log.getvalue() == whole.log.getvalue()


@pytest.mark.parametrize("name,expected", [
    ("qemu-tcg-pass.log", "pass"), ("qemu-tcg-fail.log", "fail"),
    ("qemu-tcg-panic.log", "crash"), ("qemu-tcg-hang.log", "timeout"),
    ("qemu-tcg-garbage.log", "pass"), ("qemu-kvm-error.log", "crash"),
    ("xen-pv-pass.log", "pass"), ("xen-pv-interleaved.log", "pass"),
    ("xen-pv-panic.log", "crash")])
def test_verdicts(name, expected):
    assert Replay(name, env_for(name)).verdict == expected


def test_banner_mismatch_fails_without_a_failing_test():
    r = Replay("qemu-tcg-pass.log", QEMU_KVM)
    assert r.verdict == "fail"
    assert r.reasons == ["banner backend=native, expected kvm"]
    # no test case failed, so the boot itself counts as one failure
    assert verdict.closing_counts([r.outcome()]) == [45, 1, 21]


def test_missing_and_misnumbered_results():
    """A result line lost (a garbled console, a test that printed nothing):
    the plan, the numbering and the Totals all disagree with what was seen."""
    r = Replay("qemu-tcg-pass.log", QEMU_TCG)
    del r.console.results[29]
    v, why = verdict.judge(QEMU_TCG, r.console, 1, "exit", 90)
    assert v == "fail"
    assert why == ["plan 1..66 but 65 results",
                   "results not numbered 1..N in order",
                   "Totals (pass:45 fail:0 skip:21) disagree with the results "
                   "(45 ok, 0 not ok, 20 skipped)"]


def test_no_tap_at_all():
    r = Replay("qemu-tcg-pass.log", QEMU_TCG)
    r.console.plan, r.console.results, r.console.totals = None, [], None
    v, why = verdict.judge(QEMU_TCG, r.console, 1, "exit", 90)
    assert (v, why) == ("fail", ["no TAP plan line (1..N)", "no '# Totals:' line"])
