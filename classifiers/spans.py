"""Job title and employer as runs of the mail's words, found by a learned tagger.

The rules in ``extract`` know the phrasings they were written from.  This model
reads the context around a title or an employer in any phrasing: the words on
either side, the word's shape, where in the mail it stands, whether the
sender's address spells it, and what the rules proposed.  Each word gets a
probability of being part of the job title, of the employer, or of neither (a
multinomial logistic regression trained offline by ``training/spans.py`` on
mail the developers wrote, shipped as weights); a run of words tagged alike is
a candidate, as sure as its least sure word and its edges.
Pure: the weights are read from the package.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from .message import MailView
from .places import is_place
from .roles import has_role_head
from .senders import ORG_NAME_WORDS, ROLE_WORDS

OUTSIDE, TITLE, COMPANY = "O", "T", "C"
TAGS = (OUTSIDE, TITLE, COMPANY)
# The parts of a mail the tagger reads, each tokenised on its own: subject, the
# sender's display name, the body's opening and, of a long body, its end, where
# the signature is.
SUBJECT, DISPLAY, BODY, TAIL = "s", "d", "b", "t"
BODY_CHARS = 1500
TAIL_CHARS = 500
# A word, with the joiners titles and firms use inside it ("Front-End", "R&D",
# "m/w/d", "S.A"), or one mark of punctuation.
_TOKEN = re.compile(r"[^\W_](?:[\w'’.&+/-]*[^\W_])?|[^\w\s]")
_ASCII = str.maketrans("äöüßæøåéèêëáàâíìîïóòôõúùûñç", "aousaoaeeeeaaaiiiioooouuunc")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int  # in its part's text
    end: int
    part: str
    line: int  # which line of its part
    first: bool  # first word on its line
    last: bool


@dataclass(frozen=True, slots=True)
class Found:
    """A candidate: the words as the mail wrote them, and how sure the tagger is."""

    value: str
    sureness: float  # as sure as its least sure word, and as its edges are edges
    part: str


def parts(view: MailView) -> dict[str, str]:
    """Part -> its text, in reading order: what the tagger looks at."""
    found = {SUBJECT: " ".join(view.subject.split())}
    if view.sender and view.sender.name:
        found[DISPLAY] = view.sender.name
    found[BODY] = view.body[:BODY_CHARS]
    if len(view.body) > BODY_CHARS:
        found[TAIL] = view.body[tail_start(view.body) :]
    return found


def tail_start(body: str) -> int:
    """Where the end of a long body that is read begins: at a line's start."""
    start = max(BODY_CHARS, len(body) - TAIL_CHARS)
    newline = body.find("\n", start)
    return newline + 1 if newline >= 0 else start


def tokens(part: str, text: str) -> list[Token]:
    found: list[Token] = []
    for line_number, (offset, line) in enumerate(_lines(text)):
        words = list(_TOKEN.finditer(line))
        for i, match in enumerate(words):
            found.append(
                Token(
                    match.group(),
                    offset + match.start(),
                    offset + match.end(),
                    part,
                    line_number,
                    i == 0,
                    i == len(words) - 1,
                )
            )
    return found


def _lines(text: str) -> Iterator[tuple[int, str]]:
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            yield offset, line
        offset += len(line) + 1


@cache
def shape(word: str) -> str:
    """Xx for "Analyst", X for "KSB", x-x for "front-end", d for "2024"."""
    kinds: list[str] = []
    for ch in word:
        kind = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not kinds or kinds[-1] != kind:
            kinds.append(kind)
    return "".join(kinds)[:6]


@cache
def kinds(word: str) -> tuple[str, ...]:
    """What the lexicons know of a word: an occupation's head noun, a place, a word of
    institutions' names, a word of recruiting teams' names.  Words no title or firm in
    the training mail used are still known by these."""
    found = []
    if len(word) > 1 and has_role_head(word):
        found.append("head")
    if word[:1].isupper() and is_place(word, towns=False):
        found.append("place")
    if ORG_NAME_WORDS.search(word):
        found.append("org")
    if ROLE_WORDS.search(word):
        found.append("team")
    return tuple(found)


