"""The span tagger: what it reads, what it may return, and where its weights come from."""

from __future__ import annotations

import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st

from classifiers import classify, spans
from classifiers.extract import COMPANY_TRUST, FILL_AT, TITLE_TRUST, _decide, _on_fill_scale
from classifiers.message import Address, MailView

from .support import build_mail


def view(subject: str, body: str, name: str = "", email: str = "jo@firm.example") -> MailView:
    return MailView(subject=subject, sender=Address(name, email), body=body)


def test_tokens_keep_their_place_in_the_text() -> None:
    text = "Sehr geehrte Frau Alex,\n\nIhre Bewerbung als Data-Analyst (m/w/d) bei R&D GmbH."
    for token in spans.tokens(spans.BODY, text):
        assert text[token.start : token.end] == token.text
    words = [t.text for t in spans.tokens(spans.BODY, text)]
    assert "Data-Analyst" in words
    assert "m/w/d" in words
    assert "R&D" in words


def test_each_line_of_a_part_is_numbered_and_its_edges_marked() -> None:
    found = spans.tokens(spans.BODY, "Hi Alex,\n\nThe Analyst role")
    assert [(t.text, t.line, t.first, t.last) for t in found][-3:] == [
        ("The", 1, True, False),
        ("Analyst", 1, False, False),
        ("role", 1, False, True),
    ]


def test_a_long_body_is_read_at_its_start_and_its_end() -> None:
    body = "x " * 2000 + "\nKind regards,\nMara Lindqvist\nNorthwind Traders"
    parts = spans.parts(view("Your application", body, "Careers"))
    assert list(parts) == [spans.SUBJECT, spans.DISPLAY, spans.BODY, spans.TAIL]
    assert len(parts[spans.BODY]) == spans.BODY_CHARS
    assert parts[spans.TAIL].endswith("Northwind Traders")
    assert body.endswith(parts[spans.TAIL])


def test_a_found_value_is_words_the_mail_wrote() -> None:
    mail = view(
        "Your application for Senior Data Engineer",
        "Dear Alex,\n\nThank you for applying to the Senior Data Engineer role at Corvane"
        " Analytics. Unfortunately we will not move forward.\n\nBest,\nMara Lindqvist",
        "Corvane Analytics Careers",
        "no-reply@greenhouse-mail.io",
    )
    reading = spans.find(mail, "en", {spans.TITLE: None, spans.COMPANY: None})
    texts = " ".join(spans.parts(mail).values())
    for tag in (spans.TITLE, spans.COMPANY):
        found = reading[tag].best
        assert found is not None
        assert found.value in texts
        assert 0.0 <= found.sureness <= 1.0
    assert reading[spans.TITLE].best.value == "Senior Data Engineer"
    assert reading[spans.COMPANY].best.value == "Corvane Analytics"


def test_the_rules_value_is_judged_where_it_stands() -> None:
    mail = view("Re: Product Analyst", "Hi Sam, we went with someone else. Best, Tom")
    reading = spans.find(mail, "en", {spans.TITLE: "Product Analyst", spans.COMPANY: None})
    assert reading[spans.TITLE].rules is not None
    assert reading[spans.TITLE].rules.value == "Product Analyst"
    assert reading[spans.COMPANY].rules is None


def test_a_weak_value_is_judged_but_is_no_hint() -> None:
    """The rules' unsure value is judged where it stands, and the features (the tagger's
    hints) are those of a mail with no value."""
    mail = view("Your application", "Thank you for applying to Quillfeather Books. Sadly not.")
    no_hints = {spans.TITLE: None, spans.COMPANY: None}
    weak = {spans.COMPANY: "Quillfeather Books"}
    reading = spans.find(mail, "en", no_hints, weak)[spans.COMPANY]
    assert reading.weak is not None
    assert reading.weak.value == "Quillfeather Books"
    assert reading.rules is None
    plain = spans.find(mail, "en", no_hints)[spans.COMPANY]
    assert plain.best == reading.best
    assert (
        spans.find(mail, "en", no_hints, {spans.COMPANY: "Nowhere Ltd"})[spans.COMPANY].weak is None
    )


