# SPDX-License-Identifier: GPL-2.0
"""The balloon driver of proteus_runner.qmp against a simulated QEMU: it asks
for 16 MiB less on the guest's ready line and for the RAM back once the
guest inflated, and reports a problem when query-balloon disagrees with the
guest's actual, when the guest answered no stats request, when the stats
are not plausible, or when QMP itself fails."""

import io

from proteus_runner.console import Console
from proteus_runner.qmp import BalloonDriver, QMPError

MIB = 1024 * 1024
RAM = 128 * MIB


class FakeQEMU:
    """QMP commands answered as QEMU 7.2 would; 'held' is what the guest's
    actual told the device (pages); 'fail' a command that errs."""

    def __init__(self, stats=None, fail=None):
        self.held = 0
        self.stats = stats if stats is not None else {"stat-free-memory": 100 * MIB,
                                                      "stat-total-memory": RAM}
        self.fail = fail
        self.log = []

    def command(self, name, **args):
        self.log.append((name, args))
        if name == self.fail:
            raise QMPError("%s: simulated failure" % name)
        if name == "query-balloon":
            return {"actual": RAM - self.held * 4096}
        if name == "qom-get":
            return {"stats": self.stats, "last-update": 1}
        return {}


def drive(qemu, lines):
    console = Console(io.StringIO())
    driver = BalloonDriver(qemu, console)
    for line in lines:
        if "actual=" in line:
            qemu.held = int(line.split("actual=")[1].split()[0])
        driver.guest_line(line)
    return console


GOOD = ["balloon: ready pages=0 actual=0", "balloon: inflated actual=4096",
        "balloon: deflated actual=0", "balloon: stats answered=2"]


def test_drives_inflate_then_deflate():
    qemu = FakeQEMU()
    console = drive(qemu, GOOD)
    assert console.problems == []
    balloons = [args["value"] for name, args in qemu.log if name == "balloon"]
    assert balloons == [RAM - 16 * MIB, RAM]
    # Stats polling only once the deflate is checked: the guest's last wait.
    assert qemu.log[-1][0] == "qom-set"
    assert "qmp: query-balloon after inflate: %d bytes" % (RAM - 16 * MIB) in console.log.getvalue()


def test_bounded_inflate_is_reported_as_reached():
    qemu = FakeQEMU()
    console = drive(qemu, ["balloon: ready pages=0 actual=0", "balloon: inflated actual=269",
                           "balloon: deflated actual=0", "balloon: stats answered=1"])
    assert console.problems == []


def test_query_balloon_disagreeing_is_a_problem():
    qemu = FakeQEMU()
    console = Console(io.StringIO())
    driver = BalloonDriver(qemu, console)
    driver.guest_line(GOOD[0])
    qemu.held = 0               # the guest says 4096, the device never heard
    driver.guest_line(GOOD[1])
    assert len(console.problems) == 1
    assert "after inflate says %d bytes" % RAM in console.problems[0]


def test_no_stats_answered_is_a_problem():
    console = drive(FakeQEMU(), GOOD[:3] + ["balloon: stats answered=0"])
    assert console.problems and "no stats request" in console.problems[0]


def test_implausible_stats_are_a_problem():
    stats = {"stat-free-memory": 2 * RAM, "stat-total-memory": RAM}
    console = drive(FakeQEMU(stats=stats), GOOD)
    assert console.problems and "not the guest's figures" in console.problems[0]


def test_qmp_failure_is_a_problem():
    console = drive(FakeQEMU(fail="balloon"), GOOD[:1])
    assert console.problems == ["balloon over QMP: balloon: simulated failure"]


def test_other_lines_are_ignored():
    qemu = FakeQEMU()
    console = drive(qemu, ["virtio: balloon 0000:00:06.0 transitional queues=3 ring=split",
                           "# num_pages 4096, target 4096"])
    assert (qemu.log, console.problems) == ([], [])
