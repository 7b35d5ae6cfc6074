"""Hostile or broken input never raises: it is classified as well as it can be."""

from __future__ import annotations

import pytest

from classifiers import Label, classify

from .support import build_mail

HEAD = b"From: Jordan <jordan@northwind.example>\r\nTo: alex.candidate@example.net\r\n"
REJECTION = b"Unfortunately we have decided not to move forward with your application."

MALFORMED = {
    "unknown charset": HEAD
    + b"Subject: Your application\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n\r\n"
    + REJECTION,
    "lying charset": HEAD
    + b"Subject: Your application\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    + b"Leider \xfc\xe4\xff haben wir uns entschieden.\r\n",
    "empty body": HEAD + b"Subject: Your application\r\n\r\n",
    "headers only": HEAD + b"Subject: nothing else",
    "html only": HEAD
    + b"Subject: Your application\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    + b"<html><head><style>p{color:red}</style><script>var x = 'not selected';</script></head>"
    + b"<body><p>Hi Alex,</p><p>Unfortunately we have decided not to move forward with your"
    + b" application.</p></body></html>",
    "broken boundary": HEAD
    + b"Subject: Your application\r\nMIME-Version: 1.0\r\n"
    + b'Content-Type: multipart/alternative; boundary="abc"\r\n\r\n--abd\r\n'
    + b"Content-Type: text/plain\r\n\r\n"
    + REJECTION
    + b"\r\n--abc",
    "nul bytes": HEAD
    + b"Subject: Your\x00 application\r\n\r\n"
    + REJECTION.replace(b" ", b"\x00 "),
    "undecodable header": HEAD + b"Subject: =?utf-8?B?////?= \xff\xfe\r\n\r\n" + REJECTION,
    "deep nesting": HEAD
    + b'Subject: nested\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b0"\r\n\r\n'
    + b"".join(
        b'--b%d\r\nContent-Type: multipart/mixed; boundary="b%d"\r\n\r\n' % (i, i + 1)
        for i in range(60)
    )
    + b"--b60\r\nContent-Type: text/plain\r\n\r\n"
    + REJECTION
    + b"\r\n",
    "huge part": HEAD
    + b"Subject: Your application\r\n\r\n"
    + REJECTION
    + b"\r\n"
    + b"A" * (8 * 1024 * 1024),
    "binary garbage": bytes(range(256)) * 64,
}


@pytest.mark.parametrize("raw", MALFORMED.values(), ids=MALFORMED.keys())
def test_never_raises(raw: bytes) -> None:
    """Every malformed message yields a verdict with a label and single-line fields."""
    verdict = classify(raw)
    assert isinstance(verdict.label, Label)
    for value in (verdict.company, verdict.job_title, verdict.contact_name):
        assert value is None or ("\n" not in value and "\r" not in value)


def test_html_only_mail_is_read_without_scripts() -> None:
    """An HTML-only rejection is classified from its visible text, not its <script>."""
    verdict = classify(MALFORMED["html only"])
    assert verdict.label is Label.REJECTION
    assert not any("not selected" in r for r in verdict.reasons)


def test_rejection_survives_an_unknown_charset() -> None:
    """An unknown charset falls back to a lenient decode; the verdict is still right."""
    assert classify(MALFORMED["unknown charset"]).label is Label.REJECTION


def test_empty_bytes_are_a_value_error() -> None:
    """Nothing at all is the one input classify refuses, with a clear ValueError."""
    with pytest.raises(ValueError, match="empty message"):
        classify(b"  \r\n")


def test_header_injection_in_names_and_subjects_is_flattened() -> None:
    """CR/LF smuggled into a display name or subject never survives into extracted fields."""
    raw = (
        b"From: =?utf-8?q?Eve=0D=0ABcc=3A_victim=40example=2Ecom?= <eve@contoso.example>\r\n"
        b"To: alex.candidate@example.net\r\n"
        b"Subject: =?utf-8?q?Application=0D=0ABcc=3A_x=40example=2Ecom?=\r\n\r\n"
        + REJECTION
        + b"\r\nBest regards,\r\nEve\r\n"
    )
    verdict = classify(raw)
    for value in (verdict.company, verdict.job_title, verdict.contact_name, verdict.contact_email):
        assert value is None or ("\n" not in value and "\r" not in value)


def test_quoted_rejection_in_a_user_reply_is_not_read_as_new() -> None:
    """A reply that only quotes a rejection is judged on its own words."""
    raw = build_mail(
        "Re: Your application",
        "Thanks for letting me know, and for your time!\n\n"
        "On Mon, 3 Nov 2026 at 10:00, Jordan <jordan@northwind.example> wrote:\n"
        "> Unfortunately we have decided not to move forward with your application.\n",
        sender=("Sam Other", "sam@elsewhere.example"),
    )
    assert classify(raw).label is Label.OTHER
