"""The Dovecot test server does what the integration tests rely on.

If one of these fails, the watcher tests' failures are about the harness, not
the daemon.  Each test uses its own fresh user on the session's server.
"""

from __future__ import annotations

import ssl
import time

import pytest
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError
from imapclient.imapclient import DRAFTS, SENT

from .servers.dovecot import Dovecot
from .support import build_mail

pytestmark = pytest.mark.dovecot


def test_login_over_plain_imap(dovecot: Dovecot) -> None:
    user = dovecot.new_user()
    with dovecot.client(user) as client:
        capabilities = set(client.capabilities())
    assert {b"IDLE", b"SPECIAL-USE", b"UIDPLUS"} <= capabilities


def test_login_over_tls_trusting_only_the_session_ca(dovecot: Dovecot) -> None:
    user = dovecot.new_user()
    context = ssl.create_default_context(cafile=str(dovecot.ca_file))
    with IMAPClient(
        dovecot.host, dovecot.imaps_port, ssl=True, ssl_context=context, timeout=10
    ) as client:
        client.login(user.name, user.password)
        assert client.folder_exists("INBOX")


def test_special_use_folders_exist_for_a_new_user(dovecot: Dovecot) -> None:
    user = dovecot.new_user()
    with dovecot.client(user, tls=True) as client:
        assert client.find_special_folder(DRAFTS) == "Drafts"
        assert client.find_special_folder(SENT) == "Sent"


def test_append_returns_the_uid_and_flags_reads_them(dovecot: Dovecot) -> None:
    user = dovecot.new_user()
    first = dovecot.append(user, build_mail("one", "body"))
    second = dovecot.append(user, build_mail("two", "body"), flags=(b"\\Seen", b"\\Flagged"))
    draft = dovecot.append(user, build_mail("draft", "body"), folder="Drafts", flags=(b"\\Draft",))
    assert (first, second, draft) == (1, 2, 1)
    flags = {uid: set(found) for uid, found in dovecot.flags(user).items()}
    assert flags == {1: set(), 2: {b"\\Seen", b"\\Flagged"}}
    assert dovecot.flags(user, "Drafts") == {1: (b"\\Draft",)}
    # flags() only EXAMINEs: reading again changes nothing (no \Seen, no lost \Recent).
    assert dovecot.flags(user) == dovecot.flags(user)


def test_idle_sees_an_append_from_another_connection(dovecot: Dovecot) -> None:
    user = dovecot.new_user()
    with dovecot.client(user) as watcher:
        watcher.select_folder("INBOX")
        watcher.idle()
        dovecot.append(user, build_mail("wake up", "body"))
        deadline = time.monotonic() + 3.0
        seen: list = []
        while time.monotonic() < deadline and (1, b"EXISTS") not in seen:
            responses = watcher.idle_check(timeout=deadline - time.monotonic())
            # idle_check() returns [] at once, forever, on EOF: don't spin on a dead socket.
            assert responses or time.monotonic() >= deadline - 0.01, "connection lost"
            seen += responses
        watcher.idle_done()
    assert (1, b"EXISTS") in seen


def test_kick_drops_sessions_and_the_server_stays_up(dovecot: Dovecot) -> None:
    user = dovecot.new_user()
    client = dovecot.client(user)
    try:
        client.select_folder("INBOX")
        dovecot.kick(user)
        with pytest.raises((IMAPClientAbortError, OSError)):
            client.noop()
    finally:
        client.shutdown()
    with dovecot.client(user) as again:
        assert again.folder_exists("INBOX")


def test_restart_keeps_mail_and_uidvalidity_and_drops_sessions(dovecot: Dovecot) -> None:
    user = dovecot.new_user()
    dovecot.append(user, build_mail("kept", "body"), flags=(b"\\Seen",))
    validity, flags = dovecot.uidvalidity(user), dovecot.flags(user)
    client = dovecot.client(user)
    try:
        client.select_folder("INBOX")
        dovecot.restart()
        with pytest.raises((IMAPClientAbortError, OSError)):
            client.noop()
    finally:
        client.shutdown()
    assert dovecot.uidvalidity(user) == validity
    assert dovecot.flags(user) == flags


def test_change_uidvalidity_keeps_the_messages(dovecot: Dovecot) -> None:
    user = dovecot.new_user()
    dovecot.append(user, build_mail("one", "body"))
    dovecot.append(user, build_mail("two", "body"))
    before = dovecot.uidvalidity(user)
    after = dovecot.change_uidvalidity(user)
    assert after != before
    with dovecot.client(user) as client:
        status = client.folder_status("INBOX", [b"MESSAGES", b"UIDVALIDITY"])
    assert status == {b"MESSAGES": 2, b"UIDVALIDITY": after}
