# SPDX-License-Identifier: GPL-2.0
"""make bench's table (proteus_runner.bench) over recorded bench=pvops boots
(fixtures/bench-*.log, see fixtures/README)."""

import io
import os

from conftest import FIXTURES
from proteus_runner.bench import Row, parse_pvops, table
from proteus_runner.console import Console, split_log

ENVS = ["qemu-icount", "xen-pv-icount", "xen-pvh-icount"]


def bench_lines(name):
    with open(os.path.join(FIXTURES, name), "rb") as f:
        recorded = split_log(f.read())
    console = Console(io.StringIO())
    console.feed("serial", recorded.serial)
    console.finish()
    return console.bench


def results():
    return [(env, parse_pvops(bench_lines("bench-%s.log" % env))) for env in ENVS]


def test_parse_each_backend():
    res = dict(results())
    assert [res[e].backend for e in ENVS] == ["native", "xen-pv", "xen-pvh"]
    assert all(len(res[e].rows) == 9 for e in ENVS)
    assert res["qemu-icount"].rows[0] == Row("irq.save_fl", 2.0, 4.0, 3.0, "inline",
                                             "native_save_fl")
    pv = {r.op: r for r in res["xen-pv-icount"].rows}
    # Ring 3: cli is not run bare; read_cr3 is still the native instruction.
    assert pv["irq.irq_disable"] == Row("irq.irq_disable", None, 3.0, 4.0, "direct",
                                        "xen_pv_irq_disable")
    assert pv["cpu.read_cr3"].patched is None
    assert pv["hypercall"] == Row("hypercall", None, 206.0, 205.0, "inline",
                                  "xen_hypercall_syscall")


def test_table():
    lines = table(results())
    assert lines[0].split() == ["op", "bare", "qemu-icount", "(native)", "xen-pv-icount",
                                "(xen-pv)", "xen-pvh-icount", "(xen-pvh)"]
    assert len(lines) == 10
    row = {line.split()[0]: line.split() for line in lines[1:]}
    assert row["irq.irq_disable"] == ["irq.irq_disable", "1", "2", "inline",
                                      "native_irq_disable", "4", "direct",
                                      "xen_pv_irq_disable", "2", "inline",
                                      "native_irq_disable"]
    assert row["cpu.read_cr3"][5:8] == ["-", "inline", "native_read_cr3"]
    assert row["hypercall"][1:5] == ["-", "5", "direct", "native_hypercall"]
    assert row["hypercall"][-3:] == ["6779.99", "inline", "hypercall_vmmcall"]


def test_op_missing_in_one_environment():
    native = parse_pvops(["bench: pvops, TSC ticks per call, 1000 calls, backend native",
                          "bench: probe  0.00  2.00  1.00  nop pv_nop"])
    xen = parse_pvops(["bench: pvops, TSC ticks per call, 1000 calls, backend xen-pv",
                       "bench: hypercall  -  206.00  205.00  inline xen_hypercall_syscall"])
    lines = table([("a", native), ("b", xen)])
    assert lines[1].split() == ["probe", "0", "1", "nop", "pv_nop", "n/a"]
    assert lines[2].split() == ["hypercall", "n/a", "n/a", "205", "inline",
                                "xen_hypercall_syscall"]


def test_row_cut_by_xen_line():
    """COM1 is shared under Xen PV: a '(XEN)' line may cut a bench row."""
    console = Console(io.StringIO())
    console.feed("serial", b"bench: pvops, TSC ticks per call, 1000 calls, backend xen-pv\n"
                           b"bench: irq.save_fl   2.00(XEN) Dom0 has maximum 1 VCPUs\n"
                           b"      6.00      7.00  direct xen_pv_save_fl_callee_save\n")
    console.finish()
    res = parse_pvops(console.bench)
    assert res.rows == [Row("irq.save_fl", 2.0, 6.0, 7.0, "direct", "xen_pv_save_fl")]


def test_no_output():
    assert parse_pvops(bench_lines("qemu-tcg-pass.log")) is None
    assert parse_pvops(["bench: pvops, TSC ticks per call, 1000 calls, backend native"]) is None
    assert parse_pvops(["bench: probe  0.00  2.00  1.00  nop pv_nop"]) is None
