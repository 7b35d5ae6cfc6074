"""The in-process SMTP test server does what the sending tests rely on.

If one of these fails, the outbox tests' failures are about the harness, not
the daemon.  The client is aiosmtplib, as in daemon/mail/smtp.py.
"""

from __future__ import annotations

import asyncio
import gc
import socket
import ssl
import time
from collections.abc import Callable
from typing import Any

import aiosmtplib
import pytest

from .servers.smtp import SmtpMode, SmtpServer

pytestmark = pytest.mark.slow

Factory = Callable[[SmtpMode], SmtpServer]

SENDER = "alex.candidate@example.net"
RECIPIENT = "jordan.reyes@northwind.example"
# CRLF line ends, and a line that must be dot-stuffed on the wire.
RAW = b"Subject: Feedback\r\nMessage-ID: <t-1@example.net>\r\n\r\nHello,\r\n.just a dot\r\n"


def send(
    server: SmtpServer, *, authenticate: bool = True, trust: bool = True, **overrides: Any
) -> tuple[dict[str, Any], str]:
    """Send RAW the way daemon/mail/smtp.py does for the server's mode."""
    options: dict[str, Any] = {
        "hostname": server.host,
        "sender": SENDER,
        "recipients": [RECIPIENT],
        "use_tls": server.mode == "tls",
        "start_tls": server.mode == "starttls",
        "timeout": 5,
    }
    if server.mode != "none":
        options["tls_context"] = server.client_context() if trust else ssl.create_default_context()
    if authenticate:
        options |= {"username": server.username, "password": server.password}
    options |= overrides
    return asyncio.run(_send_and_wait_for_close(server, options))


async def _send_and_wait_for_close(
    server: SmtpServer, options: dict[str, Any]
) -> tuple[dict[str, Any], str]:
    # aiosmtplib closes its connection without waiting: over TLS the goodbye
    # (close_notify) is still under way when send() returns or raises.  If
    # asyncio.run() then closes the loop, the socket is left open and its
    # ResourceWarning fails some later test.  So the test owns the socket and
    # waits until the transport has closed it.
    sock = socket.create_connection((server.host, server.port), timeout=5)
    try:
        return await aiosmtplib.send(RAW, sock=sock, **options)
    finally:
        deadline = time.monotonic() + 5
        while sock.fileno() != -1 and time.monotonic() < deadline:
            await asyncio.sleep(0.001)


@pytest.mark.parametrize(
    ("mode", "tls", "authenticated"),
    [("starttls", True, True), ("tls", True, True), ("none", False, False)],
)
def test_each_mode_delivers_and_records_how(
    smtp_server_factory: Factory, mode: SmtpMode, tls: bool, authenticated: bool
) -> None:
    server = smtp_server_factory(mode)
    send(server, authenticate=authenticated)
    [received] = server.wait_for_messages(1, timeout=2)
    assert received.mail_from == SENDER
    assert received.rcpt_tos == [RECIPIENT]
    assert received.data == RAW
    assert received.tls is tls
    assert received.authenticated_as == (server.username if authenticated else None)
    assert server.errors == []


def test_plain_mode_offers_neither_starttls_nor_auth(smtp_server_factory: Factory) -> None:
    server = smtp_server_factory("none")

    async def extensions() -> dict[str, str]:
        async with aiosmtplib.SMTP(
            hostname=server.host, port=server.port, start_tls=False, timeout=5
        ) as smtp:
            await smtp.ehlo()
            return dict(smtp.esmtp_extensions)

    offered = asyncio.run(extensions())
    assert "starttls" not in offered
    assert "auth" not in offered


def test_the_default_fixture_is_a_submission_server(smtp_server: SmtpServer) -> None:
    assert smtp_server.mode == "starttls"
    assert smtp_server.ca_file.read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    send(smtp_server)
    assert smtp_server.wait_for_messages(1, timeout=2)[0].tls


