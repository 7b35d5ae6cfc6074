"""``debriefer status``: where each rejection stands, in the user's time zone.

The table follows a rejection down the pipeline (seen, request due, drafted or
sent, reply, thank-you) and says under it why anything was skipped or
cancelled.  ``--json`` gives the same facts, plus every message and action,
for scripts.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import tzinfo
from typing import Any, TextIO

from daemon.config import Config, load_config
from daemon.ledger import Ledger
from daemon.pipeline import local_time, pipeline, print_pipeline


def status_report(state: Ledger | None, config: Config) -> dict[str, Any]:
    statuses = state.account_statuses() if state else {}
    accounts = []
    for account in config.accounts:
        entry = statuses.get(account.name, {})
        accounts.append(
            {
                "name": account.name,
                "host": account.host,
                "state": entry.get("state", "never started"),
                "detail": entry.get("detail", ""),
                "since": entry.get("since"),
                "last_seen_at": entry.get("last_seen_at"),
                "folders": entry.get("folders", {}),
            }
        )
    actions = state.actions() if state else []
    recorded = state.messages() if state else []
    by_source = {a["source_id"]: a for a in reversed(actions)}  # newest action per message wins
    messages = [
        {
            "id": m["id"],
            "message_id": m["message_id"],
            "subject": m["subject"],
            "account": m["account"],
            "folder": m["folder"],
            "uid": m["uid"],
            "received_at": m["received_at"],
            "label": m["label"],
            "confidence": m["confidence"],
            "state": _message_state(m, by_source.get(m["id"])),
            "outcome": m["outcome"],
            "rule": m["rule"],
            "reasons": m["reasons"],
            "company": m["company"],
            "job_title": m["job_title"],
            "contact_email": m["contact_email"],
            "error": m["error"],
        }
        for m in recorded
    ]
    return {
        "accounts": accounts,
        "paused_since": state.paused_since() if state else None,
        "counts": state.label_counts() if state else {},
        "pipeline": pipeline(recorded, actions),
        "actions": [_action_entry(a) for a in actions],
        "messages": messages,
    }


def _message_state(message: dict[str, Any], action: dict[str, Any] | None) -> str:
    """One word on where a message stands: its action's state, else whether it was read."""
    if message["error"]:
        return "error"
    if action is not None:
        return f"{action['kind']} {action['state']}"
    return "classified"


def _action_entry(action: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": action["id"],
        "kind": action["kind"],
        "state": action["state"],
        "to": action["to_email"],
        "to_name": action["to_name"],
        "due_at": action["due_at"],
        "expires_at": action["expires_at"],
        "updated_at": action["updated_at"],
        "folder": action["folder"],
        "detail": action["detail"],
        "problem": action["problem"],
        "rule": action["rule"],
        "template": action["template"],
        "message_id": action["message_id"],
        "sent_at": action["sent_at"],
        "sent_message_id": action["sent_message_id"],
        "answers": {
            "message_id": action["source_message_id"],
            "subject": action["source_subject"],
        },
    }


def print_status(report: dict[str, Any], zone: tzinfo, out: TextIO) -> None:
    if report["paused_since"]:
        since = local_time(report["paused_since"], zone)
        out.write(f"PAUSED since {since}: nothing is drafted or sent (debriefer resume)\n")
    for account in report["accounts"]:
        out.write(f"{account['name']} ({account['host']}): {account['state']}")
        out.write(f" since {local_time(account['since'], zone)}" if account["since"] else "")
        out.write(f" - {account['detail']}\n" if account["detail"] else "\n")
        for folder, position in account["folders"].items():
            seen = local_time(account["last_seen_at"], zone) if account["last_seen_at"] else "never"
            out.write(f"  {folder}: up to UID {position['last_uid']}, last message seen {seen}\n")
    counts = report["counts"]
    out.write(
        "messages: " + (", ".join(f"{n} {label}" for label, n in sorted(counts.items())) or "none")
    )
    out.write("\n\n")
    if report["pipeline"]:
        print_pipeline(report["pipeline"], zone, out)
    else:
        out.write("no rejections seen yet\n")
    out.write(f"times in {zone}\n")


def cmd_status(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    if config.state_path.exists():
        with Ledger(config.state_path, read_only=True) as state:
            report = status_report(state, config)
    else:  # nothing ran yet: every account is simply "never started"
        report = status_report(None, config)
    if args.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
        return 0
    print_status(report, config.policy.zone(), sys.stdout)
    return 0
