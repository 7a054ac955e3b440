# SPDX-License-Identifier: GPL-2.0
"""The runner's UDP echo server (proteus_runner/udp_echo.py): what it is
sent comes back, its kernel argument names its port, and it stops."""

import socket

from proteus_runner.udp_echo import UdpEcho


def test_echoes_and_stops():
    with UdpEcho() as echo:
        assert echo.kernel_arg == "net.echo=10.0.2.2:%d" % echo.port
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as c:
            c.settimeout(5)
            for payload in (b"x", bytes(range(256)) * 5):
                c.sendto(payload, ("127.0.0.1", echo.port))
                assert c.recvfrom(65535) == (payload, ("127.0.0.1", echo.port))
        thread = echo.thread
    assert not thread.is_alive()
    assert echo.count == 2
