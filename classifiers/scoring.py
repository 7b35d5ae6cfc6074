"""Weighing phrase evidence, sentence by sentence.

A phrase counts only where it is asserted: a rejection phrase inside a
conditional ("if you are not selected...") is ignored, and a counter-signal
under a negation ("we will not invite you to an interview") is no
counter-signal.  Every cue that counts becomes a reason a person can read.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .lexicon import Lexicon

DECISION = 3.0
EXTRA_DECISION = 0.5
SOFT = 1.5
COURTESY = 0.5
MAX_COURTESY = 1.0
COUNTER_WEIGHTS = {
    "acknowledgement": 1.0,
    "interview invitation": 3.0,
    "assessment": 3.0,
    "offer": 4.0,
    "rescheduling": 4.0,
    "job alert": 4.0,
    "recruiter outreach": 3.0,
    "withdrawal": 6.0,
    "account notice": 3.0,
}
# A decision phrase is specific; counter-signals in the same mail are then
# usually incidental ("book a call if you want feedback"), so they weigh less.
COUNTER_DAMPING_WITH_DECISION = 0.5
REJECTION_THRESHOLD = 2.0
FEEDBACK_CUE = 1.0
FEEDBACK_THRESHOLD = 3.0

# How far back, within the sentence, a conditional or a negation still governs a phrase.
_CONDITION_REACH = 100
_NEGATION_REACH = 40
_QUOTE_LIMIT = 70
_SENTENCE_BOUNDARY = re.compile(r"[.!?;]\s+|\n")


@dataclass
class Evidence:
    score: float = 0.0
    decisive: bool = False
    reasons: list[str] = field(default_factory=list)


class _Sentences:
    """Maps a text offset to the start of its sentence."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in _SENTENCE_BOUNDARY.finditer(text)]

    def start_of(self, offset: int) -> int:
        return self.starts[bisect_right(self.starts, offset) - 1]


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return '"' + (text if len(text) <= _QUOTE_LIMIT else text[: _QUOTE_LIMIT - 1] + "…") + '"'


def _governed(
    text: str, spans: _Sentences, lex: Lexicon, pattern: str, start: int, reach: int
) -> bool:
    sentence_start = spans.start_of(start)
    prefix = text[max(sentence_start, start - reach) : start]
    return bool(lex.pattern(pattern).search(prefix))


def _asserted(text: str, lex: Lexicon, name: str, spans: _Sentences) -> list[re.Match[str]]:
    """Matches of list ``name`` that are not under a conditional."""
    return [
        m
        for m in lex.pattern(name).finditer(text)
        if not _governed(text, spans, lex, "conditional", m.start(), _CONDITION_REACH)
    ]


def score_rejection(text: str, lex: Lexicon) -> Evidence:
    """How strongly ``text`` says the application was turned down."""
    evidence = Evidence()
    spans = _Sentences(text)

    decisions = _asserted(text, lex, "decision", spans)
    asserted_at = {m.start() for m in decisions}
    ignored = [m for m in lex.pattern("decision").finditer(text) if m.start() not in asserted_at]
    if decisions:
        evidence.decisive = True
        evidence.score += DECISION + EXTRA_DECISION * min(2, len(decisions) - 1)
        for m in decisions[:3]:
            evidence.reasons.append(f"rejection phrase: {_quote(m.group())}")
    for m in ignored[:2]:
        evidence.reasons.append(f"ignored, only conditional: {_quote(m.group())}")

    soft = [_quote(m.group()) for m in _asserted(text, lex, "soft", spans)]
    soft += _regret_with_negation(text, lex, spans)
    if soft:
        evidence.decisive = True
        evidence.score += SOFT + EXTRA_DECISION * min(1, len(soft) - 1)
        evidence.reasons.extend(f"softer rejection cue: {s}" for s in soft[:2])

    courtesy = _asserted(text, lex, "courtesy", spans)
    if courtesy:
        evidence.score += min(MAX_COURTESY, COURTESY * len(courtesy))
        evidence.reasons.append(
            "closing courtesy: " + ", ".join(_quote(m.group()) for m in courtesy[:2])
        )

    damping = COUNTER_DAMPING_WITH_DECISION if decisions else 1.0
    for name, weight in COUNTER_WEIGHTS.items():
        for m in _asserted(text, lex, "counter:" + name, spans):
            if _governed(text, spans, lex, "negation", m.start(), _NEGATION_REACH):
                continue
            evidence.score -= weight * damping
            evidence.reasons.append(f"counter-signal ({name}): {_quote(m.group())}")
            break
    return evidence


def _regret_with_negation(text: str, lex: Lexicon, spans: _Sentences) -> list[str]:
    """Sentences like "Unfortunately we cannot offer you the position"."""
    found = []
    for m in _asserted(text, lex, "regret", spans):
        start = spans.start_of(m.start())
        end = _SENTENCE_BOUNDARY.search(text, m.end())
        sentence = text[start : end.start() if end else len(text)]
        if lex.pattern("negation").search(sentence) and lex.pattern("job_context").search(sentence):
            found.append(_quote(sentence))
            break
    return found


def score_feedback(text: str, lex: Lexicon) -> Evidence:
    """How much of ``text`` is actual feedback on the candidate."""
    evidence = Evidence()
    spans = _Sentences(text)
    cues = _asserted(text, lex, "feedback", spans)
    if cues:
        evidence.decisive = True
        evidence.score = FEEDBACK_CUE * min(4, len(cues))
        evidence.reasons.append("feedback given: " + ", ".join(_quote(m.group()) for m in cues[:3]))
    return evidence


def confidence(score: float, threshold: float) -> float:
    """Map a score to [0, 1]; the threshold sits near 0.8, our default bar."""
    return 1.0 / (1.0 + math.exp(-1.4 * (score - threshold + 1.0)))
