"""``debriefer scan``: classify the lookback window of every inbox now.

A scan can cover tens of thousands of messages, so it streams: a reader thread
fetches the next batch while this one classifies the last, at most a few
batches are held at once, and each row is printed as soon as it is known.

Classifying, not fetching, is what a long scan waits for (a millisecond a
message against a fraction of that for the IMAP read), so a long dry run
classifies on a few worker processes.  A recording scan stays on one: it
writes through one SQLite connection, and what it records feeds the next
message's judgement.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import queue
import shutil
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO, TypeVar

from daemon.config import AccountConfig, Config, load_config
from daemon.errors import UserError, scrub
from daemon.ledger import Ledger, StateError
from daemon.mail import imap
from daemon.mail.probe import session_problem
from daemon.running.intake import Intake
from daemon.secrets import resolve_secret

T = TypeVar("T")

# Batches fetched ahead of the one being classified: enough to hide the server's
# latency, few enough that memory does not grow with the size of the folder.
READ_AHEAD = 2
_READER_JOIN = 5.0  # seconds a stopped reader gets to finish its FETCH
# A dry run this long classifies on worker processes; shorter ones are over before
# workers would pay for themselves.
POOL_FROM = 1_000
MAX_WORKERS = 4


def cmd_scan(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    # --dry-run writes nothing at all, not even a new state file; it reads the state,
    # when there is one, to judge replies in their threads as the daemon does.
    if not args.dry_run:
        state: Ledger | None = Ledger(config.state_path)
    else:
        state = _readable_state(config)
    show_progress = not args.json and sys.stderr.isatty()
    failed = 0
    try:
        for account in config.accounts:
            try:
                _scan_account(
                    config, account, state, sys.stdout, as_json=args.json, progress=show_progress
                )
            except UserError as exc:
                failed += 1
                print(f"debriefer: {scrub(str(exc))}", file=sys.stderr)
            except Exception as exc:
                failed += 1
                print(
                    f"debriefer: {account.name}: {session_problem(account, exc)}", file=sys.stderr
                )
    finally:
        if state is not None:
            state.close()
    return 1 if failed else 0


def _readable_state(config: Config) -> Ledger | None:
    """The state, read-only, for a dry run; None when there is none it can read (not yet
    made, or of an older schema that only `run` may upgrade)."""
    if not config.state_path.exists():
        return None
    try:
        return Ledger(config.state_path, read_only=True)
    except StateError as exc:
        print(f"debriefer: judging without the state: {exc}", file=sys.stderr)
        return None


def _scan_account(
    config: Config,
    account: AccountConfig,
    state: Ledger | None,
    out: TextIO,
    *,
    as_json: bool,
    progress: bool,
) -> None:
    """Classify the lookback window of one account's inbox and print each row; record
    it unless dry."""
    since = (datetime.now(UTC) - config.policy.lookback).date()
    intake = Intake(config, account, state)
    client = imap.connect(account, resolve_secret(account.password))
    try:
        selected = client.select_folder(account.inbox, readonly=True)
        uidvalidity = int(selected[b"UIDVALIDITY"])
        uids = imap.uids_since(client, since)
        bar = ScanProgress(f"{account.name} {account.inbox}", len(uids), sys.stderr, progress)
        workers = _worker_count(len(uids)) if state is None or state.read_only else 1
        # Workers fork before the reader thread starts: a fork copies no running thread.
        with _judging(intake, uidvalidity, workers) as judge:
            # The reader owns the connection until the loop ends: nothing else touches it.
            batches = read_ahead(imap.fetch_batches(client, uids))
            judged = judge(batches)
            with (
                contextlib.closing(batches),
                contextlib.closing(judged),
                contextlib.ExitStack() as undo,
            ):
                undo.callback(bar.finish)
                for rows in judged:
                    with bar.hidden(when=out.isatty()):
                        _print_rows(rows, out, as_json=as_json)
                    bar.advance(len(rows))
    finally:
        imap.close_quietly(client)


Rows = list[dict[str, Any]]
Judge = Callable[[Iterable[list[imap.Fetched]]], Generator[Rows, None, None]]


def _worker_count(messages: int) -> int:
    if messages < POOL_FROM:
        return 1
    # The cores this process may run on, which a container or taskset may limit.
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(MAX_WORKERS, cores or 1))


@contextlib.contextmanager
def _judging(intake: Intake, uidvalidity: int, workers: int) -> Iterator[Judge]:
    """A function from fetched batches to rows, in order, here or on ``workers`` processes."""
    if workers <= 1:
        yield lambda batches: (_rows(intake, batch, uidvalidity) for batch in batches)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, context, _start_worker, (intake, uidvalidity)) as pool:
        # A fork context starts every worker at the first submit: do it now, before
        # the reader thread exists.  (A dead worker fails the scan; it never hangs.)
        pool.submit(int).result()

        def judge(batches: Iterable[list[imap.Fetched]]) -> Generator[Rows, None, None]:
            # Bounded: a fast server must not fill memory with batches waiting for a worker.
            pending: deque[Future[Rows]] = deque()
            try:
                for batch in batches:
                    pending.append(pool.submit(_worker_rows, [_portable(f) for f in batch]))
                    if len(pending) > 2 * workers:
                        yield pending.popleft().result()
                while pending:
                    yield pending.popleft().result()
            finally:
                for future in pending:
                    future.cancel()

        yield judge


def _portable(fetched: imap.Fetched) -> imap.Fetched:
    """imapclient's own tzinfo cannot be pickled; the same moment in UTC can."""
    received = fetched.received_at
    if received is None or received.tzinfo is None:
        return fetched
    return imap.Fetched(fetched.uid, fetched.raw, received.astimezone(UTC))


