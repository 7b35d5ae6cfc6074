"""``debriefer explain MESSAGE-ID|PATH``: the verdict on one message and everything behind it.

For a Message-ID it reads what the daemon recorded: verdict, reasons, the rule
that decided, the outcome, and the request or thank-you with its state.  For
an .eml file it judges the file now with the same classifier, rules and
plan the daemon uses, writing nothing, so a user can see in advance what
debriefer would make of a message.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, tzinfo
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, TextIO

from classifiers import classify
from classifiers.message import from_bytes
from daemon.config import Config, ConfigError, load_config
from daemon.errors import UserError
from daemon.ledger import Ledger
from daemon.mail import imap
from daemon.pipeline import local_time
from daemon.running.intake import Intake

CONTEXT = ("company", "job_title", "contact_name", "contact_email")


def explain_file(path: Path, config: Config | None, state: Ledger | None) -> dict[str, Any]:
    """Judge a file as the daemon would judge it on arrival; nothing is recorded."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(imap.FETCH_BYTES)  # what the daemon would have fetched
    except OSError as exc:
        raise UserError(f"{path}: {exc.strerror or exc}") from None
    if config is None:  # no config: the classifier alone, without rules or a plan
        try:
            view = from_bytes(raw)
        except ValueError as exc:  # empty, or not a message at all
            return {"source": str(path), "label": None, "error": str(exc)}
        return {
            "source": str(path),
            "message_id": view.header("message-id") or None,
            "subject": view.subject,
            **classify(view).to_dict(),
            "rule": None,
            "outcome": "(no config: rules and plans not applied)",
        }
    received = _date_of(raw)
    intake = Intake(config, config.accounts[0], state)
    described = intake.describe(imap.Fetched(0, raw, received), "(file)", 0)
    judged = described.judged
    if judged.verdict is None:
        return {"source": str(path), "label": None, "error": judged.error}
    plan = described.plan_dict()
    return {
        "source": str(path),
        "message_id": judged.seen.message_id,
        "subject": judged.seen.subject,
        "received_at": judged.seen.received_at,
        **judged.verdict.to_dict(),
        "rule": judged.rule.name if judged.rule else None,
        "outcome": "would be: " + described.outcome if described.outcome else None,
        "plan": plan,
    }


def _date_of(raw: bytes) -> datetime | None:
    """The Date header stands in for the arrival time a server would give."""
    try:
        value = BytesHeaderParser(policy=compat32).parsebytes(raw).get("date")
        moment = parsedate_to_datetime(str(value)) if value else None
    except (TypeError, ValueError, IndexError):
        return None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def explain_recorded(target: str, state: Ledger) -> dict[str, Any]:
    """A recorded message, by the ID `status` shows or its Message-ID."""
    found = state.find_message(target)
    if not found:
        raise UserError(f"no message {target} is recorded (is it older than the lookback?)")
    message = found[0]
    actions = [a for a in state.actions() if a["source_id"] == message["id"]]
    return {
        "id": message["id"],
        "source": f"{message['account']} {message['folder']} uid {message['uid']}",
        **{key: message[key] for key in ("message_id", "subject", "received_at", "sender")},
        **{key: message[key] for key in ("label", "confidence", "language", "suppressed")},
        "answer": message["answer"],
        "reasons": message["reasons"],
        **{key: message[key] for key in CONTEXT},
        "error": message["error"],
        "rule": message["rule"],
        "outcome": message["outcome"],
        "copies": len(found),
        "actions": [
            {
                key: action[key]
                for key in ("kind", "state", "to_email", "due_at", "updated_at", "folder")
            }
            | {"detail": action["detail"], "message_id": action["message_id"]}
            | {"history": json.loads(action["history"]) if action.get("history") else None}
            for action in actions
        ],
    }