def squashed(word: str) -> str:
    """Lower case, letters only, umlauts and accents as domains spell them."""
    folded = unicodedata.normalize("NFC", word).casefold().translate(_ASCII)
    return "".join(ch for ch in folded if ch.isalnum())


def _address_words(view: MailView) -> tuple[str, str]:
    """The sender's domain (without its top level) and local part, squashed."""
    if not view.sender or "@" not in view.sender.email:
        return "", ""
    local, _, domain = view.sender.email.lower().rpartition("@")
    labels = domain.split(".")[:-1] or [domain]
    return "".join(map(squashed, labels)), squashed(local)


# Between two words of a value the rules proposed, the mail may have other marks or a
# short parenthesis the rules left out: "Werkstudent (m/w/d) Softwareentwicklung" for
# "Werkstudent Softwareentwicklung", "Intern – Summer" for "Intern - Summer".
_GAP = r"(?:[^\w\n]*\([^()\n]{1,12}\)[^\w\n]*|[^\w\n]+)"


@lru_cache(maxsize=2048)
def _value_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """A value's words with what may stand between them; compiled once per value, since
    a daemon sees the same firms and titles again and again."""
    return re.compile(r"(?<!\w)" + _GAP.join(map(re.escape, words)) + r"(?!\w)", re.IGNORECASE)


def _covered(part_texts: dict[str, str], value: str | None) -> dict[str, list[tuple[int, int]]]:
    """Where a value the rules proposed stands in each part, ignoring case."""
    words = _words_of(value)
    if not words:
        return {}
    pattern = _value_pattern(tuple(words))
    found: dict[str, list[tuple[int, int]]] = {}
    for part, text in part_texts.items():
        for match in pattern.finditer(text):
            found.setdefault(part, []).append(match.span())
    return found


def _words_of(value: str | None) -> list[str]:
    if not value or len(value) < 2:
        return []
    return [m.group() for m in _TOKEN.finditer(value) if m.group()[0].isalnum()]


def _inside(token: Token, spans: dict[str, list[tuple[int, int]]]) -> bool:
    return any(s <= token.start and token.end <= e for s, e in spans.get(token.part, ()))


@dataclass(frozen=True, slots=True)
class Words:
    """A mail as the tagger reads it: its tokens and each one's features, the parts'
    texts, and where each of the rules' values stands in them."""

    tokens: list[Token]
    rows: list[list[str]]
    part_texts: dict[str, str]
    covered: dict[str, dict[str, list[tuple[int, int]]]]


