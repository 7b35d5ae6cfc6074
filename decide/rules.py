"""The user's rules, applied after classification: pure, so they are tested on their own.

The first rule that matches decides.  It may force the label (the reasons
then start with the rule), and its action and policy overrides are read by
``decide.plan``.  Either way the verdict's reasons name the rule, so `status`
and `explain` can say why.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from classifiers import Label, MailView, Verdict, relabel

if TYPE_CHECKING:  # the config's frozen types; decide/ imports nothing of daemon/ to run
    from daemon.config import Rule  # noqa: TID251


def first_match(rules: Sequence[Rule], view: MailView, verdict: Verdict) -> Rule | None:
    for rule in rules:
        if rule.match.matches(
            sender=view.sender.email if view.sender else "",
            subject=view.subject,
            body=view.body,
            company=verdict.company,
            label=verdict.label.value,
            language=verdict.language,
        ):
            return rule
    return None


def describe(rule: Rule) -> str:
    """What a rule did, in words, for the verdict's reasons."""
    effects = []
    if rule.label:
        effects.append(f"label {rule.label}")
    if rule.action:
        effects.append(f"action {rule.action}")
    effects += [f"{key} {_show(value)}" for key, value in rule.overrides.items()]
    if rule.template:
        effects.append(f"template {rule.template}")
    return f"rule {rule.name!r}: " + ", ".join(effects)


def _show(value: object) -> str:
    text = getattr(value, "text", None)  # a send window keeps what the user wrote
    if isinstance(text, str):
        return text
    if hasattr(value, "total_seconds"):
        seconds = int(value.total_seconds())  # type: ignore[attr-defined]
        for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
            if seconds and seconds % size == 0:
                return f"{seconds // size}{unit}"
        return f"{seconds}s"
    return str(value).lower() if isinstance(value, bool) else str(value)


def apply_rules(
    rules: Sequence[Rule], view: MailView, verdict: Verdict, users: Iterable[str] = ()
) -> tuple[Verdict, Rule | None]:
    """The verdict after the user's rules, and the rule that decided (if any)."""
    rule = first_match(rules, view, verdict)
    if rule is None:
        return verdict, None
    reason = describe(rule)
    if rule.label:  # forced: sure even where the classifier agreed only weakly
        return relabel(view, verdict, Label(rule.label), reason, user_addresses=users), rule
    return dataclasses.replace(verdict, reasons=(*verdict.reasons, reason)), rule
