"""The ledger's shape: in memory or on disk, named migrations, a dry run that foresees
exactly what recording does (``foresee`` against ``record``), and plans kept whole."""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
from pathlib import Path

import pytest

from daemon.config import Policy, parse_send_window
from daemon.ledger import (
    MEMORY,
    MIGRATIONS,
    SCHEMA_VERSION,
    ActionRow,
    Ledger,
    MessageRow,
)
from daemon.running.outbox import send_terms
from decide.plan import Plan

from .support import planned, seen_from


def request_plan(contact: str, fingerprint: str) -> Plan:
    return planned(contact, fingerprint=fingerprint, outcome="feedback request due")


def test_an_in_memory_ledger_is_a_whole_ledger() -> None:
    with Ledger(MEMORY) as ledger:
        assert ledger.schema_version == SCHEMA_VERSION
        assert not ledger.read_only
        ledger.check_file(thorough=True)  # no file to lose: nothing to check
        recorded = ledger.record(seen_from(1, "a"), None, plan=request_plan("jo@acme.example", "a"))
        assert recorded is not None
        assert recorded.action is not None
        assert [a["to_email"] for a in ledger.actions()] == ["jo@acme.example"]


def test_every_migration_has_a_name_and_an_upgrade_logs_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert all(m.name and m.sql.strip() for m in MIGRATIONS)
    assert len({m.name for m in MIGRATIONS}) == len(MIGRATIONS)
    path = tmp_path / "s.db"
    with sqlite3.connect(path) as db:  # as written by the release before the last one
        for migration in MIGRATIONS[:-1]:
            db.executescript(migration.sql)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    db.close()
    with caplog.at_level(logging.INFO, logger="daemon.ledger"), Ledger(path) as ledger:
        assert ledger.schema_version == SCHEMA_VERSION
    assert f"migration {SCHEMA_VERSION}, {MIGRATIONS[-1].name}" in caplog.text


def test_foresee_says_what_record_then_does() -> None:
    """The dry run and the run share one decision: for each plan in turn, what ``foresee``
    says before is what ``record`` then writes, and foreseeing writes nothing."""
    plans = [
        (seen_from(1, "a"), request_plan("jo@acme.example", "a")),
        (seen_from(2, "a"), request_plan("jo@acme.example", "a")),  # another copy
        (seen_from(3, "b"), request_plan("jo@acme.example", "b")),  # no second request
        (seen_from(4, "c"), request_plan("kim@acme.example", "c")),
        (seen_from(5, "d"), Plan("nothing to do", cancel=("kim@acme.example", "kim wrote again"))),
        (seen_from(6, "e"), Plan("nothing to do", cancel=("kim@acme.example", "kim wrote again"))),
    ]
    expected_outcomes = [
        "feedback request due",
        "another copy of a message already handled (its request is scheduled)",
        "no second request to jo@acme.example: the first is scheduled",
        "feedback request due",
        "nothing to do; cancelled the pending request (kim wrote again)",
        "nothing to do",
    ]
    with Ledger(MEMORY) as ledger:
        for (message, plan), expected in zip(plans, expected_outcomes, strict=True):
            before = ledger.actions()
            outcome, acts, cancels = ledger.foresee(plan, message.fingerprint)
            assert ledger.actions() == before
            recorded = ledger.record(message, None, plan=plan)
            assert recorded is not None
            assert (outcome, recorded.outcome) == (expected, expected)
            assert acts == (recorded.action is not None)
            assert cancels == ("cancelled the pending request" in expected)


def test_the_plan_keeps_how_an_action_is_carried_out_and_the_outbox_follows_it() -> None:
    """Mode, window and zone are decided once, when the message is planned: a later edit
    of the window changes no planned send, and a config switched back to draft holds a
    planned send back; a planned draft is never sent."""
    window = parse_send_window("Mon-Fri 09:00-17:00")
    sending = Policy(mode="send", send_window=window, timezone="Europe/Paris")
    with Ledger(MEMORY) as ledger:
        plan = dataclasses.replace(
            request_plan("jo@acme.example", "a"),
            action=dataclasses.replace(
                request_plan("jo@acme.example", "a").action,  # type: ignore[arg-type]
                mode="send",
                send_window=window.text,
                zone="Europe/Paris",
            ),
        )
        recorded = ledger.record(seen_from(1, "a"), None, plan=plan)
        assert recorded is not None
        assert recorded.action is not None
        [action] = ledger.pending_actions()
    assert (action.mode, action.send_window, action.zone) == (
        "send",
        "Mon-Fri 09:00-17:00",
        "Europe/Paris",
    )
    later = Policy(mode="send", send_window=parse_send_window("Sat 10:00-11:00"))
    terms = send_terms(action, later)
    assert terms.sends
    assert terms.window == window
    assert str(terms.zone) == "Europe/Paris"
    assert not send_terms(action, Policy(mode="draft")).sends
    drafted = dataclasses.replace(action, mode="draft")
    assert not send_terms(drafted, sending).sends
    # Planned before plans were kept: the config as it is now.
    older = dataclasses.replace(action, mode=None, send_window=None, zone=None)
    assert send_terms(older, sending) == (True, window, sending.zone())


@pytest.mark.parametrize(
    ("row", "table", "extra"),
    [
        (MessageRow, "messages", set()),
        (ActionRow, "actions", {"source_subject", "source_message_id"}),
    ],
)
def test_typed_rows_name_every_column(row: type, table: str, extra: set[str]) -> None:
    """A migration that adds a column must add it to the row's type too."""
    with Ledger(MEMORY) as ledger:
        columns = {r["name"] for r in ledger._db.execute(f"PRAGMA table_info({table})")}
    assert set(row.__annotations__) == columns | extra
