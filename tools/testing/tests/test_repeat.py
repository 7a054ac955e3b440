# SPDX-License-Identifier: GPL-2.0
"""Counts over many boots (tools/testing/run --repeat), the closing line,
log names per boot, and the --stress CPU hogs."""

import pytest

from conftest import QEMU_KVM, QEMU_TCG, XEN_PV, Replay
from proteus_runner import qemu, report, stress, verdict
from proteus_runner.console import split_log


def boots(name, env, logs, n, first=1):
    """Outcomes of env numbered first/n, first+1/n, ..., replaying logs."""
    out = []
    for k, log in enumerate(logs, first):
        o = Replay(log, env).outcome()
        o.repeat = (k, n)
        o.log = qemu.log_path(qemu.boot_log_name(name, o.repeat))
        out.append(o)
    return out


@pytest.fixture
def repeated():
    """qemu-tcg: pass, fail, pass; qemu-kvm: pass, KVM error, hang;
    xen-pv: skipped, three times."""
    tcg = boots("qemu-tcg", QEMU_TCG,
                ["qemu-tcg-pass.log", "qemu-tcg-fail.log", "qemu-tcg-pass.log"], 3)
    kvm_pass = Replay("qemu-tcg-pass.log", QEMU_KVM).outcome()
    kvm_pass.verdict, kvm_pass.reasons = "pass", []
    kvm_pass.repeat = (1, 3)
    kvm = [kvm_pass] + boots("qemu-kvm", QEMU_KVM,
                             ["qemu-kvm-error.log", "qemu-tcg-hang.log"], 3, first=2)
    xen = [verdict.Outcome(XEN_PV, "skip", ["build/xen/xen missing (run: make deps)"],
                           repeat=(k, 3)) for k in (1, 2, 3)]
    return tcg + kvm + xen


@pytest.fixture
def in_root(monkeypatch):
    monkeypatch.chdir(qemu.ROOT)


def test_closing_counts_sum_every_boot(repeated):
    # test cases: tcg 45*3 passed, 1 failed, 21+20+21 skipped; kvm 45+18+27
    # passed, 21+2+12 skipped, and one failure for the KVM error and one
    # for the hang; xen: one skip per boot.
    assert verdict.closing_counts(repeated) == [45 * 3 + 45 + 18 + 27,
                                                1 + 1 + 1,
                                                21 + 20 + 21 + 21 + 2 + 12 + 3]


def test_summarize_boots(repeated):
    s = verdict.summarize_boots(repeated)
    assert [x.name for x in s] == ["qemu-tcg", "qemu-kvm", "xen-pv"]
    assert [(x.boots, x.passed, x.skipped) for x in s] == [(3, 2, 0), (3, 1, 0), (3, 0, 3)]
    assert s[0].verdicts == {"pass": 2, "fail": 1}
    assert s[1].verdicts == {"pass": 1, "crash": 1, "timeout": 1}
    assert s[2].verdicts == {"skip": 3}
    assert [o.label() for o in s[0].failures] == ["qemu-tcg 2/3"]
    assert [o.label() for o in s[1].failures] == ["qemu-kvm 2/3", "qemu-kvm 3/3"]
    assert s[2].failures == []