_worker: tuple[Intake, int] | None = None


def _start_worker(intake: Intake, uidvalidity: int) -> None:
    global _worker
    if intake.state is not None:  # a connection must not cross a fork: each opens its own
        intake.state = Ledger(intake.state.path, read_only=True)
    _worker = (intake, uidvalidity)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def _worker_rows(batch: list[imap.Fetched]) -> Rows:
    assert _worker is not None
    intake, uidvalidity = _worker
    return _rows(intake, batch, uidvalidity)


def _rows(intake: Intake, batch: list[imap.Fetched], uidvalidity: int) -> Rows:
    return [_row(intake, fetched, uidvalidity) for fetched in batch]


def _row(intake: Intake, fetched: imap.Fetched, uidvalidity: int) -> dict[str, Any]:
    """One message as the scan prints it: the verdict and the plan.  A dry run describes
    what recording would do; a real scan records it, planned as the daemon would, its
    position in the folder left to the daemon."""
    folder = intake.account.inbox
    if intake.state is None or intake.state.read_only:
        described = intake.describe(fetched, folder, uidvalidity)
        judged, plan = described.judged, described.plan_dict()
    else:
        judged, recorded = intake.take(fetched, folder, uidvalidity, advance=False)
        # Known already (None): recorded before, and planned then.
        plan = {"outcome": recorded.outcome} if recorded and recorded.outcome else None
    seen, verdict = judged.seen, judged.verdict
    row: dict[str, Any] = {
        "account": intake.account.name,
        "folder": folder,
        "uid": seen.uid,
        "message_id": seen.message_id,
        "subject": seen.subject,
    }
    row.update(verdict.to_dict() if verdict else {"label": None, "error": judged.error})
    row["plan"] = plan
    return row


