# SPDX-License-Identifier: GPL-2.0
"""QEMU command lines, host requirements, running QEMU to its end, logs."""

import hashlib
import os
import re
import selectors
import shlex
import signal
import struct
import subprocess
import threading
import time

from . import firmware
from .console import LOG_HEADER_KEYS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
QEMU = "qemu-system-x86_64"
QBOOT = "/usr/share/qemu/qboot.rom"
XEN_IMAGE = "build/xen/xen"
LOG_DIR = "build/test-logs"
# The known file some environments pass as a boot module (boot_module_bytes).
BOOT_MODULE = "build/bootmod.bin"
BOOT_MODULE_MAGIC = b"PROTEUSM"
BOOT_MODULE_SEED = 0x2545f491
BOOT_MODULE_LENGTH = 40009      # not a whole number of pages

# Seconds QEMU may keep running once the guest is done with it.
GRACE_QEMU_EXIT = 10.0  # after 'poweroff status=' or a panic: isa-debug-exit follows
GRACE_XEN = 1.0         # after the guest's status line, for Xen's last words
GRACE_XEN_DONE = 0.2    # after '(XEN) Hardware Dom0 ...' or a Xen panic: we end QEMU
GRACE_KVM_ERROR = 1.0   # QEMU stops the VM and waits forever after a KVM internal error
GRACE_FIRMWARE = 2.0    # the firmware found nothing to boot: it would wait for ever

XEN_COMMAND_LINE = ("console=com1 com1=115200,8n1 dom0_mem={mem}M "
                    "loglvl=all guest_loglvl=all")


# --- prerequisites ----------------------------------------------------------

def kvm_problem():
    """Why /dev/kvm cannot be used, or None."""
    if not os.path.exists("/dev/kvm"):
        return "/dev/kvm does not exist"
    try:
        os.close(os.open("/dev/kvm", os.O_RDWR))
    except OSError as e:
        return "cannot open /dev/kvm read/write: %s" % e.strerror
    return None


def qboot_problem():
    if not os.path.exists(QBOOT):
        return "%s missing (package qemu-system-data)" % QBOOT
    return None


def xen_problem():
    if not os.path.exists(os.path.join(ROOT, XEN_IMAGE)):
        return "%s missing (run: make deps)" % XEN_IMAGE
    return None


REQUIREMENTS = {"kvm": kvm_problem, "qboot": qboot_problem, "xen": xen_problem,
                "grub-bios": firmware.grub_bios_problem,
                "grub-efi": firmware.grub_efi_problem, "ovmf": firmware.ovmf_problem,
                "mtools": firmware.mtools_problem}


def skip_reason(env):
    """The first unmet requirement of env, or None."""
    for name in env["requires"]:
        problem = REQUIREMENTS[name]()
        if problem:
            return problem
    return None


def cpu_has_hw_virt():
    try:
        with open("/proc/cpuinfo") as f:
            text = f.read()
    except OSError:
        return False
    return re.search(r"^flags\s*:.*\b(vmx|svm)\b", text, re.M) is not None


# --- command lines ----------------------------------------------------------

def kernel_command_line(env, user_args, host_args):
    """The kernel's command line: host facts (host_args, from the runner's
    host_kernel_args), the env's own arguments, then the user's.

    An argument holding spaces is quoted as key="value", which the kernel's
    command line parser understands."""
    words = list(host_args) + env["kernel_args"].split()
    for arg in user_args:
        if re.search(r"\s", arg):
            key, eq, value = arg.partition("=")
            arg = '%s="%s"' % (key, value) if eq else '"%s"' % arg
        words.append(arg)
    return " ".join(words)


def qemu_base(env, mem, monitor):
    cmd = [QEMU, "-M", env["machine"], "-accel", env["accel"], "-cpu", env["cpu"]]
    if env["bios"]:
        cmd += ["-bios", env["bios"]]
    cmd += firmware.firmware_args(ROOT, env)
    cmd += ["-m", "%dM" % mem, "-smp", str(env["smp"]),
            "-display", "none", "-no-reboot", "-monitor", monitor, "-serial", "stdio"]
    return cmd + list(env["qemu_args"])


