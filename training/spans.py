"""Rebuild the span tagger (``classifiers/weights/spans.json``) from the training mail.

    python training/spans.py            # writes the weights (about two minutes)
    python training/spans.py --check    # exit 1 if the shipped file is not what it would write

The rejections the rejection model learns from (``mail/``, ``parts/``) and the
mails written for this model (``spans/mail/``) keep their placeholders here:
each is filled several times with invented roles and employers (``spans/<lang>.toml``
adds hundreds of each), the role sometimes named as postings name it (a focus, a
level, a programme) and dressed as job ads dress it (a gender marker, a
requisition number, outside the label), the employer sometimes with its legal
form (outside too), and the words each value fills are the labels.  The
labelled cases of ``tests/extraction_cases.toml`` join them.  Every mail is read
as the daemon reads it (``message.from_text``: tidied, quoted text cut off), the
rules in ``classifiers/extract.py`` read it as they would at run time (their
values are features), and a multinomial logistic regression learns, word by
word: title, employer or neither.

A whole mail that names a role or an employer in its own words, not through a
placeholder, would teach "this is no title": the rules spot most of those, and
such a mail is left out.  The dev corpora in ../shared never come near this script.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, replace
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from classifiers import spans
from classifiers.classify import ENGLISH, LEXICONS
from classifiers.extract import extract
from classifiers.language import SAMPLE_WORDS, detect_language
from classifiers.message import Address, MailView, from_bytes, from_text
from classifiers.scoring import Text
from training.generate import (
    REJECTION,
    Names,
    blocks,
    by_language,
    from_mail,
    from_parts,
    merge_parts,
    with_boilerplate,
)

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "classifiers" / "weights" / "spans.json"
USER = "alex.candidate@example.net"
# Private-use characters around what a placeholder filled: they survive the reading of
# the text unchanged, and are taken out again before anything judges the mail.
OPEN = {spans.TITLE: "\ue000", spans.COMPANY: "\ue002"}
CLOSE = {spans.TITLE: "\ue001", spans.COMPANY: "\ue003"}
_MARKS = re.compile("[\ue000-\ue003]")
# Each whole mail is filled this often; each language's combined mails are sampled.
WHOLE_MAIL_FILLS = 2
SPAN_MAIL_FILLS = 4
PARTS_PER_LANGUAGE = 400
MIN_COUNT = 2
C = 0.3
PRUNE = 0.01
DECIMALS = 3

# How job ads dress a title, per language; the label is the title without them.
DRESS = {
    "en": (" (Remote)", " - Ref. {n}", " (R-{n})", " [JR{n}]", " #{n}", " (12-month contract)"),
    "de": (
        " (m/w/d)",
        " (w/m/d)",
        " (m/w/x)",
        " (all genders)",
        " (gn)",
        " - Ref. {n}",
        " (Kennziffer {n})",
        " in Teilzeit",
    ),
    "fr": (" (H/F)", " H/F", " (F/H)", " - H/F", " - Réf. {n}", " (CDI)"),
    "es": (" (h/m)", " - Ref. {n}", " (Ref: {n})", " (M/F)"),
    "nl": (" (m/v)", " (m/v/x)", " - vacaturenummer {n}", " (32-40 uur)"),
    "it": (" (m/f)", " (M/F)", " - Rif. {n}", " (Rif. {n})"),
    "pt": (" (m/f)", " - Ref. {n}", " (M/F)", " (Ref.ª {n})"),
}
DRESS_SHARE = 0.3
LEGAL_FORMS = {
    "en": ("Ltd", "Ltd.", "Limited", "Inc.", "LLC", "plc"),
    "de": ("GmbH", "AG", "GmbH & Co. KG", "e.V.", "SE"),
    "fr": ("SAS", "SA", "SARL"),
    "es": ("S.A.", "S.L.", "SL"),
    "nl": ("B.V.", "BV", "N.V."),
    "it": ("S.p.A.", "S.r.l.", "Srl"),
    "pt": ("Lda.", "S.A.", "Ltda.", "SA"),
}
LEGAL_SHARE = 0.25
# Postings often name the team, the focus, the level or the programme with the title,
# and that is part of its name: "Data Scientist, Pricing", "Software Engineer II",
# "Intern - Supply Chain (Summer 2026)".  The focus is the tail of another title of
# the same language ("Regulatory Affairs" from "Manager Regulatory Affairs"), so the
# words inside a title are as varied as titles are, and only the shape teaches.
FOCUS_FORMS = (", {f}", " - {f}", " – {f}", " ({f})", ": {f}", ", {f} - {g}")
LEVELS = (" I", " II", " III", " I/II", " I/II/III", " 2", " Level 1")
PROGRAMMES = {
    "en": (
        "{y} Summer Intern: {r}",
        "New College Graduate - {r}",
        "{r} Intern",
        "Intern, {r}",
        "{r} (Summer {y})",
        "{r} - Early Careers",
        "{y} Graduate Programme - {r}",
        "Entry Level {r}",
        "{r} - entry level",
        "{r} Co-Op/Intern",
        "{y} {r} Internship",
    ),
    "de": ("Werkstudent {r}", "Praktikum {r}", "Trainee {r}", "{r} - Einstieg {y}"),
    "fr": (
        "Stage - {r}",
        "Alternance - {r}",
        "Stagiaire {r}",
        "{r} - VIE",
        "Stage {y} : {r}",
        "Alternance {y} : {r}",
    ),
    "es": ("Prácticas - {r}", "Becario {r}", "{r} - Programa Trainee {y}"),
    "nl": ("Stagiair {r}", "Traineeship {r}", "Afstudeerstage {r}"),
    "it": ("Stage {r}", "Tirocinio - {r}", "Graduate Program {y} - {r}"),
    "pt": ("Estágio - {r}", "Trainee {y} - {r}", "Jovem Aprendiz {r}"),
}
TITLE_TAIL = {"en": 0.35}
# Where prose writes titles in lower case ("au poste d'assistant juridique"), and where
# "de" and "le" are elided before a vowel, as the placeholders' templates cannot know.
LOWER_CASE_PROSE = frozenset({"fr", "es", "it", "pt"})
LOWER_CASE_SHARE = 0.2
ELIDING = frozenset({"fr", "it"})
_ELIDED = re.compile("\\b([dlDL])[ea] (?=[\ue000\ue002][AEIOUYÉÈÊÂÎaeiouyéèêâîhH])")
TITLE_TAIL_ELSEWHERE = 0.12
_LEGAL_TAIL = re.compile(
    r"(?P<base>.+?)(?P<legal>,?\s+(?:gmbh & co\. kg|ggmbh|gmbh|ag|e\.v\.|se|kg|ltd\.?|limited|inc\.?"
    r"|llc|plc|sas|sa|sarl|s\.a\.|s\.l\.|sl|b\.v\.|bv|n\.v\.|s\.p\.a\.|s\.r\.l\.|srl|lda\.|ltda\.)"
    r")$",
    re.I,
)
_TITLE_DRESS = re.compile(
    r"(?P<base>.+?)(?P<dress>\s*\((?:[mwfdhxv]|div\.?|gn|all genders)(?:\s*/\s*[mwfdhxv])*\)"
    r"|\s+[mwfhv](?:/[mwfdhxv]){1,3})$",
    re.I,
)
TLDS = {
    "en": (".com", ".co.uk", ".ie", ".com.au", ".in", ".org"),
    "de": (".de", ".at", ".ch", ".com"),
    "fr": (".fr", ".be", ".ch", ".ca", ".com"),
    "es": (".es", ".com.mx", ".com.ar", ".co", ".com"),
    "nl": (".nl", ".be", ".com"),
    "it": (".it", ".com"),
    "pt": (".pt", ".com.br", ".com"),
}
ATS_DOMAINS = (
    "myworkday.com",
    "greenhouse-mail.io",
    "hire.lever.co",
    "smartrecruiters.com",
    "icims.com",
    "taleo.net",
    "personio.de",
    "teamtailor-mail.com",
    "successfactors.eu",
    "recruitee.com",
    "workablemail.com",
    "softgarden.io",
)
FREE = ("gmail.com", "outlook.com", "yahoo.com", "gmx.de", "hotmail.com")


class Keep(Names):
    """Leaves every placeholder as it is: the mails are filled here, once per example."""

    def __init__(self) -> None:
        super().__init__({})

    def fill(self, text: str, rng: random.Random) -> str:
        return text


@dataclass(frozen=True)
class Draft:
    """A mail with its placeholders: what one fill turns into an example."""

    language: str
    subject: str
    sender: str | None  # "display <kind>" from a spans mail; None: one is invented
    body: str


@dataclass
class Labelled:
    view: MailView
    marked: dict[str, dict[str, list[tuple[int, int]]]]  # tag -> part -> spans
    named: set[str]  # tags a placeholder filled


def names_of(language: str, parts: dict) -> dict[str, list[str]]:
    table = {k: list(v) for k, v in parts.get("names", {}).items()}
    for extra in sorted((HERE / "spans").glob(f"{language}*.toml")):
        for key, values in tomllib.loads(extra.read_text("utf-8")).get("names", {}).items():
            table.setdefault(key, []).extend(values)
    return table


def drafts() -> list[Draft]:
    """Every rejection with its placeholders, in a fixed order."""
    fillers_file = HERE / "fillers.toml"
    fillers = tomllib.loads(fillers_file.read_text("utf-8"))
    found: list[Draft] = []
    for language, paths in by_language(HERE).items():
        parts = merge_parts([p for p in paths if p.suffix == ".toml"])
        paragraphs = fillers.get(language, {}).get("paragraphs", [])
        composed = [e for e in from_parts(language, parts, Keep()) if e.label == REJECTION]
        rng = random.Random(f"spans:{language}")
        made = rng.sample(composed, min(PARTS_PER_LANGUAGE, len(composed)))
        whole = [
            e
            for p in paths
            if p.suffix == ".txt"
            for e in list(from_mail(p, Keep()))[::6]
            if e.label == REJECTION
        ]
        for example in [*made, *whole * WHOLE_MAIL_FILLS]:
            dressed = with_boilerplate(example, paragraphs, Keep())
            found.append(Draft(language, dressed.subject, None, dressed.body))
        for own in sorted((HERE / "spans" / "mail").glob(f"{language}*.txt")):
            for subject, sender, body in span_mails(own.read_text("utf-8")):
                found.extend([Draft(language, subject, sender, body)] * SPAN_MAIL_FILLS)
    return found


def span_mails(text: str) -> list[tuple[str, str | None, str]]:
    """The blocks of a ``spans/mail/<lang>.txt`` file: (subject, sender, body)."""
    return [
        (headers.get("subject", ""), headers.get("sender"), body)
        for headers, body in blocks(text, ("subject", "sender"))
    ]


def _marked(tag: str, value: str) -> str:
    return OPEN[tag] + value + CLOSE[tag]


def fill(
    draft: Draft, names: dict[str, list[str]], rng: random.Random
) -> tuple[str, str, str, str]:
    """Subject, display name, address and body, one set of invented values for all."""
    language = draft.language
    role = rng.choice(names.get("roles") or ["Analyst"])
    dress = _TITLE_DRESS.match(role)
    base_role, role_dress = (dress["base"], dress["dress"]) if dress else (role, "")
    if rng.random() < TITLE_TAIL.get(language, TITLE_TAIL_ELSEWHERE):
        base_role = _posting_name(base_role, names.get("roles") or [base_role], language, rng)
    if not role_dress and rng.random() < DRESS_SHARE:
        role_dress = rng.choice(DRESS[language]).format(n=rng.randint(1000, 99999))
    company = rng.choice(names.get("companies") or ["Example"])
    legal = _LEGAL_TAIL.match(company)
    base_company, legal_form = (legal["base"], legal["legal"]) if legal else (company, "")
    if not legal_form and rng.random() < LEGAL_SHARE:
        legal_form = " " + rng.choice(LEGAL_FORMS[language])
    if language in LOWER_CASE_PROSE and rng.random() < LOWER_CASE_SHARE:
        base_role = base_role.lower()  # "au poste d'assistant juridique"
    recruiter = rng.choice(names.get("recruiters") or ["Sam Taylor"])
    values = {
        "role": _marked(spans.TITLE, base_role) + role_dress,
        "company": _marked(spans.COMPANY, base_company) + legal_form,
        "agency": rng.choice(names.get("agencies") or ["Talentbridge"]),
        "candidate": rng.choice(names.get("candidates") or ["Alex"]),
        "last": rng.choice(names.get("recruiters") or ["Sam Taylor"]).split()[-1],
        "recruiter": recruiter,
        "recruiter_first": recruiter.split()[0],
        "date": rng.choice(names.get("dates") or ["12 March"]),
        "time": rng.choice(names.get("times") or ["10:00"]),
    }

    def filled(text: str) -> str:
        text = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), text)
        if language in ELIDING:
            text = _ELIDED.sub(r"\1'", text)  # "poste de Ingénieur" -> "poste d'Ingénieur"
        return text

    display, kind = _sender(draft, rng)
    slug = re.sub(r"[^a-z0-9]+", "", spans.squashed(base_company)) or "employer"
    if rng.random() < 0.2:  # an acronym or another brand: the domain does not spell the firm
        slug = "".join(w[0] for w in base_company.lower().split() if w[:1].isalpha()) + "group"
    domain = slug + rng.choice(TLDS[language])
    person = ".".join(spans.squashed(w) for w in recruiter.split()[:2])
    address = {
        "person": f"{person}@{domain}",
        "jobs": f"{rng.choice(('jobs', 'careers', 'recruiting', 'hr', 'talent'))}@{domain}",
        "no-reply@ats": f"no-reply@{rng.choice(ATS_DOMAINS)}",
        "agency": f"{person}@{spans.squashed(values['agency'])}{rng.choice(TLDS[language])}",
        "free": f"{person}{rng.randint(1, 99)}@{rng.choice(FREE)}",
    }[kind]
    address = address.encode("ascii", "ignore").decode()
    return filled(draft.subject), filled(display), address, filled(draft.body)


SEASONS = {
    "en": ("Summer", "Winter", "Fall", "Spring", "Autumn"),
    "de": ("Sommer", "Winter", "Sommersemester", "Wintersemester"),
    "fr": ("Été", "Hiver", "Printemps", "Automne"),
    "es": ("Verano", "Invierno", "Primavera", "Otoño"),
    "nl": ("Zomer", "Winter", "Voorjaar", "Najaar"),
    "it": ("Estate", "Inverno", "Primavera", "Autunno"),
    "pt": ("Verão", "Inverno", "Primavera", "Outono"),
}


def _posting_name(role: str, roles: list[str], language: str, rng: random.Random) -> str:
    """A title as a posting names it: with a focus, a season, a level or a programme."""
    kind = rng.random()
    if kind < 0.1:  # "Finance Intern, Winter 2027"
        season = f"{rng.choice(SEASONS[language])} {rng.randint(2019, 2027)}"
        return role + rng.choice(FOCUS_FORMS[:5]).format(f=season)
    if kind < 0.5:
        focus = [_tail(rng.choice(roles)) for _ in range(2)]
        return role + rng.choice(FOCUS_FORMS).format(f=focus[0], g=focus[1])
    if kind < 0.7:
        return role + rng.choice(LEVELS)
    year = str(rng.randint(2019, 2027))
    return rng.choice(PROGRAMMES[language]).format(r=role, y=year)


def _tail(title: str) -> str:
    """The words after a title's first one or two: a focus ("Regulatory Affairs")."""
    plain = _TITLE_DRESS.sub(lambda m: m["base"], title)
    words = plain.split()
    return " ".join(words[min(len(words) - 1, 1 if len(words) < 4 else 2) :])


