# SPDX-License-Identifier: GPL-2.0
"""bench=pvops output (tools/testing/selftests/bench_pvops.c) read from a
console, and the table make bench prints: op by op, what one call of the
patched site costs in each environment and what the site was patched to.

The guest prints, after a header naming its backend, one row per op:

  bench: irq.save_fl               2.00      6.00      7.00  direct xen_pv_save_fl_callee_save

bare, indirect and patched are TSC ticks per call (instructions under
icount), '-' where not run; then the patched site's kind and the name of
the function the op's slot holds."""

import collections
import re

HEADER_RE = re.compile(r"^bench: pvops, .* backend (\S+)$")
ROW_RE = re.compile(r"^bench: (\S+)\s+(-|\d+\.\d\d)\s+(-|\d+\.\d\d)\s+(-|\d+\.\d\d)"
                    r"\s+(\w+) (\S+)$")
# The entry point a C function gets to serve a callee-save op.
THUNK_SUFFIX = "_callee_save"

Row = collections.namedtuple("Row", "op bare indirect patched kind impl")
Result = collections.namedtuple("Result", "backend rows")


def ticks(text):
    """A cost column as a float, None for '-'."""
    return None if text == "-" else float(text)


def parse_pvops(lines):
    """The Result of the last bench=pvops run in lines, or None."""
    result = None
    for line in lines:
        m = HEADER_RE.match(line)
        if m:
            result = Result(m.group(1), [])
            continue
        m = ROW_RE.match(line)
        if m and result is not None:
            op, bare, ind, pat, kind, impl = m.groups()
            if impl.endswith(THUNK_SUFFIX):
                impl = impl[:-len(THUNK_SUFFIX)]
            result.rows.append(Row(op, ticks(bare), ticks(ind), ticks(pat), kind, impl))
    return result if result and result.rows else None


def number(v):
    """A cost as printed in the table: '-' for none, no '.00' on whole numbers."""
    if v is None:
        return "-"
    return "%d" % v if v == int(v) else "%.2f" % v


def cell(row):
    if row is None:
        return "n/a"
    return "%s  %s %s" % (number(row.patched), row.kind, row.impl)


def table(results):
    """results: (environment name, Result) pairs; the first is the native
    reference whose bare column the table shows. Lines of text."""
    ops = []
    for _, res in results:
        ops += [r.op for r in res.rows if r.op not in ops]
    by_op = [{r.op: r for r in res.rows} for _, res in results]
    head = ["op", "bare"] + ["%s (%s)" % (name, res.backend) for name, res in results]
    body = []
    for op in ops:
        ref = by_op[0].get(op)
        body.append([op, number(ref.bare) if ref else "n/a"] +
                    [cell(rows.get(op)) for rows in by_op])
    widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [head] + body]
