"""`debriefer report`: what asking for feedback has brought, over the whole state.

Counted from the same pipeline `status` shows (one entry per rejection, with
its request, the answer it drew and the thank-you), so the two never disagree.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from datetime import datetime, timedelta
from typing import Any, TextIO

from daemon.config import load_config
from daemon.ledger import Ledger
from daemon.pipeline import pipeline

WEEKS = 12  # the chart's span
BAR = "█"
BAR_WIDTH = 30


def outcome_report(entries: list[dict[str, Any]], now: datetime) -> dict[str, Any]:
    """The figures a person asks of a month of job hunting, from pipeline entries; weeks
    are counted in ``now``'s time zone."""
    drafted = sent = answered = feedback = 0
    delays: list[float] = []
    by_week: dict[str, int] = {}
    for entry in entries:
        request, reply = entry["request"], entry["reply"]
        if request is None or request["state"] not in ("drafted", "sent"):
            continue
        drafted += 1
        sent_at = _sent_at(request)
        if sent_at is None and reply is None:
            continue  # still a draft, as far as anyone can tell
        sent += 1  # a reply to it, even an automatic one, shows it went out
        if reply is None or reply["kind"] == "auto_reply" or not reply["received_at"]:
            continue
        answered += 1
        feedback += reply["kind"] == "feedback"
        received = datetime.fromisoformat(reply["received_at"]).astimezone(now.tzinfo)
        # Sent from the user's client before we saw it in Sent: it left after it was drafted.
        left = sent_at or datetime.fromisoformat(request["updated_at"])
        delays.append((received - left).total_seconds())
        week = received.strftime("%G-W%V")
        by_week[week] = by_week.get(week, 0) + 1
    return {
        "rejections": len(entries),
        "requests_drafted": drafted,
        "requests_sent": sent,
        "answered": answered,
        "feedback": feedback,
        "answer_rate": round(answered / sent, 3) if sent else None,
        "median_hours_to_answer": round(statistics.median(delays) / 3600, 1) if delays else None,
        "answers_by_week": _weeks(by_week, now),
    }


def _sent_at(request: dict[str, Any]) -> datetime | None:
    """When the request left: sent by us, or sent by the user from our draft (Sent)."""
    if request.get("sent_at"):
        return datetime.fromisoformat(request["sent_at"])
    if request["state"] == "sent":
        return datetime.fromisoformat(request["updated_at"])
    return None


def _weeks(by_week: dict[str, int], now: datetime) -> list[dict[str, Any]]:
    """The last WEEKS ISO weeks, oldest first, each with its count (0 included)."""
    weeks = [(now - timedelta(weeks=back)).strftime("%G-W%V") for back in range(WEEKS)]
    return [{"week": week, "answers": by_week.get(week, 0)} for week in reversed(weeks)]


def print_report(report: dict[str, Any], out: TextIO) -> None:
    rate = report["answer_rate"]
    hours = report["median_hours_to_answer"]
    lines = [
        ("rejections seen", report["rejections"]),
        ("feedback requests drafted", report["requests_drafted"]),
        ("... sent", report["requests_sent"]),
        ("answered", report["answered"]),
        ("with feedback", report["feedback"]),
        ("answer rate", f"{rate:.0%}" if rate is not None else "-"),
        ("median time to answer", _duration(hours) if hours is not None else "-"),
    ]
    for label, value in lines:
        out.write(f"{label:<27}{value}\n")
    most = max((w["answers"] for w in report["answers_by_week"]), default=0)
    out.write(f"\nanswers by week (last {WEEKS})\n")
    for week in report["answers_by_week"]:
        bar = BAR * round(BAR_WIDTH * week["answers"] / most) if most else ""
        out.write(f"  {week['week']}  {bar}{' ' if bar else ''}{week['answers']}\n")


def _duration(hours: float) -> str:
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.1f} days"


def cmd_report(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    entries: list[dict[str, Any]] = []
    if config.state_path.exists():
        with Ledger(config.state_path, read_only=True) as state:
            entries = pipeline(state.messages(), state.actions())
    report = outcome_report(entries, datetime.now().astimezone(config.policy.zone()))
    if args.json:
        sys.stdout.write(json.dumps(report) + "\n")
    else:
        print_report(report, sys.stdout)
    return 0
