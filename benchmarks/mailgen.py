"""A synthetic job-search inbox: the mix and the sizes the scan benchmark reads.

Every message is made here, from a seed, so runs on different machines read the
same mailbox: rejections, interview invitations, newsletters and application
acknowledgements in English, German, French, Spanish and Dutch.  Most are a
few KB; some carry a CV or a brochure as an attachment, and a few reach 2 MB,
as real inboxes do.  MIME is composed by hand: the email package would spend
more time wrapping 600 MB of base64 than the benchmark spends reading it.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

USER = "alex.candidate@example.net"
KINDS = {"rejection": 30, "invitation": 15, "newsletter": 30, "acknowledgement": 25}
LANGUAGES = {"en": 50, "de": 15, "fr": 12, "es": 12, "nl": 11}
# (share, smallest, largest) in bytes: most mail is small, a few messages are huge.
SIZES = ((0.85, 2_000, 16_000), (0.12, 16_000, 128_000), (0.025, 128_000, 1_000_000))
LARGEST = 2_000_000

COMPANIES = ("Northwind", "Contoso", "Globex", "Initech", "Umbrella Labs", "Hooli", "Vandelay")
ROLES = ("Data Engineer", "Backend Developer", "Product Analyst", "SRE", "QA Lead")
PEOPLE = ("Jordan Reyes", "Sam Okafor", "Mia Keller", "Luc Martin", "Ana Ruiz", "Bram de Vries")

# Written for this benchmark: one subject and body per kind and language.
TEXT: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "rejection": (
            "Your application for {role}",
            "Dear Alex,\n\nThank you for applying for the {role} role at {company}. "
            "Unfortunately we have decided not to move forward with your application "
            "and to continue with other candidates.\n\nKind regards,\n{person}",
        ),
        "invitation": (
            "Interview invitation: {role}",
            "Hi Alex,\n\nWe enjoyed reading your application and would like to invite you "
            "to a first interview for the {role} position at {company}. Could you share "
            "two or three slots next week?\n\nBest,\n{person}",
        ),
        "newsletter": (
            "This week at {company}: ten new roles",
            "New openings this week, hand-picked for you. Browse the {role} jobs, read "
            "our salary guide and meet the teams behind them.",
        ),
        "acknowledgement": (
            "We received your application",
            "Dear Alex,\n\nThank you for your interest in {company}. We have received "
            "your application for {role} and will review it carefully. We will be in "
            "touch within two weeks.\n\n{company} Talent Team",
        ),
    },
    "de": {
        "rejection": (
            "Ihre Bewerbung als {role}",
            "Sehr geehrter Herr Candidate,\n\nvielen Dank für Ihre Bewerbung bei {company}. "
            "Leider müssen wir Ihnen mitteilen, dass wir uns für eine andere Kandidatin "
            "entschieden haben.\n\nMit freundlichen Grüßen\n{person}",
        ),
        "invitation": (
            "Einladung zum Vorstellungsgespräch",
            "Hallo Alex,\n\nwir möchten Sie gern zu einem Gespräch für die Stelle {role} "
            "bei {company} einladen. Passt Ihnen Dienstag oder Mittwoch?\n\nViele Grüße\n"
            "{person}",
        ),
        "newsletter": (
            "Neue Stellen bei {company}",
            "Diese Woche neu: Stellen als {role} und vieles mehr. Jetzt entdecken und "
            "den Newsletter weiterempfehlen.",
        ),
        "acknowledgement": (
            "Eingangsbestätigung Ihrer Bewerbung",
            "Guten Tag,\n\nwir haben Ihre Bewerbung als {role} erhalten und melden uns "
            "in den nächsten Wochen.\n\nIhr Recruiting-Team von {company}",
        ),
    },
    "fr": {
        "rejection": (
            "Votre candidature au poste de {role}",
            "Bonjour Alex,\n\nNous vous remercions de l'intérêt porté à {company}. "
            "Malheureusement, nous avons décidé de ne pas donner suite à votre "
            "candidature.\n\nCordialement,\n{person}",
        ),
        "invitation": (
            "Invitation à un entretien",
            "Bonjour Alex,\n\nVotre profil nous intéresse et nous souhaitons vous "
            "rencontrer pour le poste de {role} chez {company}.\n\nBien à vous,\n{person}",
        ),
        "newsletter": (
            "Les offres de la semaine chez {company}",
            "Découvrez nos nouvelles offres : {role}, et bien d'autres. Bonne lecture !",
        ),
        "acknowledgement": (
            "Accusé de réception de votre candidature",
            "Bonjour,\n\nNous avons bien reçu votre candidature pour le poste de {role} et "
            "nous reviendrons vers vous rapidement.\n\nL'équipe recrutement {company}",
        ),
    },
    "es": {
        "rejection": (
            "Tu candidatura para {role}",
            "Hola Alex,\n\nGracias por tu interés en {company}. Lamentablemente hemos "
            "decidido seguir adelante con otros candidatos para el puesto de {role}."
            "\n\nUn saludo,\n{person}",
        ),
        "invitation": (
            "Invitación a entrevista",
            "Hola Alex,\n\nNos gustaría invitarte a una entrevista para el puesto de "
            "{role} en {company}. ¿Qué día te viene bien?\n\nSaludos,\n{person}",
        ),
        "newsletter": (
            "Novedades de empleo en {company}",
            "Esta semana: nuevas ofertas de {role} y consejos para tu entrevista.",
        ),
        "acknowledgement": (
            "Hemos recibido tu candidatura",
            "Hola,\n\nHemos recibido tu candidatura para {role}. La revisaremos con "
            "atención y te contestaremos pronto.\n\nEquipo de selección de {company}",
        ),
    },
    "nl": {
        "rejection": (
            "Je sollicitatie als {role}",
            "Beste Alex,\n\nBedankt voor je sollicitatie bij {company}. Helaas hebben we "
            "besloten om niet verder te gaan met je sollicitatie en kiezen we voor een "
            "andere kandidaat.\n\nMet vriendelijke groet,\n{person}",
        ),
        "invitation": (
            "Uitnodiging voor een gesprek",
            "Hoi Alex,\n\nWe willen je graag uitnodigen voor een kennismakingsgesprek "
            "voor de functie {role} bij {company}.\n\nGroet,\n{person}",
        ),
        "newsletter": (
            "Nieuwe vacatures bij {company}",
            "Deze week nieuw: vacatures voor {role}. Bekijk ze nu op onze site.",
        ),
        "acknowledgement": (
            "Ontvangstbevestiging van je sollicitatie",
            "Beste,\n\nWe hebben je sollicitatie voor {role} goed ontvangen en nemen "
            "binnenkort contact met je op.\n\nRecruitmentteam {company}",
        ),
    },
}


@dataclass(frozen=True, slots=True)
class Mail:
    kind: str
    language: str
    received: datetime
    raw: bytes


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _target_size(rng: random.Random) -> int:
    roll = rng.random()
    for share, low, high in SIZES:
        if roll < share:
            return rng.randint(low, high)
        roll -= share
    return rng.randint(1_000_000, LARGEST)


def _attachment(rng: random.Random, boundary: str, size: int, n: int) -> bytes:
    """A base64 part of about ``size`` bytes: incompressible, like a real PDF."""
    payload = base64.encodebytes(rng.randbytes(max(1, size * 3 // 4)))
    name = f"document-{n}.pdf"
    return (
        f'--{boundary}\nContent-Type: application/pdf; name="{name}"\n'
        f'Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="{name}"'
        "\n\n"
    ).encode() + payload


def make_mail(n: int, rng: random.Random, now: datetime) -> Mail:
    """Message number ``n``: its kind, language and size drawn from ``rng``."""
    kind, language = _pick(rng, KINDS), _pick(rng, LANGUAGES)
    company, role, person = rng.choice(COMPANIES), rng.choice(ROLES), rng.choice(PEOPLE)
    subject, body = (
        t.format(company=company, role=role, person=person) for t in TEXT[language][kind]
    )
    received = now - timedelta(seconds=rng.randint(0, 300 * 86_400))
    domain = company.lower().replace(" ", "") + ".example"
    sender = (
        f"jobs@{domain}"
        if kind in ("newsletter", "acknowledgement")
        else (person.lower().replace(" ", ".") + "@" + domain)
    )
    head = (
        f"Return-Path: <{sender}>\nMessage-ID: <bench-{n}@{domain}>\n"
        f"Date: {format_datetime(received)}\nFrom: {person if kind != 'newsletter' else company}"
        f" <{sender}>\nTo: Alex Candidate <{USER}>\nSubject: {subject}\nMIME-Version: 1.0\n"
    )
    if kind == "newsletter":
        head += f"List-Unsubscribe: <mailto:unsubscribe@{domain}>\nPrecedence: bulk\n"
    boundary = f"=_bench_{n}_{rng.getrandbits(32):08x}"
    text = base64.encodebytes(body.encode("utf-8"))
    html = base64.encodebytes(
        f"<html><body><p>{body.replace(chr(10), '<br>')}</p></body></html>".encode()
    )
    parts = [
        f"--{boundary}\nContent-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: base64\n\n".encode()
        + text,
        f"--{boundary}\nContent-Type: text/html; charset=utf-8\n"
        "Content-Transfer-Encoding: base64\n\n".encode()
        + html,
    ]
    head += f'Content-Type: multipart/mixed; boundary="{boundary}"\n\n'
    size = len(head) + sum(map(len, parts)) + 2 * len(boundary)
    remaining = _target_size(rng) - size
    if remaining > 600:
        parts.append(_attachment(rng, boundary, remaining - 300, n))
    raw = head.encode() + b"".join(parts) + f"--{boundary}--\n".encode()
    return Mail(kind, language, received, raw)


def mailbox(count: int, seed: int = 6) -> Iterator[Mail]:
    """``count`` messages, one at a time; the first N of a larger mailbox are the same N."""
    rng = random.Random(seed)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(count):
        yield make_mail(n, rng, now)
