"""What kind of answer a feedback request drew: feedback, a polite no, a call, or a wait.

Only asked of a message already known to answer a request (the daemon knows
from its thread and sender; ``classify`` from the subject or quoted text of a
reply).  A learned model (``training/train.py``) reads the text; an automatic
reply is recognised by its headers first.  Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .model import load_choice

ANSWER_MODEL = "answer"


class AnswerKind(StrEnum):
    FEEDBACK = "feedback"
    DECLINED = "declined"
    CALL = "call"
    PENDING = "pending"
    AUTO_REPLY = "auto_reply"
    OTHER = "other"


# As status and explain say it; the user acts on it.
DESCRIPTIONS = {
    AnswerKind.FEEDBACK: "feedback given",
    AnswerKind.DECLINED: "declined to give feedback",
    AnswerKind.CALL: "offered a call: answer it yourself",
    AnswerKind.PENDING: "passed on: the answer may still come",
    AnswerKind.AUTO_REPLY: "an automatic reply: the answer may still come",
    AnswerKind.OTHER: "answered without feedback",
}

# Feedback is the one kind we act on: it must be the likeliest kind and at least this
# likely, or the likeliest other kind is taken instead.
FEEDBACK_POINT = 0.5


@dataclass(frozen=True, slots=True)
class Answer:
    kind: AnswerKind
    confidence: float
    reasons: tuple[str, ...]

    @property
    def description(self) -> str:
        return DESCRIPTIONS[self.kind]


def judge_answer(words: list[str], cues: set[str], automatic: str | None) -> Answer:
    """The kind of an answer from the words of its own text (lower-cased; the subject and
    the quoted request left out) and the feedback lexicon's cue.

    ``automatic`` names the header or subject that marks an automatic reply.
    """
    if automatic:
        return Answer(AnswerKind.AUTO_REPLY, 0.95, (automatic,))
    model = load_choice(ANSWER_MODEL)
    chances = model.probabilities(words, cues)
    best = max(chances, key=lambda name: (chances[name], name))
    if best == AnswerKind.FEEDBACK and chances[best] < FEEDBACK_POINT:
        best = max((n for n in chances if n != AnswerKind.FEEDBACK), key=chances.__getitem__)
    kind = AnswerKind(best)
    strongest = model.strongest(best, words)
    said = f" from {', '.join(repr(w) for w in strongest)}" if strongest else ""
    reason = f"answer model: {DESCRIPTIONS[kind]} {chances[best]:.2f}{said}"
    return Answer(kind, chances[best], (reason,))
