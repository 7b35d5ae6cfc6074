"""The phrase index finds exactly what a plain regular-expression scan finds."""

from __future__ import annotations

import pytest

from classifiers.classify import LEXICONS
from classifiers.lexicon import compile_phrases, lower_text, words_of
from classifiers.scoring import Text, score_rejection

from .support import CASES

SAMPLES = [f"{subject}\n{body}" for _, _, _, subject, body in CASES] + [
    "We won’t be moving forward. Unfortunately, the Position Has Been Filled!",
    "Leider ist die Stelle inzwischen besetzt; wir haben uns für einen anderen Bewerber entschieden.",
    # Words that only begin like a phrase's first word, next to ones that are it.
    "Yours, we'd say: you’ve not been selected; isn't it wee? Well, we-are not_selected. "
    "Re-apply or reapply; the-position, positions—roles_2 and 2nd-round candidates' profiles "
    "whose skills matched better. Wir-haben ihre Bewerbung. Nous n'avons pas retenu votre candidature.",
]


@pytest.mark.parametrize("code", sorted(LEXICONS))
def test_every_phrase_is_indexed(code: str) -> None:
    """No phrase falls back to a full-text scan (which would undo the speed-up)."""
    lexicon = LEXICONS[code]
    assert lexicon.index.unindexed == []
    assert lexicon.extractors.unindexed == []


@pytest.mark.parametrize("code", sorted(LEXICONS))
@pytest.mark.parametrize("sample", SAMPLES)
def test_index_agrees_with_a_naive_scan(code: str, sample: str) -> None:
    """The index reports exactly the word offsets at which some phrase of a list matches."""
    lexicon = LEXICONS[code]
    lowered = lower_text(sample)
    hits = lexicon.index.scan(lowered, words_of(lowered))
    lists = {name: getattr(lexicon, name) for name in lexicon.INDEXED}
    lists.update({"counter:" + n: p for n, p in lexicon.counters.items()})
    for name, phrases in lists.items():
        patterns = [compile_phrases([p]) for p in phrases]
        naive = {
            offset
            for offset, _ in words_of(lowered)
            if any(pattern.match(lowered, offset) for pattern in patterns)
        }
        assert {m.start() for m in hits.get(name, [])} == naive, name


@pytest.mark.parametrize("code", sorted(LEXICONS))
def test_every_feedback_phrase_is_indexed(code: str) -> None:
    """Feedback phrases have an index of their own, scanned only for replies."""
    assert LEXICONS[code].feedback_index.unindexed == []


@pytest.mark.parametrize("code", sorted(LEXICONS))
@pytest.mark.parametrize("sample", SAMPLES)
def test_feedback_index_agrees_with_a_naive_scan(code: str, sample: str) -> None:
    """The feedback index reports exactly the word offsets at which a feedback phrase matches."""
    lexicon = LEXICONS[code]
    lowered = lower_text(sample)
    hits = lexicon.feedback_index.scan(lowered, words_of(lowered))
    patterns = [compile_phrases([p]) for p in lexicon.feedback]
    naive = {
        offset
        for offset, _ in words_of(lowered)
        if any(pattern.match(lowered, offset) for pattern in patterns)
    }
    assert {m.start() for m in hits.get("feedback", [])} == naive


def test_lower_text_keeps_offsets() -> None:
    """Lower-casing never shifts offsets, even for characters that grow when lowered."""
    text = "İstanbul Straße ’won’t’"
    assert len(lower_text(text)) == len(text)
    assert lower_text(text).endswith("'won't'")


def test_words_of_gives_offsets() -> None:
    """Word offsets point at the words themselves."""
    text = "a cat, a catalogue; cat"
    assert [(text[o : o + len(w)], w) for o, w in words_of(text)] == [
        (w, w) for w in text.replace(",", "").replace(";", "").split()
    ]


@pytest.mark.parametrize(
    ("code", "receipt", "review"),
    [
        ("en", "We have received your application", " and reviewed it with care."),
        ("nl", "Wij hebben uw sollicitatie ontvangen", " en met aandacht beoordeeld."),
        ("es", "Hemos recibido su candidatura", " y la hemos valorado con detenimiento."),
        ("de", "Ihre Bewerbung ist bei uns eingegangen", " und wurde sorgfältig geprüft."),
    ],
)
def test_a_receipt_told_with_its_review_acknowledges_nothing(
    code: str, receipt: str, review: str
) -> None:
    """The receipt and the review in one sentence open a decision; the receipt alone
    acknowledges an application still to be read."""
    alone = score_rejection(Text(f"Subject\n{receipt}."), LEXICONS[code])
    assert "counter:acknowledgement" in alone.cues
    with_review = score_rejection(Text(f"Subject\n{receipt}{review}"), LEXICONS[code])
    assert "counter:acknowledgement" not in with_review.cues


def test_seeing_no_possibilities_is_a_soft_dutch_no() -> None:
    text = Text("Uw sollicitatie\nHelaas zien wij op dit moment geen mogelijkheden.")
    assert "soft" in score_rejection(text, LEXICONS["nl"]).cues


@pytest.mark.parametrize(
    ("code", "sentence"),
    [
        ("en", "We have received your application and will review it shortly."),
        ("de", "Ihre Bewerbung ist bei uns eingegangen und wird nun geprüft."),
        ("es", "Hemos recibido su candidatura y será valorada por el equipo."),
        ("nl", "Wij hebben uw sollicitatie ontvangen en deze wordt beoordeeld."),
    ],
)
def test_a_receipt_with_a_review_still_to_come_acknowledges(code: str, sentence: str) -> None:
    evidence = score_rejection(Text(f"Subject\n{sentence}"), LEXICONS[code])
    assert "counter:acknowledgement" in evidence.cues


@pytest.mark.parametrize(
    "sentence",
    [
        "Sadly we cannot take your application further.",
        "We can't offer you a place on the scheme this year.",
        "I'm afraid we can not progress your application.",
        "We are unable to consider your application for this post.",
    ],
)
def test_a_refusal_with_can_not_is_a_decision(sentence: str) -> None:
    """Written "cannot" and "can't" take no "to"; "unable to" does."""
    evidence = score_rejection(Text(f"Your application\n{sentence}"), LEXICONS["en"])
    assert "decision" in evidence.cues


@pytest.mark.parametrize(
    "sentence",
    [
        "We cannot progress your application to offer stage until we receive your references.",
        "We will not be able to consider your application unless you upload a CV.",
        "The hiring manager can't move your interview, it stays on Monday.",
        "We are not inviting you to interview until all applications are in after the 30th.",
        "Please note we do not invite you for a second interview; the panel decides after this one.",
        "We are unable to consider your application for the analyst role until you have"
        " completed the online assessment.",
    ],
)
def test_a_condition_still_to_be_met_is_no_decision(sentence: str) -> None:
    evidence = score_rejection(Text(f"Your application\n{sentence}"), LEXICONS["en"])
    assert "decision" not in evidence.cues


def test_a_later_chance_is_no_condition_of_the_decision() -> None:
    """ "Unable to progress your application, but … apply again once …": still decided."""
    sentence = (
        "We are unable to progress your application, but you are welcome to apply again"
        " once new positions open."
    )
    evidence = score_rejection(Text(f"Your application\n{sentence}"), LEXICONS["en"])
    assert "decision" in evidence.cues


def test_not_inviting_to_interview_is_a_decision() -> None:
    text = Text(
        "Your application\nHaving read it carefully, we will not be inviting you to interview."
    )
    assert "decision" in score_rejection(text, LEXICONS["en"]).cues
