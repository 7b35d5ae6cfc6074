"""Rendering drafts: every shipped template with any context, the lookup order, the errors."""

from __future__ import annotations

import itertools
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from daemon.config import Identity
from daemon.errors import UserError
from daemon.mail.render import (
    Rendered,
    TemplateError,
    check_template,
    clean_field,
    render,
    reply_prefixed,
)
from daemon.mail.templates import shipped_templates_dir

LANGUAGES = ("en", "de", "fr", "es", "nl")
KINDS = ("feedback_request", "thank_you")
ME = Identity(name="Alex Doe", email="alex@example.org")
FULL: dict[str, Any] = {
    "company": "Acme",
    "job_title": "Senior Data Analyst",
    "contact_name": "Jane Smith",
    "rejection_subject": "Your application",
    "reply_subject": "Feedback on your application",
    "rejection_date": date(2025, 3, 3),
}
OPTIONAL = tuple(FULL)
# A greeting that needs a name, with only punctuation after it: "Dear ,", "Hola:".
GREETING = r"(?:Dear|Hello|Hi|Guten Tag|Hallo|Bonjour|Hola|Beste|Geachte|Estimad[oa])"
NAMELESS_GREETING = re.compile(rf"^{GREETING}(?:\s*[,:;]?\s*[,:;]\s*$|\s+[,:;])", re.MULTILINE)
FORBIDDEN = ("None", "  ", " ,", " .", " ;", " :", "{{", "}}", "{%", "%}", "{#", "\n\n\n", "\t")


def context(**values: Any) -> dict[str, Any]:
    """The full context with the given values replacing (or, as None, removing) fields."""
    return {"identity": ME, "language": "xx", **FULL, **values}


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_clean(rendered: Rendered, label: str) -> None:
    for text in (rendered.subject, rendered.body):
        for bad in FORBIDDEN:
            assert bad not in text, f"{label}: {bad!r} in {text!r}"
    assert rendered.subject, label
    assert "\n" not in rendered.subject, label
    assert rendered.subject == rendered.subject.strip(), label
    assert not NAMELESS_GREETING.search(rendered.body), f"{label}: {rendered.body!r}"
    assert rendered.body.endswith("\n"), label
    assert not rendered.body.endswith("\n\n"), label
    assert not rendered.body.startswith("\n"), label
    assert all(line == line.rstrip() for line in rendered.body.split("\n")), label
    assert rendered.body.endswith(f"\n{ME.name}\n"), f"{label}: not signed"


