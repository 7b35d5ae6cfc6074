"""Raw bytes to the few decoded fields the classifier reads, with the standard library.

mail-parser decodes every header, every part and every attachment of a message;
the classifier needs a subject, two address headers and the first text parts.
Doing only that on top of the stdlib's compat32 parser is several times faster,
which matters because the daemon classifies every message it sees.  Every
decode step degrades to replacement characters instead of raising.
"""

from __future__ import annotations

import binascii
import codecs
import email
import quopri
import re
from collections.abc import Iterator
from email.header import decode_header
from email.message import Message
from email.policy import compat32
from email.utils import collapse_rfc2231_value, getaddresses

# Encoded payload read per part: enough for MAX_TEXT_CHARS of decoded text even
# in base64 (4/3) or quoted-printable (up to 3x), without decoding a 20 MB part.
_MAX_ENCODED_CHARS = 100_000
_MAX_TEXT_PARTS = 8
_BASE64_JUNK = re.compile(rb"[^A-Za-z0-9+/=]")


def parse(raw: bytes) -> Message:
    """The message tree.  Raises ValueError when the parser itself gives up."""
    try:
        return email.message_from_bytes(raw, policy=compat32)
    except (RecursionError, LookupError, ValueError, TypeError, IndexError) as exc:
        raise ValueError(f"unparseable message: {type(exc).__name__}") from exc


def as_text(data: bytes, charset: str | None) -> str:
    """Decode with the declared charset; a missing or lying one falls back to UTF-8, then cp1252."""
    for candidate in (charset, "utf-8"):
        if not candidate:
            continue
        try:
            return codecs.decode(data, candidate)
        except (LookupError, UnicodeError, TypeError, ValueError):
            continue
    return data.decode("cp1252", errors="replace")


def _raw_bytes(value: str) -> bytes:
    # compat32 keeps 8-bit octets as surrogate escapes; anything else is already text.
    return value.encode("utf-8", errors="surrogateescape")


def header_text(value: object) -> str:
    """A header value with RFC 2047 words decoded and raw 8-bit octets read as UTF-8."""
    if value is None:
        return ""
    text = str(value)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = as_text(_raw_bytes(text), None)
    if "=?" not in text:
        return text
    try:
        chunks = decode_header(text)
    except (ValueError, LookupError, binascii.Error):
        return text
    # decode_header hands plain stretches back as raw-unicode-escape bytes.
    decoded = "".join(
        chunk
        if isinstance(chunk, str)
        else as_text(chunk, charset)
        if charset
        else chunk.decode("raw-unicode-escape", errors="replace")
        for chunk, charset in chunks
    )
    # raw-unicode-escape turns a literal "\\udcff" in a header into a lone surrogate.
    return (decoded or text).encode("utf-8", "replace").decode("utf-8")


# The shape nearly every From and Reply-To has: one address, optionally named.
_SIMPLE_ADDRESS = re.compile(
    r'\s*(?:"?([^"<>,;:@\\]*?)"?\s*<([^<>\s,;:"@]+@[^<>\s,;:"@]+)>|([^<>\s,;:"@]+@[^<>\s,;:"@]+))\s*'
)


def addresses(values: list[str]) -> list[tuple[str, str]]:
    """(display name, address) pairs; names decoded after splitting, so commas in them stay safe."""
    if not values:
        return []
    if len(values) == 1:
        simple = _SIMPLE_ADDRESS.fullmatch(values[0])
        if simple:  # getaddresses is slow; skip it for the common shape
            name, bracketed, bare = simple.groups()
            return [(header_text(name.strip()) if name else "", bracketed or bare)]
    return [(header_text(display), addr) for display, addr in getaddresses(values)]


def text_parts(message: Message) -> Iterator[tuple[str, str]]:
    """(subtype, decoded text) of each inline text/plain or text/html part, in order."""
    found = 0
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        if content_type not in ("text/plain", "text/html"):
            continue
        params = _params(part)
        disposition = str(part.get("content-disposition", "")).split(";", 1)[0].strip().lower()
        if disposition == "attachment" or "name" in params:
            continue
        yield content_type[5:], as_text(_payload_bytes(part), _charset(params.get("charset")))
        found += 1
        if found >= _MAX_TEXT_PARTS:
            return


# The Content-Type nearly every text part has: the type and a charset at most.
_PLAIN_CONTENT_TYPE = re.compile(
    r'\s*text/(?:plain|html)\s*(?:;\s*charset=(?:"([\w.:-]+)"|([\w.:-]+))\s*)?', re.IGNORECASE
)


def _params(part: Message) -> dict[str, str | tuple[str, str, str]]:
    """The Content-Type parameters; the common shape without the stdlib's slow general parser."""
    header = part.get("content-type")
    plain = _PLAIN_CONTENT_TYPE.fullmatch(header) if isinstance(header, str) else None
    if plain is None:
        return dict(part.get_params(failobj=[])[1:])
    charset = plain.group(1) or plain.group(2)
    return {"charset": charset} if charset else {}


def _charset(value: str | tuple[str, str, str] | None) -> str | None:
    if isinstance(value, tuple):  # an RFC 2231 encoded parameter
        value = collapse_rfc2231_value(value)
    return str(value).strip().lower() or None if value else None


def _payload_bytes(part: Message) -> bytes:
    encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
    if encoding not in ("base64", "quoted-printable"):
        data = part.get_payload(decode=True)
        return data[:_MAX_ENCODED_CHARS] if isinstance(data, bytes) else b""
    # Decode only the head of a transfer-encoded part: a 20 MB one costs no more.
    payload = part.get_payload()
    if not isinstance(payload, str):
        return b""
    data = _raw_bytes(payload[:_MAX_ENCODED_CHARS])
    if encoding == "quoted-printable":
        return quopri.decodestring(data)
    clean = _BASE64_JUNK.sub(b"", data)
    try:
        return binascii.a2b_base64(clean[: len(clean) - len(clean) % 4])
    except binascii.Error:
        return b""


def defects(message: Message) -> list[str]:
    """The parser's defect class names, over all parts."""
    return [type(d).__name__ for part in message.walk() for d in part.defects]
