"""Hostile mail for the fault suite: crafted messages, and hypothesis strategies that
make more of them.

The attacks that matter most aim at our drafts: a display name or subject
that decodes to CR/LF plus ``Bcc: someone``, hoping the draft built from it
grows a header.  The rest aims at the parser: broken MIME, lying charsets,
huge and deeply nested parts, NUL bytes, endless header lines.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

from hypothesis import strategies as st

REJECTION = (
    "Dear Alex,\r\n\r\nThank you for your interest in the Data Engineer role at Northwind.\r\n"
    "Unfortunately we have decided not to move forward with your application.\r\n\r\n"
    "Best regards,\r\nJordan Reyes\r\nTalent Acquisition, Northwind\r\n"
)
INJECTED = "victim@evil.example"


def b64_word(text: str) -> str:
    return f"=?utf-8?b?{base64.b64encode(text.encode()).decode()}?="


@dataclass(frozen=True)
class Crafted:
    name: str
    raw: bytes
    # A rejection that must get its feedback request drafted, hostile or not.
    answered: bool = False

    @property
    def message_id(self) -> str | None:
        found = re.search(rb"^Message-ID: (<[^>\r\n]+>)", self.raw, re.MULTILINE)
        return found.group(1).decode() if found else None


def _mail(
    n: int, *, from_: str | None = None, subject: str = "Your application", extra: str = ""
) -> str:
    """The headers of crafted message ``n``, up to the blank line."""
    address = f"recruiter{n}@hostile{n}.example"
    head = (
        f"From: {from_ if from_ is not None else f'Jordan Reyes <{address}>'}\r\n"
        f"To: Alex Candidate <alex.candidate@example.net>\r\n"
        f"Subject: {subject}\r\n"
        f"Message-ID: <hostile-{n}@hostile{n}.example>\r\n"
        f"Date: Mon, 3 Mar 2025 10:00:00 +0000\r\n{extra}"
    )
    return head


def crafted() -> list[Crafted]:
    """One message per trick; the ``answered`` ones are rejections that must get a draft."""
    found: list[Crafted] = []

    def add(name: str, raw: str | bytes, answered: bool = False) -> None:
        found.append(Crafted(name, raw.encode() if isinstance(raw, str) else raw, answered))

    n = iter(range(1, 1000))

    # -- header injection through what our drafts reuse -------------------------
    i = next(n)
    word = b64_word(f"Jordan\r\nBcc: {INJECTED}")
    head = _mail(i, from_=f'"{word}" <recruiter{i}@hostile{i}.example>')
    add("CRLF+Bcc in a base64 encoded display name", head + "\r\n" + REJECTION, True)
    i = next(n)
    head = _mail(
        i,
        from_=f"=?utf-8?q?Jordan=0D=0ABcc=3A_{INJECTED}?= <recruiter{i}@hostile{i}.example>",
    )
    add("CRLF+Bcc in a q-encoded display name", head + "\r\n" + REJECTION, True)
    i = next(n)
    head = _mail(i, subject=b64_word(f"Your application\r\nBcc: {INJECTED}\r\n\r\nhi"))
    add("CRLF+Bcc and a body in an encoded subject", head + "\r\n" + REJECTION, True)
    i = next(n)
    head = _mail(i, subject=f"=?utf-8?q?Your_application?=\r\n =?utf-8?q?=0ABcc:_{INJECTED}?=")
    add("folded encoded words joining into CRLF", head + "\r\n" + REJECTION, True)
    i = next(n)
    head = _mail(
        i,
        from_=f'"Jordan\r\n Bcc: {INJECTED}" <recruiter{i}@hostile{i}.example>',
        subject=f"Your application\r\n Bcc: {INJECTED}",
    )
    add("folded quoted display name and subject", head + "\r\n" + REJECTION, True)
    i = next(n)
    head = _mail(
        i,
        from_=f"Jordan\u2028Bcc: {INJECTED}\u0085X: y <recruiter{i}@hostile{i}.example>",
        subject=f"Your application\u2028Bcc: {INJECTED}\u2029",
    )
    add("Unicode line separators in name and subject", head + "\r\n" + REJECTION, True)
    i = next(n)
    head = _mail(
        i, subject=f"Your application\rBcc: {INJECTED}", extra=f"X-Note: a\rBcc: {INJECTED}\r\n"
    )
    add("bare CR in a subject", head + "\r\n" + REJECTION, True)
    i = next(n)
    head = _mail(i, from_="Careers <no-reply@ats-hostile.example>", subject="Your application")
    word = b64_word(f"Sam\nBcc: {INJECTED}")
    reply_to = f'Reply-To: "{word}" <sam.lee{i}@hostile{i}.example>\r\n'
    add(
        "CRLF+Bcc in a Reply-To name (used for no-reply senders)",
        head + reply_to + "\r\n" + REJECTION.replace("Jordan Reyes", "Sam Lee"),
        True,
    )
    i = next(n)
    word = b64_word(f"<c@d>\r\nBcc: {INJECTED}")
    head = _mail(
        i,
        extra=f"References: <a@b> {word} <e@f>\r\nIn-Reply-To: <x@y>\r\n Bcc: {INJECTED}\r\n",
    )
    add("encoded words and folds in References", head + "\r\n" + REJECTION, True)
    i = next(n)
    head = _mail(i, subject="=?x-unknown?q?Your=20application?= =?utf-8?q?=FF=FE?= =?utf-8?b?!!!?=")
    add("malformed and unknown-charset encoded words", head + "\r\n" + REJECTION, True)
    i = next(n)
    # The daemon fetches the first 128 KiB of a message: these stay within that.
    head = _mail(i, subject="A" * 60_000)
    add("a 60 000-character subject line", head + "\r\n" + REJECTION, True)
    i = next(n)
    head = _mail(i, from_=f'"{"J" * 100_000}" <recruiter{i}@hostile{i}.example>')
    add("a 100 000-character display name", head + "\r\n" + REJECTION, True)
    i = next(n)
    head = _mail(i, extra=f"X-Long: {'x' * 20_000}\r\n" * 3)
    add("very long unknown header lines", head + "\r\n" + REJECTION, True)

    i = next(n)
    head = _mail(i, from_=f"Jordan Reyes <recruiter{i}@hostile{i}.example.>")
    # The classifier takes the address as written; the email package refuses it.
    add("a sender domain with a trailing dot", head + "\r\n" + REJECTION, True)
    i = next(n)
    head = _mail(i, from_=f"Jordan Reyes <recruiter{i}@hostile{i}..example>")
    add(
        "a sender domain with an empty label",
        head + "\r\n" + REJECTION,
        True,
    )
    i = next(n)
    # Raw UTF-8 headers (RFC 6532) are parsed as bytes: the address decodes to surrogates.
    head = _mail(i, from_=f"Jörg Müller <jörg.müller{i}@hostile{i}.example>")
    add("a raw UTF-8 sender address", head + "\r\n" + REJECTION, True)
    i = next(n)
    head = _mail(i, from_=f"Jörg Müller <joerg{i}@hostile{i}.example>", subject="Ihre Bewerbung")
    add("a raw UTF-8 display name", head + "\r\n" + REJECTION, True)

    # -- the parser ----------------------------------------------------------------
    i = next(n)
    head = _mail(i, extra='MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="abc"\r\n')
    body = f"--abd\r\nContent-Type: text/plain\r\n\r\n{REJECTION}\r\n--abc\r\n--"
    add("broken MIME boundaries", head + "\r\n" + body)
    i = next(n)
    head = _mail(i, extra="Content-Type: text/plain; charset=x-no-such-charset\r\n")
    add(
        "an unknown charset",
        (head + "\r\n").encode() + REJECTION.encode("latin-1") + b"\xe9\xff",
        True,
    )
    i = next(n)
    head = _mail(i, extra="Content-Type: text/plain; charset=utf-16\r\n")
    add("a charset that lies (utf-16 over ASCII)", head + "\r\n" + REJECTION, True)
    i = next(n)
    head = _mail(i, extra="Content-Type: text/plain; charset=utf-8\r\n")
    add(
        "a charset that lies (utf-8 over Latin-1)",
        (head + "\r\n").encode() + REJECTION.encode() + "Grüße".encode("latin-1"),
        True,
    )
    i = next(n)
    boundary = "big-attachment"
    head = _mail(
        i, extra=f'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="{boundary}"\r\n'
    )
    attachment = base64.encodebytes(bytes(range(256)) * (20 * 1024 * 1024 // 256 // 4 * 3))
    add(
        "a 20 MB attachment",
        (
            f"{head}\r\n--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{REJECTION}"
            f"\r\n--{boundary}\r\nContent-Type: application/octet-stream\r\n"
            "Content-Transfer-Encoding: base64\r\n"
            'Content-Disposition: attachment; filename="cv.bin"\r\n\r\n'
        ).encode()
        + attachment.replace(b"\n", b"\r\n")
        + f"\r\n--{boundary}--\r\n".encode(),
        True,
    )
    i = next(n)
    head = _mail(i, extra='MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="n0"\r\n')
    depth = 2000
    nested = "".join(
        f'--n{d}\r\nContent-Type: multipart/mixed; boundary="n{d + 1}"\r\n\r\n'
        for d in range(depth)
    )
    add(
        "multiparts nested 2000 deep",
        f"{head}\r\n{nested}--n{depth}\r\nContent-Type: text/plain\r\n\r\n{REJECTION}\r\n",
    )
    i = next(n)
    head = _mail(i, subject="Your\x00 application")
    add("NUL bytes", (head + "\r\n" + REJECTION.replace(" ", "\x00 ")).encode())
    add("no headers at all", REJECTION)
    add("nothing but a blank line", b"\r\n")
    add("binary garbage", bytes(range(256)) * 64)
    i = next(n)
    head = _mail(
        i,
        extra="MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset*=utf-8''%0D%0ABcc%3A%20x; format=flowed\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n",
    )
    add("RFC 2231 parameter tricks and broken QP", head + "\r\n" + REJECTION + "=\r\n=ZZ=0")
    return found


# -- hypothesis: more of the same, in combinations nobody wrote down ---------------

TRICKS = st.sampled_from(
    [
        "\r\n",
        "\n",
        "\r",
        "\r\n ",
        "\x00",
        "\u2028",
        "\u0085",
        "\x0b\x0c",
        f"\r\nBcc: {INJECTED}",
        f"=?utf-8?q?=0D=0ABcc:_{INJECTED}?=",
        b64_word(f"\r\nBcc: {INJECTED}"),
        "=?utf-8?q?unterminated",
        "=?bogus?x?abc?=",
        '"',
        "\\",
        "<",
        ">",
        ",",
        ";",
        ":",
        "@",
        "=?",
        "?=",
    ]
)
# Short runs of text and tricks: a display name, a subject, a header value.
hostile_text = st.lists(st.one_of(st.text(max_size=12), TRICKS), max_size=8).map("".join)
CHARSETS = st.sampled_from(
    ["utf-8", "us-ascii", "iso-8859-1", "utf-16", "utf-7", "x-unknown", "", '"', "gb2312"]
)
HEADER_NAMES = st.sampled_from(
    ["Bcc", "Cc", "Reply-To", "Sender", "References", "In-Reply-To", "Content-Type", "X-Any"]
)


@st.composite
def hostile_message(draw: st.DrawFn, n: int = 0) -> bytes:
    """A message with hostile headers and body, most of them still a rejection."""
    name = draw(hostile_text)
    subject = draw(hostile_text)
    charset = draw(CHARSETS)
    body = draw(st.one_of(st.just(REJECTION), st.text(max_size=200).map(lambda t: REJECTION + t)))
    tail = draw(st.binary(max_size=64))
    extras = draw(st.lists(st.tuples(HEADER_NAMES, hostile_text), max_size=3))
    multipart = draw(st.sampled_from(["no", "yes", "broken"]))
    address = f"hypo{n}@fuzz{n}.example"
    lines = [
        f'From: "{name}" <{address}>' if draw(st.booleans()) else f"From: {name} <{address}>",
        "To: alex.candidate@example.net",
        f"Subject: {subject}",
        f"Message-ID: <fuzz-{n}@fuzz.example>",
        *(f"{key}: {value}" for key, value in extras),
    ]
    text = body.encode("utf-8") + tail
    if multipart == "no":
        lines.append(f"Content-Type: text/plain; charset={charset}")
        payload = text
    else:
        lines.append('MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="zz"')
        opening = b"--zz" if multipart == "yes" else b"--zy"
        payload = (
            opening
            + f"\r\nContent-Type: text/plain; charset={charset}\r\n\r\n".encode()
            + text
            + b"\r\n--zz--\r\n"
        )
    head = "\r\n".join(lines).encode("utf-8", "surrogatepass")
    return head + b"\r\n\r\n" + payload
