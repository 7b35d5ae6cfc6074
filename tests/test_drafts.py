"""The message we append or send: headers, threading, and nothing a sender can inject."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from classifiers import classify
from daemon.cli import main
from daemon.config import Identity
from daemon.ledger import SCHEDULED, Action
from daemon.mail.compose import MAX_REFERENCES, compose, recipient, thread_headers

from .support import build_mail

NOW = datetime(2026, 11, 22, 10, 30, tzinfo=UTC)
ME = Identity("Alex Candidate", "alex.candidate@example.net")


def action(**changes: Any) -> Action:
    fields: dict[str, Any] = {
        "id": 1,
        "kind": "request",
        "contact_key": "jordan.reyes@northwind.example",
        "account": "main",
        "source_id": 1,
        "to_email": "jordan.reyes@northwind.example",
        "to_name": "Jordan Reyes",
        "language": "en",
        "template": "feedback_request",
        "rule": None,
        "message_id": "<debriefer.1@example.net>",
        "state": SCHEDULED,
        "due_at": NOW,
        "expires_at": NOW,
        "folder": None,
        "detail": "",
        "attempts": 0,
    }
    fields.update(changes)
    return Action(**fields)


def source(**changes: Any) -> dict[str, Any]:
    row = {
        "message_id": "<rej-1@northwind.example>",
        "refs": "",
        "subject": "Your application for Data Engineer",
        "company": "Northwind",
        "job_title": "Data Engineer",
        "received_at": "2026-11-20T09:00:00+00:00",
    }
    row.update(changes)
    return row


def parsed(raw: bytes) -> email.message.EmailMessage:
    """As a mail client reads it, with the wire's CRLF line ends turned into newlines."""
    return email.message_from_bytes(raw.replace(b"\r\n", b"\n"), policy=email.policy.default)  # type: ignore[return-value]


def test_a_request_is_threaded_addressed_and_signed() -> None:
    message = parsed(compose(action(), source(), ME, now=NOW, templates_dir=None).as_bytes())
    assert message["Message-ID"] == "<debriefer.1@example.net>"
    assert message["From"] == "Alex Candidate <alex.candidate@example.net>"
    assert message["To"] == "Jordan Reyes <jordan.reyes@northwind.example>"
    assert message["Subject"] == "Re: Your application for Data Engineer"
    assert message["In-Reply-To"] == "<rej-1@northwind.example>"
    assert message["References"] == "<rej-1@northwind.example>"
    assert message["Date"] == "Sun, 22 Nov 2026 10:30:00 +0000"
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    body = message.get_content()
    assert body.startswith("Dear Jordan Reyes,\n")
    assert "Data Engineer" in body
    assert "Northwind" in body


def test_a_german_rejection_gets_a_german_draft() -> None:
    message = compose(action(language="de"), source(), ME, now=NOW, templates_dir=None)
    body = parsed(message.as_bytes()).get_content()
    assert body.startswith("Guten Tag Jordan Reyes,")
    assert "Mit freundlichen Grüßen" in body


def test_references_continue_the_thread_and_stay_short() -> None:
    chain = " ".join(f"<r{i}@x.example>" for i in range(40))
    in_reply_to, references = thread_headers(source(refs=f"{chain} <r39@x.example>"))
    assert in_reply_to == "<rej-1@northwind.example>"
    assert references is not None
    ids = references.split()
    assert len(ids) == MAX_REFERENCES
    assert ids[0] == "<r0@x.example>"  # the thread's root is kept
    assert ids[-2:] == ["<r39@x.example>", "<rej-1@northwind.example>"]
    assert thread_headers(source(message_id=None)) == (None, None)


LONG_ID = (
    "<" + "AM0PR07MB" + "1" * 40 + "." + "e" * 20 + "@AM0PR07MB1234.eurprd07.prod.outlook.com>"
)


