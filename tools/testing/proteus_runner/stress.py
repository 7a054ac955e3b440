# SPDX-License-Identifier: GPL-2.0
"""CPU hogs: a busy loop on every usable host core while the boots run.

They run at the runner's own priority (no nice): the point is the
contention of a busy CI machine, where the guest's vCPU threads get only
their share of each core."""

import contextlib
import os
import signal
import subprocess
import sys

from .qemu import die_with_parent

HOG = "while True: pass"


def start_hog():
    """In the child: die with the runner (even on SIGKILL), and leave
    Ctrl-C to the runner, which ends the hogs itself."""
    def setup():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        die_with_parent()
    return subprocess.Popen([sys.executable, "-c", HOG], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=setup)


def host_cores():
    """The cores this process may run on (a cpuset-limited CI machine has
    fewer than os.cpu_count()): one hog each."""
    return len(os.sched_getaffinity(0)) or 1


@contextlib.contextmanager
def cpu_hogs(count):
    """Run count busy-loop processes for the duration of the with block;
    they are killed and reaped on the way out, whatever ends the block
    (an exception, Ctrl-C, SIGTERM raised as SystemExit)."""
    hogs = []
    try:
        for _ in range(count):
            hogs.append(start_hog())
        yield hogs
    finally:
        for hog in hogs:
            hog.kill()
        for hog in hogs:
            hog.wait()
