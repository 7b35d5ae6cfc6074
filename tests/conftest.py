"""The suite's fixtures and hooks: a mail builder, a real IMAP server, SMTP servers.

Plain helpers live in tests/support.py; this file imports what its fixtures need.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, NoReturn

import pytest

from .servers.dovecot import Dovecot, find_binary
from .servers.smtp import SmtpMode, SmtpServer
from .support import REPO, MakeMail, build_mail


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


# -- the weight rebuilds, run in the background ----------------------------------
#
# Two tests rebuild the shipped weights from training/ and compare them (python
# SCRIPT --check, 80-120 s of CPU each).  Run in their turn they were nearly half
# of the default run, while the rest of the suite mostly waits on IMAP/SMTP
# servers and leaves a core idle.  So when collection ends, the rebuild of each
# selected test marked ``rebuild(SCRIPT)`` starts in the background (only those:
# -k, -m or a file argument that leaves the test out starts nothing), and the
# test, through the ``rebuild`` fixture, only waits for its result.  Whatever
# still runs when the session ends (-x, Ctrl-C, an error) is killed.
#
# Both start at once.  Whole default runs on this 2-core machine (shared, so rough):
# 426 s before; 223 s with both at once (the first test waited 7 s for its result),
# 242 s with one after the other (the second waited 34 s).  Under nice 10 the
# rebuilds starved behind other load (the first test waited 150 s): not used.


class _Rebuilds:
    """``python SCRIPT --check`` per script, started at once, output kept in files."""

    def __init__(self) -> None:
        self.started: dict[str, tuple[subprocess.Popen[bytes], IO[str], IO[str]]] = {}
        self.files = contextlib.ExitStack()

    def start(self, script: str) -> None:
        # Files, not pipes: nothing reads the output until the test asks for it.
        out = self.files.enter_context(tempfile.TemporaryFile("w+"))  # noqa: SIM115 (it is one)
        err = self.files.enter_context(tempfile.TemporaryFile("w+"))  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, script, "--check"], cwd=REPO, stdout=out, stderr=err
        )
        self.started[script] = process, out, err

    def result(self, script: str) -> subprocess.CompletedProcess[str]:
        if script not in self.started:
            self.start(script)
        process, out, err = self.started[script]
        process.wait()
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(process.args, process.returncode, out.read(), err.read())

    def close(self) -> None:
        for process, _, _ in self.started.values():
            process.kill()
            process.wait()
        self.files.close()


_rebuilds = pytest.StashKey[_Rebuilds]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "rebuild(script): runs `python SCRIPT --check` in the background, see conftest"
    )
    rebuilds = config.stash[_rebuilds] = _Rebuilds()
    config.add_cleanup(rebuilds.close)


def pytest_collection_finish(session: pytest.Session) -> None:
    # session.items is final here: deselected tests are gone.
    scripts = [m.args[0] for item in session.items for m in item.iter_markers("rebuild")]
    if not session.config.option.collectonly:
        for script in dict.fromkeys(scripts):
            session.config.stash[_rebuilds].start(script)


@pytest.fixture
def rebuild(request: pytest.FixtureRequest) -> subprocess.CompletedProcess[str]:
    """The finished ``python SCRIPT --check`` of this test's ``rebuild(SCRIPT)`` marker."""
    marker = request.node.get_closest_marker("rebuild")
    assert marker is not None, "the rebuild fixture needs a rebuild(SCRIPT) marker"
    return request.config.stash[_rebuilds].result(marker.args[0])
