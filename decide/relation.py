"""Which rejection a later message continues, and whether it answers our request.

Pure: the ledger hands over what it knows (each request made, as ``Asked``; earlier
answers; the latest rejections in the thread and from the sender); ``answered`` and
``unasked`` choose.  ``decide.plan`` reads the result (a ``Thread``) and the ledger
stores it with the message, so it is decided once, when the message is recorded, and
``status`` shows what was stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from classifiers.senders import company_domain

# How long after a request mail from the contact or their company still answers it;
# a reply in the thread answers it whenever it comes.
ANSWER_WINDOW = timedelta(days=90)


def lowered(*values: str | None) -> set[str]:
    """Addresses or Message-IDs as compared: trimmed, lower-case, the empty ones left out."""
    return {v.strip().lower() for v in values if v}


@dataclass(frozen=True, slots=True)
class Thread:
    """A rejection we know, as a later message continues it: the one relation of a reply
    to a rejection, decided when the reply is recorded and stored with it."""

    rejection: int  # the rejection's message row
    subject: str
    how: str  # in words, for the outcome: "threaded to our request", "from the contact"
    request: int | None = None  # the feedback request's action, once it was made
    asked_at: datetime | None = None  # when it was made: drafted, or seen in Sent
    # How it continues it: "thread" (References, In-Reply-To), "contact" (the same
    # person), "company" (someone else at the company's own domain).
    match: str = "thread"
    fingerprint: str = ""  # the rejection's, the same in every state (decide/marks.py)

    @property
    def threaded(self) -> bool:
        return self.match == "thread"

    @property
    def asked(self) -> bool:
        """A request was made: a message in this thread is an answer to it."""
        return self.asked_at is not None


@dataclass(frozen=True, slots=True)
class Asked:
    """A feedback request that was made (drafted or sent by us, or seen in Sent), with
    the rejection it followed: what an answer to it may be recognised by."""

    request: int  # the action's row
    asked_at: datetime
    rejection: int  # the rejection's message row
    subject: str
    fingerprint: str
    rejection_id: str  # lower-case, as every Message-ID here
    # The rejection's Message-ID, our draft's, and the one the request was sent under.
    ids: frozenset[str]
    # Whom it concerns: the request's recipient, the rejection's contact and sender.
    people: frozenset[str]


def answered(
    asked: Iterable[Asked],
    *,
    sender: str | None,
    thread_ids: frozenset[str],
    continued: set[int],
    received: datetime,
    message_id: str | None = None,
) -> Thread | None:
    """The request a message answers, if any.

    A message answers a request made before it when it is threaded to the rejection,
    the request (as drafted or as sent) or an earlier answer (``continued``: the
    rejections whose threads hold one of ``thread_ids``), or, within ``ANSWER_WINDOW``
    of the request, comes from the contact, the rejection's sender, or someone else at
    their company's own domain.  A direct thread beats an earlier answer's, which beats
    the contact, which beats the company; then the latest request wins.  A copy of the
    rejection itself (``message_id``) answers nothing.
    """
    own = (message_id or "").strip().lower()
    address = sender.lower() if sender else None
    domain = company_domain(address)
    best: tuple[int, datetime, Thread] | None = None
    for each in asked:
        if received < each.asked_at or (own and own == each.rejection_id):
            continue  # written before we asked, or the rejection again: not an answer
        recent = received - each.asked_at <= ANSWER_WINDOW
        if each.ids & thread_ids:
            rank, match, how = 4, "thread", "threaded to the request"
        elif each.rejection in continued:
            rank, match, how = 3, "thread", "threaded to an earlier answer"
        elif recent and address and address in each.people:
            rank, match, how = 2, "contact", "from the contact"
        elif recent and domain and domain in {company_domain(p) for p in each.people}:
            rank, match, how = 1, "company", f"from {domain}, the rejection's company"
        else:
            continue
        found = Thread(
            each.rejection,
            each.subject,
            how,
            each.request,
            each.asked_at,
            match,
            each.fingerprint,
        )
        if best is None or (rank, each.asked_at) > best[:2]:
            best = (rank, each.asked_at, found)
    return best[2] if best is not None else None


@dataclass(frozen=True, slots=True)
class Rejection:
    """A recorded rejection, as a candidate for the one a message continues."""

    row: int
    subject: str
    fingerprint: str


def unasked(threaded: Rejection | None, from_sender: Rejection | None) -> Thread | None:
    """Before any request was made (or when the message answers none): the latest
    rejection in its thread, else the latest from its sender."""
    if threaded is not None:
        how = f"threaded to the rejection {threaded.subject[:60]!r}"
        return Thread(threaded.row, threaded.subject, how, fingerprint=threaded.fingerprint)
    if from_sender is not None:
        how = f"from the sender of the rejection {from_sender.subject[:60]!r}"
        return Thread(
            from_sender.row,
            from_sender.subject,
            how,
            match="contact",
            fingerprint=from_sender.fingerprint,
        )
    return None