_SENDER = re.compile(r"^(?P<display>.*?)\s*<(?P<kind>[\w@-]+)>\s*$")
_INVENTED_SENDERS = (
    ("{recruiter}", "person", 0.4),
    ("{company} Careers", "no-reply@ats", 0.08),
    ("{company} Recruiting", "no-reply@ats", 0.06),
    ("{company}", "jobs", 0.1),
    ("", "no-reply@ats", 0.08),
    ("Talent Acquisition", "jobs", 0.06),
    ("{recruiter} ({company})", "person", 0.05),
    ("{company} Talent Team", "jobs", 0.05),
    ("HR", "jobs", 0.04),
    ("{recruiter}", "free", 0.04),
    ("{recruiter}", "agency", 0.04),
    ("{agency}", "agency", 0.05),
    ("{recruiter} | {agency}", "agency", 0.02),
)


def _sender(draft: Draft, rng: random.Random) -> tuple[str, str]:
    if draft.sender is not None and (match := _SENDER.match(draft.sender)):
        kind = (
            match["kind"]
            if match["kind"] in ("person", "jobs", "no-reply@ats", "agency", "free")
            else "person"
        )
        return match["display"].strip().strip('"'), kind
    display, kind, _ = rng.choices(_INVENTED_SENDERS, [w for *_, w in _INVENTED_SENDERS])[0]
    return display, kind


