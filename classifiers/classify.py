"""The classifier's front door: a message in, a Verdict out.  Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import mailparser

from . import lang_de, lang_en, lang_es, lang_fr, lang_nl
from .extract import extract
from .language import SAMPLE_WORDS, detect_language
from .lexicon import Lexicon, lower_text
from .message import MailView, from_bytes, from_parsed
from .scoring import (
    FEEDBACK_THRESHOLD,
    REJECTION_THRESHOLD,
    Evidence,
    Text,
    confidence,
    score_feedback,
    score_rejection,
)
from .senders import is_no_reply
from .suppress import suppression_reason
from .verdict import Extraction, Label, Verdict

LEXICONS: dict[str, Lexicon] = {
    lex.code: lex
    for lex in (lang_en.LEXICON, lang_de.LEXICON, lang_fr.LEXICON, lang_es.LEXICON, lang_nl.LEXICON)
}
ENGLISH = LEXICONS["en"]


def classify(
    message: bytes | mailparser.MailParser | MailView,
    *,
    user_addresses: Iterable[str] = (),
    own_message_ids: Iterable[str] = (),
) -> Verdict:
    """Label one message.

    ``user_addresses`` are the user's own addresses (their mail is never a
    rejection); ``own_message_ids`` are Message-IDs of drafts we made, so a
    reply threaded to one is recognised as an answer to our request.
    Raises ValueError only for bytes that hold no message at all.
    """
    if isinstance(message, bytes):
        view = from_bytes(message)
    elif isinstance(message, MailView):
        view = message
    else:
        view = from_parsed(message)
    users = frozenset(a.lower() for a in user_addresses)
    ours = frozenset(i.lower() for i in own_message_ids)
    return classify_view(view, users, ours)


def classify_view(view: MailView, users: frozenset[str], ours: frozenset[str]) -> Verdict:
    text = Text(f"{view.subject}\n{view.body}")
    language = detect_language([word for _, word in text.words[:SAMPLE_WORDS]])
    lex = LEXICONS[language]
    suppressed = suppression_reason(view, users)

    if suppressed == "sent by you":
        return Verdict(Label.OTHER, 1.0, language, ("sent by you",), suppressed=suppressed)
    auto = _automatic_reply(view, lex)
    if auto:
        # Never answered, and never taken as the contact writing again.
        return Verdict(Label.OTHER, 0.95, language, (auto,), suppressed=suppressed or auto)

    feedback = _feedback_reply(view, text, lex, ours)
    if feedback.score >= FEEDBACK_THRESHOLD:
        label, evidence, threshold = Label.FEEDBACK_REPLY, feedback, FEEDBACK_THRESHOLD
    else:
        label, evidence, threshold = Label.REJECTION, _rejection(text, lex), REJECTION_THRESHOLD
        if not (evidence.decisive and evidence.score >= threshold):
            reasons = tuple(evidence.reasons) or ("no rejection or feedback phrases",)
            other = 1.0 - confidence(evidence.score, threshold)
            return Verdict(Label.OTHER, other, language, reasons, suppressed=suppressed)
    # Only what we will write to needs its context extracted.
    extraction = extract(view, text, lex, ENGLISH, users)
    return Verdict(
        label,
        confidence(evidence.score, threshold),
        language,
        tuple(evidence.reasons),
        extraction,
        suppressed,
    )


def relabel(
    message: MailView,
    verdict: Verdict,
    label: Label,
    reason: str,
    *,
    user_addresses: Iterable[str] = (),
) -> Verdict:
    """The verdict a user's rule forces: sure, with the rule first among the reasons.

    A message forced to a rejection or a reply needs the template context that
    classification extracts only for those labels.
    """
    extraction = verdict.extraction
    if label is not Label.OTHER and extraction == Extraction():
        text = Text(f"{message.subject}\n{message.body}")
        users = frozenset(a.lower() for a in user_addresses)
        extraction = extract(message, text, LEXICONS.get(verdict.language, ENGLISH), ENGLISH, users)
    return Verdict(
        label, 1.0, verdict.language, (reason, *verdict.reasons), extraction, verdict.suppressed
    )


def _best(text: Text, lex: Lexicon, scorer: Callable[[Text, Lexicon], Evidence]) -> Evidence:
    """Score in the detected language; mixed-language mail also gets the English lists."""
    evidence = scorer(text, lex)
    if lex is ENGLISH:
        return evidence
    english = scorer(text, ENGLISH)
    return english if english.score > evidence.score and english.decisive else evidence


def _rejection(text: Text, lex: Lexicon) -> Evidence:
    evidence = _best(text, lex, score_rejection)
    if not (text.hits(lex, "job_context") or text.hits(ENGLISH, "job_context")):
        evidence.score = min(evidence.score, 0.0)
        evidence.reasons.append("no job-application context")
    return evidence


def _automatic_reply(view: MailView, lex: Lexicon) -> str | None:
    if view.header("auto-submitted").lower().startswith("auto-replied"):
        return "automatic reply (Auto-Submitted: auto-replied)"
    subject = lower_text(view.subject)
    # dict.fromkeys: English mail needs the English list once, not twice.
    for pattern in dict.fromkeys((lex.pattern("auto_reply"), ENGLISH.pattern("auto_reply"))):
        match = pattern.search(subject)
        if match:
            return f'automatic reply: subject says "{match.group()}"'
    return None


# The user asked for feedback: words of such a request in the subject or the quoted mail.
_ASKED_FOR_FEEDBACK = re.compile(
    r"feedback|rückmeldung|woran|verbesser|warum|\bwhy\b|improve|retour|pourquoi|amélior"
    r"|commentaires|comentarios|retroalimentaci|valoraci|por ?qué|mejorar|terugkoppeling|waarom"
    r"|verbeter",
    re.IGNORECASE,
)


def _feedback_reply(view: MailView, text: Text, lex: Lexicon, ours: frozenset[str]) -> Evidence:
    """Feedback the user asked for: a reply, to our request or to a request for feedback."""
    # Without drafts of ours there is nothing to look up the thread's Message-IDs in.
    threaded_to_ours = bool(ours) and bool(view.thread_ids & ours)
    if not view.is_reply and not threaded_to_ours:
        return Evidence()
    evidence = _best(text, lex, score_feedback)
    if not evidence.decisive or (view.sender and is_no_reply(view.sender.email)):
        evidence.score = 0.0
    elif threaded_to_ours:
        evidence.score += 2.0
        evidence.reasons.append("threaded to our feedback request")
    elif _ASKED_FOR_FEEDBACK.search(view.subject + "\n" + view.quoted[:3000]):
        evidence.score += 2.0
        evidence.reasons.append("a reply to a request for feedback")
    else:
        evidence.score = 0.0
    return evidence
