# SPDX-License-Identifier: GPL-2.0
"""The console parser: what the guest (and QEMU, and Xen) said, line by line."""

import collections
import re
import sys

TAIL_LINES = 30

BANNER_RE = re.compile(r"proteus: boot=(\S+) hypervisor=(\S+) cpus=(\d+) mem=(\d+)MiB")
PV_RE = re.compile(r"^pv: backend=(\S+) sites=(\d+) inline=(\d+) direct=(\d+) "
                   r"nop=(\d+) indirect=(\d+) patch_us=(\d+)")
PV_FIELDS = ("backend", "sites", "inline", "direct", "nop", "indirect", "patch_us")
READY_RE = re.compile(r"proteus: ready in (\d+) us")
POWEROFF_RE = re.compile(r"proteus: poweroff status=(\d+)")
RESET_FALLBACK_RE = re.compile(r"power: still on after .*; resetting")
TAP_VERSION_RE = re.compile(r"TAP version (\d+)\s*$")
PLAN_RE = re.compile(r"1\.\.(\d+)\s*$")
RESULT_RE = re.compile(r"(not )?ok (\d+)(?: -)?(?: ([^#]*?))?\s*(?:#\s*(.*))?$")
TOTALS_RE = re.compile(r"# Totals: pass:(\d+) fail:(\d+) xfail:(\d+) xpass:(\d+) "
                       r"skip:(\d+) error:(\d+)")
XEN_NOTABLE_RE = re.compile(r"\bcrash|\bfault\b|Hardware Dom0|Could not|Presently")
# Terminal control sequences: OVMF and GRUB clear and paint the screen on
# the serial port (CSI sequences such as ESC [2J, ESC [=3h, ESC [0m).
ESCAPE_RE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")
# Firmware or bootloader that found nothing to boot, and waits (for a key,
# or forever): OVMF starting its UEFI shell, SeaBIOS's "No bootable
# device.", and as a prompt (no line end follows) GRUB's grub_abort().
FIRMWARE_STUCK_RE = re.compile(r'BdsDxe: starting \S+ "EFI Internal Shell"|'
                               r"No bootable device")
FIRMWARE_PROMPT_RE = re.compile(r"Aborted\. Press any key to exit\.$")

Result = collections.namedtuple("Result", "ok number name directive")


