# SPDX-License-Identifier: GPL-2.0
"""A boot's verdict and its reasons, and the counts over many boots."""

import collections
import os
import re
import subprocess

from .qemu import GRACE_QEMU_EXIT, ROOT


def boot_label(name, repeat):
    """How a boot is named in what the runner prints: the environment's
    name, and for the k-th of N boots (repeat: (k, N)) 'name k/N'."""
    if repeat is None:
        return name
    return "%s %d/%d" % (name, repeat[0], repeat[1])


class Outcome:
    """One boot of one environment (or its skip): the verdict, its reasons,
    the parsed console, the wall time, the log's path, and with --repeat,
    which boot it was: (k, N)."""

    def __init__(self, env, verdict, reasons, console=None, wall=0.0, log=None, repeat=None):
        self.env = env
        self.verdict = verdict
        self.reasons = reasons
        self.console = console
        self.wall = wall
        self.log = log
        self.repeat = repeat

    def label(self):
        return boot_label(self.env["name"], self.repeat)

    def counts(self):
        return self.console.counts() if self.console else (0, 0, 0)

    def banner(self, key):
        if self.console and self.console.banner:
            return self.console.banner.get(key, "-")
        return "-"


def describe_exit(code):
    if code is None:
        return "QEMU did not exit"
    if code < 0:
        return "QEMU was killed by signal %d" % -code
    if code == 0:
        return ("QEMU exited with 0 (an ACPI power-off, or a triple fault or reset: "
                "-no-reboot turns it into an exit)")
    if code == 1:
        return "QEMU exited with 1 (a QEMU error, or the guest wrote 0 to isa-debug-exit)"
    if code & 1:
        return ("QEMU exited with %d: the guest wrote %d to isa-debug-exit"
                % (code, code >> 1))
    return "QEMU exited with %d" % code


def stderr_summary(console, n=4):
    lines = [l for l in console.stderr if l.strip() and "terminating on signal" not in l]
    return lines[-n:]


VMLINUX = "build/vmlinux"
_symbols = None


def text_symbols():
    """[(address, name)] of build/vmlinux's functions, sorted (cached)."""
    global _symbols
    if _symbols is None:
        out = subprocess.run(["nm", "-n", "--defined-only", os.path.join(ROOT, VMLINUX)],
                             capture_output=True, text=True, check=True).stdout
        _symbols = []
        for line in out.splitlines():
            fields = line.split()
            if len(fields) == 3 and fields[1] in "tTwW":
                _symbols.append((int(fields[0], 16), fields[2]))
    return _symbols


def symbolize(addr):
    """'function+0xoff (file:line)' for a kernel address, or ''."""
    try:
        where = [(a, n) for a, n in text_symbols() if a <= addr]
        if not where:
            return ""
        base, name = where[-1]
        line = subprocess.run(["addr2line", "-e", os.path.join(ROOT, VMLINUX), hex(addr)],
                              capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError, ValueError):
        return ""
    if line.startswith(ROOT + "/"):
        line = line[len(ROOT) + 1:]
    known = line and "?" not in line
    return "%s+0x%x%s" % (name, addr - base, " (%s)" % line if known else "")


def kvm_error_reason(console):
    """QEMU's report of a KVM internal error, with the faulting function."""
    why = "; ".join(console.kvm_error[:4])
    m = re.search(r"[ER]IP=([0-9a-f]+)", why)
    where = symbolize(int(m.group(1), 16)) if m else ""
    return why + (" = " + where if where else "")


def expected_exit(env, status):
    """QEMU's exit code once the guest powered off with status: isa-debug-exit
    makes it (status << 1) | 1; without that device (debug_exit False) the
    guest powers off through ACPI, or resets, and QEMU (-no-reboot) exits 0:
    the status then is the console's poweroff line alone."""
    if env["debug_exit"]:
        return (status << 1) | 1
    return 0


def crash_reasons(env, console, code, ended):
    """Reasons the run crashed, or [] when it did not."""
    if console.kvm_error:
        return [kvm_error_reason(console)]
    if console.firmware_stuck:
        return ["the firmware or bootloader found nothing to boot: " + console.firmware_stuck]
    if console.panic or console.status == 2:
        why = [console.panic or "guest reported status=2 (panic)"]
        if console.status is None:
            why.append("and never printed its poweroff line")
        return why
    if console.xen_panic:
        return (["Xen panic: " + "; ".join(console.xen_panic[1:] or console.xen_panic)]
                + ["  after: (XEN) " + l for l in console.xen_recent])
    if ended == "timeout":
        return []
    if console.status is None:
        if env["kind"] == "xen":
            if console.xen_lines:
                return ["no poweroff line; Xen: " + "; ".join(console.xen_lines[:4])]
        return ["no poweroff line; " + describe_exit(code)] + stderr_summary(console)
    if env["kind"] == "qemu":
        if ended == "stopped":
            return ["guest printed 'poweroff status=%d' but QEMU did not exit within %d s"
                    % (console.status, GRACE_QEMU_EXIT)]
        if code != expected_exit(env, console.status):
            return ["guest printed 'poweroff status=%d' but %s"
                    % (console.status, describe_exit(code))] + stderr_summary(console)
        if not env["debug_exit"] and console.reset_fallback:
            return ["the guest did not power off, it reset: " + console.reset_fallback]
    if console.status not in (0, 1):
        return ["unknown poweroff status=%d" % console.status]
    return []