def unmark(text: str) -> tuple[str, dict[str, list[tuple[int, int]]]]:
    """The text without its marks, and where each tag's values stand in it."""
    clean: list[str] = []
    found: dict[str, list[tuple[int, int]]] = {}
    opened: dict[str, int] = {}
    length = 0
    for piece in re.split("([\ue000-\ue003])", text):
        if not piece:
            continue
        tag = next((t for t, mark in OPEN.items() if mark == piece), None)
        if tag:
            opened[tag] = length
            continue
        tag = next((t for t, mark in CLOSE.items() if mark == piece), None)
        if tag:
            if tag in opened:
                found.setdefault(tag, []).append((opened.pop(tag), length))
            continue
        clean.append(piece)
        length += len(piece)
    return "".join(clean), found


def labelled(draft: Draft, names: dict[str, list[str]], seed: str) -> Labelled:
    rng = random.Random(f"{seed}:fill")
    subject, display, address, body = fill(draft, names, rng)
    view = from_text(subject, Address(display, address), body)
    subject, in_subject = unmark(" ".join(view.subject.split()))
    body, in_body = unmark(view.body)
    display, in_display = unmark(view.sender.name) if view.sender else ("", {})
    view = replace(
        view,
        subject=subject,
        body=body,
        sender=Address(display, view.sender.email) if view.sender else None,
    )
    marked: dict[str, dict[str, list[tuple[int, int]]]] = {}
    tail = spans.tail_start(body) if len(body) > spans.BODY_CHARS else len(body)
    for tag in OPEN:
        marked[tag] = {
            spans.SUBJECT: in_subject.get(tag, []),
            spans.DISPLAY: in_display.get(tag, []),
            spans.BODY: [(s, e) for s, e in in_body.get(tag, []) if e <= spans.BODY_CHARS],
            spans.TAIL: [(s - tail, e - tail) for s, e in in_body.get(tag, []) if s >= tail],
        }
    named = {
        tag
        for tag in OPEN
        if f"{{{'role' if tag == spans.TITLE else 'company'}}}"
        in draft.subject + draft.body + (draft.sender or "")
    }
    return Labelled(view, marked, named)


