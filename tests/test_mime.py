"""The standard-library bytes path reads what mail-parser reads, only faster."""

from __future__ import annotations

import base64
from pathlib import Path

import mailparser
import pytest

from classifiers import mime
from classifiers.message import from_bytes, from_parsed
from classifiers.text import tidy

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
WELL_FORMED = sorted(p for p in FIXTURES.rglob("*.eml") if "malformed" not in p.parts)
HEAD = b"From: Jordan <jordan@northwind.example>\r\nSubject: Your application\r\n"


def _folded(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("path", WELL_FORMED, ids=lambda p: p.name)
def test_bytes_path_agrees_with_mail_parser(path: Path) -> None:
    """Subject, addresses, headers and text match mail-parser's reading of the same file."""
    raw = path.read_bytes()
    ours, theirs = from_bytes(raw), from_parsed(mailparser.parse_from_bytes(raw))
    assert (ours.subject, ours.sender, ours.reply_to) == (
        theirs.subject,
        theirs.sender,
        theirs.reply_to,
    )
    assert ours.headers == theirs.headers
    assert _folded(ours.body) == _folded(theirs.body)
    assert _folded(ours.quoted) == _folded(theirs.quoted)


def test_base64_text_keeps_its_last_characters() -> None:
    """Padding is part of base64: dropping it would cut the final sentence short."""
    body = "Leider haben wir uns für eine andere Person entschieden. Viel Erfolg!"
    assert len(body.encode()) % 3, "the encoding must end in padding"
    raw = (
        HEAD
        + b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(body.encode())
    )
    assert from_bytes(raw).body == body


def test_a_huge_base64_part_is_decoded_only_in_part() -> None:
    """Twenty megabytes of base64 cost what the first hundred kilobytes cost."""
    text = ("Unfortunately we will not proceed. " * 600_000).encode()
    raw = (
        HEAD
        + b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(text)
    )
    view = from_bytes(raw)
    assert view.body.startswith("Unfortunately we will not proceed.")
    assert len(view.body) <= 30_000


def test_raw_utf8_and_encoded_words_in_one_header() -> None:
    """8-bit octets (seen in the wild) and RFC 2047 words decode side by side."""
    raw = (
        b"From: =?utf-8?q?J=C3=B6rg?= M\xc3\xbcller <jm@northwind.example>\r\n"
        b"Subject: Absage f\xc3\xbcr =?iso-8859-1?q?B=FCro?= Manager\r\n\r\nText\r\n"
    )
    view = from_bytes(raw)
    assert view.subject == "Absage für Büro Manager"
    assert view.sender is not None
    assert (view.sender.name, view.sender.email) == ("Jörg Müller", "jm@northwind.example")


def test_a_fold_before_an_encoded_word_keeps_its_space() -> None:
    """A subject folded before an encoded word keeps the space (RFC 2047 drops only the
    space between two encoded words): Python's own writer folds subjects so."""
    raw = (
        b"From: hr@altamira.example\r\n"
        b"Subject: Contrato predoctoral en\r\n =?utf-8?q?Qu=C3=ADmica?= Sostenible\r\n"
        b"\r\nText\r\n"
    )
    assert from_bytes(raw).subject == "Contrato predoctoral en Química Sostenible"
    assert mime.header_text("=?utf-8?q?Qu=C3=AD?=\r\n =?utf-8?q?mica?=") == "Química"


def test_a_lying_charset_falls_back_to_a_readable_decode() -> None:
    """Latin-1 bytes labelled UTF-8 read as the words they are, not replacement marks."""
    raw = HEAD + b"Content-Type: text/plain; charset=utf-8\r\n\r\nWir m\xfcssen absagen.\r\n"
    assert from_bytes(raw).body == "Wir müssen absagen."


def test_named_text_parts_are_attachments_and_skipped() -> None:
    """A CV sent back as text/plain with a name is not the message's text."""
    raw = (
        HEAD + b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nThe real text.\r\n"
        b'--b\r\nContent-Type: text/plain; name="cv.txt"\r\n\r\nMy CV.\r\n'
        b"--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment\r\n\r\nNotes.\r\n"
        b"--b--\r\n"
    )
    assert from_bytes(raw).body == "The real text."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("jordan@northwind.example", [("", "jordan@northwind.example")]),
        ('"Reyes, Jordan" <jr@northwind.example>', [("Reyes, Jordan", "jr@northwind.example")]),
        ("Jordan Reyes <jr@northwind.example>", [("Jordan Reyes", "jr@northwind.example")]),
        (
            "a@northwind.example, B <b@northwind.example>",
            [("", "a@northwind.example"), ("B", "b@northwind.example")],
        ),
    ],
)
def test_addresses_fast_path_and_fallback_agree(value: str, expected: list) -> None:
    """The quick single-address form and getaddresses give the same pairs."""
    assert mime.addresses([value]) == expected


def test_unknown_charset_name_is_not_fatal() -> None:
    """A charset Python does not know decodes as UTF-8."""
    assert mime.as_text("é".encode(), "x-no-such-charset") == "é"


@pytest.mark.parametrize(
    "content_type",
    [
        'text/plain; charset="utf-8"',
        "TEXT/HTML;CHARSET=ISO-8859-1",
        "text/plain",
        'text/plain; charset="utf-8',
        "text/plain; charset=utf-8; format=flowed",
        'text/plain; name="cv.txt"',
        "text/plain; charset*=utf-8''x",
        "text/plain; charset = utf-8",
        'text/plain;\r\n charset="us-ascii"',
    ],
)
def test_content_type_fast_path_agrees_with_the_stdlib(content_type: str) -> None:
    """The quick reading of a plain Content-Type gives the parameters get_params gives."""
    part = mime.parse(HEAD + f"Content-Type: {content_type}\r\n\r\nText.\r\n".encode())
    assert mime._params(part) == dict(part.get_params(failobj=[])[1:])


@pytest.mark.parametrize(
    ("text", "tidied"),
    [
        ("a  b\t\tc", "a b c"),
        ("a \u00a0b", "a b"),
        ("x\x01y\x7fz", "xyz"),
        ("one \n two", "one\ntwo"),
        ("one\n\n \n\ntwo", "one\n\ntwo"),
        ("plain text\nstays", "plain text\nstays"),
        ("a\u200b b", "a b"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("form\x0cfeed  \x0b", "formfeed"),
        (" \ufeffhi ", "hi"),
    ],
)
def test_tidy_folds_blanks_and_drops_control_characters(text: str, tidied: str) -> None:
    """Text that needs no folding is skipped over quickly, and the rest is folded as before."""
    assert tidy(text) == tidied


def test_raw_8bit_in_one_address_does_not_garble_its_neighbours() -> None:
    """Each name and address is decoded on its own: UTF-8 beside Latin-1 stays UTF-8."""
    utf8 = "é".encode().decode("ascii", "surrogateescape")
    latin1 = "é".encode("latin-1").decode("ascii", "surrogateescape")
    pairs = mime.addresses([f"{utf8} <e@x.example>, Ren{latin1} <f{latin1}@x.example>"])
    assert pairs == [("é", "e@x.example"), ("René", "fé@x.example")]


def test_a_folded_quoted_display_name_hands_out_no_address() -> None:
    pairs = mime.addresses(['"Jordan\r\n Bcc: victim@evil.example" <jordan@northwind.example>'])
    assert [address for _, address in pairs] == ["jordan@northwind.example"]
