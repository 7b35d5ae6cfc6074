"""A small IMAP server that misbehaves on purpose, for faults Dovecot cannot produce.

It serves one user and an INBOX (plus empty Drafts and Sent) over plain TCP on
127.0.0.1, with just the commands the daemon's watcher sends: CAPABILITY,
LOGIN, LIST, EXAMINE/SELECT, UID SEARCH, UID FETCH, NOOP, IDLE and LOGOUT.
Each misbehaviour is a switch:

- ``huge_literal``: UID -> size; that message's body is announced with this
  size and streamed as filler, whatever partial range was asked for.
- ``star_finds_nothing``: ``UID SEARCH UID n:*`` answers with nothing, as GNU
  Mailutils 3.15 does (an explicit upper bound works).
- ``exists_on_idle``: every IDLE is answered at once with an EXISTS for mail
  that is not there.

Every command line received is kept in ``commands`` for the test to read.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
from collections.abc import Iterator

HOST = "127.0.0.1"
_FILLER = b"x" * (1 << 20)
_RANGE = re.compile(r"^(\d+|\*)(?::(\d+|\*))?$")
_PARTIAL = re.compile(r"BODY\.PEEK\[([^\]]*)\](?:<0\.(\d+)>)?", re.I)


class ScriptedImap:
    def __init__(self, user: str, password: str) -> None:
        self.user = user
        self.password = password
        self.messages: dict[int, bytes] = {}  # INBOX, by UID
        self.huge_literal: dict[int, int] = {}
        self.star_finds_nothing = False
        self.exists_on_idle = False
        self.commands: list[str] = []
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._server = socket.create_server((HOST, 0))
        self._server.settimeout(0.1)
        self.port = int(self._server.getsockname()[1])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> ScriptedImap:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        with self._arrived:
            self._arrived.notify_all()
        self._thread.join(5)
        self._server.close()

    def deliver(self, raw: bytes) -> int:
        """Put a message into INBOX; a session in IDLE is told at once."""
        with self._arrived:
            uid = max(self.messages, default=0) + 1
            self.messages[uid] = raw
            self._arrived.notify_all()
        return uid

    def count(self, verb: str) -> int:
        with self._lock:
            return sum(1 for line in self.commands if verb in line.upper())

    # -- sessions ---------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn: socket.socket) -> None:
        told = [0]  # the message count this session was last told (EXISTS)
        with conn, contextlib.suppress(OSError):
            reader = conn.makefile("rb")
            conn.sendall(b"* OK [CAPABILITY IMAP4rev1 IDLE] scripted server ready\r\n")
            while not self._stop.is_set():
                line = reader.readline()
                if not line:
                    return
                text = line.decode("utf-8", "replace").rstrip("\r\n")
                with self._lock:
                    self.commands.append(text)
                tag, _, rest = text.partition(" ")
                verb, _, args = rest.partition(" ")
                verb = verb.upper()
                if verb == "UID":
                    verb, _, args = args.partition(" ")
                    verb = "UID " + verb.upper()
                if verb == "LOGOUT":
                    conn.sendall(b"* BYE\r\n" + tag.encode() + b" OK LOGOUT\r\n")
                    return
                if verb == "IDLE":
                    self._idle(conn, reader, tag, told)
                    continue
                for chunk in self._answer(verb, args, told):
                    conn.sendall(chunk)
                conn.sendall(f"{tag} OK {verb} done\r\n".encode())

    def _answer(self, verb: str, args: str, told: list[int]) -> Iterator[bytes]:
        with self._lock:
            count = len(self.messages)
        if verb in ("NOOP", "UID SEARCH", "UID FETCH") and count > told[0]:
            told[0] = count  # a server tells a session of new mail at any command
            yield f"* {count} EXISTS\r\n".encode()
        if verb == "CAPABILITY":
            yield b"* CAPABILITY IMAP4rev1 IDLE\r\n"
        elif verb == "LIST":
            for flags, name in (("", "INBOX"), ("\\Drafts", "Drafts"), ("\\Sent", "Sent")):
                yield f'* LIST ({flags}) "/" {name}\r\n'.encode()
        elif verb in ("EXAMINE", "SELECT"):
            inbox = "INBOX" in args.upper()
            with self._lock:
                count = len(self.messages) if inbox else 0
                uidnext = max(self.messages, default=0) + 1 if inbox else 1
            told[0] = count
            yield f"* {count} EXISTS\r\n* 0 RECENT\r\n".encode()
            yield f"* OK [UIDVALIDITY 7] ok\r\n* OK [UIDNEXT {uidnext}] ok\r\n".encode()
        elif verb == "UID SEARCH":
            found = " ".join(str(uid) for uid in self._search(args))
            yield f"* SEARCH {found}\r\n".encode()
        elif verb == "UID FETCH":
            yield from self._fetch(args)

    def _search(self, args: str) -> list[int]:
        with self._lock:
            uids = sorted(self.messages)
        words = args.upper().split()
        if "UID" not in words:
            return uids  # SINCE and the like: everything here is recent
        bounds = _RANGE.match(words[words.index("UID") + 1])
        if bounds is None:
            return []
        low, high = bounds.group(1), bounds.group(2) or bounds.group(1)
        if high == "*" and self.star_finds_nothing:
            return []
        newest = uids[-1] if uids else 0
        first = newest if low == "*" else int(low)
        last = newest if high == "*" else int(high)
        first, last = min(first, last), max(first, last)
        return [uid for uid in uids if first <= uid <= last]

    def _fetch(self, args: str) -> Iterator[bytes]:
        uid_set, _, items = args.partition(" ")
        wanted: set[int] = set()
        for part in uid_set.split(","):
            low, _, high = part.partition(":")
            wanted.update(range(int(low), int(high or low) + 1))
        partial = _PARTIAL.search(items)
        section = partial.group(1) if partial else ""
        with self._lock:
            found = [(uid, self.messages[uid]) for uid in sorted(self.messages) if uid in wanted]
        for seq, (uid, raw) in enumerate(found, start=1):
            if section:
                raw = raw.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
            elif partial and partial.group(2):
                raw = raw[: int(partial.group(2))]
            origin = "<0>" if partial and partial.group(2) else ""
            size = self.huge_literal.get(uid, len(raw)) if not section else len(raw)
            yield (
                f'* {seq} FETCH (UID {uid} INTERNALDATE "01-Mar-2026 10:00:00 +0000"'
                f" BODY[{section}]{origin} {{{size}}}\r\n"
            ).encode()
            if size == len(raw):
                yield raw
            else:
                yield from _stream(raw, size)
            yield b")\r\n"

    def _idle(self, conn: socket.socket, reader: object, tag: str, told: list[int]) -> None:
        """Answer IDLE; report new mail (or, when told to, mail that is not there)
        until the client says DONE."""
        conn.sendall(b"+ idling\r\n")
        if self.exists_on_idle:
            conn.sendall(f"* {told[0] + 1} EXISTS\r\n".encode())
        done = threading.Event()

        def tell() -> None:
            with self._arrived:
                while not done.is_set() and not self._stop.is_set():
                    if len(self.messages) > told[0]:
                        told[0] = len(self.messages)
                        with contextlib.suppress(OSError):
                            conn.sendall(f"* {told[0]} EXISTS\r\n".encode())
                    self._arrived.wait(0.2)

        teller = threading.Thread(target=tell, daemon=True)
        teller.start()
        try:
            line = reader.readline()  # type: ignore[attr-defined]
        finally:
            done.set()
            teller.join(2)
        if line:
            with self._lock:
                self.commands.append(line.decode("utf-8", "replace").rstrip("\r\n"))
            conn.sendall(f"{tag} OK IDLE done\r\n".encode())


def _stream(start: bytes, size: int) -> Iterator[bytes]:
    """``size`` bytes that begin with ``start``, the rest filler, a megabyte at a time."""
    yield start
    left = size - len(start)
    while left > 0:
        chunk = _FILLER[: min(left, len(_FILLER))]
        left -= len(chunk)
        yield chunk
