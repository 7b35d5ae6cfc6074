"""The learned half of the judgement: a linear model over words, word pairs and word pieces.

Trained offline (``training/train.py``, scikit-learn) on mail the developers
wrote, and shipped as a weights file that these few lines read: a message's
score is the sum of its features' weights, divided by the square root of how
many it has, plus a bias and the weights of the phrase lexicon's cues.  Word
pieces (four letters inside a word) carry what a phrase list misses:
"rechazada" shares pieces with "rechazado", "weerhouden" with "weerhoudt".
Pure: the weights are read from the package.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import pairwise, repeat

# Long mails are judged on their opening: the decision is stated early, and
# the words after it (footers, legal text) only cost time.
MAX_WORDS = 400
PIECE = 4
# Names of the lexicon's cues among the weights: "lex:decision".  No text
# feature has a colon after letters only, so the two never meet.
CUE = "lex:"
_DIGITS = re.compile(r"\d")


def features(words: list[str]) -> dict[str, int]:
    """The features of lower-cased words, with how often each counts.

    Each distinct word counts once, with its pieces; each distinct pair of
    neighbours once.  Digits all read as 0: a date or a requisition number says
    nothing by its value.
    """
    words = normalised(words)
    found: dict[str, int] = {}
    for word in set(words):
        for feature in word_features(word):
            found[feature] = found.get(feature, 0) + 1
    for pair in set(map(" ".join, pairwise(words))):
        found[pair] = found.get(pair, 0) + 1
    return found


def word_features(word: str) -> list[str]:
    """A word and its pieces: four letters at a time, its edges marked."""
    if len(word) <= PIECE - 2:
        return [word]
    padded = f"<{word}>"
    return [word, *(padded[i : i + PIECE] for i in range(len(padded) - PIECE + 1))]


def normalised(words: list[str]) -> list[str]:
    return [w if w.isalpha() else _DIGITS.sub("0", w) for w in words[:MAX_WORDS]]


# Distinct words a model remembers the weight of; most mail reuses a few
# thousand, and the memo is emptied when it reaches this size.
_MEMO_WORDS = 50_000


@dataclass(frozen=True)
class LinearModel:
    """Weights by feature name, and the bias; ``probability`` is the logistic of the score.

    The score is the bias, plus each cue's weight, plus the weighted sum of the
    text features divided by the square root of their count: what
    ``features`` gives, computed here word by word with a memo, since the
    same words come back in mail after mail.
    """

    bias: float
    weights: dict[str, float]
    _memo: dict[str, tuple[float, int]] = field(default_factory=dict, repr=False, compare=False)

    def score(self, words: list[str], cues: Iterable[str] = ()) -> float:
        words = normalised(words)
        text, count = 0.0, 0
        memo, weights = self._memo, self.weights
        for word in set(words):
            known = memo.get(word)
            if known is None:
                if len(memo) >= _MEMO_WORDS:
                    memo.clear()
                parts = word_features(word)
                known = memo[word] = (sum(map(weights.get, parts, repeat(0.0))), len(parts))
            text += known[0]
            count += known[1]
        pairs = set(map(" ".join, pairwise(words)))
        text += sum(map(weights.get, pairs, repeat(0.0)))
        count += len(pairs)
        return self._combined(text, count, cues)

    def score_features(self, found: dict[str, int], cues: Iterable[str] = ()) -> float:
        """The same score from ``features``' output: what training sees, without the memo."""
        text = sum(self.weights.get(f, 0.0) * n for f, n in found.items())
        return self._combined(text, sum(found.values()), cues)

    def _combined(self, text: float, count: int, cues: Iterable[str]) -> float:
        """The bias, the cues' weights, and the text's weight over the root of its feature count."""
        total = self.bias + sum(self.weights.get(CUE + cue, 0.0) for cue in cues)
        return total + text / math.sqrt(count) if count else total

    def probability(self, words: list[str], cues: Iterable[str] = ()) -> float:
        return logistic(self.score(words, cues))

    def strongest(self, words: list[str], count: int = 3) -> list[str]:
        """The word pairs (and longer words) that raise the score most, for a reason line."""
        words = normalised(words)
        readable = {*(w for w in words if len(w) > 4), *map(" ".join, pairwise(words))}
        raising = [f for f in readable if self.weights.get(f, 0.0) > 0.0]
        return sorted(raising, key=lambda f: (-self.weights[f], f))[:count]


@dataclass(frozen=True)
class ChoiceModel:
    """One linear model per class over the same features; the likeliest class wins.

    Trained as one multinomial logistic regression, so the probabilities are
    the softmax of the class scores.
    """

    classes: dict[str, LinearModel]

    def probabilities(self, words: list[str], cues: Iterable[str] = ()) -> dict[str, float]:
        cues = tuple(cues)
        scores = {name: model.score(words, cues) for name, model in self.classes.items()}
        top = max(scores.values())
        exps = {name: math.exp(max(-50.0, score - top)) for name, score in scores.items()}
        total = sum(exps.values())
        return {name: value / total for name, value in exps.items()}

    def strongest(self, name: str, words: list[str], count: int = 3) -> list[str]:
        return self.classes[name].strongest(words, count)


def logistic(score: float) -> float:
    """A score as a probability; far-out scores are clamped, never an overflow."""
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, score))))


def _shipped(name: str) -> dict:
    text = resources.files(__package__).joinpath("weights", f"{name}.json").read_text("utf-8")
    return json.loads(text)


def _linear(data: dict) -> LinearModel:
    return LinearModel(float(data["bias"]), {k: float(v) for k, v in data["weights"].items()})


@cache
def load(name: str) -> LinearModel:
    """A model shipped in ``classifiers/weights/<name>.json``, read once."""
    return _linear(_shipped(name))


@cache
def load_choice(name: str) -> ChoiceModel:
    """A many-class model shipped in ``classifiers/weights/<name>.json``, read once."""
    return ChoiceModel({label: _linear(data) for label, data in _shipped(name)["classes"].items()})
