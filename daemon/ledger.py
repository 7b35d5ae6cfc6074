"""The ledger: the SQLite record of what was seen, decided and done.

At most once lives here and in ``running/outbox.py``, nowhere else.  Here: the
partial unique index (one live request per contact, one thank-you per thread), the
unique Message-ID of every action, the compare-and-set ``transition`` every step of
an action goes through, and ``single_writer``, which keeps a second daemon off the
file.  ``decide.plan.settle`` only says in words why an action was not made; the
index is what makes a second one impossible.  The outbox holds the other half:
reserve, act, confirm, and the reconciliation of what a crash interrupted.

Why SQLite: a single file, transactions that survive a crash mid-write, and
WAL so ``debriefer status`` can read while the daemon writes.  The file is
created 0600 inside a 0700 directory: it names the user's contacts.  Every
schema change is a numbered migration, applied in order at open.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple, TypedDict, cast

from classifiers import Verdict
from daemon.errors import UserError
from decide.plan import NewAction, Plan, settle
from decide.relation import Asked, Rejection, Thread, answered, lowered, unasked

log = logging.getLogger(__name__)


class Migration(NamedTuple):
    """One schema change: its number is its place in MIGRATIONS (SQLite's user_version)."""

    name: str
    sql: str


# Append only: a released migration is never edited, a new one is added.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "folders, messages and account status",
        """
    CREATE TABLE folders (
        account      TEXT NOT NULL,
        folder       TEXT NOT NULL,
        uidvalidity  INTEGER NOT NULL,
        last_uid     INTEGER NOT NULL,
        updated_at   TEXT NOT NULL,
        PRIMARY KEY (account, folder)
    );
    CREATE TABLE messages (
        id            INTEGER PRIMARY KEY,
        account       TEXT NOT NULL,
        folder        TEXT NOT NULL,
        uidvalidity   INTEGER NOT NULL,
        uid           INTEGER NOT NULL,
        fingerprint   TEXT NOT NULL,
        message_id    TEXT,
        subject       TEXT NOT NULL DEFAULT '',
        sender        TEXT,
        received_at   TEXT,
        label         TEXT,
        confidence    REAL,
        language      TEXT,
        reasons       TEXT NOT NULL DEFAULT '[]',
        company       TEXT,
        job_title     TEXT,
        contact_name  TEXT,
        contact_email TEXT,
        suppressed    TEXT,
        error         TEXT,
        processed_at  TEXT NOT NULL,
        UNIQUE (account, folder, uidvalidity, uid)
    );
    CREATE INDEX messages_by_fingerprint ON messages (account, fingerprint);
    CREATE INDEX messages_by_label ON messages (label, received_at);
    CREATE TABLE account_status (
        account      TEXT PRIMARY KEY,
        state        TEXT NOT NULL,
        detail       TEXT NOT NULL DEFAULT '',
        since        TEXT NOT NULL,
        last_seen_at TEXT
    );
    """,
    ),
    # 2: what each message led to, and the actions: one feedback request per contact
    # (the partial unique index), one thank-you per reply.
    Migration(
        "what each message led to, and the actions",
        """
    ALTER TABLE messages ADD COLUMN refs TEXT NOT NULL DEFAULT '';
    ALTER TABLE messages ADD COLUMN rule TEXT;
    ALTER TABLE messages ADD COLUMN outcome TEXT;
    CREATE INDEX messages_by_message_id ON messages (message_id);
    CREATE TABLE actions (
        id                 INTEGER PRIMARY KEY,
        kind               TEXT NOT NULL,
        contact_key        TEXT NOT NULL,
        account            TEXT NOT NULL,
        source_id          INTEGER NOT NULL REFERENCES messages (id),
        source_fingerprint TEXT NOT NULL,
        to_email           TEXT,
        to_name            TEXT,
        language           TEXT NOT NULL,
        template           TEXT NOT NULL,
        rule               TEXT,
        message_id         TEXT NOT NULL UNIQUE,
        state              TEXT NOT NULL,
        due_at             TEXT NOT NULL,
        expires_at         TEXT NOT NULL,
        folder             TEXT,
        detail             TEXT NOT NULL DEFAULT '',
        attempts           INTEGER NOT NULL DEFAULT 0,
        created_at         TEXT NOT NULL,
        updated_at         TEXT NOT NULL
    );
    CREATE UNIQUE INDEX one_live_action_per_contact ON actions (kind, contact_key)
        WHERE state NOT IN ('cancelled', 'lapsed', 'forgotten');
    CREATE INDEX actions_by_state ON actions (state, due_at);
    CREATE INDEX actions_by_source ON actions (source_fingerprint);
    """,
    ),
    # 3: the request as the user sent it (any Message-ID, from any client), and for each
    # answer the rejection whose thread it continues and the kind of answer it is.
    Migration(
        "the request as sent, and the thread an answer continues",
        """
    ALTER TABLE actions ADD COLUMN sent_message_id TEXT;
    ALTER TABLE actions ADD COLUMN sent_at TEXT;
    ALTER TABLE messages ADD COLUMN thread_of INTEGER REFERENCES messages (id);
    ALTER TABLE messages ADD COLUMN answer TEXT;
    ALTER TABLE messages ADD COLUMN familiar INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX messages_by_thread ON messages (thread_of);
    CREATE INDEX messages_by_lower_id ON messages (lower(message_id));
    CREATE INDEX actions_by_lower_id ON actions (lower(message_id));
    CREATE INDEX actions_by_lower_sent_id ON actions (lower(sent_message_id));
    """,
    ),
    # 4: what the look-back found in the earlier thread before drafting (JSON), for
    # `explain`.
    Migration(
        "what the look-back found",
        """
    ALTER TABLE actions ADD COLUMN history TEXT;
    """,
    ),
    # 5: why a due action is held up (no Drafts folder, login refused...) and what fixes
    # it, for `status`; cleared when the action moves on.
    Migration(
        "why a due action is held up",
        """
    ALTER TABLE actions ADD COLUMN problem TEXT;
    """,
    ),
    # 6: the user's switches (`debriefer pause`), read by the running daemon.
    Migration(
        "the user's switches",
        """
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    ),
    # 7: how the plan said to carry the action out (mode, send window, zone), so the
    # outbox does not decide it again; NULL for actions planned before.
    Migration(
        "the plan's mode, send window and zone, kept with the action",
        """
    ALTER TABLE actions ADD COLUMN mode TEXT;
    ALTER TABLE actions ADD COLUMN send_window TEXT;
    ALTER TABLE actions ADD COLUMN zone TEXT;
    """,
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
MEMORY = ":memory:"  # SQLite's name for a database without a file


class StateError(UserError):
    """The state file cannot be used (newer schema, unreadable, corrupt)."""


class StateBroken(StateError):
    """The state went bad while debriefer ran: damaged, deleted, replaced or unwritable.
    Nothing may be drafted or sent on its word any more."""


def is_broken(exc: BaseException) -> bool:
    """Whether a failure means the state cannot be trusted, rather than a moment's
    contention (busy, locked) that the next attempt gets past."""
    if isinstance(exc, StateBroken):
        return True
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        return not ("locked" in text or "busy" in text)
    return isinstance(exc, sqlite3.DatabaseError)


def broken_state_message(path: Path, reason: str) -> str:
    """The one line that says what happened to the state and what to do."""
    return (
        f"the state file {path} cannot be trusted ({reason}); debriefer stopped so that"
        f" nothing is drafted or sent twice. Move it aside (mv {path} {path}.broken) and"
        " start again: the marks in your mailbox keep what was made from being made again"
    )


def _storable(*values: Any) -> tuple[Any, ...]:
    """Mail can decode to lone surrogates, which SQLite refuses; store them as U+FFFD."""
    return tuple(
        v.encode("utf-8", "replace").decode("utf-8") if isinstance(v, str) else v for v in values
    )


def _writable_address(address: str | None) -> str | None:
    """None for an address with lone surrogates (raw 8-bit header bytes the classifier
    could not decode): stored, it would read "j??rg@firma.example", which looks valid
    and is nobody's.  The draft then has no recipient; the contact key still counts."""
    if address is None or any("\ud800" <= c <= "\udfff" for c in address):
        return None
    return address


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class FolderState:
    uidvalidity: int
    last_uid: int


@dataclass(frozen=True, slots=True)
class SeenMessage:
    """What the watcher knows of one fetched message, besides its verdict."""

    account: str
    folder: str
    uidvalidity: int
    uid: int
    fingerprint: str
    message_id: str | None
    subject: str
    sender: str | None
    received_at: str | None
    # References and In-Reply-To as received: our draft's References continue them.
    refs: str = ""


# Action states.  Only SCHEDULED may still be cancelled or lapse; DRAFTING and
# SENDING mean "we may have acted": a restart looks for our Message-ID first.
SCHEDULED = "scheduled"
DRAFTING = "drafting"
SENDING = "sending"
DRAFTED = "drafted"
SENT = "sent"
CANCELLED = "cancelled"
LAPSED = "lapsed"
FORGOTTEN = "forgotten"  # `debriefer forget`: kept, so a copy of an old rejection stays known
PENDING_STATES = (SCHEDULED, DRAFTING, SENDING)


@dataclass(frozen=True, slots=True)
class Action:
    """One row of the actions table: a draft or mail we will make, are making, or made."""

    id: int
    kind: str
    contact_key: str
    account: str
    source_id: int
    to_email: str | None
    to_name: str | None
    language: str
    template: str
    rule: str | None
    message_id: str
    state: str
    due_at: datetime
    expires_at: datetime
    folder: str | None
    detail: str
    attempts: int
    # As planned (decide.plan); None for an action planned before they were kept.
    mode: str | None = None
    send_window: str | None = None
    zone: str | None = None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Action:
        return cls(
            id=row["id"],
            kind=row["kind"],
            contact_key=row["contact_key"],
            account=row["account"],
            source_id=row["source_id"],
            to_email=row["to_email"],
            to_name=row["to_name"],
            language=row["language"],
            template=row["template"],
            rule=row["rule"],
            message_id=row["message_id"],
            state=row["state"],
            due_at=datetime.fromisoformat(row["due_at"]),
            expires_at=datetime.fromisoformat(row["expires_at"]),
            folder=row["folder"],
            detail=row["detail"],
            attempts=row["attempts"],
            mode=row["mode"],
            send_window=row["send_window"],
            zone=row["zone"],
        )


class MessageRow(TypedDict):
    """A row of the messages table as ``messages`` returns it (``reasons`` decoded)."""

    id: int
    account: str
    folder: str
    uidvalidity: int
    uid: int
    fingerprint: str
    message_id: str | None
    subject: str
    sender: str | None
    received_at: str | None
    label: str | None
    confidence: float | None
    language: str | None
    reasons: list[str]
    company: str | None
    job_title: str | None
    contact_name: str | None
    contact_email: str | None
    suppressed: str | None
    error: str | None
    processed_at: str
    refs: str
    rule: str | None
    outcome: str | None
    thread_of: int | None  # the rejection it continues (decide.relation)
    answer: str | None
    familiar: int


class ActionRow(TypedDict):
    """A row of the actions table as ``actions`` returns it, with its source's subject and
    Message-ID; ``Action`` is the typed form the outbox works on."""

    id: int
    kind: str
    contact_key: str
    account: str
    source_id: int
    source_fingerprint: str
    to_email: str | None
    to_name: str | None
    language: str
    template: str
    rule: str | None
    message_id: str
    state: str
    due_at: str
    expires_at: str
    folder: str | None
    detail: str
    attempts: int
    created_at: str
    updated_at: str
    sent_message_id: str | None
    sent_at: str | None
    history: str | None
    problem: str | None
    mode: str | None
    send_window: str | None
    zone: str | None
    source_subject: str
    source_message_id: str | None


@dataclass(frozen=True, slots=True)
class Recorded:
    """A newly stored message, and the action it scheduled (if any)."""

    message_row: int
    outcome: str | None
    action: Action | None = None


def stamp(moment: datetime) -> str:
    """The one text form of a time in the state: UTC, to the second, so text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@contextmanager
def single_writer(state_path: Path) -> Iterator[None]:
    """Held by `debriefer run` for its whole life: two daemons on one ledger would both act
    on every message."""
    lock_path = state_path.with_name(state_path.name + ".lock")
    try:
        state_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock = open(lock_path, "a")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise UserError(
            f"cannot use the state folder {state_path.parent}: {exc.strerror or exc};"
            " it must be writable by you (or set [state] path)"
        ) from None
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError(f"another `debriefer run` is already using {state_path}") from None
        yield


def _create_private(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)  # an existing file keeps its mode under O_CREAT


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return found.st_dev, found.st_ino


class Ledger:
    """The ledger (the state file): one connection shared by the account threads; a lock
    serialises it."""

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        """Open (creating and migrating) the ledger at ``path``; ``":memory:"`` gives one
        that lives as long as this object, for tests and dry runs that need no file."""
        in_memory = str(path) == MEMORY
        self.path = Path(path)
        self.read_only = read_only and not in_memory
        self._lock = threading.RLock()
        self._wal: tuple[int, int] | None = None
        try:
            if in_memory:
                self._db = sqlite3.connect(MEMORY, check_same_thread=False, isolation_level=None)
            elif read_only:
                if not self.path.exists():
                    raise StateError(f"no state yet at {self.path}: start `debriefer run` first")
                uri = self.path.resolve().as_uri() + "?mode=ro"
                self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            else:
                _create_private(self.path)
                self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
                # Which file we opened: one deleted or replaced under us is noticed.
                self._identity: tuple[int, int] | None = _identity(self.path)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA busy_timeout=5000")
            self._migrate(self.read_only)
            # SQLite keeps its write-ahead log while we have the file open: one that
            # vanishes takes the latest writes with it.
            if not (self.read_only or in_memory):
                self._wal = _identity(self._wal_path)
        except sqlite3.DatabaseError as exc:
            raise StateError(f"cannot use the state file {self.path}: {exc}") from exc
        except OSError as exc:  # an unwritable or read-only folder
            raise StateError(
                f"cannot use the state file {self.path}: {exc.strerror or exc}; the folder"
                f" {self.path.parent} must be writable by you"
            ) from exc

    @property
    def _wal_path(self) -> Path:
        return self.path.with_name(self.path.name + "-wal")

    def check_file(self, *, thorough: bool = False) -> None:
        """Raise StateBroken when the file we opened was deleted or replaced since; with
        ``thorough``, also when SQLite's quick_check finds it damaged (bytes overwritten
        where no query of ours has looked yet)."""
        expected = getattr(self, "_identity", None)
        if expected is None:
            return
        found = _identity(self.path)
        if found != expected:
            what = "it was deleted" if found is None else "it was replaced by another file"
            raise StateBroken(broken_state_message(self.path, what))
        if self._wal is not None and _identity(self._wal_path) != self._wal:
            what = f"its write-ahead log {self._wal_path.name} was deleted or replaced"
            raise StateBroken(broken_state_message(self.path, what))
        if thorough:
            with self._lock:
                try:
                    verdict = str(self._db.execute("PRAGMA quick_check(1)").fetchone()[0])
                except sqlite3.DatabaseError as exc:
                    verdict = str(exc)
            if verdict != "ok":
                raise StateBroken(broken_state_message(self.path, f"it is damaged ({verdict})"))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self, read_only: bool) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise StateError(
                f"the state file {self.path} has schema {version}, newer than this"
                f" debriefer ({SCHEMA_VERSION}); upgrade debriefer"
            )
        if version == SCHEMA_VERSION:
            return
        if read_only:
            raise StateError(f"the state file {self.path} needs an upgrade: run `debriefer run`")
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            if version:  # an upgrade, not a new file
                log.info("state file %s: migration %d, %s", self.path, number, migration.name)
            with self._transaction():
                for statement in migration.sql.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # -- folders -------------------------------------------------------------

    def folder(self, account: str, folder: str) -> FolderState | None:
        with self._lock:
            row = self._db.execute(
                "SELECT uidvalidity, last_uid FROM folders WHERE account = ? AND folder = ?",
                (account, folder),
            ).fetchone()
        return FolderState(row["uidvalidity"], row["last_uid"]) if row else None

    def set_folder(self, account: str, folder: str, uidvalidity: int, last_uid: int) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO folders VALUES (?, ?, ?, ?, ?) ON CONFLICT (account, folder)"
                " DO UPDATE SET uidvalidity = excluded.uidvalidity,"
                " last_uid = excluded.last_uid, updated_at = excluded.updated_at",
                (account, folder, uidvalidity, last_uid, utcnow()),
            )

    # -- messages ------------------------------------------------------------

    def known_fingerprints(self, account: str, fingerprints: Sequence[str]) -> set[str]:
        """Which of these messages were processed before, under any UIDVALIDITY."""
        found: set[str] = set()
        with self._lock:
            for start in range(0, len(fingerprints), 500):
                chunk = list(fingerprints[start : start + 500])
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT fingerprint FROM messages WHERE account = ? AND fingerprint IN ({marks})",  # noqa: S608 - only placeholders are interpolated
                    [account, *chunk],
                )
                found.update(row[0] for row in rows)
        return found

    def record(
        self,
        seen: SeenMessage,
        verdict: Verdict | None,
        *,
        error: str | None = None,
        advance: bool = True,
        plan: Plan | None = None,
        thread: Thread | None = None,
    ) -> Recorded | None:
        """Store a processed message, apply its plan, and (unless ``advance`` is
        False) move the folder's last UID past it: all in one transaction.

        Returns None when the message was already recorded (nothing changes).
        """
        data: dict[str, Any] = verdict.to_dict() if verdict else {}
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO messages (account, folder, uidvalidity, uid, fingerprint,"
                " message_id, subject, sender, received_at, label, confidence, language, reasons,"
                " company, job_title, contact_name, contact_email, suppressed, error, processed_at,"
                " refs, thread_of, answer, familiar)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _storable(
                    seen.account,
                    seen.folder,
                    seen.uidvalidity,
                    seen.uid,
                    seen.fingerprint,
                    seen.message_id,
                    seen.subject,
                    seen.sender,
                    seen.received_at,
                    data.get("label"),
                    data.get("confidence"),
                    data.get("language"),
                    json.dumps(data.get("reasons", [])),
                    data.get("company"),
                    data.get("job_title"),
                    data.get("contact_name"),
                    data.get("contact_email"),
                    data.get("suppressed"),
                    error,
                    utcnow(),
                    seen.refs[:4000],
                    # A rejection starts a thread of its own, whoever sent it.
                    thread.rejection if thread and data.get("label") != "rejection" else None,
                    data.get("answer"),
                    int(bool(data.get("familiar"))),
                ),
            )
            if cursor.rowcount != 1:
                return None
            message_row = int(cursor.lastrowid or 0)
            outcome, action = self._apply(db, plan, seen, message_row) if plan else (None, None)
            if advance:
                db.execute(
                    "UPDATE folders SET last_uid = MAX(last_uid, ?), updated_at = ?"
                    " WHERE account = ? AND folder = ? AND uidvalidity = ?",
                    (seen.uid, utcnow(), seen.account, seen.folder, seen.uidvalidity),
                )
            db.execute(
                "UPDATE account_status SET last_seen_at = ? WHERE account = ?",
                (utcnow(), seen.account),
            )
        return Recorded(message_row, outcome, action)

    def _apply(
        self, db: sqlite3.Connection, plan: Plan, seen: SeenMessage, message_row: int
    ) -> tuple[str, Action | None]:
        """Carry out a plan inside the recording transaction; returns the outcome in words."""
        action = None
        outcome, make, _ = self._settle(db, plan, seen.fingerprint, cancel=True)
        new = plan.action
        if new is not None and make:
            now = utcnow()
            cursor = db.execute(
                "INSERT INTO actions (kind, contact_key, account, source_id,"
                " source_fingerprint, to_email, to_name, language, template, rule, message_id,"
                " state, due_at, expires_at, created_at, updated_at, mode, send_window, zone)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _storable(
                    new.kind,
                    new.contact_key,
                    seen.account,
                    message_row,
                    seen.fingerprint,
                    _writable_address(new.to_email),
                    new.to_name,
                    new.language,
                    new.template,
                    new.rule,
                    new.message_id,
                    SCHEDULED,
                    stamp(new.due_at),
                    stamp(new.expires_at),
                    now,
                    now,
                    new.mode,
                    new.send_window,
                    new.zone,
                ),
            )
            row = db.execute("SELECT * FROM actions WHERE id = ?", (cursor.lastrowid,)).fetchone()
            action = Action.from_row(row)
        db.execute(
            "UPDATE messages SET outcome = ?, rule = ? WHERE id = ?",
            _storable(outcome[:500], plan.rule, message_row),
        )
        return outcome, action

    def _settle(
        self, db: sqlite3.Connection, plan: Plan, fingerprint: str, *, cancel: bool
    ) -> tuple[str, bool, bool]:
        """The ledger's facts for ``decide.plan.settle``; with ``cancel`` the plan's
        cancellation is carried out, else only looked for (a dry run)."""
        # Keys are compared as they are stored: a raw UTF-8 address in a header decodes
        # to lone surrogates, which SQLite refuses as a parameter; _storable replaces
        # them here as in the INSERT, so the lookups match what was stored.
        cancelled = False
        if plan.cancel:
            key, reason = plan.cancel
            if cancel:
                cancelled = bool(
                    db.execute(
                        "UPDATE actions SET state = ?, detail = ?, updated_at = ?"
                        " WHERE kind = 'request' AND contact_key = ? AND state = ?",
                        _storable(CANCELLED, reason, utcnow(), key, SCHEDULED),
                    ).rowcount
                )
            else:
                cancelled = (
                    db.execute(
                        "SELECT 1 FROM actions WHERE kind = 'request' AND contact_key = ?"
                        " AND state = ?",
                        _storable(key, SCHEDULED),
                    ).fetchone()
                    is not None
                )
        earlier = live = None
        new = plan.action
        if new is not None:
            earlier = db.execute(
                "SELECT state FROM actions WHERE source_fingerprint = ? AND kind = ?",
                (fingerprint, new.kind),
            ).fetchone()
            live = db.execute(
                "SELECT state FROM actions WHERE kind = ? AND contact_key = ?"
                " AND state NOT IN (?, ?, ?)",
                _storable(new.kind, new.contact_key, CANCELLED, LAPSED, FORGOTTEN),
            ).fetchone()
        outcome, make = settle(
            plan,
            cancelled=cancelled,
            earlier=earlier["state"] if earlier else None,
            live=live["state"] if live else None,
        )
        return outcome, make, cancelled

    def foresee(self, plan: Plan, fingerprint: str) -> tuple[str, bool, bool]:
        """What recording the message would make of its plan, writing nothing: the
        outcome in words, whether its action would be made, and whether a waiting
        request would be cancelled."""
        with self._lock:
            return self._settle(self._db, plan, fingerprint, cancel=False)

    # -- what a message relates to ------------------------------------------

    def our_message_ids(self, candidates: frozenset[str]) -> frozenset[str]:
        """Which of these (lower-case) Message-IDs are our own drafts or mails, or the
        requests the user sent."""
        if not candidates:
            return frozenset()
        marks = ",".join("?" * len(candidates))
        with self._lock:
            rows = self._db.execute(
                f"SELECT lower(message_id) FROM actions WHERE lower(message_id) IN ({marks})"  # noqa: S608 - only placeholders are interpolated
                f" UNION SELECT lower(sent_message_id) FROM actions"
                f" WHERE lower(sent_message_id) IN ({marks})",
                [*candidates, *candidates],
            ).fetchall()
        return frozenset(row[0] for row in rows)

    def own_message_ids(self) -> frozenset[str]:
        """Every Message-ID we ever gave a draft or mail (lower-case)."""
        with self._lock:
            rows = self._db.execute("SELECT lower(message_id) FROM actions").fetchall()
        return frozenset(row[0] for row in rows)

    def thread_of(
        self,
        account: str,
        sender: str | None,
        thread_ids: frozenset[str],
        received: datetime,
        message_id: str | None = None,
    ) -> Thread | None:
        """The rejection a message continues, if any, and whether it answers our request
        (``decide.relation.answered``).  Without a request made, only the rejection's
        thread or its sender relate a message."""
        address = _storable(sender.lower())[0] if sender else None
        with self._lock:
            asked = [_asked(row) for row in self._asked_threads(account)]
            continued = self._continued(thread_ids)
        found = answered(
            asked,
            sender=address,
            thread_ids=thread_ids,
            continued=continued,
            received=received,
            message_id=message_id,
        )
        if found is not None:
            return found
        return unasked(*self._unasked_candidates(account, address, thread_ids))

    def _asked_threads(self, account: str) -> list[sqlite3.Row]:
        """Every request of the account made: drafted or sent by us, or seen in Sent."""
        return self._db.execute(
            "SELECT a.id AS request, a.to_email, lower(a.message_id) AS ours,"
            " lower(a.sent_message_id) AS sent_id,"
            " COALESCE(a.sent_at, a.updated_at) AS asked_at,"
            " m.id AS rejection, m.subject, lower(m.message_id) AS rejection_id,"
            " m.sender, m.contact_email, m.fingerprint"
            " FROM actions a JOIN messages m ON m.id = a.source_id"
            " WHERE a.account = ? AND a.kind = 'request'"
            " AND (a.state IN (?, ?) OR a.sent_at IS NOT NULL)",
            (account, DRAFTED, SENT),
        ).fetchall()

    def _continued(self, thread_ids: frozenset[str]) -> set[int]:
        """Rejections whose threads already hold an answer among these messages."""
        if not thread_ids:
            return set()
        marks = ",".join("?" * len(thread_ids))
        rows = self._db.execute(
            f"SELECT thread_of FROM messages WHERE lower(message_id) IN ({marks})"  # noqa: S608 - only placeholders are interpolated
            f" AND thread_of IS NOT NULL AND answer IS NOT NULL",
            list(thread_ids),
        ).fetchall()
        return {row[0] for row in rows}

    def _unasked_candidates(
        self, account: str, address: str | None, thread_ids: frozenset[str]
    ) -> tuple[Rejection | None, Rejection | None]:
        """The latest rejection among the message's thread, and the latest from its sender
        (as sender or contact): ``decide.relation.unasked`` chooses between them."""
        threaded = from_sender = None
        with self._lock:
            if thread_ids:
                marks = ",".join("?" * len(thread_ids))
                query = f"SELECT id, subject, fingerprint FROM messages WHERE lower(message_id) IN ({marks}) AND account = ? AND label = 'rejection' ORDER BY id DESC LIMIT 1"  # noqa: S608 - only placeholders are interpolated
                threaded = self._db.execute(query, [*thread_ids, account]).fetchone()
            if address:
                from_sender = self._db.execute(
                    "SELECT id, subject, fingerprint FROM messages WHERE account = ? AND label = 'rejection'"
                    " AND (lower(contact_email) = ? OR lower(sender) = ?) ORDER BY id DESC LIMIT 1",
                    (account, address, address),
                ).fetchone()
        return _rejection(threaded), _rejection(from_sender)

    def record_sent(self, action: Action, message_id: str, when: datetime) -> bool:
        """The user sent this request (or wrote their own): its Message-ID joins the thread.

        A drafted request becomes sent; a cancelled one (the user wrote first) keeps
        its state.  Returns False when it was already known.
        """
        detail = "sent by you"
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE actions SET sent_message_id = ?, sent_at = ?, updated_at = ?,"
                " state = CASE WHEN state = ? THEN ? ELSE state END,"
                " detail = CASE WHEN state = ? THEN ? ELSE detail END"
                " WHERE id = ? AND sent_message_id IS NULL",
                _storable(
                    message_id.strip().lower(),
                    stamp(when),
                    utcnow(),
                    DRAFTED,
                    SENT,
                    DRAFTED,
                    detail,
                    action.id,
                ),
            )
        return cursor.rowcount == 1

    def unsent_requests(self, account: str, *, since: datetime) -> list[Action]:
        """Requests drafted for the user to send, due since ``since``, not yet seen in Sent."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM actions WHERE account = ? AND kind = 'request' AND state = ?"
                " AND sent_message_id IS NULL AND due_at >= ? ORDER BY id",
                (account, DRAFTED, stamp(since)),
            ).fetchall()
        return [Action.from_row(row) for row in rows]

    # -- actions -------------------------------------------------------------

    def pending_actions(self) -> list[Action]:
        """Everything not yet done, oldest due first: what the scheduler is rebuilt from."""
        marks = ",".join("?" * len(PENDING_STATES))
        with self._lock:
            rows = self._db.execute(
                f"SELECT * FROM actions WHERE state IN ({marks}) ORDER BY due_at, id",  # noqa: S608 - only placeholders are interpolated
                PENDING_STATES,
            ).fetchall()
        return [Action.from_row(row) for row in rows]

    def action(self, action_id: int) -> Action | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM actions WHERE id = ?", (action_id,)).fetchone()
        return Action.from_row(row) if row else None

    def actions(self) -> list[ActionRow]:
        """Every action with its source message's subject, newest first, for status."""
        with self._lock:
            rows = self._db.execute(
                "SELECT a.*, m.subject AS source_subject, m.message_id AS source_message_id"
                " FROM actions a JOIN messages m ON m.id = a.source_id ORDER BY a.id DESC"
            ).fetchall()
        return [cast(ActionRow, dict(row)) for row in rows]

    def source(self, action: Action) -> dict:
        """The message an action answers (the rejection, or the feedback reply)."""
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM messages WHERE id = ?", (action.source_id,)
            ).fetchone()
        return dict(row)

    def transition(self, action: Action, to: str, *, from_: tuple[str, ...], **fields: Any) -> bool:
        """Move an action on, only if it is still in one of ``from_``: the compare-and-set
        that keeps two paths (a wake-up and a restart, a cancel and a draft) from both acting."""
        allowed = {"detail", "folder", "due_at"}
        assert set(fields) <= allowed, fields
        sets = "".join(f", {name} = ?" for name in fields)
        values = [stamp(v) if isinstance(v, datetime) else v for v in fields.values()]
        marks = ",".join("?" * len(from_))
        attempt = 1 if to in (DRAFTING, SENDING) else 0
        with self._transaction() as db:
            cursor = db.execute(
                f"UPDATE actions SET state = ?, updated_at = ?, problem = NULL,"  # noqa: S608 - column names come from the allow-list above
                f" attempts = attempts + ?{sets}"
                f" WHERE id = ? AND state IN ({marks})",
                _storable(to, utcnow(), attempt, *values, action.id, *from_),
            )
        return cursor.rowcount == 1

    def set_problem(self, action: Action, problem: str | None) -> None:
        """Why the action could not be carried out just now, or None once it could."""
        with self._transaction() as db:
            db.execute(
                "UPDATE actions SET problem = ? WHERE id = ?", (*_storable(problem), action.id)
            )

    def remember_history(self, action: Action, history: str) -> None:
        """Keep what the look-back found (``History.to_json``), so `explain` can show it."""
        with self._transaction() as db:
            db.execute("UPDATE actions SET history = ? WHERE id = ?", (history, action.id))

    def forgotten_message_ids(self) -> frozenset[str]:
        """Lower-case Message-IDs of what the user had us forget: their marks in the
        mailbox no longer count as "made" (decide/marks.py)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT lower(message_id), lower(sent_message_id) FROM actions WHERE state = ?",
                (FORGOTTEN,),
            ).fetchall()
        return frozenset(value for row in rows for value in row if value)

    def adopt_contact(
        self, action: Action, email: str, name: str | None, message_id: str
    ) -> Action | None:
        """Address a pending request that has no human contact (an ATS robot wrote) to the
        person the earlier thread names, unless a request to them exists in any state but
        cancelled, lapsed or forgotten: the same "never twice" as a new request's.
        ``message_id`` is a new one, carrying the new contact's mark.  Returns the
        updated action, or None when it stays as it was."""
        key = email.strip().lower()
        with self._transaction() as db:
            taken = db.execute(
                "SELECT 1 FROM actions WHERE kind = ? AND contact_key = ?"
                " AND state NOT IN (?, ?, ?)",
                _storable(action.kind, key, CANCELLED, LAPSED, FORGOTTEN),
            ).fetchone()
            if taken is not None:
                return None
            changed = db.execute(
                "UPDATE actions SET to_email = ?, to_name = ?, contact_key = ?, message_id = ?,"
                " updated_at = ? WHERE id = ? AND state = ? AND to_email IS NULL",
                _storable(
                    _writable_address(key), name, key, message_id, utcnow(), action.id, SCHEDULED
                ),
            ).rowcount
            row = db.execute("SELECT * FROM actions WHERE id = ?", (action.id,)).fetchone()
        return Action.from_row(row) if changed else None

    def forget(self, address: str) -> int:
        """Clear a contact: the only way a second feedback request to them becomes possible.

        The rows stay, marked forgotten: a re-delivered copy of an old rejection is
        still recognised.  Refused while a draft or mail to them is being made.
        """
        key = address.strip().lower()
        match = "(contact_key = ? OR lower(to_email) = ?)"
        with self._transaction() as db:
            busy = db.execute(
                f"SELECT COUNT(*) FROM actions WHERE {match} AND state IN (?, ?)",  # noqa: S608 - fixed text
                (key, key, DRAFTING, SENDING),
            ).fetchone()[0]
            if busy:
                raise StateError(
                    f"a draft or mail to {key} is being made right now; try again in a minute"
                )
            cursor = db.execute(
                f"UPDATE actions SET state = ?, updated_at = ?, detail = 'forgotten by request'"  # noqa: S608 - fixed text
                f" WHERE {match} AND state != ?",
                (FORGOTTEN, utcnow(), key, key, FORGOTTEN),
            )
        return cursor.rowcount

    def messages(self, where: str = "", *args: Any) -> list[MessageRow]:
        """Tracked messages (those ``where`` selects), newest first."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT * FROM messages {where}"  # noqa: S608 - callers pass fixed SQL, values as args
                " ORDER BY COALESCE(received_at, processed_at) DESC, id DESC",
                args,
            ).fetchall()
        return [
            cast(MessageRow, {**dict(row), "reasons": json.loads(row["reasons"])}) for row in rows
        ]

    def label_counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute(
                "SELECT COALESCE(label, 'error') AS label, COUNT(*) AS n FROM messages GROUP BY 1"
            ).fetchall()
        return {row["label"]: row["n"] for row in rows}

    # -- accounts ------------------------------------------------------------

    def set_account_status(self, account: str, state: str, detail: str = "") -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO account_status (account, state, detail, since) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (account) DO UPDATE SET state = excluded.state,"
                " detail = excluded.detail, since = excluded.since",
                (account, state, detail[:500], utcnow()),
            )

    def find_message(self, target: str) -> list[MessageRow]:
        """The recorded message ``target`` names: the ID `status` shows, or its Message-ID
        (every copy of it, newest first)."""
        wanted = target.strip().removeprefix("#")
        if wanted.isdigit():
            return self.messages("WHERE id = ?", int(wanted))
        wanted = wanted if wanted.startswith("<") else f"<{wanted}>"
        return self.messages("WHERE lower(message_id) = ?", wanted.lower())

    def paused_since(self) -> str | None:
        """When the user paused debriefer (`debriefer pause`), or None while it acts."""
        with self._lock:
            row = self._db.execute("SELECT value FROM settings WHERE key = 'paused'").fetchone()
        return row[0] if row else None

    def set_paused(self, paused: bool) -> bool:
        """Pause or resume; False when it already was so."""
        with self._transaction() as db:
            if paused:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO settings (key, value) VALUES ('paused', ?)", (utcnow(),)
                )
            else:
                cursor = db.execute("DELETE FROM settings WHERE key = 'paused'")
        return cursor.rowcount == 1

    def request_by_hand(self, message: dict, new: NewAction) -> tuple[str, Action | None]:
        """`debriefer draft`: a request the user asks for, for a recorded message the
        classifier did not take as a rejection; the same "never twice" as the daemon's."""
        seen = SeenMessage(
            message["account"],
            message["folder"],
            message["uidvalidity"],
            message["uid"],
            message["fingerprint"],
            message["message_id"],
            message["subject"] or "",
            message["sender"],
            message["received_at"],
            message["refs"] or "",
        )
        plan = Plan(outcome="a feedback request you asked for (debriefer draft)", action=new)
        with self._transaction() as db:
            return self._apply(db, plan, seen, message["id"])

    def skip(self, message_row: int) -> int:
        """Cancel the pending request for one recorded message; the contact stays free for a
        later rejection's request.  Returns how many were cancelled (0 or 1)."""
        with self._transaction() as db:
            return db.execute(
                "UPDATE actions SET state = ?, detail = 'skipped by you', problem = NULL,"
                " updated_at = ? WHERE source_id = ? AND kind = 'request' AND state = ?",
                (CANCELLED, utcnow(), message_row, SCHEDULED),
            ).rowcount

    def account_statuses(self) -> dict[str, dict]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM account_status").fetchall()
            folders = self._db.execute("SELECT * FROM folders").fetchall()
        statuses = {row["account"]: dict(row) for row in rows}
        for row in folders:
            entry = statuses.setdefault(row["account"], {"account": row["account"]})
            entry.setdefault("folders", {})[row["folder"]] = {
                "uidvalidity": row["uidvalidity"],
                "last_uid": row["last_uid"],
            }
        return statuses


def _asked(row: sqlite3.Row) -> Asked:
    return Asked(
        request=row["request"],
        asked_at=datetime.fromisoformat(row["asked_at"]),
        rejection=row["rejection"],
        subject=row["subject"],
        fingerprint=row["fingerprint"],
        rejection_id=row["rejection_id"] or "",
        ids=frozenset(lowered(row["rejection_id"], row["ours"], row["sent_id"])),
        people=frozenset(lowered(row["to_email"], row["contact_email"], row["sender"])),
    )


def _rejection(row: sqlite3.Row | None) -> Rejection | None:
    return Rejection(row["id"], row["subject"], row["fingerprint"]) if row is not None else None
