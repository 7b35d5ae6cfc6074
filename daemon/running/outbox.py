"""Doing what is due: drafts appended, requests sent, at most once.

At most once lives here and in ``daemon/ledger.py``, nowhere else (see its first
lines).  Every step is "reserve in SQLite, act, confirm".  A reserved action that a
crash interrupted (DRAFTING, SENDING) is reconciled before anything else: we
look for its Message-ID in Drafts and Sent.  A draft that is not there is
appended again (it never landed); a send whose outcome is unknown is never
retried: it becomes a draft and says so.  Actions run on their own short IMAP
connection, so the watcher's IDLE is never interrupted.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, tzinfo
from email.message import EmailMessage
from typing import NamedTuple
from zoneinfo import ZoneInfo

from imapclient import IMAPClient
from imapclient.imapclient import DRAFT, SEEN

from classifiers.history import History
from daemon.config import (
    AccountConfig,
    Config,
    Policy,
    local_zone,
    parse_send_window,
    user_addresses,
)
from daemon.errors import UserError, describe_failure, scrub
from daemon.ledger import (
    CANCELLED,
    DRAFTED,
    DRAFTING,
    LAPSED,
    SCHEDULED,
    SENDING,
    SENT,
    Action,
    Ledger,
    is_broken,
)
from daemon.mail import imap
from daemon.mail.compose import compose, recipient
from daemon.mail.lookback import look_back
from daemon.mail.probe import refused_login, session_problem
from daemon.mail.smtp import NOT_SENT, smtp_client, smtp_login, smtp_tls_context
from daemon.running.clock import Clock
from daemon.secrets import resolve_secret
from decide import marks
from decide.plan import REQUEST
from decide.window import SendWindow, next_send_time

log = logging.getLogger(__name__)

PAUSED_LOOK = timedelta(minutes=1)  # how often a paused outbox looks for a resume
RETRY_BASE = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=1)
# How often the Sent folder is read for drafted requests the user has sent, and for
# how long after a request fell due.
SENT_LOOK = timedelta(minutes=5)
SENT_LOOK_BACK = timedelta(days=30)


class Session:
    """One account's short IMAP connection, opened only when an action needs it."""

    def __init__(self, account: AccountConfig) -> None:
        self.account = account
        self.client: IMAPClient | None = None
        self.folders: dict[str, str | None] = {}

    def open(self) -> IMAPClient:
        if self.client is None:
            self.client = imap.connect(self.account, resolve_secret(self.account.password))
            self.folders = imap.special_folders(self.client, self.account)
            for kind, name in self.folders.items():
                if name is not None and not self.client.folder_exists(name):
                    log.warning(
                        "%s: there is no %s folder named %r; set %s = ... in the account's config",
                        self.account.name,
                        kind,
                        name,
                        kind,
                    )
                    self.folders[kind] = None
        return self.client

    def folder(self, kind: str) -> str | None:
        self.open()
        return self.folders.get(kind)

    def close(self) -> None:
        if self.client is not None:
            imap.close_quietly(self.client)
            self.client = None


