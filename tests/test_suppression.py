"""When nothing may ever be drafted in answer (RFC 3834 / RFC 5230 spirit)."""

from __future__ import annotations

import pytest

from classifiers import classify

from .support import build_mail

BODY = "Unfortunately we have decided not to move forward with your application."


@pytest.mark.parametrize(
    ("headers", "sender", "reason"),
    [
        ({"List-Id": "<jobs.lists.example>"}, None, "mailing list"),
        ({"Precedence": "bulk"}, None, "Precedence: bulk"),
        ({"Precedence": "junk"}, None, "Precedence: junk"),
        ({"Return-Path": "<>"}, None, "bounce"),
        ({}, ("Mail Delivery System", "MAILER-DAEMON@mx.example"), "bounce"),
        ({"Auto-Submitted": "auto-replied"}, None, "automatic reply"),
    ],
)
def test_suppressed(headers: dict[str, str], sender: tuple[str, str] | None, reason: str) -> None:
    """Lists, bulk mail, bounces and auto-replies are marked, with the reason."""
    kwargs = {"sender": sender} if sender else {}
    verdict = classify(build_mail("Your application", BODY, headers=headers, **kwargs))
    assert verdict.suppressed is not None
    assert verdict.suppressed.startswith(reason)


def test_auto_generated_ats_mail_is_not_suppressed() -> None:
    """ATS rejections say Auto-Submitted: auto-generated; that only means no person sent it."""
    raw = build_mail(
        "Your application",
        BODY,
        sender=("Contoso", "no-reply@us.greenhouse-mail.io"),
        headers={"Auto-Submitted": "auto-generated"},
    )
    verdict = classify(raw)
    assert verdict.suppressed is None
    assert verdict.label.value == "rejection"


def test_plain_mail_is_not_suppressed() -> None:
    """An ordinary message from a person has no suppression reason."""
    assert classify(build_mail("Your application", BODY)).suppressed is None
