"""The SQLite state: private, versioned, idempotent, readable while written."""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from classifiers import classify
from daemon.ledger import (
    CANCELLED,
    DRAFTED,
    DRAFTING,
    SCHEDULED,
    SCHEMA_VERSION,
    SENT,
    Ledger,
    SeenMessage,
    StateError,
)
from daemon.running.watcher import backoff_delay
from decide.plan import Plan
from decide.relation import ANSWER_WINDOW

from .support import build_mail, planned, seen_from

REJECTION = build_mail(
    "Your application",
    "Unfortunately we have decided not to move forward with your application.",
)


def _seen(uid: int, *, uidvalidity: int = 7, fingerprint: str | None = None) -> SeenMessage:
    return SeenMessage(
        account="main",
        folder="INBOX",
        uidvalidity=uidvalidity,
        uid=uid,
        fingerprint=fingerprint or f"<m{uid}@northwind.example>",
        message_id=f"<m{uid}@northwind.example>",
        subject="Your application",
        sender="jordan.reyes@northwind.example",
        received_at="2026-11-20T09:00:00+00:00",
    )


def test_file_is_private_and_in_wal_mode(tmp_path: Path) -> None:
    """The state names the user's contacts: 0600 in a 0700 directory."""
    path = tmp_path / "nested" / "state.db"
    with Ledger(path) as state:
        assert state.schema_version == SCHEMA_VERSION
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_loose_permissions_are_tightened(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    Ledger(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_recording_is_idempotent_and_advances_the_folder(tmp_path: Path) -> None:
    """The same UID twice is one row; the folder's last UID moves with each record."""
    verdict = classify(REJECTION)
    with Ledger(tmp_path / "s.db") as state:
        state.set_folder("main", "INBOX", 7, 0)
        assert state.record(_seen(3), verdict) is not None
        assert state.record(_seen(3), verdict) is None
        assert state.record(_seen(5), None, error="ValueError: empty message") is not None
        folder = state.folder("main", "INBOX")
        assert folder is not None
        assert (folder.uidvalidity, folder.last_uid) == (7, 5)
        assert state.label_counts() == {"rejection": 1, "error": 1}
        newest = state.messages()[0]
        assert newest["uid"] == 5
        assert newest["error"] == "ValueError: empty message"


def test_a_renumbered_folder_does_not_advance_from_old_records(tmp_path: Path) -> None:
    """A record under another UIDVALIDITY never moves the current position."""
    with Ledger(tmp_path / "s.db") as state:
        state.set_folder("main", "INBOX", 8, 2)
        state.record(_seen(40, uidvalidity=7), None)
        folder = state.folder("main", "INBOX")
        assert folder is not None
        assert folder.last_uid == 2


def test_known_fingerprints_survive_renumbering(tmp_path: Path) -> None:
    with Ledger(tmp_path / "s.db") as state:
        state.record(_seen(1, uidvalidity=7), None)
        found = state.known_fingerprints("main", ["<m1@northwind.example>", "<other@x.example>"])
        assert found == {"<m1@northwind.example>"}
        assert state.known_fingerprints("other-account", ["<m1@northwind.example>"]) == set()


def test_a_newer_schema_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Ledger(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StateError, match="newer than this debriefer"):
        Ledger(path)


def test_migrations_resume_from_an_older_version(tmp_path: Path) -> None:
    """A database at version 0 (created before any migration) is brought up to date."""
    path = tmp_path / "s.db"
    sqlite3.connect(path).close()
    with Ledger(path) as state:
        assert state.schema_version == SCHEMA_VERSION
        state.set_folder("main", "INBOX", 1, 1)


def test_status_reads_while_the_daemon_writes(tmp_path: Path) -> None:
    """WAL: a read-only reader sees committed rows while a writer holds the file open."""
    path = tmp_path / "s.db"
    with Ledger(path) as writer:
        writer.set_account_status("main", "idle", "INBOX")
        writer.record(_seen(1), classify(REJECTION))
        with Ledger(path, read_only=True) as reader:
            assert reader.account_statuses()["main"]["state"] == "idle"
            assert reader.label_counts() == {"rejection": 1}


def test_read_only_without_a_state_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StateError, match="debriefer run"):
        Ledger(tmp_path / "missing.db", read_only=True)
    assert not (tmp_path / "missing.db").exists()


def test_a_corrupt_file_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StateError, match="cannot use the state file"):
        Ledger(path)


@pytest.mark.parametrize("attempt", range(12))
def test_backoff_grows_is_jittered_and_capped(attempt: int) -> None:
    ceiling = min(300.0, 2.0**attempt)
    delays = {backoff_delay(attempt, base=1.0, cap=300.0) for _ in range(20)}
    assert all(ceiling / 2 <= d <= ceiling for d in delays)
    assert len(delays) > 1  # jitter: twenty draws are never all equal


# -- actions: the never-twice promise at the database level -----------------------


