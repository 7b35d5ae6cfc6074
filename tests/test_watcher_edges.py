"""Edges of the watcher's bookkeeping, driven step by step against a real Dovecot."""

from __future__ import annotations

import dataclasses
import socket
import threading
from pathlib import Path

import pytest

from daemon.cli import main
from daemon.config import Config, load_config
from daemon.errors import UserError
from daemon.ledger import Ledger, single_writer
from daemon.mail import imap
from daemon.running.watcher import AccountWatcher

from .servers.dovecot import Dovecot, MailUser
from .support import ordinary, rejection, write_accounts_config

pytestmark = pytest.mark.dovecot


def _catch_up(config: Config, state: Ledger, dovecot: Dovecot, user: MailUser, watcher) -> int:
    client = dovecot.client(user)
    try:
        selected = client.select_folder("INBOX", readonly=True)
        return watcher.catch_up(
            client, "INBOX", int(selected[b"UIDVALIDITY"]), int(selected[b"UIDNEXT"])
        )
    finally:
        client.logout()


def _setup(dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    user = dovecot.new_user()
    config = load_config(write_accounts_config(tmp_path, dovecot, [user], monkeypatch))
    return user, config, Ledger(config.state_path)


def test_a_stop_midway_through_the_first_scan_leaves_the_rest_for_next_time(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user, config, state = _setup(dovecot, tmp_path, monkeypatch)
    for n in range(5):
        dovecot.append(user, rejection(n))
    stop = threading.Event()
    recorded: list[int] = []

    def stop_after_two(account: str, uid: int) -> None:
        recorded.append(uid)
        if len(recorded) == 2:
            stop.set()

    with state:
        first = AccountWatcher(config, config.accounts[0], state, stop, stop_after_two)
        assert _catch_up(config, state, dovecot, user, first) == 2
        assert state.folder("acct0", "INBOX") is None, "an unfinished scan must not be final"
        second = AccountWatcher(config, config.accounts[0], state, threading.Event())
        assert _catch_up(config, state, dovecot, user, second) == 3
        folder = state.folder("acct0", "INBOX")
        assert folder is not None
        assert folder.last_uid == 5
        assert len(state.messages()) == 5


def test_mail_arriving_during_a_catch_up_is_taken_in_the_same_pass(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user, config, state = _setup(dovecot, tmp_path, monkeypatch)
    with state:
        quiet = AccountWatcher(config, config.accounts[0], state, threading.Event())
        _catch_up(config, state, dovecot, user, quiet)  # first scan of an empty inbox
        dovecot.append(user, rejection(1))
        appended: list[int] = []

        def append_once(account: str, uid: int) -> None:
            if not appended:
                appended.append(dovecot.append(user, ordinary(2)))

        busy = AccountWatcher(config, config.accounts[0], state, threading.Event(), append_once)
        assert _catch_up(config, state, dovecot, user, busy) == 2


def test_a_message_that_cannot_be_stored_does_not_block_the_ones_after_it(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A header whose decoding yields a lone surrogate is stored with U+FFFD, then the next."""
    user, config, state = _setup(dovecot, tmp_path, monkeypatch)
    hostile = (
        b"From: Jordan <jordan@northwind.example>\r\nMessage-ID: <odd@northwind.example>\r\n"
        b"Subject: =?utf-8?q?Hi?= \\udcff\r\n\r\nHello.\r\n"
    )
    dovecot.append(user, hostile)
    dovecot.append(user, rejection(2))
    with state:
        watcher = AccountWatcher(config, config.accounts[0], state, threading.Event())
        assert _catch_up(config, state, dovecot, user, watcher) == 2
        subjects = sorted(m["subject"] for m in state.messages())
    assert subjects == ["Hi ?", "Your application (2)"]


def test_status_before_any_run_lists_the_accounts(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = dovecot.new_user()
    path = write_accounts_config(tmp_path, dovecot, [user], monkeypatch)
    assert main(["status", "--config", str(path)]) == 0
    assert "acct0 (127.0.0.1): never started" in capsys.readouterr().out
    assert not (tmp_path / "state.db").exists()


def test_a_second_daemon_on_the_same_state_is_refused(tmp_path: Path) -> None:
    state_path = tmp_path / "state.db"
    with single_writer(state_path), pytest.raises(UserError, match="already using"):
        single_writer(state_path).__enter__()


def test_run_refuses_to_start_without_its_password_variable(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = dovecot.new_user()
    path = write_accounts_config(tmp_path, dovecot, [user], monkeypatch)
    monkeypatch.delenv("DEBRIEFER_TEST_PASSWORD_0")
    assert main(["run", "--config", str(path)]) == 2
    assert "DEBRIEFER_TEST_PASSWORD_0" in capsys.readouterr().err


def test_drafts_and_sent_are_found_by_special_use_unless_configured(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user, config, state = _setup(dovecot, tmp_path, monkeypatch)
    state.close()
    account = config.accounts[0]
    client = dovecot.client(user)
    try:
        assert imap.special_folders(client, account) == {"drafts": "Drafts", "sent": "Sent"}
        chosen = dataclasses.replace(account, drafts="Entwürfe")
        assert imap.special_folders(client, chosen) == {"drafts": "Entwürfe", "sent": "Sent"}
    finally:
        client.logout()


def test_connections_do_not_format_imaplib_debug_output(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """imapclient turns imaplib's debug level up, which formats every message fetched
    with %r for a logger nobody reads: that was two fifths of a FETCH's CPU."""
    user, config, state = _setup(dovecot, tmp_path, monkeypatch)
    state.close()
    client = imap.connect(config.accounts[0], user.password)
    try:
        assert client._imap.debug == 0
        client.select_folder("INBOX", readonly=True)  # and it still talks
    finally:
        imap.close_quietly(client)


class _LeavesOutABody:
    """A real session whose FETCH answers lack one message's body: a server bug (or an
    expunge in between) that Dovecot will not produce on request."""

    def __init__(self, client: object, missing: int) -> None:
        self._client = client
        self.missing = missing

    def fetch(self, uids: list[int], items: list) -> dict:
        found = self._client.fetch(uids, items)  # type: ignore[attr-defined]
        found.pop(self.missing, None)
        return found

    def __getattr__(self, name: str) -> object:
        return getattr(self._client, name)


def test_the_position_never_passes_a_message_whose_body_did_not_come(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user, config, state = _setup(dovecot, tmp_path, monkeypatch)
    with state:
        watcher = AccountWatcher(config, config.accounts[0], state, threading.Event())
        assert _catch_up(config, state, dovecot, user, watcher) == 0  # the position is set
        uids = [dovecot.append(user, rejection(n)) for n in range(3)]
        client = dovecot.client(user)
        try:
            selected = client.select_folder("INBOX", readonly=True)
            validity = int(selected[b"UIDVALIDITY"])
            lying = _LeavesOutABody(client, missing=uids[1])
            for attempt in range(1, 4):
                watcher.catch_up(lying, "INBOX", validity)
                position = state.folder("acct0", "INBOX")
                assert position is not None
                if attempt < 3:  # asked again at each look, never passed
                    assert position.last_uid == uids[0]
            # The third look gives up on it, on the record, and goes on to the next.
            assert position.last_uid == uids[2]
        finally:
            client.logout()
        rows = {m["uid"]: m for m in state.messages()}
    assert sorted(rows) == uids
    assert rows[uids[1]]["error"] == "the server never returned its body (3 tries)"
    assert rows[uids[0]]["error"] is None
    assert rows[uids[2]]["error"] is None


@pytest.mark.parametrize("security", ["none", "tls"])
def test_commands_leave_without_waiting_for_nagle(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, security: str
) -> None:
    user = dovecot.new_user()
    config = load_config(
        write_accounts_config(tmp_path, dovecot, [user], monkeypatch, security=security)
    )
    client = imap.connect(config.accounts[0], user.password)
    try:
        assert client.socket().getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        client.logout()
