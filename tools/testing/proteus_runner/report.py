# SPDX-License-Identifier: GPL-2.0
"""What tools/testing/run prints: a line per boot, the table, and with
--repeat the summary per environment."""

import os
import sys

from .verdict import summarize_boots, total_summary


def report_env(outcome, verbose):
    """The lines printed after one environment has run."""
    name = outcome.label()
    if outcome.verdict == "skip":
        print("[%s] SKIP: %s" % (name, outcome.reasons[0]), flush=True)
        return
    passed, failed, skipped = outcome.counts()
    c = outcome.console
    ready = "ready in %d us" % c.ready_us if c and c.ready_us is not None else "no 'ready' line"
    print("[%s] %s: %d passed, %d failed, %d skipped; boot=%s hypervisor=%s; %s; %.1f s"
          % (name, outcome.verdict.upper(), passed, failed, skipped,
             outcome.banner("boot"), outcome.banner("hypervisor"), ready, outcome.wall))
    for reason in outcome.reasons:
        print("    " + reason)
    if c and outcome.verdict != "pass":
        if not verbose:
            print("  last %d console lines:" % len(c.tail))
            for line in c.tail:
                print("    | " + line)
        print("  full log: %s" % os.path.relpath(outcome.log))
    sys.stdout.flush()


def print_rows(rows, right):
    """rows[0] is the heading; columns in right are right-aligned."""
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    print()
    for r in rows:
        cells = [str(c).rjust(w) if i in right else str(c).ljust(w)
                 for i, (c, w) in enumerate(zip(r, widths))]
        print("  ".join(cells).rstrip())


def print_table(outcomes):
    rows = [("ENV", "VERDICT", "PASS", "FAIL", "SKIP", "BOOT", "HV", "READY(us)", "WALL(s)")]
    for o in outcomes:
        c = o.console
        counts = o.counts() if c else ("-", "-", "-")
        ready = c.ready_us if c and c.ready_us is not None else "-"
        wall = "%.1f" % o.wall if c else "-"
        rows.append((o.env["name"], o.verdict) + tuple(counts)
                    + (o.banner("boot"), o.banner("hypervisor"), ready, wall))
    print_rows(rows, right=(2, 3, 4, 7, 8))


def repeat_row(s):
    """One line of the --repeat summary for an EnvSummary."""
    walls = "%.1f..%.1f" % s.walls if s.walls else "-"
    return ((s.name, "%d/%d" % (s.passed, s.boots),
             " ".join("%s:%d" % (v, n) for v, n in sorted(s.verdicts.items())))
            + tuple(s.counts) + (walls,))


def print_repeat_summary(outcomes):
    """--repeat: per environment and over all of them, the boots that
    passed out of those booted, the verdicts, the counts of the closing
    line over those boots (the 'all' row is the closing line) and the
    range of their wall times; then every boot that did not pass, with its
    reasons and log."""
    summaries = summarize_boots(outcomes)
    total = total_summary(summaries)
    rows = [("ENV", "PASSED", "VERDICTS", "PASS", "FAIL", "SKIP", "WALL(s)")]
    rows += [repeat_row(s) for s in summaries + [total]]
    print_rows(rows, right=(1, 3, 4, 5, 6))
    if total.failures:
        print()
        print("boots that did not pass:")
        for o in total.failures:
            print("  [%s] %s%s" % (o.label(), o.verdict.upper(),
                                   ": log %s" % os.path.relpath(o.log) if o.log else ""))
            for reason in o.reasons:
                print("      " + reason)
