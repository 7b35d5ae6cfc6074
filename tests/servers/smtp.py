"""A throwaway SMTP server for the test suite: aiosmtpd in a thread of this process.

One ``SmtpServer`` listens on 127.0.0.1 in one of the daemon's three security
modes and keeps every message it accepts in ``messages``:

* ``"starttls"``: plaintext greeting, STARTTLS required before anything else,
  then AUTH required (a submission server on port 587);
* ``"tls"``: implicit TLS from the first byte, then AUTH required (port 465);
* ``"none"``: plaintext, no STARTTLS, no AUTH offered; with ``require_auth``,
  AUTH offered and required, as a local bridge (Proton Mail Bridge, DavMail) does.

The certificate comes from a trustme CA whose PEM is ``ca_file``, so a client
trusts this server and nothing else.  The server runs its own event loop in a
thread, so sync tests and code using ``asyncio.run`` can both talk to it.
Starting and stopping take a few milliseconds: one server per test.

Three fault knobs act on the next DATA only: ``fail_next_data = 451`` answers it
with that code, and ``drop_next_data = True`` closes the connection once the
message has arrived, without any reply, so the client cannot know whether it
was taken; neither records the message.  ``slow_next_data = 2.0`` waits that
long before taking it (``answering_data`` is set meanwhile).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import secrets
import shutil
import socket
import ssl
import tempfile
import threading
import time
from base64 import b64decode
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

HOST = "127.0.0.1"
# The name in the greeting.  Passing it also spares aiosmtpd a getfqdn() per connection.
SERVER_NAME = "localhost"
_START_TIMEOUT = 5.0
_STOP_TIMEOUT = 5.0

SmtpMode = Literal["starttls", "tls", "none"]
MODES: tuple[SmtpMode, ...] = get_args(SmtpMode)

# Log lines aiosmtpd emits in normal use of this harness, not worth a test's output:
# every successful AUTH stores the deprecated Session.login_data itself.
_EXPECTED_LOG_NOISE = ("Session.login_data is deprecated",)


class _DropExpectedNoise(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(_EXPECTED_LOG_NOISE)


# aiosmtpd logs everything to "mail.log"; the filter drops only the lines above.
logging.getLogger("mail.log").addFilter(_DropExpectedNoise())


@dataclass(frozen=True)
class Received:
    """One accepted message, as the server saw it."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes  # the content as sent, dot-stuffing undone, CRLF line ends kept
    authenticated_as: str | None
    tls: bool


def _free_port() -> int:
    # aiosmtpd 1.4 cannot listen on port 0: its readiness probe would connect to port 0.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class _Controller(Controller):
    """aiosmtpd's threaded Controller, closing open connections when it stops.

    Its own stop() cancels the sessions and closes the loop, but a TLS
    connection then starts a polite goodbye (close_notify) that the loop no
    longer waits for: its socket stays open and raises ResourceWarning,
    which pytest turns into an error.  So stop() first aborts every socket.
    """

    async def _abort_connections(self) -> None:
        # The loop's own fd -> transport map (CPython's selector loops, which is
        # what aiosmtpd creates) is the only handle on the raw socket under TLS.
        transports: Mapping[int, asyncio.BaseTransport] = getattr(self.loop, "_transports", {})
        for transport in list(transports.values()):
            if transport is not None and isinstance(transport, asyncio.Transport):
                transport.abort()
        await asyncio.sleep(0)  # the sockets close in callbacks run by the next loop pass

    def stop(self, no_assert: bool = False) -> None:
        if self.loop.is_running():
            asyncio.run_coroutine_threadsafe(self._abort_connections(), self.loop).result(
                _STOP_TIMEOUT
            )
        super().stop(no_assert=no_assert)


