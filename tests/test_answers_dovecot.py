"""Answers to a feedback request, end to end on a real Dovecot, in five languages.

The user sends our draft from their own client, which gives it a new
Message-ID; the answers then come threaded to that sent copy (or to nothing),
from the recruiter or from the hiring manager at the same company.  Each kind
of answer gets its outcome, and feedback, in however many mails, one thank-you.
"""

from __future__ import annotations

import io
import json
import tomllib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

import pytest
from imapclient.imapclient import DRAFTS

from daemon.cli import main
from daemon.cli.status import print_status, status_report
from daemon.config import Config
from daemon.ledger import Ledger

from .servers.dovecot import Dovecot, MailUser
from .support import (
    USER,
    actions,
    done,
    folder_messages,
    idle,
    one_account_config,
    rows,
    running,
    settle,
    wait_for,
)

pytestmark = [pytest.mark.dovecot, pytest.mark.slow]

CASES = tomllib.loads((Path(__file__).parent / "answer_cases.toml").read_text("utf-8"))["case"]
RECRUITER = ("Sam Moreau", "sam.moreau@lindqvist.example")
MANAGER = ("Kim Adeyemi", "kim.adeyemi@lindqvist.example")
# One rejection per language, written for this test.
REJECTIONS = {
    "en": (
        "Your application for Operations Analyst",
        "Dear Alex,\n\nThank you for interviewing for the Operations Analyst role. We have "
        "decided to continue with another candidate.\n\nKind regards,\nSam Moreau",
    ),
    "de": (
        "Ihre Bewerbung als Operations Analyst",
        "Sehr geehrte/r Alex Candidate,\n\nvielen Dank für das Gespräch. Leider haben wir uns "
        "für eine andere Kandidatin entschieden.\n\nMit freundlichen Grüßen\nSam Moreau",
    ),
    "fr": (
        "Votre candidature au poste d'analyste des opérations",
        "Bonjour Alex,\n\nMerci pour votre entretien. Nous avons malheureusement décidé de "
        "retenir une autre candidature.\n\nCordialement,\nSam Moreau",
    ),
    "es": (
        "Tu candidatura para Analista de Operaciones",
        "Hola Alex:\n\nGracias por la entrevista. Lamentablemente hemos decidido continuar el "
        "proceso con otra persona.\n\nUn saludo,\nSam Moreau",
    ),
    "nl": (
        "Je sollicitatie als Operations Analist",
        "Beste Alex,\n\nBedankt voor het gesprek. Helaas hebben we besloten verder te gaan "
        "met een andere kandidaat.\n\nMet vriendelijke groet,\nSam Moreau",
    ),
}


def mail(
    subject: str,
    body: str,
    message_id: str,
    *,
    sender: tuple[str, str],
    to: tuple[str, str] = ("Alex Candidate", USER),
    refs: str = "",
) -> bytes:
    message = EmailMessage()
    message["From"] = formataddr(sender)
    message["To"] = formataddr(to)
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = message_id
    if refs:
        message["In-Reply-To"] = refs.split()[-1]
        message["References"] = refs
    message.set_content(body)
    return message.as_bytes()


def first(language: str, kind: str, skip: int = 0) -> dict:
    return [c for c in CASES if c["language"] == language and c["kind"] == kind][skip]


def plainly_other(language: str) -> dict:
    """An "anything else" answer that is not "ask through the portal": that one reads as much
    as a refusal as anything else, and test_answers measures how it is read."""
    return next(
        c
        for c in CASES
        if c["language"] == language and c["kind"] == "other" and "portal" not in c["body"]
    )


def outcome_of(config: Config, message_id: str) -> str:
    found = wait_for(lambda: [r for r in rows(config) if r["message_id"] == message_id], message_id)
    return found[0]["outcome"]


