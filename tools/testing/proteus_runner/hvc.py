# SPDX-License-Identifier: GPL-2.0
"""virtio-console ports as files: the QEMU arguments for a virtio-serial
device with a virtconsole on port 0 and a named port 1, each writing into
a chardev file beside the boot's log (build/test-logs/<log>.hvc0 and
.port1), and the check after poweroff that the files hold what the guest
says it wrote.

The guest's virtio.console_ports test writes "proteus nonce N port P" to
each port and names it on the main console:
    # virtio-console: wrote "proteus nonce N port P" to port P (NAME or unnamed)
The check wants that line, whole on a line of its own (with console=hvc0
port 0 also gets the printk line above, which quotes it), in the file of
every port the runner gave,
and, when the kernel ran with console=hvc0, the selftest summary
('# Totals: ...') in port 0's file too. A boot where the test did not run
(a selftest= filter) is not checked."""

import os
import re

# (port number, file suffix, name given to QEMU; None: the virtconsole)
PORTS = [(0, "hvc0", None), (1, "port1", "org.proteus.test")]
TEST = "virtio.console_ports"

WROTE_RE = re.compile(r'# virtio-console: wrote "(proteus nonce [0-9a-f]{16} port (\d+))" '
                      r'to port (\d+)')
TOTALS_RE = re.compile(r"^# Totals: pass:\d+ ", re.M)


def port_path(base, suffix):
    return "%s.%s" % (base, suffix)


def qemu_args(props, base):
    """-device/-chardev arguments: a virtio-serial-pci with the given
    properties (a list such as ["disable-legacy=on"]; a first item without
    '=' names another device instead, e.g. "virtio-serial-device" over
    virtio-mmio) and the ports of PORTS into files named after base (a
    log's path without '.log'); old files are removed so a stale one
    cannot pass."""
    props = list(props)
    device = props.pop(0) if props and "=" not in props[0] else "virtio-serial-pci"
    args = ["-device", ",".join([device] + props)]
    for nr, suffix, name in PORTS:
        path = port_path(base, suffix)
        if os.path.exists(path):
            os.remove(path)
        args += ["-chardev", "file,id=vc%d,path=%s" % (nr, path)]
        if name is None:
            args += ["-device", "virtconsole,chardev=vc%d,nr=%d" % (nr, nr)]
        else:
            args += ["-device", "virtserialport,chardev=vc%d,nr=%d,name=%s" % (nr, nr, name)]
    return args


def read_port(base, suffix):
    try:
        with open(port_path(base, suffix), encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def check(serial, results, base, mirrored):
    """Reasons the port files disagree with the guest (empty: they agree).
    serial: the guest's main console text; results: its TAP results
    (console.Result); mirrored: the kernel ran with console=hvc0."""
    ran = [r for r in results if r.name == TEST]
    if not ran:
        return []
    if ran[0].directive.upper().startswith("SKIP"):
        return ["%s skipped (%s) though the runner gave a virtio-console device"
                % (TEST, ran[0].directive)]
    wrote = {int(m.group(2)): m.group(1) for m in WROTE_RE.finditer(serial)
             if m.group(2) == m.group(3)}
    why = []
    for nr, suffix, name in PORTS:
        text = read_port(base, suffix)
        label = "port %d (%s)" % (nr, name or "virtconsole")
        if nr not in wrote:
            why.append("the guest wrote no nonce line to %s" % label)
        elif text is None:
            why.append("%s: no file %s" % (label, port_path(base, suffix)))
        elif wrote[nr] not in text.splitlines():
            why.append("%s: %s lacks the guest's line %r"
                       % (label, os.path.basename(port_path(base, suffix)), wrote[nr]))
    if mirrored:
        text = read_port(base, PORTS[0][1]) or ""
        if not TOTALS_RE.search(text):
            why.append("console=hvc0, but %s lacks the '# Totals:' summary line"
                       % os.path.basename(port_path(base, PORTS[0][1])))
    return why
