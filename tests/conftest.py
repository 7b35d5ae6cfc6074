"""The suite's fixtures and hooks: a mail builder, a real IMAP server, SMTP servers.

Plain helpers live in tests/support.py; this file imports what its fixtures need.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from typing import NoReturn

import pytest

from .servers.dovecot import Dovecot, find_binary
from .servers.smtp import SmtpMode, SmtpServer
from .support import MakeMail, build_mail


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
