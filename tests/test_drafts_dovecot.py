"""Drafts, thank-yous and sends end to end: a real Dovecot, a real SMTP server.

The daemon runs with a wait of a second, or a wait of days on a clock the test moves
on (``ManualClock``).  Each test reads the result the way a user would: the Drafts
folder (and the SMTP server's inbox in send mode), and the state for the reasons.
"""

from __future__ import annotations

import email
import email.policy
import json
import logging
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from imapclient.imapclient import DRAFTS, SENT

from daemon.cli import main
from daemon.config import Config, load_config

from .servers.dovecot import Dovecot
from .servers.smtp import SmtpServer
from .support import (
    CONTACT,
    REJECTION_BODY,
    USER,
    ManualClock,
    actions,
    build_mail,
    done,
    drafts,
    folder_messages,
    idle,
    one_account_config,
    one_account_smtp_config,
    rejection,
    rows,
    running,
    schedule_one,
    settle,
    wait_for,
    write_accounts_config,
)

pytestmark = [pytest.mark.dovecot, pytest.mark.slow]

WAIT_FOR_DATA = 20.0  # seconds for a request to be due, claimed and reach DATA
FEEDBACK_BODY = (
    "Hi Alex,\n\nHappy to share some feedback from the panel. Your SQL exercise was strong,"
    " but the system design round did not cover how the pipeline would recover from failures,"
    " and the team wanted more experience with streaming. I would suggest building a small"
    " end-to-end streaming project.\n\nAll the best,\nJordan"
)


def feedback_reply(in_reply_to: str, subject: str) -> bytes:
    raw = build_mail(
        f"Re: {subject}",
        FEEDBACK_BODY,
        headers={"In-Reply-To": in_reply_to, "References": in_reply_to},
    )
    return raw.replace(b"<test-1@northwind.example>", b"<feedback-1@northwind.example>")


def test_a_rejection_becomes_a_threaded_draft_and_feedback_a_thank_you(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch)
    with running(config):
        idle(config)
        dovecot.append(user, rejection(1))
        request = done(config)[0]
        assert request["state"] == "drafted", request
        [(flags, draft)] = folder_messages(dovecot, user, DRAFTS)
        assert set(flags) >= {b"\\Draft", b"\\Seen"}
        assert draft["To"] == "Jordan Reyes <jordan.reyes@northwind.example>"
        assert draft["From"] == f"Alex Candidate <{USER}>"
        assert draft["Subject"] == "Re: Your application (1)"
        assert draft["In-Reply-To"] == "<rej-1@northwind.example>"
        assert draft["References"] == "<rej-1@northwind.example>"
        assert draft["Message-ID"] == request["message_id"]
        assert draft["Date"]
        body = draft.get_content()
        assert "Jordan Reyes" in body
        assert "Data Engineer" in body
        assert "Northwind" in body
        assert body.rstrip().endswith("Alex Candidate")

        # The recruiter answers the draft the user sent: a thank-you, threaded to that answer.
        reply = feedback_reply(request["message_id"], "Your application (1)")
        dovecot.append(user, reply)
        finished = done(config, 2)
        dovecot.append(user, reply)  # delivered twice: still one thank-you
        wait_for(lambda: len(rows(config)) == 3, "the second copy of the reply")
        settle()
    assert len(actions(config)) == 2
    assert len(drafts(dovecot, user)) == 2
    thanks = next(a for a in finished if a["kind"] == "thank_you")
    assert thanks["state"] == "drafted"
    second = [d for d in drafts(dovecot, user) if d["Message-ID"] == thanks["message_id"]]
    assert len(second) == 1
    assert second[0]["In-Reply-To"] == "<feedback-1@northwind.example>"
    assert second[0]["References"].split() == [
        request["message_id"],
        "<feedback-1@northwind.example>",
    ]
    assert second[0]["To"] == "Jordan Reyes <jordan.reyes@northwind.example>"
    # The user's own messages were only read.
    assert all(b"\\Seen" not in f for f in dovecot.flags(user).values())


