"""Shared helpers: build messages as a mail client would send them, and a real IMAP server."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path
from typing import NoReturn

import pytest

from .servers.dovecot import Dovecot, find_binary
from .servers.smtp import SmtpMode, SmtpServer

USER = "alex.candidate@example.net"
REPO = Path(__file__).resolve().parents[1]

MakeMail = Callable[..., bytes]


def run_debriefer(
    *args: str, timeout: float, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``debriefer ARGS`` as a user runs it, in its own process, from the checkout."""
    return subprocess.run(
        [sys.executable, "-m", "daemon", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=timeout,
        check=False,
    )


def build_mail(
    subject: str,
    body: str,
    *,
    sender: tuple[str, str] = ("Jordan Reyes", "jordan.reyes@northwind.example"),
    html: str | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = formataddr(sender)
    message["To"] = formataddr(("Alex Candidate", USER))
    message["Subject"] = subject
    message["Message-ID"] = "<test-1@northwind.example>"
    for name, value in (headers or {}).items():
        message[name] = value
    if body:
        message.set_content(body)
    if html is not None:
        if body:
            message.add_alternative(html, subtype="html")
        else:
            message.set_content(html, subtype="html")
    return message.as_bytes()


@pytest.fixture
def make_mail() -> MakeMail:
    return build_mail


# -- a real Dovecot for the integration tests ----------------------------------

_NO_DOVECOT = "dovecot is not installed (Debian: scripts/setup.sh installs dovecot-imapd)"


def _dovecot_unavailable() -> NoReturn:
    """Skip without Dovecot on a developer machine; fail in CI, where it must be there."""
    if os.environ.get("REQUIRE_DOVECOT") == "1":
        pytest.fail(f"{_NO_DOVECOT}, and REQUIRE_DOVECOT=1 forbids skipping", pytrace=False)
    pytest.skip(f"{_NO_DOVECOT}; set REQUIRE_DOVECOT=1 to fail instead")


@pytest.hookimpl(tryfirst=True)  # before -m filters on the marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Tests that use the server carry the marker, so `-m "not dovecot"` leaves them out.
    for item in items:
        if "dovecot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.dovecot)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("dovecot") is not None and find_binary("dovecot") is None:
        _dovecot_unavailable()


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """One Dovecot for the whole session; tests isolate themselves with new_user()."""
    if find_binary("dovecot") is None:
        _dovecot_unavailable()
    server = Dovecot()
    try:
        server.start()
        yield server
    finally:
        server.cleanup()


@pytest.fixture(scope="session")
def dovecot_without_idle() -> Iterator[Dovecot]:
    """A second session Dovecot that never advertises IDLE, so clients must poll.

    Users are isolated with new_user() as on ``dovecot``.  Test modules using it
    carry ``pytestmark = pytest.mark.dovecot`` (the automatic marker above only
    looks for the ``dovecot`` fixture).
    """
    if find_binary("dovecot") is None:
        _dovecot_unavailable()
    server = Dovecot(idle=False)
    try:
        server.start()
        yield server
    finally:
        server.cleanup()


# -- an in-process SMTP server for the sending tests ----------------------------


@pytest.fixture
def smtp_server_factory() -> Iterator[Callable[[SmtpMode], SmtpServer]]:
    """Start SMTP servers in a given mode; all are stopped after the test."""
    with contextlib.ExitStack() as servers:

        def start(mode: SmtpMode = "starttls") -> SmtpServer:
            return servers.enter_context(SmtpServer(mode))

        yield start


@pytest.fixture
def smtp_server(smtp_server_factory: Callable[[SmtpMode], SmtpServer]) -> SmtpServer:
    """A fresh submission server: STARTTLS, then AUTH, both required."""
    return smtp_server_factory("starttls")
