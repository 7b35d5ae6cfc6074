"""One account's IMAP session: catch up on the inbox, then IDLE (or poll) for news.

imapclient is synchronous, so each account's session lives in a worker thread
(``AccountWatcher.serve``), restarted by the supervisor after any error.  IDLE is
waited on together with the ``Stop`` signal, so a stop ends it at once.
"""

from __future__ import annotations

import contextlib
import logging
import random
import socket
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from daemon.config import AccountConfig, Config
from daemon.errors import describe_failure
from daemon.ledger import Action, Ledger, is_broken
from daemon.mail import imap
from daemon.running.clock import Clock
from daemon.running.intake import Intake, broken_message
from daemon.running.outbox import notice_sent
from daemon.secrets import resolve_secret

log = logging.getLogger(__name__)

IDLE_SLICE = 1.0  # seconds per idle_check; a Stop wakes it sooner
# IDLE wake-ups in a row on news that brought nothing, before the next ones wait a backoff.
EMPTY_NEWS_ALLOWED = 3
NO_BODY_TRIES = 3  # looks at a message that comes without its body before giving up on it
BACKOFF_BASE = 1.0
BACKOFF_CAP = 300.0


class Stop:
    """A stop request every account's thread sees: a ``threading.Event`` that a poll can
    also wait on, so a watcher in IDLE stops at once rather than at its slice's end."""

    def __init__(self) -> None:
        self._event = threading.Event()
        # A socket pair that becomes readable on ``set``.  It lives as long as this object
        # (a thread still polling it keeps it alive), and is closed when it is collected.
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        weakref.finalize(self, _close_pair, self._reader, self._writer)

    def set(self) -> None:
        """Safe from any thread and from a signal handler: no lock is taken."""
        self._event.set()
        with contextlib.suppress(OSError):  # full: it was woken already
            self._writer.send(b"x")

    def is_set(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._event.wait(timeout)

    def fileno(self) -> int:
        """Readable once the stop was requested."""
        return self._reader.fileno()


def _close_pair(*ends: socket.socket) -> None:
    for end in ends:
        end.close()


class ConnectionLost(Exception):
    """The server went away (BYE, EOF) while we were idling."""


def backoff_delay(attempt: int, *, base: float = BACKOFF_BASE, cap: float = BACKOFF_CAP) -> float:
    """Exponential with "equal jitter": never zero, never more than ``cap``."""
    ceiling = min(cap, base * 2 ** min(attempt, 30))
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 - jitter, not crypto


class AccountWatcher:
    """Everything one account does, on its own thread."""

    def __init__(
        self,
        config: Config,
        account: AccountConfig,
        state: Ledger,
        stop: Stop | threading.Event,
        on_recorded: Callable[[str, int], None] | None = None,
        on_action: Callable[[Action], None] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.config = config
        self.clock = clock or Clock()
        self.account = account
        self.state = state
        self.stop = stop
        self.on_recorded = on_recorded  # told of each new message (account, uid)
        self.on_action = on_action  # told of each newly scheduled draft
        self.intake = Intake(config, account, state, clock=self.clock)
        # UIDs whose body the server left out, and how often: see _no_body.
        self.bodyless: dict[int, int] = {}
        self.held_up = False
        # Messages the server said INBOX holds when last searched, and whether it needs
        # an explicit upper bound to find new ones (see catch_up).
        self.exists = 0
        self.bounded_search = False
        self.connected_at: float | None = None
        self.client: IMAPClient | None = None
        # Set once the inbox has been read up to date: until then news from a contact
        # that would cancel a request may still be unread.
        self.caught_up = threading.Event()
        # Drafts and Sent as found at the last connect (SPECIAL-USE or configured).
        self.folders: dict[str, str | None] = {}

    @property
    def name(self) -> str:
        return self.account.name

    # -- one connection's lifetime --------------------------------------------

    def serve(self) -> None:
        """Connect, catch up, then wait for mail until ``stop``; raises on any failure."""
        self.connected_at = None
        self.state.set_account_status(self.name, "connecting", self.account.host)
        client = imap.connect(self.account, resolve_secret(self.account.password))
        self.client = client
        try:
            folder = self.account.inbox
            self.folders = imap.special_folders(client, self.account)
            missing = [kind for kind, name in self.folders.items() if name is None]
            if missing:
                log.warning(
                    "%s: no %s folder marked by the server; set %s in the account's config",
                    self.name,
                    " or ".join(missing),
                    " and ".join(f"{kind} = ..." for kind in missing),
                )
            self._notice_sent(client)
            selected = client.select_folder(folder, readonly=True)
            uidvalidity = int(selected[b"UIDVALIDITY"])
            # Read before any SEARCH: mail arriving during the first scan has a UID at or
            # above this, so the next catch-up finds it.
            uidnext = int(selected.get(b"UIDNEXT", 1))
            self.exists = int(selected.get(b"EXISTS", 0))
            self.bounded_search = False
            self.connected_at = time.monotonic()
            self.catch_up(client, folder, uidvalidity, uidnext)
            self.caught_up.set()
            idle = client.has_capability("IDLE")
            self.state.set_account_status(self.name, "idle" if idle else "polling", folder)
            log.info("%s: watching %s (%s)", self.name, folder, "IDLE" if idle else "polling")
            if idle:
                self._idle_loop(client, folder, uidvalidity)
            else:
                self._poll_loop(client, folder, uidvalidity)
        finally:
            self.client = None
            if self.stop.is_set():
                client.shutdown()  # stopping: no LOGOUT round trip to a server that may hang
            else:
                imap.close_quietly(client)

    def _notice_sent(self, client: IMAPClient) -> None:
        """Before reading new mail: the requests the user sent meanwhile, so an answer
        threaded only to what they sent is recognised as one."""
        sent = self.folders.get("sent")
        if sent is None:
            return
        try:
            notice_sent(self.state, client, sent, self.name, self.clock())
        except (IMAPClientError, ValueError, sqlite3.DatabaseError) as exc:
            if is_broken(exc):
                raise  # the daemon stops (Daemon._supervise)
            # A Sent folder we cannot read costs only this look; the inbox is still read.
            log.warning("%s: could not read %s: %s", self.name, sent, describe_failure(exc))

    def abort(self) -> None:
        """Unblock a session stuck in a read (called from the event loop at shutdown)."""
        client = self.client
        if client is not None:
            with contextlib.suppress(Exception):
                client.socket().shutdown(socket.SHUT_RDWR)

    def catch_up(
        self,
        client: IMAPClient,
        folder: str,
        uidvalidity: int,
        uidnext: int | None = None,
        reported: int | None = None,
    ) -> int:
        """Process what arrived since the last recorded UID; returns how many were new.

        ``reported`` is the message count the server last announced (EXISTS), and
        ``uidnext`` its UIDNEXT at EXAMINE: when either says there is new mail and
        the usual ``UID n:*`` search finds none, the search is tried once with an
        explicit upper bound, and kept that way for the session if that finds it.
        """
        known = self.state.folder(self.name, folder)
        if known is None or known.uidvalidity != uidvalidity:
            return self._full_scan(client, folder, uidvalidity, uidnext, known is not None)
        new, last_uid = 0, known.last_uid
        # Mail that lands while we fetch is found by the next SEARCH, not lost in a buffer.
        while not self.stop.is_set():
            reported = max(reported or 0, imap.forget_news(client) or 0) or None
            uids = imap.uids_after(client, last_uid, bounded=self.bounded_search)
            expected = (reported or 0) > self.exists or (uidnext or 0) - 1 > last_uid
            if not uids and expected and not self.bounded_search:
                uids = imap.uids_after(client, last_uid, bounded=True)
                if uids:
                    self.bounded_search = True
                    log.info(
                        "%s: the server finds new mail only by an explicit UID range", self.name
                    )
            self.exists, reported, uidnext = reported or self.exists, None, None
            if not uids:
                break
            new += self._process(client, folder, uidvalidity, uids)
            position = self.state.folder(self.name, folder)
            if self.held_up or position is None or position.last_uid <= last_uid:
                break  # the server returned nothing for these UIDs; try at the next wake-up
            last_uid = position.last_uid
            client.noop()  # servers show a session new mail only at such a sync point
        return new

    def _full_scan(
        self,
        client: IMAPClient,
        folder: str,
        uidvalidity: int,
        uidnext: int | None,
        renumbered: bool,
    ) -> int:
        """First start, or UIDVALIDITY changed: scan the lookback window, skip known messages.

        The folder's position is written only once the scan is complete, so a
        crash or stop midway simply scans again (and recognises what it did).
        """
        if uidnext is None:
            uidnext = int(client.folder_status(folder, ["UIDNEXT"]).get(b"UIDNEXT", 1))
        since = (self.clock() - self.config.policy.lookback).date()
        if renumbered:
            log.warning(
                "%s: %s was renumbered (UIDVALIDITY changed); rescanning since %s",
                self.name,
                folder,
                since,
            )
        imap.forget_news(client)  # the EXAMINE's count: this search sees those messages
        uids = imap.uids_since(client, since)
        by_uid = imap.fingerprints(client, uids)
        known = self.state.known_fingerprints(self.name, list(by_uid.values()))
        fresh = [uid for uid in uids if by_uid.get(uid) not in known]
        count = self._process(client, folder, uidvalidity, fresh)
        if self.stop.is_set():
            return count
        newest = max([*uids, uidnext - 1])
        self.state.set_folder(self.name, folder, uidvalidity, newest)
        log.info(
            "%s: scanned %s since %s: %d messages, %d new",
            self.name,
            folder,
            since,
            len(uids),
            count,
        )
        return count

    def _process(self, client: IMAPClient, folder: str, uidvalidity: int, uids: list[int]) -> int:
        new = 0
        self.held_up = False
        try:
            for fetched in imap.fetch(client, uids):
                if self.stop.is_set():
                    break
                new += self._take(fetched, folder, uidvalidity)
        except imap.NoBody as missing:
            self._no_body(missing.uid, folder, uidvalidity)
        return new

    def _no_body(self, uid: int, folder: str, uidvalidity: int) -> None:
        """The position stays before a message whose body did not come, and it is asked
        for again at the next look; after NO_BODY_TRIES it is recorded as unreadable,
        so one message a server never delivers cannot hold up the folder for good."""
        tries = self.bodyless[uid] = self.bodyless.get(uid, 0) + 1
        if tries < NO_BODY_TRIES:
            self.held_up = True  # the catch-up stops here until the next look
            log.info("%s: uid %d came without its body; asking again later", self.name, uid)
            return
        log.warning("%s: uid %d: the server never returned its body; skipped", self.name, uid)
        seen = broken_message(imap.Fetched(uid, b"", None), self.name, folder, uidvalidity)
        self.state.record(seen, None, error=f"the server never returned its body ({tries} tries)")
        self.bodyless.pop(uid, None)

    def _take(self, fetched: imap.Fetched, folder: str, uidvalidity: int) -> int:
        """Judge, plan and record one message; 1 when it was new."""
        judged, recorded = self.intake.take(fetched, folder, uidvalidity)
        if recorded is None:
            return 0
        if judged.verdict is not None:
            log.info(
                "%s: uid %d %s (%.2f) %r: %s",
                self.name,
                fetched.uid,
                judged.verdict.label.value,
                judged.verdict.confidence,
                judged.seen.subject[:80],
                recorded.outcome,
            )
        if recorded.action is not None and self.on_action:
            self.on_action(recorded.action)
        if self.on_recorded:
            self.on_recorded(self.name, fetched.uid)
        return 1

    # -- waiting for mail -----------------------------------------------------

    def _idle_loop(self, client: IMAPClient, folder: str, uidvalidity: int) -> None:
        """IDLE until news or the renewal, then catch up; a server that keeps announcing
        mail that is not there waits a backoff between IDLEs, as a failing one would."""
        refresh = self.account.idle_refresh.total_seconds()
        empty_news = 0  # wake-ups in a row on news that brought no new message
        while not self.stop.is_set():
            if empty_news > EMPTY_NEWS_ALLOWED:
                delay = backoff_delay(empty_news - EMPTY_NEWS_ALLOWED, cap=BACKOFF_CAP)
                log.info(
                    "%s: the server keeps announcing mail that is not there; next look in %.0f s",
                    self.name,
                    delay,
                )
                if self.stop.wait(delay):
                    return
            client.idle()
            # Responses that came with IDLE's continuation were parsed into imaplib's
            # store, where idle_check never looks.
            reported = imap.forget_news(client)
            news = reported is not None
            renew_at = time.monotonic() + refresh
            while not self.stop.is_set() and not news and time.monotonic() < renew_at:
                # A closed connection raises here (imap.idle_check reports EOF); an
                # early [] is a TLS record with nothing for us, not a lost connection.
                responses = imap.idle_check(client, IDLE_SLICE, wake=self.stop)
                if any(r[1:2] == (b"BYE",) or r[:1] == (b"BYE",) for r in responses):
                    raise ConnectionLost("the server said BYE")
                counts = [r[0] for r in responses if r[1:2] == (b"EXISTS",)]
                news = any(_is_news(r) for r in responses)
                reported = max(counts, default=reported)
            if self.stop.is_set():
                return
            client.idle_done()
            # New mail, or the periodic renewal: a catch-up is one SEARCH either way.
            found = self.catch_up(client, folder, uidvalidity, reported=reported)
            empty_news = empty_news + 1 if news and not found else 0

    def _poll_loop(self, client: IMAPClient, folder: str, uidvalidity: int) -> None:
        interval = self.account.poll_interval.total_seconds()
        while not self.stop.wait(interval):
            client.noop()
            self.catch_up(client, folder, uidvalidity)


def _is_news(response: tuple) -> bool:
    return len(response) >= 2 and response[1] in (b"EXISTS", b"RECENT")