def test_never_a_second_request_to_the_same_contact(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second rejection, a duplicate delivery and restarts in between: one request."""
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch)
    with running(config):
        idle(config)
        dovecot.append(user, rejection(1))
        done(config)
    dovecot.append(user, rejection(1))  # the same message delivered again
    with running(config):
        idle(config)
        wait_for(lambda: len(rows(config)) == 2, "the duplicate")
    dovecot.append(user, rejection(2, sender=("J. Reyes", "JORDAN.REYES@Northwind.example")))
    with running(config):
        idle(config)
        wait_for(lambda: len(rows(config)) == 3, "the second rejection")
        settle()
    assert len(actions(config)) == 1
    assert len(drafts(dovecot, user)) == 1
    outcomes = sorted(r["outcome"] for r in rows(config))
    assert outcomes[0].startswith("another copy of a message already handled")
    assert outcomes[1].startswith("feedback request due")
    assert outcomes[2].startswith("no second request to jordan.reyes@northwind.example")


def test_the_users_own_message_cancels_a_waiting_request(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch, policy='wait = "2d"')
    with running(config) as daemon:
        idle(config)
        dovecot.append(user, rejection(1))
        wait_for(lambda: actions(config), "the request to be scheduled")
        mine = EmailMessage()
        mine["From"] = f"Alex Candidate <{USER}>"
        mine["To"] = "Jordan Reyes <jordan.reyes@northwind.example>"
        mine["Subject"] = "Thanks for letting me know"
        mine["Date"] = format_datetime(datetime.now(UTC))
        mine["Message-ID"] = "<mine-1@example.net>"
        mine.set_content("Hi Jordan, thanks for the update. Could we talk briefly?\nAlex")
        dovecot.append(user, mine.as_bytes(), folder="Sent", flags=[b"\\Seen"])
        daemon.clock.advance(timedelta(days=2))  # the request falls due
        [action] = done(config)
    assert action["state"] == "cancelled"
    assert action["detail"].startswith("you wrote to jordan.reyes@northwind.example yourself")
    assert drafts(dovecot, user) == []


def test_a_deleted_draft_is_not_recreated(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch, policy='wait = "0s"')
    with running(config):
        idle(config)
        dovecot.append(user, rejection(1))
        done(config)
    with dovecot.client(user) as client:  # the user throws the draft away
        client.select_folder(client.find_special_folder(DRAFTS))
        client.delete_messages(client.search("ALL"))
        client.expunge()
    dovecot.append(user, rejection(1))
    with running(config):
        idle(config)
        wait_for(lambda: len(rows(config)) == 2, "the duplicate delivery")
        settle()
    assert drafts(dovecot, user) == []
    assert [a["state"] for a in actions(config)] == ["drafted"]


def test_rules_ignore_one_recruiter_and_give_another_more_time(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot.new_user()
    rules = (
        '\n[[rules]]\nname = "never Initech"\nmatch = { from_domain = "initech.example" }\n'
        'action = "ignore"\n'
        '\n[[rules]]\nname = "Contoso is slow"\nmatch = { from_domain = "contoso.example" }\n'
        'wait = "3h"\n'
    )
    config = one_account_config(tmp_path, dovecot, user, monkeypatch, extra=rules)
    with running(config):
        idle(config)
        dovecot.append(user, rejection(1, sender=("Pat Lee", "pat.lee@initech.example")))
        dovecot.append(user, rejection(2, sender=("Sam Diaz", "sam.diaz@contoso.example")))
        wait_for(lambda: len(rows(config)) == 2, "both rejections")
    by_subject = {r["subject"]: r for r in rows(config)}
    ignored = by_subject["Your application (1)"]
    assert ignored["outcome"] == "ignored by rule 'never Initech'"
    assert ignored["rule"] == "never Initech"
    assert "rule 'never Initech': action ignore" in ignored["reasons"]
    [action] = actions(config)
    assert action["to_email"] == "sam.diaz@contoso.example"
    assert action["rule"] == "Contoso is slow"
    received = datetime.fromisoformat(by_subject["Your application (2)"]["received_at"])
    assert datetime.fromisoformat(action["due_at"]) == received + timedelta(hours=3)
    assert action["state"] == "scheduled"
    assert drafts(dovecot, user) == []


@pytest.mark.parametrize("mode", ["starttls", "tls", "none"])
def test_send_mode_sends_once_and_files_a_copy_in_sent(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    smtp_server_factory: Callable[[str], SmtpServer],
    mode: str,
) -> None:
    """STARTTLS and TLS log in; a plain loopback relay without AUTH just takes the mail."""
    smtp_server = smtp_server_factory(mode)
    user = dovecot.new_user()
    config = one_account_smtp_config(tmp_path, dovecot, user, smtp_server, monkeypatch)
    with running(config):
        idle(config)
        dovecot.append(user, rejection(1))
        [action] = done(config)
        assert action["state"] == "sent", action
        wait_for(lambda: action_folder(config) == "Sent", "the copy in Sent")
    dovecot.append(user, rejection(1))
    dovecot.append(user, rejection(2))
    with running(config):
        idle(config)
        wait_for(lambda: len(rows(config)) == 3, "the duplicate and the second rejection")
        settle()
    [received] = smtp_server.messages
    assert received.rcpt_tos == ["jordan.reyes@northwind.example"]
    assert received.mail_from == USER
    assert received.tls is (mode != "none")
    assert received.authenticated_as == (None if mode == "none" else smtp_server.username)
    sent = email.message_from_bytes(received.data, policy=email.policy.default)
    assert sent["Message-ID"] == action["message_id"]
    assert sent["In-Reply-To"] == "<rej-1@northwind.example>"
    copies = folder_messages(dovecot, user, SENT)
    assert [m["Message-ID"] for _, m in copies] == [action["message_id"]]
    assert drafts(dovecot, user) == []


def test_oauth2_tokens_log_in_to_imap_and_smtp_with_xoauth2(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    smtp_server_factory: Callable[[str], SmtpServer],
) -> None:
    """auth = "oauth2": the secret is an access token, presented with SASL XOAUTH2.

    The token comes from a password_command, as a token helper would print it.  Both
    servers here accept the account's password as its token, which is enough to
    show the mechanism on the wire.
    """
    smtp_server = smtp_server_factory("starttls")
    user = dovecot.new_user()
    token_file = tmp_path / "token"
    token_file.write_text(user.password + "\n")
    smtp_token = tmp_path / "smtp-token"
    smtp_token.write_text(smtp_server.password + "\n")
    config = one_account_smtp_config(tmp_path, dovecot, user, smtp_server, monkeypatch)
    text = config.source.read_text()
    text = text.replace(
        'password_env = "DEBRIEFER_TEST_PASSWORD"',
        f'auth = "oauth2"\npassword_command = "cat {token_file}"',
    ).replace(
        'password_env = "DEBRIEFER_TEST_SMTP_PASSWORD"',
        f'auth = "oauth2"\npassword_command = "cat {smtp_token}"',
    )
    config.source.write_text(text)
    config = load_config(config.source)
    with running(config):
        idle(config)
        dovecot.append(user, rejection(1))
        [action] = done(config)
    assert action["state"] == "sent", action
    [received] = smtp_server.messages
    assert received.authenticated_as == smtp_server.username
    assert smtp_server.mechanisms == ["XOAUTH2"]
    assert f"user=<{user.name}>, method=XOAUTH2" in dovecot.log_tail(200)


def action_folder(config: Config) -> str | None:
    found = actions(config)
    return found[0]["folder"] if found else None


def test_a_send_interrupted_by_a_crash_is_never_retried_but_left_as_a_draft(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, smtp_server: SmtpServer
) -> None:
    """The ledger says "sending" (the process died mid-send): Sent does not show it, so a draft."""
    user = dovecot.new_user()
    config = one_account_smtp_config(
        tmp_path, dovecot, user, smtp_server, monkeypatch, 'wait = "1h"\nmode = "send"'
    )
    schedule_one(config, dovecot, user)
    _force(config, state="sending")
    with running(config):
        [action] = done(config)
    assert action["state"] == "drafted"
    assert action["detail"].startswith("MAY HAVE BEEN SENT")
    assert smtp_server.messages == []
    assert [d["Message-ID"] for d in drafts(dovecot, user)] == [action["message_id"]]


def test_a_draft_interrupted_by_a_crash_is_found_not_made_twice(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ledger says "drafting" and the APPEND did land: the restart confirms, appends nothing."""
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch, policy='wait = "1h"')
    action = schedule_one(config, dovecot, user)
    landed = EmailMessage()
    landed["Message-ID"] = action["message_id"]
    landed["Subject"] = "Re: Your application (1)"
    landed.set_content("draft that landed just before the crash")
    dovecot.append(user, landed.as_bytes(), folder="Drafts", flags=[b"\\Draft", b"\\Seen"])
    _force(config, state="drafting")
    with running(config):
        [action] = done(config)
    assert action["state"] == "drafted"
    assert action["folder"] == "Drafts"
    assert len(drafts(dovecot, user)) == 1


