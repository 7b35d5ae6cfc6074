"""What the mailbox already knows, end to end on a real Dovecot.

Week 1: Jordan at Northwind invites the user to an interview.  Week 3: the Northwind
applicant-tracking robot sends the rejection.  The draft goes to Jordan, thanks them
for the interview on its day and names the role; a rejection after an application
alone asks about the application.  The look-back reads, and changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

import pytest
from imapclient.imapclient import SENT

from daemon.cli import main
from daemon.mail.render import day_month

from .servers.dovecot import Dovecot, MailUser
from .support import USER, done, drafts, idle, one_account_config, running

pytestmark = [pytest.mark.dovecot, pytest.mark.slow]

JORDAN = ("Jordan Reyes", "jordan.reyes@northwind.example")
ALEX = ("Alex Candidate", USER)


def mail(
    subject: str, body: str, sender: tuple[str, str], to: tuple[str, str], sent: datetime, n: int
) -> bytes:
    message = EmailMessage()
    message["From"] = formataddr(sender)
    message["To"] = formataddr(to)
    message["Subject"] = subject
    message["Date"] = format_datetime(sent)
    message["Message-ID"] = f"<history-{n}@mail.example>"
    message.set_content(body)
    return message.as_bytes()


def deliver(dovecot: Dovecot, user: MailUser, raw: bytes, when: datetime, sent: bool) -> None:
    """Put a mail in the inbox, or in Sent as the user's client would, dated ``when``."""
    with dovecot.client(user) as client:
        folder = client.find_special_folder(SENT) if sent else "INBOX"
        client.append(folder, raw, flags=(b"\\Seen",) if sent else (), msg_time=when)


def everything(dovecot: Dovecot, user: MailUser) -> dict[str, dict]:
    """Flags of every mail in the inbox and in Sent, read with EXAMINE."""
    with dovecot.client(user) as client:
        sent = client.find_special_folder(SENT)
    return {folder: dovecot.flags(user, folder) for folder in ("INBOX", sent)}


def test_the_draft_thanks_the_interviewer_for_the_interview_on_its_day(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch, policy='wait = "0s"')
    now = datetime.now(UTC).replace(microsecond=0)
    week1, interview_day = now - timedelta(days=15), (now - timedelta(days=10)).date()
    deliver(
        dovecot,
        user,
        mail(
            "Application: Senior Data Engineer",
            "Dear Northwind team,\n\nplease find attached my application for the Senior Data"
            " Engineer position.\n\nKind regards,\nAlex Candidate",
            ALEX,
            ("Northwind Careers", "careers@northwind.example"),
            now - timedelta(days=20),
            1,
        ),
        now - timedelta(days=20),
        sent=True,
    )
    invitation = (
        "Hi Alex,\n\nThank you for applying for the Senior Data Engineer role. I would like to"
        " invite you to a video interview with me and our engineering lead.\n\n"
        f"When: {interview_day.day} {interview_day:%B %Y}, 14:00 CET\n\n"
        "Please let me know that the time suits you.\n\nBest regards,\nJordan Reyes\n"
        "Engineering Recruiter, Northwind"
    )
    deliver(
        dovecot,
        user,
        mail("Interview invitation: Senior Data Engineer", invitation, JORDAN, ALEX, week1, 2),
        week1,
        sent=False,
    )
    rejection = mail(
        "Your application to Northwind",
        "Dear Alex,\n\nThank you for your interest in the Senior Data Engineer position at"
        " Northwind. After careful consideration we have decided not to move forward with"
        " your application.\n\nThe Northwind Recruiting Team\nThis mailbox is not monitored.",
        ("Northwind Careers", "no-reply@greenhouse-mail.example"),
        ALEX,
        now,
        3,
    )
    before = everything(dovecot, user)
    with running(config):
        idle(config)
        deliver(dovecot, user, rejection, now, sent=False)
        [action] = done(config)

    assert action["state"] == "drafted"
    assert action["to_email"] == JORDAN[1]  # the robot gave no one; the thread did
    [draft] = drafts(dovecot, user)
    assert draft["To"] == formataddr(JORDAN)
    body = draft.get_content().replace("\r\n", "\n")
    assert body.startswith("Dear Jordan Reyes,\n")
    assert f"conversation on {day_month(interview_day, 'en')}" in body
    assert "Senior Data Engineer role at Northwind" in body
    assert "feedback on my interview" in body
    # Read-only: not a flag changed in the inbox or Sent (our draft is in Drafts).
    after = everything(dovecot, user)
    for folder, flags in before.items():
        assert {uid: after[folder][uid] for uid in flags} == flags

    assert main(["explain", "<history-3@mail.example>", "--config", str(config.source)]) == 0
    shown = capsys.readouterr().out
    assert f"earlier thread: an interview on {interview_day.isoformat()} with Jordan Reyes" in shown
    assert "addressed to Jordan Reyes, who invited you to the interview" in shown
    assert "INBOX" in shown
    assert "about an interview" in shown
    assert "your application" in shown  # the one in Sent


def test_after_an_application_alone_the_request_asks_about_the_application(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch, policy='wait = "0s"')
    now = datetime.now(UTC).replace(microsecond=0)
    priya = ("Priya Shah", "priya.shah@contoso.example")
    deliver(
        dovecot,
        user,
        mail(
            "Application for the Junior Analyst role",
            "Dear Ms Shah,\n\nI am applying for the Junior Analyst role; my CV is attached.\n\n"
            "Best regards,\nAlex Candidate",
            ALEX,
            priya,
            now - timedelta(days=12),
            11,
        ),
        now - timedelta(days=12),
        sent=True,
    )
    rejection = mail(
        "Junior Analyst",
        "Dear Alex,\n\nThank you for applying for the Junior Analyst position. We reviewed your"
        " application carefully and have decided to proceed with other candidates.\n\n"
        "Best regards,\nPriya Shah",
        priya,
        ALEX,
        now,
        12,
    )
    with running(config):
        idle(config)
        deliver(dovecot, user, rejection, now, sent=False)
        [action] = done(config)
    assert action["state"] == "drafted"
    [draft] = drafts(dovecot, user)
    body = draft.get_content().replace("\r\n", "\n")
    assert "feedback on my application," in body
    assert "interview" not in body.lower()
    assert "conversation" not in body
