"""IMAP: connect, find folders, fetch with BODY.PEEK, and add or remove our own messages.

The user's folders are opened with EXAMINE (read-only), so even a server that
would set \\Seen on a plain BODY[] fetch cannot change a flag; fetches use
BODY.PEEK and stop after FETCH_BYTES of each message.  The only writes are
``append`` (our drafts, our copies in Sent, our claims) and ``withdraw``, which
removes one of our own messages by UID and nothing else; no user's message is
ever stored to, moved, expunged or deleted.
"""

from __future__ import annotations

import contextlib
import email.parser
import hashlib
import imaplib
import logging
import re
import select
import socket
import ssl
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import Message
from email.policy import compat32
from typing import Any

from imapclient import IMAPClient, SocketTimeout
from imapclient.exceptions import IMAPClientError, LoginError
from imapclient.imapclient import DELETED, DRAFTS, SENT
from imapclient.imapclient import _parse_untagged_response as parse_untagged_response

from classifiers import mime
from daemon.config import AccountConfig, is_loopback
from daemon.errors import UserError
from decide import marks

log = logging.getLogger(__name__)

# Headers plus the first text parts of any real message fit in this; a 20 MB
# attachment is never downloaded.
FETCH_BYTES = 128 * 1024
FETCH_BATCH = 50
SOCKET_TIMEOUT = 60.0
CONNECT_TIMEOUT = 15.0
_BODY_ITEM = f"BODY.PEEK[]<0.{FETCH_BYTES}>"
_HEADER_ITEM = "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID DATE FROM SUBJECT)]"

# No answer from a server can make us hold more than a few megabytes.  We never ask
# for a literal longer than 256 KB (the look-back's), so a longer one (a server that
# ignored the <0.N> limit, or one announcing gigabytes) keeps its first LITERAL_KEEP
# bytes and the rest is read and thrown away, which keeps the session in step.
# imaplib caps a line at 1 MB; all the responses to one command together stop at
# RESPONSE_BUDGET (each line charged its size and LINE_COST for what holding it
# costs), after which the connection is dropped like any broken one.
LITERAL_KEEP = 512 * 1024
RESPONSE_BUDGET = 16 * 1024 * 1024
LINE_COST = 64
_DISCARD_CHUNK = 64 * 1024


class LoginFailed(UserError):
    """The server refused the credentials (the message never holds them)."""


@dataclass(frozen=True, slots=True)
class Fetched:
    uid: int
    raw: bytes
    received_at: datetime | None


def _tls_context(account: AccountConfig) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if account.ca_file:
        context.load_verify_locations(cafile=str(account.ca_file))
    return context


def connect(account: AccountConfig, password: str) -> IMAPClient:
    """A logged-in client, over TLS or STARTTLS, or plain only to a loopback host."""
    if account.security == "none" and not is_loopback(account.host):
        raise UserError(f"{account.name}: security = 'none' is allowed only for a loopback host")
    use_tls = account.security == "tls"
    client = IMAPClient(
        account.host,
        port=account.port,
        ssl=use_tls,
        ssl_context=_tls_context(account) if use_tls else None,
        timeout=SocketTimeout(connect=CONNECT_TIMEOUT, read=SOCKET_TIMEOUT),
    )
    # imapclient sets imaplib's debug level to 5, so imaplib formats every command and
    # response, message literals included, with %r for a logger we keep at WARNING
    # (daemon/cli): two fifths of a FETCH's CPU, spent on strings nobody reads.
    client._imap.debug = 0
    BoundedReads(client._imap).install()
    # imaplib writes a command's line and its end in separate sends; without NODELAY,
    # Nagle holds the second back for the server's delayed ACK (~40 ms per command).
    client.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        if account.security == "starttls":
            client.starttls(_tls_context(account))
        client.normalise_times = False
        try:
            if account.auth == "oauth2":  # Gmail, Microsoft 365: a token, not a password
                client.oauth2_login(account.username, password)
            else:
                client.login(account.username, password)
        except LoginError:
            raise LoginFailed(f"{account.name}: login refused for {account.username}") from None
        except (UnicodeError, ValueError, TypeError):
            # imaplib's own message would quote the offending part of the password.
            raise LoginFailed(
                f"{account.name}: the password cannot be sent with IMAP LOGIN"
                " (only ASCII characters are possible)"
            ) from None
    except BaseException:
        close_quietly(client)
        raise
    return client


