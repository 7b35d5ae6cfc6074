"""Institutions by their whole names: universities, institutes, hospitals, public bodies."""

from __future__ import annotations

import pytest

from classifiers.institutions import institution_name, institutions_named, signing_institution


@pytest.mark.parametrize(
    "line",
    [
        "Université de la Haute-Saône",
        "Instituto de Estudios del Litoral de Almería",
        "Istituto di Scienze Marine dell'Elba",
        "Instituto de Engenharia de Sistemas do Minho",
        "Ministerie van Wegen en Vaarwegen",
        "Institut für Bodenkunde Greifswald",
        "Rijksuniversiteit Zwartewaal",
        "Harwick Valley Hospitals NHS Trust",
        "Department for Rural Transport",
        "Centre de recherche Loire Numérique",
        "Politecnico delle Alpi Orientali",
        "The University of Tarrowby",
    ],
)
def test_an_institution_s_whole_name_is_read_from_its_line(line: str) -> None:
    expected = line.removeprefix("The ")
    assert institution_name(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Dipartimento di Scienze della Terra",  # a unit of it
        "School of Mathematics",
        "Laboratorio de Ecología Fluvial",
        "Head of School",  # a post at it
        "Hospital Pharmacist",
        "Recruitment Centre",  # a team
        "Chargée de recherche",  # a rank
        "Talent Acquisition Team",
        "Ashcombe Logistics",  # a firm: no institution's kind
    ],
)
def test_a_unit_a_post_or_a_firm_is_no_institution(line: str) -> None:
    assert institution_name(line) is None


def test_the_last_institution_signing_is_the_one_read() -> None:
    closing = [
        "Dr Ines Carvalho",
        "Senior Lecturer in Hydrology",
        "Faculty of Engineering, Tarrowby University",
    ]
    assert signing_institution(closing) == "Tarrowby University"
    one_line = ["Prof. Luca Ferri", "Dipartimento di Fisica – Università di Brenta"]
    assert signing_institution(one_line) == "Università di Brenta"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "je sollicitatie bij de Rijksuniversiteit Zwartewaal. Helaas",
            ["Rijksuniversiteit Zwartewaal"],
        ),
        (
            "votre candidature au sein de l'Université de la Haute-Saône. Le jury",
            ["Université de la Haute-Saône"],
        ),
        (
            "applying to the Department for Rural Transport. Your scores",
            ["Department for Rural Transport"],
        ),
        # a Title Case run goes on into the job; the name stops before it
        (
            "your application to Wexley Housing Authority Summer 2027 Internship",
            ["Wexley Housing Authority"],
        ),
        ("your application, Head of School Okafor,", []),
        # the applicant's own school, in a sentence not about the post
        ("Thank you for applying. Your degree from the University of Leeds is great.", []),
    ],
)
def test_running_text_names_an_institution_in_full(text: str, names: list[str]) -> None:
    assert institutions_named(text) == names
