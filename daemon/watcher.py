"""The watcher: one blocking IMAP session per account, supervised by asyncio.

imapclient is synchronous, so each account's session lives in a worker thread
(``AccountWatcher.serve``); the asyncio side only supervises: it restarts a
session after any error with capped, jittered exponential backoff, keeps one
failing account from touching the others, and stops every thread on SIGTERM.
IDLE is waited on in one-second slices so a stop request is seen quickly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from . import imap, sdnotify
from .config import AccountConfig, Config
from .errors import describe_failure
from .intake import Intake, broken_message
from .outbox import Outbox, notice_sent
from .probe import refused_login, session_problem
from .secrets import resolve_secret, where_from
from .state import Action, State, StateBroken, broken_state_message, is_broken

log = logging.getLogger(__name__)

IDLE_SLICE = 1.0  # seconds per idle_check: the longest a stop request waits
STOP_GRACE = 3.0  # seconds for sessions to log out before their sockets are cut
# How long a stop waits for a draft or send in flight: one network timeout and a little,
# within the unit's TimeoutStopSec (75 s).
ACTION_GRACE = 70.0
# IDLE wake-ups in a row on news that brought nothing, before the next ones wait a backoff.
EMPTY_NEWS_ALLOWED = 3
NO_BODY_TRIES = 3  # looks at a message that comes without its body before giving up on it
STATE_CHECK = 30.0  # seconds between looks at whether the state file is still ours
THOROUGH_EVERY = 10  # of those looks, one in this many reads the whole file through
BACKOFF_BASE = 1.0
BACKOFF_CAP = 300.0
# Refused logins in a row before an account stops trying, and how long it rests then.
LOGIN_REFUSALS = 3
LOGIN_PAUSE = 6 * 3600.0
# A session that got this far counts as healthy: the next failure starts the backoff afresh.
HEALTHY_AFTER = 30.0
OUTBOX_SWEEP = 300  # seconds between looks at the state for actions nobody woke us for
FIRST_CATCH_UP_WAIT = 60.0  # seconds the outbox waits at start for every inbox to be read


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
        state: State,
        stop: threading.Event,
        on_recorded: Callable[[str, int], None] | None = None,
        on_action: Callable[[Action], None] | None = None,
    ) -> None:
        self.config = config
        self.account = account
        self.state = state
        self.stop = stop
        self.on_recorded = on_recorded  # told of each new message (account, uid)
        self.on_action = on_action  # told of each newly scheduled draft
        self.intake = Intake(config, account, state)
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
            notice_sent(self.state, client, sent, self.name)
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
        since = (datetime.now(UTC) - self.config.policy.lookback).date()
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
                responses = imap.idle_check(client, IDLE_SLICE)
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


class Daemon:
    """Runs every account side by side, and the outbox when something falls due, until
    ``request_stop``.

    The SQLite state says what is due; APScheduler only wakes the outbox at those
    times.  Its jobs are rebuilt from the state at start (anything overdue runs at
    once) and after every outbox run.
    """

    def __init__(
        self,
        config: Config,
        state: State,
        *,
        backoff_base: float = BACKOFF_BASE,
        login_pause: float = LOGIN_PAUSE,
    ):
        self.config = config
        self.state = state
        self.backoff_base = backoff_base
        self.login_pause = login_pause
        self._stop_threads = threading.Event()
        self._stopping: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.outbox = Outbox(config, state, stopping=self._stop_threads.is_set)
        self._scheduler: AsyncIOScheduler | None = None
        self._outbox_lock: asyncio.Lock | None = None
        self._outbox_pool: ThreadPoolExecutor | None = None
        # The outbox's run in its thread: a stop waits for it, whatever happens to the
        # scheduler's job that started it.
        self._outbox_run: asyncio.Future[int] | None = None
        # Set when the state cannot be trusted: the daemon stops, and `run` exits with it.
        self.failure: str | None = None
        self._opening: asyncio.Task[None] | None = None
        self.watchers = [
            AccountWatcher(config, account, state, self._stop_threads, on_action=self._scheduled)
            for account in config.accounts
        ]

    def _fail(self, exc: BaseException) -> None:
        """The state cannot be trusted: stop everything, say so once."""
        if self.failure is None:
            self.failure = (
                str(exc)
                if isinstance(exc, StateBroken)
                else broken_state_message(self.state.path, describe_failure(exc))
            )
            log.critical("%s", self.failure)
        self.request_stop()

    async def _watch_state_file(self) -> None:
        """A state deleted, replaced or damaged where no query looked raises no error in
        SQLite: look, and every few looks read it through (on a thread: it takes a
        moment on a big file)."""
        assert self._stopping is not None
        looks = 0
        while not self._stop_threads.is_set():
            thorough = looks % THOROUGH_EVERY == 0
            looks += 1
            try:
                await asyncio.to_thread(self.state.check_file, thorough=thorough)
            except StateBroken as exc:
                self._fail(exc)
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), STATE_CHECK)

    def request_stop(self) -> None:
        """Safe from any thread and from a signal handler."""
        self._stop_threads.set()
        if self._loop is not None and self._stopping is not None:
            with contextlib.suppress(RuntimeError):  # the loop already closed
                self._loop.call_soon_threadsafe(self._stopping.set)

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        if self._stop_threads.is_set():
            return
        # One thread per account: a shared pool could leave accounts beyond its size unwatched.
        pool = ThreadPoolExecutor(len(self.watchers), thread_name_prefix="account")
        interval = sdnotify.watchdog_interval()
        watchdog = asyncio.create_task(sdnotify.ping_watchdog(interval)) if interval else None
        checker = asyncio.create_task(self._watch_state_file(), name="state-file")
        self._start_outbox()
        tasks = [asyncio.create_task(self._supervise(w, pool), name=w.name) for w in self.watchers]
        # Ready once the sessions are under way, not once they caught up: a first scan
        # can take longer than systemd waits for a start.
        sdnotify.notify("READY=1", f"STATUS=watching {len(self.watchers)} account(s)")
        try:
            await self._stopping.wait()
            sdnotify.notify("STOPPING=1", "STATUS=stopping")
            _, pending = await asyncio.wait(tasks, timeout=STOP_GRACE)
            if pending:  # a session stuck in a read: cut its socket
                for watcher in self.watchers:
                    watcher.abort()
                await asyncio.wait(pending)
        finally:
            self._stop_threads.set()
            if watchdog is not None:
                watchdog.cancel()
            checker.cancel()
            if self._scheduler is not None and self._scheduler.running:
                # This cancels the job's task, not the outbox's thread (see _run_outbox).
                self._scheduler.shutdown(wait=False)
            # An action in flight finishes and is recorded (its copy in Sent too) before
            # the caller closes the state: at-most-once must not depend on when a stop came.
            if self._outbox_run is not None and not self._outbox_run.done():
                log.info("stopping: waiting for the draft or send in flight")
                await asyncio.wait({self._outbox_run}, timeout=ACTION_GRACE)
            pool.shutdown(wait=False)
            if self._outbox_pool is not None:
                self._outbox_pool.shutdown(wait=False)

    # -- the outbox ------------------------------------------------------------

    def _start_outbox(self) -> None:
        self._outbox_lock = asyncio.Lock()
        self._outbox_pool = ThreadPoolExecutor(1, thread_name_prefix="outbox")
        self._scheduler = AsyncIOScheduler(event_loop=self._loop, timezone=UTC)
        # Also look now and then: `debriefer scan` or `forget` may change the state meanwhile.
        self._scheduler.add_job(
            self._run_outbox, "interval", seconds=OUTBOX_SWEEP, id="sweep", coalesce=True
        )
        self._schedule_wakes()  # held as pending jobs until the scheduler starts
        self._opening = asyncio.create_task(self._open_outbox(), name="outbox")

    async def _open_outbox(self) -> None:
        """Start acting only once every inbox is read up to date (or after a while).

        Mail that arrived while the daemon was down may cancel an overdue request
        (the contact wrote again, or already sent feedback); acting first would
        draft, or send, what is no longer right.
        """
        assert self._loop is not None
        assert self._scheduler is not None
        deadline = self._loop.time() + FIRST_CATCH_UP_WAIT
        while not all(w.caught_up.is_set() for w in self.watchers):
            if self._stop_threads.is_set():
                return
            if self._loop.time() >= deadline:
                late = [w.name for w in self.watchers if not w.caught_up.is_set()]
                log.warning("acting on due drafts without a catch-up of %s", ", ".join(late))
                break
            await asyncio.sleep(0.1)
        self._scheduler.start()

    def _scheduled(self, action: Action) -> None:
        """A watcher thread planned a new action: wake the outbox at its due time."""
        loop = self._loop
        if loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop already closed
                loop.call_soon_threadsafe(self._wake_at, action.id, action.due_at)

    def _wake_at(self, action_id: int, when: datetime) -> None:
        if self._scheduler is None or self._stop_threads.is_set():
            return
        self._scheduler.add_job(
            self._run_outbox,
            "date",
            run_date=max(when, datetime.now(UTC)),
            id=f"action-{action_id}",
            replace_existing=True,
            # The default grace of one second would drop a wake-up the loop was late for.
            misfire_grace_time=None,
            coalesce=True,
        )

    def _schedule_wakes(self) -> None:
        for action_id, when in self.outbox.wake_times().items():
            self._wake_at(action_id, when)

    async def _run_outbox(self) -> None:
        assert self._outbox_lock is not None
        loop = asyncio.get_running_loop()
        async with self._outbox_lock:
            if self._stop_threads.is_set():
                return
            try:
                self._outbox_run = loop.run_in_executor(self._outbox_pool, self.outbox.run_due)
                # Shielded: the scheduler's shutdown cancels this task, and the thread
                # would go on acting on a state its caller is about to close.
                await asyncio.shield(self._outbox_run)
            except Exception as exc:
                if is_broken(exc):
                    self._fail(exc)
                    return
                log.exception("the outbox failed; it runs again at the next wake-up")
            self._schedule_wakes()

    async def _supervise(self, watcher: AccountWatcher, pool: ThreadPoolExecutor) -> None:
        loop = asyncio.get_running_loop()
        attempt = refusals = 0
        while not self._stop_threads.is_set():
            try:
                await loop.run_in_executor(pool, watcher.serve)
                continue  # returned because of a stop request
            except Exception as exc:  # every failure means: wait, reconnect, catch up
                if self._stop_threads.is_set():
                    break
                if is_broken(exc):
                    self._fail(exc)
                    break
                refusals = refusals + 1 if isinstance(exc, imap.LoginFailed) else 0
                if refusals >= LOGIN_REFUSALS:
                    delay = self._refused(watcher, refusals)
                    attempt = refusals = 0
                else:
                    healthy = (
                        watcher.connected_at is not None
                        and time.monotonic() - watcher.connected_at > HEALTHY_AFTER
                    )
                    if healthy:
                        attempt = 0
                    delay = backoff_delay(attempt, base=self.backoff_base)
                    attempt += 1
                    connecting = watcher.connected_at is None
                    detail = session_problem(watcher.account, exc, connecting=connecting)
                    log.warning("%s: %s; reconnecting in %.1f s", watcher.name, detail, delay)
                    self._set_status(watcher.name, "reconnecting", detail)
            assert self._stopping is not None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), delay)
        self._set_status(watcher.name, "stopped")

    def _refused(self, watcher: AccountWatcher, refusals: int) -> float:
        """Refused logins in a row: a provider may lock the account if we keep trying, so
        this account rests for LOGIN_PAUSE (the others go on); returns the pause."""
        pause = self.login_pause
        until = (datetime.now().astimezone() + timedelta(seconds=pause)).strftime("%H:%M")
        where = where_from(watcher.account.password)
        log.error(
            "%s: login refused %d times in a row for %s; not trying again until %s or a"
            " restart. Check %s",
            watcher.name,
            refusals,
            watcher.account.username,
            until,
            where,
        )
        self._set_status(
            watcher.name,
            "login refused",
            f"{refused_login(watcher.account)}; next try at {until} or when debriefer restarts",
        )
        return pause

    def _set_status(self, account: str, state: str, detail: str = "") -> None:
        """Status is for people; failing to write it must not stop the supervision."""
        try:
            self.state.set_account_status(account, state, detail)
        except Exception as exc:
            if is_broken(exc):
                self._fail(exc)
                return
            log.exception("%s: could not record the account status", account)


def run_daemon(config: Config, state: State, stop_signals: Iterable[int] = ()) -> str | None:
    """Run until one of ``stop_signals`` arrives; returns why it stopped on its own (the
    state could not be trusted), None after a signal."""
    daemon = Daemon(config, state)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for number in stop_signals:
            loop.add_signal_handler(number, daemon.request_stop)
        await daemon.run()

    asyncio.run(main())
    return daemon.failure
