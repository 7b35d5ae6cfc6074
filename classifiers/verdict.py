"""The verdict: the one object the CLI prints and the daemon acts on."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Label(StrEnum):
    REJECTION = "rejection"
    FEEDBACK_REPLY = "feedback_reply"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Extraction:
    """Context for the templates; None wherever the message does not say."""

    company: str | None = None
    job_title: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    # The mail says du, tu, tú, je...; in English, it greets by first name ("Hi Alex").
    familiar: bool = False
    # How sure extraction is of each field's best candidate, 0 to 1.  A field is filled
    # only at or above ``extract.FILL_AT``; below it the value stays None and the
    # confidence says how near a guess came (for `explain`).
    company_confidence: float = 0.0
    job_title_confidence: float = 0.0
    contact_name_confidence: float = 0.0


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a message is, how sure we are, and why.

    ``suppressed`` names the reason (mailing list, bounce, the user's own
    mail...) for which nothing must ever be drafted in answer, whatever the
    label says.  ``answer`` is the kind of answer to a feedback request
    (``AnswerKind``) when the message is one.
    """

    label: Label
    confidence: float
    language: str
    reasons: tuple[str, ...]
    extraction: Extraction = Extraction()
    suppressed: str | None = None
    answer: str | None = None

    @property
    def company(self) -> str | None:
        return self.extraction.company

    @property
    def job_title(self) -> str | None:
        return self.extraction.job_title

    @property
    def contact_name(self) -> str | None:
        return self.extraction.contact_name

    @property
    def contact_email(self) -> str | None:
        return self.extraction.contact_email

    def to_dict(self) -> dict[str, Any]:
        """The flat JSON shape of SPEC.md (`classify --json`, `scan --json`)."""
        return {
            "label": self.label.value,
            "confidence": round(self.confidence, 3),
            "language": self.language,
            "reasons": list(self.reasons),
            **asdict(self.extraction),
            "suppressed": self.suppressed,
            "answer": self.answer,
        }
