"""A fault-injecting TCP proxy on loopback, for the network fault tests.

The daemon is pointed at the proxy instead of Dovecot (or the SMTP server); the
proxy forwards both directions byte for byte until an armed ``Fault`` fires:

* ``cut``: the connection is reset in both directions at an exact byte, e.g.
  300 bytes into a FETCH literal, inside an APPEND, right after the IDLE
  continuation, inside DATA, or just before the "250" that confirms a send;
* ``stall``: forwarding in one direction stops for a while, then resumes.

A fault fires at a byte offset counted from where its ``pattern`` is first seen
in its direction on one connection (or from the connection's first byte), so
it hits the protocol moment it names whatever the chunking.  ``delay`` adds
latency to every chunk.  Each pair of sockets is served by two plain threads:
simple, and the volumes here are small.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import Literal

HOST = "127.0.0.1"
Direction = Literal["up", "down"]  # up: client to server; down: server to client
_CHUNK = 16 * 1024


@dataclass(eq=False)
class Fault:
    """One fault, used up after hitting ``times`` connections."""

    direction: Direction
    pattern: bytes | None
    # Where it fires: bytes after the start of ``pattern`` (0 = just before it), or
    # from the first byte of the connection when ``pattern`` is None.
    at: int = 0
    action: Literal["cut", "stall"] = "cut"
    stall_for: float = 3.0
    times: int = 1
    fired: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    hits: int = 0

    def release(self) -> None:
        """End a stall before ``stall_for`` is over."""
        self.released.set()

    def describe(self) -> str:
        what = self.pattern.decode(errors="replace").strip() if self.pattern else "start"
        return f"{self.action} {self.direction} at {what}+{self.at}"


@dataclass(eq=False)
class _Pending:
    fault: Fault
    fire_at: int  # absolute byte offset in the direction's stream


class _Connection:
    """A client socket, its upstream socket, and the two threads pumping between them."""

    def __init__(self, proxy: Proxy, client: socket.socket, upstream: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.upstream = upstream
        self.cut = threading.Event()
        self._lock = threading.Lock()
        self._running = 2

    def start(self) -> list[threading.Thread]:
        threads = [
            threading.Thread(
                target=self._pump, args=(self.client, self.upstream, "up"), daemon=True
            ),
            threading.Thread(
                target=self._pump, args=(self.upstream, self.client, "down"), daemon=True
            ),
        ]
        for thread in threads:
            thread.start()
        return threads

    def abort(self) -> None:
        """Reset both sides.  SHUT_RD wakes the pumps blocked in recv without sending
        a FIN; with SO_LINGER 0 the final close then sends an RST to each peer."""
        self.cut.set()
        for sock in (self.client, self.upstream):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.shutdown(socket.SHUT_RD)

    def _pump(self, source: socket.socket, target: socket.socket, direction: Direction) -> None:
        pending: list[_Pending] = []
        claimed: set[int] = set()  # faults this direction already took
        tail = b""  # the end of the stream so far, so patterns split across chunks are found
        offset = 0  # bytes of this direction already forwarded
        ended = False
        try:
            while not self.cut.is_set():
                try:
                    chunk = source.recv(_CHUNK)
                except OSError:
                    break
                if self.cut.is_set():
                    break
                if not chunk:
                    ended = True
                    break
                pending += self.proxy._claim(direction, tail, chunk, offset, claimed)
                keep = self.proxy._longest_pattern() - 1
                tail = (tail + chunk)[-keep:] if keep else b""
                if not self._forward(chunk, offset, target, pending):
                    break
                offset += len(chunk)
        finally:
            if ended:
                # An orderly close: pass the FIN on, the other direction may still talk.
                with contextlib.suppress(OSError):
                    target.shutdown(socket.SHUT_WR)
            else:
                self.abort()
            with self._lock:
                self._running -= 1
                last = self._running == 0
            if last:
                self.cut.set()  # nothing flows any more: the proxy may forget it
                for sock in (self.client, self.upstream):
                    sock.close()

    def _forward(
        self, chunk: bytes, offset: int, target: socket.socket, pending: list[_Pending]
    ) -> bool:
        """Send ``chunk`` (starting at stream ``offset``), acting on faults due inside it;
        False once the connection is cut."""
        position = 0
        for item in sorted(pending, key=lambda p: p.fire_at):
            if item.fire_at > offset + len(chunk):
                break
            cut_at = max(item.fire_at - offset, position)
            if not self._send(target, chunk[position:cut_at]):
                return False
            position = cut_at
            pending.remove(item)
            self.proxy._fired(item.fault)
            if item.fault.action == "cut":
                return False
            self._stall(item.fault)
        return self._send(target, chunk[position:])

    def _send(self, target: socket.socket, data: bytes) -> bool:
        if not data:
            return not self.cut.is_set()
        if self.proxy.delay:
            time.sleep(self.proxy.delay)
        try:
            target.sendall(data)
        except OSError:
            return False
        return not self.cut.is_set()

    def _stall(self, fault: Fault) -> None:
        deadline = time.monotonic() + fault.stall_for
        while time.monotonic() < deadline and not self.cut.is_set():
            if fault.released.wait(0.05):
                return


class Proxy:
    """Listens on 127.0.0.1 and forwards every connection to ``upstream``."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.delay = 0.0  # seconds of latency added to each forwarded chunk
        self.connections = 0
        self.injected: list[str] = []  # one description per fault that fired
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._live: list[_Connection] = []
        self._threads: list[threading.Thread] = []
        self._listener = socket.create_server((HOST, 0))
        self._listener.settimeout(0.1)  # so the accept loop notices stop()
        self.port: int = self._listener.getsockname()[1]
        self._acceptor = threading.Thread(target=self._accept, name="proxy", daemon=True)

    def __enter__(self) -> Proxy:
        self._acceptor.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def arm(self, fault: Fault) -> Fault:
        """Let ``fault`` hit the next connection(s) that show its pattern."""
        with self._lock:
            self._faults.append(fault)
        return fault

    def cut_all(self) -> None:
        """Reset every open connection (a network outage, seen from both ends)."""
        with self._lock:
            live = list(self._live)
        for connection in live:
            connection.abort()

    def stop(self) -> None:
        self._stopping.set()
        if self._acceptor.is_alive():
            self._acceptor.join()
        self._listener.close()
        self.cut_all()
        for thread in self._threads:
            thread.join(timeout=5)

    # -- called from the connection threads -------------------------------------

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            try:
                upstream = socket.create_connection(self.upstream, timeout=10)
            except OSError:
                client.close()  # the server is down: so is the proxy, for this client
                continue
            upstream.settimeout(None)
            connection = _Connection(self, client, upstream)
            with self._lock:
                self.connections += 1
                self._live = [c for c in self._live if not c.cut.is_set()] + [connection]
                self._threads = [t for t in self._threads if t.is_alive()]
                self._threads += connection.start()

    def _longest_pattern(self) -> int:
        with self._lock:
            return max([len(f.pattern) for f in self._faults if f.pattern] or [1])

    def _claim(
        self, direction: Direction, tail: bytes, chunk: bytes, offset: int, claimed: set[int]
    ) -> list[_Pending]:
        """Faults that start in ``chunk`` (stream bytes from ``offset``; ``tail`` is what
        came just before it): each is taken by this connection once, so ``times``
        counts connections hit."""
        taken = []
        window = tail + chunk
        with self._lock:
            for fault in list(self._faults):
                if fault.direction != direction or id(fault) in claimed:
                    continue
                if fault.pattern is None:
                    if offset > 0:
                        continue
                    start = 0
                else:
                    found = window.find(fault.pattern)
                    if found < 0:
                        continue
                    start = offset - len(tail) + found
                claimed.add(id(fault))
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                taken.append(_Pending(fault, max(start + fault.at, offset)))
        return taken

    def _fired(self, fault: Fault) -> None:
        with self._lock:
            fault.hits += 1
            self.injected.append(fault.describe())
        fault.fired.set()
