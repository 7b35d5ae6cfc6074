"""A message's verdict in its context, with the user's rules applied.

Pure: the ledger's facts about the message (the rejection it may continue, which
Message-IDs of its thread are ours) come in as a ``Context``; the daemon, ``scan``
and ``explain`` all judge through here, so a message is judged alike by each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from classifiers import Label, Verdict, classify, suppression_reason
from classifiers.classify import asks_about_feedback
from classifiers.message import MailView
from classifiers.senders import is_no_reply
from decide.relation import Thread
from decide.rules import apply_rules

if TYPE_CHECKING:  # the config's frozen types; decide/ imports nothing of daemon/ to run
    from daemon.config import Rule  # noqa: TID251


@dataclass(frozen=True, slots=True)
class Context:
    """What the ledger knows that bears on one message."""

    thread: Thread | None = None  # the rejection it continues (decide.relation)
    ours: frozenset[str] = frozenset()  # Message-IDs of its thread that we wrote


@dataclass(frozen=True, slots=True)
class Judgement:
    verdict: Verdict
    thread: Thread | None  # the rejection it continues, kept with the message
    rule: Rule | None  # the rule that decided, if any


def judge(
    view: MailView,
    rules: Sequence[Rule],
    users: frozenset[str],
    context: Context | None,
) -> Judgement:
    """Classify in context, then apply the rules.  Without a context (a dry run with no
    ledger) no reply can be related to an earlier rejection."""
    verdict, thread = _in_context(view, users, context)
    verdict, rule = apply_rules(rules, view, verdict, users)
    return Judgement(verdict, thread, rule)


def _in_context(
    view: MailView, users: frozenset[str], context: Context | None
) -> tuple[Verdict, Thread | None]:
    """After a request was made, a reply in its thread, from the contact or from their
    company is judged as an answer to it."""
    if context is None:
        return classify(view, user_addresses=users), None
    thread, ours = context.thread, context.ours
    sender = view.sender.email if view.sender else None
    robot = bool(sender and is_no_reply(sender)) or suppression_reason(view, users)
    if thread is not None and not thread.threaded and robot:
        thread = None  # outside the thread, a robot or a list is no answer
    if thread is None or not thread.asked:
        return classify(view, user_addresses=users, own_message_ids=ours), thread
    verdict = classify(view, user_addresses=users, own_message_ids=ours, answering=True)
    if not thread.threaded and verdict.answer != "feedback" and not asks_about_feedback(view):
        # Neither in the thread, nor naming feedback, nor giving any: it may be a
        # rejection for another job, which must not go unnoticed ("never twice" still
        # keeps the same person from a second request).
        alone = classify(view, user_addresses=users, own_message_ids=ours)
        if alone.label is Label.REJECTION:
            return alone, None
    return verdict, thread