class BoundedReads:
    """One imaplib connection's reads, held to LITERAL_KEEP and RESPONSE_BUDGET.

    Installed over the instance's ``read``, ``readline`` and ``send``: every
    command sent renews the budget, every byte read spends it.  A literal cut
    short is stored with the size it now has, as if the server had sent that
    much, so the response still parses and the message is judged on its start.
    """

    def __init__(self, connection: imaplib.IMAP4) -> None:
        self.connection = connection
        self.left = RESPONSE_BUDGET
        self.cut: tuple[int, int] | None = None  # (announced, kept) of the last literal

    def install(self) -> None:
        self.connection.read = self.read  # type: ignore[method-assign]
        self.connection.readline = self.readline  # type: ignore[method-assign]
        self.connection.send = self.send  # type: ignore[method-assign]
        self.connection._append_untagged = self.append_untagged  # type: ignore[method-assign]

    def append_untagged(self, kind: str, data: Any) -> None:
        if self.cut and isinstance(data, tuple) and data[0].endswith(b"{%d}" % self.cut[0]):
            announced = b"{%d}" % self.cut[0]
            data = (data[0][: -len(announced)] + b"{%d}" % self.cut[1], data[1])
        self.cut = None
        imaplib.IMAP4._append_untagged(self.connection, kind, data)

    def send(self, data: bytes) -> None:
        self.left = RESPONSE_BUDGET
        imaplib.IMAP4.send(self.connection, data)

    def readline(self) -> bytes:
        line = imaplib.IMAP4.readline(self.connection)
        self._spend(len(line) + LINE_COST)
        return line

    def read(self, size: int) -> bytes:
        kept = imaplib.IMAP4.read(self.connection, min(size, LITERAL_KEEP))
        self._spend(len(kept) + LINE_COST)
        rest = size - len(kept)
        if rest > 0 and len(kept) == LITERAL_KEEP:
            log.warning("the server sent a %d-byte literal; kept the first %d", size, len(kept))
            self.cut = (size, len(kept))
        while rest > 0:
            chunk = imaplib.IMAP4.read(self.connection, min(rest, _DISCARD_CHUNK))
            if not chunk:
                break  # EOF: imaplib's next read reports the closed connection
            rest -= len(chunk)
        return kept

    def _spend(self, cost: int) -> None:
        self.left -= cost
        if self.left < 0:
            raise imaplib.IMAP4.abort(
                f"the server sent more than {RESPONSE_BUDGET // 2**20} MB for one command"
            )


def close_quietly(client: IMAPClient) -> None:
    """Log out if the connection still works; drop it in any case."""
    try:
        client.logout()
    except Exception:  # a half-dead socket raises anything from the imaplib zoo
        log.debug("logout failed; closing the socket", exc_info=True)
        with contextlib.suppress(Exception):
            client.shutdown()


# Names servers without SPECIAL-USE give these folders, in the five languages we draft in.
COMMON_NAMES: dict[bytes, tuple[str, ...]] = {
    DRAFTS: ("Drafts", "Draft", "Entwürfe", "Brouillons", "Borradores", "Concepten"),
    SENT: (
        "Sent",
        "Sent Items",
        "Sent Mail",
        "Sent Messages",
        "Gesendet",
        "Gesendete Elemente",
        "Gesendete Objekte",
        "Envoyés",
        "Éléments envoyés",
        "Enviados",
        "Elementos enviados",
        "Verzonden",
        "Verzonden items",
    ),
}


def special_folder(client: IMAPClient, flag: bytes, override: str | None) -> str | None:
    """The folder the server marks with ``flag`` (RFC 6154), unless configured;
    else the first folder with a common (localized) name for it."""
    if override:
        return override
    try:
        found = client.find_special_folder(flag)
        if found:
            return found
        listing = client.list_folders()
    except IMAPClientError:
        return None
    return folder_by_common_name(listing, flag)


def folder_by_common_name(listing: Sequence[tuple[Any, Any, Any]], flag: bytes) -> str | None:
    """The first listed folder whose last path part is a usual name for ``flag``."""
    by_name: dict[str, str] = {}
    for _flags, delimiter, name in listing:
        if not isinstance(name, str):
            continue
        leaf = name.rsplit(delimiter.decode(), 1)[-1] if delimiter else name
        by_name.setdefault(leaf.casefold(), name)
    for wanted in COMMON_NAMES.get(flag, ()):
        if wanted.casefold() in by_name:
            return by_name[wanted.casefold()]
    return None


def special_folders(client: IMAPClient, account: AccountConfig) -> dict[str, str | None]:
    """Where drafts go and where the user's sent mail is: SPECIAL-USE, or the config."""
    return {
        "drafts": special_folder(client, DRAFTS, account.drafts),
        "sent": special_folder(client, SENT, account.sent),
    }


