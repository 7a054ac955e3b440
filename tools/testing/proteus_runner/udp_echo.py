# SPDX-License-Identifier: GPL-2.0
"""A UDP echo server on the host's loopback for the guest's net.udp_echo.

QEMU's user network (slirp) relays the guest's UDP to 10.0.2.2 to the
host's 127.0.0.1, so a server bound there on a free port answers the
guest; the port goes to the kernel as net.echo=10.0.2.2:PORT. The server
is a daemon thread that sends every datagram back to where it came from,
started before QEMU and stopped (socket closed, thread joined) with the
boot."""

import socket
import threading

GUEST_HOST_ALIAS = "10.0.2.2"


class UdpEcho:
    """with UdpEcho() as echo: echo.kernel_arg is net.echo=10.0.2.2:PORT;
    echo.count is how many datagrams it sent back."""

    def __init__(self):
        self.sock = None
        self.thread = None
        self.count = 0
        self._stop = threading.Event()

    @property
    def port(self):
        return self.sock.getsockname()[1]

    @property
    def kernel_arg(self):
        return "net.echo=%s:%d" % (GUEST_HOST_ALIAS, self.port)

    def _serve(self):
        while not self._stop.is_set():
            try:
                data, peer = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                return
            self.sock.sendto(data, peer)
            self.count += 1

    def __enter__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.thread = threading.Thread(target=self._serve, name="udp-echo", daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join()
        self.sock.close()
        return False
