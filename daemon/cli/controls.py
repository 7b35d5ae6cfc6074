"""The user's controls on what is recorded: forget, skip, draft, pause, resume."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from email.utils import parseaddr

from daemon.config import LANGUAGES, Config, load_config, user_addresses
from daemon.errors import UserError
from daemon.ledger import Ledger
from decide.plan import by_hand


def _config(args: argparse.Namespace) -> Config:
    return load_config(args.config)


def cmd_forget(args: argparse.Namespace) -> int:
    config = _config(args)
    address = args.address.strip().lower()
    if "@" not in address:
        raise UserError(f"not an email address: {args.address!r}")
    if not config.state_path.exists():
        print(f"nothing recorded for {address} (no state yet)")
        return 1
    with Ledger(config.state_path) as state:
        removed = state.forget(address)
    if not removed:
        print(f"nothing recorded for {address}")
        return 1
    print(
        f"forgot {removed} request(s) and thank-you(s) for {address}:"
        " a later rejection from them gets a new feedback request"
    )
    return 0


# -- the user's controls ------------------------------------------------------


def _named(state: Ledger, target: str, where: str) -> list[dict]:
    """The recorded message(s) an ID or Message-ID names; a clear error when none."""
    found = state.find_message(target)
    if not found:
        raise UserError(f"no message {target} is recorded; `debriefer {where}` shows IDs")
    return found


def _state(config: Config) -> Ledger:
    if not config.state_path.exists():
        raise UserError("nothing is recorded yet (no state file)")
    return Ledger(config.state_path)


def cmd_skip(args: argparse.Namespace) -> int:
    config = _config(args)
    with _state(config) as state:
        found = _named(state, args.target, "status")
        skipped = sum(state.skip(message["id"]) for message in found)
    if not skipped:
        print(f"no feedback request is waiting for {args.target}")
        return 1
    print(f"skipped the feedback request for {args.target}; the contact's next rejection gets one")
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    """A feedback request for a message the classifier did not take as a rejection."""
    config = _config(args)
    with _state(config) as state:
        message = _named(state, args.target, "explain")[0]
        account = next((a for a in config.accounts if a.name == message["account"]), None)
        if account is None:
            raise UserError(f"the account {message['account']!r} is no longer configured")
        name, email = message["contact_name"], message["contact_email"]
        if not email:  # nobody found in the mail: the sender, since the user says so
            email = parseaddr(message["sender"] or "")[1]
        if not email or email.lower() in user_addresses(config, account):
            raise UserError(f"{args.target}: no one to write to (no contact and no sender)")
        new = by_hand(
            email,
            name,
            fingerprint=message["fingerprint"],
            # A language we write in, else English (the message may be in one we cannot read).
            language=message["language"] if message["language"] in LANGUAGES else "en",
            policy=config.policy,
            now=datetime.now(UTC),
            id_domain=config.identity.id_domain,
            mailbox=account.username,
        )
        outcome, action = state.request_by_hand(message, new)
    if action is None:
        print(f"no new request: {outcome}")
        return 1
    print(
        f"a feedback request to {email} is due now: the running daemon drafts it within five minutes"
    )
    return 0


def cmd_pause(args: argparse.Namespace) -> int:
    return _switch(args, paused=True)


def cmd_resume(args: argparse.Namespace) -> int:
    return _switch(args, paused=False)


def _switch(args: argparse.Namespace, *, paused: bool) -> int:
    config = _config(args)
    with Ledger(config.state_path) as state:
        changed = state.set_paused(paused)
    if paused:
        print(
            "paused: debriefer keeps reading mail but drafts and sends nothing until"
            " `debriefer resume`"
            if changed
            else "already paused"
        )
    else:
        print(
            "resumed: what fell due meanwhile is drafted within a minute"
            if changed
            else "was not paused"
        )
    return 0