def boot_module_bytes():
    """The boot module of environments with boot_module set, which the
    selftest bootinfo.modules_in_memory checks byte for byte: a 16-byte
    header (magic, payload length, FNV-1a 32 of the payload; little
    endian), then payload byte i is the low byte of x_i, where x_0 is
    BOOT_MODULE_SEED and each next x is xorshift32 of the one before."""
    x, payload = BOOT_MODULE_SEED, bytearray(BOOT_MODULE_LENGTH)
    for i in range(BOOT_MODULE_LENGTH):
        payload[i] = x & 0xff
        x ^= (x << 13) & 0xffffffff
        x ^= x >> 17
        x ^= (x << 5) & 0xffffffff
    fnv = 0x811c9dc5
    for b in payload:
        fnv = ((fnv ^ b) * 16777619) & 0xffffffff
    return BOOT_MODULE_MAGIC + struct.pack("<II", len(payload), fnv) + bytes(payload)


def write_boot_module():
    """(Re)write BOOT_MODULE unless it holds the right bytes; atomically,
    as another run may be booting with it."""
    path = os.path.join(ROOT, BOOT_MODULE)
    data = boot_module_bytes()
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return
    except OSError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp.%d" % os.getpid(), "wb") as f:
        f.write(data)
    os.replace(f.name, path)


def qemu_command(env, cmdline, monitor="none"):
    """The QEMU command line that boots env, with its human monitor on
    monitor (a -monitor argument: hang.HangProbe's socket, or none)."""
    if env.get("boot_module"):
        write_boot_module()
    if env["kind"] == "xen":
        xen_cmdline = XEN_COMMAND_LINE.format(mem=env["mem"])
        if env["xen_args"]:
            xen_cmdline += " " + env["xen_args"]
        # QEMU splits multiboot modules at ','; ',,' is a literal comma.
        module = " ".join(w for w in (env["image"], cmdline) if w).replace(",", ",,")
        if env.get("boot_module"):
            module += "," + BOOT_MODULE
        return qemu_base(env, env["machine_mem"], monitor) + [
            "-kernel", XEN_IMAGE, "-append", xen_cmdline, "-initrd", module]
    module = BOOT_MODULE if env.get("boot_module") else None
    if env.get("grub"):
        load = firmware.grub_args(ROOT, env, cmdline, module)
    elif env.get("esp"):
        load = firmware.esp_args(ROOT, env)
    else:
        load = ["-kernel", env["image"], "-append", cmdline]
        load += ["-initrd", module] if module else []
    debug_exit = ["-device", "isa-debug-exit"] if env["debug_exit"] else []
    return qemu_base(env, env["mem"], monitor) + debug_exit + load


_sha256_cache = {}


