# SPDX-License-Identifier: GPL-2.0
"""Where a hung guest is: every QEMU the runner starts has a human monitor
(HMP) on a unix socket in the boot's scratch directory; when a boot times
out, before QEMU is ended, the runner asks it for 'info registers -a'
SAMPLES times, SAMPLE_GAP seconds apart, and writes one line per vCPU per
sample after the log's verdict line:

  sample 1 cpu0 rip=0000000000212345 sched_clock+0x15 cpl=0 halted=1

Each RIP is named symbol+offset from build/vmlinux's symbols (the kernel
runs where it is linked); a RIP outside the kernel (in Xen, in firmware)
is said to be outside; a vCPU not in long mode shows its EIP ("eip=").
A spinning guest shows RIPs moving inside one loop, a halted one the same
RIP after its hlt (halted=1).

The monitor may not answer (QEMU wedged): all of it is capped at
MONITOR_CAP seconds, after which the block says so and QEMU is ended as
before."""

import bisect
import collections
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

from .qemu import ROOT

VMLINUX = "build/vmlinux"   # every image's kernel: the same link, symbols kept
SAMPLES = 3
SAMPLE_GAP = 0.1        # seconds between samples
MONITOR_CAP = 5.0       # seconds for connecting and every sample together
PROMPT = b"(qemu) "
BLOCK_BEGIN = ("# --- where the vCPUs were at the timeout "
               "(info registers -a, %d samples %d ms apart)")
BLOCK_END = "# --- end of vCPU samples"

CPU_RE = re.compile(r"^CPU#(\d+)", re.M)
IP_RE = re.compile(r"\b([RE]IP)=([0-9a-fA-F]+)")   # EIP: not in long mode
CPL_RE = re.compile(r"\bCPL=(\d)")
HLT_RE = re.compile(r"\bHLT=(\d)")
NM_RE = re.compile(r"^([0-9a-fA-F]+) (\w) (\S+)$")
TEXT_TYPES = "TtWw"
ABSOLUTE_TYPES = "aAU"   # not addresses in the kernel

VCpu = collections.namedtuple("VCpu", "cpu rip cpl halted ip_name")


class MonitorError(Exception):
    pass


# --- info registers ----------------------------------------------------------

def parse_registers(text):
    """The vCPUs in HMP's 'info registers' (or '-a') output, as VCpu
    tuples: cpu number, RIP, CPL (or None), halted (True, False or None
    where HMP does not say) and "RIP", or "EIP" for a vCPU not in long
    mode (an AP still waiting for its start-up IPI shows EIP=0000fff0).
    Output without 'CPU#n' lines is one vCPU, 0; a vCPU with neither
    register is left out."""
    parts = CPU_RE.split(text)
    if len(parts) == 1:
        chunks = [(0, text)]
    else:
        chunks = [(int(parts[i]), parts[i + 1]) for i in range(1, len(parts), 2)]
    cpus = []
    for cpu, chunk in chunks:
        ip = IP_RE.search(chunk)
        if not ip:
            continue
        cpl, hlt = CPL_RE.search(chunk), HLT_RE.search(chunk)
        cpus.append(VCpu(cpu, int(ip.group(2), 16),
                         int(cpl.group(1)) if cpl else None,
                         (hlt.group(1) == "1") if hlt else None, ip.group(1)))
    return cpus


# --- symbols -----------------------------------------------------------------

class Symbols:
    """A kernel's symbols (from 'nm -n'), to name addresses symbol+offset.
    The kernel spans _text to _end, or its lowest to its highest symbol
    where those markers are missing."""

    def __init__(self, nm_text):
        best, markers = {}, {}
        for line in nm_text.splitlines():
            m = NM_RE.match(line.strip())
            if not m or m.group(2) in ABSOLUTE_TYPES:
                continue
            addr, kind, name = int(m.group(1), 16), m.group(2), m.group(3)
            if name in ("_text", "_end"):
                markers[name] = addr
            # At one address, a function's name says more than a marker's.
            rank = (kind in TEXT_TYPES, not name.startswith("_"))
            if addr not in best or rank >= best[addr][0]:
                best[addr] = (rank, name)
        self.addrs = sorted(best)
        self.names = [best[a][1] for a in self.addrs]
        self.start = markers.get("_text", self.addrs[0] if self.addrs else 0)
        self.end = markers.get("_end", self.addrs[-1] + 1 if self.addrs else 0)

    @classmethod
    def from_file(cls, path):
        """The symbols of the ELF file path, or None (with why) if nm cannot read it."""
        try:
            out = subprocess.run(["nm", "-n", "--defined-only", path], capture_output=True,
                                 text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired) as e:
            return None, "nm %s: %s" % (path, e)
        if out.returncode != 0:
            return None, "nm %s: %s" % (path, out.stderr.strip() or "failed")
        return cls(out.stdout), None

    def name(self, addr):
        """'symbol+0xoff' for addr inside the kernel, or None outside it."""
        if not self.start <= addr < self.end:
            return None
        i = bisect.bisect_right(self.addrs, addr) - 1
        if i < 0:
            return None
        return "%s+0x%x" % (self.names[i], addr - self.addrs[i])


