"""A message's fingerprint: its identity across renumbered folders and duplicate deliveries."""

from __future__ import annotations

import email.parser
from email.policy import compat32
from pathlib import Path

from classifiers import mime
from classifiers.message import parse_bytes
from daemon.mail.imap import fingerprint

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
HEAD = b"Date: Mon, 2 Nov 2026 09:12:00 +0000\r\nFrom: Jordan <jordan@northwind.example>\r\n"


def test_the_message_id_lower_cased_is_the_fingerprint() -> None:
    raw = HEAD + b"Message-ID: <ABC-1@Northwind.example>\r\n\r\nbody\r\n"
    assert fingerprint(raw) == "<abc-1@northwind.example>"


def test_without_a_message_id_the_head_decides_and_the_body_does_not() -> None:
    short = HEAD + b"Subject: Your application\r\n\r\nshort\r\n"
    long = HEAD + b"Subject: Your application\r\n\r\n" + b"x" * 200_000 + b"\r\n"
    assert fingerprint(short) == fingerprint(long)
    assert fingerprint(short).startswith("sha256:")
    assert fingerprint(short) != fingerprint(short.replace(b"Your", b"My"))


def test_a_message_id_line_in_the_body_is_not_the_message_id() -> None:
    raw = HEAD + b"Subject: Fwd\r\n\r\nMessage-ID: <quoted@elsewhere.example>\r\n"
    assert fingerprint(raw) != "<quoted@elsewhere.example>"
    lf_only = raw.replace(b"\r\n", b"\n")
    assert fingerprint(lf_only) == fingerprint(raw.replace(b"\r\n", b"\n") + b"more\n")


def test_a_message_that_is_all_head_still_has_one() -> None:
    assert fingerprint(HEAD + b"Message-ID: <only-head@northwind.example>") == (
        "<only-head@northwind.example>"
    )


def test_every_fixture_has_the_fingerprint_of_its_whole_head() -> None:
    """Reading up to the first blank line gives what reading the whole message gives."""
    for path in sorted(FIXTURES.rglob("*.eml")):
        raw = path.read_bytes()
        whole = email.parser.BytesHeaderParser(policy=compat32).parsebytes(raw)
        message_id = mime.header_text(whole.get("message-id")).strip().lower()
        if message_id:
            assert fingerprint(raw) == message_id, path.name


def test_the_parsed_message_gives_the_same_fingerprint_as_the_raw_head() -> None:
    """The daemon reuses the classifier's parse; a stored fingerprint must not change."""
    samples = [p.read_bytes() for p in sorted(FIXTURES.rglob("*.eml"))]
    samples += [
        HEAD + b"Subject: =?utf-8?q?Ihre_Bewerbung?=\r\n\r\nHallo\r\n",  # no Message-ID
        HEAD + "Subject: Grüße\r\n\r\nraw UTF-8 in the head\r\n".encode(),
        HEAD + b"Message-ID: <m-1@x.example>\r\nContent-Type: multipart/mixed; boundary=b\r\n"
        b"\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--\r\n",
    ]
    compared = 0
    for raw in samples:
        if raw.strip():  # an empty one has no parse to reuse
            assert fingerprint(raw, parse_bytes(raw)) == fingerprint(raw)
            compared += 1
    assert compared >= len(samples) - 2
