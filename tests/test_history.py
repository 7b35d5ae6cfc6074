"""Reading the earlier thread: interview invitations, their days, who invited, the role."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from classifiers.history import (
    Earlier,
    History,
    calendar_start,
    find_dates,
    interview_recalled,
    read_earlier,
    summarize,
)
from classifiers.message import Address, MailView
from daemon.mail.render import day_month

WRITTEN = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
USERS = frozenset({"alex@example.org"})
MAYA = Address("Maya Lindqvist", "maya.lindqvist@fjord-analytics.example")


@pytest.mark.parametrize(
    ("language", "text", "days"),
    [
        ("en", "Would Thursday, 12 November at 10:00 work, or November 13th, 2026?", [12, 13]),
        ("en", "Your call is on 2026-11-12 at 15:30.", [12]),
        ("de", "am Donnerstag, 12. November, um 10 Uhr oder am 13.11.2026", [12, 13]),
        ("fr", "le jeudi 12 novembre à 10 h, ou le 13/11", [12, 13]),
        ("es", "el jueves 12 de noviembre de 2026 a las 10:00", [12]),
        ("nl", "op donderdag 12 november om 10.00 uur", [12]),
        ("it", "giovedì 12 novembre alle 10:00", [12]),
        ("pt", "quinta-feira, 12 de novembro, às 10h", [12]),
    ],
)
def test_days_are_found_as_each_language_writes_them(
    language: str, text: str, days: list[int]
) -> None:
    assert [d.day for d in find_dates(text, language, WRITTEN.date())] == days


def test_a_day_without_a_year_is_the_next_one() -> None:
    assert find_dates("see you on 5 January", "en", date(2026, 12, 20)) == [date(2027, 1, 5)]
    # American numbers are not read: 3/4 is March or April, depending on who wrote it.
    assert find_dates("slots on 3/4 or 4/3", "en", date(2026, 1, 1)) == []


def test_a_calendar_invitation_gives_the_day() -> None:
    raw = b"BEGIN:VEVENT\r\nDTSTART;TZID=Europe/Berlin:20261112T100000\r\nEND:VEVENT\r\n"
    assert calendar_start(raw) == date(2026, 11, 12)
    assert calendar_start(b"no calendar here") is None


INVITATIONS = {
    "en": "Hi Alex,\n\nThanks for your application. I'd like to invite you to an interview for"
    " the Data Analyst position.\nWhen: 12 November, 10:00\n\nBest,\nMaya",
    "de": "Hallo Alex,\n\nwir möchten Sie gern zu einem Vorstellungsgespräch einladen.\n"
    "Termin: 12. November, 10 Uhr\n\nViele Grüße\nMaya",
    "fr": "Bonjour Alex,\n\nNous souhaitons vous inviter à un entretien le 12 novembre à 10 h."
    "\n\nCordialement,\nMaya",
    "es": "Hola Alex:\n\nNos gustaría invitarte a una entrevista el 12 de noviembre a las 10:00."
    "\n\nUn saludo,\nMaya",
    "nl": "Beste Alex,\n\nWe nodigen je graag uit voor een gesprek op 12 november om 10.00 uur."
    "\n\nGroet,\nMaya",
    "it": "Gentile Alex,\n\nVorremmo invitarla a un colloquio il 12 novembre alle 10:00."
    "\n\nCordiali saluti,\nMaya",
    "pt": "Olá Alex,\n\nGostaríamos de a convidar para uma entrevista no dia 12 de novembro às"
    " 10h.\n\nCumprimentos,\nMaya",
}
# The same companies, saying only that an interview may follow.
MAYBE = {
    "en": "We have received your application. If your profile matches, we will invite you to"
    " an interview.",
    "de": "Wir haben Ihre Bewerbung erhalten. Falls Ihr Profil passt, laden wir Sie zu einem"
    " Gespräch ein.",
    "fr": "Nous avons bien reçu votre candidature. Si votre profil correspond, nous vous"
    " inviterons à un entretien.",
    "es": "Hemos recibido tu candidatura. Si tu perfil encaja, te invitaremos a una entrevista.",
    "nl": "We hebben je sollicitatie ontvangen. Indien je profiel past, nodigen we je uit voor"
    " een gesprek.",
    "it": "Abbiamo ricevuto la sua candidatura. Qualora il suo profilo sia in linea, la"
    " inviteremo a un colloquio.",
    "pt": "Recebemos a sua candidatura. Caso o seu perfil seja adequado, iremos convidá-lo para"
    " uma entrevista.",
}


@pytest.mark.parametrize("language", list(INVITATIONS))
def test_an_invitation_is_an_interview_with_its_day_and_its_person(language: str) -> None:
    view = MailView(subject="", sender=MAYA, body=INVITATIONS[language])
    earlier = read_earlier(view, WRITTEN, "INBOX", sent=False, users=USERS)
    assert earlier.kind == "interview"
    assert earlier.interview_on == date(2026, 11, 12)
    assert earlier.person == "Maya Lindqvist"
    assert earlier.person_email == MAYA.email


@pytest.mark.parametrize("language", list(MAYBE))
def test_an_interview_that_may_follow_is_none(language: str) -> None:
    view = MailView(subject="", sender=MAYA, body=MAYBE[language])
    assert read_earlier(view, WRITTEN, "INBOX", sent=False, users=USERS).kind == "other"


def test_a_scheduling_robot_names_the_person_you_meet() -> None:
    view = MailView(
        subject="Interview confirmed",
        sender=Address("Fjord Analytics", "no-reply@scheduling.example"),
        body="Your interview with Maya Lindqvist is confirmed for 12 November at 10:00.",
    )
    earlier = read_earlier(view, WRITTEN, "INBOX", sent=False, users=USERS)
    assert (earlier.kind, earlier.person, earlier.person_email) == (
        "interview",
        "Maya Lindqvist",
        None,
    )


def test_the_users_application_in_sent() -> None:
    view = MailView(
        subject="Application: Data Analyst",
        sender=Address("Alex", "alex@example.org"),
        body="Dear Ms Lindqvist,\n\nplease find attached my application for the Data Analyst"
        " position.\n\nKind regards,\nAlex",
    )
    earlier = read_earlier(view, WRITTEN, "Sent", sent=True, users=USERS)
    assert earlier.kind == "application"
    assert earlier.person is None


@pytest.mark.parametrize(
    ("text", "recalled"),
    [
        ("Thank you for taking the time to interview with us last week.", True),
        ("It was a pleasure to meet you on Tuesday.", True),
        ("Thank you for your time and your interest in the role.", False),
        ("We will not invite you to an interview for this role.", False),
        ("Vielen Dank für das angenehme Gespräch.", True),
        ("Leider können wir Sie nicht zu einem Gespräch einladen.", False),
        ("Suite à notre entretien de mardi, nous avons pris une décision.", True),
        ("Gracias por la entrevista del martes.", True),
        ("Bedankt voor het gesprek van vorige week.", True),
        ("Grazie per il colloquio di martedì.", True),
        ("Obrigado pela entrevista de terça-feira.", True),
        ("Obrigado pela sua candidatura.", False),
    ],
)
def test_a_rejection_that_recalls_an_interview(text: str, recalled: bool) -> None:
    assert interview_recalled(MailView(body=text)) is recalled


def _earlier(kind: str, day: int, title: str | None, on: date | None = None) -> Earlier:
    when = datetime(2026, 11, day, 9, 0, tzinfo=UTC)
    return Earlier(when, "INBOX", "s", kind, on, "Maya Lindqvist", MAYA.email, title)


def test_the_summary_keeps_the_latest_interview_and_the_fuller_title() -> None:
    history = summarize(
        [
            _earlier("application", 1, "Data Analyst, Pricing"),
            _earlier("interview", 3, "Data Analyst", date(2026, 11, 6)),
            _earlier("interview", 8, None, date(2026, 11, 12)),
        ],
        MailView(body="Unfortunately we decided against it."),
        datetime(2026, 11, 20, tzinfo=UTC),
        "Data Analyst",
    )
    assert history.interviewed
    assert history.interview_date == date(2026, 11, 12)
    assert history.interviewer == "Maya Lindqvist"
    assert history.job_title == "Data Analyst, Pricing"
    assert History.from_json(history.to_json()) == history


def test_mails_about_another_role_or_after_the_rejection_do_not_count() -> None:
    history = summarize(
        [
            _earlier("interview", 3, "Warehouse Supervisor", date(2026, 11, 6)),
            _earlier("interview", 25, "Data Analyst", date(2026, 11, 27)),
        ],
        MailView(body="Unfortunately we decided against it."),
        datetime(2026, 11, 20, tzinfo=UTC),
        "Data Analyst",
    )
    assert not history.interviewed
    assert history.interview_date is None
    assert history.found == ()


def test_day_month_says_a_day_as_each_language_does() -> None:
    day = date(2026, 11, 12)
    assert day_month(day, "en") == "12 November"
    assert day_month(day, "de") == "12. November"
    assert day_month(date(2026, 12, 1), "fr") == "1er décembre"
    assert day_month(day, "es") == "12 de noviembre"
    assert day_month(day, "nl") == "12 november"
    assert day_month(day, "it") == "12 novembre"
    assert day_month(day, "pt-BR") == "12 de novembro"
    assert day_month(day, "sv") == "12 November"  # no table of its own: English