class _Handler:
    """The aiosmtpd handler: every hook defers to the owning SmtpServer."""

    def __init__(self, owner: SmtpServer) -> None:
        self.owner = owner

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        """XOAUTH2 as Gmail and Microsoft 365 take it; here the password is the token.

        The initial response is base64 of ``user=NAME^Aauth=Bearer TOKEN^A^A``.
        """
        try:
            fields = b64decode(args[1], validate=True).split(b"\x01")
            login = fields[0].removeprefix(b"user=")
            token = next(
                f.removeprefix(b"auth=Bearer ") for f in fields if f.startswith(b"auth=Bearer ")
            )
        except (IndexError, ValueError, StopIteration):
            return AuthResult(success=False)
        return self.owner._authenticate(
            server, server.session, server.envelope, "XOAUTH2", LoginPassword(login, token)
        )

    # aiosmtpd finds its hooks by these names.
    async def handle_MAIL(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        # In "tls" mode (and a plain bridge's) AUTH is required here, not by aiosmtpd (see
        # SmtpServer._new_controller).
        required = self.owner.mode == "tls" or self.owner.require_auth
        if required and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        owner = self.owner
        with owner._lock:
            fail, owner.fail_next_data = owner.fail_next_data, None
            drop, owner.drop_next_data = owner.drop_next_data, False
            slow, owner.slow_next_data = owner.slow_next_data, 0.0
        if slow:
            owner.answering_data.set()
            await asyncio.sleep(slow)
        if drop:
            assert server.transport is not None
            server.transport.abort()
            # connection_lost() cancels this session's task, and with it this wait.
            await asyncio.Future()
        if fail is not None:
            return f"{fail} {fail // 100}.0.0 Failure injected by the test"
        assert envelope.mail_from is not None
        assert envelope.original_content is not None
        assert server.transport is not None
        owner._record(
            Received(
                mail_from=envelope.mail_from,
                rcpt_tos=list(envelope.rcpt_tos),
                data=envelope.original_content,
                authenticated_as=session.auth_data if session.authenticated else None,
                tls=server.transport.get_extra_info("ssl_object") is not None,
            )
        )
        return "250 OK: queued"

    async def handle_exception(self, error: Exception) -> str:
        # Defining this hook keeps aiosmtpd from logging a traceback for each
        # client that refuses our certificate (an expected failure in tests).
        with self.owner._lock:
            self.owner.errors.append(error)
        return f"500 Error: ({type(error).__name__}) {error}"


class SmtpServer:
    """An SMTP server on 127.0.0.1 that keeps what it receives; see the module docstring.

    ``stop()`` then ``start()`` brings it back on the same port with the same
    certificate and credentials, e.g. to test a server that was down.
    """

    def __init__(
        self,
        mode: SmtpMode = "starttls",
        ca: trustme.CA | None = None,
        *,
        require_auth: bool = False,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self.mode: SmtpMode = mode
        self.require_auth = require_auth
        self.host = HOST
        self.port = _free_port()
        self.username = f"sender-{secrets.token_hex(3)}"
        self.password = secrets.token_hex(8)
        # Fault knobs, each used up by the next DATA.
        self.fail_next_data: int | None = None
        self.drop_next_data = False
        self.slow_next_data = 0.0  # seconds before the answer to the next DATA
        self.answering_data = threading.Event()  # set while that slow answer waits
        # Exceptions aiosmtpd met while serving (e.g. a TLS handshake the client refused).
        self.errors: list[Exception] = []
        # The SASL mechanism of every AUTH attempt, in order.
        self.mechanisms: list[str] = []

        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._messages: list[Received] = []
        self._controller: _Controller | None = None

        self.ca = ca or trustme.CA()
        self.dir = Path(tempfile.mkdtemp(prefix="smtp-"))
        self.ca_file = self.dir / "ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_file))
        self._tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert(HOST, SERVER_NAME).configure_cert(self._tls)

    # -- lifecycle -------------------------------------------------------------

    def __enter__(self) -> SmtpServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cleanup()

    def start(self) -> None:
        """Listen; returns once the server has greeted a probe connection."""
        if self._controller is not None:
            return
        controller = self._new_controller()
        try:
            controller.start()
        except BaseException:
            with contextlib.suppress(Exception):
                controller.stop(no_assert=True)
            if not controller.loop.is_closed():  # the loop thread died before closing it
                controller.loop.close()
            raise
        self._controller = controller

    def _new_controller(self) -> _Controller:
        common: dict[str, Any] = {
            "hostname": HOST,
            "port": self.port,
            "server_hostname": SERVER_NAME,
            "ready_timeout": _START_TIMEOUT,
        }
        if self.mode == "none" and not self.require_auth:
            return _Controller(_Handler(self), **common)
        if self.mode == "starttls":
            return _Controller(
                _Handler(self),
                tls_context=self._tls,
                require_starttls=True,
                auth_required=True,
                authenticator=self._authenticate,
                **common,
            )
        # Implicit TLS: aiosmtpd counts only STARTTLS as TLS, so it must be told
        # AUTH is fine without (else it never offers AUTH).  Together with its
        # own auth_required=True that emits a UserWarning from each new
        # session, in the server thread, which pytest's "error" filter turns
        # into a broken server; catch_warnings there would race with the test
        # thread's filters.  So _Handler.handle_MAIL requires AUTH instead.  A plain
        # bridge with AUTH is the same without TLS.
        return _Controller(
            _Handler(self),
            ssl_context=self._tls if self.mode == "tls" else None,
            auth_require_tls=False,
            authenticator=self._authenticate,
            **common,
        )

    def stop(self) -> None:
        """Stop listening and drop open connections; messages are kept."""
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def restart(self) -> None:
        self.stop()
        self.start()

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    # -- for the tests -----------------------------------------------------------

    def client_context(self) -> ssl.SSLContext:
        """A client TLS context that trusts this server's CA only."""
        return ssl.create_default_context(cafile=str(self.ca_file))

    @property
    def messages(self) -> list[Received]:
        """The accepted messages so far, oldest first (a copy)."""
        with self._lock:
            return list(self._messages)

    def wait_for_messages(self, count: int = 1, timeout: float = 5.0) -> list[Received]:
        """All messages once at least ``count`` arrived; TimeoutError after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self._messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"{len(self._messages)} of {count} messages arrived within {timeout} s"
                    )
                self._arrived.wait(left)
            return list(self._messages)

    # -- called from the server thread -----------------------------------------

    def _record(self, message: Received) -> None:
        with self._arrived:
            self._messages.append(message)
            self._arrived.notify_all()

    def _authenticate(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        mechanism: str,
        auth_data: object,
    ) -> AuthResult:
        self.mechanisms.append(mechanism)
        ok = (
            isinstance(auth_data, LoginPassword)
            and hmac.compare_digest(auth_data.login, self.username.encode())
            and hmac.compare_digest(auth_data.password, self.password.encode())
        )
        # Whatever auth_data holds becomes session.auth_data: the login, as text.
        return AuthResult(success=ok, handled=False, auth_data=self.username if ok else None)