def sha256_of(path):
    if path not in _sha256_cache:
        h = hashlib.sha256()
        with open(os.path.join(ROOT, path), "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        _sha256_cache[path] = h.hexdigest()
    return _sha256_cache[path]


# --- running QEMU -----------------------------------------------------------

def die_with_parent():
    """In the child: get SIGKILL when the runner dies, so no QEMU is left over."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def start_qemu(cmd, serial_input=False):
    """QEMU, its serial output piped to us; its serial input too when
    serial_input (Xen's console, for its debug keys on a timeout)."""
    stdin = subprocess.PIPE if serial_input else subprocess.DEVNULL
    return subprocess.Popen(cmd, cwd=ROOT, stdin=stdin,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=die_with_parent)


# Ctrl-A three times hands Xen's serial console input to Xen itself; then
# its debug keys: 'q' domains and their vCPUs (upcall pending and mask),
# '0' dom0's vCPU registers, 'e' event channels (pending, masked, which
# vCPU each notifies), 'a' timer queues (a vCPU's singleshot timer armed
# or not). What a guest halted for good was waiting for.
XEN_DEBUG_KEYS = [b"\x01\x01\x01", b"q", b"0", b"e", b"a"]
XEN_DEBUG_GAP = 0.3
XEN_DEBUG_SETTLE = 4.0


def xen_debug_keys(proc):
    """Type Xen's debug keys on its console, a pause after each."""
    try:
        for key in XEN_DEBUG_KEYS:
            proc.stdin.write(key)
            proc.stdin.flush()
            time.sleep(XEN_DEBUG_GAP)
        time.sleep(XEN_DEBUG_SETTLE)
    except (BrokenPipeError, OSError, ValueError):
        pass


def end_process(proc):
    """Ask QEMU to quit (SIGTERM), then insist."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=3)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def grace_after(env, console):
    """Seconds QEMU may still run now that the guest is done, or None."""
    if console.kvm_error:
        return GRACE_KVM_ERROR
    if console.firmware_stuck:
        return GRACE_FIRMWARE
    if env["kind"] == "xen":
        if console.xen_dom0_done or console.xen_panic_done:
            return GRACE_XEN_DONE
        if console.status is not None or console.xen_panic:
            return GRACE_XEN
    if console.status is not None or console.panic:
        return GRACE_QEMU_EXIT
    return None


def pump(proc, console, until):
    """Feed QEMU's output to console until both pipes close or until() says
    stop (it returns a reason, or None to go on). Returns that reason."""
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, "serial")
    sel.register(proc.stderr, selectors.EVENT_READ, "stderr")
    try:
        while sel.get_map():
            reason, wait = until()
            if reason:
                return reason
            for key, _ in sel.select(timeout=wait):
                data = os.read(key.fd, 65536)
                if data:
                    console.feed(key.data, data)
                else:
                    sel.unregister(key.fileobj)
        return None
    finally:
        sel.close()


def drain(proc, console, seconds=2.0):
    """Whatever QEMU said while quitting."""
    limit = time.monotonic() + seconds

    def until():
        left = limit - time.monotonic()
        return ("drained" if left <= 0 else None), max(left, 0)
    pump(proc, console, until)


def run_beside(proc, console, work):
    """Run work() in a thread while still reading QEMU's output, so that
    a guest filling the serial pipe cannot stall QEMU meanwhile."""
    thread = threading.Thread(target=work, daemon=True)
    thread.start()

    def until():
        return (None if thread.is_alive() else "done"), 0.05
    pump(proc, console, until)
    thread.join()


def run_qemu(env, cmd, console, timeout, on_timeout=None):
    """Run cmd to its end. Returns (exit code, how it ended, wall seconds).

    How it ended: "exit" (QEMU quit by itself), "stopped" (the guest was done
    and the runner ended QEMU) or "timeout". On a timeout, on_timeout() (if
    given) runs while QEMU still does, before the runner ends it; under Xen
    the runner then types Xen's debug keys (XEN_DEBUG_KEYS) on its console."""
    start = time.monotonic()
    deadline = start + timeout if timeout else None
    state = {"stop_at": None}

    def until():
        now = time.monotonic()
        grace = grace_after(env, console)
        if grace is not None and (state["stop_at"] is None
                                  or now + grace < state["stop_at"]):
            state["stop_at"] = now + grace
        limit = state["stop_at"] or deadline
        if limit is None:
            return None, None
        if now >= limit:
            return ("stopped" if state["stop_at"] else "timeout"), None
        return None, limit - now

    xen = env.get("kind") == "xen"
    proc = start_qemu(cmd, serial_input=xen)
    try:
        ended = pump(proc, console, until)
        if ended is None:
            try:
                proc.wait(timeout=5)
                ended = "exit"
            except subprocess.TimeoutExpired:
                ended = "stopped"
        if ended == "timeout" and on_timeout:
            run_beside(proc, console, on_timeout)
        if ended == "timeout" and xen:
            run_beside(proc, console, lambda: xen_debug_keys(proc))
        end_process(proc)
        drain(proc, console)
    finally:
        end_process(proc)
        console.finish()
    return proc.returncode, ended, time.monotonic() - start


# --- logs -------------------------------------------------------------------

def log_path(name):
    return os.path.join(ROOT, LOG_DIR, name + ".log")


def boot_log_name(name, repeat):
    """The log's name for a boot of environment name: name itself, or
    name.k for the k-th of several boots (repeat: (k, N), or None)."""
    return name if repeat is None else "%s.%d" % (name, repeat[0])


def open_log(name, env, cmd, sha, notes=()):
    """build/test-logs/<name>.log, opened for writing, with its header:
    the environment, the image, the command, then any notes, (key, text)
    pairs whose key is one of console.LOG_HEADER_KEYS (which the log's
    reader, console.split_log, tells from guest output)."""
    header = [("environment", "%s (%s)" % (env["name"], env["about"])),
              ("image", "%s sha256:%s" % (env["image"], sha)),
              ("command", shlex.join(cmd))] + list(notes)
    for key, _ in header:
        if key not in LOG_HEADER_KEYS:
            raise ValueError("log header key %r is not in console.LOG_HEADER_KEYS" % key)
    os.makedirs(os.path.join(ROOT, LOG_DIR), exist_ok=True)
    log = open(log_path(name), "w", encoding="utf-8", errors="replace")
    for key, text in header:
        log.write("# %s: %s\n" % (key, text))
    log.flush()
    return log


def on_sigterm(signum, frame):
    """SIGTERM ends the run as an exception would: every 'finally' runs."""
    raise SystemExit(128 + signum)
