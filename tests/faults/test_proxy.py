"""The fault proxy itself: faults fire at the byte they name, and only there.

The network tests trust it to cut mid-FETCH or mid-DATA; if it cut a few
bytes early or late they would test something else, so it is checked here
against a plain echo server.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tests.servers.proxy import Fault, Proxy

pytestmark = pytest.mark.fault


class Echo:
    """A loopback server that sends back whatever it receives, and keeps it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.received: list[bytes] = []  # per connection, in order of arrival


@pytest.fixture
def echo() -> Iterator[Echo]:
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    stop = threading.Event()
    echo = Echo(server.getsockname()[1])
    lock = threading.Lock()

    def serve(conn: socket.socket) -> None:
        with lock:
            index = len(echo.received)
            echo.received.append(b"")
        with conn, contextlib.suppress(ConnectionResetError):
            while data := conn.recv(4096):
                with lock:
                    echo.received[index] += data
                conn.sendall(data)

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield echo
    stop.set()
    thread.join()
    server.close()


def read_all(sock: socket.socket) -> bytes:
    """Everything until the connection ends, by EOF or by reset."""
    received = b""
    sock.settimeout(10)
    while True:
        try:
            data = sock.recv(4096)
        except ConnectionResetError:
            return received
        if not data:
            return received
        received += data


def test_a_cut_lands_on_the_byte_after_a_pattern_split_across_writes(echo: Echo) -> None:
    with Proxy("127.0.0.1", echo.port) as proxy:
        fault = proxy.arm(Fault("down", b"APPEND", at=10))
        with socket.create_connection(("127.0.0.1", proxy.port)) as sock:
            sock.sendall(b"hello AP")
            time.sleep(0.2)  # two separate chunks: the pattern straddles them
            sock.sendall(b"PEND 0123456789abcdef")
            received = read_all(sock)
        assert received == b"hello APPEND 012"
        assert fault.fired.is_set()
        assert proxy.injected == ["cut down at APPEND+10"]


def test_a_fault_hits_as_many_connections_as_it_is_armed_for(echo: Echo) -> None:
    with Proxy("127.0.0.1", echo.port) as proxy:
        proxy.arm(Fault("up", None, at=3, times=2))
        answers = []
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", proxy.port)) as sock:
                sock.sendall(b"abcdef")
                sock.shutdown(socket.SHUT_WR)
                answers.append(read_all(sock))
        # Cut towards the server after three bytes: it got those, the client nothing back.
        deadline = time.monotonic() + 10
        while echo.received != [b"abc", b"abc", b"abcdef"] and time.monotonic() < deadline:
            time.sleep(0.01)  # the server thread may still be reading
        assert echo.received == [b"abc", b"abc", b"abcdef"]
        assert answers[2] == b"abcdef"
        assert proxy.connections == 3
        assert len(proxy.injected) == 2


def test_a_stall_holds_the_bytes_then_delivers_them_all(echo: Echo) -> None:
    with Proxy("127.0.0.1", echo.port) as proxy:
        fault = proxy.arm(Fault("up", b"X", at=1, action="stall", stall_for=60))
        with socket.create_connection(("127.0.0.1", proxy.port)) as sock:
            sock.sendall(b"..X..")
            sock.shutdown(socket.SHUT_WR)
            sock.settimeout(10)
            received = b""
            while len(received) < 3:
                received += sock.recv(4096)
            assert received == b"..X"
            assert fault.fired.is_set()
            sock.setblocking(False)
            with pytest.raises(BlockingIOError):
                sock.recv(4096)  # the rest is held back
            fault.release()
            received += read_all(sock)
        assert received == b"..X.."