def test_long_message_ids_are_written_verbatim_and_folded_only_between_ids() -> None:
    """Outlook's ids run past a line; an encoded msg-id would thread nowhere."""
    assert len(LONG_ID) >= 100
    refs = " ".join(f"<r{i}-{'x' * 30}@x.example>" for i in range(5))
    raw = compose(
        action(), source(message_id=LONG_ID, refs=refs), ME, now=NOW, templates_dir=None
    ).as_bytes()
    head = raw.split(b"\r\n\r\n")[0].decode("ascii")
    assert f"\r\nIn-Reply-To: {LONG_ID}\r\n" in head
    references = head[head.index("References:") :].split("\r\n")
    written = [references[0], *(line for line in references[1:] if line.startswith(" "))]
    assert " ".join(written).split()[1:] == [*refs.split(), LONG_ID]  # whole, unencoded
    assert all(len(line) <= 998 for line in head.split("\r\n"))
    message = parsed(raw)
    assert message["In-Reply-To"] == LONG_ID
    assert message["References"].split() == [*refs.split(), LONG_ID]


@pytest.mark.parametrize(
    ("email_address", "expected"),
    [
        ("no-reply@greenhouse.example", None),
        ("", None),
        ("jordan reyes@northwind.example", None),
        ("jordan@northwind.example\r\nBcc: evil@attacker.example", None),
        ("jordan@northwind.example", "Jordan Reyes <jordan@northwind.example>"),
    ],
)
def test_only_a_person_becomes_the_recipient(email_address: str, expected: str | None) -> None:
    found = recipient(action(to_email=email_address))
    assert (str(found) if found else None) == expected


def test_without_a_contact_the_draft_has_no_recipient_and_a_neutral_greeting() -> None:
    message = parsed(
        compose(
            action(to_email=None, to_name=None), source(), ME, now=NOW, templates_dir=None
        ).as_bytes()
    )
    assert "To" not in message
    assert message.get_content().startswith("Dear Hiring Team,")


INJECTIONS = [
    "Jordan\r\nBcc: evil@attacker.example",
    "Jordan\nBcc: evil@attacker.example",
    "Jordan\rBcc: evil@attacker.example",
    "=?utf-8?q?Jordan=0D=0ABcc:_evil@attacker.example?=",
    "Jordan\u2028Bcc: evil@attacker.example",
    "Jordan\x00\x0bBcc: evil@attacker.example",
]


@pytest.mark.parametrize("hostile", INJECTIONS)
def test_names_and_subjects_from_mail_never_add_a_header(hostile: str) -> None:
    message = compose(
        action(to_name=hostile),
        source(subject=f"Your application {hostile}", company=hostile, job_title=hostile),
        ME,
        now=NOW,
        templates_dir=None,
    )
    raw = message.as_bytes()
    head = raw.split(b"\r\n\r\n", 1)[0]
    names = [
        line.split(b":", 1)[0].lower() for line in head.split(b"\r\n") if line[:1] not in b" \t"
    ]
    assert b"bcc" not in names
    assert sorted(names) == sorted(
        {
            b"message-id",
            b"date",
            b"from",
            b"to",
            b"subject",
            b"in-reply-to",
            b"references",
            b"content-type",
            b"content-transfer-encoding",
            b"mime-version",
        }
    )
    again = parsed(raw)
    assert "\n" not in again["Subject"]
    assert again["Bcc"] is None


def test_a_user_template_overrides_and_a_rule_template_falls_back(tmp_path: Path) -> None:
    (tmp_path / "feedback_request.txt.j2").write_text(
        "Subject: A short note\n\nHi {{ contact_name or 'there' }}, any feedback? {{ identity.name }}\n",
        encoding="utf-8",
    )
    mine = parsed(compose(action(), source(), ME, now=NOW, templates_dir=tmp_path).as_bytes())
    assert mine["Subject"] == "A short note"
    assert mine.get_content() == "Hi Jordan Reyes, any feedback? Alex Candidate\n"
    (tmp_path / "detailed.de.txt.j2").write_text(
        "Subject: Nur Deutsch\n\nHallo\n", encoding="utf-8"
    )
    french = compose(
        action(template="detailed", language="fr"), source(), ME, now=NOW, templates_dir=tmp_path
    )
    assert french["Subject"] == "A short note"  # the rule's template has no French: the default


