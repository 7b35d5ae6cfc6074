"""The SQLite state: the one record of what was seen, decided and done.

Why SQLite: a single file, transactions that survive a crash mid-write, and
WAL so ``debriefer status`` can read while the daemon writes.  The file is
created 0600 inside a 0700 directory: it names the user's contacts.  Every
schema change is a numbered migration, applied in order at open.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from classifiers import Verdict

from .errors import UserError

# Append only: a released migration is never edited, a new one is added.
MIGRATIONS: tuple[str, ...] = (
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
)
SCHEMA_VERSION = len(MIGRATIONS)


class StateError(UserError):
    """The state file cannot be used (newer schema, unreadable, corrupt)."""


def _storable(*values: Any) -> tuple[Any, ...]:
    """Mail can decode to lone surrogates, which SQLite refuses; store them as U+FFFD."""
    return tuple(
        v.encode("utf-8", "replace").decode("utf-8") if isinstance(v, str) else v for v in values
    )


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


def _create_private(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)  # an existing file keeps its mode under O_CREAT


class State:
    """One connection shared by the account threads; a lock serialises it."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self._lock = threading.RLock()
        try:
            if read_only:
                if not path.exists():
                    raise StateError(f"no state yet at {path}: start `debriefer run` first")
                uri = path.resolve().as_uri() + "?mode=ro"
                self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            else:
                _create_private(path)
                self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA busy_timeout=5000")
            self._migrate(read_only)
        except sqlite3.DatabaseError as exc:
            raise StateError(f"cannot use the state file {path}: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> State:
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
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self._transaction():
                for statement in script.split(";"):
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
    ) -> bool:
        """Store a processed message and (unless ``advance`` is False) move the
        folder's last UID past it, atomically.

        Returns False when the message was already recorded (nothing changes).
        """
        data: dict[str, Any] = verdict.to_dict() if verdict else {}
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO messages (account, folder, uidvalidity, uid, fingerprint,"
                " message_id, subject, sender, received_at, label, confidence, language, reasons,"
                " company, job_title, contact_name, contact_email, suppressed, error, processed_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                ),
            )
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
        return cursor.rowcount == 1

    def messages(self) -> list[dict]:
        """Tracked messages, newest first, as plain dictionaries."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM messages ORDER BY COALESCE(received_at, processed_at) DESC, id DESC"
            ).fetchall()
        return [{**dict(row), "reasons": json.loads(row["reasons"])} for row in rows]

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
