# SPDX-License-Identifier: GPL-2.0
"""The judge without isa-debug-exit (qemu-acpi-off): QEMU's exit code says
only that the guest stopped the machine (0 after an ACPI power-off or a
reset, under -no-reboot); the guest's status is the console's poweroff
line, which must be there, and QEMU must have exited by itself."""

from conftest import QEMU_ACPI_OFF, QEMU_TCG, Replay
from proteus_runner import verdict


def test_acpi_power_off_passes_with_exit_0():
    r = Replay("qemu-acpi-off-pass.log", QEMU_ACPI_OFF)
    assert (r.verdict, r.reasons) == ("pass", [])
    assert (r.recorded.code, r.recorded.ended) == (0, "exit")
    assert r.console.status == 0
    assert r.console.counts() == (68, 0, 25)


def test_exit_0_is_a_crash_where_isa_debug_exit_was_expected():
    r = Replay("qemu-acpi-off-pass.log", QEMU_TCG)
    assert r.verdict == "crash"
    assert r.reasons[0] == ("guest printed 'poweroff status=0' but QEMU exited with 0 "
                            "(an ACPI power-off, or a triple fault or reset: -no-reboot "
                            "turns it into an exit)")


def test_isa_debug_exit_code_is_a_crash_without_the_device():
    """QEMU exiting 1 where it should exit 0: an error of QEMU's, not the
    guest's power-off (the status 0 line notwithstanding)."""
    r = Replay("qemu-tcg-pass.log", QEMU_ACPI_OFF)
    assert r.verdict == "crash"
    assert r.reasons[0].startswith("guest printed 'poweroff status=0' but QEMU exited with 1")


def test_status_comes_from_the_console():
    r = Replay("qemu-acpi-off-pass.log", QEMU_ACPI_OFF)
    r.console.status = 1
    v, why = verdict.judge(QEMU_ACPI_OFF, r.console, 0, "exit", 90)
    assert v == "fail"
    assert why[0] == "guest reported status=1 (a selftest failed)"


def test_panic_powers_off_through_acpi():
    """A panic early in boot (-m 4M), QEMU exited 0 by itself: a crash
    named by the panic, not by the exit code."""
    r = Replay("qemu-acpi-off-panic.log", QEMU_ACPI_OFF)
    assert r.verdict == "crash"
    assert r.reasons == ["Kernel panic - not syncing: mm: only 3576 KiB of usable RAM; "
                         "need at least 8 MiB"]
    assert r.console.status == 2


def test_lost_poweroff_line_is_a_crash():
    """QEMU exited 0 but the last line never came: nothing tells the status."""
    r = Replay("qemu-acpi-off-lost.log", QEMU_ACPI_OFF)
    assert r.verdict == "crash"
    assert r.reasons[0] == ("no poweroff line; QEMU exited with 0 (an ACPI power-off, "
                            "or a triple fault or reset: -no-reboot turns it into an exit)")


def test_qemu_that_does_not_exit_is_a_crash():
    """The guest printed its line but the machine did not stop: the runner
    had to end QEMU ('stopped'), so the ACPI power-off did not work."""
    r = Replay("qemu-acpi-off-pass.log", QEMU_ACPI_OFF)
    v, why = verdict.judge(QEMU_ACPI_OFF, r.console, -15, "stopped", 90)
    assert v == "crash"
    assert why == ["guest printed 'poweroff status=0' but QEMU did not exit within %d s"
                   % verdict.GRACE_QEMU_EXIT]
