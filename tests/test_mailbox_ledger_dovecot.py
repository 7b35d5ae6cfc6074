"""Never twice, even when the state is gone: the mailbox remembers (decide/marks.py), on a real Dovecot.

A state file deleted between two runs, and two daemons with their own state on
one mailbox, in draft and in send mode: one draft, or one mail, per contact.
"""

from __future__ import annotations

import email
import email.policy
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from imapclient.imapclient import DRAFTS, SENT

from daemon.config import Config
from decide.marks import mark, mark_of, marked_id

from .servers.dovecot import Dovecot, MailUser
from .servers.smtp import SmtpServer
from .support import (
    build_mail,
    done,
    folder_messages,
    idle,
    one_account_config,
    one_account_smtp_config,
    running,
    settle,
)

pytestmark = [pytest.mark.dovecot, pytest.mark.slow]


def rejection_from(n: int) -> bytes:
    """A rejection from contact ``n``, each at their own company."""
    raw = build_mail(
        f"Your application to Firm {n}",
        f"Dear Alex,\n\nThank you for your interest in the Data Engineer role at Firm {n}.\n"
        "Unfortunately we have decided not to move forward with your application.\n\n"
        f"Best regards,\nRobin Example{n}",
        sender=(f"Robin Example{n}", f"robin{n}@firm{n}.example"),
    )
    return raw.replace(b"<test-1@northwind.example>", f"<ledger-{n}@firm{n}.example>".encode())


def recipients(dovecot: Dovecot, user: MailUser, flag: bytes) -> Counter[str]:
    return Counter(str(message["To"]) for _, message in folder_messages(dovecot, user, flag))


def instance(
    tmp_path: Path, name: str, dovecot: Dovecot, user: MailUser, mp: pytest.MonkeyPatch
) -> Config:
    """A daemon's config with a state of its own, on the shared mailbox."""
    folder = tmp_path / name
    folder.mkdir()
    return one_account_config(folder, dovecot, user, mp, policy='wait = "0s"')


def test_marks_are_the_same_everywhere_and_message_ids_never() -> None:
    key = "jordan.reyes@northwind.example"
    assert mark("alex", "request", key) == mark("ALEX ", "request", key.upper())
    assert mark("alex", "request", key) != mark("sam", "request", key)
    assert mark("alex", "request", key) != mark("alex", "thank_you", key)
    one, two = (marked_id("alex", "request", key, "example.net") for _ in range(2))
    assert one != two
    assert mark_of(one) == mark_of(two) == mark("alex", "request", key)
    assert mark_of("<CAF1234@mail.gmail.com>") is None


def test_a_deleted_state_rebuilds_from_the_mailbox_without_a_second_draft(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch, policy='wait = "0s"')
    with running(config):
        idle(config)
        for n in range(3):
            dovecot.append(user, rejection_from(n))
        done(config, 3)
    assert sum(recipients(dovecot, user, DRAFTS).values()) == 3
    for path in tmp_path.glob("state.db*"):
        path.unlink()  # a reinstall, a new laptop, a wiped ~/.local/state

    with running(config):
        idle(config)
        found = done(config, 3)
        settle()
    assert {a["state"] for a in found} == {"drafted"}
    assert all("already in Drafts" in a["detail"] for a in found)
    counts = recipients(dovecot, user, DRAFTS)
    assert len(counts) == 3
    assert set(counts.values()) == {1}


def test_two_daemons_with_their_own_state_make_one_draft_per_contact(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot.new_user()
    first = instance(tmp_path, "desktop", dovecot, user, monkeypatch)
    second = instance(tmp_path, "laptop", dovecot, user, monkeypatch)
    with running(first), running(second):
        idle(first)
        idle(second)
        for n in range(10):
            dovecot.append(user, rejection_from(n))
        done(first, 10)
        done(second, 10)
        settle()
    counts = recipients(dovecot, user, DRAFTS)
    assert len(counts) == 10, counts
    assert set(counts.values()) == {1}, counts


def test_two_daemons_in_send_mode_send_once_per_contact_and_lose_none(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    smtp_server_factory: Callable[[str], SmtpServer],
) -> None:
    smtp_server = smtp_server_factory("none")
    user = dovecot.new_user()
    configs = []
    for name in ("desktop", "laptop"):
        folder = tmp_path / name
        folder.mkdir()
        configs.append(
            one_account_smtp_config(
                folder, dovecot, user, smtp_server, monkeypatch, 'wait = "0s"\nmode = "send"'
            )
        )
    with running(configs[0]), running(configs[1]):
        for config in configs:
            idle(config)
        for n in range(10):
            dovecot.append(user, rejection_from(n))
        for config in configs:
            done(config, 10)
        settle()
    sent = Counter(tuple(message.rcpt_tos) for message in smtp_server.messages)
    drafted = recipients(dovecot, user, DRAFTS)
    # Exactly one mail per contact; a contact not mailed would have a draft instead.
    assert set(sent.values()) == {1}, sent
    assert len(sent) + sum(drafted.values()) == 10, (sent, drafted)
    copies = [m["Message-ID"] for _, m in folder_messages(dovecot, user, SENT)]
    assert len(copies) == len(set(copies)) == len(sent)
    for message in smtp_server.messages:
        parsed = email.message_from_bytes(message.data, policy=email.policy.default)
        assert mark_of(parsed["Message-ID"]) is not None
