"""The verbs that need a config: run, forget, skip, draft, pause, resume, demo."""

from __future__ import annotations

import argparse
import fcntl
import logging
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import parseaddr
from pathlib import Path

from .config import LANGUAGES, Config, ConfigError, load_config
from .errors import UserError
from .intake import user_addresses
from .permissions import unsafe_paths
from .planner import TEMPLATES, by_hand
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
    lock_path = state_path.with_name(state_path.name + ".lock")
    try:
        state_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock = open(lock_path, "a")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise UserError(
            f"cannot use the state folder {state_path.parent}: {exc.strerror or exc};"
            " it must be writable by you (or set [state] path)"
        ) from None
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError(f"another `debriefer run` is already using {state_path}") from None
        yield


def cmd_run(args: argparse.Namespace) -> int:
    config = _config(args)
    unsafe = unsafe_paths(config)
    if unsafe:
        raise ConfigError(unsafe)
    _check_secrets_at_start(config)
    _check_templates(config)
    with _single_instance(config.state_path), State(config.state_path) as state:
        log.info("debriefer starting: %d account(s), state in %s", len(config.accounts), state.path)
        failure = run_daemon(config, state, stop_signals=(signal.SIGTERM, signal.SIGINT))
    if failure is not None:
        raise UserError(failure)  # exit status 2: the unit does not restart it (see service.py)
    log.info("debriefer stopped")
    return 0


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


# -- the user's controls ------------------------------------------------------


def _named(state: State, target: str, where: str) -> list[dict]:
    """The recorded message(s) an ID or Message-ID names; a clear error when none."""
    found = state.find_message(target)
    if not found:
        raise UserError(f"no message {target} is recorded; `debriefer {where}` shows IDs")
    return found


def _state(config: Config) -> State:
    if not config.state_path.exists():
        raise UserError("nothing is recorded yet (no state file)")
    return State(config.state_path)


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
    with State(config.state_path) as state:
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


# -- demo ---------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return run_demo(keep=args.keep, wait=args.wait)
