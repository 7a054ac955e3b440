# SPDX-License-Identifier: GPL-2.0
"""QMP, QEMU's monitor protocol, for environments that ask for it ("qmp":
True): a client over a unix socket, and the balloon driver that answers the
guest's balloon.follows_num_pages test.

The driver follows the guest's lines; each of its QMP commands comes while
the guest waits for what it does (the guest moves on, and may power off,
only once QEMU has acted):
  balloon: ready pages=P actual=A   read query-balloon (the RAM QEMU sees),
                                    ask for BALLOON_STEP_MIB less
  balloon: inflated actual=N        query-balloon must say RAM - N pages;
                                    ask for all the RAM back
  balloon: deflated actual=N        query-balloon must say RAM - N pages;
                                    qom-get guest-stats must hold plausible
                                    free and total memory (the guest's first
                                    stats buffer); then set
                                    guest-stats-polling-interval to 1 s
  balloon: stats answered=K         K must be at least 1 (no QMP)
Each QMP answer is noted in the log ("[runner] qmp: ..."); a wrong one is a
problem the verdict reports (Console.problems)."""

import json
import os
import re
import socket
import tempfile
import time

BALLOON_STEP_MIB = 16
BALLOON_ID = "balloon0"
PAGE = 4096
QMP_TIMEOUT = 10.0

BALLOON_RE = re.compile(r"^balloon: (ready|inflated|deflated|stats) .*?(?:actual|answered)=(\d+)")


class QMPError(Exception):
    pass


class QMP:
    """A QMP client: connect (with capabilities negotiated), command()."""

    def __init__(self, path):
        self.path = path
        self.sock = None
        self.buf = b""

    def connect(self):
        deadline = time.monotonic() + QMP_TIMEOUT
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.settimeout(QMP_TIMEOUT)
                self.sock.connect(self.path)
                break
            except OSError as e:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise QMPError("cannot connect to %s: %s" % (self.path, e))
                time.sleep(0.1)
        if "QMP" not in self.message():
            raise QMPError("no QMP greeting")
        self.command("qmp_capabilities")

    def message(self):
        while b"\n" not in self.buf:
            try:
                data = self.sock.recv(65536)
            except OSError as e:
                raise QMPError("reading: %s" % e)
            if not data:
                raise QMPError("QEMU closed the QMP socket")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def command(self, name, **args):
        """The command's 'return' value; events on the way are skipped."""
        if self.sock is None:
            self.connect()
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            reply = self.message()
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise QMPError("%s: %s" % (name, reply["error"].get("desc", reply["error"])))

    def close(self):
        if self.sock is not None:
            self.sock.close()


class QMPSession:
    """A socket path for QEMU's -qmp, and the watchers of the guest's lines."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="proteus-qmp-")
        self.path = os.path.join(self.dir, "qmp.sock")
        self.qmp = QMP(self.path)

    def attach(self, console):
        console.watchers.append(BalloonDriver(self.qmp, console).guest_line)

    def qemu_args(self):
        return ["-qmp", "unix:%s,server=on,wait=off" % self.path]

    def close(self):
        self.qmp.close()
        for name in os.listdir(self.dir):
            os.unlink(os.path.join(self.dir, name))
        os.rmdir(self.dir)


class BalloonDriver:
    """Drives the guest's balloon test over QMP (see the module's doc)."""

    def __init__(self, qmp, console):
        self.qmp = qmp
        self.console = console
        self.ram = None         # bytes QEMU reports with the balloon empty

    def note(self, text):
        self.console.note("qmp: " + text)

    def guest_line(self, text):
        m = BALLOON_RE.match(text)
        if not m:
            return
        try:
            getattr(self, m.group(1))(int(m.group(2)))
        except QMPError as e:
            self.console.problem("balloon over QMP: %s" % e)

    def ready(self, actual):
        self.ram = self.qmp.command("query-balloon")["actual"] + actual * PAGE
        target = self.ram - BALLOON_STEP_MIB * 1024 * 1024
        self.note("query-balloon RAM %d MiB; balloon %d MiB" % (self.ram >> 20, target >> 20))
        self.qmp.command("balloon", value=target)

    def check_actual(self, when, pages):
        if self.ram is None:
            raise QMPError("'%s' before 'ready'" % when)
        got = self.qmp.command("query-balloon")["actual"]
        want = self.ram - pages * PAGE
        self.note("query-balloon after %s: %d bytes (%d MiB); guest holds %d pages"
                  % (when, got, got >> 20, pages))
        if got != want:
            self.console.problem("query-balloon after %s says %d bytes, the guest's actual "
                                 "%d pages means %d" % (when, got, pages, want))

    def inflated(self, actual):
        self.check_actual("inflate", actual)
        self.qmp.command("balloon", value=self.ram)

    def deflated(self, actual):
        self.check_actual("deflate", actual)
        path = "/machine/peripheral/" + BALLOON_ID
        got = self.qmp.command("qom-get", path=path, property="guest-stats")
        figures = got.get("stats", {})
        free, total = figures.get("stat-free-memory", -1), figures.get("stat-total-memory", -1)
        self.note("guest-stats: free %d, total %d, last-update %s"
                  % (free, total, got.get("last-update")))
        if not 0 < free <= total:
            self.console.problem("guest-stats free %d, total %d: not the guest's figures"
                                 % (free, total))
        self.qmp.command("qom-set", path=path, property="guest-stats-polling-interval",
                         value=1)

    def stats(self, answered):
        self.note("the guest answered %d stats requests" % answered)
        if answered < 1:
            self.console.problem("the guest answered no stats request "
                                 "(guest-stats-polling-interval is 1 s)")
