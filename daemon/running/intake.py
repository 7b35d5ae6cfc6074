"""One fetched message in, one record out: judge and plan (``decide``), then record.

Shared by the daemon and `debriefer scan`, so a message scanned by hand is
planned exactly as if the daemon had seen it.  A message that breaks any step
is recorded with its error: it costs itself, never the messages after it.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import Message
from typing import Any

from classifiers import Verdict
from classifiers.message import MailView, from_message, parse_bytes
from daemon.config import AccountConfig, Config, Rule, user_addresses
from daemon.ledger import Ledger, Recorded, SeenMessage
from daemon.mail import imap
from daemon.running.clock import Clock
from decide.judge import Context, judge
from decide.plan import Plan, plan, settle
from decide.relation import Thread

log = logging.getLogger(__name__)

# How far ahead of this machine's clock a server's received time may be before it is
# taken as wrong.
CLOCK_SKEW = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Judged:
    seen: SeenMessage
    verdict: Verdict | None
    error: str | None
    rule: Rule | None = None
    thread: Thread | None = None  # the rejection it continues, as the state knows it


@dataclass(frozen=True, slots=True)
class Described:
    """A message judged and planned, and what recording it would do."""

    judged: Judged
    plan: Plan | None
    outcome: str | None  # in the words the ledger would record
    acts: bool  # whether the plan's action would be made
    cancels: bool  # whether a waiting request would be cancelled

    def plan_dict(self) -> dict[str, Any] | None:
        """The plan as `scan --dry-run --json` and `explain --json` show it."""
        if self.plan is None:
            return None
        new = self.plan.action if self.acts else None
        return {
            "foreseen": True,  # what recording would do; nothing was recorded
            "outcome": self.outcome,
            "action": None
            if new is None
            else {
                "kind": new.kind,
                "to": new.to_email,
                "to_name": new.to_name,
                "due_at": new.due_at.isoformat(timespec="seconds"),
                "expires_at": new.expires_at.isoformat(timespec="seconds"),
                "template": new.template,
                "language": new.language,
            },
            "cancels": {"contact": self.plan.cancel[0], "because": self.plan.cancel[1]}
            if self.plan.cancel and self.cancels
            else None,
        }


class Intake:
    """Everything one account does with a message once its bytes are here."""

    def __init__(
        self,
        config: Config,
        account: AccountConfig,
        state: Ledger | None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.config = config
        self.clock = clock or Clock()
        self.account = account
        # Read to judge replies in their thread; a dry run passes it read-only or None.
        self.state = state
        self.users = user_addresses(config, account)
        self.id_domain = config.identity.id_domain

    def judge(self, fetched: imap.Fetched, folder: str, uidvalidity: int) -> Judged:
        """Classify and apply the rules; a broken message gets an error, never an exception."""
        parsed: Message | None = None
        view: MailView | None = None
        verdict: Verdict | None = None
        rule: Rule | None = None
        error: str | None = None
        thread: Thread | None = None
        received = fetched.received_at
        now = self.clock()
        if received is not None and received.astimezone(UTC) > now + CLOCK_SKEW:
            # A server clock or a date from the future (2099) would schedule the request
            # for then, and keep that contact blocked until it came.
            received = now
        try:
            parsed = parse_bytes(fetched.raw)
            view = from_message(parsed)
            judgement = judge(
                view, self.config.rules, self.users, self._context(view, received or now)
            )
            verdict, thread, rule = judgement.verdict, judgement.thread, judgement.rule
        except Exception as exc:  # any classifier bug must cost one message, not the daemon
            error = f"{type(exc).__name__}: {exc}"[:300]
            log.warning("%s: uid %d skipped: %s", self.account.name, fetched.uid, error)
        seen = SeenMessage(
            account=self.account.name,
            folder=folder,
            uidvalidity=uidvalidity,
            uid=fetched.uid,
            fingerprint=imap.fingerprint(fetched.raw, parsed),
            message_id=(view.header("message-id") or None) if view else None,
            subject=view.subject if view else "",
            sender=view.sender.email if view and view.sender else None,
            received_at=received.astimezone(UTC).isoformat(timespec="seconds")
            if received
            else None,
            # References first: its order is the thread's; In-Reply-To adds the parent if missing.
            refs=f"{view.header('references')} {view.header('in-reply-to')}".strip()
            if view
            else "",
        )
        return Judged(seen, verdict, error, rule, thread)

    def _context(self, view: MailView, received: datetime) -> Context | None:
        """What the ledger knows of the message's thread; a dry run without one knows nothing."""
        if self.state is None:
            return None
        sender = view.sender.email if view.sender else None
        own_id = view.header("message-id") or None
        thread = self.state.thread_of(self.account.name, sender, view.thread_ids, received, own_id)
        return Context(thread, self.state.our_message_ids(view.thread_ids))

    def take(
        self, fetched: imap.Fetched, folder: str, uidvalidity: int, *, advance: bool = True
    ) -> tuple[Judged, Recorded | None]:
        """Judge, plan and record one message; returns None as the record if it was known."""
        assert self.state is not None
        try:
            judged = self.judge(fetched, folder, uidvalidity)
            return judged, self.state.record(
                judged.seen,
                judged.verdict,
                error=judged.error,
                advance=advance,
                plan=self.plan(judged),
                thread=judged.thread,
            )
        except sqlite3.OperationalError:
            # Busy or locked: not this message's fault.  The session restarts and fetches
            # it again, since the folder's position did not move.
            raise
        except Exception as exc:  # never let one message block the account
            log.exception("%s: uid %d could not be recorded", self.account.name, fetched.uid)
            judged = Judged(
                broken_message(fetched, self.account.name, folder, uidvalidity), None, ""
            )
            error = f"not recorded: {type(exc).__name__}"
            return judged, self.state.record(judged.seen, None, error=error, advance=advance)

    def describe(self, fetched: imap.Fetched, folder: str, uidvalidity: int) -> Described:
        """Judge and plan one message, and say what recording it would do, writing nothing:
        the dry run (`scan --dry-run`, `explain FILE`) is this pipeline without ``take``'s
        last step."""
        judged = self.judge(fetched, folder, uidvalidity)
        decided = self.plan(judged)
        if decided is None:
            return Described(judged, None, None, acts=False, cancels=False)
        seen = judged.seen
        known = (
            self.state.messages(
                "WHERE account = ? AND folder = ? AND uidvalidity = ? AND uid = ?",
                seen.account,
                seen.folder,
                seen.uidvalidity,
                seen.uid,
            )
            if self.state is not None
            else []
        )
        if known:  # this very message was recorded (and planned) before
            said = known[0]["outcome"]
            return Described(
                judged, decided, f"already recorded: {said}", acts=False, cancels=False
            )
        if self.state is None:  # nothing recorded yet: nothing to cancel or to repeat
            outcome, acts = settle(decided, cancelled=False, earlier=None, live=None)
            cancels = False
        else:
            outcome, acts, cancels = self.state.foresee(decided, judged.seen.fingerprint)
        return Described(judged, decided, outcome, acts=acts, cancels=cancels)

    def plan(self, judged: Judged) -> Plan | None:
        """What the message asks of us; without a state no reply can be related to an
        earlier rejection."""
        verdict, seen = judged.verdict, judged.seen
        if verdict is None:
            return None
        policy = judged.rule.policy(self.config.policy) if judged.rule else self.config.policy
        received = datetime.fromisoformat(seen.received_at) if seen.received_at else self.clock()
        return plan(
            verdict,
            judged.rule,
            policy,
            received=received,
            fingerprint=seen.fingerprint,
            sender=seen.sender,
            subject=seen.subject,
            related=judged.thread,
            id_domain=self.id_domain,
            mailbox=self.account.username,
        )


def broken_message(
    fetched: imap.Fetched, account: str, folder: str, uidvalidity: int
) -> SeenMessage:
    """The least we record of a message we could not handle, so it is not retried forever."""
    return SeenMessage(
        account,
        folder,
        uidvalidity,
        fetched.uid,
        f"uid:{uidvalidity}:{fetched.uid}",
        None,
        "",
        None,
        None,
    )
