# SPDX-License-Identifier: GPL-2.0
"""The host's side of bench=virtio-blk and bench=virtio-net, and the
tables make bench prints from their console logs.

bench=virtio-blk: the boot gets one disk, serial 'bench', instead of the
environment's: a raw image filled with data (not sparse: reads reach the
file), sized for the environment (the emulating KVM does few I/Os),
attached with cache=none,aio=native where the host filesystem takes
O_DIRECT, else cache=writeback,aio=threads (said in the table).

bench=virtio-net: a UDP sink on the host's loopback that only counts
what arrives; the guest gets bench.sink=10.0.2.2:PORT (QEMU's user
network relays it to 127.0.0.1, as for the echo server) and the count
goes into the log.

Both write '# bench-host: ...' lines into the boot's log; the guest's
'bench: ' lines are read back by tools/testing/bench-table."""

import collections
import os
import re
import socket
import threading

from .disks import DISK_DIR, Disk
from .qemu import ROOT
from .udp_echo import GUEST_HOST_ALIAS

BENCHES = ("virtio-blk", "virtio-net")
DIRECT = "cache=none,aio=native"
BUFFERED = "cache=writeback,aio=threads"
# MiB of image: the guest reads at random over all of it.
DISK_MIB = 128
DISK_MIB_KVM = 16
HOST_LINE = "# bench-host: "

METRIC_RE = re.compile(r"^bench: (virtio-\w+) (\S+) (.*)$")
FIELD_RE = re.compile(r"(\S+)=(\S+)")


def which(user_args):
    """The virtio benchmark bench= names in user_args, or None."""
    for arg in user_args:
        if arg.startswith("bench=") and arg[len("bench="):] in BENCHES:
            return arg[len("bench="):]
    return None


def direct_io_works():
    """Whether the disk directory's filesystem takes O_DIRECT (cache=none)."""
    path = os.path.join(ROOT, DISK_DIR, ".odirect-probe")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_RDWR | os.O_DIRECT, 0o600)
    except OSError:
        return False
    os.close(fd)
    os.remove(path)
    return True


class UdpSink:
    """A UDP socket on the host's loopback that counts datagrams and bytes
    (a daemon thread, stopped with the boot)."""

    def __init__(self):
        self.sock = None
        self.thread = None
        self.count = 0
        self.bytes = 0
        self._stop = threading.Event()

    @property
    def kernel_arg(self):
        return "bench.sink=%s:%d" % (GUEST_HOST_ALIAS, self.sock.getsockname()[1])

    def _take(self):
        """One datagram counted: False when none came (timeout, closed)."""
        try:
            data = self.sock.recv(65535)
        except OSError:
            return False
        self.count += 1
        self.bytes += len(data)
        return True

    def _serve(self):
        while not self._stop.is_set():
            self._take()

    def __enter__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.thread = threading.Thread(target=self._serve, name="udp-sink", daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        """Stop, counting what is still queued on the socket first."""
        self._stop.set()
        self.thread.join()
        self.sock.setblocking(False)
        while self._take():
            pass
        self.sock.close()
        return False


class BenchHost:
    """with BenchHost(env, user_args) as host: what a boot needs for a
    virtio benchmark (nothing when user_args name none): host.kernel_args,
    host.disks(env's disks), host.log_lines() after the boot."""

    def __init__(self, env, user_args):
        self.env = env
        self.bench = which(user_args)
        self.sink = UdpSink() if self.bench == "virtio-net" else None
        self.cache = None

    @property
    def kernel_args(self):
        return [self.sink.kernel_arg] if self.sink else []

    def disks(self, env_disks):
        """The boot's disks: the bench disk in place of the environment's
        for bench=virtio-blk (its device as the environment's first: the
        same transport and options), else env_disks."""
        if self.bench != "virtio-blk" or not env_disks:
            return env_disks
        self.cache = DIRECT if direct_io_works() else BUFFERED
        mib = DISK_MIB_KVM if self.env.get("accel") == "kvm" else DISK_MIB
        return [Disk("bench", mib, env_disks[0].device, drive=self.cache, filled=True)]

    def log_lines(self):
        lines = []
        if self.cache:
            lines.append("%sdisk %s%s\n" % (HOST_LINE, self.cache, "" if self.cache == DIRECT
                         else " (the host filesystem refused O_DIRECT)"))
        if self.sink:
            lines.append("%ssink received=%d bytes=%d\n" % (HOST_LINE, self.sink.count,
                                                           self.sink.bytes))
        return "".join(lines)

    def __enter__(self):
        if self.sink:
            self.sink.__enter__()
        return self

    def __exit__(self, *exc):
        if self.sink:
            self.sink.__exit__(*exc)
        return False


Metric = collections.namedtuple("Metric", "bench name fields")


def parse(lines):
    """The metric lines ('bench: virtio-blk randread-4k qd=1 ios=...') as
    Metrics, the header and 'done' lines left out."""
    out = []
    for line in lines:
        m = METRIC_RE.match(line)
        if not m or "=" in m.group(2) or m.group(2) in ("done", "skipped:"):
            continue
        out.append(Metric(m.group(1), m.group(2), dict(FIELD_RE.findall(m.group(3)))))
    return out


def host_lines(text):
    """The '# bench-host: ' lines of a log, without the prefix."""
    return [line[len(HOST_LINE):] for line in text.splitlines() if line.startswith(HOST_LINE)]


def number(text, scale=1.0, places=0):
    """A field as the table prints it; '-' when absent."""
    try:
        return "%.*f" % (places, float(text) * scale)
    except (TypeError, ValueError):
        return "-"


def blk_rows(env, metrics, host):
    """Table rows of one environment's bench=virtio-blk metrics."""
    rows = []
    for m in metrics:
        f = m.fields
        mbps = None
        if "ios/s" in f and "bytes" in f:
            mbps = float(f["ios/s"]) * float(f["bytes"]) / 1e6
        rows.append([env, m.name, f.get("qd", "-"), f.get("ios", "-"), f.get("ios/s", "-"),
                     number(mbps, places=1), f.get("max_in_flight", "-"),
                     f.get("kicks/io", "-"), f.get("irqs/io", "-"), f.get("errors", "-"), host])
    return rows


def net_rows(env, metrics, host):
    rows = []
    for m in metrics:
        f = m.fields
        rows.append([env, m.name, f.get("payload", "-"), f.get("packets", "-"),
                     f.get("packets/s", "-"), f.get("kicks/packet", "-"),
                     f.get("irqs/packet", "-"), host])
    return rows


BLK_HEAD = ["env", "metric", "qd", "ios", "IOPS", "MB/s", "max_in_flight", "kicks/io",
            "irqs/io", "errors", "host"]
NET_HEAD = ["env", "metric", "payload", "packets", "packets/s", "kicks/packet",
            "irqs/packet", "host"]


def table(bench, per_env):
    """per_env: (env, metrics, host text, why none) tuples: lines of text,
    one row per metric, environment by environment; then a line for each
    environment without metrics, saying why."""
    head = BLK_HEAD if bench == "virtio-blk" else NET_HEAD
    rows_of = blk_rows if bench == "virtio-blk" else net_rows
    body, missing = [], []
    for env, metrics, host, why in per_env:
        if metrics:
            body += rows_of(env, metrics, host)
        else:
            missing.append("%s: %s" % (env, why))
    widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]
    return (["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [head] + body]
            + missing)
