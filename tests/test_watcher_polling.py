"""The watcher against a Dovecot that does not advertise IDLE: it must poll.

The server is ``Dovecot(idle=False)`` (fixture ``dovecot_without_idle``), whose
CAPABILITY lists are this build's own minus IDLE.  Waits poll the state file
with a generous timeout; nothing here asserts how fast anything is.
"""

from __future__ import annotations

import ssl
from datetime import timedelta
from pathlib import Path

import pytest
from imapclient import IMAPClient

from daemon.config import Config, load_config

from .servers.dovecot import Dovecot, MailUser
from .support import (
    account_state,
    ordinary,
    rejection,
    rows,
    running,
    subjects,
    wait_for,
    write_accounts_config,
)

pytestmark = pytest.mark.dovecot

POLL_INTERVAL = "1s"


def polling_config(
    tmp_path: Path,
    server: Dovecot,
    users: list[MailUser],
    monkeypatch: pytest.MonkeyPatch,
    *,
    security: str = "none",
) -> Config:
    """write_accounts_config's file with ``poll_interval`` added to every account."""
    path = write_accounts_config(tmp_path, server, users, monkeypatch, security=security)
    text = path.read_text(encoding="utf-8")
    assert text.count("[[accounts]]\n") == len(users)
    text = text.replace("[[accounts]]\n", f'[[accounts]]\npoll_interval = "{POLL_INTERVAL}"\n')
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    assert [a.poll_interval for a in config.accounts] == [timedelta(seconds=1)] * len(users)
    return config


def polling(config: Config, name: str = "acct0") -> None:
    wait_for(lambda: account_state(config, name) == "polling", f"{name} to poll")


# -- the server ----------------------------------------------------------------


@pytest.mark.parametrize("security", ["none", "starttls", "tls"])
def test_the_server_hides_idle_and_nothing_else(
    security: str, dovecot_without_idle: Dovecot, dovecot: Dovecot
) -> None:
    server = dovecot_without_idle
    user = server.new_user()
    context = ssl.create_default_context(cafile=str(server.ca_file))
    port = server.imaps_port if security == "tls" else server.imap_port
    with IMAPClient(
        server.host, port, ssl=security == "tls", ssl_context=context, timeout=10
    ) as client:
        if security == "starttls":
            client.starttls(context)
        assert not client.has_capability("IDLE"), "advertised before login"
        client.login(user.name, user.password)
        client.select_folder("INBOX", readonly=True)  # as the daemon does before asking
        assert not client.has_capability("IDLE")
        hidden = set(client.capabilities())
    with dovecot.client(dovecot.new_user()) as client:
        default = set(client.capabilities())
    assert {b"UIDPLUS", b"SPECIAL-USE", b"IDLE"} <= default
    assert hidden == default - {b"IDLE"}


# -- the daemon ----------------------------------------------------------------


@pytest.mark.parametrize("security", ["none", "starttls"])
def test_mail_appended_while_polling_is_classified(
    security: str,
    dovecot_without_idle: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = dovecot_without_idle
    user = server.new_user()
    config = polling_config(tmp_path, server, [user], monkeypatch, security=security)
    with running(config):
        polling(config)
        server.append(user, rejection(1))
        server.append(user, ordinary(1))
        found = wait_for(lambda: len(rows(config)) == 2 and rows(config), "two messages")
        assert account_state(config, "acct0") == "polling"
    by_subject = {r["subject"]: r for r in found}
    assert by_subject["Your application (1)"]["label"] == "rejection"
    assert by_subject["Your application (1)"]["message_id"] == "<rej-1@northwind.example>"
    assert by_subject["Lunch on Friday? (1)"]["label"] == "other"


def test_mail_that_arrived_while_stopped_is_caught_up_when_polling(
    dovecot_without_idle: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = dovecot_without_idle
    user = server.new_user()
    server.append(user, rejection(1))  # before the first start: inside the lookback window
    config = polling_config(tmp_path, server, [user], monkeypatch)
    with running(config):
        polling(config)
        wait_for(lambda: len(rows(config)) == 1, "the first scan")
    server.append(user, rejection(2))
    server.append(user, ordinary(2))
    with running(config):
        polling(config)
        wait_for(lambda: len(rows(config)) == 3, "the catch-up after a restart")
    first = {r["uid"]: r["processed_at"] for r in rows(config)}
    with running(config):
        polling(config)
        server.append(user, rejection(3))  # and polling goes on after the catch-up
        wait_for(lambda: len(rows(config)) == 4, "mail after the catch-up")
    again = {r["uid"]: r["processed_at"] for r in rows(config)}
    assert {uid: again[uid] for uid in first} == first, "a restart processed something again"
    assert subjects(config) == [
        "Lunch on Friday? (2)",
        "Your application (1)",
        "Your application (2)",
        "Your application (3)",
    ]
