"""Describe, then do: the dry run is the daemon's pipeline without its last step, so
`scan --dry-run` and `explain FILE` show the plan a run would carry out, with what the
ledger already holds, and write nothing."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from daemon.cli import main

from .servers.dovecot import Dovecot
from .support import actions, one_account_config, rejection, rows

pytestmark = [pytest.mark.dovecot, pytest.mark.slow]

OTHER = ("Kim Novak", "kim.novak@contoso.example")


def dry_scan(config_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, dict]:
    capsys.readouterr()
    assert main(["scan", "--dry-run", "--json", "--config", str(config_path)]) == 0
    return {row["message_id"]: row for row in map(json.loads, capsys.readouterr().out.splitlines())}


def test_the_dry_run_shows_the_plan_the_run_carries_out(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch, policy='wait = "2d"')
    dovecot.append(user, rejection(1))

    # Nothing recorded yet: the plan a first run would make, and no state written.
    [first] = dry_scan(config.source, capsys).values()
    plan = first["plan"]
    assert plan["foreseen"] is True
    assert plan["outcome"].startswith("feedback request due")
    assert plan["action"]["kind"] == "request"
    assert plan["action"]["to"] == "jordan.reyes@northwind.example"
    assert not config.state_path.exists()

    # The run records exactly that plan.
    assert main(["scan", "--config", str(config.source)]) == 0
    [action] = actions(config)
    [recorded] = rows(config)
    assert action["due_at"] == datetime.fromisoformat(plan["action"]["due_at"]).isoformat()
    assert recorded["outcome"] == plan["outcome"]
    received = datetime.fromisoformat(recorded["received_at"])
    assert datetime.fromisoformat(action["due_at"]) - received == timedelta(days=2)

    # With the ledger: the recorded message says so, a second rejection from the same
    # person gets no second request, another person's gets one; still nothing written.
    dovecot.append(user, rejection(2))
    dovecot.append(user, rejection(3, sender=OTHER))
    before = (rows(config), actions(config))
    dry = dry_scan(config.source, capsys)
    assert dry["<rej-1@northwind.example>"]["plan"]["outcome"] == (
        f"already recorded: {recorded['outcome']}"
    )
    second = dry["<rej-2@northwind.example>"]["plan"]
    assert second["outcome"] == (
        "no second request to jordan.reyes@northwind.example: the first is scheduled"
    )
    assert second["action"] is None
    third = dry["<rej-3@northwind.example>"]["plan"]
    assert third["action"]["to"] == "kim.novak@contoso.example"
    assert (rows(config), actions(config)) == before
    capsys.readouterr()
    assert main(["scan", "--dry-run", "--config", str(config.source)]) == 0
    text = capsys.readouterr().out
    assert "→ would be: feedback request due" in text
    assert ", to kim.novak@contoso.example" in text

    # explain FILE says the same, in words.
    mail = tmp_path / "again.eml"
    mail.write_bytes(rejection(4))
    assert main(["explain", str(mail), "--config", str(config.source)]) == 0
    shown = capsys.readouterr().out
    assert "outcome: would be: no second request to jordan.reyes@northwind.example" in shown
    mail.write_bytes(rejection(5, sender=OTHER))
    assert main(["explain", str(mail), "--config", str(config.source)]) == 0
    assert "would make: a feedback request to kim.novak@contoso.example, due" in (
        capsys.readouterr().out
    )
