"""Helpers that more than one test module uses, in one place.

Test modules import from here (``from .support import ...``; ``from tests.support import
...`` in tests/faults, where ruff's TID252 forbids ``..``), never from each other: a test module holds tests and what only it
needs.  conftest.py keeps the pytest fixtures and hooks and imports what they need from
here.  tests/faults/support.py is the fault suite's own kit (the daemon as a real
process, many contacts); it builds on this module.

What lives here:

- mail: ``USER``, ``build_mail``, ``CONTACT``, ``REJECTION_BODY``, ``rejection``,
  ``ordinary``, and the language ``CASES`` that test_classify_languages and test_lexicon
  both read;
- the command line: ``REPO``, ``run_debriefer``;
- config files for a real Dovecot: ``write_accounts_config`` (one account per user,
  written, not loaded), ``one_account_config`` and ``one_account_smtp_config`` (one
  account and a short wait, loaded);
- the daemon on a thread and waiting on it: ``WAIT``, ``wait_for``, ``running``,
  ``idle``, ``account_state``, ``settle``, ``done``, ``schedule_one``;
- reading back what it did: ``rows``, ``subjects``, ``actions``, ``folder_messages``,
  ``drafts``.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path
from typing import Any

import pytest
from imapclient.imapclient import DRAFTS

from classifiers import Label
from daemon.config import Config, load_config
from daemon.ledger import Ledger, SeenMessage, StateError
from daemon.running.clock import Clock
from daemon.running.supervisor import LOGIN_PAUSE, Daemon
from decide.plan import NewAction, Plan, contact_key

from .servers.dovecot import Dovecot, MailUser
from .servers.smtp import SmtpServer

USER = "alex.candidate@example.net"
REPO = Path(__file__).resolve().parents[1]
WAIT = 20.0  # seconds: a ceiling for slow CI machines, not an expectation
SETTLE = 1.5  # seconds: several outbox wake-ups at a one-second wait

MakeMail = Callable[..., bytes]

# -- mail -----------------------------------------------------------------------

CONTACT = ("Jordan Reyes", "jordan.reyes@northwind.example")
REJECTION_BODY = (
    "Dear Alex,\n\nThank you for your interest in the Data Engineer role at Northwind.\n"
    "Unfortunately we have decided not to move forward with your application.\n\n"
    "Best regards,\nJordan Reyes\nTalent Acquisition, Northwind"
)


def build_mail(
    subject: str,
    body: str,
    *,
    sender: tuple[str, str] = CONTACT,
    html: str | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    """A message as a mail client sends it, to ``USER``, Message-ID <test-1@northwind.example>."""
    message = EmailMessage()
    message["From"] = formataddr(sender)
    message["To"] = formataddr(("Alex Candidate", USER))
    message["Subject"] = subject
    message["Message-ID"] = "<test-1@northwind.example>"
    for name, value in (headers or {}).items():
        message[name] = value
    if body:
        message.set_content(body)
    if html is not None:
        if body:
            message.add_alternative(html, subtype="html")
        else:
            message.set_content(html, subtype="html")
    return message.as_bytes()


def rejection(n: int, sender: tuple[str, str] = CONTACT, subject: str = "") -> bytes:
    """Rejection number ``n`` (Message-ID <rej-n@northwind.example>) from ``sender``."""
    raw = build_mail(subject or f"Your application ({n})", REJECTION_BODY, sender=sender)
    return raw.replace(b"<test-1@northwind.example>", f"<rej-{n}@northwind.example>".encode())


def ordinary(n: int) -> bytes:
    """Mail number ``n`` that is no rejection, from the same sender."""
    raw = build_mail(f"Lunch on Friday? ({n})", "Shall we meet at noon at the usual place?")
    return raw.replace(b"<test-1@northwind.example>", f"<other-{n}@friends.example>".encode())


# -- the command line -----------------------------------------------------------


def run_debriefer(
    *args: str, timeout: float, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``debriefer ARGS`` as a user runs it, in its own process, from the checkout."""
    return subprocess.run(
        [sys.executable, "-m", "daemon", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=timeout,
        check=False,
    )


# -- config files for a real Dovecot ---------------------------------------------


def write_accounts_config(
    tmp_path: Path,
    dovecot: Dovecot,
    users: list[MailUser],
    monkeypatch: pytest.MonkeyPatch,
    *,
    extra_account: str = "",
    security: str = "none",
) -> Path:
    """A real config file watching one account per user ("acct0", "acct1", ...), passwords
    passed through the environment, the default policy; returns its path, not loaded."""
    accounts = []
    for index, user in enumerate(users):
        variable = f"DEBRIEFER_TEST_PASSWORD_{index}"
        monkeypatch.setenv(variable, user.password)
        port = dovecot.imaps_port if security == "tls" else dovecot.imap_port
        ca = f'ca_file = "{dovecot.ca_file}"\n' if security != "none" else ""
        accounts.append(
            f'[[accounts]]\nname = "acct{index}"\nhost = "127.0.0.1"\nport = {port}\n'
            f'security = "{security}"\nusername = "{user.name}"\npassword_env = "{variable}"\n' + ca
        )
    text = (
        '[identity]\nname = "Alex Candidate"\nemail = "alex.candidate@example.net"\n\n'
        + "\n".join(accounts)
        + extra_account
        + f'\n[policy]\nlookback = "30d"\n\n[state]\npath = "{tmp_path / "state.db"}"\n'
    )
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def one_account_config(
    tmp_path: Path,
    dovecot: Dovecot,
    user: MailUser,
    monkeypatch: pytest.MonkeyPatch,
    *,
    policy: str = 'wait = "1s"',
    extra: str = "",
) -> Config:
    """One account ("acct0") with ``policy`` (a one-second wait unless given) and
    ``extra`` appended, written to tmp_path/config.toml and loaded."""
    monkeypatch.setenv("DEBRIEFER_TEST_PASSWORD", user.password)
    text = (
        f'[identity]\nname = "Alex Candidate"\nemail = "{USER}"\n\n'
        f'[[accounts]]\nname = "acct0"\nhost = "127.0.0.1"\nport = {dovecot.imap_port}\n'
        f'security = "none"\nusername = "{user.name}"\npassword_env = "DEBRIEFER_TEST_PASSWORD"\n\n'
        f'[policy]\nlookback = "30d"\n{policy}\n\n'
        f'[state]\npath = "{tmp_path / "state.db"}"\n{extra}'
    )
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def one_account_smtp_config(
    tmp_path: Path,
    dovecot: Dovecot,
    user: MailUser,
    smtp: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    policy: str = 'wait = "1s"\nmode = "send"',
) -> Config:
    """``one_account_config`` with an [smtp] section for ``smtp``: send mode, unless
    ``policy`` says otherwise."""
    monkeypatch.setenv("DEBRIEFER_TEST_SMTP_PASSWORD", smtp.password)
    host = "127.0.0.1" if smtp.mode == "none" else "localhost"
    extra = (
        f'\n[smtp]\nhost = "{host}"\nport = {smtp.port}\nsecurity = "{smtp.mode}"\n'
        f'username = "{smtp.username}"\npassword_env = "DEBRIEFER_TEST_SMTP_PASSWORD"\n'
        + (f'ca_file = "{smtp.ca_file}"\n' if smtp.mode != "none" else "")
    )
    return one_account_config(tmp_path, dovecot, user, monkeypatch, policy=policy, extra=extra)


# -- ledger rows without a mailbox ------------------------------------------------


def seen_from(uid: int, fingerprint: str) -> SeenMessage:
    """A message as the watcher would hand it to the ledger, with only what keys it."""
    return SeenMessage("main", "INBOX", 7, uid, fingerprint, fingerprint, "s", "x@y.z", None)


def planned(
    contact: str | None,
    *,
    kind: str = "request",
    fingerprint: str = "f",
    outcome: str = "planned",
) -> Plan:
    """A plan with one action for ``contact``, due two days after a fixed rejection."""
    received = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    key = f"reply:{fingerprint}" if kind == "thank_you" else contact_key(contact, fingerprint)
    action = NewAction(
        kind=kind,
        contact_key=key,
        to_email=contact,
        to_name=None,
        due_at=received + timedelta(days=2),
        expires_at=received + timedelta(days=7),
        template="feedback_request",
        rule=None,
        language="en",
        message_id=f"<debriefer.{kind}.{fingerprint}@example.net>",
    )
    return Plan(outcome, action)


# -- the daemon on a thread, and waiting on it -----------------------------------


def wait_for(condition: Callable[[], Any], what: str, timeout: float = WAIT) -> Any:
    """Poll ``condition`` until it is truthy and return it; fail the test after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


class ManualClock(Clock):
    """The daemon's clock in a test: the system's time, plus whatever time the test let
    pass.  Tests of due times, windows and expiry move it on instead of sleeping."""

    def __init__(self, ahead: timedelta = timedelta(0)) -> None:
        super().__init__()
        self.ahead = ahead

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.ahead

    def advance(self, by: timedelta) -> None:
        self.ahead += by
        self.jumped()

    def advance_to(self, moment: datetime) -> None:
        self.advance(max(moment - self(), timedelta(0)))


@contextmanager
def running(
    config: Config,
    *,
    backoff_base: float = 0.2,
    login_pause: float = LOGIN_PAUSE,
    clock: ManualClock | None = None,
) -> Iterator[Daemon]:
    """The daemon on a background thread, stopped (and joined) at the end.  Its clock is a
    ``ManualClock`` (``daemon.clock``): time passes as usual unless the test moves it."""
    state = Ledger(config.state_path)
    daemon = Daemon(
        config,
        state,
        backoff_base=backoff_base,
        login_pause=login_pause,
        clock=clock or ManualClock(),
    )
    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(daemon.run())
        except BaseException as exc:  # surfaced in the test below
            errors.append(exc)

    thread = threading.Thread(target=target, name="daemon")
    thread.start()
    try:
        yield daemon
    finally:
        daemon.request_stop()
        thread.join(timeout=WAIT)
        state.close()
    assert not thread.is_alive(), "the daemon did not stop"
    assert not errors, errors


def account_state(config: Config, name: str) -> str | None:
    """The account's state as status shows it ("idle", "reconnecting", ...); None before
    there is one."""
    if not config.state_path.exists():
        return None
    try:
        with Ledger(config.state_path, read_only=True) as state:
            return state.account_statuses().get(name, {}).get("state")
    except StateError:  # a daemon in another process is creating it right now
        return None


def idle(config: Config, name: str = "acct0") -> None:
    """Wait until the account ``name`` idles: its first scan is done."""
    wait_for(lambda: account_state(config, name) == "idle", f"{name} to idle")


def settle() -> None:
    """Give a running daemon the chance to do something wrong before we count."""
    time.sleep(SETTLE)


def done(config: Config, count: int = 1) -> list[dict]:
    """Wait until ``count`` actions are no longer pending; returns them all."""
    return wait_for(
        lambda: (
            (found := actions(config))
            and sum(a["state"] not in ("scheduled", "drafting", "sending") for a in found) >= count
            and found
        ),
        f"{count} finished action(s)",
    )


def schedule_one(config: Config, dovecot: Dovecot, user: MailUser) -> dict:
    """Run the daemon until one rejection has its request scheduled, then stop it."""
    with running(config):
        idle(config)
        dovecot.append(user, rejection(1))
        [action] = wait_for(lambda: actions(config), "the request to be scheduled")
    return action


# -- reading back what it did ----------------------------------------------------


def rows(config: Config) -> list[dict]:
    """The messages the state records; [] before the state file exists."""
    if not config.state_path.exists():
        return []
    with Ledger(config.state_path, read_only=True) as state:
        return state.messages()


def subjects(config: Config) -> list[str]:
    """The subjects of the recorded messages, sorted."""
    return sorted(r["subject"] for r in rows(config))


def actions(config: Config) -> list[dict]:
    """The requests and thank-yous the state records; [] before the state file exists."""
    if not config.state_path.exists():
        return []
    with Ledger(config.state_path, read_only=True) as state:
        return state.actions()


def folder_messages(
    dovecot: Dovecot, user: MailUser, flag: bytes
) -> list[tuple[tuple, EmailMessage]]:
    """(flags, parsed message) of everything in the folder SPECIAL-USE marks with ``flag``."""
    with dovecot.client(user) as client:
        folder = client.find_special_folder(flag)
        client.select_folder(folder, readonly=True)
        uids = client.search("ALL")
        fetched = client.fetch(uids, ["FLAGS", "BODY.PEEK[]"]) if uids else {}
    parse = email.message_from_bytes
    return [
        (fetched[uid][b"FLAGS"], parse(fetched[uid][b"BODY[]"], policy=email.policy.default))
        for uid in sorted(fetched)
    ]


def drafts(dovecot: Dovecot, user: MailUser) -> list[EmailMessage]:
    """The parsed messages in the user's Drafts folder."""
    return [message for _, message in folder_messages(dovecot, user, DRAFTS)]


# -- rejections and near-misses in five languages --------------------------------
# Read by test_classify_languages (the labels) and test_lexicon (the phrase index).

REJ, OTHER = Label.REJECTION, Label.OTHER

CASES = [
    # English
    (
        "en",
        REJ,
        "before interview",
        "Your application to Harbor Labs",
        "Hi Alex,\nThanks for applying. After reviewing your background we have decided to move "
        "forward with other applicants for the QA Engineer role.\nAll the best,\nHarbor Labs",
    ),
    (
        "en",
        REJ,
        "after interview",
        "Following up on your interviews",
        "Hi Alex, thank you for meeting the team last week. It was a close call, but we've chosen "
        "another candidate whose experience more closely matches what we need right now.",
    ),
    (
        "en",
        REJ,
        "position filled",
        "Data Analyst opening",
        "Hello Alex, we wanted to let you know the Data Analyst position has been filled. "
        "We will keep your resume on file for future openings.",
    ),
    (
        "en",
        REJ,
        "hiring freeze",
        "An update on the Platform Engineer search",
        "Hi Alex, due to budget changes we have put a hiring freeze in place and closed the "
        "Platform Engineer requisition. We're sorry to bring this news.",
    ),
    (
        "en",
        REJ,
        "unsuccessful",
        "Application outcome",
        "Dear Alex, we regret to inform you that your application has been unsuccessful on this "
        "occasion. Kind regards, Talent Team",
    ),
    (
        "en",
        OTHER,
        "acknowledgement with if-not-selected",
        "We received your application",
        "Hi Alex, thanks for applying! Our team will review your application. If you are not "
        "selected for an interview, we will keep your resume on file.",
    ),
    (
        "en",
        OTHER,
        "assessment invitation",
        "Next step: online assessment",
        "Hi Alex, thanks for your application. Please complete the online assessment within five "
        "days so we can move you to the next stage.",
    ),
    (
        "en",
        OTHER,
        "rescheduling",
        "Our call tomorrow",
        "Hi Alex, unfortunately I need to move our call tomorrow. Does Friday at 10 work for the "
        "interview instead?",
    ),
    (
        "en",
        OTHER,
        "outreach",
        "Senior role at a fintech",
        "Hi Alex, I came across your profile and would you be open to a quick chat about a new "
        "position? Best, Sam, recruiter at TalentBridge",
    ),
    (
        "en",
        OTHER,
        "event cancellation",
        "Concert cancelled",
        "Unfortunately the concert on Saturday has been cancelled. We regret the inconvenience; "
        "refunds are on their way.",
    ),
    (
        "en",
        OTHER,
        "bank notice",
        "Card payment declined",
        "We regret that a payment with your card was declined. Please check your balance.",
    ),
    # German
    (
        "de",
        REJ,
        "other candidate",
        "Ihre Bewerbung bei Nordlicht",
        "Sehr geehrter Herr Candidate,\nnach sorgfältiger Prüfung haben wir uns für einen anderen "
        "Bewerber entschieden, dessen Profil besser zu unseren Anforderungen passt.\n"
        "Mit freundlichen Grüßen\nSabine Keller",
    ),
    (
        "de",
        REJ,
        "filled, verb first",
        "Update zu deiner Bewerbung",
        "Hallo Alex, leider ist die Stelle inzwischen besetzt. Viel Erfolg bei der weiteren Suche!",
    ),
    (
        "de",
        REJ,
        "not considered",
        "Ihre Bewerbung als Controller",
        "Guten Tag, wir bedauern, Ihnen mitteilen zu müssen, dass wir Ihre Bewerbung nicht "
        "berücksichtigen können. Ihre Unterlagen werden wir gemäß DSGVO löschen.",
    ),
    (
        "de",
        OTHER,
        "acknowledgement",
        "Eingangsbestätigung",
        "Ihre Bewerbung ist bei uns eingegangen. Sollten wir Sie nicht berücksichtigen können, "
        "erhalten Sie eine kurze Nachricht.",
    ),
    (
        "de",
        OTHER,
        "interview",
        "Einladung zum Vorstellungsgespräch",
        "Hallo Alex, wir möchten dich gerne zu einem Vorstellungsgespräch einladen. Bitte nenne "
        "uns deine Verfügbarkeit.",
    ),
    (
        "de",
        OTHER,
        "shop delay",
        "Ihre Bestellung",
        "Leider verzögert sich die Lieferung Ihrer Bestellung. Wir bitten um Entschuldigung.",
    ),
    # French
    (
        "fr",
        REJ,
        "not retained",
        "Votre candidature au poste de Chef de projet",
        "Bonjour, après une étude attentive de votre dossier, nous sommes au regret de vous "
        "informer que votre candidature n'a pas été retenue. Cordialement",
    ),
    (
        "fr",
        REJ,
        "other candidate",
        "Suite à votre entretien",
        "Bonjour, malheureusement nous avons choisi de poursuivre avec un autre candidat. Nous "
        "conservons votre CV dans notre vivier.",
    ),
    (
        "fr",
        REJ,
        "filled",
        "Offre Développeur Java",
        "Bonjour, le poste a été pourvu. Nous vous souhaitons une bonne continuation.",
    ),
    (
        "fr",
        OTHER,
        "acknowledgement",
        "Accusé de réception",
        "Nous avons bien reçu votre candidature. Sans réponse de notre part sous trois semaines, "
        "considérez que votre candidature n'a pas été retenue.",
    ),
    (
        "fr",
        OTHER,
        "rescheduling",
        "Report de notre échange",
        "Bonjour, malheureusement je dois décaler notre entretien de demain. Jeudi vous irait ?",
    ),
    # Spanish
    (
        "es",
        REJ,
        "other candidates",
        "Tu candidatura para Desarrollador Backend",
        "Hola Alex, lamentablemente hemos decidido continuar con otros candidatos cuyo perfil se "
        "ajusta más a lo que buscamos. Guardaremos tu CV para futuras oportunidades.",
    ),
    (
        "es",
        REJ,
        "filled",
        "Actualización del proceso",
        "Estimado Alex: le informamos que la vacante ya ha sido cubierta. Le deseamos mucho éxito.",
    ),
    (
        "es",
        REJ,
        "not selected",
        "Proceso de selección",
        "Hola, tras revisar tu perfil, tu candidatura no ha sido seleccionada para la siguiente "
        "fase. Gracias por tu interés.",
    ),
    (
        "es",
        OTHER,
        "interview",
        "Convocatoria a entrevista",
        "Hola Alex, nos gustaría invitarte a una entrevista la próxima semana. ¿Nos indicas tu "
        "disponibilidad? Saludos",
    ),
    (
        "es",
        OTHER,
        "acknowledgement",
        "Hemos recibido tu candidatura",
        "Hola, hemos recibido tu candidatura. En caso de no ser seleccionado, te avisaremos.",
    ),
    # Dutch
    (
        "nl",
        REJ,
        "not continuing",
        "Je sollicitatie als Data Engineer",
        "Beste Alex, helaas hebben we besloten om niet verder te gaan met je sollicitatie. We "
        "wensen je veel succes.",
    ),
    (
        "nl",
        REJ,
        "filled",
        "Update vacature",
        "Beste Alex, de vacature is inmiddels ingevuld. Wij bewaren je cv in onze talentpool.",
    ),
    (
        "nl",
        REJ,
        "other candidate",
        "Terugkoppeling sollicitatie",
        "Beste Alex, we hebben gekozen voor een andere kandidaat die beter aansluit bij het profiel.",
    ),
    (
        "nl",
        OTHER,
        "interview",
        "Uitnodiging kennismakingsgesprek",
        "Beste Alex, graag nodigen we je uit voor een kennismakingsgesprek. Wil je je "
        "beschikbaarheid doorgeven?",
    ),
    (
        "nl",
        OTHER,
        "acknowledgement",
        "Ontvangstbevestiging",
        "Beste Alex, we hebben je sollicitatie in goede orde ontvangen. Als je niet geselecteerd "
        "wordt, laten we dat binnen twee weken weten.",
    ),
]
