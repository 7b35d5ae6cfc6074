"""The hand-written fixture mails (tests/fixtures/mail) in all five languages.

These were written for this project as a held-out set; their first run
showed where the phrase lists were too narrow (see the notes on issue 2).
Label and language must be right for every one; extraction is held to the
level reached, so it can only improve.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifiers import classify
from daemon.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
EXPECTED: dict[str, dict[str, str | None]] = json.loads(
    (FIXTURES / "expected.json").read_text(encoding="utf-8")
)
USER = "alex.candidate@example.net"
# Share of rejections and feedback replies whose field equals the hand-written
# value; raise these as extraction improves, never lower them.
FIELD_FLOORS = {"contact_email": 1.0, "contact_name": 0.85, "company": 0.6, "job_title": 0.45}


# Of each language's fixtures (about twenty), at most this many may get a label
# other than the hand-assigned one.  The judgement is learned: a retrained
# model may trade one borderline mail for another, so what is held is the level.
MAX_MISSES_PER_LANGUAGE = 1


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_language(name: str) -> None:
    """Every fixture is read in its hand-assigned language."""
    verdict = classify((FIXTURES / name).read_bytes(), user_addresses=[USER])
    assert verdict.language == EXPECTED[name]["language"]


@pytest.mark.parametrize("language", sorted({e["language"] for e in EXPECTED.values()}))
def test_labels_agree_with_hand_labels(language: str) -> None:
    """Nearly every fixture of a language gets its hand-assigned label; the misses are named."""
    names = [n for n, e in EXPECTED.items() if e["language"] == language]
    misses = []
    for name in names:
        verdict = classify((FIXTURES / name).read_bytes(), user_addresses=[USER])
        if verdict.label.value != EXPECTED[name]["label"]:
            misses.append(f"{name}: {verdict.label.value} {verdict.reasons[:2]}")
    assert len(misses) <= MAX_MISSES_PER_LANGUAGE, misses


@pytest.mark.parametrize("field", sorted(FIELD_FLOORS))
def test_extraction_agrees_with_hand_labels(field: str) -> None:
    """Extracted context matches what a careful reader wrote down, at least as often as before."""
    targets = {n: e for n, e in EXPECTED.items() if e["label"] != "other"}
    agree = sum(
        getattr(classify((FIXTURES / n).read_bytes(), user_addresses=[USER]), field) == e[field]
        for n, e in targets.items()
    )
    assert agree / len(targets) >= FIELD_FLOORS[field]


def test_malformed_fixtures_are_reported_or_classified(capsys) -> None:
    """`classify` over the malformed folder prints one object per file and never crashes."""
    files = sorted((FIXTURES / "malformed").iterdir())
    assert main(["classify", "--json", *map(str, files)]) in (0, 1)
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(results) == len(files)
    for result in results:
        assert result["label"] is None or result["label"] in (
            "rejection",
            "feedback_reply",
            "other",
        )
        assert result["label"] is not None or result["error"]
