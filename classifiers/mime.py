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
    """The message tree, without the bodies of attachments (see ``without_attachment_bodies``).

    Raises ValueError when the parser itself gives up.
    """
    try:
        try:
            clean = _parse_clean(raw)
            if clean is not None:
                return clean
            return email.message_from_bytes(without_attachment_bodies(raw), policy=compat32)
        except RecursionError:
            return _flattened(raw)
    except (RecursionError, LookupError, ValueError, TypeError, IndexError) as exc:
        raise ValueError(f"unparseable message: {type(exc).__name__}") from exc


# What the stdlib's feedparser takes for a header line (email.feedparser.headerRE).
_HEADER_LINE = re.compile(rb"(?:From |[\041-\071\073-\176]*:|[\t ])")
_HEADER_END = re.compile(rb"\n\r?\n")
_LONE_CR = re.compile(rb"\r(?!\n)")
# The first Content-Type header of a clean header block, with its continuation lines.
_CONTENT_TYPE = re.compile(rb"^content-type:[^\n]*\n(?:[ \t][^\n]*\n)*", re.I | re.M)
_DELIMITER_TAIL = re.compile(rb"(--)?[ \t]*(?:\r?\n|\Z)")
_LAST_EOL = re.compile(r"\r?\n\Z")
_MAX_DEPTH = 10


def _parse_clean(raw: bytes) -> Message | None:
    """The tree the stdlib parser would build, built directly, for a cleanly structured
    message (most are); None for anything else, which the stdlib parser then reads.

    Clean: line breaks are LF or CRLF, every header block holds only header lines
    and ends in an empty line, and every multipart has its boundary, at least one
    part, a close delimiter and no doubled delimiters.  In such a message the
    parser finds no defect, and a part is exactly what lies between two
    delimiters, so each can be cut out with ``bytes.find`` instead of going
    through it line by line.  Attachment payloads are left empty, as in
    ``without_attachment_bodies``; preambles and epilogues are not kept.
    """
    if b"\r" in raw and _LONE_CR.search(raw):
        return None
    return _clean_entity(raw, 0, len(raw), 0)


def _clean_entity(raw: bytes, start: int, end: int, depth: int) -> Message | None:
    if raw.startswith(b"\n", start):
        body, lines = start + 1, []
    elif raw.startswith(b"\r\n", start):
        body, lines = start + 2, []
    else:
        blank_line = _blank_line(raw, start, end)
        if blank_line is None:
            return None
        body = blank_line.end()
        # The header lines with their line breaks, the empty line left out; split on LF
        # only, as the parser does (str.splitlines would also split on \f or \x1c).
        block = raw[start : blank_line.start()].decode("ascii", "surrogateescape")
        lines = [line + "\n" for line in block.split("\n")]
    message = Message(policy=compat32)
    header: list[str] = []
    for line in lines:
        if line[0] in " \t":
            if not header:
                return None  # a continuation with nothing to continue: a defect
            header.append(line)
            continue
        if line.startswith(("From ", ":")):
            return None  # an envelope line, or a header without a name: defects
        if header:
            message.set_raw(*compat32.header_source_parse(header))
        header = [line]
    if header:
        message.set_raw(*compat32.header_source_parse(header))
    maintype = message.get_content_maintype()
    if maintype == "message" or message.get_content_type() == "multipart/digest":
        return None
    if maintype != "multipart":
        if maintype == "text":
            payload = raw[body:end].decode("ascii", "surrogateescape")
            # A part's last line break belongs to the delimiter after it.
            message.set_payload(_LAST_EOL.sub("", payload) if start else payload)
        else:
            message.set_payload("")
        return message
    boundary = message.get_boundary()
    encoding = str(message.get("content-transfer-encoding", "8bit")).lower()
    if depth >= _MAX_DEPTH or not _findable(boundary) or encoding not in ("7bit", "8bit", "binary"):
        return None
    parts, epilogue = _parts(raw, body, end, boundary)
    # No close delimiter (a message cut short, say), no part, or two delimiters in a
    # row (the parser skips one): defects, left to the parser.
    if epilogue is None or not parts or any(first == last for first, last in parts):
        return None
    for first, last in parts:
        part = _clean_entity(raw, first, last, depth + 1)
        if part is None:
            return None
        message.attach(part)
    return message


