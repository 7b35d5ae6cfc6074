"""The mailbox as the ledger of last resort: a mark on all we make, and a claim before acting.

Pure: the marks themselves.  The IMAP side of the claim (find, earlier_claim,
withdraw) is in ``imap``; ``outbox`` runs it.

"Never twice" held only while the state file remembered.  A reinstall, a second
machine with its own state on the same mailbox, or a corrupted file forgot it.
The mailbox is the one record every debriefer on the account sees, so what we
make carries a mark there, in its Message-ID::

    <debriefer.r.<24 hex digits>.<random>@<the user's domain>>

The hex digits hash the mailbox (its login name), the kind ("r" request, "t"
thank-you) and whom it concerns: the contact, or for a thank-you the rejection
it answers.  Every debriefer computes the same mark for the same contact,
whatever its state knows; the random part keeps each Message-ID unique.

The claim, run by ``outbox`` for every draft and every send:

1. Look for the mark in Drafts and Sent.  Found: it was made (before the state
   was lost, or by another debriefer); record that and make nothing.
2. APPEND our message to Drafts.  In send mode this draft is the reservation,
   appended before a byte goes to the SMTP server.
3. Look again.  The server numbers APPENDs in the order they complete, so of two
   debriefers the later one always sees the earlier: a marked message at a lower
   UID in Drafts, or any in Sent, is an earlier claim.  The loser removes its own
   message, by its UID, and only that.
4. Only the winner sends; its reservation is removed once the mail is sent.

A crash anywhere leaves at worst our draft in Drafts, which step 1 then finds:
a draft stands in for any send that could not be decided, never a second send.
"""

from __future__ import annotations

import hashlib
import re
import secrets

KINDS = {"request": "r", "thank_you": "t"}
_MARKED = re.compile(r"<?debriefer\.([rt])\.([0-9a-f]{24})\.[0-9a-z]+@", re.IGNORECASE)


def mark(mailbox: str, kind: str, key: str) -> str:
    """The mark of what ``kind`` we make for ``key`` (a contact, or ``thread:<rejection>``)
    in ``mailbox`` (its login name): the same on every machine and in every state."""
    text = f"{mailbox.strip().lower()}\0{kind}\0{key.strip().lower()}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def marked_id(mailbox: str, kind: str, key: str, domain: str) -> str:
    """A fresh Message-ID carrying the mark."""
    return f"<debriefer.{KINDS[kind]}.{mark(mailbox, kind, key)}.{secrets.token_hex(6)}@{domain}>"


def mark_of(message_id: str | None) -> str | None:
    """The mark in one of our Message-IDs; None for anyone else's (or ours from before marks)."""
    found = _MARKED.search(message_id or "")
    return found.group(2).lower() if found else None
