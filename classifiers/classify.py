"""The classifier's front door: a message in, a Verdict out.  Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

import mailparser

from . import lang_de, lang_en, lang_es, lang_fr, lang_nl
from .answer import Answer, AnswerKind, judge_answer
from .extract import extract
from .language import SAMPLE_WORDS, detect_language, reads_as
from .lexicon import Lexicon, lower_text
from .message import MailView, from_bytes, from_parsed
from .model import LinearModel, features, load
from .scoring import Evidence, Text, score_feedback, score_rejection
from .senders import is_no_reply
from .suppress import suppression_reason
from .verdict import Extraction, Label, Verdict

LEXICONS: dict[str, Lexicon] = {
    lex.code: lex
    for lex in (lang_en.LEXICON, lang_de.LEXICON, lang_fr.LEXICON, lang_es.LEXICON, lang_nl.LEXICON)
}
ENGLISH = LEXICONS["en"]
# The probability of a rejection at or above which a mail is labelled one, by
# what follows: in draft mode the user reads every draft, so a missed
# rejection costs more than a draft to delete; a send cannot be taken back.
# Chosen from the measured precision/recall curve (README, benchmarks/classifier.py).
OPERATING_POINTS = {"draft": 0.7, "send": 0.8}
REJECTION_MODEL = "rejection"


def operating_point(mode: str) -> float:
    """The rejection threshold for ``mode`` ("draft" or "send")."""
    return OPERATING_POINTS[mode]


def classify(
    message: bytes | mailparser.MailParser | MailView,
    *,
    user_addresses: Iterable[str] = (),
    own_message_ids: Iterable[str] = (),
    answering: bool = False,
) -> Verdict:
    """Label one message.

    ``user_addresses`` are the user's own addresses (their mail is never a
    rejection); ``own_message_ids`` are Message-IDs of drafts we made, so
    feedback in a reply threaded to one is recognised as an answer to our request.
    ``answering`` says the caller knows the message answers a feedback
    request (the daemon does, from its thread and sender): then only the kind
    of answer is judged.  Raises ValueError only for bytes that hold no message
    at all.
    """
    if isinstance(message, bytes):
        view = from_bytes(message)
    elif isinstance(message, MailView):
        view = message
    else:
        view = from_parsed(message)
    users = frozenset(a.lower() for a in user_addresses)
    ours = frozenset(i.lower() for i in own_message_ids)
    return classify_view(view, users, ours, answering=answering)


def classify_view(
    view: MailView, users: frozenset[str], ours: frozenset[str], *, answering: bool = False
) -> Verdict:
    text = Text(f"{view.subject}\n{view.body}")
    language = detect_language([word for _, word in text.words[:SAMPLE_WORDS]])
    lex = LEXICONS.get(language, ENGLISH)
    suppressed = suppression_reason(view, users)

    if suppressed == "sent by you":
        return Verdict(Label.OTHER, 1.0, language, ("sent by you",), suppressed=suppressed)
    auto = _automatic_reply(view, lex)
    words = [word for _, word in text.words]
    if answering or _asks_about_feedback(view, ours):
        answer_words, cues, remarks = _answer_reading(view, lex)
        answer = judge_answer(answer_words, cues, auto)
        if answering or answer.kind is AnswerKind.FEEDBACK:
            answer = replace(answer, reasons=(*answer.reasons, *remarks.reasons))
            return _answer_verdict(view, text, language, lex, users, suppressed, answer)
    if auto:
        # Never answered, and never taken as the contact writing again.
        return Verdict(Label.OTHER, 0.95, language, (auto,), suppressed=suppressed or auto)

    if not reads_as(words, language):
        reason = "not written in a language debriefer reads"
        return Verdict(Label.OTHER, 1.0, language, (reason,), suppressed=suppressed)
    lexical = _lexical(text, language)
    model = load(REJECTION_MODEL)
    sureness = model.probability(words, lexical.cues)
    reasons = [_model_reason(model, words, sureness), *lexical.reasons]
    if sureness < OPERATING_POINTS["draft"] and _plainly_said(lexical, sureness):
        # A long mail can dilute its one decisive sentence; the phrase still stands.
        sureness = OPERATING_POINTS["draft"]
        reasons.insert(1, "a rejection phrase, asserted, and nothing in the mail against it")
    if sureness < OPERATING_POINTS["draft"]:
        return Verdict(Label.OTHER, 1.0 - sureness, language, tuple(reasons), suppressed=suppressed)
    # Only what we will write to needs its context extracted.
    extraction = extract(view, text, lex, ENGLISH, users, language)
    return Verdict(Label.REJECTION, sureness, language, tuple(reasons), extraction, suppressed)


def _answer_verdict(
    view: MailView,
    text: Text,
    language: str,
    lex: Lexicon,
    users: frozenset[str],
    suppressed: str | None,
    answer: Answer,
) -> Verdict:
    """An answer to a feedback request: feedback given is the one kind a thank-you follows."""
    reasons = (f"an answer to the feedback request: {answer.description}", *answer.reasons)
    if answer.kind is AnswerKind.AUTO_REPLY:
        auto = answer.reasons[0]
        return Verdict(
            Label.OTHER,
            answer.confidence,
            language,
            reasons,
            suppressed=suppressed or auto,
            answer=answer.kind.value,
        )
    if answer.kind is not AnswerKind.FEEDBACK:
        return Verdict(
            Label.OTHER,
            answer.confidence,
            language,
            reasons,
            suppressed=suppressed,
            answer=answer.kind.value,
        )
    extraction = extract(view, text, lex, ENGLISH, users, language)
    return Verdict(
        Label.FEEDBACK_REPLY,
        answer.confidence,
        language,
        reasons,
        extraction,
        suppressed,
        answer=answer.kind.value,
    )


def answer_inputs(view: MailView) -> tuple[list[str], set[str]]:
    """What the answer model reads of a message; the training script calls this too."""
    text = Text(view.body)
    language = detect_language([word for _, word in text.words[:SAMPLE_WORDS]])
    words, cues, _ = _answer_reading(view, LEXICONS.get(language, ENGLISH))
    return words, cues


def _answer_reading(view: MailView, lex: Lexicon) -> tuple[list[str], set[str], Evidence]:
    """The body alone: an answer's subject is the request's ("Re: Feedback ..."), whatever
    kind of answer it is, so it would only teach the model the shape of our subjects."""
    body = Text(view.body)
    remarks = _best(body, lex, score_feedback)
    return [word for _, word in body.words], _answer_cues(remarks), remarks


def _answer_cues(remarks: Evidence) -> set[str]:
    """The feedback lexicon's view, as a cue: asserted remarks on the candidate's work."""
    return {"feedback"} if remarks.decisive else set()


def judgement_inputs(view: MailView) -> tuple[dict[str, int], set[str]]:
    """What the rejection model reads of a message: its features and the lexicon's cues.

    The training script calls this too, so the model learns from what it is shown.
    """
    text = Text(f"{view.subject}\n{view.body}")
    language = detect_language([word for _, word in text.words[:SAMPLE_WORDS]])
    return features([word for _, word in text.words]), _lexical(text, language).cues


def _lexical(text: Text, language: str) -> Evidence:
    """The phrase lexicon's evidence; none for a language it has no phrases of."""
    return _rejection(text, LEXICONS[language]) if language in LEXICONS else Evidence()