def features(view: MailView, language: str, hints: dict[str, str | None]) -> Words:
    """Every token of the mail and its features; ``hints`` are the rules' values by tag."""
    part_texts = parts(view)
    toks = [t for part, text in part_texts.items() for t in tokens(part, text)]
    domain, local = _address_words(view)
    covered = {tag: _covered(part_texts, value) for tag, value in hints.items()}
    lowered = [t.text.casefold() for t in toks]
    openers: dict[tuple[str, int], str] = {}  # each line's first word: "Position:", "Betreff"
    for token, low in zip(toks, lowered, strict=True):
        openers.setdefault((token.part, token.line), low)
    rows: list[list[str]] = []
    count = len(toks)
    for i, token in enumerate(toks):
        word, low = token.text, lowered[i]
        same_part = token.part

        def near(offset: int, i: int = i, same_part: str = same_part) -> str:
            j = i + offset
            if 0 <= j < count and toks[j].part == same_part:
                return lowered[j]
            return "<" if offset < 0 else ">"

        before, after = near(-1), near(1)
        word_shape = shape(word)
        line = token.line if token.line < 3 else 3 if token.line < 6 else 6
        row = [
            "w=" + low,
            "s=" + word_shape,
            "p=" + token.part,
            f"l={token.part}{line}",
            "w-1=" + before,
            "w-2=" + near(-2),
            "w+1=" + after,
            "w+2=" + near(2),
            "b=" + before + "|" + low,
            "a=" + low + "|" + after,
            "s-1=" + (shape(toks[i - 1].text) if i and toks[i - 1].part == same_part else "<"),
            "s+1="
            + (shape(toks[i + 1].text) if i + 1 < count and toks[i + 1].part == same_part else ">"),
            "lang=" + language,
            "lang|w-1=" + language + "|" + before,
        ]
        for kind in kinds(word):
            row.append("k=" + kind)
        if i and toks[i - 1].part == same_part:
            for kind in kinds(toks[i - 1].text):
                row.append("k-1=" + kind)
        if i + 1 < count and toks[i + 1].part == same_part:
            for kind in kinds(toks[i + 1].text):
                row.append("k+1=" + kind)
        if len(low) > 4:
            row.append("x3=" + low[-3:])
            row.append("p3=" + low[:3])
        if token.first:
            row.append("first")
        if token.last:
            row.append("last")
        if not token.first:
            row.append("opens=" + openers[(token.part, token.line)])
        plain = squashed(word)
        if len(plain) >= 3 and word[0].isalpha():
            if domain and plain in domain:
                row.append("dom|" + word_shape)
            if local and plain in local:
                row.append("loc|" + word_shape)
        for tag, spans in covered.items():
            if spans and _inside(token, spans):
                row.append("rule=" + tag)
                row.append("rule=" + tag + "|" + token.part)
        rows.append(row)
    return Words(toks, rows, part_texts, covered)


@dataclass(frozen=True)
class Tagger:
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]

    def probabilities(self, rows: list[list[str]]) -> list[tuple[float, ...]]:
        weights = self.weights
        found = []
        for row in rows:
            o, t, c = self.bias
            for feature in row:
                w = weights.get(feature)
                if w is not None:
                    o += w[0]
                    t += w[1]
                    c += w[2]
            top = max(o, t, c)
            eo, et, ec = math.exp(o - top), math.exp(t - top), math.exp(c - top)
            total = eo + et + ec
            found.append((eo / total, et / total, ec / total))
        return found


@cache
def load() -> Tagger:
    """The shipped tagger, ``classifiers/weights/spans.json``, read once."""
    text = resources.files(__package__).joinpath("weights", "spans.json").read_text("utf-8")
    data = json.loads(text)
    return Tagger(tuple(data["bias"]), {k: tuple(v) for k, v in data["weights"].items()})


# A word the tagger is this sure of, between two words it tags alike, joins them: "of"
# in "University of Brunswick", "&" in "Weber & Söhne".
BRIDGE = 0.25
# A run grows over a neighbour the tagger is this sure of: the first word of a name it
# never saw ("Fennimore Logistics") is often only half believed.
GROW = 0.3


def runs(toks: list[Token], probabilities: list[tuple[float, ...]], column: int) -> list[list[int]]:
    """Runs of words on one line that the tagger gives ``column``'s tag more than the others."""
    tagged = [p[column] == max(p) for p in probabilities]
    for width in (1, 2):  # "of", then "de la"
        for i in range(1, len(toks) - width):
            gap = range(i, i + width)
            if (
                tagged[i - 1]
                and tagged[i + width]
                and not any(tagged[j] for j in gap)
                and all(probabilities[j][column] >= BRIDGE for j in gap)
                and _same_line(toks[i - 1], toks[i + width])
            ):
                for j in gap:
                    tagged[j] = True
    for i in range(1, len(toks)):  # rightwards, then leftwards
        if not tagged[i] and tagged[i - 1] and _joins(toks, probabilities, column, i, i - 1):
            tagged[i] = True
    for i in range(len(toks) - 2, -1, -1):
        if not tagged[i] and tagged[i + 1] and _joins(toks, probabilities, column, i, i + 1):
            tagged[i] = True
    found: list[list[int]] = []
    run: list[int] = []
    for i, inside in enumerate(tagged):
        if inside and run and _same_line(toks[run[-1]], toks[i]):
            run.append(i)
            continue
        if run:
            found.append(run)
        run = [i] if inside else []
    if run:
        found.append(run)
    return found


