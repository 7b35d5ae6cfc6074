"""Rebuild the shipped weights from the training mail, deterministically.

    python training/train.py            # writes classifiers/weights/{rejection,answer}.json
    python training/train.py --check    # exit 1 if a shipped file is not what it would write

Every example is read the way the daemon reads a plain-text mail
(``message.from_text``: the same tidying, the quoted text cut off, the same
words), so the model learns from what it will be shown.  Encoding each one as
MIME first only cost time, and folded long subjects ("frau(Job-ID").  The dev corpora in ../shared never come near this script.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from classifiers.classify import answer_inputs, judgement_inputs
from classifiers.message import Address, MailView, from_text
from classifiers.model import CUE, features
from training.generate import REJECTION, Example, examples

WEIGHTS = Path(__file__).resolve().parents[1] / "classifiers" / "weights"
OUT = WEIGHTS / "rejection.json"
ANSWER_OUT = WEIGHTS / "answer.json"
# The answer model's classes, by the kind of training mail that teaches each.
ANSWER_KINDS = {
    "reply_feedback": "feedback",
    "reply_declined": "declined",
    "reply_call": "call",
    "reply_pending": "pending",
    "auto_reply": "auto_reply",
    "reply_other": "other",
}
# Mail of the hiring process that is no answer to a request (a late rejection, a
# new invitation) may still come from the same company: one in this many is
# taught as "other".
OTHER_SAMPLE = 8
ANSWER_C = 4.0
# A feature seen in fewer examples than this is noise, and only makes the file bigger.
MIN_COUNT = 3
# Inverse regularisation strength, chosen by cross-validation on the training mail.
C = 16.0
# Weights smaller than this change no decision; dropping them keeps the file small.
PRUNE = 0.1
DECIMALS = 3


SENDER = Address("Recruiting", "jobs@employer.example")


def read(example: Example) -> MailView:
    return from_text(example.subject, SENDER, example.body)


Inputs = tuple[dict[str, int], set[str]]  # a mail's text features (with counts), its cues


def featurise(rows: list[Example]) -> list[Inputs]:
    return [judgement_inputs(read(row)) for row in rows]


def matrix(found: list[Inputs], vocabulary: dict[str, int]) -> csr_matrix:
    """Rows valued as at run time: a text feature its count over the root of the mail's
    feature count, a cue 1."""
    indptr, indices, values = [0], [], []
    for text_features, cues in found:
        total = sum(text_features.values())
        scale = 1.0 / math.sqrt(total) if total else 0.0
        row = {vocabulary[f]: n * scale for f, n in text_features.items() if f in vocabulary}
        row.update({vocabulary[CUE + c]: 1.0 for c in cues if CUE + c in vocabulary})
        for column in sorted(row):
            indices.append(column)
            values.append(row[column])
        indptr.append(len(indices))
    return csr_matrix((values, indices, indptr), shape=(len(found), len(vocabulary)))


def build_vocabulary(found: list[Inputs], with_cues: bool = True) -> dict[str, int]:
    counts: dict[str, int] = {}
    for text_features, cues in found:
        for feature in (*text_features, *(CUE + c for c in cues if with_cues)):
            counts[feature] = counts.get(feature, 0) + 1
    kept = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    return {feature: index for index, feature in enumerate(kept)}


def balanced(languages: list[str], labels: list[int]) -> np.ndarray:
    """Weights that give each language's rejections and non-rejections equal say.

    Otherwise a language with fewer written negatives would teach the model
    that its function words ("la", "nos") mean rejection.
    """
    groups: dict[tuple[str, int], int] = {}
    for key in zip(languages, labels, strict=True):
        groups[key] = groups.get(key, 0) + 1
    per_group = len(labels) / len(groups)
    return np.array([per_group / groups[key] for key in zip(languages, labels, strict=True)])


def fit(
    found: list[Inputs],
    labels: list[int],
    languages: list[str],
    c: float = C,
    with_cues: bool = True,
) -> tuple[float, dict[str, float]]:
    vocabulary = build_vocabulary(found, with_cues)
    model = LogisticRegression(C=c, solver="liblinear", max_iter=1000, random_state=0)
    model.fit(
        matrix(found, vocabulary), np.array(labels), sample_weight=balanced(languages, labels)
    )
    weights = {
        feature: round(float(w), DECIMALS)
        for feature, w in zip(vocabulary, model.coef_[0], strict=True)
        if abs(w) >= PRUNE
    }
    return round(float(model.intercept_[0]), DECIMALS), weights


def render(bias: float, weights: dict[str, float], count: int) -> str:
    lines = [
        "{",
        '  "about": "rejection vs everything else; rebuilt by training/train.py from'
        f' {count} written examples",',
        f'  "bias": {bias},',
        '  "weights": {',
    ]
    items = sorted(weights.items())
    lines += [
        f"    {json.dumps(k, ensure_ascii=False)}: {v}{',' if i < len(items) - 1 else ''}"
        for i, (k, v) in enumerate(items)
    ]
    lines += ["  }", "}", ""]
    return "\n".join(lines)


def build(rows: list[Example]) -> str:
    """The rejection model, from everything but the answers to a feedback request: those
    are judged by the answer model, in their thread, and never by this one."""
    rows = [row for row in rows if row.kind not in ANSWER_KINDS]
    found = featurise(rows)
    labels = [int(row.label == REJECTION) for row in rows]
    bias, weights = fit(found, labels, [row.language for row in rows])
    return render(bias, weights, len(rows))


def answer_rows(rows: list[Example]) -> list[tuple[Example, str]]:
    """The answers to feedback requests, and a sample of other hiring mail as "other"."""
    chosen = []
    for number, row in enumerate(rows):
        if row.kind in ANSWER_KINDS:
            chosen.append((row, ANSWER_KINDS[row.kind]))
        elif number % OTHER_SAMPLE == 0:
            chosen.append((row, "other"))
    return chosen


def build_answers(rows: list[Example]) -> str:
    """A multinomial logistic regression over the answer kinds, classes weighted equally."""
    chosen = answer_rows(rows)
    found: list[Inputs] = []
    for row, _ in chosen:
        words, cues = answer_inputs(read(row))
        found.append((features(words), cues))
    vocabulary = build_vocabulary(found)
    labels = [label for _, label in chosen]
    model = LogisticRegression(C=ANSWER_C, max_iter=3000, class_weight="balanced")
    model.fit(matrix(found, vocabulary), np.array(labels))
    classes = {}
    for name, coef, intercept in zip(model.classes_, model.coef_, model.intercept_, strict=True):
        weights = {
            feature: round(float(w), DECIMALS)
            for feature, w in zip(vocabulary, coef, strict=True)
            if abs(w) >= PRUNE
        }
        classes[str(name)] = {"bias": round(float(intercept), DECIMALS), "weights": weights}
    about = f"the kind of an answer to a feedback request; rebuilt by training/train.py from {len(chosen)} written examples"
    return (
        json.dumps(
            {"about": about, "classes": classes}, ensure_ascii=False, indent=1, sort_keys=True
        )
        + "\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    rows = examples()
    built = {OUT: build(rows), ANSWER_OUT: build_answers(rows)}
    if args.check:
        stale = [path for path, text in built.items() if not _holds(path, text)]
        for path in stale:
            print(f"{path} differs from a rebuild")
        print("" if stale else "shipped weights are up to date", end="\n" if not stale else "")
        return 1 if stale else 0
    WEIGHTS.mkdir(exist_ok=True)
    for path, text in built.items():
        path.write_text(text, "utf-8")
        print(f"wrote {path} ({len(text) // 1024} KiB)")
    return 0


def _holds(path: Path, text: str) -> bool:
    return path.exists() and path.read_text("utf-8") == text


if __name__ == "__main__":
    raise SystemExit(main())