def without_attachment_bodies(raw: bytes) -> bytes:
    """``raw`` with the body of every non-text leaf part cut out, headers and structure kept.

    The stdlib parser goes through a message line by line in Python, and most of
    the lines of a job mail with a CV or a PDF are base64 that the classifier
    never reads: cutting them first makes parsing several times faster.  The cut
    follows the parser's own rules (a part ends at the first delimiter line of
    any enclosing boundary), and anything it cannot follow exactly (lone CRs, a
    header block with a non-header line, a multipart without a boundary) is
    left whole, so the tree parsed from the result is the same but for the
    emptied payloads.
    """
    if b"--" not in raw or _LONE_CR.search(raw):
        return raw
    kept: list[bytes] = []
    _keep_entity(raw, 0, len(raw), kept, 0)
    return b"".join(kept)


def _header_end(raw: bytes, start: int, end: int) -> int | None:
    """Where the body of the entity at ``raw[start:end]`` starts, when its header block is
    clean (only header lines, then an empty line); else None."""
    blank_line = _blank_line(raw, start, end)
    return blank_line.end() if blank_line else None


def _blank_line(raw: bytes, start: int, end: int) -> re.Match[bytes] | None:
    """The empty line that ends a clean header block at ``start`` (its match starts at the
    last header line's LF); None when the block is empty or not clean."""
    if raw.startswith((b"\r\n", b"\n"), start):
        return None
    found = _HEADER_END.search(raw, start, end)
    if found is None:
        return None
    for line in raw[start : found.start()].split(b"\n"):
        if not _HEADER_LINE.match(line):
            return None
    return found


def _content_type(raw: bytes, start: int, body: int) -> Message:
    """A message holding only the entity's first Content-Type, read as the parser reads it:
    all its type and boundary methods answer as on the parsed entity, for a fraction of
    the cost of parsing every header."""
    headers = Message(policy=compat32)
    found = _CONTENT_TYPE.search(raw, start, body)
    if found is not None:
        lines = found.group().decode("ascii", "surrogateescape").splitlines(keepends=True)
        headers.set_raw(*compat32.header_source_parse(lines))
    return headers


def _keep_entity(raw: bytes, start: int, end: int, kept: list[bytes], depth: int) -> None:
    body = _header_end(raw, start, end)
    if body is None or depth > _MAX_DEPTH:
        kept.append(raw[start:end])
        return
    headers = _content_type(raw, start, body)
    maintype = headers.get_content_maintype()
    if maintype == "multipart":
        _keep_multipart(raw, start, body, end, headers.get_boundary(), kept, depth)
    elif maintype in ("text", "message"):
        kept.append(raw[start:end])
    else:  # an attachment or inline image: the headers say all the classifier asks
        kept.append(raw[start:body])
        # The line break before the next delimiter belongs to the delimiter.
        if raw.endswith(b"\r\n", start, end):
            kept.append(b"\r\n")
        elif raw.endswith(b"\n", start, end):
            kept.append(b"\n")


def _keep_multipart(
    raw: bytes,
    start: int,
    body: int,
    end: int,
    boundary: str | None,
    kept: list[bytes],
    depth: int,
) -> None:
    if not _findable(boundary):
        kept.append(raw[start:end])
        return
    kept.append(raw[start:body])
    position = body
    for first, last in _parts(raw, body, end, boundary)[0]:
        kept.append(raw[position:first])  # the preamble or nothing, and a delimiter line
        _keep_entity(raw, first, last, kept, depth + 1)
        position = last
    kept.append(raw[position:end])  # the close delimiter and the epilogue, if any


def _findable(boundary: str | None) -> bool:
    """Whether ``_delimiters`` can look for this boundary: ASCII, and without a line break
    (folded into a quoted parameter, or %0A in RFC 2231), which the parser, comparing
    one line at a time, can never match."""
    if not boundary or not boundary.isascii():
        return False
    return "\n" not in boundary and "\r" not in boundary


