"""Weighing phrase evidence, sentence by sentence.

A phrase counts only where it is asserted: a rejection phrase inside a
conditional ("if you are not selected...") is ignored, and a counter-signal
under a negation ("we will not invite you to an interview") is no
counter-signal.  Every cue that counts becomes a reason a person can read.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .lexicon import Lexicon, lower_text, words_of

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
# ...and these are what rejections routinely add ("sign up for job alerts").
_INCIDENTAL_WITH_DECISION = frozenset({"acknowledgement", "job alert", "recruiter outreach"})
# ...while these settle the matter whatever else the mail says.
_DEFINITIVE = frozenset({"withdrawal", "offer"})
REJECTION_THRESHOLD = 2.0
FEEDBACK_CUE = 1.0

# How far back, within the sentence, a conditional or a negation still governs a phrase.
_CONDITION_REACH = 100
_NEGATION_REACH = 40
_QUOTE_LIMIT = 70
# "[.!?;]\s+|\n", written to start with one character class, which the regex
# engine can skip ahead to instead of trying both branches at every character.
_SENTENCE_BOUNDARY = re.compile(r"[\n.!?;](?:(?<=\n)|\s+)")


@dataclass
class Evidence:
    score: float = 0.0
    decisive: bool = False
    reasons: list[str] = field(default_factory=list)
    # Which kinds of cue were found ("decision", "counter:offer"...): what the
    # learned model reads of the phrase lists.
    cues: set[str] = field(default_factory=set)


class Text:
    """A message's text, lower-cased once, with its words and sentence starts."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.lowered = lower_text(original)
        self.words = words_of(self.lowered)
        self._starts: list[int] = []
        self._hits: dict[tuple[str, bool], dict[str, list[re.Match[str]]]] = {}

    def hits(self, lex: Lexicon, name: str) -> list[re.Match[str]]:
        """Where the phrases of list ``name`` of ``lex`` occur, in text order.

        Each index of a language is scanned once, when first needed; the
        feedback one only for replies.
        """
        feedback = name == "feedback"
        found = self._hits.get((lex.code, feedback))
        if found is None:
            index = lex.feedback_index if feedback else lex.index
            found = self._hits[lex.code, feedback] = index.scan(self.lowered, self.words)
        return found.get(name, [])

    def sentence_start(self, offset: int) -> int:
        if not self._starts:  # most texts never need it: computed on first use
            self._starts = [0, *map(re.Match.end, _SENTENCE_BOUNDARY.finditer(self.lowered))]
        return self._starts[bisect_right(self._starts, offset) - 1]

    def sentence_span(self, offset: int) -> tuple[int, int]:
        """Start and end of the sentence around ``offset``."""
        end = _SENTENCE_BOUNDARY.search(self.lowered, offset)
        return self.sentence_start(offset), end.start() if end else len(self.lowered)

    def quote(self, match: re.Match[str]) -> str:
        """The phrase as the sender wrote it, for a reason line."""
        return _quote(self.original[match.start() : match.end()])


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return '"' + (text if len(text) <= _QUOTE_LIMIT else text[: _QUOTE_LIMIT - 1] + "…") + '"'


def _governed(text: Text, lex: Lexicon, pattern: str, start: int, reach: int) -> bool:
    """Whether ``pattern`` occurs shortly before ``start`` in the same sentence."""
    prefix = text.lowered[max(text.sentence_start(start), start - reach) : start]
    return bool(lex.pattern(pattern).search(prefix))


def _conditional(text: Text, lex: Lexicon, start: int) -> bool:
    """Whether a condition governs the cue at ``start``: shortly before it, or opening its sentence.

    The first test is ``_governed``, written out: this runs for every cue found.
    """
    condition = lex.pattern("conditional")
    sentence_start = text.sentence_start(start)
    if condition.search(text.lowered[max(sentence_start, start - _CONDITION_REACH) : start]):
        return True
    # "If you see the job archived, that means ... you were not selected":
    # a sentence that opens with a condition is conditional to its end.
    opening = text.lowered[sentence_start : min(start, sentence_start + 24)]
    return bool(condition.match(opening.lstrip()))


def _asserted(text: Text, lex: Lexicon, name: str) -> list[re.Match[str]]:
    """Matches of list ``name`` that are not under a conditional."""
    return [m for m in text.hits(lex, name) if not _conditional(text, lex, m.start())]


