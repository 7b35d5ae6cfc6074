"""Turn a rendered template into the message we append or send.

Every header is built from cleaned one-line values through the ``email``
package's own address and header classes, so a name or subject taken from
mail can never add a header of its own; the threading headers follow RFC
5322 (In-Reply-To the message answered, References its chain plus it).
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from classifiers.history import History
from classifiers.senders import is_no_reply
from daemon.config import Identity
from daemon.ledger import Action
from daemon.mail.render import TemplateError, clean_field, render
from decide.plan import TEMPLATES as DEFAULT_TEMPLATES

log = logging.getLogger(__name__)

# Visible ASCII only: a NUL or other control byte from hostile mail has no place in a
# header (and some servers refuse the APPEND), and a non-ASCII id would be written as an
# encoded word, which is no Message-ID at all.
_MESSAGE_ID = re.compile(r"<[!#-;=?-~]{1,250}>")
# A long References chain is trimmed from the middle; its first and last ids matter most.
MAX_REFERENCES = 20
# Headers that hold Message-IDs: written as they are, folded only between ids.
_ID_HEADERS = frozenset({"message-id", "in-reply-to", "references"})
_FOLD_AT = 78


class _DraftPolicy(EmailPolicy):
    """SMTP's policy, except that a header of Message-IDs is never encoded.

    The ``email`` package folds any word longer than a line into RFC 2047 encoded
    words, and Outlook's ids are often longer than that: an encoded msg-id is no
    msg-id, and a client would thread the draft beside the mail it answers.
    """

    def fold(self, name: str, value: str) -> str:
        if name.lower() in _ID_HEADERS and str(value).isascii():
            return _fold_ids(name, str(value), self.linesep)
        return super().fold(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        if name.lower() in _ID_HEADERS and str(value).isascii():
            return _fold_ids(name, str(value), self.linesep).encode("ascii")
        return super().fold_binary(name, value)


def _fold_ids(name: str, value: str, linesep: str) -> str:
    """``name: id id ...`` with a line break only between ids, each id whole."""
    lines, line = [], f"{name}:"
    for token in value.split():
        if len(line) + 1 + len(token) > _FOLD_AT and line != f"{name}:":
            lines.append(line)
            line = ""
        line += f" {token}"
    return linesep.join([*lines, line]) + linesep


DRAFT_POLICY = _DraftPolicy(linesep="\r\n")


def header_safe(text: str | None, limit: int) -> str | None:
    """A mail-derived value for a header: one line, and no encoded-word syntax, which
    the ``email`` package would decode while folding and so let CR/LF back in."""
    cleaned = clean_field(text, limit)
    return cleaned.replace("=?", "= ?") if cleaned else cleaned


_ADDRESS_SPECIALS = re.compile(r'[,;:<>@"()\[\]\\=?]')


def recipient(action: Action) -> Address | None:
    """The person the draft goes to; None for no-reply senders or anything malformed."""
    email = (action.to_email or "").strip()
    if not email or is_no_reply(email) or any(c.isspace() or ord(c) < 32 for c in email):
        return None
    if "=?" in email:  # encoded-word syntax, which a reader could decode into a line break
        return None
    local, _, domain = email.rpartition("@")
    try:
        # A non-ASCII domain would be written as an encoded word inside the address, which
        # no server accepts: IDNA gives its ASCII form, and refuses what is no domain
        # (U+FFFD from an address the classifier could not decode, say).
        if local and not domain.isascii():
            email = f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:
        return None
    # A person's name needs none of the characters that separate, quote or encode
    # addresses; with them, Python's folding of a long name can leave it unquoted, and
    # "0, Bcc: victim@evil.example" reads back as a second recipient.
    name = " ".join(_ADDRESS_SPECIALS.sub(" ", header_safe(action.to_name, 80) or "").split())
    try:
        address = Address(display_name=name, addr_spec=email)
    except (ValueError, IndexError, HeaderParseError):
        # HeaderParseError is no ValueError: without it an address the classifier took
        # as written ("jordan@northwind.example.") failed every attempt until it lapsed.
        return None
    # Both parts, or it is no address: '""@x.example' parses to an empty local part.
    return address if address.username and address.domain else None


def context(action: Action, source: dict[str, Any], identity: Identity) -> dict[str, Any]:
    """What the templates get: cleaned one-line values, None wherever unknown."""
    received = source.get("received_at")
    subject = clean_field(source.get("subject"), 200)
    contact_name = clean_field(action.to_name, 80) if recipient(action) else None
    # What the look-back found in the earlier thread (lookback.look_back), if it ran.
    history: History | None = source.get("history")
    title = (history.job_title if history else None) or source.get("job_title")
    return {
        "identity": identity,
        "company": clean_field(source.get("company"), 100),
        "job_title": clean_field(title, 150),
        "interviewed": history.interviewed if history else None,
        "interview_date": history.interview_date if history else None,
        "interviewer": clean_field(history.interviewer, 80) if history else None,
        "contact_name": contact_name,
        # The mail was familiar (du, tu, tú, je; "Hi Alex"): the draft answers in kind,
        # by first name.
        "familiar": bool(source.get("familiar")),
        "contact_first_name": _first_name(contact_name),
        "rejection_subject": subject if action.kind == "request" else None,
        "reply_subject": subject if action.kind == "thank_you" else None,
        "rejection_date": _day(received),
        "language": action.language,
    }


def _first_name(contact_name: str | None) -> str | None:
    """The name a familiar greeting uses; none for an initial ("J. Penhaligon")."""
    first = contact_name.split()[0] if contact_name else ""
    return first if len(first.rstrip(".")) > 1 else None


def _day(value: str | None) -> date | None:
    try:
        return datetime.fromisoformat(value).date() if value else None
    except ValueError:
        return None


def thread_headers(source: dict[str, Any]) -> tuple[str | None, str | None]:
    """(In-Reply-To, References) answering ``source``; None where it had no Message-ID."""
    own = _MESSAGE_ID.search(source.get("message_id") or "")
    if own is None:
        return None, None
    chain = [i for i in _MESSAGE_ID.findall(source.get("refs") or "") if i != own.group()]
    chain = list(dict.fromkeys(chain))  # In-Reply-To usually repeats the last reference
    if len(chain) >= MAX_REFERENCES:
        chain = chain[:1] + chain[-(MAX_REFERENCES - 2) :]
    return own.group(), " ".join([*chain, own.group()])


def compose(
    action: Action,
    source: dict[str, Any],
    identity: Identity,
    *,
    now: datetime,
    templates_dir: Path | None,
) -> EmailMessage:
    """The complete message for ``action``: headers, threading and the rendered text."""
    values = context(action, source, identity)
    try:
        rendered = render(action.template, action.language, values, user_dir=templates_dir)
    except TemplateError as failure:
        default = DEFAULT_TEMPLATES[action.kind]
        if action.template == default:
            raise
        # A rule's own template may lack this language: the shipped one still says it well.
        log.warning(
            "template %r failed for %s (%s); using %r",
            action.template,
            action.language,
            failure,
            default,
        )
        rendered = render(default, action.language, values, user_dir=templates_dir)
    message = EmailMessage(policy=DRAFT_POLICY)
    message["Message-ID"] = action.message_id
    message["Date"] = format_datetime(now)
    message["From"] = Address(
        display_name=header_safe(identity.name, 80) or "", addr_spec=identity.email
    )
    to = recipient(action)
    if to is not None:
        message["To"] = to
    message["Subject"] = header_safe(rendered.subject, 250) or "Feedback"
    in_reply_to, references = thread_headers(source)
    if in_reply_to and references:
        message["In-Reply-To"] = in_reply_to
        message["References"] = references
    message.set_content(rendered.body, charset="utf-8")
    return message