def test_one_live_request_per_contact_whatever_the_case(tmp_path: Path) -> None:
    with Ledger(tmp_path / "s.db") as state:
        first = state.record(
            seen_from(1, "<a>"), None, plan=planned("Jo@Acme.example", fingerprint="<a>")
        )
        second = state.record(
            seen_from(2, "<b>"), None, plan=planned("jo@acme.example", fingerprint="<b>")
        )
        assert first is not None
        assert first.action is not None
        assert second is not None
        assert second.action is None
        assert second.outcome == "no second request to jo@acme.example: the first is scheduled"
        assert len(state.actions()) == 1


def test_a_duplicate_delivery_is_recognised_by_its_fingerprint(tmp_path: Path) -> None:
    """A copy of a message we already acted on is not a new rejection."""
    with Ledger(tmp_path / "s.db") as state:
        state.record(seen_from(1, "<a>"), None, plan=planned("jo@acme.example", fingerprint="<a>"))
        again = state.record(
            seen_from(2, "<a>"), None, plan=planned("jo@acme.example", fingerprint="<a>")
        )
        assert again is not None
        assert again.action is None
        assert (
            again.outcome == "another copy of a message already handled (its request is scheduled)"
        )


def test_a_cancelled_request_frees_the_contact_but_a_drafted_one_never_does(tmp_path: Path) -> None:
    with Ledger(tmp_path / "s.db") as state:
        first = state.record(
            seen_from(1, "<a>"), None, plan=planned("jo@acme.example", fingerprint="<a>")
        )
        assert first is not None
        assert first.action is not None
        assert state.transition(first.action, CANCELLED, from_=(SCHEDULED,), detail="wrote again")
        second = state.record(
            seen_from(2, "<b>"), None, plan=planned("jo@acme.example", fingerprint="<b>")
        )
        assert second is not None
        assert second.action is not None
        assert state.transition(second.action, DRAFTING, from_=(SCHEDULED,))
        assert state.transition(second.action, DRAFTED, from_=(DRAFTING,), folder="Drafts")
        third = state.record(
            seen_from(3, "<c>"), None, plan=planned("jo@acme.example", fingerprint="<c>")
        )
        assert third is not None
        assert third.action is None


def test_transition_is_a_compare_and_set(tmp_path: Path) -> None:
    """Two paths racing for one action: only the first moves it."""
    with Ledger(tmp_path / "s.db") as state:
        recorded = state.record(
            seen_from(1, "<a>"), None, plan=planned("jo@acme.example", fingerprint="<a>")
        )
        assert recorded is not None
        assert recorded.action is not None
        action = recorded.action
        assert state.transition(action, DRAFTING, from_=(SCHEDULED,)) is True
        assert state.transition(action, CANCELLED, from_=(SCHEDULED,)) is False
        latest = state.action(action.id)
        assert latest is not None
        assert (latest.state, latest.attempts) == (DRAFTING, 1)
        assert [a.id for a in state.pending_actions()] == [action.id]


def test_a_cancel_in_the_plan_stops_a_waiting_request(tmp_path: Path) -> None:
    with Ledger(tmp_path / "s.db") as state:
        state.record(seen_from(1, "<a>"), None, plan=planned("jo@acme.example", fingerprint="<a>"))
        wrote = Plan("nothing to do", cancel=("jo@acme.example", "jo wrote again"))
        recorded = state.record(seen_from(2, "<b>"), None, plan=wrote)
        assert recorded is not None
        assert recorded.outcome == "nothing to do; cancelled the pending request (jo wrote again)"
        [action] = state.actions()
        assert (action["state"], action["detail"]) == ("cancelled", "jo wrote again")


def test_forget_is_the_only_reset(tmp_path: Path) -> None:
    """A forgotten contact may get a new request; a copy of the old rejection still may not."""
    with Ledger(tmp_path / "s.db") as state:
        state.record(seen_from(1, "<a>"), None, plan=planned("jo@acme.example", fingerprint="<a>"))
        assert state.forget("JO@acme.example ") == 1
        assert state.forget("jo@acme.example") == 0
        copy = state.record(
            seen_from(2, "<a>"), None, plan=planned("jo@acme.example", fingerprint="<a>")
        )
        assert copy is not None
        assert copy.action is None
        again = state.record(
            seen_from(3, "<b>"), None, plan=planned("jo@acme.example", fingerprint="<b>")
        )
        assert again is not None
        assert again.action is not None
        assert [a["state"] for a in state.actions()] == ["scheduled", "forgotten"]


def test_forget_waits_while_a_draft_is_being_made(tmp_path: Path) -> None:
    with Ledger(tmp_path / "s.db") as state:
        recorded = state.record(
            seen_from(1, "<a>"), None, plan=planned("jo@acme.example", fingerprint="<a>")
        )
        assert recorded is not None
        assert recorded.action is not None
        state.transition(recorded.action, DRAFTING, from_=(SCHEDULED,))
        with pytest.raises(StateError, match="being made right now"):
            state.forget("jo@acme.example")


