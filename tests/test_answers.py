"""Answers to a feedback request: which kind arrived, in five languages.

``answer_cases.toml`` was written for these tests by someone who had not read
``training/``: per language seven answers that give feedback and nine that do
not (declined, a call offered, passed on, an automatic reply, anything else).
A thank-you follows only feedback, so both directions are held to a bar.  They
measure; the model never trained on them, and no threshold was chosen on them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from classifiers import Label, classify
from classifiers.answer import AnswerKind
from classifiers.classify import answer_inputs
from classifiers.message import from_bytes

from .support import build_mail

CASES = tomllib.loads((Path(__file__).parent / "answer_cases.toml").read_text("utf-8"))["case"]
LANGUAGES = ("en", "de", "fr", "es", "nl")


def _judged(case: dict) -> tuple[Label, str | None]:
    raw = build_mail(case["subject"], case["body"])
    verdict = classify(raw, answering=True)
    return verdict.label, verdict.answer


@pytest.mark.parametrize("language", LANGUAGES)
def test_feedback_given_is_recognised(language: str) -> None:
    """Every held-out answer that gives feedback gets a thank-you, in each language."""
    cases = [c for c in CASES if c["language"] == language and c["kind"] == "feedback"]
    assert len(cases) >= 7
    missed = [c["subject"] for c in cases if _judged(c)[0] is not Label.FEEDBACK_REPLY]
    assert not missed


def test_at_most_one_thank_you_for_answers_without_feedback() -> None:
    """Declined, a call, a wait, an automatic reply, anything else: no thank-you follows,
    but for at most one of the 45 held-out answers (the bar the issue sets: one in 60)."""
    cases = [c for c in CASES if c["kind"] != "feedback"]
    assert len(cases) >= 45
    thanked = [c["subject"] for c in cases if _judged(c)[0] is Label.FEEDBACK_REPLY]
    assert len(thanked) <= 1, thanked


def test_the_kind_of_answer_is_mostly_right() -> None:
    """Beyond feedback or not, status names the kind; most held-out answers get theirs."""
    right = sum(_judged(case)[1] == case["kind"] for case in CASES)
    assert right >= 0.8 * len(CASES), right


def test_an_automatic_reply_is_never_feedback() -> None:
    """Out of office, by header: the answer may still come, and nothing is drafted."""
    raw = build_mail(
        "Automatic reply: Feedback on my application",
        "Thank you for your message. I am out of the office until 14 March and will reply "
        "on my return. For urgent matters please contact hr@example.com.",
    )
    verdict = classify(raw, answering=True)
    assert (verdict.label, verdict.answer) == (Label.OTHER, AnswerKind.AUTO_REPLY.value)
    assert verdict.suppressed


def test_without_context_only_a_reply_to_a_request_for_feedback_is_an_answer() -> None:
    """``classify`` alone: feedback in a reply quoting the request counts; a fresh mail does not."""
    feedback = (
        "Hi Alex, sure. Your case study was strong, but the panel wanted more depth in "
        "SQL and in stakeholder management. I would practise window functions. Best, Tom"
    )
    quoted = "\n\nOn Mon, Alex wrote:\n> Could you share any feedback on my interview?\n"
    replied = classify(build_mail("Re: Your application", feedback + quoted))
    assert replied.label is Label.FEEDBACK_REPLY
    fresh = classify(build_mail("Your interview", feedback))
    assert fresh.label is not Label.FEEDBACK_REPLY


def test_answer_inputs_are_what_the_model_reads() -> None:
    """Training and run time see the same words: the quoted request is cut off."""
    view = from_bytes(
        build_mail("Re: feedback", "Thanks!\n\nOn Mon, Alex wrote:\n> secret words\n")
    )
    words, _ = answer_inputs(view)
    assert "thanks" in words
    assert "secret" not in words
    assert "feedback" not in words  # the subject is the request's, whatever the answer says
