"""Rejections and their near-misses in all five languages, written for these tests."""

from __future__ import annotations

import pytest

from classifiers import Label, classify

from .conftest import build_mail

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


@pytest.mark.parametrize(
    ("language", "label", "kind", "subject", "body"),
    CASES,
    ids=[f"{c[0]}-{c[1].value}-{c[2]}" for c in CASES],
)
def test_label_and_language(
    language: str, label: Label, kind: str, subject: str, body: str
) -> None:
    """Each kind of rejection is found, each near-miss is not, and the language is right."""
    verdict = classify(build_mail(subject, body))
    assert (verdict.label, verdict.language) == (label, language), verdict.reasons
    assert 0.0 <= verdict.confidence <= 1.0
    if label is REJ:
        assert verdict.confidence >= 0.8
        assert any(r.startswith(("rejection phrase", "softer")) for r in verdict.reasons)


def test_reasons_name_ignored_conditionals() -> None:
    """A conditional rejection phrase is shown as ignored, so a person sees why."""
    verdict = classify(
        build_mail(
            "Thanks",
            "We will review your application. If you are not selected, we will let you know.",
        )
    )
    assert verdict.label is OTHER
    assert any(r.startswith("ignored, only conditional") for r in verdict.reasons)


def test_the_users_own_mail_is_never_a_rejection() -> None:
    """Mail from the user (e.g. a forwarded rejection) is `other` and suppressed."""
    raw = build_mail(
        "Fwd: Your application",
        "Unfortunately we have decided not to move forward with your application.",
        sender=("Alex Candidate", "alex.candidate@example.net"),
    )
    verdict = classify(raw, user_addresses=["Alex.Candidate@example.net"])
    assert verdict.label is OTHER
    assert verdict.suppressed == "sent by you"


def test_feedback_reply_threaded_to_our_request() -> None:
    """A reply to our request that gives feedback is a feedback_reply."""
    raw = build_mail(
        "Re: Following up on Data Engineer",
        "Hi Alex, happy to help. The panel felt your SQL was strong, but we were looking for "
        "more experience with streaming systems. I would recommend working on that.\n",
        headers={"In-Reply-To": "<req-1@debriefer.invalid>"},
    )
    verdict = classify(raw, own_message_ids=["<req-1@debriefer.invalid>"])
    assert verdict.label is Label.FEEDBACK_REPLY
    assert verdict.reasons[0] == "an answer to the feedback request: feedback given"


def test_unsolicited_reasons_in_a_rejection_stay_a_rejection() -> None:
    """A rejection that explains itself, with no request for feedback, is a rejection."""
    raw = build_mail(
        "Re: Application for Data Engineer",
        "Hi Alex, unfortunately we decided not to move forward. We were looking for someone "
        "with more streaming experience.",
        headers={"In-Reply-To": "<app-1@example.net>"},
    )
    assert classify(raw).label is REJ


def test_out_of_office_is_other_and_suppressed() -> None:
    """An automatic reply is never a feedback reply or a rejection."""
    raw = build_mail(
        "Automatic reply: Following up",
        "I am out of the office until Monday with limited access to email.",
        headers={"Auto-Submitted": "auto-replied"},
    )
    verdict = classify(raw)
    assert verdict.label is OTHER
    assert verdict.suppressed