def test_relation_of_a_reply(tmp_path: Path) -> None:
    with Ledger(tmp_path / "s.db") as state:
        rejection = SeenMessage(
            "main", "INBOX", 7, 1, "<r@acme>", "<r@acme>", "No luck", "jo@acme.example", None
        )
        state.record(
            rejection, classify(REJECTION), plan=planned("jo@acme.example", fingerprint="<r@acme>")
        )
        [ours] = state.actions()
        now = datetime.now(UTC)

        def how(sender: str, ids: set[str]) -> str | None:
            thread = state.thread_of("main", sender, frozenset(ids), now)
            return thread.how if thread else None

        # Not asked yet: only the rejection's thread and its sender relate.
        assert how("x@else.example", {ours["message_id"].lower()}) is None
        assert how("x@else.example", {"<r@acme>"}) == "threaded to the rejection 'No luck'"
        assert how("JO@acme.example", set()) == "from the sender of the rejection 'No luck'"
        assert how("x@else.example", {"<other@x>"}) is None
        assert how("boss@acme.example", set()) is None


def test_once_asked_a_reply_in_the_thread_or_from_the_company_answers_it(tmp_path: Path) -> None:
    """After the request is made: the sent copy's new Message-ID, the contact, a colleague
    at the company's own domain; never a shared provider's domain, never before asking."""
    with Ledger(tmp_path / "s.db") as state:
        rejection = SeenMessage(
            "main", "INBOX", 7, 1, "<r@acme>", "<r@acme>", "No luck", "jo@acme.example", None
        )
        recorded = state.record(
            rejection, classify(REJECTION), plan=planned("jo@acme.example", fingerprint="<r@acme>")
        )
        assert recorded is not None
        assert recorded.action is not None
        action = recorded.action
        state.transition(action, DRAFTING, from_=(SCHEDULED,))
        state.transition(action, DRAFTED, from_=(DRAFTING,))
        later = datetime.now(UTC) + timedelta(minutes=5)

        def thread(sender: str, ids: set[str], when: datetime = later):
            return state.thread_of("main", sender, frozenset(ids), when)

        assert thread("x@else.example", {action.message_id.lower()}).threaded
        assert thread("jo@acme.example", set()).how == "from the contact"
        colleague = thread("boss@acme.example", set())
        assert colleague.how == "from acme.example, the rejection's company"
        assert colleague.asked
        assert colleague.request == action.id
        assert not colleague.threaded
        assert thread("someone@gmail.com", set()) is None
        before = thread("jo@acme.example", set(), datetime.now(UTC) - timedelta(days=1))
        assert before is not None
        assert not before.asked

        # The user sends the draft from their client, which gives it a new Message-ID.
        assert state.record_sent(action, "<NEW-ID@client.example>", datetime.now(UTC))
        assert not state.record_sent(action, "<other@client.example>", datetime.now(UTC))
        [row] = state.actions()
        assert (row["state"], row["detail"]) == (SENT, "sent by you")
        assert thread("hr@agency.example", {"<new-id@client.example>"}).threaded
        assert state.our_message_ids(frozenset({"<new-id@client.example>"}))

        # Not a company: a shared provider; not this account; not a copy of the rejection.
        assert thread("someone@hotmail.co.uk", set()) is None
        assert state.thread_of("other", "jo@acme.example", frozenset(), later) is None
        copy = state.thread_of("main", "jo@acme.example", frozenset(), later, "<R@acme>")
        assert copy is not None
        assert not copy.asked
        # From the contact a season later: a new matter, unless it is in the thread.
        much_later = later + ANSWER_WINDOW + timedelta(days=1)
        assert not thread("jo@acme.example", set(), much_later).asked
        assert thread("jo@acme.example", {"<r@acme>"}, much_later).asked


def test_a_rejection_never_joins_another_rejections_thread(tmp_path: Path) -> None:
    """Two rejections from one ATS sender: each is a thread of its own, so a reply
    threaded to the second is never taken for an answer about the first."""
    with Ledger(tmp_path / "s.db") as state:
        for uid, fingerprint in ((1, "<a@ats>"), (2, "<b@ats>")):
            seen = SeenMessage(
                "main", "INBOX", 7, uid, fingerprint, fingerprint, "No", "no@ats.example", None
            )
            plan = planned(f"jo{uid}@acme.example", fingerprint=fingerprint)
            earlier = state.thread_of("main", "no@ats.example", frozenset(), datetime.now(UTC))
            state.record(seen, classify(REJECTION), plan=plan, thread=earlier)
        rows = {m["message_id"]: m for m in state.messages()}
        assert rows["<b@ats>"]["thread_of"] is None
        for action in state.pending_actions():
            state.transition(action, DRAFTING, from_=(SCHEDULED,))
            state.transition(action, DRAFTED, from_=(DRAFTING,))
        later = datetime.now(UTC) + timedelta(minutes=1)
        second = state.thread_of("main", "x@else.example", frozenset({"<b@ats>"}), later)
        assert second is not None
        assert second.rejection == rows["<b@ats>"]["id"]
