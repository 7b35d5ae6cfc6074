"""Before a request is drafted, read what the mailbox already knows about this company.

The earlier thread (the user's application in Sent, an interview invitation or a
scheduling mail in the inbox) says whether there was an interview, when, with whom,
and the role's exact title; ``classifiers.history`` reads it, this module fetches it.

Read-only like everything debriefer does with the user's mail: folders are selected
with EXAMINE and bodies fetched with BODY.PEEK, so not even \\Seen changes.  The search
is by what ties a mail to the rejection: the contact's address, the company's own mail
domain, and the company's name in the sender or the subject.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from imapclient import IMAPClient

from classifiers.history import Earlier, History, calendar_start, read_earlier, summarize
from classifiers.message import MailView, from_bytes
from classifiers.senders import company_domain
from daemon.mail.imap import body_of

log = logging.getLogger(__name__)

# The newest mails read per folder: an earlier thread is a handful of mails, and a
# company that writes every week should not cost a hundred fetches per draft.
MAX_MAILS = 25
# Enough of a mail for its text and a calendar invitation; attachments are not read.
FETCH_BYTES = 262_144
# A name searched as a substring must be long enough not to match everyone ("HP").
_MIN_NAME = 4
_SEARCHABLE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .&'-]*[A-Za-z0-9.]")
_SEARCHABLE_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+")


def search_keys(source: dict[str, Any], contact_email: str | None) -> list[tuple[str, str]]:
    """(header, text) pairs that tie an earlier mail to this rejection."""
    keys: list[tuple[str, str]] = []
    for address in dict.fromkeys(filter(None, [contact_email, source.get("sender")])):
        domain = company_domain(address)
        if domain and _SEARCHABLE_ADDRESS.fullmatch(f"x@{domain}"):
            keys.append(("address", f"@{domain}"))
    company = (source.get("company") or "").strip()
    if len(company) >= _MIN_NAME and _SEARCHABLE_NAME.fullmatch(company):
        keys.append(("name", company))
    return list(dict.fromkeys(keys))


def _criteria(keys: list[tuple[str, str]], sent: bool) -> list[Any]:
    """OR of the keys: the user's mail is searched by recipient, the inbox by sender;
    a company's name may be in either's subject."""
    terms: list[list[Any]] = []
    for kind, value in keys:
        terms.append(["TO" if sent else "FROM", value])
        if kind == "name":
            terms.append(["SUBJECT", value])
    criteria: list[Any] = terms[-1]
    for term in reversed(terms[:-1]):
        criteria = ["OR", *term, *criteria]
    return criteria


def look_back(
    client: IMAPClient,
    folders: dict[str, str | None],
    source: dict[str, Any],
    contact_email: str | None,
    users: frozenset[str],
    window: timedelta,
) -> History:
    """The earlier thread of the rejection ``source`` (a messages row) in the folders
    ``{"inbox": ..., "sent": ...}``, within ``window`` before it."""
    received = datetime.fromisoformat(source["received_at"])
    rejection = _rejection(client, source)
    keys = search_keys(source, contact_email)
    earlier: list[Earlier] = []
    if keys and window > timedelta(0):
        for kind, folder in folders.items():
            if folder:
                earlier.extend(
                    _read(client, folder, keys, received, window, sent=kind == "sent", users=users)
                )
    own_id = (source.get("message_id") or "").lower()
    earlier = [e for e in earlier if e.message_id != own_id]
    return summarize(earlier, rejection, received, source.get("job_title"))


def _rejection(client: IMAPClient, source: dict[str, Any]) -> MailView:
    """The rejection itself, which may recall the interview ("thank you for meeting us");
    only its subject when its folder has changed since it was seen."""
    fallback = MailView(subject=source.get("subject") or "")
    status = client.select_folder(source["folder"], readonly=True)
    if status.get(b"UIDVALIDITY") != source["uidvalidity"]:
        return fallback
    data = client.fetch([source["uid"]], [f"BODY.PEEK[]<0.{FETCH_BYTES}>"]).get(source["uid"], {})
    raw = body_of(data)
    return from_bytes(raw) if isinstance(raw, bytes) else fallback


def _read(
    client: IMAPClient,
    folder: str,
    keys: list[tuple[str, str]],
    received: datetime,
    window: timedelta,
    *,
    sent: bool,
    users: frozenset[str],
) -> Iterator[Earlier]:
    client.select_folder(folder, readonly=True)
    since = (received - window).date()
    criteria = ["SINCE", since, "BEFORE", (received + timedelta(days=1)).date()]
    uids = client.search([*criteria, *_criteria(keys, sent)])
    newest = sorted(uids)[-MAX_MAILS:]
    if not newest:
        return
    fetched = client.fetch(newest, ["INTERNALDATE", f"BODY.PEEK[]<0.{FETCH_BYTES}>"])
    for uid, data in fetched.items():
        raw = body_of(data)
        when = data.get(b"INTERNALDATE")
        if not isinstance(raw, bytes) or not isinstance(when, datetime):
            continue
        if when.tzinfo is None:
            when = when.astimezone()
        try:
            view = from_bytes(raw)
            yield read_earlier(
                view,
                when,
                folder,
                sent=sent,
                users=users,
                calendar_day=calendar_start(raw),
                message_id=view.header("message-id"),
            )
        except Exception as exc:  # one odd mail costs itself, never the draft
            log.debug("look-back: uid %s in %s skipped: %s", uid, folder, type(exc).__name__)