def test_reasons(env, console):
    """Reasons a completed run failed (empty when it passed)."""
    why = []
    if console.status == 1:
        why.append("guest reported status=1 (a selftest failed)")
    failed = console.failed()
    if failed:
        names = ", ".join("%d %s" % (r.number, r.name) for r in failed[:6])
        why.append("not ok: %s%s" % (names, " ..." if len(failed) > 6 else ""))
        if console.status == 0:
            why.append("guest reported status=0 despite failed tests")
    if console.plan is None:
        why.append("no TAP plan line (1..N)")
    elif len(console.results) != console.plan:
        why.append("plan 1..%d but %d results" % (console.plan, len(console.results)))
    numbers = [r.number for r in console.results]
    if numbers != list(range(1, len(numbers) + 1)):
        why.append("results not numbered 1..N in order")
    why += totals_reasons(console)
    why += banner_reasons(env, console)
    why += console.problems
    return why


def totals_reasons(console):
    t = console.totals
    if t is None:
        return ["no '# Totals:' line"]
    why = []
    if t["fail"] or t["error"]:
        why.append("Totals report fail:%d error:%d" % (t["fail"], t["error"]))
    passed, failed, skipped = console.counts()
    if (t["pass"] + t["xfail"] + t["xpass"], t["fail"], t["skip"]) != (passed, failed, skipped):
        why.append("Totals (pass:%d fail:%d skip:%d) disagree with the results "
                   "(%d ok, %d not ok, %d skipped)"
                   % (t["pass"], t["fail"], t["skip"], passed, failed, skipped))
    return why


def banner_reasons(env, console):
    if console.banner is None:
        return ["no 'proteus: boot=...' banner"]
    return ["banner %s=%s, expected %s" % (k, console.banner.get(k), v)
            for k, v in env["expect"].items() if console.banner.get(k) != str(v)]


def judge(env, console, code, ended, timeout):
    """(verdict, reasons) for one finished run."""
    why = crash_reasons(env, console, code, ended)
    if why:
        return "crash", why
    if ended == "timeout":
        return "timeout", ["no poweroff line within %g s" % timeout]
    why = test_reasons(env, console)
    return ("fail" if why else "pass"), why



# --- counts over many boots --------------------------------------------------

def closing_counts(outcomes):
    """(passed, failed, skipped) over all boots, as in the closing line:
    test cases, plus one failure for a boot that crashed, timed out or
    failed without a failing test case, and one skip for a skipped one."""
    total = [0, 0, 0]
    for o in outcomes:
        passed, failed, skipped = o.counts()
        if o.verdict == "skip":
            skipped += 1
        elif o.verdict in ("crash", "timeout") or (o.verdict == "fail" and failed == 0):
            failed += 1
        total = [a + b for a, b in zip(total, (passed, failed, skipped))]
    return total


EnvSummary = collections.namedtuple(
    "EnvSummary", "name boots passed skipped verdicts failures counts walls")
EnvSummary.__doc__ = """The boots of one environment (or of all: total_summary): how
many, how many passed or were skipped, {verdict: boots}, the Outcomes of
those that did not pass, the closing line's counts over them
(closing_counts) and (shortest, longest) wall time of those that booted,
or None."""


def summarize(name, boots):
    """The EnvSummary of boots (Outcomes) under name."""
    verdicts = collections.Counter(o.verdict for o in boots)
    failures = [o for o in boots if o.verdict not in ("pass", "skip")]
    walls = [o.wall for o in boots if o.console]
    return EnvSummary(name, len(boots), verdicts["pass"], verdicts["skip"], dict(verdicts),
                      failures, closing_counts(boots),
                      (min(walls), max(walls)) if walls else None)


def summarize_boots(outcomes):
    """One EnvSummary per environment, in the order first booted."""
    by_env = collections.OrderedDict()
    for o in outcomes:
        by_env.setdefault(o.env["name"], []).append(o)
    return [summarize(name, boots) for name, boots in by_env.items()]


def total_summary(summaries, name="all"):
    """The EnvSummary of all the boots of summaries, added up."""
    verdicts = collections.Counter()
    counts = [0, 0, 0]
    walls = []
    for s in summaries:
        verdicts.update(s.verdicts)
        counts = [a + b for a, b in zip(counts, s.counts)]
        walls += list(s.walls or ())
    return EnvSummary(name, sum(s.boots for s in summaries), sum(s.passed for s in summaries),
                      sum(s.skipped for s in summaries), dict(verdicts),
                      [o for s in summaries for o in s.failures], counts,
                      (min(walls), max(walls)) if walls else None)