# How long the rest of a line that arrived in pieces may take to follow its start.
LINE_WAIT = 10.0
# Responses one idle_check returns at most: a server that floods stays in its buffer.
IDLE_BATCH = 1000


def idle_check(client: IMAPClient, timeout: float, wake: object = None) -> list[tuple]:
    """The untagged responses the server sent during IDLE, waiting at most ``timeout``,
    or until ``wake`` (anything with a ``fileno``) becomes readable.

    imapclient's own ``idle_check`` reads from a non-blocking socket, so a line
    that arrives in two TCP segments ("* 5 FETCH (" now, the rest a moment
    later) aborts the session with "unterminated line" and costs a reconnect.
    Here the wait for the first byte is a poll, and every line is then read
    whole, blocking up to LINE_WAIT for its rest.  EOF raises imapclient's
    AbortError, like any other read of a closed connection.
    """
    imap = client._imap
    sock = client.socket()
    responses: list[tuple] = []
    try:
        if not _peek(imap, sock):
            poller = select.poll()
            poller.register(sock, select.POLLIN | select.POLLPRI)
            if hasattr(wake, "fileno"):
                poller.register(wake, select.POLLIN)
            ready = {fd for fd, _ in poller.poll(int(timeout * 1000))}
            # Readable means bytes arrived, not a line: over TLS they may be a record
            # with no data for us (a session ticket, say), and reading would wait.
            if sock.fileno() not in ready or _peek(imap, sock) is None:
                return responses
        # b"" from _peek after a poll is EOF, which _get_line reports.
        sock.settimeout(LINE_WAIT)
        while True:
            responses.append(parse_untagged_response(imap._get_line()))
            if len(responses) >= IDLE_BATCH or not _peek(imap, sock):
                return responses
    finally:
        client._set_read_timeout()


def _peek(imap: Any, sock: Any) -> bytes | None:
    """What can be read without waiting: from the reader's buffer, the TLS layer or the
    socket (a poll sees only the socket); b"" when nothing (or EOF) on a plain socket,
    None when the TLS layer has no data yet.  What it reads stays in the buffer."""
    sock.settimeout(0.0)
    try:
        return imap.file.peek(1)
    except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
        return None
    finally:
        sock.settimeout(LINE_WAIT)


def find_message_id(client: IMAPClient, folder: str, message_id: str) -> bool:
    """Whether ``folder`` holds a message with this Message-ID: how a restart learns
    that a draft or mail it may have made is really there."""
    client.select_folder(folder, readonly=True)
    uids = client.search(["HEADER", "Message-ID", message_id.strip("<>")])
    if not uids:
        return False
    heads = client.fetch(uids[:20], ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
    wanted = message_id.strip().lower()
    return any(
        mime.header_text(HEADERS_ONLY.parsebytes(body_of(data) or b"").get("message-id"))
        .strip()
        .lower()
        == wanted
        for data in heads.values()
    )


# What imapclient can send as a SEARCH atom: printable ASCII without the atom-specials
# of RFC 3501 that it leaves unquoted (it quotes only spaces, quotes and backslashes).
_SEARCHABLE = re.compile(r'(?:(?![(){%*"\\])[\x21-\x7e])+')


def wrote_to(
    client: IMAPClient,
    folder: str,
    address: str,
    after: datetime,
    ignore: frozenset[str],
    *,
    first: bool = False,
) -> tuple[datetime, str] | None:
    """When the user last (or, with ``first``, first) wrote to ``address`` after ``after``
    per ``folder`` (their Sent folder), and that mail's Message-ID (lower-case, "" if
    it has none), leaving out our own mails (``ignore``: lower-case Message-IDs)."""
    client.select_folder(folder, readonly=True)
    # SINCE compares dates in the server's zone: a day earlier, then the exact time below.
    since = (after - timedelta(days=1)).date()
    criteria: list[Any] = ["SINCE", since]
    if _SEARCHABLE.fullmatch(address):
        criteria += ["OR", "OR", "TO", address, "CC", address, "BCC", address]
    # else imapclient would send it as an atom the server refuses (or cannot encode it
    # at all): every mail since then is fetched and the recipients are compared below.
    uids = client.search(criteria)
    latest: tuple[datetime, str] | None = None
    for start in range(0, len(uids), FETCH_BATCH):
        batch = uids[start : start + FETCH_BATCH]
        fields = ["INTERNALDATE", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID TO CC BCC)]"]
        for data in client.fetch(batch, fields).values():
            when = data.get(b"INTERNALDATE")
            head = HEADERS_ONLY.parsebytes(body_of(data) or b"")
            own = mime.header_text(head.get("message-id")).strip().lower()
            # Raw values: get_all would turn raw UTF-8 (RFC 6532) into U+FFFD.
            values = [v for k, v in head.raw_items() if k.lower() in ("to", "cc", "bcc")]
            recipients = {email.lower() for _, email in mime.addresses(values)}
            if (
                isinstance(when, datetime)
                and when >= after  # INTERNALDATE has whole seconds only
                and own not in ignore
                and address.lower() in recipients
                and (latest is None or (when < latest[0] if first else when > latest[0]))
            ):
                latest = (when, own)
    return latest


