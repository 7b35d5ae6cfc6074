"""`debriefer report`: the outcome figures, counted from status's pipeline."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from daemon.cli import main
from daemon.cli.report import WEEKS, outcome_report, print_report

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)  # a Monday, ISO week 2026-W50


def entry(state: str | None, *, sent_at: str | None = None, reply: tuple | None = None) -> dict:
    request = None
    if state is not None:
        request = {"state": state, "updated_at": "2026-11-20T10:00:00+00:00", "sent_at": sent_at}
    answer = None
    if reply is not None:
        kind, received = reply
        answer = {"kind": kind, "received_at": received, "subject": "Re", "outcome": ""}
    return {"request": request, "reply": answer}


ENTRIES = [
    # Sent by us on 20 Nov 10:00, feedback two days later (week 47).
    entry("sent", reply=("feedback", "2026-11-22T10:00:00+00:00")),
    # Drafted, sent by the user on 1 Dec 09:00, declined 6 hours later (week 49).
    entry(
        "drafted",
        sent_at="2026-12-01T09:00:00+00:00",
        reply=("declined", "2026-12-01T15:00:00+00:00"),
    ),
    # Sent by us, only an auto-reply: not an answer.
    entry("sent", reply=("auto_reply", "2026-11-20T10:01:00+00:00")),
    entry("drafted"),  # never sent
    # Drafted on 20 Nov 10:00 and sent from the user's client unseen; answered a day later.
    entry("drafted", reply=("feedback", "2026-11-21T10:00:00+00:00")),
    entry("scheduled"),  # not made yet
    entry(None),  # no request at all
]


def test_the_figures() -> None:
    report = outcome_report(ENTRIES, NOW)
    assert {k: v for k, v in report.items() if k != "answers_by_week"} == {
        "rejections": 7,
        "requests_drafted": 5,
        "requests_sent": 4,
        "answered": 3,
        "feedback": 2,
        "answer_rate": 0.75,
        "median_hours_to_answer": 24.0,  # of 48 h, 6 h and 24 h
    }
    weeks = report["answers_by_week"]
    assert len(weeks) == WEEKS
    assert weeks[-1]["week"] == "2026-W50"
    assert {w["week"]: w["answers"] for w in weeks if w["answers"]} == {
        "2026-W47": 2,
        "2026-W49": 1,
    }


def test_the_chart_and_an_empty_state() -> None:
    out = io.StringIO()
    print_report(outcome_report(ENTRIES, NOW), out)
    text = out.getvalue()
    assert "answer rate                75%" in text
    assert "median time to answer      24 h" in text
    assert "  2026-W47  " + "█" * 30 + " 2" in text
    assert "  2026-W49  " + "█" * 15 + " 1" in text
    assert "  2026-W48  0" in text
    empty = io.StringIO()
    print_report(outcome_report([], NOW), empty)
    assert "answer rate                -" in empty.getvalue()


def test_report_on_a_config_without_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAIL_PASSWORD", "x")
    path = tmp_path / "config.toml"
    path.write_text(
        '[identity]\nname = "A"\nemail = "a@example.org"\n\n[[accounts]]\nname = "m"\n'
        'host = "imap.example.org"\nusername = "a"\npassword_env = "MAIL_PASSWORD"\n\n'
        f'[state]\npath = "{tmp_path / "state.db"}"\n'
    )
    assert main(["report", "--json", "--config", str(path)]) == 0
    assert '"rejections": 0' in capsys.readouterr().out
