"""Cutting attachment bodies before parsing changes nothing the classifier reads.

``mime.without_attachment_bodies`` runs on every message the daemon sees, so it
is held to the parser's own rules: the tree parsed from its output has the same
parts, headers, text payloads, preambles, epilogues and defects as the tree
parsed from the whole message, only with empty attachment payloads.
"""

from __future__ import annotations

import base64
import email
from email.message import Message
from email.policy import compat32
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifiers import mime
from classifiers.message import from_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
PDF = base64.encodebytes(bytes(range(256)) * 40)


def _tree(message: Message) -> list[tuple]:
    """What the classifier can read of each part: type, headers, text, defects (not the
    payload of an attachment, nor a multipart's preamble and epilogue)."""
    shape = []
    for part in message.walk():
        maintype = part.get_content_maintype()
        leaf_text = not part.is_multipart() and maintype in ("text", "message")
        shape.append(
            (
                part.get_content_type(),
                list(part.raw_items()),
                part.get_payload() if leaf_text else None,
                [type(d).__name__ for d in part.defects],
            )
        )
    return shape


def _whole(raw: bytes) -> Message:
    return email.message_from_bytes(raw, policy=compat32)


def assert_same_reading(raw: bytes) -> None:
    assert _tree(mime.parse(raw)) == _tree(_whole(raw))
    # What the classifier gets from either is equal, field by field.
    try:
        expected = from_bytes(raw)
    except ValueError:
        return
    parse = mime.parse
    try:
        mime.parse = _whole  # type: ignore[assignment]
        assert from_bytes(raw) == expected
    finally:
        mime.parse = parse  # type: ignore[assignment]


def _mail(*parts: bytes, boundary: bytes = b"b1", close: bool = True) -> bytes:
    head = b"From: Jordan <jordan@northwind.example>\r\nSubject: Your application\r\n"
    head += b'Content-Type: multipart/mixed; boundary="' + boundary + b'"\r\n\r\n'
    body = b"".join(b"--" + boundary + b"\r\n" + part + b"\r\n" for part in parts)
    return (
        head + b"preamble\r\n" + body + (b"--" + boundary + b"--\r\nepilogue\r\n" if close else b"")
    )


TEXT = b"Content-Type: text/plain; charset=utf-8\r\n\r\nUnfortunately we will not proceed."
ATTACHMENT = (
    b'Content-Type: application/pdf; name="cv.pdf"\r\nContent-Transfer-Encoding: base64\r\n'
    b'Content-Disposition: attachment; filename="cv.pdf"\r\n\r\n' + PDF.replace(b"\n", b"\r\n")
)


def test_an_attachment_body_is_cut_and_its_headers_kept() -> None:
    raw = _mail(TEXT, ATTACHMENT)
    slim = mime.without_attachment_bodies(raw)
    assert len(slim) < len(raw) // 10
    assert b'filename="cv.pdf"' in slim
    assert b"Unfortunately we will not proceed." in slim
    assert_same_reading(raw)


def test_nested_multiparts_and_a_forwarded_message() -> None:
    inner = (
        b'Content-Type: multipart/alternative; boundary="b2"\r\n\r\n'
        b"--b2\r\n" + TEXT + b"\r\n--b2\r\nContent-Type: text/html\r\n\r\n<p>Hi</p>\r\n"
        b"--b2\r\n" + ATTACHMENT + b"\r\n--b2--\r\n"
    )
    forwarded = b"Content-Type: message/rfc822\r\n\r\nSubject: old\r\n\r\nold text"
    raw = _mail(inner, ATTACHMENT, forwarded)
    assert len(mime.without_attachment_bodies(raw)) < len(raw) // 5
    assert_same_reading(raw)


def test_a_line_that_only_starts_like_a_delimiter_does_not_end_the_part() -> None:
    fake = ATTACHMENT + b"\r\n--b1 not a delimiter\r\n--b1x\r\nsee --b1\r\nmore"
    assert_same_reading(_mail(fake, TEXT))


