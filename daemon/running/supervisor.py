"""The supervisor: every account's watcher and the outbox, side by side under asyncio.

It restarts a session after any error with capped, jittered exponential backoff,
keeps one failing account from touching the others, wakes the outbox when an
action falls due, and stops every thread on SIGTERM.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from daemon.config import Config
from daemon.errors import describe_failure
from daemon.ledger import Action, Ledger, StateBroken, broken_state_message, is_broken
from daemon.mail import imap
from daemon.mail.probe import refused_login, session_problem
from daemon.running import sdnotify
from daemon.running.clock import Clock
from daemon.running.outbox import Outbox
from daemon.running.watcher import BACKOFF_BASE, AccountWatcher, Stop, backoff_delay
from daemon.secrets import where_from

log = logging.getLogger(__name__)

STOP_GRACE = 3.0  # seconds for sessions to log out before their sockets are cut
# How long a stop waits for a draft or send in flight: one network timeout and a little,
# within the unit's TimeoutStopSec (75 s).
ACTION_GRACE = 70.0
STATE_CHECK = 30.0  # seconds between looks at whether the state file is still ours
THOROUGH_EVERY = 10  # of those looks, one in this many reads the whole file through
# Refused logins in a row before an account stops trying, and how long it rests then.
LOGIN_REFUSALS = 3
LOGIN_PAUSE = 6 * 3600.0
# A session that got this far counts as healthy: the next failure starts the backoff afresh.
HEALTHY_AFTER = 30.0
OUTBOX_SWEEP = 300  # seconds between looks at the state for actions nobody woke us for
FIRST_CATCH_UP_WAIT = 60.0  # seconds the outbox waits at start for every inbox to be read


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
        state: Ledger,
        *,
        backoff_base: float = BACKOFF_BASE,
        login_pause: float = LOGIN_PAUSE,
        clock: Clock | None = None,
    ):
        self.config = config
        self.clock = clock or Clock()
        self.state = state
        self.backoff_base = backoff_base
        self.login_pause = login_pause
        self._stop_threads = Stop()
        self._stopping: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.outbox = Outbox(config, state, clock=self.clock, stopping=self._stop_threads.is_set)
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
            AccountWatcher(
                config,
                account,
                state,
                self._stop_threads,
                on_action=self._scheduled,
                clock=self.clock,
            )
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
        self.clock.on_jump(self._clock_jumped)
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

    def _clock_jumped(self) -> None:
        """The clock moved on (a test's): whatever fell due meanwhile is due now."""
        loop = self._loop
        if loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop already closed
                loop.call_soon_threadsafe(self._schedule_wakes)

    def _wake_at(self, action_id: int, when: datetime) -> None:
        if self._scheduler is None or self._stop_threads.is_set():
            return
        # The scheduler keeps the system's time; the clock may be ahead of it.
        delay = max(when - self.clock(), timedelta(0))
        self._scheduler.add_job(
            self._run_outbox,
            "date",
            run_date=datetime.now(UTC) + delay,
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


def run_daemon(config: Config, state: Ledger, stop_signals: Iterable[int] = ()) -> str | None:
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