def rules(view: MailView) -> tuple[str, dict[str, str | None]]:
    """The mail's language as the daemon reads it, and what the rules alone extract: the
    tagger's hints."""
    text = Text(f"{view.subject}\n{view.body}")
    language = detect_language([word for _, word in text.words[:SAMPLE_WORDS]])
    lex = LEXICONS.get(language, ENGLISH)
    found = extract(view, text, lex, ENGLISH, frozenset({USER}), language, learned=False)
    return language, {spans.TITLE: found.job_title, spans.COMPANY: found.company}


def rows(example: Labelled) -> tuple[list[list[str]], list[str]]:
    """Each token's features and tag; a field a mail names in its own words is left out."""
    language, hints = rules(example.view)
    words = spans.features(example.view, language, hints)
    toks, features = words.tokens, words.rows
    tags = []
    for token in toks:
        tag = spans.OUTSIDE
        for candidate, by_part in example.marked.items():
            if any(s <= token.start and token.end <= e for s, e in by_part.get(token.part, ())):
                tag = candidate
        tags.append(tag)
    if any(value and tag not in example.named for tag, value in hints.items()):
        return [], []  # the rules found a title or firm no placeholder made: the mail's own
    return features, tags


# Mails written and labelled for the extraction tests: every field a case names, or
# says the mail does not name, is a label; a case silent on a field teaches nothing.
CASES = HERE.parent / "tests" / "extraction_cases.toml"
CASE_COPIES = 4
_FIELDS = {spans.TITLE: "job_title", spans.COMPANY: "company"}


