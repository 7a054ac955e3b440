# SPDX-License-Identifier: GPL-2.0
"""The virtio-blk image check (proteus_runner.disks): an image holding the
guest's pattern passes; a corrupted, short or unwritten one, or an empty
disk the guest did not fail, is reported with a reason naming it."""

import io

from proteus_runner import disks
from proteus_runner.console import Console, Result
from proteus_runner.disks import Disk

SEED = 0x424dd5c1254e0ef7
SECTORS = 64
D0 = Disk("d0", 1, "virtio-blk-pci")
EMPTY = Disk("empty", 0, "virtio-blk-pci", "capacity 0 sectors")
WHOLE_DISK_OK = [Result(True, 1, "blk.whole_disk", "")]
GUEST = ("virtio: blk 0000:00:06.0 modern queues=2 ring=split capacity=64\n"
         "virtio: blk 0000:00:07.0 modern: capacity 0 sectors: an empty disk; status FAILED\n"
         "blk-pattern: 0000:00:06.0 serial=d0 sectors=64 seed=%#x\n"
         "ok 1 blk.whole_disk\n" % SEED)


def guest_lines(text=GUEST):
    console = Console(io.StringIO())
    console.feed("serial", text.encode())
    console.finish()
    return console.disk_lines, console.results


def image(tmp_path, data):
    path = tmp_path / "d0.img"
    path.write_bytes(data)
    return {"d0": str(path), "empty": str(tmp_path / "empty.img")}


def pattern(sectors=SECTORS):
    return b"".join(disks.pattern_sector(SEED, s) for s in range(sectors))


def test_pattern_matches_the_guest_formula():
    # Word j of sector s: seed ^ (s * K mod 2^64) ^ j, little-endian.
    data = disks.pattern_sector(SEED, 3)
    word5 = int.from_bytes(data[40:48], "little")
    assert word5 == SEED ^ ((3 * disks.PATTERN_K) & disks.MASK64) ^ 5
    assert disks.pattern_sector(SEED, 3) != disks.pattern_sector(SEED, 4)
    assert disks.pattern_sector(SEED, 3) != disks.pattern_sector(SEED ^ 1, 3)


def test_console_keeps_disk_lines():
    lines, results = guest_lines()
    assert len(lines) == 3
    assert disks.pattern_lines(lines) == {"d0": ("0000:00:06.0", 64, SEED)}
    assert results[0].name == "blk.whole_disk"


def test_good_image_passes(tmp_path):
    lines, results = guest_lines()
    assert disks.check([D0, EMPTY], image(tmp_path, pattern()), lines, results) == []


def test_corrupted_image_is_reported(tmp_path):
    data = bytearray(pattern())
    data[17 * 512 + 100] ^= 0x40
    lines, results = guest_lines()
    reasons = disks.check([D0], image(tmp_path, bytes(data)), lines, results)
    assert len(reasons) == 1
    assert "disk 'd0'" in reasons[0] and "sector 17 " in reasons[0]
    assert "data lost" in reasons[0]


def test_sectors_shifted_by_one_are_reported(tmp_path):
    # A request header one sector off: everything lands one sector late.
    data = bytes(512) + pattern(SECTORS - 1)
    lines, results = guest_lines()
    reasons = disks.check([D0], image(tmp_path, data), lines, results)
    assert len(reasons) == 1 and "sector 0 " in reasons[0]


def test_unwritten_image_is_reported(tmp_path):
    lines, results = guest_lines()
    reasons = disks.check([D0], image(tmp_path, bytes(SECTORS * 512)), lines, results)
    assert len(reasons) == 1 and "sector 0 " in reasons[0]


def test_wrong_size_is_reported(tmp_path):
    lines, results = guest_lines()
    reasons = disks.check([D0], image(tmp_path, pattern(SECTORS - 1)), lines, results)
    assert len(reasons) == 1 and "wrote 64 sectors" in reasons[0]


def test_missing_pattern_line_after_a_pass_is_reported(tmp_path):
    lines, results = guest_lines(GUEST.replace("blk-pattern:", "something:"))
    reasons = disks.check([D0], image(tmp_path, pattern()), lines, results)
    assert len(reasons) == 1 and "no blk-pattern line" in reasons[0]


