"""The classifier's front door: a message in, a Verdict out.  Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import mailparser

from . import lang_de, lang_en, lang_es, lang_fr, lang_nl
from .extract import extract
from .language import detect_language
from .lexicon import Lexicon
from .message import MailView, from_bytes, from_parsed
from .scoring import (
    FEEDBACK_THRESHOLD,
    REJECTION_THRESHOLD,
    Evidence,
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
    text = f"{view.subject}\n{view.body}" if view.subject else view.body
    language = detect_language(text)
    lex = LEXICONS[language]
    suppressed = suppression_reason(view, users)
    extraction = extract(view, lex, ENGLISH, users)

    if suppressed == "sent by you":
        return Verdict(Label.OTHER, 1.0, language, ("sent by you",), Extraction(), suppressed)
    auto = _automatic_reply(view, lex)
    if auto:
        return Verdict(Label.OTHER, 0.95, language, (auto,), extraction, suppressed)

    rejection = _with_english(text, lex, score_rejection)
    if not lex.pattern("job_context").search(text) and not ENGLISH.pattern("job_context").search(
        text
    ):
        rejection.score = min(rejection.score, 0.0)
        rejection.reasons.append("no job-application context")

    feedback = _feedback_reply(view, lex, ours)
    if feedback.score >= FEEDBACK_THRESHOLD:
        return Verdict(
            Label.FEEDBACK_REPLY,
            confidence(feedback.score, FEEDBACK_THRESHOLD),
            language,
            tuple(feedback.reasons),
            extraction,
            suppressed,
        )
    if rejection.decisive and rejection.score >= REJECTION_THRESHOLD:
        return Verdict(
            Label.REJECTION,
            confidence(rejection.score, REJECTION_THRESHOLD),
            language,
            tuple(rejection.reasons),
            extraction,
            suppressed,
        )
    reasons = tuple(rejection.reasons) or ("no rejection or feedback phrases",)
    return Verdict(
        Label.OTHER,
        1.0 - confidence(rejection.score, REJECTION_THRESHOLD),
        language,
        reasons,
        extraction,
        suppressed,
    )


def _with_english(text: str, lex: Lexicon, scorer: Callable[[str, Lexicon], Evidence]) -> Evidence:
    """Score in the detected language; mixed-language mail also gets the English lists."""
    evidence = scorer(text, lex)
    if lex is ENGLISH:
        return evidence
    english = scorer(text, ENGLISH)
    return english if english.score > evidence.score and english.decisive else evidence


def _automatic_reply(view: MailView, lex: Lexicon) -> str | None:
    if view.header("auto-submitted").lower().startswith("auto-replied"):
        return "automatic reply (Auto-Submitted: auto-replied)"
    for pattern in (lex.pattern("auto_reply"), ENGLISH.pattern("auto_reply")):
        match = pattern.search(view.subject)
        if match:
            return f'automatic reply: subject says "{match.group()}"'
    return None


# The user asked for feedback: the word in the subject or in the quoted request.
_ASKED_FOR_FEEDBACK = re.compile(
    r"feedback|rückmeldung|retour|commentaires|comentarios|retroalimentaci|terugkoppeling",
    re.IGNORECASE,
)


def _feedback_reply(view: MailView, lex: Lexicon, ours: frozenset[str]) -> Evidence:
    """Feedback the user asked for: a reply, to our request or to a request for feedback."""
    evidence = _with_english(view.body, lex, score_feedback)
    if not evidence.decisive or (view.sender and is_no_reply(view.sender.email)):
        evidence.score = 0.0
    elif view.thread_ids & ours:
        evidence.score += 2.0
        evidence.reasons.append("threaded to our feedback request")
    elif view.is_reply and _ASKED_FOR_FEEDBACK.search(view.subject + "\n" + view.quoted[:3000]):
        evidence.score += 2.0
        evidence.reasons.append("a reply to a request for feedback")
    else:
        evidence.score = 0.0
    return evidence
