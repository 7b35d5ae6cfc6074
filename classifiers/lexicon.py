"""The shape of a language's phrase lists, and how they are compiled.

Each language module (``classifiers/lang_xx.py``) fills one ``Lexicon`` with
phrases written as regular expressions plus two shorthands that keep them
readable:

- a space matches any run of white space (mail wraps lines anywhere);
- `` ~ `` stands for a gap of up to four words, ``~~`` for up to eight.

All phrases of one list are compiled into a single alternation, so a message
is scanned once per list, not once per phrase.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# Gaps never cross a sentence end: a phrase is judged within its sentence.
_SEP = r"[^\w\n.!?]+"
_GAP = r"(?:[\w'’-]+" + _SEP + "){0,%d}"


# Shared value groups for extraction patterns: a capitalised run of words
# (case-sensitive even inside the case-insensitive patterns), with the small
# connecting words titles and company names use in our five languages.
_CONNECTORS = (
    r"of|and|for|in|im|de|des|du|la|le|el|en|y|und|für|van|voor|het|der|del|di|da|e|et"
    r"|-|–|&|/|\+"
)
TITLE = (
    r"(?P<value>(?-i:[A-Z0-9][\w/&+.'’()-]*(?:\x20(?:[A-Z0-9(][\w/&+.'’()-]*|"
    + _CONNECTORS
    + r")){0,9}))"
)
COMPANY = (
    r"(?P<value>(?-i:[A-Z0-9][\w&'’-]*(?:\.[\w&'’-]+)*(?:\x20(?:[A-Z0-9&][\w&'’-]*(?:\.\w+)*"
    r"|of|and|&|de|du|la|van"
    r"|der|von|y|e)){0,4}))"
)


def _expand(phrase: str) -> str:
    phrase = phrase.replace(" ~~ ", _SEP + _GAP % 8)
    phrase = phrase.replace(" ~ ", _SEP + _GAP % 4)
    return phrase.replace(" ", r"\s+")


def compile_phrases(phrases: Sequence[str]) -> re.Pattern[str]:
    """One case-insensitive pattern matching any of ``phrases`` as whole words."""
    if not phrases:
        return re.compile(r"(?!x)x")  # matches nothing
    body = "|".join(f"(?:{_expand(p)})" for p in phrases)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class Lexicon:
    """Everything one language contributes to classification and extraction.

    ``counters`` maps a human name ("interview invitation") to phrases that
    argue against a rejection; the name is what a reason shows.
    """

    code: str
    decision: Sequence[str]
    soft: Sequence[str]
    courtesy: Sequence[str]
    regret: Sequence[str]
    negation: Sequence[str]
    conditional: Sequence[str]
    job_context: Sequence[str]
    counters: Mapping[str, Sequence[str]]
    feedback: Sequence[str]
    auto_reply: Sequence[str]
    sign_offs: Sequence[str]
    title_patterns: Sequence[str] = ()
    company_patterns: Sequence[str] = ()
    compiled: dict[str, re.Pattern[str]] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for name in (
            "decision",
            "soft",
            "courtesy",
            "regret",
            "negation",
            "conditional",
            "job_context",
            "feedback",
            "auto_reply",
            "sign_offs",
        ):
            self.compiled[name] = compile_phrases(getattr(self, name))
        for name, phrases in self.counters.items():
            self.compiled["counter:" + name] = compile_phrases(phrases)
        # Extraction patterns carry a named group and are used as written.
        self.compiled["title"] = _compile_extractors(self.title_patterns)
        self.compiled["company"] = _compile_extractors(self.company_patterns)

    def pattern(self, name: str) -> re.Pattern[str]:
        return self.compiled[name]


def _compile_extractors(patterns: Sequence[str]) -> re.Pattern[str]:
    if not patterns:
        return re.compile(r"(?!x)x")
    # Each pattern has its own (?P<value>...) group; rename them apart.
    renamed = [p.replace("(?P<value>", f"(?P<v{i}>") for i, p in enumerate(patterns)]
    return re.compile("|".join(f"(?:{_expand(p)})" for p in renamed), re.IGNORECASE)