def append(client: IMAPClient, folder: str, message: bytes, flags: Sequence[bytes]) -> bytes:
    """Add one of our own messages; with ``withdraw``, the only write debriefer ever
    makes to a mailbox.  Returns the server's answer (with APPENDUID under UIDPLUS)."""
    response = client.append(folder, message, flags=tuple(flags))
    return response if isinstance(response, bytes) else b""


# The largest UID there can be (RFC 3501): an explicit upper bound for servers that
# mishandle "*".
MAX_UID = 2**32 - 1


def uids_after(client: IMAPClient, last_uid: int, *, bounded: bool = False) -> list[int]:
    """UIDs above ``last_uid``.  ``n:*`` always matches the newest message, so filter.

    ``bounded`` searches ``n:4294967295`` instead: GNU Mailutils answers ``n:*``
    with nothing at all, while an explicit upper bound works.
    """
    upper = MAX_UID if bounded else "*"
    return sorted(
        uid for uid in client.search(["UID", f"{last_uid + 1}:{upper}"]) if uid > last_uid
    )


def forget_news(client: IMAPClient) -> int | None:
    """Drop what the server reported between commands (EXISTS, RECENT, flag changes)
    and return the message count it last announced, if it did.

    Called just before a SEARCH, which sees any new mail anyway: left in imaplib's
    store, an EXISTS that came with the EXAMINE or a NOOP would end the next IDLE
    at once, and the store would grow for as long as the session lasts.
    """
    pending = client._imap.untagged_responses
    counts = pending.get("EXISTS") or [b""]
    pending.clear()
    return int(counts[-1]) if counts[-1].isdigit() else None


def uids_since(client: IMAPClient, day: date) -> list[int]:
    return sorted(client.search(["SINCE", day]))


FETCH_ITEMS = (_BODY_ITEM, "INTERNALDATE")


class NoBody(Exception):
    """The server returned no body for this UID (expunged meanwhile, or a server bug)."""

    def __init__(self, uid: int) -> None:
        super().__init__(f"uid {uid}: the server returned no body")
        self.uid = uid


def fetch(client: IMAPClient, uids: Sequence[int]) -> Iterator[Fetched]:
    """Each message, in UID order, a batch at a time; raises NoBody at the first UID
    whose body did not come, after the ones before it: the watcher's position must
    never move past a message that was not judged."""
    for batch in fetch_batches(client, uids, stop_at_missing=True):
        yield from batch


def fetch_batches(
    client: IMAPClient,
    uids: Sequence[int],
    size: int = FETCH_BATCH,
    *,
    stop_at_missing: bool = False,
) -> Iterator[list[Fetched]]:
    """Like ``fetch``, one FETCH command's messages at a time: the unit a reader on
    another thread hands over, so only a batch or two are ever held in memory.
    Without ``stop_at_missing`` a UID without a body is logged and skipped; answers
    for UIDs we did not ask for are ignored either way."""
    for start in range(0, len(uids), size):
        batch = uids[start : start + size]
        response = client.fetch(batch, list(FETCH_ITEMS))
        found = []
        for uid in batch:
            data = response.pop(uid, None)
            raw = body_of(data) if data else None
            if raw is None:  # expunged meanwhile, or a server that left the body out
                if stop_at_missing:
                    yield found
                    raise NoBody(uid)
                log.warning("uid %d: the server returned no body; skipped", uid)
                continue
            received = data.get(b"INTERNALDATE")
            found.append(Fetched(uid, raw, received if isinstance(received, datetime) else None))
        yield found


def body_of(data: dict[bytes, Any]) -> bytes | None:
    # The response key echoes the section and origin (b"BODY[]<0>"), not our item name.
    return next((v for k, v in data.items() if k.startswith(b"BODY[")), None)


def fingerprints(client: IMAPClient, uids: Sequence[int]) -> dict[int, str]:
    """A stable identity per message from a few header lines, without the body."""
    found: dict[int, str] = {}
    for start in range(0, len(uids), FETCH_BATCH * 4):
        batch = list(uids[start : start + FETCH_BATCH * 4])
        for uid, data in client.fetch(batch, [_HEADER_ITEM]).items():
            found[uid] = fingerprint(body_of(data) or b"")
    return found