def read_ahead(source: Iterator[T], depth: int = READ_AHEAD) -> Iterator[T]:
    """``source``'s items, produced on a thread of their own up to ``depth`` ahead.

    IMAP reads wait on the server and on the socket, during which the caller's
    classifying goes on.  Closing the generator stops the thread after its
    current item; an exception on the thread is raised here, in order.
    """
    handoff: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(item: tuple[str, Any]) -> bool:
        while not stop.is_set():
            with contextlib.suppress(queue.Full):
                handoff.put(item, timeout=0.1)
                return True
        return False

    def produce() -> None:
        try:
            for item in source:
                if not offer(("item", item)):
                    return
        except BaseException as exc:  # handed over, raised on the consuming side
            offer(("error", exc))
        else:
            offer(("done", None))

    reader = threading.Thread(target=produce, name="scan-reader", daemon=True)
    reader.start()
    try:
        while True:
            kind, value = handoff.get()
            if kind == "done":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        reader.join(_READER_JOIN)


def _print_rows(rows: list[dict[str, Any]], out: TextIO, *, as_json: bool) -> None:
    for row in rows:
        if as_json:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            continue
        label = row["label"] or "error"
        confidence = f" {row['confidence']:.2f}" if row.get("confidence") is not None else ""
        out.write(f"{row['account']} {row['uid']:>6} {label:<15}{confidence}  {row['subject']}\n")
        if row["label"] == "rejection":
            context = [row.get(k) for k in ("company", "job_title", "contact_email")]
            out.write("         " + " / ".join(c or "?" for c in context) + "\n")
            for reason in row["reasons"][:3]:
                out.write(f"         - {reason}\n")
        elif row["label"] is None:
            out.write(f"         error: {row['error']}\n")
        plan = row.get("plan") or {}
        if plan.get("outcome") and plan["outcome"] != "nothing to do":
            would = "would be: " if plan.get("foreseen") else ""
            new = plan.get("action")
            to = f", to {new['to'] or 'nobody found'}" if new else ""
            out.write(f"         → {would}{plan['outcome']}{to}\n")
    out.flush()


# -- the progress bar ------------------------------------------------------------


def progress_line(label: str, done: int, total: int, elapsed: float) -> str:
    """``INBOX 1,234/20,000 messages (6%), 310/s, 0:42 left``: the rate so far and what
    it means for the rest."""
    line = f"{label} {done:,}/{total:,} messages"
    if total > 0:
        line += f" ({min(100, done * 100 // total)}%)"
    if done <= 0 or elapsed <= 0:
        return line
    rate = done / elapsed
    return f"{line}, {rate:,.0f}/s, {_clock(max(0, total - done) / rate)} left"


def _clock(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


@dataclass
class ScanProgress:
    """One line on a terminal, redrawn in place, for scans long enough to wonder about.

    Nothing is drawn during the first ``delay`` seconds (most scans are over by
    then), and at most once per ``interval`` after that: a redraw per message
    would cost more than the message.
    """

    label: str
    total: int
    stream: TextIO
    enabled: bool = True
    delay: float = 1.0
    interval: float = 0.25
    clock: Callable[[], float] = time.monotonic
    width: int = field(default_factory=lambda: shutil.get_terminal_size().columns)
    done: int = 0
    visible: bool = False
    started: float = field(init=False)
    drawn_at: float = field(init=False, default=float("-inf"))

    def __post_init__(self) -> None:
        self.started = self.clock()

    def advance(self, count: int = 1) -> None:
        self.done += count
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started >= self.delay and now - self.drawn_at >= self.interval:
            self._draw(now)

    def _draw(self, now: float) -> None:
        line = progress_line(self.label, self.done, self.total, now - self.started)
        # One column short of the width: a line that wraps can no longer be redrawn by \r.
        self.stream.write(f"\r{line[: max(20, self.width - 1)]}\x1b[K")
        self.stream.flush()
        self.drawn_at, self.visible = now, True

    def clear(self) -> None:
        if self.visible:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.visible = False

    @contextlib.contextmanager
    def hidden(self, *, when: bool = True) -> Iterator[None]:
        """Lift the bar while rows go to the same terminal, then put it back."""
        shown = self.visible and when
        if shown:
            self.clear()
        try:
            yield
        finally:
            if shown:
                self._draw(self.clock())

    def finish(self) -> None:
        self.clear()
