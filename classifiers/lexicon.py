"""The shape of a language's phrase lists, and how they are matched fast.

Each language module (``classifiers/lang_xx.py``) fills one ``Lexicon`` with
phrases written as regular expressions plus two shorthands that keep them
readable:

- a space matches any run of white space (mail wraps lines anywhere), and
  `` ?`` optional white space;
- `` ~ `` stands for a gap of up to four words, ``~~`` for up to eight.

Trying hundreds of phrases at every character of a mail is what makes naive
keyword classifiers slow.  Instead, each phrase's possible first words are
read off its parsed regular expression once, at import, and a ``PhraseIndex``
tries a phrase only at the words that can start it.  Scoring phrases are
matched against lower-cased text with case-sensitive patterns, which is both
faster and lets Python use literal prefixes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import tee
from re import _constants as sre_constants  # the stdlib's own regex parser:
from re import _parser as sre_parser  # used once, at import, to index phrases

# Gaps never cross a sentence end: a phrase is judged within its sentence.
_SEP = r"[^\w\n.!?]+"
_GAP = r"(?:[\w'’-]+" + _SEP + "){0,%d}"


# Shared value groups for extraction patterns: a capitalised run of words
# (case-sensitive even inside the case-insensitive patterns), with the small
# connecting words titles and company names use in our five languages.
_CONNECTORS = (
    r"of|and|or|oder|ou|for|in|im|de|des|du|la|le|el|en|y|und|für|van|voor|het|der|del|di|da|e|et"
    r"|-|–|&|/|\+"
)
# A comma may go on into a qualifier that is part of the title: "Data Scientist, Pricing".
TITLE = (
    r"(?P<value>(?-i:[A-Z0-9][\w/&+.'’()*·-]*(?:(?:,\x20(?=[A-Z])|\x20)(?:[A-Z0-9(][\w/&+.'’()*·-]*|(?:"
    + _CONNECTORS
    + r")(?!\w))){0,12}))"
)
# A title as some languages write it, in lower case too ("addetto alla logistica",
# "analista de suporte"): a short run of words up to punctuation or a preposition; a run
# of two words or more also up to a spaced dash ("Junior Project Controller – Milano",
# where "Tecnologia - Analista de Dados" goes on past its family's one word) or "nell'".
TITLE_ANY = (
    r"(?P<value>(?-i:[\w][\w/&+.'’()*·-]*(?P<more>(?:\x20[\w/&+.'’()*·-]+){1,5}?)??))"
    r"(?=[.,;:!?\n\"“”»]|\x20(?:presso|per|con|na|no|em|para|junto|pela|pelo|e|ma|mas|che|que"
    r"|non|não|nao|è|foi|ha|hanno)\b|(?(more)\x20(?:[–—-]\x20|nell['’])|(?!))|$)"
)
COMPANY = (
    r"(?P<value>(?-i:[A-Z0-9][\w&'’-]*(?:\.[\w&'’-]+)*(?:\x20(?:[A-Z0-9&][\w&'’-]*(?:\.\w+)*"
    r"|(?:of|and|&|della|del|des|dos|das|do|da|di|de|du|la|van|der|von|y|e)(?![\w'’-])"
    r"|d['’][A-ZÀ-Þ][\w&'’-]*"
    r")){0,6}))"
)


def alternation(words: Iterable[str], *, whole_up_to: int = 0, space: str = " ") -> str:
    r"""``words`` as one regex alternation shaped as a prefix tree.

    The regex engine tries a flat alternation's branches one after the other at every
    position; a tree follows one branch per character, which makes a long list of words
    several times faster to search, in any case mode.  A word's end comes after the
    longer words through it, so the longest word that matches wins, as in a flat
    alternation sorted longest first.  Words of up to ``whole_up_to`` characters match
    only where a word ends: "qa", not "Qatar".  A space in a word matches ``space``, a
    pattern: ``r"\s+"`` for phrases a mail may wrap anywhere.
    """
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    if not tree:
        return "(?!x)x"  # no words: matches nothing

    def branches(node: dict[str, dict], depth: int) -> str:
        found = [
            (space if c == " " else re.escape(c)) + branches(node[c], depth + 1)
            for c in sorted(node)
            if c
        ]
        if "" in node:
            found.append(r"(?!\w)" if depth <= whole_up_to else "")
        return found[0] if len(found) == 1 else "(?:" + "|".join(found) + ")"

    return branches(tree, 0)


def _expand(phrase: str) -> str:
    phrase = phrase.replace(" ~~ ", _SEP + _GAP % 8)
    phrase = phrase.replace(" ~ ", _SEP + _GAP % 4)
    return phrase.replace(" ?", r"\s*").replace(" ", r"\s+")


def _lower_source(source: str) -> str:
    """Lower-case a pattern's literals, leaving escapes such as ``\\W`` and ``\\S`` alone."""
    out, escaped = [], False
    for char in source:
        out.append(char if escaped else char.lower())
        escaped = not escaped and char == "\\"
    return "".join(out).replace("(?p<", "(?P<")