def print_explanation(found: dict[str, Any], zone: tzinfo, out: TextIO) -> None:
    out.write(f"{found.get('subject') or found['source']}\n")
    out.write(
        f"  ID {found['id']}: {found['source']}" if found.get("id") else f"  {found['source']}"
    )
    if found.get("message_id"):
        out.write(f", {found['message_id']}")
    if found.get("received_at"):
        out.write(f", received {local_time(found['received_at'], zone, year=True)}")
    out.write("\n")
    if found["label"] is None:
        out.write(f"  could not be read: {found.get('error')}\n")
        return
    out.write(f"  verdict: {found['label']}, {found['confidence']:.2f} sure")
    out.write(f", language {found['language']}\n" if found.get("language") else "\n")
    if found.get("suppressed"):
        out.write(f"  never answered: {found['suppressed']}\n")
    context = [_field(found, key) for key in CONTEXT if found.get(key)]
    if context:
        out.write("  " + "; ".join(context) + "\n")
    out.write("  why:\n")
    for reason in found["reasons"]:
        out.write(f"    - {reason}\n")
    out.write(f"  rule: {found['rule'] or 'none matched'}\n")
    if found.get("outcome"):
        out.write(f"  outcome: {found['outcome']}\n")
    _print_plan(found.get("plan"), zone, out)
    for action in found.get("actions", []):
        kind, to = _kind_and_recipient(action["kind"], action["to_email"])
        when = action["due_at"] if action["state"] == "scheduled" else action["updated_at"]
        out.write(f"  {kind} to {to}: {action['state']} {local_time(when, zone, year=True)}")
        out.write(f" in {action['folder']}\n" if action["folder"] else "\n")
        if action["detail"]:
            out.write(f"    {action['detail']}\n")
        if action.get("history") is not None:
            _print_history(action["history"], out)


def _kind_and_recipient(kind: str, to: str | None) -> tuple[str, str]:
    """An action in words, as recorded or as it would be made."""
    return (
        "feedback request" if kind == "request" else "thank-you",
        to or "nobody (no human contact found)",
    )


def _print_plan(plan: dict[str, Any] | None, zone: tzinfo, out: TextIO) -> None:
    """For a file judged now: what the daemon would make, when, for whom."""
    if not plan:
        return
    new = plan["action"]
    if new is not None:
        kind, to = _kind_and_recipient(new["kind"], new["to"])
        due = local_time(new["due_at"], zone, year=True)
        lapses = local_time(new["expires_at"], zone, year=True)
        out.write(f"  would make: a {kind} to {to}, due {due}, lapsing {lapses}")
        out.write(f" ({new['template']}, {new['language']})\n")
    if plan["cancels"] is not None:
        cancel = plan["cancels"]
        out.write(
            f"  would cancel: a waiting request to {cancel['contact']} ({cancel['because']})\n"
        )


def _field(found: dict[str, Any], key: str) -> str:
    """ "company: Northwind", with how sure the extraction was when it says (a file judged
    now; the state keeps the values only)."""
    sure = found.get(f"{key}_confidence")
    return f"{key.replace('_', ' ')}: {found[key]}" + (f" ({sure:.2f})" if sure else "")


def _print_history(history: dict[str, Any], out: TextIO) -> None:
    """What the look-back found in the earlier thread, and where (mail/lookback.py)."""
    if history["interview_date"]:
        summary = f"an interview on {history['interview_date']}"
    elif history["interviewed"]:
        summary = "an interview (its day not found)"
    else:
        summary = "no interview: the request asks about the application"
    if history.get("interviewer"):
        summary += f" with {history['interviewer']}"
    if history.get("job_title"):
        summary += f"; the role: {history['job_title']}"
    out.write(f"    earlier thread: {summary}\n")
    for line in history["found"] or ["no earlier mail with this company or contact"]:
        out.write(f"      - {line}\n")


def cmd_explain(args: argparse.Namespace) -> int:
    target = args.target
    path = Path(target)
    is_file = path.is_file()
    try:
        config = load_config(args.config)
    except ConfigError:
        if not is_file:
            raise  # a Message-ID is looked up in the state the config names
        config = None
    state = None
    if config is not None and config.state_path.exists():
        state = Ledger(config.state_path, read_only=True)
    try:
        if is_file:
            found = explain_file(path, config, state)
        elif "@" in target or target.removeprefix("#").isdigit():
            if state is None:
                raise UserError("nothing is recorded yet (no state file)")
            found = explain_recorded(target, state)
        else:
            raise UserError(f"{target}: neither a file, a Message-ID nor an ID from status")
    finally:
        if state is not None:
            state.close()
    if args.json:
        sys.stdout.write(json.dumps(found, ensure_ascii=False) + "\n")
    else:
        zone = config.policy.zone() if config else UTC
        print_explanation(found, zone, sys.stdout)
    return 1 if found["label"] is None else 0
