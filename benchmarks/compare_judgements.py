"""Compare ways of judging rejections, all trained on training/ and measured on the dev corpora.

    python benchmarks/compare_judgements.py [--wordllama]

Rows: the phrase lexicon alone (the judgement before the model); what ships
(``classify``: the model below, with the language check and the plain-phrase
rule); a linear model over words, word pairs and word pieces; the same with
the lexicon's cues as extra features (the shipped model); and, with --wordllama (needs
``pip install wordllama``, whose weights ship in its wheel), WordLlama's
static sentence embeddings with a logistic-regression head.  Every learned row
is trained on the written examples only; the dev corpora only measure.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.classifier import (  # noqa: E402
    CORPORA,
    DEFAULT_CORPUS,
    rejection_probability,
    to_bytes,
)
from classifiers import classify  # noqa: E402
from classifiers.classify import _lexical, judgement_inputs  # noqa: E402
from classifiers.language import SAMPLE_WORDS, detect_language  # noqa: E402
from classifiers.message import MailView, from_bytes  # noqa: E402
from classifiers.model import LinearModel, logistic  # noqa: E402
from classifiers.scoring import REJECTION_THRESHOLD, Text  # noqa: E402
from training.generate import REJECTION, examples  # noqa: E402
from training.train import ANSWER_KINDS, balanced, featurise, fit, read  # noqa: E402

THRESHOLDS = (0.3, 0.5, 0.7, 0.8, 0.9)


def lexicon_alone(view: MailView) -> float:
    text = Text(f"{view.subject}\n{view.body}")
    language = detect_language([w for _, w in text.words[:SAMPLE_WORDS]])
    evidence = _lexical(text, language)
    return 1.0 if evidence.decisive and evidence.score >= REJECTION_THRESHOLD else 0.0


def report(name: str, scores: list[float], gold: list[bool], languages: list[str]) -> None:
    for threshold in THRESHOLDS if name != "lexicon alone" else (0.5,):
        chosen = [g for s, g in zip(scores, gold, strict=True) if s >= threshold]
        precision = sum(chosen) / len(chosen) if chosen else 1.0
        recall = sum(chosen) / max(1, sum(gold))
        per_language: dict[str, list[bool]] = defaultdict(list)
        for s, g, lang in zip(scores, gold, languages, strict=True):
            if g:
                per_language[lang].append(s >= threshold)
        recalls = " ".join(
            f"{lang} {sum(hits)}/{len(hits)}" for lang, hits in sorted(per_language.items())
        )
        print(f"  {name:<28}{threshold:>5.2f}{precision:>7.3f}{recall:>7.3f}   {recalls}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordllama", action="store_true")
    args = parser.parse_args(argv)
    rows = []
    for name in CORPORA:
        path = DEFAULT_CORPUS.parent / name
        if path.exists():
            rows += [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    if not rows:
        print("corpus not found; nothing to measure", file=sys.stderr)
        return 0
    views = [from_bytes(to_bytes(row)) for row in rows]
    gold = [row["label"] == "rejection" for row in rows]
    languages = [row.get("language") or "en" for row in rows]

    # As training/train.py does: the answers to a request are the answer model's.
    training = [row for row in examples() if row.kind not in ANSWER_KINDS]
    labels = [int(row.label == REJECTION) for row in training]
    found = featurise(training)
    languages_trained = [row.language for row in training]
    print(f"trained on {len(training)} written examples; measured on {len(rows)} real mails")
    print(f"  {'judgement':<28}{'thr':>5}{'prec':>7}{'recall':>7}   rejections found per language")

    report("lexicon alone", [lexicon_alone(v) for v in views], gold, languages)
    shipped = [rejection_probability(classify(view)) for view in views]
    report("shipped (classify)", shipped, gold, languages)
    inputs = [judgement_inputs(v) for v in views]
    for name, with_cues in (("words+pairs+pieces", False), ("... + lexicon cues", True)):
        bias, weights = fit(found, labels, languages_trained, with_cues=with_cues)
        model = LinearModel(bias, weights)
        scores = [logistic(model.score_features(f, c if with_cues else ())) for f, c in inputs]
        report(name, scores, gold, languages)

    if args.wordllama:
        from wordllama import WordLlama

        embedder = WordLlama.load(disable_download=True)

        def texts(items: list[MailView]) -> list[str]:
            return [f"{v.subject}\n{v.body}"[:3000] for v in items]

        train_views = [read(row) for row in training]
        head = LogisticRegression(C=10.0, max_iter=2000)
        head.fit(
            embedder.embed(texts(train_views)),
            np.array(labels),
            sample_weight=balanced(languages_trained, labels),
        )
        embed: Callable[[list[str]], np.ndarray] = embedder.embed
        scores = list(head.predict_proba(embed(texts(views)))[:, 1])
        report("wordllama + logistic head", scores, gold, languages)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