def test_a_request_that_could_not_be_made_in_time_lapses(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The daemon was down past policy.expire: nothing is drafted late."""
    user = dovecot.new_user()
    config = one_account_config(
        tmp_path, dovecot, user, monkeypatch, policy='wait = "1h"\nexpire = "2h"'
    )
    schedule_one(config, dovecot, user)
    with running(config, clock=ManualClock(ahead=timedelta(hours=3))):  # down for three hours
        [action] = done(config)
    assert action["state"] == "lapsed"
    assert drafts(dovecot, user) == []


def _force(config: Config, **fields: object) -> None:
    """Fault injection: put the one action into the state a crash or an outage leaves."""
    values = {
        k: v.isoformat(timespec="seconds") if isinstance(v, datetime) else v
        for k, v in fields.items()
    }
    assigns = ", ".join(f"{k} = ?" for k in values)
    with sqlite3.connect(config.state_path) as db:
        db.execute(f"UPDATE actions SET {assigns}", list(values.values()))  # noqa: S608 - test-only, fixed names
    db.close()


@pytest.mark.parametrize(
    ("fault", "detail"),
    [
        ("refused", "not sent (SMTPDataError: (554"),
        ("dropped", "MAY HAVE BEEN SENT (SMTPServerDisconnected"),
    ],
)
def test_a_failed_send_leaves_a_draft_and_says_whether_it_may_have_gone_out(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    smtp_server: SmtpServer,
    fault: str,
    detail: str,
) -> None:
    user = dovecot.new_user()
    config = one_account_smtp_config(tmp_path, dovecot, user, smtp_server, monkeypatch)
    if fault == "refused":
        smtp_server.fail_next_data = 554
    else:
        smtp_server.drop_next_data = True
    with running(config):
        idle(config)
        dovecot.append(user, rejection(1))
        [action] = done(config)
    assert action["state"] == "drafted"
    assert action["detail"].startswith(detail), action["detail"]
    assert smtp_server.messages == []
    assert [d["Message-ID"] for d in drafts(dovecot, user)] == [action["message_id"]]


def test_outside_the_send_window_the_request_waits_for_it(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, smtp_server: SmtpServer
) -> None:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date()
    window = f'send_window = "{tomorrow.strftime("%a")} 00:00-23:59"\ntimezone = "UTC"'
    policy = f'wait = "0s"\nmode = "send"\n{window}'
    user = dovecot.new_user()
    config = one_account_smtp_config(tmp_path, dovecot, user, smtp_server, monkeypatch, policy)
    with running(config) as daemon:
        idle(config)
        dovecot.append(user, rejection(1))
        [action] = wait_for(
            lambda: (found := actions(config)) and found[0]["detail"] and found,
            "the request to wait for the window",
        )
        assert action["state"] == "scheduled"
        assert action["detail"].startswith("waiting for the send window")
        opening = datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=UTC)
        assert datetime.fromisoformat(action["due_at"]) == opening
        assert smtp_server.messages == []
        assert drafts(dovecot, user) == []
        daemon.clock.advance_to(opening)  # tomorrow comes, and the window opens
        [action] = done(config)
    assert action["state"] == "sent"
    assert len(smtp_server.messages) == 1


def test_news_from_the_contact_cancels_a_waiting_request(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another round or another role: not the moment to ask why the first one failed."""
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch, policy='wait = "1h"')
    invitation = build_mail(
        "Another opening: Senior Data Engineer",
        "Hi Alex,\n\nA senior role just opened in my team and I thought of you. Would you be"
        " available for a call on Thursday?\n\nJordan",
        sender=CONTACT,
    ).replace(b"<test-1@northwind.example>", b"<invite-1@northwind.example>")
    with running(config):
        idle(config)
        dovecot.append(user, rejection(1))
        wait_for(lambda: actions(config), "the request to be scheduled")
        dovecot.append(user, invitation)
        [action] = done(config)
    assert action["state"] == "cancelled"
    assert action["detail"] == (
        "jordan.reyes@northwind.example wrote again: 'Another opening: Senior Data Engineer'"
    )


