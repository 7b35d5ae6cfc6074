"""The verbs that need a config: run, status, explain, forget, demo."""

from __future__ import annotations

import argparse
import fcntl
import json
import logging
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from .config import Config, ConfigError, load_config
from .errors import UserError
from .planner import TEMPLATES
from .render import check_template
from .secrets import resolve_secret
from .state import State
from .watcher import run_daemon

log = logging.getLogger(__name__)


def _config(args: argparse.Namespace) -> Config:
    return load_config(args.config)


def _check_secrets_at_start(config: Config) -> None:
    """An unset variable can never appear in a running process: refuse to start.

    Commands and the keyring are asked at each login instead: a keyring may
    still be locked when the service starts, and a token helper may be slow.
    """
    problems = []
    for account in config.accounts:
        if account.password.env:
            try:
                resolve_secret(account.password)
            except UserError as exc:
                problems.append(str(exc))
    if problems:
        raise ConfigError(problems)


def _check_templates(config: Config) -> None:
    """A rule naming a template that does not exist would fail days later, at the draft."""
    problems = []
    for index, rule in enumerate(config.rules):
        if rule.template:
            try:
                check_template(rule.template, config.templates_dir)
            except UserError as exc:
                problems.append(f"rules[{index}] ({rule.name}).template: {exc}")
    for name in TEMPLATES.values():  # a broken override of a shipped template, too
        try:
            check_template(name, config.templates_dir)
        except UserError as exc:
            problems.append(f"templates.dir: {exc}")
    if problems:
        raise ConfigError(problems)


@contextmanager
def _single_instance(state_path: Path) -> Iterator[None]:
    """Two daemons on one state file would both act on every message."""
    state_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    lock_path = state_path.with_name(state_path.name + ".lock")
    with open(lock_path, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError(f"another `debriefer run` is already using {state_path}") from None
        yield


def cmd_run(args: argparse.Namespace) -> int:
    config = _config(args)
    _check_secrets_at_start(config)
    _check_templates(config)
    with _single_instance(config.state_path), State(config.state_path) as state:
        log.info("debriefer starting: %d account(s), state in %s", len(config.accounts), state.path)
        run_daemon(config, state, stop_signals=(signal.SIGTERM, signal.SIGINT))
        log.info("debriefer stopped")
    return 0


# -- status -------------------------------------------------------------------


def status_report(state: State | None, config: Config) -> dict[str, Any]:
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
    by_source = {a["source_id"]: a for a in reversed(actions)}  # newest action per message wins
    messages = [
        {
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
        for m in (state.messages() if state else [])
    ]
    counts = state.label_counts() if state else {}
    return {
        "accounts": accounts,
        "counts": counts,
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
        "folder": action["folder"],
        "detail": action["detail"],
        "rule": action["rule"],
        "template": action["template"],
        "message_id": action["message_id"],
        "answers": {
            "message_id": action["source_message_id"],
            "subject": action["source_subject"],
        },
    }


def cmd_status(args: argparse.Namespace) -> int:
    config = _config(args)
    if config.state_path.exists():
        with State(config.state_path, read_only=True) as state:
            report = status_report(state, config)
    else:  # nothing ran yet: every account is simply "never started"
        report = status_report(None, config)
    if args.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
        return 0
    out = sys.stdout
    for account in report["accounts"]:
        out.write(f"{account['name']} ({account['host']}): {account['state']}")
        out.write(f" since {account['since']}" if account["since"] else "")
        out.write(f" - {account['detail']}\n" if account["detail"] else "\n")
        for folder, position in account["folders"].items():
            out.write(f"  {folder}: up to UID {position['last_uid']}")
            out.write(f", last message seen {account['last_seen_at'] or 'never'}\n")
    counts = report["counts"]
    out.write(
        "messages: " + (", ".join(f"{n} {label}" for label, n in sorted(counts.items())) or "none")
    )
    out.write("\n")
    if report["actions"]:
        out.write("\nfeedback requests and thank-yous:\n")
    for action in report["actions"][:20]:
        kind = "request" if action["kind"] == "request" else "thank-you"
        to = action["to"] or "nobody (no human contact found)"
        when = _local(action["due_at"]) if action["state"] == "scheduled" else ""
        out.write(f"  {kind} to {to}: {action['state']}{' ' + when if when else ''}\n")
        out.write(f"    answers {action['answers']['subject']!r}\n")
        if action["detail"]:
            out.write(f"    {action['detail']}\n")
    rejections = [m for m in report["messages"] if m["label"] == "rejection"][:10]
    if rejections:
        out.write("\nrecent rejections:\n")
    for m in rejections:
        context = " / ".join(m[k] or "?" for k in ("company", "job_title", "contact_email"))
        out.write(f"  {m['received_at'] or '?'}  {m['subject']}\n    {context}\n")
        for reason in m["reasons"][:3]:
            out.write(f"    - {reason}\n")
        if m["outcome"]:
            out.write(f"    => {m['outcome']}\n")
    return 0


def _local(stamp: str) -> str:
    """A stored UTC time as the user's wall clock."""
    return "due " + datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M %Z")


# -- forget -------------------------------------------------------------------


def cmd_forget(args: argparse.Namespace) -> int:
    config = _config(args)
    address = args.address.strip().lower()
    if "@" not in address:
        raise UserError(f"not an email address: {args.address!r}")
    if not config.state_path.exists():
        print(f"nothing recorded for {address} (no state yet)")
        return 1
    with State(config.state_path) as state:
        removed = state.forget(address)
    if not removed:
        print(f"nothing recorded for {address}")
        return 1
    print(
        f"forgot {removed} request(s) and thank-you(s) for {address}:"
        " a later rejection from them gets a new feedback request"
    )
    return 0


# -- demo ---------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return run_demo(keep=args.keep, wait=args.wait)