def _parts(
    raw: bytes, body: int, end: int, boundary: str
) -> tuple[list[tuple[int, int]], int | None]:
    """The (start, end) of each part of the multipart body ``raw[body:end]``, and where
    its epilogue starts: None when there is no close delimiter, the last part then
    running to ``end``, as the parser reads a message cut short."""
    parts: list[tuple[int, int]] = []
    position = None
    for at, line_end, closing in _delimiters(raw, body, end, boundary):
        if position is not None:
            parts.append((position, at))
        if closing:
            return parts, line_end
        position = line_end
    if position is not None:
        parts.append((position, end))
    return parts, None


def _delimiters(raw: bytes, body: int, end: int, boundary: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, closes) of each delimiter line of ``boundary`` in ``raw[body:end]``."""
    marker = b"--" + boundary.encode("ascii")
    search = body
    while (at := raw.find(marker, search, end)) >= 0:
        search = at + len(marker)
        # A delimiter is a whole line: at a line start, the marker, "--" if it closes,
        # blanks, the line break (see email.feedparser's boundaryre).
        line = _DELIMITER_TAIL.match(raw, search, end)
        if line is None or (at > body and raw[at - 1] != 0x0A):
            continue
        yield at, line.end(), bool(line.group(1))
        search = line.end()


def _flattened(raw: bytes) -> Message:
    """The top headers over the text parts, for hostile mail nested deeper than the
    stdlib parser can recurse: its text is still read, its structure is not."""
    body = _header_end(raw, 0, len(raw))
    if body is None:
        raise ValueError("nested too deep")
    top = email.message_from_bytes(raw[:body], policy=compat32)
    leaves: list[Message] = []
    pending = [(0, len(raw))]  # a stack, not recursion: the nesting is what failed
    while pending and len(leaves) < _MAX_TEXT_PARTS:
        start, end = pending.pop()
        head_end = _header_end(raw, start, end)
        if head_end is None:
            continue
        headers = _content_type(raw, start, head_end)
        boundary = headers.get_boundary()
        if headers.get_content_maintype() == "multipart" and _findable(boundary):
            pending.extend(reversed(_parts(raw, head_end, end, boundary)[0]))
        elif start and headers.get_content_maintype() == "text":
            leaves.append(email.message_from_bytes(raw[start:end], policy=compat32))
    top.set_payload(leaves)
    return top


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


def _eight_bit_read(text: str) -> str:
    """Raw 8-bit octets in a header (surrogate escapes) read as UTF-8, else cp1252."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return as_text(_raw_bytes(text), None)
    return text


def header_text(value: object) -> str:
    """A header value with RFC 2047 words decoded and raw 8-bit octets read as UTF-8."""
    if value is None:
        return ""
    text = _eight_bit_read(str(value))
    if "=?" not in text:
        return text
    # Unfolded first: decode_header drops a fold's space between plain text and an
    # encoded word ("FPI en\n =?utf-8?q?Qu=C3=ADmica?=" would read "enQuímica").
    text = _FOLD.sub("", text)
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
    """(display name, address) pairs, each decoded after splitting: commas in a name stay
    safe, and raw 8-bit (RFC 6532) in one address cannot garble its neighbours."""
    if not values:
        return []
    # Unfolded first: getaddresses does not unfold, and a quoted display name folded
    # across lines would hand it an address out of the name.
    values = [_FOLD.sub("", value) for value in values]
    if len(values) == 1:
        simple = _SIMPLE_ADDRESS.fullmatch(values[0])
        if simple:  # getaddresses is slow; skip it for the common shape
            name, bracketed, bare = simple.groups()
            return [(header_text(name.strip()) if name else "", _eight_bit_read(bracketed or bare))]
    return [(header_text(display), _eight_bit_read(addr)) for display, addr in getaddresses(values)]


_FOLD = re.compile(r"\r?\n(?=[ \t])")


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