def test_run_refuses_a_rule_template_that_does_not_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found at start, with the rule named, not days later when the draft is due."""
    monkeypatch.setenv("DEBRIEFER_TEST_PASSWORD", "x")
    config = tmp_path / "config.toml"
    config.write_text(
        '[identity]\nname = "A"\nemail = "a@example.net"\n'
        '[[accounts]]\nhost = "127.0.0.1"\nsecurity = "none"\nusername = "a"\n'
        'password_env = "DEBRIEFER_TEST_PASSWORD"\n'
        f'[state]\npath = "{tmp_path / "state.db"}"\n'
        '[[rules]]\nname = "detailed"\nmatch = { company = "Acme" }\n'
        'template = "feedback_request_detailed"\n',
        encoding="utf-8",
    )
    assert main(["run", "--config", str(config)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("debriefer: rules[0] (detailed).template: template ")
    assert "feedback_request_detailed" in error
    assert not (tmp_path / "state.db").exists()


@pytest.mark.parametrize(
    ("language", "subject", "body", "greeting", "word"),
    [
        (
            "de",
            "Deine Bewerbung",
            "Hallo Alex, leider haben wir uns gegen dich entschieden.",
            "Hallo Jordan,",
            "deine",
        ),
        (
            "fr",
            "Ta candidature",
            "Salut Alex, malheureusement nous ne retenons pas ta candidature.",
            "Bonjour Jordan,",
            "ta décision",
        ),
        (
            "es",
            "Tu candidatura",
            "Hola Alex: lamentablemente no seguiremos con tu candidatura.",
            "Hola, Jordan:",
            "tu decisión",
        ),
        (
            "nl",
            "Je sollicitatie",
            "Hoi Alex, helaas gaan we niet verder met jouw sollicitatie.",
            "Hoi Jordan,",
            "je besluit",
        ),
        (
            "it",
            "La tua candidatura",
            "Ciao Alex, purtroppo non proseguiremo con la tua candidatura. Ti auguriamo il meglio.",
            "Ciao Jordan,",
            "tua decisione",
        ),
        (
            "en",
            "Your application",
            "Hi Alex, unfortunately we will not move forward with your application.",
            "Hi Jordan,",
            "Thanks for letting me know",
        ),
    ],
)
def test_a_familiar_rejection_gets_a_familiar_request_by_first_name(
    language: str, subject: str, body: str, greeting: str, word: str
) -> None:
    """Du, tu, tú, je, tu, "Hi Alex": the draft answers in kind, by the contact's first name."""
    verdict = classify(build_mail(subject, body))
    assert (verdict.language, verdict.extraction.familiar) == (language, True)
    draft = compose(
        action(language=language), source(familiar=True), ME, now=NOW, templates_dir=None
    ).get_content()
    assert draft.startswith(greeting + "\n")
    assert word in draft


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Ihre Bewerbung", "Sehr geehrte Damen und Herren, leider müssen wir Ihnen absagen."),
        (
            "Votre candidature",
            "Madame, Monsieur, nous ne pouvons pas donner suite à votre candidature.",
        ),
        ("Uw sollicitatie", "Geachte heer/mevrouw, helaas kunnen wij u niet uitnodigen."),
        (
            "Your application",
            "Dear Alex, unfortunately we will not move forward with your application.",
        ),
    ],
)
def test_a_polite_rejection_keeps_the_polite_form(subject: str, body: str) -> None:
    assert classify(build_mail(subject, body)).extraction.familiar is False


@pytest.mark.parametrize(
    "addressee",
    [
        {"to_email": None, "to_name": None},  # nobody to name
        {"to_name": "J. Penhaligon"},  # an initial is no first name: "Hallo J.," is no greeting
    ],
)
def test_a_familiar_draft_without_a_first_name_greets_without_guessing_one(
    addressee: dict[str, str | None],
) -> None:
    draft = compose(
        action(language="de", **addressee),
        source(familiar=True),
        ME,
        now=NOW,
        templates_dir=None,
    ).get_content()
    assert draft.startswith("Hallo,\n")


def test_a_signature_of_several_lines_signs_the_draft() -> None:
    me = Identity("Alex Candidate", "alex.candidate@example.net", "Alex Candidate\n+49 30 1234567")
    for language in ("en", "de", "fr", "es", "nl", "it", "pt"):
        for kind, template in (("request", "feedback_request"), ("thank_you", "thank_you")):
            draft = compose(
                action(language=language, kind=kind, template=template),
                source(),
                me,
                now=NOW,
                templates_dir=None,
            ).get_content()
            assert draft.rstrip().endswith("\nAlex Candidate\n+49 30 1234567"), (language, kind)