# Below this the model is sure enough of "no" to overrule a rejection phrase.
_PHRASE_FLOOR = 0.1


def _plainly_said(lexical: Evidence, probability: float) -> bool:
    """A decision phrase of the lexicon, with no condition and no counter-signal anywhere.

    On the held-out test mails and the dev corpora this found rejections the
    model missed and no false one; any counter-signal or conditional in the
    mail leaves the verdict to the model.
    """
    return (
        probability >= _PHRASE_FLOOR
        and "decision" in lexical.cues
        and "conditional" not in lexical.cues
        and not any(cue.startswith("counter:") for cue in lexical.cues)
    )


def _model_reason(model: LinearModel, words: list[str], probability: float) -> str:
    strongest = model.strongest(words) if probability >= 0.5 else []
    said = f" from {', '.join(repr(w) for w in strongest)}" if strongest else ""
    return f"rejection model: {probability:.2f}{said}"


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
        lex = LEXICONS.get(verdict.language, ENGLISH)
        extraction = extract(message, text, lex, ENGLISH, users, verdict.language)
    return replace(
        verdict,
        label=label,
        confidence=1.0,
        reasons=(reason, *verdict.reasons),
        extraction=extraction,
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
        evidence.cues.add("no_job_context")
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


def _asks_about_feedback(view: MailView, ours: frozenset[str]) -> bool:
    """Without the daemon's context: a reply to our request, or a reply whose subject or
    quoted text asks for feedback.  Only feedback found in it makes it an answer."""
    if ours and view.thread_ids & ours:
        return True
    if view.sender and is_no_reply(view.sender.email):
        return False
    return view.is_reply and asks_about_feedback(view)


def asks_about_feedback(view: MailView) -> bool:
    """The subject or the quoted text names a request for feedback."""
    return _ASKED_FOR_FEEDBACK.search(view.subject + "\n" + view.quoted[:3000]) is not None