# -- every shipped template, every subset of the optional fields -------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_subset_of_missing_fields_renders_cleanly(kind: str, language: str) -> None:
    for size in range(len(OPTIONAL) + 1):
        for missing in itertools.combinations(OPTIONAL, size):
            values = context(**dict.fromkeys(missing))
            rendered = render(kind, language, values)
            label = f"{kind}.{language} without {missing}"
            assert rendered.source == shipped_templates_dir() / f"{kind}.{language}.txt.j2"
            assert_clean(rendered, label)
            for field in ("job_title", "company", "contact_name"):
                if values[field]:
                    assert values[field] in rendered.body, f"{label}: {field} not named"
            sentences = rendered.body.split("\n\n")[1:-1]  # between greeting and closing
            count = sum(len(re.findall(r"[.!?](?:\s|$)", p)) for p in sentences)
            assert 3 <= count <= 5, f"{label}: {count} sentences"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_absent_keys_are_the_same_as_none(kind: str, language: str) -> None:
    """A caller may leave optional keys out; StrictUndefined still guards the rest."""
    assert render(kind, language, {"identity": ME}) == render(
        kind, language, context(**dict.fromkeys(OPTIONAL))
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_request_subject_is_a_reply_to_the_rejection(language: str) -> None:
    assert render("feedback_request", language, context()).subject == "Re: Your application"
    already = context(rejection_subject="AW: Ihre Bewerbung")
    assert render("feedback_request", language, already).subject == "AW: Ihre Bewerbung"


@pytest.mark.parametrize("language", LANGUAGES)
def test_thank_you_subject_is_a_reply_to_the_feedback(language: str) -> None:
    rendered = render("thank_you", language, context())
    assert rendered.subject == "Re: Feedback on your application"
    rendered = render("thank_you", language, context(reply_subject="RE: Feedback"))
    assert rendered.subject == "RE: Feedback"


REQUEST_SUBJECTS = {
    "en": (
        "Following up on the Senior Data Analyst position",
        "Following up on my application to Acme",
        "Following up on my application",
    ),
    "de": (
        "Rückfrage zu meiner Bewerbung als Senior Data Analyst",
        "Rückfrage zu meiner Bewerbung bei Acme",
        "Rückfrage zu meiner Bewerbung",
    ),
    "fr": (
        "Suite à ma candidature au poste de Senior Data Analyst",
        "Suite à ma candidature chez Acme",
        "Suite à ma candidature",
    ),
    "es": (
        "Seguimiento de mi candidatura al puesto de Senior Data Analyst",
        "Seguimiento de mi candidatura en Acme",
        "Seguimiento de mi candidatura",
    ),
    "nl": (
        "Naar aanleiding van mijn sollicitatie als Senior Data Analyst",
        "Naar aanleiding van mijn sollicitatie bij Acme",
        "Naar aanleiding van mijn sollicitatie",
    ),
}
THANK_YOU_SUBJECTS = {
    "en": "Thank you for your feedback",
    "de": "Vielen Dank für Ihre Rückmeldung",
    "fr": "Merci pour votre retour",
    "es": "Gracias por sus comentarios",
    "nl": "Bedankt voor uw feedback",
}
GREETINGS = {
    "en": ("Dear Jane Smith,", "Dear Hiring Team,"),
    "de": ("Guten Tag Jane Smith,", "Sehr geehrte Damen und Herren,"),
    "fr": ("Bonjour Jane Smith,", "Madame, Monsieur,"),
    "es": ("Hola, Jane Smith:", "Estimado equipo de selección:"),
    "nl": ("Beste Jane Smith,", "Geachte heer/mevrouw,"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_subjects_without_a_thread(language: str) -> None:
    by_title, by_company, generic = REQUEST_SUBJECTS[language]
    no_thread = {"rejection_subject": None, "reply_subject": None}
    assert render("feedback_request", language, context(**no_thread)).subject == by_title
    no_title = context(**no_thread, job_title=None)
    assert render("feedback_request", language, no_title).subject == by_company
    nothing = context(**no_thread, job_title=None, company=None)
    assert render("feedback_request", language, nothing).subject == generic
    assert render("thank_you", language, nothing).subject == THANK_YOU_SUBJECTS[language]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_greeting_with_and_without_a_name(language: str, kind: str) -> None:
    named, nameless = GREETINGS[language]
    assert render(kind, language, context()).body.split("\n")[0] == named
    assert render(kind, language, context(contact_name=None)).body.split("\n")[0] == nameless


def test_french_elides_before_a_vowel() -> None:
    values = context(job_title="Ingénieur logiciel", rejection_subject=None)
    rendered = render("feedback_request", "fr", values)
    assert rendered.subject == "Suite à ma candidature au poste d'Ingénieur logiciel"
    assert "au poste d'Ingénieur logiciel chez Acme," in rendered.body
    assert "au poste d'Ingénieur logiciel." in render("thank_you", "fr", values).body


def test_english_request_reads_as_reviewed() -> None:
    assert render("feedback_request", "en", context()).body == (
        "Dear Jane Smith,\n"
        "\n"
        "Thank you for letting me know your decision on the Senior Data Analyst role at Acme;"
        " I understand and respect it.\n"
        "\n"
        "If you have a moment, I would be grateful for a few words of feedback on my"
        " application or interview, especially on what I could do better. Even a few brief"
        " points would help me a great deal in my search.\n"
        "\n"
        "Kind regards,\n"
        "Alex Doe\n"
    )


def test_german_request_reads_as_reviewed() -> None:
    assert render("feedback_request", "de", context(contact_name=None)).body == (
        "Sehr geehrte Damen und Herren,\n"
        "\n"
        "vielen Dank für Ihre Nachricht zu meiner Bewerbung als Senior Data Analyst bei Acme"
        " – Ihre Entscheidung respektiere ich selbstverständlich.\n"
        "\n"
        "Falls Sie einen Moment Zeit finden, wäre ich Ihnen für eine kurze Rückmeldung zu"
        " meinen Unterlagen oder zum Gespräch sehr dankbar, vor allem dazu, was ich besser"
        " machen könnte. Schon ein paar Stichpunkte würden mir sehr helfen.\n"
        "\n"
        "Mit freundlichen Grüßen\n"
        "Alex Doe\n"
    )


def test_no_pleading_for_reconsideration() -> None:
    for kind, language in itertools.product(KINDS, LANGUAGES):
        text = render(kind, language, context()).body.lower()
        for phrase in ("reconsider", "second chance", "disagree", "unfair", "follow up again"):
            assert phrase not in text, f"{kind}.{language}: {phrase}"


def test_mail_derived_values_cannot_break_lines() -> None:
    values = context(
        company="Acme\r\nBcc: evil@x",
        contact_name="Jane\u2028Smith",
        rejection_subject="Hi\r\nBcc: evil@x\r\n\r\nbody",
    )
    rendered = render("feedback_request", "en", values)
    assert rendered.subject == "Re: Hi Bcc: evil@x body"
    assert "at Acme Bcc: evil@x;" in rendered.body
    assert rendered.body.startswith("Dear Jane Smith,\n")
    assert "\nBcc" not in rendered.body


# -- lookup order ---------------------------------------------------------------------------


def user_file(folder: Path, filename: str) -> Path:
    """A template that says which file it is and which language it was asked for."""
    text = "Subject: {{ language }} from NAME\n\nHello {{ identity.name }}\n"
    return write(folder, filename, text.replace("NAME", filename))


def test_lookup_order(tmp_path: Path) -> None:
    shipped = shipped_templates_dir()
    own_de = user_file(tmp_path, "feedback_request.de.txt.j2")
    neutral = user_file(tmp_path, "feedback_request.txt.j2")
    own_en = user_file(tmp_path, "feedback_request.en.txt.j2")

    def source(language: str) -> Path:
        return render("feedback_request", language, {"identity": ME}, user_dir=tmp_path).source

    assert source("de") == own_de  # 1. the user's file for the language
    assert source("fr") == neutral  # 2. the user's language-neutral file, before shipped fr
    assert source("en") == own_en
    neutral.unlink()
    assert source("fr") == shipped / "feedback_request.fr.txt.j2"  # 3. shipped, that language
    assert source("sv") == own_en  # 4. the user's English file
    own_en.unlink()
    assert source("sv") == shipped / "feedback_request.en.txt.j2"  # 5. shipped English
    assert source("de") == own_de


def test_user_file_replaces_the_shipped_one(tmp_path: Path) -> None:
    user_file(tmp_path, "thank_you.nl.txt.j2")
    rendered = render("thank_you", "nl", {"identity": ME}, user_dir=tmp_path)
    assert rendered == Rendered("nl from thank_you.nl.txt.j2", "Hello Alex Doe\n", rendered.source)
    assert rendered.source == tmp_path / "thank_you.nl.txt.j2"


@pytest.mark.parametrize("language", ["sv", "pl-PL", "", "../../etc", "EN"])
def test_unknown_or_odd_language_falls_back_to_english(language: str) -> None:
    rendered = render("feedback_request", language, context())
    assert rendered.source == shipped_templates_dir() / "feedback_request.en.txt.j2"
    assert rendered.body.startswith("Dear Jane Smith,\n")


def test_region_subtag_uses_the_language() -> None:
    rendered = render("feedback_request", "de-AT", context())
    assert rendered.source.name == "feedback_request.de.txt.j2"


def test_custom_rule_template_from_the_user_dir(tmp_path: Path) -> None:
    path = user_file(tmp_path, "feedback_request_detailed.txt.j2")
    assert check_template("feedback_request_detailed", tmp_path) == path
    rendered = render("feedback_request_detailed", "es", {"identity": ME}, user_dir=tmp_path)
    assert rendered.subject == "es from feedback_request_detailed.txt.j2"
    assert rendered.source == path


def test_user_templates_may_include_files_and_keep_the_signature_dashes(tmp_path: Path) -> None:
    write(tmp_path, "signature.txt", "-- \n{{ identity.name }}\n")
    write(tmp_path, "mine.txt.j2", 'Subject: Hi\n\nHello.\n\n{% include "signature.txt" %}')
    rendered = render("mine", "en", {"identity": ME}, user_dir=tmp_path)
    assert rendered.body == "Hello.\n\n-- \nAlex Doe\n"  # RFC 3676 keeps its space


# -- errors ---------------------------------------------------------------------------------


def test_missing_template_names_what_was_searched(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        render("feedback_request_detailed", "de", {"identity": ME}, user_dir=tmp_path)
    message = str(caught.value)
    assert 'template "feedback_request_detailed" not found for language "de"' in message
    assert "feedback_request_detailed.de.txt.j2" in message
    assert "feedback_request_detailed.en.txt.j2" in message
    assert str(tmp_path) in message
    assert str(shipped_templates_dir()) in message
    assert isinstance(caught.value, UserError)


def test_check_template(tmp_path: Path) -> None:
    shipped = shipped_templates_dir()
    assert check_template("feedback_request") == shipped / "feedback_request.en.txt.j2"
    assert check_template("thank_you", tmp_path) == shipped / "thank_you.en.txt.j2"
    only_german = user_file(tmp_path, "detailed.de.txt.j2")
    assert check_template("detailed", tmp_path) == only_german
    with pytest.raises(TemplateError, match=r'template "nothing" not found in any language'):
        check_template("nothing", tmp_path)
    write(tmp_path, "broken.fr.txt.j2", "Subject: x\n\n{% if company %}\nnever closed\n")
    with pytest.raises(TemplateError, match=re.escape(f"{tmp_path / 'broken.fr.txt.j2'}:")):
        check_template("broken", tmp_path)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Dear {{ contact_name }},\n\nthanks\n", "Subject"),  # no Subject line
        ("Subject: x\n\nat {{ company.upper() }}\n", "has no attribute 'upper'"),
        ("Subject: x\n\n{{ bogus.x }}\n", "bogus"),
    ],
)
def test_check_template_renders_with_and_without_values(
    tmp_path: Path, text: str, problem: str
) -> None:
    """A template that compiles but cannot make a draft is refused at start, not days later."""
    write(tmp_path, "mine.es.txt.j2", text)
    with pytest.raises(TemplateError, match=problem):
        check_template("mine", tmp_path)


@pytest.mark.parametrize("name", ["../feedback_request", "a/b", "", ".hidden", "x y"])
def test_a_template_name_is_not_a_path(name: str, tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="not a template name"):
        render(name, "en", {"identity": ME}, user_dir=tmp_path)
    with pytest.raises(TemplateError, match="not a template name"):
        check_template(name, tmp_path)


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "broken.txt.j2",
        "Subject: x\n\n{% if company %}at {{ company }}{% endfi %}\nbye\n",
    )
    with pytest.raises(TemplateError) as caught:
        render("broken", "en", {"identity": ME}, user_dir=tmp_path)
    assert str(caught.value).startswith(f"{path}:3: ")


def test_misspelled_variable_names_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "feedback_request.en.txt.j2",
        "Subject: Hello\n\n{% if company %}at {{ compnay }}{% endif %}\n{{ identity.name }}\n",
    )
    with pytest.raises(TemplateError) as caught:
        render("feedback_request", "en", context(), user_dir=tmp_path)
    assert str(caught.value) == f"{path}:3: 'compnay' is undefined"