class Console:
    """What the guest (and QEMU, and Xen) said, parsed line by line.

    Terminal escape sequences (firmware and bootloaders paint the screen)
    are kept in the log and dropped from what is parsed and shown.

    Serial output under Xen mixes Xen's '(XEN) ...' lines with the guest's raw
    text; a guest line may be cut by a Xen line ('ok 3 (XEN) ...' and later
    'name'). Text before a '(XEN)' mark is kept and joined with the guest's
    next text, so the TAP parser sees whole guest lines only."""

    def __init__(self, log, echo=False):
        self.log = log
        self.echo = echo
        self.tail = collections.deque(maxlen=TAIL_LINES)
        self.partial = {"serial": b"", "stderr": b""}
        self.guest_pending = ""
        self.banner = None      # dict of the banner's fields (and the pv: line's)
        self.pv = None          # dict of the pv: line's fields
        self.ready_us = None
        self.status = None
        self.reset_fallback = None  # the guest could not power off and reset instead
        self.tap_version = None
        self.plan = None
        self.results = []
        self.totals = None
        self.panic = None       # the 'Kernel panic' line
        self.bench = []         # the guest's 'bench: ' lines (proteus_runner.bench)
        self.disk_lines = []    # 'virtio: blk ' and 'blk-pattern: ' lines (proteus_runner.disks)
        self.xen_lines = []     # notable '(XEN)' lines
        self.xen_dom0_done = False  # '(XEN) Hardware Dom0 ...' seen
        self.xen_recent = collections.deque(maxlen=4)  # for a panic's context
        self.xen_panic = []     # '(XEN) Panic on CPU': its message, then context
        self.xen_panic_done = False  # Xen's panic message is complete
        self.kvm_error = []     # QEMU's KVM internal error report
        self.firmware_stuck = None  # the firmware's line saying it found nothing to boot
        self.stderr = []
        self.watchers = []      # functions called with each guest line (proteus_runner.qmp)
        self.problems = []      # what the runner's own checks found wrong

    def note(self, text):
        """A line of the runner's own in the log."""
        self.log.write("[runner] %s\n" % text)

    def problem(self, text):
        """A check of the runner's failed: the verdict says so."""
        self.note("problem: " + text)
        self.problems.append(text)

    # Bytes in, lines out.
    def feed(self, stream, data):
        if self.echo:
            out = sys.stdout if stream == "serial" else sys.stderr
            out.buffer.write(data)
            out.flush()
        buf = self.partial[stream] + data
        *lines, self.partial[stream] = buf.split(b"\n")
        for raw in lines:
            self.line(stream, raw.decode("utf-8", "replace").replace("\r", ""))
        if stream == "serial":
            self.prompt(self.partial[stream])

    def finish(self):
        """End of output: take the unterminated last lines too."""
        for stream, rest in self.partial.items():
            if rest:
                self.line(stream, rest.decode("utf-8", "replace").replace("\r", ""))
            self.partial[stream] = b""
        if self.guest_pending:
            self.guest_line(self.guest_pending)
            self.guest_pending = ""

    def prompt(self, raw):
        """The unterminated last line: firmware waiting for a key? (Its
        line end may never come; a line that ends is checked in line().)"""
        if self.banner is not None or self.firmware_stuck is not None:
            return
        text = ESCAPE_RE.sub("", raw.decode("utf-8", "replace").replace("\r", "")).strip()
        if FIRMWARE_PROMPT_RE.search(text):
            self.firmware_stuck = text

    def line(self, stream, text):
        if stream == "stderr":
            self.log.write("[qemu stderr] %s\n" % text)
            self.qemu_stderr_line(text)
            return
        self.log.write(text + "\n")
        text = ESCAPE_RE.sub("", text)
        self.tail.append(text)
        if self.banner is None and self.firmware_stuck is None and (
                FIRMWARE_STUCK_RE.search(text) or FIRMWARE_PROMPT_RE.search(text.strip())):
            self.firmware_stuck = text.strip()
        mark = text.find("(XEN)")
        if mark < 0:
            self.guest_line(self.guest_pending + text)
            self.guest_pending = ""
        else:
            self.guest_pending += text[:mark]
            self.xen_line(text[mark:])

    def qemu_stderr_line(self, text):
        self.stderr.append(text)
        if "KVM internal error" in text or "emulation failure" in text:
            self.kvm_error.append(text.strip())
        elif self.kvm_error:
            # QEMU's register dump: the instruction pointer, and the code
            # bytes with the one at the instruction pointer in <>.
            m = re.search(r"\b[ER]IP=\S+|<[0-9a-f]{2}>(?: [0-9a-f]{2}){0,7}", text)
            if m:
                self.kvm_error.append(m.group(0).replace("<", "code at IP: <"))

    def xen_line(self, text):
        body = text[len("(XEN)"):].strip()
        if "Panic on CPU" in body:
            self.xen_panic = [body]
        elif self.xen_panic and not self.xen_panic_done:
            if "Reboot in" in body or "Manual reset" in body:
                self.xen_panic_done = True
            elif body and "****" not in body:
                self.xen_panic.append(body)
        else:
            if XEN_NOTABLE_RE.search(body):
                self.xen_lines.append(body)
            if body and "****" not in body:
                self.xen_recent.append(body)
        if "Hardware Dom0" in body:
            self.xen_dom0_done = True

    def guest_line(self, text):
        stripped = text.strip()
        m = PV_RE.search(stripped)
        if m and self.pv is None:
            self.pv = dict(zip(PV_FIELDS, m.groups()))
        m = BANNER_RE.search(stripped)
        if m and self.banner is None:
            self.banner = dict(zip(("boot", "hypervisor", "cpus", "mem"), m.groups()))
            self.banner.update(self.pv or {})
        m = READY_RE.search(stripped)
        if m and self.ready_us is None:
            self.ready_us = int(m.group(1))
        m = POWEROFF_RE.search(stripped)
        if m and self.status is None:
            self.status = int(m.group(1))
        if RESET_FALLBACK_RE.search(stripped) and self.reset_fallback is None:
            self.reset_fallback = stripped
        if stripped.startswith("Kernel panic") and self.panic is None:
            self.panic = stripped
        if stripped.startswith("bench: "):
            self.bench.append(stripped)
        for watch in self.watchers:
            watch(stripped)
        if stripped.startswith(("virtio: blk ", "blk-pattern: ")):
            self.disk_lines.append(stripped)
        # TAP lines start in column 0 (indented ones are nested subtests).
        self.tap_line(text.rstrip())

    def tap_line(self, text):
        m = TAP_VERSION_RE.match(text)
        if m:
            self.tap_version = int(m.group(1))
            return
        m = PLAN_RE.match(text)
        if m and self.plan is None:
            self.plan = int(m.group(1))
            return
        m = TOTALS_RE.match(text)
        if m:
            keys = ("pass", "fail", "xfail", "xpass", "skip", "error")
            self.totals = dict(zip(keys, map(int, m.groups())))
            return
        m = RESULT_RE.match(text)
        if m:
            directive = (m.group(4) or "").strip()
            self.results.append(Result(not m.group(1), int(m.group(2)),
                                       (m.group(3) or "").strip(), directive))

    # Counts of test cases.
    def skipped(self):
        return [r for r in self.results if r.directive.upper().startswith("SKIP")]

    def failed(self):
        return [r for r in self.results
                if not r.ok and not r.directive.upper().startswith("SKIP")]

    def counts(self):
        skip = len(self.skipped())
        fail = len(self.failed())
        return len(self.results) - skip - fail, fail, skip


# --- recorded logs ----------------------------------------------------------

# The keys of a runner log's header lines, '# <key>: <text>' (written by
# qemu.open_log, dropped by split_log): a header line with any other key
# would be taken for guest output.
LOG_HEADER_KEYS = ("environment", "image", "command", "stress")
LOG_HEADER_RE = re.compile(rb"# (%s): " % b"|".join(re.escape(k.encode()) for k in LOG_HEADER_KEYS))
LOG_END_RE = re.compile(rb"# QEMU exit code (-?\d+|None) \((\w+)\)")
STDERR_MARK = b"[qemu stderr] "


class RecordedLog(collections.namedtuple("RecordedLog", "serial stderr code ended")):
    """What QEMU said in a runner log (build/test-logs/<env>.log): the
    serial and stderr bytes, and from its last line QEMU's exit code and
    how the run ended (None when the log has no such line)."""


def split_log(data):
    """A runner log (bytes) as a RecordedLog: the header's '# ...' lines
    dropped, '[qemu stderr] ' lines to stderr, the rest to serial."""
    serial, stderr = [], []
    code = ended = None
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    header = True
    for line in lines:
        if header and LOG_HEADER_RE.match(line):
            continue
        header = False
        m = LOG_END_RE.match(line)
        if m:
            code = None if m.group(1) == b"None" else int(m.group(1))
            ended = m.group(2).decode()
            break
        if line.startswith(STDERR_MARK):
            stderr.append(line[len(STDERR_MARK):] + b"\n")
        else:
            serial.append(line + b"\n")
    return RecordedLog(b"".join(serial), b"".join(stderr), code, ended)