def test_without_a_person_to_write_to_the_draft_has_no_recipient_and_status_says_so(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch, policy='wait = "0s"')
    ats = build_mail(
        "Your application to Northwind",
        "Dear Alex,\n\nThank you for applying for the Data Engineer position at Northwind."
        " Unfortunately we will not be moving forward with your application.\n\n"
        "The Northwind Recruiting Team\nThis mailbox is not monitored.",
        sender=("Northwind Careers", "no-reply@greenhouse-mail.example"),
    ).replace(b"<test-1@northwind.example>", b"<ats-1@greenhouse-mail.example>")
    with running(config):
        idle(config)
        dovecot.append(user, ats)
        [action] = done(config)
    assert action["state"] == "drafted"
    assert action["to_email"] is None
    assert action["detail"] == (
        "no human contact found: the draft has no recipient; add one before you send it"
    )
    [draft] = drafts(dovecot, user)
    assert draft["To"] is None
    assert draft["In-Reply-To"] == "<ats-1@greenhouse-mail.example>"
    assert main(["status", "--config", str(config.source)]) == 0
    shown = capsys.readouterr().out
    [row] = [line for line in shown.splitlines() if "nobody found" in line]
    assert "Northwind" in row
    assert "drafted " in row
    assert "no human contact found: the draft has no recipient" in shown