def test_missing_identity_is_an_error() -> None:
    with pytest.raises(TemplateError, match="'identity' is undefined"):
        render("thank_you", "en", {})


def test_error_in_an_included_file_names_that_file(tmp_path: Path) -> None:
    inner = write(tmp_path, "inner.txt", "line one\n{{ nope }}\n")
    write(tmp_path, "outer.txt.j2", 'Subject: x\n\n{% include "inner.txt" %}')
    with pytest.raises(TemplateError) as caught:
        render("outer", "en", {"identity": ME}, user_dir=tmp_path)
    assert str(caught.value) == f"{inner}:2: 'nope' is undefined"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Hello\n\nbody\n", 'the first line must be "Subject: ..."'),
        ("Subject:   \n\nbody\n", "the subject is empty"),
        ("Subject: {{ company or '' }}\n\nbody\n", "the subject is empty"),
        ("Subject: x\n\n  \n\n", "the body is empty"),
        ("", 'the first line must be "Subject: ..."'),
    ],
)
def test_output_must_be_a_mail(tmp_path: Path, text: str, problem: str) -> None:
    path = write(tmp_path, "bad.txt.j2", text)
    with pytest.raises(TemplateError, match=re.escape(f"{path}: {problem}")):
        render("bad", "en", {"identity": ME}, user_dir=tmp_path)


