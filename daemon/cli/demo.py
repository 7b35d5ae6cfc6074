"""`debriefer demo`: the whole flow against an embedded IMAP server, in about ten seconds.

The daemon that runs here is the real one (watcher, classifier, rules,
plan, outbox, templates); only the server is a throwaway in this process,
the wait is seconds instead of days, and the recruiter's reply is simulated.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import email
import email.policy
import logging
import os
import secrets
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path
from typing import TextIO

from imapclient import IMAPClient

from daemon.config import load_config
from daemon.config.values import local_zone
from daemon.errors import UserError
from daemon.ledger import PENDING_STATES, Ledger
from daemon.mail.demo_server import EmbeddedImap
from daemon.pipeline import pipeline, print_pipeline
from daemon.running.supervisor import Daemon

USER = "alex.candidate@example.net"
PASSWORD_VARIABLE = "DEBRIEFER_DEMO_PASSWORD"  # noqa: S105 - a variable name, not a password
RECRUITER = ("Jordan Reyes", "jordan.reyes@northwind.example")
TIMEOUT = 60.0  # seconds for any one step: generous for a slow machine


def _mail(
    sender: tuple[str, str], subject: str, body: str, *, age: timedelta, **headers: str
) -> bytes:
    message = EmailMessage()
    message["From"] = formataddr(sender)
    message["To"] = formataddr(("Alex Candidate", USER))
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC) - age)
    message["Message-ID"] = make_msgid("demo", domain=sender[1].rpartition("@")[2])
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


def sample_inbox() -> list[bytes]:
    """Four messages we wrote: two rejections, an invitation, an acknowledgement."""
    return [
        _mail(
            RECRUITER,
            "Your application for Data Engineer at Northwind",
            "Dear Alex,\n\nThank you for taking the time to interview for the Data Engineer"
            " role at Northwind, and for the care you put into the take-home exercise.\n\n"
            "After a lot of discussion we have decided to move forward with another candidate"
            " whose experience is closer to what the team needs right now.\n\n"
            "We wish you every success in your search.\n\nBest regards,\nJordan Reyes\n"
            "Talent Acquisition, Northwind",
            age=timedelta(minutes=3),
        ),
        _mail(
            ("Miriam Keller", "miriam.keller@kaltwasser-energie.example"),
            "Ihre Bewerbung als Projektingenieurin",
            "Sehr geehrte Frau Candidate,\n\nvielen Dank für Ihre Bewerbung als"
            " Projektingenieurin bei der Kaltwasser Energie GmbH und Ihr Interesse an"
            " unserem Unternehmen.\n\nNach sorgfältiger Prüfung müssen wir Ihnen leider"
            " mitteilen, dass wir uns für eine andere Bewerberin entschieden haben.\n\n"
            "Für Ihren weiteren Weg wünschen wir Ihnen alles Gute.\n\nMit freundlichen Grüßen\n"
            "Miriam Keller\nPersonalabteilung, Kaltwasser Energie GmbH",
            age=timedelta(minutes=2),
        ),
        _mail(
            ("Sam Okafor", "sam.okafor@lumen-analytics.example"),
            "Interview invitation: Analytics Engineer",
            "Hi Alex,\n\nThanks for applying to the Analytics Engineer position. We would love"
            " to invite you to a first interview with the team. Could you let me know which"
            " of these slots works for you: Tuesday 10:00 or Thursday 14:00?\n\n"
            "Looking forward to speaking with you,\nSam Okafor\nLumen Analytics",
            age=timedelta(minutes=1),
        ),
        _mail(
            ("Orbital Foods Careers", "no-reply@careers.orbital-foods.example"),
            "We received your application",
            "Hello Alex,\n\nThank you for applying for the Supply Chain Analyst role at Orbital"
            " Foods. Our team will review your application carefully. If you are not selected"
            " for an interview, we will let you know by email.\n\nOrbital Foods Talent Team\n"
            "This mailbox is not monitored.",
            age=timedelta(seconds=30),
        ),
    ]


def feedback_reply(request_message_id: str) -> bytes:
    """What Jordan answers once the user has sent the feedback request."""
    return _mail(
        RECRUITER,
        "Re: Your application for Data Engineer at Northwind",
        "Hi Alex,\n\nHappy to share some feedback. Your SQL and modelling work in the exercise"
        " was strong. Where the other candidate was ahead was streaming: the panel wanted more"
        " hands-on experience with Kafka and with recovering a pipeline after failures. A small"
        " end-to-end streaming project would close most of that gap.\n\nAll the best,\nJordan",
        age=timedelta(0),
        In_Reply_To=request_message_id,
        References=request_message_id,
    )


def _config_text(server: EmbeddedImap, state_path: Path, wait: str) -> str:
    return (
        f'[identity]\nname = "Alex Candidate"\nemail = "{USER}"\n\n'
        f'[[accounts]]\nname = "demo"\nhost = "{server.host}"\nport = {server.port}\n'
        f'security = "none"\nusername = "{server.user}"\npassword_env = "{PASSWORD_VARIABLE}"\n'
        f'poll_interval = "2s"\n\n'
        f'[policy]\nwait = "{wait}"\nlookback = "2d"\n\n[state]\npath = "{state_path}"\n'
    )


class _Narrator:
    """Prints each step once, as the state records it."""

    def __init__(self, state: Ledger, out: TextIO) -> None:
        self.state = state
        self.out = out
        self.started = time.monotonic()
        self.seen: dict[str, str] = {}

    def say(self, text: str) -> None:
        self.out.write(f"[{time.monotonic() - self.started:5.1f}s] {text}\n")
        self.out.flush()

    def update(self) -> None:
        for message in reversed(self.state.messages()):
            key = f"m{message['id']}"
            if key not in self.seen:
                self.seen[key] = ""
                label = message["label"] or "unreadable"
                confidence = f" {message['confidence']:.2f}" if message["confidence"] else ""
                self.say(f"read {message['subject']!r}: {label}{confidence}")
                self.say(f"       -> {message['outcome'] or message['error'] or ''}")
        for action in reversed(self.state.actions()):
            key = f"a{action['id']}"
            shown = f"{action['state']}|{action['due_at']}"
            if self.seen.get(key) == shown:
                continue
            self.seen[key] = shown
            kind = "feedback request" if action["kind"] == "request" else "thank-you"
            to = action["to_email"] or "nobody (no person found)"
            detail = f" ({action['detail']})" if action["detail"] else ""
            self.say(f"{kind} to {to}: {action['state']}{detail}")

    def wait_until(self, done: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            self.update()
            if done():
                return
            time.sleep(0.2)
        raise UserError(f"the demo timed out waiting for {what}")


@contextmanager
def _daemon(config_path: Path) -> Iterator[Ledger]:
    config = load_config(config_path)
    state = Ledger(config.state_path)
    daemon = Daemon(config, state, backoff_base=0.5)
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(daemon.run())
        except BaseException as exc:  # shown after the stop
            failure.append(exc)

    thread = threading.Thread(target=run, name="daemon", daemon=True)
    thread.start()
    try:
        yield state
    finally:
        daemon.request_stop()
        thread.join(TIMEOUT)
        state.close()
    if failure:
        raise UserError(f"the daemon failed: {failure[0]}")


def _client(server: EmbeddedImap) -> IMAPClient:
    client = IMAPClient(server.host, port=server.port, ssl=False, timeout=30)
    client.login(server.user, server.password)
    return client


def _show_drafts(server: EmbeddedImap, out: TextIO) -> int:
    with _client(server) as client:
        client.select_folder("Drafts", readonly=True)
        uids = client.search("ALL")
        fetched = client.fetch(uids, ["BODY.PEEK[]"]) if uids else {}
    out.write(f"\nThe Drafts folder now holds {len(fetched)} drafts:\n")
    for uid in sorted(fetched):
        raw = next(v for k, v in fetched[uid].items() if k.startswith(b"BODY["))
        draft = email.message_from_bytes(raw.replace(b"\r\n", b"\n"), policy=email.policy.default)
        out.write("\n" + "-" * 72 + "\n")
        for name in ("From", "To", "Subject", "In-Reply-To"):
            value = " ".join(str(draft[name] or "").split())
            out.write(f"{name}: {value or '(none: no person to write to was found)'}\n")
        out.write("\n" + draft.get_content().rstrip() + "\n")  # type: ignore[attr-defined]
    out.write("-" * 72 + "\n")
    return len(fetched)


def run_demo(*, keep: bool = False, wait: str = "3s", out: TextIO | None = None) -> int:
    out = out or sys.stdout
    logging.getLogger("pymap").setLevel(logging.CRITICAL)  # its session chatter is not ours
    password = secrets.token_urlsafe(12)
    previous = os.environ.get(PASSWORD_VARIABLE)
    os.environ[PASSWORD_VARIABLE] = password  # the config names the variable, as a user's would
    server = EmbeddedImap("alex", password).start()
    try:
        with tempfile.TemporaryDirectory(prefix="debriefer-demo-") as folder:
            with _client(server) as client:
                for name in ("Drafts", "Sent"):
                    client.create_folder(name)
                for raw in sample_inbox():
                    client.append("INBOX", raw)
            out.write(
                f"An IMAP server runs on {server.host}:{server.port} with four new messages"
                f" for Alex.\nThe daemon starts with wait = {wait} (two days in real life).\n\n"
            )
            config_path = Path(folder) / "config.toml"
            config_path.write_text(
                _config_text(server, Path(folder) / "state.db", wait), encoding="utf-8"
            )
            with _daemon(config_path) as state:
                narrator = _Narrator(state, out)
                narrator.wait_until(
                    lambda: _count(state, "request") == 2 and not _pending(state),
                    "the feedback requests",
                )
                request = next(a for a in state.actions() if a["to_email"] == RECRUITER[1])
                narrator.say("Alex sends Jordan's draft; Jordan answers with feedback (simulated).")
                with _client(server) as client:
                    client.append("INBOX", feedback_reply(request["message_id"]))
                narrator.wait_until(
                    lambda: _count(state, "thank_you") == 1 and not _pending(state),
                    "the thank-you",
                )
                out.write("\n`debriefer status` now shows:\n\n")
                print_pipeline(pipeline(state.messages(), state.actions()), local_zone(), out)
            count = _show_drafts(server, out)
            if keep:
                _keep_serving(server, out)
            return 0 if count == 3 else 1
    finally:
        server.stop()
        if previous is None:
            os.environ.pop(PASSWORD_VARIABLE, None)
        else:
            os.environ[PASSWORD_VARIABLE] = previous


def _count(state: Ledger, kind: str) -> int:
    return sum(a["kind"] == kind for a in state.actions())


def _pending(state: Ledger) -> bool:
    return any(a["state"] in PENDING_STATES for a in state.actions())


def _keep_serving(server: EmbeddedImap, out: TextIO) -> None:
    out.write(
        "\nThe server keeps running. Point a mail client at it to look around:\n"
        f"  IMAP server {server.host}, port {server.port}, no encryption\n"
        f"  user {server.user}, password {server.password}\n"
        f"  e.g.  neomutt -f 'imap://{server.user}@{server.host}:{server.port}/Drafts'\n"
        "Press Ctrl-C to stop it.\n"
    )
    out.flush()
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()


def cmd_demo(args: argparse.Namespace) -> int:
    return run_demo(keep=args.keep, wait=args.wait)
