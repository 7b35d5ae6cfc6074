"""No secret from the server either: error text is scrubbed of every password we hold."""

from __future__ import annotations

import base64
import logging
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from daemon import errors
from daemon.errors import ScrubSecrets, describe_failure, remember_secret, scrub

SECRET = "correct-horse-battery-9"  # noqa: S105 - a test's password


@pytest.fixture(autouse=True)
def remembered() -> Iterator[None]:
    saved = set(errors._SECRETS)
    remember_secret(SECRET)
    yield
    errors._SECRETS.clear()
    errors._SECRETS.update(saved)


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "form",
    [
        SECRET,
        b64(SECRET),
        b64(f"\0alex@example.org\0{SECRET}"),  # AUTH PLAIN
        b64(f"user=alex@example.org\1auth=Bearer {SECRET}\1\1"),  # XOAUTH2
    ],
)
def test_a_server_echoing_the_secret_in_any_form_is_scrubbed(form: str) -> None:
    said = describe_failure(RuntimeError(f"535 5.7.8 rejected: AUTH PLAIN {form} (try again)"))
    assert SECRET not in said
    assert form not in said
    assert "[redacted]" in said
    assert said.startswith("RuntimeError: 535 5.7.8 rejected: AUTH PLAIN")


def test_ordinary_text_and_other_base64_stay() -> None:
    text = f"NO [AUTHENTICATIONFAILED] {b64('somebody else entirely')} Authentication failed."
    assert scrub(text) == text


def test_short_values_are_not_taken_for_secrets() -> None:
    remember_secret("")
    remember_secret("ab")
    assert scrub("a bare ab in a sentence") == "a bare ab in a sentence"


def test_log_records_and_tracebacks_are_scrubbed() -> None:
    logger = logging.getLogger("test.scrub")
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(self.format(record))

    handler = Keep()
    handler.addFilter(ScrubSecrets())
    logger.addHandler(handler)
    try:
        logger.warning("login failed: %s", f"AUTH PLAIN {b64(chr(0) + 'a' + chr(0) + SECRET)}")
        try:
            raise ValueError(f"server said {SECRET}")
        except ValueError:
            logger.exception("boom")
    finally:
        logger.removeHandler(handler)
    assert len(seen) == 2
    assert all(SECRET not in line and "[redacted]" in line for line in seen)


class _EchoingSmtp(socketserver.StreamRequestHandler):
    """A submission server that refuses AUTH by quoting the line it got, secret and all."""

    def handle(self) -> None:
        self.wfile.write(b"220 echo.example ESMTP\r\n")
        for raw in self.rfile:
            line = raw.decode(errors="replace").strip()
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250-echo.example\r\n250 AUTH PLAIN LOGIN\r\n")
            elif verb == "AUTH" and line.upper().startswith("AUTH LOGIN"):
                if len(line.split()) == 2:  # no username yet
                    self.wfile.write(b"334 VXNlcm5hbWU6\r\n")
                    self.rfile.readline()
                self.wfile.write(b"334 UGFzc3dvcmQ6\r\n")
                secret = self.rfile.readline().decode(errors="replace").strip()
                self.wfile.write(f"535 5.7.8 refused password {secret}\r\n".encode())
            elif verb == "AUTH":
                self.wfile.write(f"535 5.7.8 refused: {line}\r\n".encode())
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"502 no\r\n")


@pytest.mark.dovecot
@pytest.mark.slow
def test_a_refused_send_quoting_the_credentials_leaves_no_trace_of_them(
    dovecot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from daemon.ledger import Ledger

    from .support import done, idle, one_account_config, rejection, running

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _EchoingSmtp)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("DEBRIEFER_TEST_SMTP_PASSWORD", SECRET)
        extra = (
            f'\n[smtp]\nhost = "127.0.0.1"\nport = {server.server_address[1]}\n'
            'security = "none"\nusername = "alex@example.org"\n'
            'password_env = "DEBRIEFER_TEST_SMTP_PASSWORD"\n'
        )
        user = dovecot.new_user()  # type: ignore[attr-defined]
        config = one_account_config(
            tmp_path, dovecot, user, monkeypatch, policy='wait = "0s"\nmode = "send"', extra=extra
        )
        with running(config):
            idle(config)
            dovecot.append(user, rejection(1))  # type: ignore[attr-defined]
            [action] = done(config)
    finally:
        server.shutdown()
        server.server_close()
    assert action["state"] == "drafted"
    assert action["detail"].startswith("not sent (SMTPAuthenticationError")
    with Ledger(config.state_path, read_only=True) as state:
        text = repr(state.actions()) + repr(state.messages()) + repr(state.account_statuses())
    for form in (SECRET, b64(SECRET), b64(f"\0alex@example.org\0{SECRET}")):
        assert form not in text
    assert "[redacted]" in action["detail"]