@pytest.mark.parametrize("mode", ["starttls", "tls"])
def test_a_wrong_password_is_refused_with_535(smtp_server_factory: Factory, mode: SmtpMode) -> None:
    server = smtp_server_factory(mode)
    with pytest.raises(aiosmtplib.SMTPAuthenticationError) as refused:
        send(server, password="not-" + server.password)
    assert refused.value.code == 535
    assert server.messages == []


@pytest.mark.parametrize("mode", ["starttls", "tls"])
def test_auth_is_required(smtp_server_factory: Factory, mode: SmtpMode) -> None:
    server = smtp_server_factory(mode)
    with pytest.raises(aiosmtplib.SMTPSenderRefused) as refused:
        send(server, authenticate=False)
    assert refused.value.code == 530
    assert server.messages == []


def test_starttls_mode_refuses_auth_before_starttls(smtp_server: SmtpServer) -> None:
    with pytest.raises(aiosmtplib.SMTPException, match="AUTH extension is not supported"):
        send(smtp_server, start_tls=False)
    assert smtp_server.messages == []


@pytest.mark.parametrize("mode", ["starttls", "tls"])
def test_a_client_without_the_ca_fails_verification(
    smtp_server_factory: Factory, mode: SmtpMode
) -> None:
    server = smtp_server_factory(mode)
    with pytest.raises((ssl.SSLCertVerificationError, aiosmtplib.SMTPConnectError)) as failed:
        send(server, trust=False)
    assert "CERTIFICATE_VERIFY_FAILED" in str(failed.value)
    assert server.messages == []


@pytest.mark.parametrize("code", [451, 554])
def test_fail_next_data_answers_with_the_code_once(smtp_server: SmtpServer, code: int) -> None:
    smtp_server.fail_next_data = code
    with pytest.raises(aiosmtplib.SMTPDataError) as refused:
        send(smtp_server)
    assert refused.value.code == code
    assert smtp_server.messages == []
    assert smtp_server.fail_next_data is None

    send(smtp_server)
    assert len(smtp_server.wait_for_messages(1, timeout=2)) == 1


@pytest.mark.parametrize("mode", ["starttls", "tls", "none"])
def test_drop_next_data_disconnects_without_a_reply(
    smtp_server_factory: Factory, mode: SmtpMode
) -> None:
    server = smtp_server_factory(mode)
    server.drop_next_data = True
    with pytest.raises(aiosmtplib.SMTPServerDisconnected):
        send(server, authenticate=mode != "none")
    assert server.messages == []
    assert server.drop_next_data is False

    send(server, authenticate=mode != "none")
    assert len(server.wait_for_messages(1, timeout=2)) == 1


def test_wait_for_messages_times_out_with_the_count(smtp_server: SmtpServer) -> None:
    with pytest.raises(TimeoutError, match="0 of 1 messages"):
        smtp_server.wait_for_messages(1, timeout=0.05)


def test_a_stopped_server_refuses_connections_and_restarts_on_its_port(
    smtp_server: SmtpServer,
) -> None:
    port = smtp_server.port
    smtp_server.stop()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((smtp_server.host, port), timeout=5)
    smtp_server.start()
    assert smtp_server.port == port
    send(smtp_server)
    assert len(smtp_server.wait_for_messages(1, timeout=2)) == 1


def test_stopping_drops_a_connected_tls_client_without_leaking_its_socket(
    smtp_server_factory: Factory,
) -> None:
    server = smtp_server_factory("tls")
    with (
        socket.create_connection((server.host, server.port), timeout=5) as raw,
        server.client_context().wrap_socket(raw, server_hostname=server.host) as client,
    ):
        assert client.recv(100).startswith(b"220 ")
        server.stop()
        assert client.recv(100) == b""  # the server went away (suppress_ragged_eofs)
    # A server socket left open would surface here as a ResourceWarning (an error).
    gc.collect()