def test_output_is_tidied(tmp_path: Path) -> None:
    write(
        tmp_path,
        "messy.txt.j2",
        "\n\nSubject:   Many   spaces \r\n\n\n\nHello   \n\n\n\n\nbye \t\n\n\n",
    )
    rendered = render("messy", "en", {"identity": ME}, user_dir=tmp_path)
    assert rendered.subject == "Many spaces"
    assert rendered.body == "Hello\n\nbye\n"


def test_a_user_template_edit_applies_to_the_next_render(tmp_path: Path) -> None:
    path = write(tmp_path, "live.txt.j2", "Subject: one\n\nbody\n")
    assert render("live", "en", {"identity": ME}, user_dir=tmp_path).subject == "one"
    write(tmp_path, "live.txt.j2", "Subject: two, longer\n\nbody\n")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    assert render("live", "en", {"identity": ME}, user_dir=tmp_path).subject == "two, longer"


# -- clean_field ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Acme\r\nBcc: evil@x", "Acme Bcc: evil@x"),
        ("Acme\nSubject: spam", "Acme Subject: spam"),
        ("Acme\rX-Header: 1", "Acme X-Header: 1"),
        ("Jane\u2028Smith\u2029Jr", "Jane Smith Jr"),
        ("\tSenior\t\tAnalyst\x0b\x0c", "Senior Analyst"),
        ("Ac\x00me\x07 Corp\x1b[31m", "Acme Corp[31m"),
        ("Acme\u202e moc.live\u202c", "Acme moc.live"),
        ("\ufeffAcme\u200b", "Acme"),
        ("Bjo\u0308rk \U0001f469\u200d\U0001f4bb", "Bjo\u0308rk \U0001f469\u200d\U0001f4bb"),
        ("  Acme   GmbH  ", "Acme GmbH"),
        ("Acme\u00a0GmbH", "Acme GmbH"),
        ("Acme\x85GmbH", "Acme GmbH"),
        (None, None),
        ("", None),
        ("   \r\n\t ", None),
        ("\x00\x01\u200b", None),
    ],
)
def test_clean_field(value: str | None, expected: str | None) -> None:
    assert clean_field(value, 80) == expected


