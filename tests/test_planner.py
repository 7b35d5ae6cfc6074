"""Planning and rules: pure decisions, tested without a mailbox or a database."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from classifiers import Extraction, Label, Verdict, classify, from_bytes, operating_point
from daemon.config import Policy, Rule, RuleMatch, load_config
from decide.plan import REQUEST, THANK_YOU, contact_key, plan
from decide.relation import Thread
from decide.rules import apply_rules, first_match

from .support import build_mail

RECEIVED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
POLICY = Policy(wait=timedelta(days=2), min_confidence=0.8, timezone="UTC")
CONTACT = Extraction("Northwind", "Data Analyst", "Jordan Reyes", "Jordan.Reyes@northwind.example")


def verdict(label: Label, confidence: float = 0.95, **kwargs: object) -> Verdict:
    return Verdict(label, confidence, "de", ("a reason",), CONTACT, **kwargs)  # type: ignore[arg-type]


def decide(v: Verdict, rule: Rule | None = None, policy: Policy = POLICY, **kwargs: object):
    args: dict = {
        "received": RECEIVED,
        "fingerprint": "<r1@northwind.example>",
        "sender": "jordan.reyes@northwind.example",
        "subject": "Your application",
        "related": None,
        "id_domain": "example.net",
    }
    args.update(kwargs)
    return plan(v, rule, policy, **args)


def test_a_sure_rejection_schedules_one_request_after_the_wait() -> None:
    result = decide(verdict(Label.REJECTION))
    action = result.action
    assert action is not None
    assert action.kind == REQUEST
    assert action.contact_key == "jordan.reyes@northwind.example"  # compared case-insensitively
    assert action.due_at == RECEIVED + timedelta(days=2)
    assert action.expires_at == RECEIVED + timedelta(days=7)
    assert action.template == "feedback_request"
    assert action.language == "de"
    assert re.fullmatch(r"<[^<>@\s]+@example\.net>", action.message_id)
    assert result.outcome == "feedback request due 2026-11-22 09:00 UTC"
    berlin = decide(
        verdict(Label.REJECTION), policy=dataclasses.replace(POLICY, timezone="Europe/Berlin")
    )
    assert berlin.outcome == "feedback request due 2026-11-22 10:00 CET"  # the user's zone
    assert result.cancel is None


def test_below_min_confidence_nothing_is_planned_and_status_says_why() -> None:
    result = decide(verdict(Label.REJECTION, 0.62))
    assert result.action is None
    assert result.outcome == "confidence 0.62 is below min_confidence 0.80"


def test_without_min_confidence_the_mode_picks_the_threshold() -> None:
    """Unset, min_confidence is the classifier's operating point: recall for drafts,
    precision for sends."""
    draft, send = operating_point("draft"), operating_point("send")
    between = (draft + send) / 2
    by_mode = dataclasses.replace(POLICY, min_confidence=None)
    assert decide(verdict(Label.REJECTION, between), policy=by_mode).action is not None
    sending = dataclasses.replace(by_mode, mode="send")
    result = decide(verdict(Label.REJECTION, between), policy=sending)
    assert result.action is None
    assert result.outcome == f"confidence {between:.2f} is below the send-mode threshold {send:.2f}"
    assert decide(verdict(Label.REJECTION, send), policy=sending).action is not None


def test_suppressed_mail_is_never_answered() -> None:
    result = decide(verdict(Label.REJECTION, suppressed="mailing list (List-Id/List-Post header)"))
    assert result.action is None
    assert result.outcome == "never answered: mailing list (List-Id/List-Post header)"


def test_without_a_contact_the_key_is_the_message_itself() -> None:
    v = Verdict(Label.REJECTION, 0.9, "en", (), Extraction("Acme", None, None, None))
    action = decide(v).action
    assert action is not None
    assert action.contact_key == "message:<r1@northwind.example>"
    assert action.to_email is None
    assert contact_key(" A@B.example ", "x") == "a@b.example"


UNASKED = Thread(7, "Your application", "threaded to the rejection 'Your application'")
ASKED = Thread(7, "Your application", "from the contact", 3, RECEIVED - timedelta(days=1))


def test_feedback_about_a_known_rejection_gets_a_thank_you_and_cancels_a_waiting_request() -> None:
    result = decide(verdict(Label.FEEDBACK_REPLY), related=UNASKED)
    action = result.action
    assert action is not None
    assert action.kind == THANK_YOU
    assert action.contact_key == "thread:7"  # one per rejection's thread
    assert action.due_at == RECEIVED
    assert action.template == "thank_you"
    assert result.cancel == (
        "jordan.reyes@northwind.example",
        "feedback arrived before the request was due",
    )


def test_feedback_from_a_stranger_gets_no_thank_you() -> None:
    result = decide(verdict(Label.FEEDBACK_REPLY), related=None)
    assert result.action is None
    assert "no thank-you" in result.outcome


def test_thank_you_off_means_no_thank_you() -> None:
    result = decide(verdict(Label.FEEDBACK_REPLY), None, Policy(thank_you=False), related=UNASKED)
    assert result.action is None
    assert result.outcome == "feedback reply; thank_you is off"


def test_other_mail_from_the_contact_cancels_a_waiting_request() -> None:
    """An interview invitation for another role means: not the moment to ask."""
    result = decide(verdict(Label.OTHER), subject="Interview for another role")
    assert result.action is None
    assert result.cancel == (
        "jordan.reyes@northwind.example",
        "jordan.reyes@northwind.example wrote again: 'Interview for another role'",
    )


def test_an_ignore_rule_wins_and_is_named() -> None:
    rule = Rule("quiet", RuleMatch(from_domain=("northwind.example",)), action="ignore")
    result = decide(verdict(Label.REJECTION), rule)
    assert result.action is None
    assert result.outcome == "ignored by rule 'quiet'"
    assert result.rule == "quiet"


def test_a_rule_wait_and_template_shape_the_request() -> None:
    rule = Rule(
        "slow",
        RuleMatch(company=("northwind",)),
        overrides={"wait": timedelta(days=5)},
        template="feedback_request_detailed",
    )
    result = decide(verdict(Label.REJECTION), rule, rule.policy(POLICY))
    assert result.action is not None
    assert result.action.due_at == RECEIVED + timedelta(days=5)
    assert result.action.template == "feedback_request_detailed"
    assert result.action.rule == "slow"


# -- rules on real messages ----------------------------------------------------

REJECTION = build_mail(
    "Your application for Data Analyst",
    "Dear Alex,\n\nThank you for applying for the Data Analyst position at Northwind."
    " Unfortunately we have decided not to move forward with your application.\n\n"
    "Best regards,\nJordan Reyes\nNorthwind",
)
UPDATE = build_mail(
    "Status update",
    "Dear Alex,\n\nWe have decided not to proceed with your candidacy for the Analyst role.\n\n"
    "Jordan",
)


def _rules(tmp_path: Path, text: str) -> tuple[Rule, ...]:
    path = tmp_path / "config.toml"
    path.write_text(
        '[identity]\nname = "A"\nemail = "alex@example.net"\n[[accounts]]\nhost = "h.example"\n'
        'username = "alex@example.net"\npassword_env = "X"\n' + text,
        encoding="utf-8",
    )
    return load_config(path).rules


def test_first_matching_rule_wins(tmp_path: Path) -> None:
    rules = _rules(
        tmp_path,
        '[[rules]]\nname = "by subject"\nmatch = { subject = ["(?i)application"] }\n'
        'action = "draft"\n'
        '[[rules]]\nname = "by domain"\nmatch = { from_domain = "northwind.example" }\n'
        'action = "ignore"\n',
    )
    view = from_bytes(REJECTION)
    assert first_match(rules, view, classify(view)) is rules[0]
    other = from_bytes(UPDATE)
    assert first_match(rules, other, classify(other)) is rules[1]


def test_no_rule_matches_leaves_the_verdict_alone(tmp_path: Path) -> None:
    rules = _rules(
        tmp_path, '[[rules]]\nname = "x"\nmatch = { language = "fr" }\naction = "ignore"\n'
    )
    view = from_bytes(REJECTION)
    original = classify(view)
    assert apply_rules(rules, view, original) == (original, None)


def test_a_rule_can_force_a_rejection_and_the_reasons_name_it(tmp_path: Path) -> None:
    rules = _rules(
        tmp_path,
        '[[rules]]\nname = "my recruiters"\n'
        'match = { body = ["(?i)decided not to proceed"] }\nlabel = "rejection"\n',
    )
    view = from_bytes(UPDATE)
    before = classify(view)
    after, rule = apply_rules(rules, view, before)
    assert rule is rules[0]
    assert after.label is Label.REJECTION
    assert after.confidence == 1.0
    assert after.reasons[0] == "rule 'my recruiters': label rejection"
    assert after.contact_email == "jordan.reyes@northwind.example"  # extracted for the draft


def test_a_matching_rule_without_a_label_is_added_to_the_reasons(tmp_path: Path) -> None:
    rules = _rules(
        tmp_path,
        '[[rules]]\nname = "big"\nmatch = { company = "Northwind", label = "rejection" }\n'
        'wait = "5d"\n',
    )
    view = from_bytes(REJECTION)
    before = classify(view)
    assert before.label is Label.REJECTION
    after, rule = apply_rules(rules, view, before)
    assert rule is rules[0]
    assert after.label is before.label
    assert after.confidence == before.confidence
    assert after.reasons[-1] == "rule 'big': wait 5d"


@pytest.mark.parametrize(
    ("matcher", "hit"),
    [
        ('from = "JORDAN.REYES@northwind.example"', True),
        ('from = "someone@northwind.example"', False),
        ('from_domain = "example"', True),  # a subdomain matches its parent
        ('from_domain = "wind.example"', False),
        ('company = "northwind"', True),
        ('language = "en"', True),
        ('label = "feedback_reply"', False),
    ],
)
def test_each_matcher(tmp_path: Path, matcher: str, hit: bool) -> None:
    rules = _rules(tmp_path, f'[[rules]]\nname = "r"\nmatch = {{ {matcher} }}\naction = "ignore"\n')
    view = from_bytes(REJECTION)
    assert (first_match(rules, view, classify(view)) is not None) is hit


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("declined", "declined to give feedback"),
        ("call", "offered a call: answer it yourself"),
        ("pending", "passed on: the answer may still come"),
        ("other", "answered without feedback"),
    ],
)
def test_an_answer_without_feedback_gets_no_thank_you_and_says_which_kind(
    kind: str, words: str
) -> None:
    result = decide(verdict(Label.OTHER, answer=kind), related=ASKED)
    assert result.action is None
    # Whoever answered may have a request of their own still waiting: not the moment.
    assert result.cancel is not None
    assert result.cancel[0] == "jordan.reyes@northwind.example"
    assert result.outcome == f"answered the request (from the contact): {words}"


def test_feedback_answering_our_request_gets_one_thank_you_per_thread() -> None:
    result = decide(verdict(Label.FEEDBACK_REPLY, answer="feedback"), related=ASKED)
    assert result.action is not None
    assert result.action.contact_key == "thread:7"
    assert result.outcome.startswith("answered the request (from the contact): feedback given;")


def test_an_automatic_reply_to_our_request_is_no_answer() -> None:
    auto = verdict(Label.OTHER, answer="auto_reply", suppressed="automatic reply")
    result = decide(auto, related=ASKED)
    assert result.action is None
    assert "the answer may still come" in result.outcome


def test_an_ignore_rule_silences_an_answer_too() -> None:
    rule = Rule("quiet", RuleMatch(from_domain=("northwind.example",)), action="ignore")
    result = decide(verdict(Label.FEEDBACK_REPLY, answer="feedback"), rule, related=ASKED)
    assert result.action is None
    assert result.outcome == "ignored by rule 'quiet'"


def test_a_rule_keeps_the_kind_of_answer() -> None:
    """A rule that only picks a template leaves the answer's kind for the planner."""
    rule = Rule("mine", RuleMatch(from_domain=("northwind.example",)), template="short_thanks")
    view = from_bytes(build_mail("Re: Feedback", "Your SQL was strong; more streaming, please."))
    given = verdict(Label.FEEDBACK_REPLY, answer="feedback")
    kept, matched = apply_rules([rule], view, given)
    assert matched is rule
    assert kept.answer == "feedback"
    result = decide(kept, rule, related=ASKED)
    assert result.action is not None
    assert result.action.template == "short_thanks"