# Typographic apostrophes become ASCII ones, so "won’t" matches "won't".
_APOSTROPHES = "’‘ʼ´"


def lower_text(text: str) -> str:
    """``text.lower()`` with every offset kept, so matches map back to ``text``."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    if lowered.isascii():
        return lowered
    # str.replace per apostrophe is C speed; str.translate on non-ASCII text is
    # a dictionary look-up per character, the dearest step of the whole lower-casing.
    for apostrophe in _APOSTROPHES:
        if apostrophe in lowered:
            lowered = lowered.replace(apostrophe, "'")
    return lowered


def compile_phrases(phrases: Sequence[str]) -> re.Pattern[str]:
    """One pattern for lower-cased text matching any of ``phrases`` as whole words."""
    if not phrases:
        return re.compile(r"(?!x)x")  # matches nothing
    body = "|".join(f"(?:{_lower_source(_expand(p))})" for p in phrases)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")


_WORD = re.compile(r"\w+")
_ASCII_WORD = re.compile(r"\w+", re.ASCII)
_SKIPPED_OPS = {sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT}
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}


_Items = list[tuple[object, object]]


def _ends_a_word(op: object, arg: object) -> bool:
    """Whether a regex item can only begin with a character that cannot be in a word."""
    if op is sre_constants.LITERAL:
        return not _WORD.match(chr(arg))  # type: ignore[arg-type]
    if op is sre_constants.IN:
        items: _Items = arg  # type: ignore[assignment]
        if items[0] == (sre_constants.NEGATE, None):
            return (sre_constants.CATEGORY, sre_constants.CATEGORY_WORD) in items
        return all(
            item == (sre_constants.CATEGORY, sre_constants.CATEGORY_SPACE)
            or (item[0] is sre_constants.LITERAL and _ends_a_word(*item))
            for item in items
        )
    if op in _REPEATS:
        low, _high, body = arg  # type: ignore[misc]
        return low > 0 and len(body) > 0 and _ends_a_word(*body[0])
    return False


def _first_words(sequence: _Items, prefix: str = "") -> set[tuple[str, bool]] | None:
    """The words every match of ``sequence`` begins with, and whether each is whole.

    A whole first word ("we" in ``we\\s+regret``) is tried only at that very
    word; any other is a prefix ("appl" in ``appl(?:y|ied)``), tried at every
    word that starts with it.  Common short words ("i", "a") would otherwise
    send every "in", "is" and "application" to the regex engine.
    Returns None when a match could begin otherwise (a character class, a
    leading ``\\w+``): such a phrase is then tried everywhere.  An empty
    word in the result means "may match nothing, look further".
    """
    for index, (op, arg) in enumerate(sequence):
        tail = sequence[index + 1 :]
        if op in _SKIPPED_OPS:
            continue
        if op is sre_constants.LITERAL and _WORD.match(chr(arg)):  # type: ignore[arg-type]
            prefix += chr(arg).lower()  # type: ignore[arg-type]
            continue
        if op is sre_constants.SUBPATTERN:
            return _first_words(list(arg[-1]) + tail, prefix)  # type: ignore[index]
        if op is sre_constants.BRANCH:
            found: set[tuple[str, bool]] = set()
            for alternative in arg[1]:  # type: ignore[index]
                words = _first_words(list(alternative) + tail, prefix)
                if words is None:
                    return None
                found |= words
            return found
        if op in _REPEATS:
            low, high, body = arg  # type: ignore[misc]
            # A body that may repeat can follow itself, so only ``?`` reads on into the tail.
            inside = _first_words(list(body) + (tail if high == 1 else []), prefix)
            if inside is None or low > 0:
                return inside
            after = _first_words(tail, prefix)
            return None if after is None else inside | after
        return {(prefix, _ends_a_word(op, arg))} if prefix else None
    return {(prefix, False)}


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    source: str
    first_words: frozenset[tuple[str, bool]]


# Bounds the per-word memo; a mailbox's vocabulary is far smaller.
_MEMO_WORDS = 50_000


class PhraseIndex:
    """Finds the phrases of several named lists in one pass over a text's words.

    For each distinct word, the phrases that may start with it are worked out
    once and compiled into one alternation per list; after a few messages,
    scanning costs one dictionary look-up per word plus a ``match`` where a
    phrase can actually begin.
    """

    def __init__(self, lists: Mapping[str, Sequence[str]], *, case_sensitive_values: bool) -> None:
        self._flags = re.IGNORECASE if case_sensitive_values else 0
        self._case_sensitive_values = case_sensitive_values
        self._by_key: dict[str, list[int]] = defaultdict(list)
        self._entries: list[_Entry] = []
        self._everywhere: dict[str, re.Pattern[str]] = {}
        self._memo: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {}
        # Most words start no phrase: a set look-up skips them before the loop proper.
        self._inert: set[str] = set()
        self.unindexed: list[str] = []
        unindexed_by_list: dict[str, list[str]] = defaultdict(list)
        for name, phrases in lists.items():
            for phrase in phrases:
                source = _expand(phrase)
                if not case_sensitive_values:
                    source = _lower_source(source)
                words = _first_words(list(sre_parser.parse(_lower_source(source))))
                if not words or any(not word for word, _ in words):
                    self.unindexed.append(phrase)
                    unindexed_by_list[name].append(source)
                    continue
                entry_id = len(self._entries)
                self._entries.append(_Entry(name, source, frozenset(words)))
                for word, _ in words:
                    self._by_key[word[:3]].append(entry_id)
        for name, sources in unindexed_by_list.items():
            self._everywhere[name] = self._compile(sources)

    def _compile(self, sources: Iterable[str]) -> re.Pattern[str]:
        # Extraction phrases each carry a (?P<value>...) group; number them apart.
        body = "|".join(
            "(?:" + s.replace("(?P<value>", f"(?P<value{i}>") + ")" for i, s in enumerate(sources)
        )
        tail = "" if self._case_sensitive_values else r"(?![\w-])"
        return re.compile(rf"(?<![\w-])(?:{body}){tail}", self._flags)

    def _patterns_for(self, word: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
        candidates = {
            entry_id
            for key in {word[:3], word[:2], word[:1]}
            for entry_id in self._by_key.get(key, ())
        }
        by_list: dict[str, list[str]] = defaultdict(list)
        for entry_id in sorted(candidates):
            entry = self._entries[entry_id]
            if any(
                word == first if whole else word.startswith(first)
                for first, whole in entry.first_words
            ):
                by_list[entry.name].append(entry.source)
        patterns = tuple((name, self._compile(sources)) for name, sources in by_list.items())
        if len(self._memo) >= _MEMO_WORDS:
            self._memo.clear()
            self._inert.clear()
        self._memo[word] = patterns
        if not patterns:
            self._inert.add(word)
        return patterns

    def scan(self, text: str, words: Iterable[tuple[int, str]]) -> dict[str, list[re.Match[str]]]:
        """Matches per list name, in text order.  ``words`` come from ``words_of``."""
        hits: dict[str, list[re.Match[str]]] = defaultdict(list)
        memo, inert = self._memo, self._inert
        for start, word in [item for item in words if item[1] not in inert]:
            patterns = memo.get(word)
            if patterns is None:
                patterns = self._patterns_for(word)
            for name, pattern in patterns:
                match = pattern.match(text, start)
                if match:
                    hits[name].append(match)
        for name, pattern in self._everywhere.items():
            hits[name].extend(pattern.finditer(text))
            hits[name].sort(key=lambda m: m.start())
        return hits


def words_of(lowered: str) -> list[tuple[int, str]]:
    """(offset, word) for every word of an already lower-cased text."""
    # ASCII text gets the ASCII class, which the regex engine tests faster, and
    # tee with map keeps the whole loop in C.
    pattern = _ASCII_WORD if lowered.isascii() else _WORD
    starts, words = tee(pattern.finditer(lowered))
    return list(zip(map(re.Match.start, starts), map(re.Match.group, words), strict=True))


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
    index: PhraseIndex = field(init=False, compare=False)
    feedback_index: PhraseIndex = field(init=False, compare=False)
    extractors: PhraseIndex = field(init=False, compare=False)

    # Lists found through the index, by name; the others are small patterns
    # applied to one sentence, one subject or one line at a time.  Feedback
    # has an index of its own: only replies are searched for it, and its
    # phrases start with words every mail has ("we", "you", "the").
    INDEXED = ("decision", "soft", "courtesy", "regret", "job_context")
    SMALL = ("negation", "conditional", "job_context", "auto_reply", "sign_offs")

    def __post_init__(self) -> None:
        lists = {name: getattr(self, name) for name in self.INDEXED}
        lists.update({"counter:" + name: phrases for name, phrases in self.counters.items()})
        object.__setattr__(self, "index", PhraseIndex(lists, case_sensitive_values=False))
        feedback = PhraseIndex({"feedback": self.feedback}, case_sensitive_values=False)
        object.__setattr__(self, "feedback_index", feedback)
        extractors = {"title": self.title_patterns, "company": self.company_patterns}
        object.__setattr__(self, "extractors", PhraseIndex(extractors, case_sensitive_values=True))
        for name in self.SMALL:
            self.compiled[name] = compile_phrases(getattr(self, name))

    def pattern(self, name: str) -> re.Pattern[str]:
        """A small pattern (see SMALL), for lower-cased text."""
        return self.compiled[name]