def test_repeat_summary_lists_every_failing_boot(repeated, in_root, capsys):
    report.print_repeat_summary(repeated)
    out = capsys.readouterr().out.splitlines()
    assert out[1].split() == ["ENV", "PASSED", "VERDICTS", "PASS", "FAIL", "SKIP", "WALL(s)"]
    assert out[2].split() == ["qemu-tcg", "2/3", "fail:1", "pass:2", "135", "1", "62",
                              "1.0..1.0"]
    assert out[3].split() == ["qemu-kvm", "1/3", "crash:1", "pass:1", "timeout:1", "90", "2",
                              "35", "1.0..1.0"]
    assert out[4].split() == ["xen-pv", "0/3", "skip:3", "0", "0", "3", "-"]
    # over all environments: the closing line's counts
    assert out[5].split() == ["all", "3/9", "crash:1", "fail:1", "pass:3", "skip:3",
                              "timeout:1", "225", "3", "100", "1.0..1.0"]
    tail = out[out.index("boots that did not pass:"):]
    assert tail == [
        "boots that did not pass:",
        "  [qemu-tcg 2/3] FAIL: log build/test-logs/qemu-tcg.2.log",
        "      guest reported status=1 (a selftest failed)",
        "      not ok: 8 cpu.msr_safe_reports_gp",
        "      Totals report fail:1 error:0",
        "  [qemu-kvm 2/3] CRASH: log build/test-logs/qemu-kvm.2.log",
        "      KVM internal error. Suberror: 1; emulation failure; RIP=ffffffff81003a5c; "
        "code at IP: <cd> 21 48 83 c4 08 5b 5d",
        "  [qemu-kvm 3/3] TIMEOUT: log build/test-logs/qemu-kvm.3.log",
        "      no poweroff line within 90 s"]


def test_repeat_summary_when_all_pass(in_root, capsys):
    ok = boots("qemu-tcg", QEMU_TCG, ["qemu-tcg-pass.log"] * 2, 2)
    report.print_repeat_summary(ok)
    out = capsys.readouterr().out
    assert "boots that did not pass" not in out
    assert out.splitlines()[2].split()[:3] == ["qemu-tcg", "2/2", "pass:2"]


def test_log_names_per_boot():
    assert qemu.boot_log_name("qemu-tcg", None) == "qemu-tcg"
    names = {qemu.boot_log_name("qemu-tcg", (k, 5)) for k in range(1, 6)}
    assert names == {"qemu-tcg.%d" % k for k in range(1, 6)}


def test_labels():
    assert verdict.Outcome(QEMU_TCG, "pass", []).label() == "qemu-tcg"
    assert verdict.Outcome(QEMU_TCG, "pass", [], repeat=(4, 5)).label() == "qemu-tcg 4/5"


def test_split_log_header_and_end():
    data = (b"# environment: x (y)\n# image: i sha256:0\n# command: q\n# stress: 2 hogs\n"
            b"# not a header: the guest's\n[qemu stderr] oops\nline\n"
            b"# QEMU exit code None (timeout); verdict timeout; no poweroff line\n")
    rec = split_log(data)
    assert rec == (b"# not a header: the guest's\nline\n", b"oops\n", None, "timeout")


def test_cpu_hogs_die_with_the_block():
    with pytest.raises(KeyboardInterrupt):
        with stress.cpu_hogs(2) as hogs:
            assert len(hogs) == 2
            assert all(h.poll() is None for h in hogs)
            raise KeyboardInterrupt
    assert all(h.returncode is not None for h in hogs)


def test_no_hogs_without_stress():
    with stress.cpu_hogs(0) as hogs:
        assert hogs == []


def test_total_summary_adds_up(repeated):
    s = verdict.summarize_boots(repeated)
    total = verdict.total_summary(s)
    assert (total.boots, total.passed, total.skipped) == (9, 3, 3)
    assert total.counts == verdict.closing_counts(repeated)
    assert [x.counts for x in s] == [verdict.closing_counts(repeated[i:i + 3])
                                     for i in (0, 3, 6)]
    assert s[2].walls is None and total.walls == (1.0, 1.0)


def test_log_header_keys_are_shared(tmp_path, monkeypatch):
    monkeypatch.setattr(qemu, "ROOT", str(tmp_path))
    env = {"name": "x", "about": "y", "image": "i"}
    with qemu.open_log("x", env, ["q"], "0", [("stress", "2 hogs")]) as log:
        log.write("guest\n")
    with open(qemu.log_path("x"), "rb") as f:
        assert split_log(f.read()).serial == b"guest\n"
    with pytest.raises(ValueError):
        qemu.open_log("x", env, ["q"], "0", [("new-note", "text")])