HEADERS_ONLY = email.parser.BytesHeaderParser(policy=compat32)
_BLANK_LINE = re.compile(rb"\n\r?\n")


def _head(raw: bytes) -> Message:
    """The header block alone: the parser would read (and decode) the whole body too."""
    blank_line = _BLANK_LINE.search(raw)
    return HEADERS_ONLY.parsebytes(raw[: blank_line.end()] if blank_line else raw)


def fingerprint(raw: bytes, parsed: Message | None = None) -> str:
    """Message-ID when there is one; else a hash of Date, From and Subject.

    It survives a UIDVALIDITY change, which renumbers every message.  ``parsed``,
    the message as the classifier parsed it, saves reading the headers again.
    """
    try:
        headers = parsed if parsed is not None else _head(raw)
        message_id = mime.header_text(headers.get("message-id")).strip()
        if message_id:
            return message_id.lower()
        fields = (mime.header_text(headers.get(k)).strip() for k in ("date", "from", "subject"))
        basis = "\0".join(fields).encode("utf-8", "surrogateescape")
    except Exception:  # hostile headers: the raw head identifies the message well enough
        basis = raw[:4096]
    return "sha256:" + hashlib.sha256(basis).hexdigest()[:32]


# -- marked messages: the claim of decide/marks.py -----------------------------------------

_APPENDUID = re.compile(rb"\[APPENDUID \d+ (\d+)\]", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Marked:
    """A message in the mailbox that carries a mark."""

    folder: str
    uid: int
    message_id: str  # lower-case, with its angle brackets


def find_marked(client: IMAPClient, folder: str, wanted: str) -> list[Marked]:
    """The messages in ``folder`` that carry the mark ``wanted``, lowest UID first (read-only)."""
    client.select_folder(folder, readonly=True)
    uids = client.search(["HEADER", "Message-ID", wanted])
    if not uids:
        return []
    heads = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
    found = []
    for uid in sorted(heads):
        head = HEADERS_ONLY.parsebytes(body_of(heads[uid]) or b"")
        message_id = mime.header_text(head.get("message-id")).strip().lower()
        if marks.mark_of(message_id) == wanted:  # the server's search is a substring match
            found.append(Marked(folder, uid, message_id))
    return found


def made(
    client: IMAPClient, folders: list[str], wanted: str, ignore: frozenset[str]
) -> Marked | None:
    """The first message carrying the mark in these folders (Drafts, Sent), leaving out
    the Message-IDs in ``ignore`` (our own, and requests the user had us forget)."""
    for folder in folders:
        for found in find_marked(client, folder, wanted):
            if found.message_id not in ignore:
                return found
    return None


def earlier_claim(
    client: IMAPClient,
    drafts: str,
    sent: str | None,
    wanted: str,
    own: Marked,
    ignore: frozenset[str],
) -> Marked | None:
    """After our APPEND: a marked message that came first, in Drafts below our UID or in
    Sent at all.  None means our claim is the earliest, and we may act."""
    for found in find_marked(client, drafts, wanted):
        if found.uid < own.uid and found.message_id not in ignore | {own.message_id}:
            return found
    if sent:
        for found in find_marked(client, sent, wanted):
            if found.message_id not in ignore | {own.message_id}:
                return found
    return None


def own_message(client: IMAPClient, folder: str, message_id: str, response: bytes) -> Marked:
    """Where our APPEND landed: its UID from the server's APPENDUID (UIDPLUS), else found
    by its Message-ID, which nobody else has."""
    match = _APPENDUID.search(response if isinstance(response, bytes) else b"")
    if match:
        return Marked(folder, int(match.group(1)), message_id.lower())
    wanted = marks.mark_of(message_id)
    for found in find_marked(client, folder, wanted) if wanted else []:
        if found.message_id == message_id.lower():
            return found
    raise RuntimeError(f"our message {message_id} is not in {folder} after appending it")


def withdraw(client: IMAPClient, own: Marked) -> bool:
    """Remove our own message, and only it: by UID, with UID EXPUNGE (UIDPLUS).  A server
    without UIDPLUS could only EXPUNGE every message marked deleted, the user's too, so
    there ours stays and False says so."""
    if not client.has_capability("UIDPLUS"):
        return False
    client.select_folder(own.folder)  # read-write; the one message touched is ours
    client.add_flags([own.uid], [DELETED])
    client.uid_expunge([own.uid])
    return True