def cases(path: Path = CASES) -> list[Labelled]:
    found = []
    for case in tomllib.loads(path.read_text("utf-8"))["case"]:
        if any(f not in case and f not in case.get("none", ()) for f in _FIELDS.values()):
            continue
        message = EmailMessage()
        message["From"] = formataddr(tuple(case["sender"]))
        message["To"] = formataddr(("Alex Candidate", USER))
        message["Subject"] = case["subject"]
        if "reply_to" in case:
            message["Reply-To"] = case["reply_to"]
        message.set_content(case["body"])
        view = from_bytes(message.as_bytes())
        texts = spans.parts(view)
        marked = {
            tag: {part: _occurrences(text, case.get(field)) for part, text in texts.items()}
            for tag, field in _FIELDS.items()
        }
        found.append(Labelled(view, marked, set(_FIELDS)))
    return found


def _occurrences(text: str, value: str | list[str] | None) -> list[tuple[int, int]]:
    """Where the labelled value, or another name the label allows, stands in the text."""
    found: list[tuple[int, int]] = []
    haystack = text.casefold()
    for wanted in [value] if isinstance(value, str) else value or []:
        needle = wanted.casefold()
        start = haystack.find(needle)
        while start >= 0 and needle:
            if not any(s <= start < e for s, e in found):
                found.append((start, start + len(needle)))
            start = haystack.find(needle, start + 1)
    return found