def test_whole_disk_not_run_checks_nothing(tmp_path):
    lines, _ = guest_lines(GUEST.replace("blk-pattern:", "something:"))
    assert disks.check([D0], image(tmp_path, bytes(512)), lines, []) == []


def test_empty_disk_not_failed_is_reported(tmp_path):
    lines, results = guest_lines(GUEST.replace("status FAILED", "status fine"))
    reasons = disks.check([D0, EMPTY], image(tmp_path, pattern()), lines, results)
    assert len(reasons) == 1 and "disk 'empty'" in reasons[0] and "FAILED" in reasons[0]


def test_images_are_fresh_and_sized(tmp_path, monkeypatch):
    monkeypatch.setattr(disks, "ROOT", str(tmp_path))
    paths = disks.make_images("qemu-tcg 1/2", [D0, EMPTY])
    with open(paths["d0"], "rb") as f:
        assert f.read() == bytes(1 << 20)
    with open(paths["empty"], "rb") as f:
        assert f.read() == b""
    args = disks.qemu_args([D0, EMPTY], paths)
    assert "virtio-blk-pci,drive=blk0,serial=d0" in args
    disks.remove_images(paths)
    assert not any(tmp_path.glob("build/disks/*.img"))


# Placed disks (addr=): each FAILED line, or boot line, must be its own.
BIG = Disk("legacy-q1024", 1, "virtio-blk-pci,disable-modern=on,queue-size=1024,addr=0x10",
           "legacy size 1024 is fixed")
Q4 = Disk("q4", 1, "virtio-blk-pci,queue-size=4,addr=0x11")
PLACED = ("virtio: blk 0000:00:10.0 legacy: queue 0: legacy size 1024 is fixed, over the 256 "
          "supported; status FAILED\n"
          "virtio: blk 0000:00:11.0 modern msix queues=1 ring=split capacity=2048\n")


def placed_paths(tmp_path):
    return {"legacy-q1024": str(tmp_path / "a.img"), "q4": str(tmp_path / "b.img")}


def test_device_name_from_addr():
    assert disks.device_name(BIG) == "0000:00:10.0"
    assert disks.device_name(Disk("x", 1, "virtio-blk-pci,addr=5.2")) == "0000:00:05.2"
    assert disks.device_name(D0) is None


def test_placed_disks_as_expected(tmp_path):
    lines, _ = guest_lines(PLACED)
    assert disks.check([BIG, Q4], placed_paths(tmp_path), lines, []) == []


def test_failed_line_of_another_device_or_reason_is_not_enough(tmp_path):
    lines, _ = guest_lines(PLACED.replace("00:10.0", "00:12.0"))
    reasons = disks.check([BIG, Q4], placed_paths(tmp_path), lines, [])
    assert len(reasons) == 1 and "disk 'legacy-q1024'" in reasons[0]
    lines, _ = guest_lines(PLACED.replace("legacy size 1024 is fixed", "size 1024 too large"))
    reasons = disks.check([BIG, Q4], placed_paths(tmp_path), lines, [])
    assert len(reasons) == 1 and "legacy size 1024 is fixed" in reasons[0]


def test_placed_disk_that_must_work_but_failed(tmp_path):
    lines, _ = guest_lines(PLACED.replace("modern msix queues=1 ring=split capacity=2048",
                                          "modern: queue 0: size 1024; status FAILED"))
    reasons = disks.check([BIG, Q4], placed_paths(tmp_path), lines, [])
    assert len(reasons) == 1 and "disk 'q4'" in reasons[0] and "must work" in reasons[0]


# A placed disk offering the packed ring must run on it.
PACKED = Disk("scratch-packed", 1, "virtio-blk-pci,disable-legacy=on,packed=on,addr=0x1c")
PACKED_LINE = "virtio: blk 0000:00:1c.0 modern msix queues=2 ring=packed indirect capacity=2048\n"


def test_packed_disk_on_the_packed_ring(tmp_path):
    paths = {"scratch-packed": str(tmp_path / "p.img")}
    lines, _ = guest_lines(PACKED_LINE)
    assert disks.check([PACKED], paths, lines, []) == []
    lines, _ = guest_lines(PACKED_LINE.replace("ring=packed", "ring=split"))
    reasons = disks.check([PACKED], paths, lines, [])
    assert len(reasons) == 1 and "on the packed ring" in reasons[0]
    assert not disks.packed(Disk("x", 1, "virtio-blk-pci,packed=off"))
