"""Each rejection followed down the pipeline (seen, request, reply, thank-you), read from
the ledger, and the table that shows it: one module, so ``status``, ``report`` and
``demo`` never disagree about where a rejection stands."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any, TextIO

from classifiers.answer import DESCRIPTIONS, AnswerKind
from daemon.ledger import PENDING_STATES, SCHEDULED

TABLE_ROWS = 20
# The widest a column gets; narrower when its contents are.
MAX_WIDTHS = {
    "id": 6,
    "received": 12,
    "job": 30,
    "contact": 34,
    "request": 18,
    "reply": 16,
    "thanks": 16,
}
# The kind of an answer in the REPLY column; explain and --json give it in full.
SHORT_KINDS = {"auto_reply": "auto-reply", "declined": "declined", "call": "call offered"}
TITLES = {
    "id": "ID",
    "received": "RECEIVED",
    "job": "COMPANY / ROLE",
    "contact": "CONTACT",
    "request": "REQUEST",
    "reply": "REPLY",
    "thanks": "THANK-YOU",
}


def local_time(stamp: str | None, zone: tzinfo, *, year: bool = False) -> str:
    """A stored UTC time as the user's wall clock: "24 Nov 10:12" (with ``year``, in full)."""
    if not stamp:
        return "?"
    moment = datetime.fromisoformat(stamp).astimezone(zone)
    return moment.strftime("%a %d %b %Y %H:%M %Z" if year else "%d %b %H:%M")


def pipeline(messages: list[dict[str, Any]], actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per rejection, newest first: its request, the answer it drew, the thank-you.

    A reply belongs to the rejection the intake related it to when it was recorded
    (``thread_of``, decided once by ``decide.relation``); feedback is shown before any
    other answer.
    """
    request_of: dict[int, dict[str, Any]] = {}
    thanks_of: dict[int, dict[str, Any]] = {}
    for action in sorted(actions, key=lambda a: a["id"]):  # the newest action for a message wins
        (request_of if action["kind"] == "request" else thanks_of)[action["source_id"]] = action
    rejections = sorted(
        (m for m in messages if m["label"] == "rejection"),
        key=lambda m: (m["received_at"] or "", m["id"]),
    )
    reply_of: dict[int, dict[str, Any]] = {}
    for message in sorted(messages, key=lambda m: (m["received_at"] or "", m["id"])):
        rejection = message.get("thread_of")
        if rejection is None or message["label"] == "rejection":
            continue
        if not (message.get("answer") or _gives_feedback(message)):
            continue  # in the thread, but neither an answer nor feedback: not a reply
        shown = reply_of.get(rejection)
        if shown is None or (not _gives_feedback(shown) and _gives_feedback(message)):
            reply_of[rejection] = message
    entries = []
    for message in reversed(rejections):
        request = request_of.get(message["id"])
        reply = reply_of.get(message["id"])
        entries.append(
            {
                "id": message["id"],
                "message_id": message["message_id"],
                "subject": message["subject"],
                "received_at": message["received_at"],
                "company": message["company"],
                "job_title": message["job_title"],
                "contact": (request or {}).get("to_email") or message["contact_email"],
                "outcome": message["outcome"],
                "request": _stage(request),
                "reply": {
                    "received_at": reply["received_at"],
                    "subject": reply["subject"],
                    "kind": reply.get("answer")
                    or ("feedback" if reply["label"] == "feedback_reply" else None),
                    "outcome": reply["outcome"],
                }
                if reply
                else None,
                "thank_you": _stage(thanks_of.get(reply["id"]) if reply else None),
            }
        )
    return entries


def _gives_feedback(message: dict[str, Any]) -> bool:
    """Feedback, whether it answered our request or came before we asked."""
    answer = message.get("answer")
    return answer == "feedback" or (answer is None and message["label"] == "feedback_reply")


def _stage(action: dict[str, Any] | None) -> dict[str, Any] | None:
    if action is None:
        return None
    return {
        "state": action["state"],
        "due_at": action["due_at"],
        "updated_at": action["updated_at"],
        "to": action["to_email"],
        "detail": action["detail"],
        "problem": action.get("problem"),
        "sent_at": action.get("sent_at"),
    }


def _stage_text(stage: dict[str, Any] | None, zone: tzinfo) -> str:
    if stage is None:
        return "-"
    state = stage["state"]
    if state == SCHEDULED:
        return ("held up, due " if stage.get("problem") else "due ") + local_time(
            stage["due_at"], zone
        )
    if state in PENDING_STATES:
        return state + "..."
    if stage.get("sent_at"):
        return "sent by you " + _day(stage["sent_at"], zone)
    if state in ("drafted", "sent"):
        return f"{state} {_day(stage['updated_at'], zone)}"
    return state


def _cell(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _day(stamp: str | None, zone: tzinfo) -> str:
    return local_time(stamp, zone)[:6]


def _cells(entry: dict[str, Any], zone: tzinfo) -> dict[str, str]:
    job = " / ".join(part for part in (entry["company"], entry["job_title"]) if part)
    request = entry["request"]
    return {
        "id": str(entry["id"]),
        "received": local_time(entry["received_at"], zone),
        "job": job or entry["subject"] or "?",
        "contact": entry["contact"] or "nobody found",
        "request": _stage_text(request, zone) if request else "none",
        "reply": _reply_text(entry["reply"], zone),
        "thanks": _stage_text(entry["thank_you"], zone),
    }


def _reply_text(reply: dict[str, Any] | None, zone: tzinfo) -> str:
    if reply is None:
        return "-"
    kind = reply["kind"]
    said = SHORT_KINDS.get(kind, kind) if kind else ""
    return f"{_day(reply['received_at'], zone)} {said}".rstrip()


def print_pipeline(entries: list[dict[str, Any]], zone: tzinfo, out: TextIO) -> None:
    rows = [_cells(entry, zone) for entry in entries[:TABLE_ROWS]]
    widths = {
        column: min(limit, max(len(TITLES[column]), *(len(row[column]) for row in rows)))
        for column, limit in MAX_WIDTHS.items()
    }

    def line(cells: dict[str, str]) -> str:
        return "  ".join(_cell(cells[c], w).ljust(w) for c, w in widths.items()).rstrip()

    out.write(line(TITLES) + "\n")
    for entry, row in zip(entries, rows, strict=False):
        out.write(line(row) + "\n")
        why = _why(entry, zone)
        if why:
            out.write(f"  └ {why}\n")
    hidden = len(entries) - TABLE_ROWS
    if hidden > 0:
        out.write(f"... and {hidden} older (debriefer status --json shows all)\n")


def _why(entry: dict[str, Any], zone: tzinfo) -> str:
    """The one line a person wants under a row: why nothing happened, or what to check."""
    request, thanks, reply = entry["request"], entry["thank_you"], entry["reply"]
    if request is None:
        return entry["outcome"] or ""
    notes = [request["detail"]] if request["detail"] else []
    if request.get("problem"):
        notes.append("held up: " + request["problem"])
    if request.get("sent_at"):
        notes = [f"sent by you on {local_time(request['sent_at'], zone, year=True)}"]
    if reply and reply.get("kind") and reply["kind"] != "feedback":
        notes.append("answer: " + DESCRIPTIONS[AnswerKind(reply["kind"])])
    if thanks and (thanks["detail"] or thanks.get("problem")):
        notes.append("thank-you: " + (thanks.get("problem") or thanks["detail"]))
    return "; ".join(notes)