class Outbox:
    """Runs due actions; the scheduler only decides when to call ``run_due``."""

    def __init__(
        self,
        config: Config,
        state: Ledger,
        *,
        clock: Callable[[], datetime] | None = None,
        stopping: Callable[[], bool] = lambda: False,
    ) -> None:
        self.config = config
        self.state = state
        self.clock = clock or Clock()
        self.stopping = stopping
        self.accounts = {account.name: account for account in config.accounts}
        # Failed attempts wait before the next try, longer each time; kept in memory, so
        # a restart tries at once.
        self.retry_at: dict[int, datetime] = {}
        self.failures: dict[int, int] = {}
        self.next_sent_look = datetime.min.replace(tzinfo=UTC)

    def wake_times(self) -> dict[int, datetime]:
        """When each unfinished action next needs us: the scheduler is rebuilt from this."""
        now = self.clock()
        # Paused: look again in a while, so a resume is noticed without a busy loop.
        floor = now + PAUSED_LOOK if self.state.paused_since() else now
        wakes = {}
        for action in self.state.pending_actions():
            # An interrupted action is reconciled at once, whenever it was due.
            when = action.due_at if action.state == SCHEDULED else now
            wakes[action.id] = max(when, floor, self.retry_at.get(action.id, when))
        return wakes

    def run_due(self) -> int:
        """Act on everything due now, one IMAP connection per account; returns how many."""
        now = self.clock()
        # Nothing is acted on once the state cannot be trusted.
        self.state.check_file(thorough=True)
        if self.state.paused_since():  # `debriefer pause`: everything due waits
            log.info("paused (debriefer resume); nothing is drafted or sent")
            return 0
        if now >= self.next_sent_look:
            self.next_sent_look = now + SENT_LOOK
            self.notice_sent()
        by_account: dict[str, list[Action]] = defaultdict(list)
        for action in self.state.pending_actions():
            reconcile = action.state != SCHEDULED
            if (reconcile or action.due_at <= now) and self.retry_at.get(action.id, now) <= now:
                by_account[action.account].append(action)
        done = 0
        for name, actions in by_account.items():
            account = self.accounts.get(name)
            if account is None:
                log.warning("account %r is not configured; %d action(s) wait", name, len(actions))
                for action in actions:
                    self.retry_at[action.id] = now + RETRY_CAP
                continue
            with self._session(account) as session:
                for action in actions:
                    if self.stopping():
                        return done
                    try:
                        self.state.check_file()
                        self._handle(session, action, now)
                        self.retry_at.pop(action.id, None)
                        if self.failures.pop(action.id, None):
                            self.state.set_problem(action, None)
                        done += 1
                    except Exception as exc:
                        if is_broken(exc):
                            raise  # the daemon stops (supervisor.Daemon)
                        self._retry_later(action, exc, now)
                        session.close()  # a failure may have left the connection unusable
        return done

    @contextmanager
    def _session(self, account: AccountConfig) -> Iterator[Session]:
        session = Session(account)
        try:
            yield session
        finally:
            session.close()

    def _retry_later(self, action: Action, exc: Exception, now: datetime) -> None:
        failures = self.failures[action.id] = self.failures.get(action.id, 0) + 1
        delay = min(RETRY_CAP, RETRY_BASE * 2 ** min(failures - 1, 10))
        self.retry_at[action.id] = now + delay
        self.state.set_problem(action, self._problem(action, exc))
        log.warning(
            "%s: action %d (%s to %s) failed: %s; retrying in %d s",
            action.account,
            action.id,
            action.kind,
            action.to_email or "nobody",
            describe_failure(exc),
            delay.total_seconds(),
        )

    def _problem(self, action: Action, exc: Exception) -> str:
        """For `status`: why the action is held up, and what fixes it."""
        account = self.accounts[action.account]
        if isinstance(exc, imap.LoginFailed):
            return refused_login(account)
        if isinstance(exc, UserError):
            return scrub(str(exc))
        return session_problem(account, exc)

    # -- one action -------------------------------------------------------------

    def _handle(self, session: Session, action: Action, now: datetime) -> None:
        if action.state == DRAFTING:
            self._reconcile_draft(session, action, now)
        elif action.state == SENDING:
            self._reconcile_send(session, action, now)
        elif now >= action.expires_at:
            if self.state.transition(
                action, LAPSED, from_=(SCHEDULED,), detail="not done in time (policy.expire)"
            ):
                log.warning(
                    "%s: %s to %s lapsed: due %s, expired %s",
                    action.account,
                    action.kind,
                    action.to_email or "nobody",
                    action.due_at.isoformat(timespec="minutes"),
                    action.expires_at.isoformat(timespec="minutes"),
                )
        else:
            self._act(session, action, now)

    def _act(self, session: Session, action: Action, now: datetime) -> None:
        source = self.state.source(action)
        adopted = False
        if action.kind == REQUEST:
            action, source["history"], adopted = self._look_back(session, action, source)
        if action.kind == REQUEST and action.to_email and self._user_wrote(session, action, source):
            return
        terms = send_terms(action, self._policy(action))
        if action.kind == REQUEST and terms.sends:
            why_not = self._cannot_send(action)
            if why_not is None and adopted:
                # Whom to write is our inference, not the rejection's sender: the user decides.
                why_not = "the contact comes from the earlier thread, not from the rejection"
            if why_not is None:
                opening = next_send_time(now, terms.window, terms.zone)
                if opening <= now:
                    self._send(session, action, source, now)
                    return
                if opening < action.expires_at:
                    self.state.transition(
                        action,
                        SCHEDULED,
                        from_=(SCHEDULED,),
                        due_at=opening,
                        detail=f"waiting for the send window ({terms.window.text})"
                        if terms.window
                        else "",
                    )
                    return
                why_not = "the send window opens only after the request expires"
            self._draft(session, action, source, now, detail=f"drafted, not sent: {why_not}")
            return
        history = source.get("history")
        detail = (
            f"addressed to {history.interviewer}, who invited you to the interview"
            if adopted and history
            else ""
        )
        self._draft(session, action, source, now, detail=detail)

    def _look_back(
        self, session: Session, action: Action, source: dict
    ) -> tuple[Action, History | None, bool]:
        """Read the earlier thread (mail/lookback.py) and keep what it found; a request the
        rejection gave no person to write to is addressed to the one who interviewed.
        Returns the action (perhaps so readdressed), the history, and whether it was."""
        window = self.config.policy.history
        if window <= timedelta(0) or not source.get("received_at"):
            return action, None, False
        account = self.accounts[action.account]
        folders = {"inbox": source["folder"], "sent": session.folder("sent")}
        try:
            history = look_back(
                session.open(),
                folders,
                source,
                action.to_email,
                user_addresses(self.config, account),
                window,
            )
        except Exception as exc:  # the draft is worth more than what the look-back adds
            log.warning(
                "%s: could not read the earlier thread: %s", action.account, describe_failure(exc)
            )
            return action, None, False
        self.state.remember_history(action, history.to_json())
        if action.to_email is None and history.interviewer_email:
            message_id = marks.marked_id(
                account.username,
                action.kind,
                history.interviewer_email,
                self.config.identity.id_domain,
            )
            updated = self.state.adopt_contact(
                action, history.interviewer_email, history.interviewer, message_id
            )
            if updated is not None:
                log.info(
                    "%s: the request goes to %s, who invited you to the interview",
                    action.account,
                    updated.to_email,
                )
                return updated, history, True
        return action, history, False

    def _policy(self, action: Action) -> Policy:
        """The policy as configured now: a rule's overrides, if that rule still exists.
        It can only hold a send back (see ``send_terms``)."""
        for rule in self.config.rules:
            if rule.name == action.rule:
                return rule.policy(self.config.policy)
        return self.config.policy

    def _cannot_send(self, action: Action) -> str | None:
        if self.config.smtp is None:
            return "no [smtp] configured"
        if recipient(action) is None:
            return "no human contact to send to"
        return None

    def _user_wrote(self, session: Session, action: Action, source: dict) -> bool:
        """Cancel when the Sent folder shows the user already wrote to the contact."""
        sent = session.folder("sent")
        received = source.get("received_at")
        if sent is None or not received or not action.to_email:
            return False
        ours = self.state.own_message_ids()
        found = imap.wrote_to(
            session.open(), sent, action.to_email, datetime.fromisoformat(received), ours
        )
        if found is None:
            return False
        when, message_id = found
        detail = f"you wrote to {action.to_email} yourself on {when.date().isoformat()}"
        if self.state.transition(action, CANCELLED, from_=(SCHEDULED,), detail=detail):
            log.info("%s: request to %s cancelled: %s", action.account, action.to_email, detail)
        if message_id:  # an answer to what the user wrote is an answer to a request
            self.state.record_sent(action, message_id, when)
        return True

    # -- what the user sent -------------------------------------------------------

    def notice_sent(self) -> int:
        """Read each account's Sent folder for drafted requests the user has sent."""
        noticed = 0
        since = self.clock() - SENT_LOOK_BACK
        for account in self.accounts.values():
            if not self.state.unsent_requests(account.name, since=since):
                continue
            try:
                with self._session(account) as session:
                    sent = session.folder("sent")
                    if sent is not None:
                        client = session.open()
                        noticed += notice_sent(self.state, client, sent, account.name, self.clock())
            except Exception as exc:  # looked at again at the next sweep
                failure = describe_failure(exc)
                log.warning("%s: could not read the Sent folder: %s", account.name, failure)
        return noticed

    # -- drafting ---------------------------------------------------------------

    def _draft(
        self,
        session: Session,
        action: Action,
        source: dict,
        now: datetime,
        *,
        detail: str = "",
        from_: tuple[str, ...] = (SCHEDULED,),
    ) -> None:
        drafts = self._drafts_folder(session, action)
        if from_ == (SCHEDULED,) and self._made_already(session, action):
            return
        message = compose(
            action, source, self.config.identity, now=now, templates_dir=self.config.templates_dir
        )
        if not self.state.transition(action, DRAFTING, from_=from_, detail=detail):
            return  # someone else moved it on (cancelled, or already drafting)
        if self._claim(session, action, drafts, message.as_bytes()) is None:
            return  # another debriefer made it first
        if "To" not in message:
            detail = "; ".join(
                filter(
                    None,
                    [
                        detail,
                        "no human contact found: the draft has no recipient; add one before you send it",
                    ],
                )
            )
        self.state.transition(action, DRAFTED, from_=(DRAFTING,), folder=drafts, detail=detail)
        log.info(
            "%s: %s drafted in %s for %s",
            action.account,
            action.kind.replace("_", "-"),
            drafts,
            action.to_email or "nobody (no human contact)",
        )

    def _drafts_folder(self, session: Session, action: Action) -> str:
        drafts = session.folder("drafts")
        if drafts is None:
            raise UserError(
                f"no Drafts folder found on {self.accounts[action.account].host};"
                " set drafts = ... in the account's config"
            )
        return drafts

    # -- the claim in the mailbox (decide/marks.py) ---------------------------------------

    def _made_already(self, session: Session, action: Action) -> bool:
        """Step 1: our mark is in Drafts or Sent already: made before the state was lost, or
        by another debriefer on this mailbox.  Recorded as made; nothing new is made."""
        wanted = marks.mark_of(action.message_id)
        if wanted is None:  # planned before marks existed
            return False
        folders = [f for f in (session.folder("drafts"), session.folder("sent")) if f]
        found = imap.made(session.open(), folders, wanted, self.state.forgotten_message_ids())
        if found is None:
            return False
        detail = (
            f"already in {found.folder}: made before the state was reset, or by another"
            " debriefer on this mailbox; nothing new made"
        )
        if self.state.transition(
            action, DRAFTED, from_=(SCHEDULED,), folder=found.folder, detail=detail
        ):
            log.info("%s: %s to %s %s", action.account, action.kind, action.to_email, detail)
            if found.folder == session.folder("sent"):
                self.state.record_sent(action, found.message_id, self.clock())
        return True

    def _claim(
        self, session: Session, action: Action, drafts: str, raw: bytes
    ) -> imap.Marked | None:
        """Steps 2 and 3: append ours to Drafts, then look for an earlier claim.  Returns
        our message when ours is the earliest; else removes it, records who was first,
        and returns None."""
        client = session.open()
        response = imap.append(client, drafts, raw, (DRAFT, SEEN))
        own = imap.own_message(client, drafts, action.message_id, response)
        wanted = marks.mark_of(action.message_id)
        if wanted is None:
            return own
        ignore = self.state.forgotten_message_ids()
        earlier = imap.earlier_claim(client, drafts, session.folder("sent"), wanted, own, ignore)
        if earlier is None:
            return own
        removed = imap.withdraw(client, own)
        detail = f"another debriefer on this mailbox made it first (in {earlier.folder})"
        if not removed:
            detail += f"; the server cannot remove ours alone (no UIDPLUS): delete one in {drafts}"
        self.state.transition(
            action, DRAFTED, from_=(DRAFTING,), folder=earlier.folder, detail=detail
        )
        log.warning("%s: %s to %s: %s", action.account, action.kind, action.to_email, detail)
        return None

    def _reconcile_draft(self, session: Session, action: Action, now: datetime) -> None:
        """Interrupted between reserving and confirming: is the draft there?"""
        for kind in ("drafts", "sent"):
            folder = session.folder(kind)
            if folder and imap.find_message_id(session.open(), folder, action.message_id):
                self.state.transition(action, DRAFTED, from_=(DRAFTING,), folder=folder)
                log.info(
                    "%s: action %d found in %s after a restart", action.account, action.id, folder
                )
                return
        if now >= action.expires_at:
            self.state.transition(
                action, LAPSED, from_=(DRAFTING,), detail="interrupted, not found, and expired"
            )
            return
        # It never landed: appending it now is the first and only copy.
        source = self.state.source(action)
        self._draft(session, action, source, now, detail=action.detail, from_=(DRAFTING,))

    # -- sending ----------------------------------------------------------------

    def _send(self, session: Session, action: Action, source: dict, now: datetime) -> None:
        smtp = self.config.smtp
        assert smtp is not None
        # Everything that can fail before the first byte goes out fails here, and is retried.
        password = resolve_secret(smtp.password)
        context = smtp_tls_context(smtp)
        drafts = self._drafts_folder(session, action)
        if self._made_already(session, action):
            return
        message = compose(
            action, source, self.config.identity, now=now, templates_dir=self.config.templates_dir
        )
        # The reservation: the request goes to Drafts first, and out only if it is the
        # earliest claim.  A crash from here on leaves this draft, never a second send.
        # The detail stands if a crash leaves the reservation as the draft.
        reserved = "not sent (interrupted before sending): left as a draft"
        if not self.state.transition(action, DRAFTING, from_=(SCHEDULED,), detail=reserved):
            return
        own = self._claim(session, action, drafts, message.as_bytes())
        if own is None:
            return
        if not self.state.transition(action, SENDING, from_=(DRAFTING,), folder=drafts, detail=""):
            return
        try:
            asyncio.run(self._smtp_send(message, password, context))
        except NOT_SENT as exc:
            detail = f"not sent ({describe_failure(exc)}): left as a draft"
            self.state.transition(action, DRAFTED, from_=(SENDING,), folder=drafts, detail=detail)
            return
        except Exception as exc:
            detail = (
                f"MAY HAVE BEEN SENT ({describe_failure(exc)}): check before sending this draft"
            )
            self.state.transition(action, DRAFTED, from_=(SENDING,), folder=drafts, detail=detail)
            return
        # Out: the copy goes to Sent, then the reservation leaves Drafts, then the state
        # says sent.  A crash in between is reconciled from Sent (_reconcile_send), so no
        # draft of a mail that went out stays behind unflagged.
        copy = (
            self._copy_to_sent(session, action, message.as_bytes()) if smtp.copy_to_sent else None
        )
        detail = self._withdraw_reservation(session, action, own) or f"sent to {action.to_email}"
        self.state.transition(action, SENT, from_=(SENDING,), folder=copy, detail=detail)
        log.info("%s: feedback request sent to %s", action.account, action.to_email)

    def _withdraw_reservation(
        self, session: Session, action: Action, own: imap.Marked
    ) -> str | None:
        """Sent: the reservation in Drafts has done its work.  Returns what the user must
        know when it could not be removed."""
        try:
            if imap.withdraw(session.open(), own):
                return None
            why = "the server cannot remove one message alone: no UIDPLUS"
        except Exception as exc:  # the mail went out; a leftover draft is worth a warning only
            why = describe_failure(exc)
            session.close()
        detail = (
            f"sent to {action.to_email}; its reservation stays in {own.folder} ({why}):"
            " delete that draft, the mail went out"
        )
        log.warning("%s: %s", action.account, detail)
        return detail

    async def _smtp_send(
        self, message: EmailMessage, password: str, context: ssl.SSLContext | None
    ) -> None:
        smtp = self.config.smtp
        assert smtp is not None
        client = smtp_client(smtp, context)
        try:
            async with client:
                # Over TLS we always log in; a plain loopback relay may not offer AUTH at all.
                await smtp_login(client, smtp, password)
                await client.send_message(message)
        finally:
            # aiosmtplib closes without waiting for the TLS shutdown: let the transport
            # finish before asyncio.run closes the loop under it.
            await asyncio.sleep(0.01)

    def _copy_to_sent(self, session: Session, action: Action, raw: bytes) -> str | None:
        """The sent mail's copy in Sent; returns that folder, None when there is none."""
        try:
            sent = session.folder("sent")
            if sent is None:
                raise RuntimeError("no Sent folder found; set sent = ... in the account's config")
            imap.append(session.open(), sent, raw, (SEEN,))
            return sent
        except Exception as exc:  # the mail went out; a missing copy is worth a warning only
            log.warning("%s: sent, but no copy in Sent: %s", action.account, describe_failure(exc))
            session.close()
            return None

    def _reconcile_send(self, session: Session, action: Action, now: datetime) -> None:
        """A send a crash interrupted is never retried: Sent shows it, or it becomes a draft."""
        sent = session.folder("sent")
        drafts = session.folder("drafts")
        reservation = None
        if drafts and (wanted := marks.mark_of(action.message_id)):
            mine = action.message_id.lower()
            found = imap.find_marked(session.open(), drafts, wanted)
            reservation = next((m for m in found if m.message_id == mine), None)
        if sent and imap.find_message_id(session.open(), sent, action.message_id):
            left = self._withdraw_reservation(session, action, reservation) if reservation else None
            detail = left or "confirmed in Sent after a restart"
            self.state.transition(action, SENT, from_=(SENDING,), folder=sent, detail=detail)
            return
        if reservation is not None:  # the reservation is the draft the user decides on
            detail = (
                "MAY HAVE BEEN SENT (interrupted while sending): check before sending this draft"
            )
            self.state.transition(action, DRAFTED, from_=(SENDING,), folder=drafts, detail=detail)
            return
        source = self.state.source(action)
        self._draft(
            session,
            action,
            source,
            now,
            detail="MAY HAVE BEEN SENT (interrupted while sending): check before sending this draft",
            from_=(SENDING,),
        )


