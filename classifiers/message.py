"""A small, decoded view of an email: the only input the classifier reads.

The MIME work is done by the standard library for raw bytes (``mime``, the
daemon's path) or by mail-parser for a caller's parsed object; this module only
picks out and normalises the few fields the rules need, so the rules never
touch MIME and tests can build a view from plain strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

import mailparser

from . import mime
from .text import MAX_TEXT_CHARS, html_to_text, split_quoted, tidy

# Headers the rules consult, lower-cased.  Everything else is ignored.
_WANTED_HEADERS = frozenset(
    {
        "list-id",
        "list-post",
        "list-unsubscribe",
        "precedence",
        "auto-submitted",
        "return-path",
        "x-autoreply",
        "x-autorespond",
        "x-auto-response-suppress",
        "in-reply-to",
        "references",
        "message-id",
        "content-type",
    }
)
# A plain part shorter than this next to an HTML part is usually "view this
# email in your browser"; the HTML then carries the real text.
_STUB_PLAIN_CHARS = 80


@dataclass(frozen=True, slots=True)
class Address:
    name: str
    email: str

    @property
    def domain(self) -> str:
        return self.email.rpartition("@")[2]

    @property
    def local_part(self) -> str:
        return self.email.rpartition("@")[0]


@dataclass(frozen=True, slots=True)
class MailView:
    """The decoded parts of one message.  ``body`` excludes quoted replies."""

    subject: str = ""
    sender: Address | None = None
    reply_to: tuple[Address, ...] = ()
    body: str = ""
    quoted: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    defects: tuple[str, ...] = ()

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    @property
    def is_reply(self) -> bool:
        return bool(self.header("in-reply-to")) or bool(_REPLY_PREFIX.match(self.subject))

    @property
    def thread_ids(self) -> frozenset[str]:
        """Message-IDs this message answers (In-Reply-To and References)."""
        ids = _MSG_ID.findall(self.header("in-reply-to") + " " + self.header("references"))
        return frozenset(i.lower() for i in ids)


_REPLY_PREFIX = re.compile(r"^\s*(?:re|aw|antw|antwort|rv|réf|ref|sv|vs|wg)\s*:", re.IGNORECASE)
_MSG_ID = re.compile(r"<[^<>\s]+>")
_HEADER_JUNK = re.compile(r"[\r\n\t\x00]+")


def _clean_header(value: Any) -> str:
    """Header text on one line: folded, and no CR/LF a template could inject."""
    text = str(value or "")
    if "\n" in text or "\r" in text or "\t" in text or "\x00" in text:
        text = _HEADER_JUNK.sub(" ", text)
    return text.strip()[:2000]


def _address_pairs(pairs: Iterable[tuple[Any, Any]]) -> tuple[Address, ...]:
    """Addresses from (display name, address) pairs whose names are already decoded."""
    found = []
    for display, email in pairs:
        email = str(email).strip().strip("<>").lower()
        if "@" in email:
            found.append(Address(_clean_header(display).strip("\"' "), email))
    return tuple(found)


def _choose_body(plain_parts: Iterable[Any], html_parts: Iterable[Any]) -> str:
    plain = tidy("\n\n".join(str(p) for p in plain_parts))
    html = list(html_parts)
    if len(plain) >= _STUB_PLAIN_CHARS or not html:
        return plain
    return html_to_text("\n".join(str(p) for p in html)) or plain


def from_parsed(parsed: mailparser.MailParser) -> MailView:
    """Build the view from a mail-parser object (what the daemon already has)."""
    message = parsed.message
    headers: dict[str, str] = {}
    if message is not None:
        for name, value in message.raw_items():  # one pass; the first of a repeated header wins
            key = name.lower()
            if key in _WANTED_HEADERS and key not in headers:
                headers[key] = _clean_header(value)
    # mail-parser has already decoded RFC 2047 display names in these.
    senders = _address_pairs(parsed.from_ or ())
    if not senders and message is not None:
        senders = _address_pairs(mime.addresses([str(v) for v in message.get_all("from") or ()]))
    own, quoted = split_quoted(_choose_body(parsed.text_plain or (), parsed.text_html or ()))
    return MailView(
        subject=_clean_header(parsed.subject),
        sender=senders[0] if senders else None,
        reply_to=_address_pairs(parsed.reply_to or ()),
        body=own,
        quoted=quoted[:MAX_TEXT_CHARS],
        headers=headers,
        defects=tuple(sorted(parsed.defects_categories or ())),
    )


def from_bytes(raw: bytes) -> MailView:
    """Parse raw RFC 5322 bytes.  Raises ValueError if nothing can be made of them.

    This path skips mail-parser (see ``mime``); it is what the daemon uses.
    """
    return from_message(parse_bytes(raw))


def from_text(subject: str, sender: Address | None, body: str) -> MailView:
    """The view ``from_bytes`` makes of a plain-text message with these parts.

    For training and measuring on invented mail without encoding it first: the
    body is tidied and its quoted part cut off the same way.
    """
    own, quoted = split_quoted(_choose_body([body], []))
    return MailView(
        subject=_clean_header(subject),
        sender=sender,
        body=own,
        quoted=quoted[:MAX_TEXT_CHARS],
    )


def parse_bytes(raw: bytes) -> Message:
    """The message tree ``from_message`` reads.  Raises ValueError as ``from_bytes`` does."""
    if not raw or not raw.strip():
        raise ValueError("empty message")
    return mime.parse(raw)


def from_message(message: Message) -> MailView:
    """The view of a tree from ``parse_bytes``, for a caller that reads its headers too."""
    headers: dict[str, str] = {}
    subject = ""
    address_values: dict[str, list[str]] = {"from": [], "reply-to": []}
    for name, value in message.raw_items():  # one pass; the first of a repeated header wins
        key = name.lower()
        if key in address_values:
            address_values[key].append(str(value))
        elif key == "subject" and not subject:
            subject = str(value)
        elif key in _WANTED_HEADERS and key not in headers:
            headers[key] = _clean_header(mime.header_text(value))
    senders = _address_pairs(mime.addresses(address_values["from"]))
    plain, html = [], []
    for subtype, text in mime.text_parts(message):
        (plain if subtype == "plain" else html).append(text)
    own, quoted = split_quoted(_choose_body(plain, html))
    return MailView(
        subject=_clean_header(mime.header_text(subject)),
        sender=senders[0] if senders else None,
        reply_to=_address_pairs(mime.addresses(address_values["reply-to"])),
        body=own,
        quoted=quoted[:MAX_TEXT_CHARS],
        headers=headers,
        defects=tuple(sorted(set(mime.defects(message)))),
    )
