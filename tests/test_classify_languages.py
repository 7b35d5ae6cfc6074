"""Rejections and their near-misses in all five languages, written for these tests."""

from __future__ import annotations

import pytest

from classifiers import Label, classify

from .support import CASES, OTHER, REJ, build_mail


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