class SendTerms(NamedTuple):
    sends: bool
    window: SendWindow | None
    zone: tzinfo


def send_terms(action: Action, now_configured: Policy) -> SendTerms:
    """Whether a request is sent, and in which window and zone, as its plan said.

    The plan froze them onto the action (decide.plan), so the outbox does not decide
    again.  One exception, for the user's mailbox: a config that no longer sends (the
    mode switched back to draft since) holds the send back; a config can never turn a
    planned draft into a send.  An action planned before plans were kept follows the
    config as it is now.
    """
    if action.mode is None:
        policy = now_configured
        return SendTerms(policy.mode == "send", policy.send_window, policy.zone())
    sends = action.mode == "send" and now_configured.mode == "send"
    window = parse_send_window(action.send_window) if action.send_window else None
    zone = ZoneInfo(action.zone) if action.zone else local_zone()
    return SendTerms(sends, window, zone)


def notice_sent(state: Ledger, client: IMAPClient, sent: str, account: str, now: datetime) -> int:
    """Find the drafted requests the user has sent, from whatever client: their Sent
    folder holds a mail to the contact since the draft fell due.  Returns how many.

    Our draft as sent may keep its Message-ID or get a new one; either way the
    first such mail's own Message-ID is recorded, so an answer threaded to it
    is known.  Requests older than ``SENT_LOOK_BACK`` are no longer looked for.
    """
    noticed = 0
    ours = state.own_message_ids()
    since = now - SENT_LOOK_BACK
    for action in state.unsent_requests(account, since=since):
        if not action.to_email:
            continue
        others = ours - {action.message_id.lower()}  # our thank-yous, other requests
        found = imap.wrote_to(client, sent, action.to_email, action.due_at, others, first=True)
        if found is None:
            continue
        when, message_id = found
        if state.record_sent(action, message_id or action.message_id, when):
            log.info("%s: you sent the request to %s on %s", account, action.to_email, when.date())
            noticed += 1
    return noticed
