"""The user's controls: skip one request, pause and resume, each by the ID status shows."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from daemon.cli import main
from daemon.running.outbox import PAUSED_LOOK

from .servers.dovecot import Dovecot
from .support import (
    actions,
    build_mail,
    done,
    drafts,
    idle,
    one_account_config,
    rejection,
    rows,
    running,
    schedule_one,
    settle,
    wait_for,
)

pytestmark = pytest.mark.dovecot


def status_row(config_path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    capsys.readouterr()
    assert main(["status", "--config", str(config_path)]) == 0
    out = capsys.readouterr().out
    return [line for line in out.splitlines() if "jordan.reyes@northwind.example" in line]


def test_skip_cancels_one_request_and_the_contact_stays_free(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch, policy='wait = "1h"')
    schedule_one(config, dovecot, user)
    [row] = status_row(config.source, capsys)
    message_id = row.split()[0]  # the ID column
    assert message_id == str(rows(config)[0]["id"])

    assert main(["explain", message_id, "--config", str(config.source)]) == 0
    assert "verdict: rejection" in capsys.readouterr().out
    assert main(["skip", message_id, "--config", str(config.source)]) == 0
    assert "skipped the feedback request" in capsys.readouterr().out
    [action] = actions(config)
    assert (action["state"], action["detail"]) == ("cancelled", "skipped by you")
    assert main(["skip", message_id, "--config", str(config.source)]) == 1  # nothing waits now

    # A later rejection from the same person gets its request as usual.
    with running(config):
        idle(config)
        dovecot.append(user, rejection(2, subject="Your application (another role)"))
        wait_for(lambda: len(actions(config)) == 2, "a request for the second rejection")
    assert sorted(a["state"] for a in actions(config)) == ["cancelled", "scheduled"]


def test_pause_holds_every_draft_until_resume(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch, policy='wait = "2d"')
    with running(config) as daemon:
        idle(config)
        assert main(["pause", "--config", str(config.source)]) == 0
        assert "paused" in capsys.readouterr().out
        dovecot.append(user, rejection(1))
        wait_for(lambda: actions(config), "the request to be scheduled")
        daemon.clock.advance(timedelta(days=3))  # it falls due while paused
        settle()
        assert drafts(dovecot, user) == []
        assert [a["state"] for a in actions(config)] == ["scheduled"]
        assert main(["status", "--config", str(config.source)]) == 0
        assert "PAUSED since" in capsys.readouterr().out

        assert main(["resume", "--config", str(config.source)]) == 0
        daemon.clock.advance(PAUSED_LOOK)  # the paused outbox's next look
        [action] = done(config)
    assert action["state"] == "drafted"
    assert len(drafts(dovecot, user)) == 1


def test_draft_asks_for_feedback_on_a_message_the_classifier_let_pass(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch, policy='wait = "0s"')
    # Polish: the user reads it, debriefer does not, so it is no rejection to the daemon.
    unclear = build_mail(
        "Rekrutacja",
        "Dzień dobry,\n\ndziękujemy za rozmowę. Niestety zdecydowaliśmy się na innego"
        " kandydata.\n\nPozdrawiam,\nSam Moreau",
        sender=("Sam Moreau", "sam.moreau@fabrikam.example"),
    )
    with running(config):
        idle(config)
        dovecot.append(user, unclear)
        wait_for(lambda: rows(config), "the message to be recorded")
    [message] = rows(config)
    assert message["label"] != "rejection", message
    assert main(["explain", str(message["id"]), "--config", str(config.source)]) == 0
    assert f"ID {message['id']}: acct0 INBOX" in capsys.readouterr().out

    assert main(["draft", str(message["id"]), "--config", str(config.source)]) == 0
    assert "a feedback request to sam.moreau@fabrikam.example is due now" in capsys.readouterr().out
    assert main(["draft", str(message["id"]), "--config", str(config.source)]) == 1  # never twice
    with running(config):
        [action] = done(config)
    assert (action["state"], action["to_email"]) == ("drafted", "sam.moreau@fabrikam.example")
    [draft] = drafts(dovecot, user)
    assert draft["To"] == "sam.moreau@fabrikam.example"
