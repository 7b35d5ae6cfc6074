"""When nothing must ever be drafted in answer (after Sieve vacation, RFC 5230 / RFC 3834)."""

from __future__ import annotations

import re

from .message import MailView
from .senders import is_bounce_sender

_BULK = re.compile(r"^\s*(?:bulk|list|junk)\b", re.IGNORECASE)
_AUTO_REPLIED = re.compile(r"^\s*auto-replied\b", re.IGNORECASE)


def suppression_reason(view: MailView, user_addresses: frozenset[str] = frozenset()) -> str | None:
    """Why this message must not be answered, or None.

    ``Auto-Submitted: auto-generated`` is deliberately not a reason: applicant
    tracking systems send rejections that way.  It only means the From is not
    a person, which contact resolution already handles.
    """
    sender = view.sender.email if view.sender else ""
    if sender and sender in user_addresses:
        return "sent by you"
    if view.header("list-id") or view.header("list-post"):
        return "mailing list (List-Id/List-Post header)"
    if _BULK.match(view.header("precedence")):
        return f"Precedence: {view.header('precedence').split()[0].lower()}"
    return_path = view.header("return-path")
    if return_path and return_path.strip() in {"<>", ""}:
        return "bounce (empty Return-Path)"
    if (sender and is_bounce_sender(sender)) or "report-type=delivery-status" in view.header(
        "content-type"
    ).replace(" ", "").lower():
        return "bounce (delivery status notification)"
    if (
        _AUTO_REPLIED.match(view.header("auto-submitted"))
        or view.header("x-autoreply")
        or (view.header("x-autorespond"))
    ):
        return "automatic reply (Auto-Submitted: auto-replied)"
    return None
