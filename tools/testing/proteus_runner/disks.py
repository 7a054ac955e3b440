# SPDX-License-Identifier: GPL-2.0
"""virtio-blk disks for a boot: a raw image per disk, made fresh for each
boot, and after poweroff the check that the image holds what the guest
says it wrote.

An environment's "disks" field lists Disk tuples. A disk with mib > 0
gets the pattern: the selftest blk.whole_disk writes it over every
sector and prints 'blk-pattern: NAME serial=ID sectors=N seed=0x...';
here the same pattern is recomputed from that seed and compared with the
image byte for byte. Word j (little-endian u64) of sector s is
seed ^ (s * PATTERN_K mod 2^64) ^ j (tools/testing/selftests/virtio_blk.c).
A disk whose fails is set is a hostile case (0 bytes, a queue size the
driver cannot take): the guest must say its device FAILED, for that
reason ('virtio: blk NAME MODE: ...REASON...; status FAILED'), NAME its
PCI address when the device string places it (addr=0xSLOT on bus 0), so
the line is the disk's own. One that must work and is placed gets its
boot line ('virtio: blk NAME MODE ... queues=N'), followed by
'ring=packed' when its device offers the packed ring (packed=on).

Images live in build/disks/ and are removed after a boot that passed;
a failing boot keeps them for a look."""

import collections
import os
import re
import struct

from .qemu import ROOT