def score_rejection(text: Text, lex: Lexicon) -> Evidence:
    """How strongly the text says the application was turned down."""
    evidence = Evidence()
    decisions = _asserted(text, lex, "decision")
    asserted_at = {m.start() for m in decisions}
    ignored = [m for m in text.hits(lex, "decision") if m.start() not in asserted_at]
    if decisions:
        evidence.cues.add("decision")
        evidence.decisive = True
        evidence.score += DECISION + EXTRA_DECISION * min(2, len(decisions) - 1)
        evidence.reasons.extend(f"rejection phrase: {text.quote(m)}" for m in decisions[:3])
    evidence.reasons.extend(f"ignored, only conditional: {text.quote(m)}" for m in ignored[:2])
    if ignored:
        evidence.cues.add("conditional")

    soft = [text.quote(m) for m in _without_overlaps(_asserted(text, lex, "soft"))]
    soft += _regret_with_negation(text, lex)
    if soft:
        evidence.cues.add("soft")
        evidence.decisive = True
        evidence.score += SOFT + EXTRA_DECISION * min(1, len(soft) - 1)
        evidence.reasons.extend(f"softer rejection cue: {s}" for s in soft[:2])

    courtesy = _asserted(text, lex, "courtesy")
    if courtesy:
        evidence.cues.add("courtesy")
        evidence.score += min(MAX_COURTESY, COURTESY * len(courtesy))
        evidence.reasons.append(
            "closing courtesy: " + ", ".join(text.quote(m) for m in courtesy[:2])
        )

    for name, weight in COUNTER_WEIGHTS.items():
        damping = 1.0
        if decisions and name not in _DEFINITIVE:
            damping = COUNTER_DAMPING_WITH_DECISION
            if name in _INCIDENTAL_WITH_DECISION:
                damping /= 2
        for m in _asserted(text, lex, "counter:" + name):
            if _governed(text, lex, "negation", m.start(), _NEGATION_REACH):
                continue
            if name == "acknowledgement" and _REVIEWED_TOO.match(text.original, m.end()):
                continue  # "received and reviewed your application": a decision's preamble
            evidence.score -= weight * damping
            evidence.cues.add("counter:" + name)
            evidence.reasons.append(f"counter-signal ({name}): {text.quote(m)}")
            break
    return evidence


# A review still to come ("and will be reviewed", "und wird geprüft", "y será valorada"):
# the receipt then acknowledges, whatever the participle.
_STILL_TO_COME = (
    r"(?:will|shall|be|being|is|are|soon|shortly|ser|será|serán|sera|seront|est|sont|wird"
    r"|werden|zal|zullen|wordt|worden|sarà|saranno|verrà|verranno|viene|vai|vão|irá|irão"
    r"|é|são)\b"
)
# The receipt of an application told together with its review, in the same sentence:
# "we have received and carefully reviewed your application", "Wij hebben uw sollicitatie
# ontvangen en beoordeeld", "recibido y valorado": what opens a decision, not what
# acknowledges an application still to be read.
_REVIEWED_TOO = re.compile(
    r"[^.!?\n]{0,60}?\b(?:and|y|e|et|und|en)\s+(?:(?!" + _STILL_TO_COME + r")\w+\s+){0,2}?"
    r"(?:reviewed|considered|assessed"
    r"|evaluated|read|revisad[oa]|valorad[oa]|analizad[oa]|estudiad[oa]|evaluad[oa]|leíd[oa]"
    r"|étudiée?|examinée?|analysée?|lue?|geprüft|gesichtet|durchgesehen|gelesen|bewertet"
    r"|beoordeeld|bekeken|bestudeerd|gelezen|valutat[oa]|esaminat[oa]|analizzat[oa]|lett[oa]"
    r"|analisad[oa]|avaliad[oa]|lid[oa])\b",
    re.I,
)


def _without_overlaps(matches: list[re.Match[str]]) -> list[re.Match[str]]:
    """One cue per stretch of text: "nous sommes au regret" is not two regrets."""
    kept: list[re.Match[str]] = []
    for match in matches:
        if not kept or match.start() >= kept[-1].end():
            kept.append(match)
    return kept


def _regret_with_negation(text: Text, lex: Lexicon) -> list[str]:
    """Sentences like "Unfortunately we cannot offer you the position"."""
    for m in _asserted(text, lex, "regret"):
        start, end = text.sentence_span(m.start())
        sentence = text.lowered[start:end]
        if lex.pattern("negation").search(sentence) and lex.pattern("job_context").search(sentence):
            return [_quote(text.original[start:end])]
    return []


def score_feedback(text: Text, lex: Lexicon) -> Evidence:
    """How much of the text is actual feedback on the candidate."""
    evidence = Evidence()
    cues = _asserted(text, lex, "feedback")
    if cues:
        evidence.decisive = True
        evidence.score = FEEDBACK_CUE * min(4, len(cues))
        evidence.reasons.append("feedback given: " + ", ".join(text.quote(m) for m in cues[:3]))
    return evidence
