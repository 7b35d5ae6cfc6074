"""``debriefer doctor``: every precondition of a working daemon, one line each.

It checks what a running daemon would need, in the order it needs it (the
config, the templates, each account's password, login and folders, the SMTP
login when something is sent, the state file, the user service), and keeps
going after a failure so one run shows everything to fix.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sqlite3
import stat
import sys
from pathlib import Path
from typing import TextIO

import aiosmtplib

from daemon.config import AccountConfig, Config, SmtpConfig, default_config_path, load_config, sends
from daemon.errors import UserError, describe_failure, scrub
from daemon.ledger import Ledger
from daemon.mail.probe import connection_problem, probe_account
from daemon.mail.render import check_templates  # the checks `debriefer run` makes at start
from daemon.mail.smtp import smtp_client, smtp_login, smtp_tls_context
from daemon.permissions import commands_in, unsafe_paths
from daemon.running.service_unit import service_report
from daemon.secrets import resolve_secret

PASS, FAIL, INFO = "ok", "FAIL", "--"


class Report:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.failures = 0

    def line(self, outcome: str, subject: str, text: str) -> None:
        self.failures += outcome == FAIL
        self.out.write(f"[{outcome:^4}] {subject}: {scrub(text)}\n")
        self.out.flush()


def check_config(path: Path | None, report: Report) -> Config | None:
    shown = (path or default_config_path()).expanduser()
    try:
        config = load_config(path)
    except UserError as exc:
        for problem in getattr(exc, "problems", None) or [str(exc)]:
            report.line(FAIL, "config", problem)
        return None
    accounts = ", ".join(a.name for a in config.accounts)
    report.line(PASS, "config", f"{shown} ({len(config.accounts)} account(s): {accounts})")
    try:
        check_templates(config)
    except UserError as exc:
        for problem in getattr(exc, "problems", None) or [str(exc)]:
            report.line(FAIL, "templates", problem)
    else:
        where = config.templates_dir or "the shipped templates"
        report.line(PASS, "templates", f"every template renders ({where})")
    unsafe = unsafe_paths(config)
    for problem in unsafe:
        report.line(FAIL, "permissions", problem)
    if commands_in(config) and not unsafe:
        report.line(PASS, "permissions", "only you can change the config, templates and state")
    return config


def check_account(account: AccountConfig, report: Report, *, sends: bool) -> None:
    subject = f"account {account.name}"

    def failed(exc: UserError) -> None:  # "main: login refused" under "account main"
        report.line(FAIL, subject, str(exc).removeprefix(f"{account.name}: "))

    try:
        password = resolve_secret(account.password)
    except UserError as exc:
        failed(exc)
        return
    try:
        probe = probe_account(account, password)
    except UserError as exc:
        failed(exc)
        return
    report.line(
        PASS,
        subject,
        f"logged in to {account.host}:{account.port} ({account.security}) as {account.username}",
    )
    if probe.inbox_found:
        report.line(PASS, subject, f"watches {account.inbox!r}")
    else:
        report.line(FAIL, subject, f"no folder {account.inbox!r} (inbox = ...)")
    for role, found, key in (("Drafts", probe.drafts, "drafts"), ("Sent", probe.sent, "sent")):
        if found.name:
            report.line(PASS, subject, f"{role} is {found.name!r} ({found.how})")
            continue
        folders = ", ".join(repr(f) for f in probe.folders[:20])
        consequence = "no draft can be made" if key == "drafts" else "sent mail cannot be checked"
        # Without Sent, a draft is still right; a send might repeat what the user wrote.
        harmless = key == "sent" and found.how == "not found" and not sends
        report.line(
            INFO if harmless else FAIL,
            subject,
            f"no {role} folder ({found.how}): {consequence}; set {key} = one of {folders}",
        )


async def _smtp_login(smtp: SmtpConfig, password: str) -> None:
    client = smtp_client(smtp, smtp_tls_context(smtp))
    try:
        async with client:
            await smtp_login(client, smtp, password)
    finally:
        await asyncio.sleep(0.01)  # let the TLS transport close before the loop does


def check_smtp(config: Config, report: Report) -> None:
    smtp = config.smtp
    if smtp is None:
        if sends(config.policy, config.rules):
            report.line(FAIL, "smtp", "something is set to send, but there is no [smtp] table")
        return
    try:
        password = resolve_secret(smtp.password)
        asyncio.run(_smtp_login(smtp, password))
    except UserError as exc:
        report.line(FAIL, "smtp", str(exc))
    except aiosmtplib.SMTPAuthenticationError:
        report.line(FAIL, "smtp", f"login refused for {smtp.username} at {smtp.host}")
    except aiosmtplib.SMTPConnectError as exc:
        cause = exc.__cause__ or exc
        report.line(FAIL, "smtp", connection_problem(smtp.host, smtp.port, smtp.security, cause))
    except (aiosmtplib.SMTPException, OSError) as exc:
        report.line(FAIL, "smtp", connection_problem(smtp.host, smtp.port, smtp.security, exc))
    else:
        report.line(PASS, "smtp", f"logged in to {smtp.host}:{smtp.port} as {smtp.username}")


def check_state(path: Path, report: Report) -> None:
    if not path.exists():
        report.line(INFO, "state", f"{path} does not exist yet; the first `debriefer run` makes it")
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        report.line(FAIL, "state", f"{path} is readable by others (mode {mode:o}): chmod 600 it")
    try:
        with Ledger(path, read_only=True) as state:
            counts = state.label_counts()
            actions = len(state.actions())
        integrity = _quick_check(path)
    except (UserError, sqlite3.Error) as exc:
        report.line(FAIL, "state", f"{path}: {describe_failure(exc)}")
        return
    if integrity != "ok":
        report.line(FAIL, "state", f"{path} is damaged: {integrity}")
        return
    report.line(
        PASS, "state", f"{path}: {sum(counts.values())} messages, {actions} requests and thank-yous"
    )


def _quick_check(path: Path) -> str:
    """SQLite's own consistency check, on a read-only connection of its own."""
    with contextlib.closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)) as db:
        rows = db.execute("PRAGMA quick_check").fetchall()
    return "; ".join(str(row[0]) for row in rows[:3])


def check_service(report: Report) -> None:
    healthy, text = service_report()
    report.line({True: PASS, False: FAIL, None: INFO}[healthy], "service", text)


def run_doctor(config_path: Path | None, out: TextIO) -> int:
    report = Report(out)
    config = check_config(config_path, report)
    if config is not None:
        for account in config.accounts:
            check_account(account, report, sends=bool(sends(config.policy, config.rules)))
        check_smtp(config, report)
        check_state(config.state_path, report)
    check_service(report)
    out.write(
        "everything looks right\n" if not report.failures else f"{report.failures} problem(s)\n"
    )
    return 1 if report.failures else 0


def cmd_doctor(args: argparse.Namespace) -> int:
    return run_doctor(args.config, sys.stdout)