DISK_DIR = "build/disks"
SECTOR = 512
PATTERN_K = 0x9e3779b97f4a7c15
MASK64 = (1 << 64) - 1
# The word index j in every u64 of a sector, as one 512-byte integer.
_WORD_INDEX = int.from_bytes(b"".join(struct.pack("<Q", j) for j in range(SECTOR // 8)),
                             "little")

PATTERN_RE = re.compile(r"^blk-pattern: (\S+) serial=(\S*) sectors=(\d+) seed=(0x[0-9a-f]+|0)$")
ADDR_RE = re.compile(r"(?:^|,)addr=(0x[0-9a-f]+|[0-9]+)(?:\.([0-7]))?(?:,|$)")
# The selftest whose passing promises a blk-pattern line for every disk.
WHOLE_DISK_TEST = "blk.whole_disk"

Disk = collections.namedtuple("Disk", "serial mib device fails drive filled",
                              defaults=(None, "", False))
Disk.__doc__ = """A disk: its serial (what GET_ID answers), its size in MiB, the QEMU
device with its options, without drive= and serial= (e.g.
'virtio-blk-pci,disable-legacy=on,num-queues=2'), and fails: None for a
disk that must work, else the text its device's FAILED line must carry
(e.g. 'capacity 0 sectors' for an empty one), more -drive options
('cache=none,aio=native'), and whether the image is filled with data
(fill_image) rather than left sparse."""
FILL_BLOCK = 1 << 20


def device_name(disk):
    """The guest's name for the disk's device ('0000:00:10.0') when its
    device string places it with addr=, else None."""
    m = ADDR_RE.search(disk.device)
    if not m:
        return None
    return "0000:00:%02x.%s" % (int(m.group(1), 0), m.group(2) or "0")


def failed_line_re(disk):
    name = device_name(disk)
    return re.compile(r"^virtio: blk %s \S+: .*%s.*; status FAILED$"
                      % (re.escape(name) if name else r"\S+", re.escape(disk.fails)))


def packed(disk):
    """Whether the disk's device offers the packed ring (packed=on): its
    boot line must then say ring=packed."""
    return re.search(r"(?:^|,)packed=on(?:,|$)", disk.device) is not None


def running_line_re(disk):
    return re.compile(r"^virtio: blk %s \S+ .*queues=\d+ %s" % (
        re.escape(device_name(disk)), "ring=packed" if packed(disk) else ""))


def expectation_reasons(disk, path, lines):
    """Why a hostile disk has no FAILED line for its reason, or a placed
    disk that must work no boot line ([] if neither)."""
    if disk.fails is not None:
        if any(failed_line_re(disk).match(line) for line in lines):
            return []
        return ["disk '%s' (%s, %s): no line saying its device%s FAILED for '%s'"
                % (disk.serial, path, disk.device,
                   " " + device_name(disk) if device_name(disk) else "", disk.fails)]
    if device_name(disk) and not any(running_line_re(disk).match(line) for line in lines):
        return ["disk '%s' (%s, %s): no boot line for its device %s: it must work%s"
                % (disk.serial, path, disk.device, device_name(disk),
                   ", on the packed ring" if packed(disk) else "")]
    return []


def image_path(label, disk):
    return os.path.join(ROOT, DISK_DIR, "%s.%s.img" % (label.replace(" ", "-").replace("/", "of"),
                                                       disk.serial))


def make_images(label, disks):
    """A fresh zero-filled image per disk (sparse): {serial: path}."""
    os.makedirs(os.path.join(ROOT, DISK_DIR), exist_ok=True)
    paths = {}
    for disk in disks:
        path = image_path(label, disk)
        if disk.filled:
            fill_image(path, disk.mib)
        else:
            with open(path, "wb") as f:
                f.truncate(disk.mib << 20)
        paths[disk.serial] = path
    return paths


def fill_image(path, mib):
    """mib MiB of data: one 1 MiB block of bytes from a fixed formula,
    repeated (a benchmark's reads of holes would cost the host nothing)."""
    block = bytes((i * 2654435761 >> 13) & 0xff for i in range(FILL_BLOCK))
    with open(path, "wb") as f:
        for _ in range(mib):
            f.write(block)


def qemu_args(disks, paths):
    """-drive and -device for each disk (discard=unmap: the guest's
    discards reach the image)."""
    args = []
    for n, disk in enumerate(disks):
        args += ["-drive", "file=%s,if=none,format=raw,id=blk%d,discard=unmap%s"
                 % (paths[disk.serial], n, "," + disk.drive if disk.drive else ""),
                 "-device", "%s,drive=blk%d,serial=%s" % (disk.device, n, disk.serial)]
    return args


def remove_images(paths):
    for path in paths.values():
        try:
            os.remove(path)
        except OSError:
            pass


def pattern_sector(seed, sector):
    """The 512 bytes the guest writes to sector under seed."""
    v = (seed ^ (sector * PATTERN_K)) & MASK64
    words = int.from_bytes(struct.pack("<Q", v) * (SECTOR // 8), "little")
    return (words ^ _WORD_INDEX).to_bytes(SECTOR, "little")


def first_mismatch(path, seed, sectors):
    """The first sector of the image at path that is not the pattern, or
    None; the size must be sectors whole sectors (else -1)."""
    if os.path.getsize(path) != sectors * SECTOR:
        return -1
    with open(path, "rb") as f:
        for s in range(sectors):
            if f.read(SECTOR) != pattern_sector(seed, s):
                return s
    return None


def pattern_lines(lines):
    """{serial: (name, sectors, seed)} from the guest's blk-pattern lines."""
    found = {}
    for line in lines:
        m = PATTERN_RE.match(line)
        if m:
            found[m.group(2)] = (m.group(1), int(m.group(3)), int(m.group(4), 16))
    return found


def check(disks, paths, lines, results):
    """Reasons the images or the guest's lines are wrong ([] if none).
    lines: the guest's disk lines (Console.disk_lines); results: its TAP
    results (Console.results)."""
    reasons = []
    written = pattern_lines(lines)
    whole_disk_passed = any(r.ok and r.name == WHOLE_DISK_TEST and not r.directive
                            for r in results)
    for disk in disks:
        path = os.path.relpath(paths[disk.serial], ROOT)
        reasons += expectation_reasons(disk, path, lines)
        if disk.fails is not None:
            continue
        if disk.serial not in written:
            if whole_disk_passed:
                reasons.append("disk '%s' (%s): %s passed but the guest printed no "
                               "blk-pattern line for it" % (disk.serial, path, WHOLE_DISK_TEST))
            continue
        name, sectors, seed = written[disk.serial]
        bad = first_mismatch(paths[disk.serial], seed, sectors)
        if bad == -1:
            reasons.append("disk '%s' (%s): %d bytes, but the guest wrote %d sectors"
                           % (disk.serial, path, os.path.getsize(paths[disk.serial]), sectors))
        elif bad is not None:
            reasons.append("disk '%s' (%s, %s in the guest): sector %d of the image is not "
                           "the pattern the guest wrote (seed %#x): data lost"
                           % (disk.serial, path, name, bad, seed))
    return reasons
