"""``debriefer scan``: classify the lookback window of every inbox now."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from . import imap
from .config import AccountConfig, Config, load_config
from .errors import UserError
from .intake import Intake
from .secrets import resolve_secret
from .state import State


def _scan_account(
    config: Config, account: AccountConfig, state: State | None
) -> list[dict[str, Any]]:
    """Classify the lookback window of one account's inbox; record it unless dry."""
    since = (datetime.now(UTC) - config.policy.lookback).date()
    intake = Intake(config, account, state)
    client = imap.connect(account, resolve_secret(account.password))
    rows = []
    try:
        selected = client.select_folder(account.inbox, readonly=True)
        uidvalidity = int(selected[b"UIDVALIDITY"])
        for fetched in imap.fetch(client, imap.uids_since(client, since)):
            if state is None:
                judged = intake.judge(fetched, account.inbox, uidvalidity)
            else:  # planned as the daemon would; its position in the folder stays its own
                judged, _ = intake.take(fetched, account.inbox, uidvalidity, advance=False)
            seen, verdict, error = judged.seen, judged.verdict, judged.error
            row: dict[str, Any] = {
                "account": account.name,
                "folder": account.inbox,
                "uid": seen.uid,
                "message_id": seen.message_id,
                "subject": seen.subject,
            }
            row.update(verdict.to_dict() if verdict else {"label": None, "error": error})
            rows.append(row)
    finally:
        imap.close_quietly(client)
    return rows


def cmd_scan(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    # --dry-run writes nothing at all, not even a new state file.
    state = None if args.dry_run else State(config.state_path)
    failed = 0
    try:
        for account in config.accounts:
            try:
                rows = _scan_account(config, account, state)
            except UserError as exc:
                failed += 1
                print(f"debriefer: {exc}", file=sys.stderr)
                continue
            except Exception as exc:
                failed += 1
                print(
                    f"debriefer: {account.name}: {type(exc).__name__}: {exc}"[:300],
                    file=sys.stderr,
                )
                continue
            _print_scan(rows, sys.stdout, as_json=args.json)
    finally:
        if state is not None:
            state.close()
    return 1 if failed else 0


def _print_scan(rows: list[dict[str, Any]], out: TextIO, *, as_json: bool) -> None:
    for row in rows:
        if as_json:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            continue
        label = row["label"] or "error"
        confidence = f" {row['confidence']:.2f}" if row.get("confidence") is not None else ""
        out.write(f"{row['account']} {row['uid']:>6} {label:<15}{confidence}  {row['subject']}\n")
        if row["label"] == "rejection":
            context = [row.get(k) for k in ("company", "job_title", "contact_email")]
            out.write("         " + " / ".join(c or "?" for c in context) + "\n")
            for reason in row["reasons"][:3]:
                out.write(f"         - {reason}\n")
        elif row["label"] is None:
            out.write(f"         error: {row['error']}\n")
    out.flush()