def describe(sample, cpu, symbols):
    """One summary line for vCPU cpu (a VCpu) in sample number sample."""
    where = symbols.name(cpu.rip) if symbols else None
    if where is None:
        where = "outside the kernel" if symbols else "(no symbols)"
    if cpu.ip_name == "RIP":
        ip = "rip=%016x" % cpu.rip
    else:
        ip = "eip=%08x" % cpu.rip
    words = ["sample %d cpu%d %s %s" % (sample, cpu.cpu, ip, where)]
    if cpu.cpl is not None:
        words.append("cpl=%d" % cpu.cpl)
    if cpu.halted is not None:
        words.append("halted=%d" % cpu.halted)
    return " ".join(words)


# --- the monitor -------------------------------------------------------------

class Monitor:
    """An HMP client over a unix socket; all its calls together end within
    cap seconds of its making, or raise MonitorError."""

    def __init__(self, path, cap):
        self.path = path
        self.cap = cap
        self.deadline = time.monotonic() + cap
        self.sock = None
        self.buf = b""

    def left(self):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise MonitorError("the monitor did not answer within %g s" % self.cap)
        return left

    def connect(self):
        while self.sock is None:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.settimeout(self.left())
                sock.connect(self.path)
                self.sock = sock
            except OSError as e:
                sock.close()
                if self.deadline - time.monotonic() < 0.1:
                    raise MonitorError("cannot connect to %s: %s" % (self.path, e))
                time.sleep(0.05)
        self.until_prompt()

    def until_prompt(self):
        """What the monitor says up to its next prompt."""
        while PROMPT not in self.buf:
            self.sock.settimeout(self.left())
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                raise MonitorError("the monitor did not answer within %g s" % self.cap)
            except OSError as e:
                raise MonitorError("reading the monitor: %s" % e)
            if not data:
                raise MonitorError("QEMU closed the monitor socket")
            self.buf += data
        text, self.buf = self.buf.split(PROMPT, 1)
        return text.decode("utf-8", "replace").replace("\r", "")

    def command(self, line):
        if self.sock is None:
            self.connect()
        self.sock.settimeout(self.left())
        try:
            self.sock.sendall(line.encode() + b"\n", socket.MSG_NOSIGNAL)
        except OSError as e:
            raise MonitorError("writing to the monitor: %s" % e)
        return self.until_prompt()

    def close(self):
        if self.sock is not None:
            self.sock.close()


def sample_vcpus(path, symbols, samples=SAMPLES, gap=SAMPLE_GAP, cap=MONITOR_CAP):
    """The block's lines: samples of 'info registers -a' from the monitor
    at path, gap seconds apart, all within cap seconds."""
    lines = [BLOCK_BEGIN % (samples, gap * 1000)]
    monitor = Monitor(path, cap)
    try:
        for k in range(1, samples + 1):
            if k > 1:
                time.sleep(gap)
            cpus = parse_registers(monitor.command("info registers -a"))
            if not cpus:
                lines.append("# sample %d: no RIP in the monitor's answer" % k)
            lines += ["# " + describe(k, cpu, symbols) for cpu in cpus]
    except MonitorError as e:
        lines.append("# %s; ending QEMU" % e)
    finally:
        monitor.close()
    return lines + [BLOCK_END]


class HangProbe:
    """One boot's monitor socket (in a scratch directory of its own) and,
    after a timeout, the vCPU samples for its log."""

    def __init__(self, vmlinux=os.path.join(ROOT, VMLINUX)):
        self.dir = tempfile.mkdtemp(prefix="proteus-mon-")
        self.path = os.path.join(self.dir, "monitor.sock")
        self.vmlinux = vmlinux
        self.lines = []

    def monitor_arg(self):
        """QEMU's -monitor argument for this socket."""
        return "unix:%s,server=on,wait=off" % self.path

    def sample(self):
        """Called on a timeout while QEMU still runs."""
        symbols, why = Symbols.from_file(self.vmlinux)
        self.lines = sample_vcpus(self.path, symbols)
        if why:
            self.lines.insert(1, "# RIPs unnamed: %s" % why)

    def log_text(self):
        return "".join(line + "\n" for line in self.lines)

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)