def test_a_message_cut_inside_its_attachment_as_a_partial_fetch_cuts_it() -> None:
    raw = _mail(TEXT, ATTACHMENT)
    for cut in (len(raw) // 2, len(raw) - 30, len(raw) - 3):
        assert_same_reading(raw[:cut])
    assert_same_reading(_mail(TEXT, ATTACHMENT, close=False))


def test_a_boundary_with_a_line_break_never_matches_a_delimiter_line() -> None:
    """Folded into a quoted parameter, or %0A in RFC 2231: the parser compares one line
    at a time, so the part is never found, and neither may we find it."""
    body = b"\n\n--a\n b\nContent-Type: text/plain\n\nWe regret to inform you.\n--a\n b--\n"
    for content_type in (b'boundary="a\n b"', b'boundary="a\r\n b"', b"boundary*=us-ascii''a%0Ab"):
        raw = b"From: a@b.example\nSubject: s\nContent-Type: multipart/mixed; " + content_type
        assert_same_reading(raw + body)
        assert "regret" not in from_bytes(raw + body).body


def test_what_it_cannot_follow_exactly_is_left_whole() -> None:
    lone_cr = _mail(TEXT, ATTACHMENT).replace(b"\r\n", b"\r")
    no_separator = _mail(ATTACHMENT).replace(b"Subject: Your", b"Not a header line\r\nSubject:")
    non_ascii = _mail(ATTACHMENT, boundary="grüße".encode())
    for raw in (lone_cr, no_separator, non_ascii):
        assert mime.without_attachment_bodies(raw) == raw
        assert_same_reading(raw)


def test_every_fixture_reads_the_same() -> None:
    for path in sorted(FIXTURES.rglob("*.eml")):
        assert_same_reading(path.read_bytes())


# -- random MIME trees -----------------------------------------------------------

_BOUNDARIES = st.sampled_from(["b1", "=_part_1", "----=_NextPart_000", "x y", "b1--"])
_LEAF_TYPES = st.sampled_from(
    [
        "text/plain; charset=utf-8",
        "text/html",
        "application/pdf",
        "image/png",
        "application/octet-stream; name=cv.docx",
        "message/rfc822",
        "",  # no Content-Type at all: text/plain by default
    ]
)
_BODY_LINES = st.lists(
    st.sampled_from(
        [
            b"Unfortunately we have decided not to proceed.",
            b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=",
            b"--b1",
            b"--b1--",
            b"-- ",
            b"--=_part_1 trailing",
            b"see --b1",
            b"x--=_part_1--",
            b"",
            b"Subject: looks like a header",
            b"\xff\xfe raw bytes",
        ]
    ),
    max_size=6,
)


@st.composite
def _entity(draw: st.DrawFn, depth: int, used: tuple[str, ...]) -> bytes:
    if depth < 3 and draw(st.booleans()):
        boundary = draw(_BOUNDARIES)
        subtype = draw(st.sampled_from(["mixed", "alternative", "related", "digest"]))
        quoted = draw(st.booleans())
        value = f'"{boundary}"' if quoted or " " in boundary else boundary
        children = draw(st.lists(_entity(depth + 1, (*used, boundary)), min_size=0, max_size=3))
        parts = b"".join(b"--" + boundary.encode() + b"\n" + c + b"\n" for c in children)
        close = b"--" + boundary.encode() + b"--\n" if draw(st.booleans()) else b""
        preamble = b"\n".join(draw(_BODY_LINES)) + b"\n"
        epilogue = b"\n".join(draw(_BODY_LINES))
        header = f"Content-Type: multipart/{subtype};\n boundary={value}\n\n".encode()
        return header + preamble + parts + close + epilogue
    content_type = draw(_LEAF_TYPES)
    header = f"Content-Type: {content_type}\n".encode() if content_type else b""
    if draw(st.booleans()):
        header += b"Content-Transfer-Encoding: base64\n"
    return header + b"\n" + b"\n".join(draw(_BODY_LINES))


@st.composite
def mime_messages(draw: st.DrawFn) -> bytes:
    raw = b"From: a@example.com\nSubject: s\n" + draw(_entity(0, ()))
    if draw(st.booleans()):
        raw = raw.replace(b"\n", b"\r\n")
    if draw(st.booleans()):  # cut short, as a partial FETCH cuts a long message
        raw = raw[: draw(st.integers(0, len(raw)))]
    return raw


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mime_messages())
def test_random_mime_trees_read_the_same(raw: bytes) -> None:
    assert_same_reading(raw)