def _hinted(
    toks: list[Token], spans: dict[str, list[tuple[int, int]]], value: str | None
) -> list[list[int]]:
    """The words of each place the rules' value stands (its own words, not what the
    mail has between them)."""
    own = {word.casefold() for word in _words_of(value)}
    found = []
    for part, places in spans.items():
        for start, end in places:
            run = [
                i
                for i, t in enumerate(toks)
                if t.part == part and start <= t.start and t.end <= end and t.text.casefold() in own
            ]
            if run:
                found.append(run)
    return found


def _joins(
    toks: list[Token], probabilities: list[tuple[float, ...]], column: int, i: int, beside: int
) -> bool:
    return probabilities[i][column] >= GROW and _same_line(toks[i], toks[beside])


def _same_line(a: Token, b: Token) -> bool:
    return a.part == b.part and a.line == b.line


def _found(
    toks: list[Token],
    probabilities: list[tuple[float, ...]],
    part_texts: dict[str, str],
    run: list[int],
    column: int,
) -> Found:
    first, last = toks[run[0]], toks[run[-1]]
    sure = min(probabilities[i][column] for i in run)
    for edge in (run[0] - 1, run[-1] + 1):
        if 0 <= edge < len(toks) and toks[edge].part == first.part:
            sure = min(sure, 1.0 - probabilities[edge][column])
    return Found(part_texts[first.part][first.start : last.end], sure, first.part)


def best(found: list[Found]) -> Found | None:
    """The surest candidate; a value the mail repeats counts each time it is said."""
    if not found:
        return None
    by_value: dict[str, list[Found]] = {}
    for candidate in found:
        by_value.setdefault(squashed(candidate.value), []).append(candidate)
    scored: list[Found] = []
    for group in by_value.values():
        doubt = 1.0
        for candidate in group:
            doubt *= 1.0 - candidate.sureness
        top = max(group, key=lambda c: c.sureness)
        scored.append(Found(top.value, 1.0 - doubt, top.part))
    return max(scored, key=lambda found: found.sureness)


@dataclass(frozen=True, slots=True)
class Reading:
    """The tagger's best candidate for a field, and its judgement of the rules' value."""

    best: Found | None
    rules: Found | None
    weak: Found | None = None


def find(
    view: MailView,
    language: str,
    hints: dict[str, str | None],
    weak: dict[str, str | None] | None = None,
) -> dict[str, Reading]:
    """The best title and employer, each with how sure the tagger is of it.

    The candidates are the runs the tagger reads as a title (or an employer) and the
    value the rules proposed, which the tagger judges word by word like its own.
    ``weak`` are values the rules were unsure of: judged the same way, but no hint
    (the tagger learned its hints from values the rules were sure of).
    """
    words = features(view, language, hints)
    toks, part_texts = words.tokens, words.part_texts
    probabilities = load().probabilities(words.rows)
    found: dict[str, Reading] = {}
    for tag in (TITLE, COMPANY):
        column = TAGS.index(tag)
        own = {tuple(run) for run in runs(toks, probabilities, column)}
        value = hints.get(tag)
        hinted = {tuple(run) for run in _hinted(toks, words.covered.get(tag, {}), value)}

        def judged(chosen: set[tuple[int, ...]], column: int = column) -> list[Found]:
            return [
                _found(toks, probabilities, part_texts, list(r), column) for r in sorted(chosen)
            ]

        unsure = (weak or {}).get(tag)
        doubted = _hinted(toks, _covered(part_texts, unsure), unsure) if unsure else []
        found[tag] = Reading(
            best(judged(own | hinted)),
            best(judged(hinted)),
            best(judged({tuple(run) for run in doubted})),
        )
    return found