def test_status_and_forget_from_the_command_line(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch, policy='wait = "1h"')
    action = schedule_one(config, dovecot, user)
    capsys.readouterr()
    assert main(["status", "--json", "--config", str(config.source)]) == 0
    report = json.loads(capsys.readouterr().out)
    [message] = report["messages"]
    assert message["message_id"] == "<rej-1@northwind.example>"
    assert message["state"] == "request scheduled"
    assert message["outcome"].startswith("feedback request due ")
    [entry] = report["actions"]
    assert entry["to"] == "jordan.reyes@northwind.example"
    assert entry["due_at"] == action["due_at"]
    assert entry["answers"] == {
        "message_id": "<rej-1@northwind.example>",
        "subject": "Your application (1)",
    }
    assert main(["forget", "Jordan.Reyes@Northwind.example", "--config", str(config.source)]) == 0
    assert "forgot 1 request(s)" in capsys.readouterr().out
    assert [a["state"] for a in actions(config)] == ["forgotten"]
    assert main(["forget", "jordan.reyes@northwind.example", "--config", str(config.source)]) == 1
    assert capsys.readouterr().out == "nothing recorded for jordan.reyes@northwind.example\n"


def test_news_that_came_while_the_daemon_was_down_is_read_before_acting(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At start an overdue request waits for the catch-up, which finds the contact wrote."""
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch, policy='wait = "1h"')
    schedule_one(config, dovecot, user)
    _force(config, due_at=datetime.now(UTC) - timedelta(minutes=5))
    for n in range(120):  # a backlog that takes the catch-up a while
        dovecot.append(
            user,
            build_mail(f"Newsletter {n}", "Our weekly news.", sender=("N", "news@shop.example")),
        )
    dovecot.append(
        user,
        build_mail(
            "Next steps",
            "Hi Alex,\n\nCould you do a call on Monday about the platform role?\n\nJordan",
            sender=CONTACT,
        ).replace(b"<test-1@northwind.example>", b"<next-1@northwind.example>"),
    )
    with running(config):
        [action] = done(config)
    assert action["state"] == "cancelled"
    assert action["detail"] == "jordan.reyes@northwind.example wrote again: 'Next steps'"
    assert drafts(dovecot, user) == []


def test_an_interrupted_send_found_in_sent_counts_as_sent(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, smtp_server: SmtpServer
) -> None:
    """The provider filed the mail before the crash: confirmed, neither resent nor drafted."""
    user = dovecot.new_user()
    config = one_account_smtp_config(
        tmp_path, dovecot, user, smtp_server, monkeypatch, 'wait = "1h"\nmode = "send"'
    )
    action = schedule_one(config, dovecot, user)
    filed = EmailMessage()
    filed["Message-ID"] = action["message_id"]
    filed["To"] = "jordan.reyes@northwind.example"
    filed["Subject"] = "Re: Your application (1)"
    filed.set_content("the copy the provider filed")
    dovecot.append(user, filed.as_bytes(), folder="Sent", flags=[b"\\Seen"])
    _force(config, state="sending")
    with running(config):
        [action] = done(config)
    assert action["state"] == "sent"
    assert action["detail"] == "confirmed in Sent after a restart"
    assert smtp_server.messages == []
    assert drafts(dovecot, user) == []


def test_an_interrupted_draft_that_never_landed_is_made_once(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch, policy='wait = "1h"')
    schedule_one(config, dovecot, user)
    _force(config, state="drafting")
    with running(config):
        [action] = done(config)
        settle()
    assert action["state"] == "drafted"
    assert [d["Message-ID"] for d in drafts(dovecot, user)] == [action["message_id"]]


def test_no_copy_in_sent_when_the_provider_files_one(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, smtp_server: SmtpServer
) -> None:
    user = dovecot.new_user()
    config = one_account_smtp_config(tmp_path, dovecot, user, smtp_server, monkeypatch)
    text = config.source.read_text(encoding="utf-8").replace(
        'security = "starttls"\n', 'security = "starttls"\ncopy_to_sent = false\n'
    )
    config.source.write_text(text, encoding="utf-8")
    config = load_config(config.source)
    with running(config):
        idle(config)
        dovecot.append(user, rejection(1))
        [action] = done(config)
    assert action["state"] == "sent"
    assert action["folder"] is None
    assert len(smtp_server.messages) == 1
    assert folder_messages(dovecot, user, SENT) == []


def test_a_password_helper_that_fails_delays_the_send_and_never_marks_it_uncertain(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    smtp_server: SmtpServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="daemon.running.outbox")
    user = dovecot.new_user()
    config = one_account_smtp_config(tmp_path, dovecot, user, smtp_server, monkeypatch)
    text = config.source.read_text(encoding="utf-8").replace(
        'password_env = "DEBRIEFER_TEST_SMTP_PASSWORD"', 'password_command = "exit 3"'
    )
    config.source.write_text(text, encoding="utf-8")
    config = load_config(config.source)
    with running(config):
        idle(config)
        dovecot.append(user, rejection(1))
        wait_for(lambda: "retrying in" in caplog.text, "the failed attempt")
        [action] = actions(config)
    assert action["state"] == "scheduled"  # to be tried again, later
    assert action["attempts"] == 0
    assert smtp_server.messages == []
    assert drafts(dovecot, user) == []
    assert "SecretError" in caplog.text


def test_a_draft_answering_a_long_message_id_carries_it_verbatim(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read back as bytes from Dovecot: the 100-character id, whole and unencoded."""
    long_id = "<" + "AM0PR07MB" + "7" * 50 + "@AM0PR07MB1234.eurprd07.prod.outlook.com>"
    assert len(long_id) >= 100
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch)
    raw = rejection(1).replace(b"<rej-1@northwind.example>", long_id.encode())
    with running(config):
        idle(config)
        dovecot.append(user, raw)
        [request] = done(config)
    assert request["state"] == "drafted"
    with dovecot.client(user) as client:
        client.select_folder(client.find_special_folder(DRAFTS), readonly=True)
        [uid] = client.search("ALL")
        head = client.fetch([uid], ["BODY.PEEK[HEADER]"])[uid][b"BODY[HEADER]"]
    assert f"\r\nIn-Reply-To: {long_id}\r\n".encode() in head
    assert f"\r\nReferences: {long_id}\r\n".encode() in head


