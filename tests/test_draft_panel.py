"""The panel of drafts: every shipped template, rendered for real fixture mail, in one file.

``golden/drafts.txt`` holds the request for each fixture rejection and the
thank-you for each fixture feedback reply, in every language, exactly as the
recruiter would read them.  A change in wording or in what is extracted shows
in review as a diff of that file.  After an intended change:

    DEBRIEFER_UPDATE_PANEL=1 .venv/bin/python -m pytest tests/test_draft_panel.py
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

from classifiers import classify, from_bytes
from classifiers.history import History
from daemon.config import Identity
from daemon.ledger import SCHEDULED, Action
from daemon.mail.compose import compose

from .support import build_mail

HERE = Path(__file__).parent
PANEL = HERE / "golden" / "drafts.txt"
FIXTURES = HERE / "fixtures" / "mail"
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
ME = Identity(name="Alex Candidate", email="alex.candidate@example.net")
# Italian and Portuguese have templates but no fixture mail: one rejection each.
MORE = {
    "it/rejection__dopo-colloquio.eml": build_mail(
        "Esito della selezione - Analista dati",
        "Gentile Alex, la ringraziamo per il colloquio. Dopo un'attenta valutazione abbiamo "
        "deciso di proseguire con un altro profilo. Cordiali saluti, Giulia Ferri, Selezione "
        "del personale",
        sender=("Giulia Ferri", "giulia.ferri@lattebianco.example"),
    ),
    "pt/rejection__apos-entrevista.eml": build_mail(
        "Processo seletivo - Analista de Dados",
        "Olá Alex, obrigado pela entrevista. Depois de analisar o seu perfil, optámos por "
        "seguir com outra candidatura. Com os melhores cumprimentos, Rita Sousa",
        sender=("Rita Sousa", "rita.sousa@marinha-software.example"),
    ),
}


def _mails() -> list[tuple[str, bytes]]:
    found = [
        (str(path.relative_to(FIXTURES)), path.read_bytes())
        for path in FIXTURES.glob("*/*.eml")
        if path.name.startswith(("rejection__", "feedback_reply__"))
    ]
    return sorted([*found, *MORE.items()])


# What the mailbox may add (daemon/mail/lookback.py): an interview, with someone other than the
# contact, or the application alone.
HISTORIES = {
    "an interview on 12 November with Sam Okafor": History(
        interviewed=True, interview_date=date(2026, 11, 12), interviewer="Sam Okafor"
    ),
    "the application alone": History(interviewed=False),
}


def _draft(name: str, raw: bytes, history: History | None = None) -> str:
    view = from_bytes(raw)
    verdict = classify(view)
    # By what the mail is, not by the verdict: a missed rejection still shows its request.
    kind = "request" if "/rejection__" in name else "thank_you"
    action = Action(
        id=1,
        kind=kind,
        contact_key="panel",
        account="main",
        source_id=1,
        to_email=verdict.contact_email,
        to_name=verdict.contact_name,
        language=verdict.language,
        template="feedback_request" if kind == "request" else "thank_you",
        rule=None,
        message_id="<panel@example.net>",
        state=SCHEDULED,
        due_at=NOW,
        expires_at=NOW,
        folder=None,
        detail="",
        attempts=0,
    )
    source = {
        "message_id": view.header("message-id") or None,
        "refs": "",
        "subject": view.subject,
        "company": verdict.company,
        "job_title": verdict.job_title,
        "familiar": verdict.extraction.familiar,
        "received_at": "2026-11-20T09:00:00+00:00",
        "history": history,
    }
    message = compose(action, source, ME, now=NOW, templates_dir=None)
    return (
        f"=== {name} ({verdict.label.value}, {verdict.language})\n"
        f"To: {message['To'] or '(nobody found)'}\n"
        f"Subject: {message['Subject']}\n\n"
        f"{message.get_content().strip()}\n"
    )


def panel() -> str:
    drafts = [_draft(name, raw) for name, raw in _mails()]
    # One rejection per language again, as the earlier thread in the mailbox changes it.
    first: dict[str, tuple[str, bytes]] = {}
    for name, raw in _mails():
        if "/rejection__" in name:
            first.setdefault(name.split("/")[0], (name, raw))
    for name, raw in first.values():
        for what, history in HISTORIES.items():
            drafts.append(_draft(f"{name}, after {what}", raw, history))
    return "\n".join(drafts)


def test_every_draft_reads_as_the_panel_shows() -> None:
    """The rendered drafts are the reviewed ones; an intended change rewrites the panel."""
    text = panel()
    if os.environ.get("DEBRIEFER_UPDATE_PANEL"):
        PANEL.parent.mkdir(exist_ok=True)
        PANEL.write_text(text, encoding="utf-8")
    assert PANEL.read_text(encoding="utf-8") == text


def test_the_panel_covers_every_language_and_both_drafts() -> None:
    heads = [
        line for line in PANEL.read_text(encoding="utf-8").splitlines() if line.startswith("=== ")
    ]
    languages = {line.rsplit(", ", 1)[1].rstrip(")") for line in heads}
    assert languages >= {"en", "de", "fr", "es", "nl", "it", "pt"}
    assert any("(rejection," in line for line in heads)
    assert any("(feedback_reply," in line for line in heads)