@given(st.text(max_size=300), st.text(max_size=60), st.text(max_size=60))
def test_any_text_is_read_without_error(body: str, subject: str, name: str) -> None:
    reading = spans.find(view(subject, body, name), "en", {spans.TITLE: body[:10] or None})
    for tag in (spans.TITLE, spans.COMPANY):
        found = reading[tag].best
        assert found is None or 0.0 <= found.sureness <= 1.0


def reading(best: tuple[str, float] | None, rules: float | None = None) -> spans.Reading:
    found = spans.Found(*best, spans.BODY) if best else None
    judged = spans.Found("ruled", rules, spans.BODY) if rules is not None else None
    return spans.Reading(found, judged)


def keep(value: str) -> str:
    return value


def test_where_rules_and_tagger_agree_the_value_is_filled() -> None:
    got = _decide("Data Analyst", 0.7, reading(("data analyst", 0.4)), keep, TITLE_TRUST)
    assert got == ("Data Analyst", 0.7)


def test_the_rules_value_stands_unless_the_tagger_thinks_nothing_of_it() -> None:
    kept = TITLE_TRUST.rules_kept
    assert _decide("A", 0.8, reading(("B", 0.5), kept), keep, TITLE_TRUST) == ("A", 0.8)
    value, sure = _decide("A", 0.8, reading(("B", 0.5), kept / 2), keep, TITLE_TRUST)
    assert value == "B"
    assert sure < FILL_AT
    value, sure = _decide("A", 0.8, reading(("B", 0.999), kept / 2), keep, TITLE_TRUST)
    assert value == "B"
    assert sure >= FILL_AT


@pytest.mark.parametrize(
    "cut", ["Key Account Manager,", "Addetto/a al", "Cabinet Delmas &", "- Analyst"]
)
def test_a_reading_that_stops_mid_phrase_is_no_rival_to_the_rules(cut: str) -> None:
    got = _decide("The Rules' Value", 0.7, reading((cut, 0.99), 0.0), keep, TITLE_TRUST)
    assert got == ("The Rules' Value", 0.7)


def test_a_value_only_the_tagger_sees_must_be_nearly_sure() -> None:
    needed = COMPANY_TRUST.alone
    assert _decide(None, 0.0, reading(("Acme", needed)), keep, COMPANY_TRUST)[1] == FILL_AT
    assert _decide(None, 0.0, reading(("Acme", needed - 0.05)), keep, COMPANY_TRUST)[1] < FILL_AT
    assert _decide(None, 0.0, reading(None), keep, COMPANY_TRUST) == (None, 0.0)


@pytest.mark.parametrize("needed", [0.5, 0.9, 0.99, 2.0])
def test_the_fill_scale_keeps_order_and_puts_the_needed_point_at_fill(needed: float) -> None:
    points = [i / 100 for i in range(101)]
    scaled = [_on_fill_scale(p, needed) for p in points]
    assert scaled == sorted(scaled)
    assert all(0.0 <= s <= 1.0 for s in scaled)
    assert all((s >= FILL_AT) == (p >= needed) for p, s in zip(points, scaled, strict=True))


def test_an_agency_writing_for_a_named_client_is_not_the_employer() -> None:
    raw = build_mail(
        "Your application - Finance Manager",
        "Hi Chris,\n\nI have had feedback from Meridian Foods about the Finance Manager role"
        " I put you forward for. Unfortunately they have decided not to progress your"
        " application.\n\nKind regards,\nRachel Donnelly\nSenior Consultant",
        sender=("Rachel Donnelly", "rachel.donnelly@brightpath-talent.example"),
    )
    verdict = classify(raw)
    assert verdict.company in (None, "Meridian Foods")


@pytest.mark.slow
@pytest.mark.rebuild("training/spans.py")
def test_shipped_tagger_is_what_training_rebuilds(
    rebuild: subprocess.CompletedProcess[str],
) -> None:
    """training/spans.py --check rebuilds the tagger from training/ and finds it identical."""
    # Started in the background when collection ended: see tests/conftest.py.
    assert rebuild.returncode == 0, rebuild.stdout + rebuild.stderr
