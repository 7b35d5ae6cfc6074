"""What one recorded message asks of us: a request, a thank-you, a cancellation, or nothing.

Pure: the decision follows from the verdict, the rule and the policy.  The
ledger applies it in the same transaction that records the message, so a crash
can never leave a rejection recorded but unplanned, and the ledger's unique
index, not this module, is what makes a second request per contact impossible;
``settle`` says in words why an action was or was not made.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from classifiers import Label, Verdict, operating_point
from classifiers.answer import DESCRIPTIONS, AnswerKind
from decide.marks import marked_id
from decide.relation import Thread

if TYPE_CHECKING:  # the config's frozen types; decide/ imports nothing of daemon/ to run
    from daemon.config import Policy, Rule  # noqa: TID251

REQUEST = "request"
THANK_YOU = "thank_you"
TEMPLATES = {REQUEST: "feedback_request", THANK_YOU: "thank_you"}


@dataclass(frozen=True, slots=True)
class NewAction:
    """A draft (or, in send mode, a mail) to make later, with the Message-ID it will carry."""

    kind: str
    contact_key: str
    to_email: str | None
    to_name: str | None
    due_at: datetime
    expires_at: datetime
    template: str
    rule: str | None
    language: str
    message_id: str
    # How it is carried out, decided now and kept with it: the effective mode, and in
    # send mode the window (as the user wrote it) and the zone it is read in (None: the
    # machine's, at the time of sending).
    mode: str = "draft"
    send_window: str | None = None
    zone: str | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """``outcome`` says in words what happened to the message; ``settle`` may amend it."""

    outcome: str
    action: NewAction | None = None
    # (contact key, reason): a request still waiting for that contact is no longer right.
    cancel: tuple[str, str] | None = None
    rule: str | None = None  # the rule that decided, for status and explain
    # What the message is, kept when the ledger finds the action already taken.
    context: str = ""


def contact_key(email: str | None, fingerprint: str) -> str:
    """Whom "never twice" counts by: the address, or this very message when nobody is known."""
    return email.strip().lower() if email else f"message:{fingerprint}"


def plan(
    verdict: Verdict,
    rule: Rule | None,
    policy: Policy,
    *,
    received: datetime,
    fingerprint: str,
    sender: str | None,
    subject: str,
    related: Thread | None,
    id_domain: str,
    mailbox: str = "",
) -> Plan:
    """Decide for one classified message.

    ``policy`` already carries the rule's overrides; ``related`` is the
    rejection whose thread the message continues (None: none we know), and
    whether our request in it was made.  ``mailbox`` (the account's login name)
    goes into the mark the action's Message-ID carries (decide/marks.py).
    """
    decided = _decide(
        verdict, rule, policy, received, fingerprint, sender, subject, related, id_domain
    )
    new = decided.action
    if new is not None:
        # A thank-you's mark names the rejection by its fingerprint, which every
        # ledger computes alike; the ledger's own key names it by row.
        key = new.contact_key
        if new.kind == THANK_YOU and related is not None and related.fingerprint:
            key = f"thread:{related.fingerprint}"
        marked = dataclasses.replace(new, message_id=marked_id(mailbox, new.kind, key, id_domain))
        decided = dataclasses.replace(decided, action=marked)
    return dataclasses.replace(decided, rule=rule.name if rule else None)


def settle(
    plan: Plan, *, cancelled: bool, earlier: str | None, live: str | None
) -> tuple[str, bool]:
    """The plan's outcome in words once the ledger's facts are in, and whether its action is
    made.  ``cancelled``: the pending request the plan cancels was there; ``earlier``: the
    state of this message's own action of the kind, when a copy was handled before;
    ``live``: the state of the contact's (or thread's) action of the kind still standing.

    The ledger's unique index is what makes a second request impossible; this says why
    none was made.
    """
    outcome = plan.outcome
    if cancelled and plan.cancel:
        outcome += f"; cancelled the pending request ({plan.cancel[1]})"
    new = plan.action
    if new is None:
        return outcome, False
    kind = new.kind.replace("_", "-")
    if earlier is not None:
        return f"another copy of a message already handled (its {kind} is {earlier})", False
    if live is not None:
        prefix = f"{plan.context}; " if plan.context else ""
        whom = "in this thread" if new.kind == THANK_YOU else f"to {new.contact_key}"
        return f"{prefix}no second {kind} {whom}: the first is {live}", False
    return outcome, True


def by_hand(
    email: str,
    name: str | None,
    *,
    fingerprint: str,
    language: str,
    policy: Policy,
    now: datetime,
    id_domain: str,
    mailbox: str,
) -> NewAction:
    """A request the user asked for (`debriefer draft`): due now, keyed and marked as any
    request is, so the same "never twice" and the same mailbox claim hold for it."""
    key = contact_key(email, fingerprint)
    return NewAction(
        kind=REQUEST,
        contact_key=key,
        to_email=email,
        to_name=name or None,
        due_at=now,
        expires_at=now + policy.expire,
        template=TEMPLATES[REQUEST],
        rule=None,
        language=language,
        message_id=marked_id(mailbox, REQUEST, key, id_domain),
        **_how(policy),
    )


def _decide(
    verdict: Verdict,
    rule: Rule | None,
    policy: Policy,
    received: datetime,
    fingerprint: str,
    sender: str | None,
    subject: str,
    related: Thread | None,
    id_domain: str,
) -> Plan:
    wrote_again = (sender.lower(), f"{sender} wrote again: {subject[:80]!r}") if sender else None
    ignored = rule is not None and rule.action == "ignore"
    if verdict.answer is not None and related is not None and related.asked and not ignored:
        answer = _answer(verdict, rule, policy, received, fingerprint, related, id_domain)
        # A colleague of the contact may have a request of their own still waiting.
        return dataclasses.replace(answer, cancel=None if verdict.suppressed else wrote_again)
    if verdict.suppressed:
        return Plan(f"never answered: {verdict.suppressed}")
    if rule is not None and ignored:
        return Plan(f"ignored by rule {rule.name!r}")
    if verdict.label is Label.REJECTION:
        threshold, source = _threshold(policy)
        if verdict.confidence < threshold:
            return Plan(f"confidence {verdict.confidence:.2f} is below {source} {threshold:.2f}")
        action = _action(
            REQUEST, verdict, rule, policy, received, fingerprint, id_domain, delay=policy.wait
        )
        return Plan(f"feedback request due {_when(action.due_at, policy)}", action)
    if verdict.label is Label.FEEDBACK_REPLY:
        cancel = (wrote_again[0], "feedback arrived before the request was due") if sender else None
        if not policy.thank_you:
            return Plan("feedback reply; thank_you is off", cancel=cancel)
        if related is None:
            return Plan("feedback, but not about a rejection we know; no thank-you", cancel=cancel)
        action = _action(
            THANK_YOU, verdict, rule, policy, received, fingerprint, id_domain, thread=related
        )
        return Plan(f"thank-you due {_when(action.due_at, policy)} ({related.how})", action, cancel)
    return Plan("nothing to do", cancel=wrote_again)


def _answer(
    verdict: Verdict,
    rule: Rule | None,
    policy: Policy,
    received: datetime,
    fingerprint: str,
    related: Thread,
    id_domain: str,
) -> Plan:
    """An answer to a request we made: a thank-you for feedback, words for anything else."""
    kind = AnswerKind(verdict.answer)
    said = f"answered the request ({related.how}): {DESCRIPTIONS[kind]}"
    if kind is not AnswerKind.FEEDBACK or verdict.label is not Label.FEEDBACK_REPLY:
        return Plan(said)
    if verdict.suppressed:
        return Plan(f"{said}; never answered: {verdict.suppressed}")
    if not policy.thank_you:
        return Plan(f"{said}; thank_you is off")
    action = _action(
        THANK_YOU, verdict, rule, policy, received, fingerprint, id_domain, thread=related
    )
    return Plan(f"{said}; thank-you due {_when(action.due_at, policy)}", action, context=said)


def _threshold(policy: Policy) -> tuple[float, str]:
    """How sure a rejection must be: the user's min_confidence, or the mode's operating point."""
    if policy.min_confidence is not None:
        return policy.min_confidence, "min_confidence"
    return operating_point(policy.mode), f"the {policy.mode}-mode threshold"


def _action(
    kind: str,
    verdict: Verdict,
    rule: Rule | None,
    policy: Policy,
    received: datetime,
    fingerprint: str,
    id_domain: str,
    *,
    delay: timedelta = timedelta(0),
    thread: Thread | None = None,
) -> NewAction:
    # A thank-you is one per rejection's thread, however many mails the feedback
    # came in; a request is one per contact, ever.
    if kind == THANK_YOU:
        assert thread is not None, "a thank-you answers a rejection's thread"
        key = f"thread:{thread.rejection}"
    else:
        key = contact_key(verdict.contact_email, fingerprint)
    return NewAction(
        kind=kind,
        contact_key=key,
        to_email=verdict.contact_email,
        to_name=verdict.contact_name,
        due_at=received + delay,
        expires_at=received + policy.expire,
        template=rule.template if rule and rule.template else TEMPLATES[kind],
        rule=rule.name if rule else None,
        language=verdict.language,
        message_id="",  # marked by plan()
        **_how(policy),
    )


def _how(policy: Policy) -> dict[str, str | None]:
    """The policy's say on carrying an action out, frozen onto it when it is planned."""
    window = policy.send_window.text if policy.send_window else None
    return {"mode": policy.mode, "send_window": window, "zone": policy.timezone}


def _when(moment: datetime, policy: Policy) -> str:
    """In the user's zone, as status shows times: the outcome is read by a person."""
    return moment.astimezone(policy.zone()).strftime("%Y-%m-%d %H:%M %Z")