def test_send_mode_logs_in_to_a_plain_loopback_bridge_that_asks_for_it(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Proton Mail Bridge, DavMail: plaintext on 127.0.0.1, AUTH required; EHLO says so."""
    with SmtpServer("none", require_auth=True) as bridge:
        user = dovecot.new_user()
        config = one_account_smtp_config(tmp_path, dovecot, user, bridge, monkeypatch)
        with running(config):
            idle(config)
            dovecot.append(user, rejection(1))
            [action] = done(config)
        assert action["state"] == "sent", action
        [received] = bridge.messages
        assert received.authenticated_as == bridge.username
        assert received.tls is False


def test_a_stop_during_a_send_lets_it_finish_with_its_copy_in_sent(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    smtp_server_factory: Callable[[str], SmtpServer],
) -> None:
    """SIGTERM (a systemctl stop, a reboot) while the server is still answering DATA."""
    smtp_server = smtp_server_factory("starttls")
    smtp_server.slow_next_data = 2.0
    user = dovecot.new_user()
    config = one_account_smtp_config(tmp_path, dovecot, user, smtp_server, monkeypatch)
    with running(config):
        idle(config)
        dovecot.append(user, rejection(1))
        assert smtp_server.answering_data.wait(WAIT_FOR_DATA), "the send never reached DATA"
        # Leaving the block stops the daemon now, as the SIGTERM handler does.
    [action] = actions(config)
    assert action["state"] == "sent", action
    assert action["folder"] == "Sent"
    [received] = smtp_server.messages
    copies = folder_messages(dovecot, user, SENT)
    assert [m["Message-ID"] for _, m in copies] == [action["message_id"]]
    assert drafts(dovecot, user) == []  # the reservation left with the send
    assert email.message_from_bytes(received.data)["Message-ID"] == action["message_id"]


def test_a_rule_that_would_backtrack_forever_costs_nothing(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "(a+)+$" against 10 kB of a's: Python's re would take centuries; RE2 is linear,
    so both accounts go on and the daemon stops at once."""
    users = [dovecot.new_user(), dovecot.new_user()]
    path = write_accounts_config(tmp_path, dovecot, users, monkeypatch)
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'lookback = "30d"', 'lookback = "30d"\nwait = "0s"'
        )
        + '\n[[rules]]\nname = "unlucky"\nmatch = { body = "(a+)+$" }\naction = "ignore"\n',
        encoding="utf-8",
    )
    config = load_config(path)
    unlucky = build_mail("aaaa", "a" * 10_000 + "!", sender=("Robot", "robot@spam.example"))
    with running(config):
        idle(config, "acct0")
        idle(config, "acct1")
        dovecot.append(users[0], unlucky)
        dovecot.append(users[0], rejection(1))
        other = build_mail(
            "Your application",
            REJECTION_BODY.replace("Jordan Reyes", "Sam Moreau"),
            sender=("Sam Moreau", "sam.moreau@fabrikam.example"),
        )
        dovecot.append(users[1], other)
        found = done(config, 2)
    assert {a["state"] for a in found} == {"drafted"}
    assert len(found) == 2
