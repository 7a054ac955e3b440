# SPDX-License-Identifier: GPL-2.0
"""The host's side of bench=virtio-blk and bench=virtio-net
(proteus_runner/bench_virtio.py): the UDP sink, the bench disk in place of
the environment's, the guest's lines parsed and tabled."""

import socket

from proteus_runner import bench_virtio, disks
from proteus_runner.bench_virtio import BenchHost, UdpSink
from proteus_runner.disks import Disk

ENV = {"name": "qemu-tcg", "disks": [Disk("scratch-d0", 32, "virtio-blk-pci,num-queues=2"),
                                     Disk("empty", 0, "virtio-blk-pci")]}

BLK_LINES = [
    "bench: virtio-blk disk=0000:00:0a.0 sectors=262144 queues=2 ring=split irq=msix "
    "backend=native",
    "bench: virtio-blk randread-4k qd=1 bytes=4096 ios=6301 errors=0 max_in_flight=1 "
    "ns=1503754010 ios/s=4190 kicks/io=1.00 irqs/io=1.00",
    "bench: virtio-blk seqread-128k qd=4 bytes=131072 ios=7524 errors=0 max_in_flight=2 "
    "ns=1500167206 ios/s=5015 kicks/io=1.00 irqs/io=0.53",
    "bench: virtio-blk done",
]


def test_sink_counts_and_stops():
    with UdpSink() as sink:
        port = int(sink.kernel_arg.rsplit(":", 1)[1])
        assert sink.kernel_arg == "bench.sink=10.0.2.2:%d" % port
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as c:
            for _ in range(3):
                c.sendto(b"x" * 64, ("127.0.0.1", port))
        thread = sink.thread
    assert not thread.is_alive()
    assert (sink.count, sink.bytes) == (3, 192)


def test_no_virtio_bench_changes_nothing():
    with BenchHost(ENV, ["bench=pvops"]) as host:
        assert host.kernel_args == []
        assert host.disks(ENV["disks"]) == ENV["disks"]
        assert host.log_lines() == ""


def test_blk_bench_gets_one_filled_disk(tmp_path):
    with BenchHost(ENV, ["bench=virtio-blk"]) as host:
        (d,) = host.disks(ENV["disks"])
        assert (d.serial, d.device, d.filled) == ("bench", ENV["disks"][0].device, True)
        assert d.drive in (bench_virtio.DIRECT, bench_virtio.BUFFERED)
        assert host.log_lines().startswith("# bench-host: disk " + d.drive)
    args = disks.qemu_args([d], {"bench": "img"})
    assert args[1] == "file=img,if=none,format=raw,id=blk0,discard=unmap," + d.drive
    path = tmp_path / "img"
    disks.fill_image(str(path), 2)
    data = path.read_bytes()
    assert len(data) == 2 << 20 and data.count(0) < len(data) // 2


def test_net_bench_starts_a_sink():
    with BenchHost(ENV, ["bench=virtio-net"]) as host:
        assert host.kernel_args[0].startswith("bench.sink=10.0.2.2:")
        assert host.log_lines() == "# bench-host: sink received=0 bytes=0\n"


def test_parse_and_table():
    metrics = bench_virtio.parse(BLK_LINES)
    assert [(m.name, m.fields["qd"]) for m in metrics] == [("randread-4k", "1"),
                                                            ("seqread-128k", "4")]
    lines = bench_virtio.table("virtio-blk", [
        ("qemu-tcg", metrics, "disk cache=none,aio=native", ""),
        ("qemu-kvm", [], "", "bench: virtio-blk skipped: no running virtio-blk disk")])
    assert lines[0].split()[:5] == ["env", "metric", "qd", "ios", "IOPS"]
    assert lines[1].split()[:6] == ["qemu-tcg", "randread-4k", "1", "6301", "4190", "17.2"]
    assert lines[2].split()[5] == "657.3"
    assert lines[3] == "qemu-kvm: bench: virtio-blk skipped: no running virtio-blk disk"