@pytest.mark.parametrize("language", list(REJECTIONS))
def test_every_kind_of_answer_to_a_request_sent_from_another_client(
    language: str,
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user: MailUser = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch)
    subject, body = REJECTIONS[language]
    with running(config):
        idle(config)
        dovecot.append(user, mail(subject, body, "<rej@lindqvist.example>", sender=RECRUITER))
        [request] = done(config)
        assert request["state"] == "drafted"

    # The user sends the draft from their client: a new Message-ID, filed in Sent.
    sent_id = "<sent-by-client@mail.example.net>"
    sent = mail(
        f"Re: {subject}",
        "Could you share what I could do better?",
        sent_id,
        sender=("Alex Candidate", USER),
        to=RECRUITER,
        refs="<rej@lindqvist.example>",
    )
    dovecot.append(user, sent, folder="Sent", flags=[b"\\Seen"])
    thread = f"<rej@lindqvist.example> {sent_id}"
    answers = [
        # (case, sender, threaded, the outcome's words)
        (first(language, "auto_reply"), RECRUITER, True, "an automatic reply"),
        (first(language, "pending"), RECRUITER, False, "passed on"),
        (first(language, "declined"), RECRUITER, True, "declined to give feedback"),
        (first(language, "call"), RECRUITER, True, "offered a call: answer it yourself"),
        (plainly_other(language), RECRUITER, False, "answered without feedback"),
        # Feedback from the hiring manager, outside the thread, then more of it threaded.
        (first(language, "feedback"), MANAGER, False, "feedback given; thank-you due"),
        (first(language, "feedback", 1), RECRUITER, True, "feedback given"),
    ]
    with running(config):
        idle(config)
        wait_for(lambda: actions(config)[0]["sent_at"], "the sent request to be noticed")
        for number, (case, sender, threaded, words) in enumerate(answers):
            message_id = f"<answer-{number}@lindqvist.example>"
            raw = mail(
                case["subject"],
                case["body"],
                message_id,
                sender=sender,
                refs=thread if threaded else "",
            )
            if case["kind"] == "auto_reply":
                raw = b"Auto-Submitted: auto-replied\r\n" + raw
            dovecot.append(user, raw)
            outcome = outcome_of(config, message_id)
            assert outcome.startswith("answered the request"), (case["kind"], outcome)
            assert words in outcome, (case["kind"], outcome)
        done(config, 2)
        settle()
    found = actions(config)
    assert [a["kind"] for a in found] == ["thank_you", "request"]  # newest first
    thanks, request = found
    assert (request["state"], request["sent_message_id"]) == ("sent", sent_id)
    assert thanks["state"] == "drafted"
    assert thanks["to_email"] == MANAGER[1]  # whoever gave the feedback
    [draft] = [
        m
        for _, m in folder_messages(dovecot, user, DRAFTS)
        if m["Message-ID"] == thanks["message_id"]
    ]
    assert draft["In-Reply-To"] == "<answer-5@lindqvist.example>"

    with Ledger(config.state_path, read_only=True) as state:
        report = status_report(state, config)
    [entry] = report["pipeline"]
    assert entry["request"]["sent_at"]
    assert entry["reply"]["kind"] == "feedback"
    assert entry["thank_you"]["state"] == "drafted"
    shown = io.StringIO()
    print_status(report, config.policy.zone(), shown)
    assert "sent by you" in shown.getvalue()

    # The dry run reads the state and labels every answer as the daemon did.
    capsys.readouterr()
    assert main(["scan", "--dry-run", "--json", "--config", str(tmp_path / "config.toml")]) == 0
    dry = {
        row["message_id"]: (row["label"], row["answer"])
        for row in map(json.loads, capsys.readouterr().out.splitlines())
    }
    recorded = {r["message_id"]: (r["label"], r["answer"]) for r in rows(config)}
    assert dry == recorded


def test_after_a_request_a_colleagues_new_rejection_is_not_taken_for_an_answer(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mail from the company outside the thread that neither names nor gives feedback is
    judged on its own: a rejection for another job gets its own request, a list mail
    from the company's robot is no answer."""
    user: MailUser = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch, policy='wait = "1h"')
    subject, body = REJECTIONS["en"]
    with running(config):
        idle(config)
        dovecot.append(user, mail(subject, body, "<rej@lindqvist.example>", sender=RECRUITER))
        wait_for(lambda: actions(config), "the request to be scheduled")
    with Ledger(config.state_path) as state:  # as if the hour had passed and it was drafted
        [action] = state.pending_actions()
        state.transition(action, "drafting", from_=("scheduled",))
        state.transition(action, "drafted", from_=("drafting",))
    other_job = mail(
        "Re: Your application for Backend Developer",
        "Dear Alex,\n\nThank you for applying for the Backend Developer role. Unfortunately "
        "we have decided not to move forward with your application.\n\nBest,\nKim Adeyemi",
        "<rej-2@lindqvist.example>",
        sender=MANAGER,
    )
    alert = mail(
        "New jobs at Lindqvist",
        "Hi Alex, three new roles match your profile: Data Analyst, QA Engineer, SRE.",
        "<alert@lindqvist.example>",
        sender=("Lindqvist Careers", "noreply@lindqvist.example"),
    )
    with running(config):
        idle(config)
        dovecot.append(user, other_job)
        dovecot.append(user, b"List-Id: <jobs.lindqvist.example>\r\n" + alert)
        wait_for(lambda: len(rows(config)) == 3, "both mails")
    outcomes = {r["message_id"]: (r["label"], r["answer"], r["outcome"]) for r in rows(config)}
    label, answer, outcome = outcomes["<rej-2@lindqvist.example>"]
    assert (label, answer) == ("rejection", None)
    assert outcome.startswith("feedback request due")
    assert outcomes["<alert@lindqvist.example>"][1] is None
    requests = [a for a in actions(config) if a["kind"] == "request"]
    assert sorted(a["to_email"] for a in requests) == [MANAGER[1], RECRUITER[1]]