@pytest.mark.parametrize(
    ("value", "limit", "expected"),
    [
        ("Senior Software Engineer, Platform Infrastructure", 20, "Senior Software…"),
        ("Engineer, Platform Team", 12, "Engineer…"),
        ("Senior Data Analyst", 19, "Senior Data Analyst"),
        ("Senior Data Analyst", 18, "Senior Data…"),
        ("Senior Data Analyst", 12, "Senior Data…"),
        ("Senior Data Analyst", 11, "Senior…"),
        ("a" * 50, 10, "a" * 9 + "…"),
        ("Acme", 1, "…"),
    ],
)
def test_clean_field_truncates_on_a_word_boundary(value: str, limit: int, expected: str) -> None:
    assert clean_field(value, limit) == expected


def test_clean_field_never_exceeds_its_limit() -> None:
    text = "Head of Data Science & Machine Learning, Europe (Remote) " * 5
    for limit in range(1, len(text) + 2):
        cleaned = clean_field(text, limit)
        assert cleaned is not None
        assert len(cleaned) <= limit
        assert "  " not in cleaned
        assert cleaned == clean_field(cleaned, limit)  # idempotent


def test_clean_field_rejects_a_useless_limit() -> None:
    with pytest.raises(ValueError, match="limit"):
        clean_field("Acme", 0)