def dataset() -> tuple[list[list[str]], list[str]]:
    """Every word's features and tag, in a fixed order."""
    features: list[list[str]] = []
    tags: list[str] = []
    names: dict[str, dict[str, list[str]]] = {}
    copies: Counter[Draft] = Counter()
    for draft in drafts():
        if draft.language not in names:
            paths = by_language(HERE)[draft.language]
            names[draft.language] = names_of(
                draft.language, merge_parts([p for p in paths if p.suffix == ".toml"])
            )
        # Seeded by the mail itself, not by its place in the list: a mail added, or left
        # out by a change of the rules, leaves every other mail's fill as it was.
        seed = f"{draft.language}:{copies[draft]}:{draft.sender}:{draft.subject}\n{draft.body}"
        copies[draft] += 1
        got_features, got_tags = rows(labelled(draft, names[draft.language], seed))
        features.extend(forgetting(got_features, seed))
        tags.extend(got_tags)
    for example in cases():
        got_features, got_tags = rows(example)
        for copy in range(CASE_COPIES):
            key = f"case:{copy}:{example.view.subject}\n{example.view.body}"
            features.extend(forgetting(got_features, key))
            tags.extend(got_tags)
    return features, tags


# Features that carry the word itself.  The invented names recur across examples, so a
# model could learn them by heart and know nothing of a name it never saw; in this share
# of words they are left out, and the word is known only by its shape, its neighbours
# and where it stands, as an unseen name will be.
OWN_WORD = ("w=", "p3=", "x3=", "b=", "a=")
FORGET = 0.3


def forgetting(features: list[list[str]], seed: str) -> list[list[str]]:
    """One mail's rows, some without the word's own features; seeded by the mail."""
    rng = random.Random(f"{seed}:forget")
    return [
        [f for f in row if not f.startswith(OWN_WORD)] if rng.random() < FORGET else row
        for row in features
    ]


def train(features: list[list[str]], tags: list[str]) -> dict:
    # The same words in the same places recur across fills of one mail: each distinct
    # row is fitted once, weighted by how often it occurs (the same fit, less work).
    counted: Counter[tuple[tuple[str, ...], str]] = Counter(
        (tuple(row), tag) for row, tag in zip(features, tags, strict=True)
    )
    counts: Counter[str] = Counter()
    for (row, _), n in counted.items():
        for feature in set(row):
            counts[feature] += n
    vocabulary = {
        f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))
    }
    indptr, indices = [0], []
    for row, _ in counted:
        columns = sorted({vocabulary[f] for f in row if f in vocabulary})
        indices.extend(columns)
        indptr.append(len(indices))
    matrix = csr_matrix(
        (np.ones(len(indices)), np.array(indices), np.array(indptr)),
        shape=(len(counted), len(vocabulary)),
    )
    model = LogisticRegression(C=C, max_iter=400, tol=1e-4)
    model.fit(
        matrix,
        np.array([spans.TAGS.index(tag) for _, tag in counted]),
        sample_weight=np.array(list(counted.values()), dtype=float),
    )
    order = [list(model.classes_).index(i) for i in range(len(spans.TAGS))]
    coefficients = model.coef_[order]
    weights = {}
    for feature, column in vocabulary.items():
        values = coefficients[:, column]
        if np.abs(values).max() >= PRUNE:
            weights[feature] = [round(float(v), DECIMALS) for v in values]
    bias = [round(float(v), DECIMALS) for v in model.intercept_[order]]
    return {"tags": list(spans.TAGS), "bias": bias, "weights": dict(sorted(weights.items()))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    started = time.monotonic()
    features, tags = dataset()
    print(f"examples read in {time.monotonic() - started:.0f} s", file=sys.stderr)
    print(f"{len(tags)} words: {Counter(tags)}", file=sys.stderr)
    text = json.dumps(train(features, tags), ensure_ascii=False, separators=(",", ":")) + "\n"
    if args.check:
        same = OUT.exists() and OUT.read_text("utf-8") == text
        print("spans.json is the rebuild" if same else "spans.json differs", file=sys.stderr)
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