# -- reply_prefixed -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Re: Your application", "Re: Your application"),
        ("RE: Your application", "RE: Your application"),
        ("re:Your application", "re:Your application"),
        ("RE : Votre candidature", "RE : Votre candidature"),
        ("AW: Ihre Bewerbung", "AW: Ihre Bewerbung"),
        ("Aw: AW: Ihre Bewerbung", "Aw: AW: Ihre Bewerbung"),
        ("Antw: Uw sollicitatie", "Antw: Uw sollicitatie"),
        ("Réf : Votre candidature", "Réf : Votre candidature"),
        ("RÉF. : Votre candidature", "RÉF. : Votre candidature"),
        ("Re[2]: Your application", "Re[2]: Your application"),
        ("SV: Ansökan", "SV: Ansökan"),
        ("Your application", "Re: Your application"),
        ("Ihre Bewerbung bei Acme", "Re: Ihre Bewerbung bei Acme"),
        ("Fwd: Your application", "Re: Fwd: Your application"),
        ("Regarding your application", "Re: Regarding your application"),
        ("Results: your application", "Re: Results: your application"),
        ("Ref: 12345", "Re: Ref: 12345"),
        ("Réf. 12345 – Votre candidature", "Re: Réf. 12345 – Votre candidature"),
        ("  Your\r\n application  ", "Re: Your application"),
        ("", ""),
    ],
)
def test_reply_prefixed(subject: str, expected: str) -> None:
    assert reply_prefixed(subject) == expected


def test_render_caps_mail_derived_values() -> None:
    """render() cleans the one-line slots itself, with the same limits mail/compose.py uses."""
    company = "Acme " + "Holding " * 30
    rendered = render("feedback_request", "en", context(company=company))
    expected = clean_field(company, 100)
    assert expected is not None
    assert expected.endswith("Holding…")
    assert f"at {expected};" in rendered.body


def test_a_template_that_loops_costs_its_draft_and_nothing_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A loop that would run for hours is stopped at the budget with a clear error."""
    monkeypatch.setattr("daemon.mail.render.RENDER_BUDGET", 0.2)
    looping = (
        "Subject: hi\n\n{% for i in range(100000) %}{% for j in range(100000) %}"
        "{% for k in range(100000) %}{% endfor %}{% endfor %}{% endfor %}body\n"
    )
    (tmp_path / "slow.txt.j2").write_text(looping, encoding="utf-8")
    with pytest.raises(TemplateError, match=r"took longer than 0\.2 s to render"):
        render("slow", "en", {"identity": ME}, user_dir=tmp_path)
    # The next render is traced no more, and works.
    assert render("feedback_request", "en", {"identity": ME}).body


@pytest.mark.parametrize(
    "reach",
    [
        "{{ identity.__class__.__mro__ }}",
        "{{ identity.__init__.__globals__ }}",
        "{{ ''.__class__.__subclasses__() }}",
    ],
)
def test_a_template_cannot_reach_pythons_insides(tmp_path: Path, reach: str) -> None:
    (tmp_path / "nosy.txt.j2").write_text(f"Subject: hi\n\n{reach}\n", encoding="utf-8")
    with pytest.raises(TemplateError):
        render("nosy", "en", {"identity": ME}, user_dir=tmp_path)


def test_a_template_cannot_include_files_outside_its_folders(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("top secret\n", encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    for name in ("../secret.txt", str(outside)):
        (folder / "peek.txt.j2").write_text(
            f'Subject: hi\n\n{{% include "{name}" %}}\n', encoding="utf-8"
        )
        with pytest.raises(TemplateError):
            render("peek", "en", {"identity": ME}, user_dir=folder)
