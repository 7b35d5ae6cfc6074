"""Company, job title and the person to write to, for the templates.

Every field is a vote among candidates from the sender's name, the subject,
the body and the signature; a field nobody agrees on stays None rather than
becoming a guess the user would have to correct in a draft.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable

from .lexicon import Lexicon
from .message import Address, MailView
from .scoring import Text
from .senders import (
    ROLE_WORDS,
    SHARED_PROVIDERS,
    is_ats_domain,
    is_writable_contact,
    person_name,
)
from .verdict import Extraction

_SIGNATURE_SEGMENTS = re.compile(r"\s+[|–—/·•-]\s+|,\s*|\s{2,}|\t")
_NON_ALNUM = re.compile(r"[\W_]+")
_LEADING_ARTICLE = re.compile(r"^(?:the|die|der|la|le|el|de)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"[’']s$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SIGNATURE_LINES = 25

_ORG_DISPLAY = (
    re.compile(
        r"^(?:the )?(?:recruiting|recruitment|talent|hiring|careers?|people|hr)"
        r"(?: acquisition)?(?: team)? (?:at|@|bei|chez|de|en|bij|van) (?P<c>.+)$",
        re.I,
    ),
    re.compile(r"^(?:workday|careers?|jobs|recruiting)\s*@\s*(?P<c>.+)$", re.I),
    re.compile(r"^(?P<c>.+?)\s*@\s*(?:icims|workday|greenhouse|lever|smartrecruiters).*$", re.I),
    re.compile(
        r"^(?:the )?(?P<c>.+?)\s*[-|,]?\s+(?:recruiting|recruitment|careers?|talent(?: acquisition)?"
        r"|hiring|hr|jobs|people|human resources|karriere|recrutement|reclutamiento|werving"
        r"|personalabteilung|global hr)(?: team| group| department| workday)?$",
        re.I,
    ),
)
_LEGAL_SUFFIX = re.compile(
    r"[\s,]+(?:inc|llc|ltd|limited|gmbh|ag|bv|b\.v|nv|n\.v|sa|sas|sarl|s\.a|sl|s\.l|plc|corp"
    r"|corporation|co|se|kg)\.?$",
    re.I,
)
_GENERIC = frozenset(
    "us we our you your the team our team this role the role the company company position hiring team talent team recruiting team careers hr applicant candidate application dear hi hello thank thanks unfortunately linkedin indeed workday greenhouse lever".split()
) | {"our team", "the team", "the company", "this role", "the position", "our company"}
_TITLE_NOISE = (
    re.compile(r"\s*\((?:[mwfdhxk]\s*/\s*)+[mwfdhxk]\)|\s*\((?:all genders?|h/f|f/h|m/f)\)", re.I),
    re.compile(
        r"\s*\(?(?:job|req(?:uisition)?)\.?\s*(?:id|no\.?|number|#)?\s*:?\s*[\w-]*\d[\w-]*\)?", re.I
    ),
    re.compile(r"\s*[-–#(]\s*[A-Z]{0,4}-?\d{3,}[A-Z]*\)?\s*$"),
    re.compile(r"\s+\d{4,}\w*\s*$"),
)
# Every _TITLE_NOISE pattern needs one of these; most titles have neither.
_MAY_BE_NOISE = re.compile(r"[(\d]")
_TITLE_TRAILING = frozenset(
    "de en et y e und and of for in im van voor het der la le el des du del di da - – & / +".split()
)
_TITLE_STOP = re.compile(r"^(?:Our|Your|The|This|That|We|You|Job|Position|Role|Application)$")


def extract(
    view: MailView,
    text: Text,
    lex: Lexicon,
    fallback: Lexicon,
    users: frozenset[str],
    language: str | None = None,
) -> Extraction:
    """Template context; ``text`` is the subject, a newline, then the body; ``language``
    the mail's, where it has no lexicon of its own (Italian, Portuguese)."""
    signature = _signature(view.body, lex)
    contact_name, contact_email = _contact(view, signature, users)
    found = _scan_extractors(text, len(view.subject), lex, fallback)
    company = _company(view, found["company"], signature)
    if contact_name and company and _squash(contact_name) in _squash(company):
        contact_name = None  # "Lumen Freight <no-reply@...>" names the company, not a person
    title = _vote(found["title"])
    if title and company and _squash(company) in _squash(title) and len(title.split()) <= 2:
        title = None  # "the Oracle role", "HP Inc": the company where a role should be
    return Extraction(
        company=company,
        job_title=title,
        contact_name=contact_name,
        contact_email=contact_email,
        familiar=_familiar(view.body, language or lex.code),
    )


# Words of the familiar and of the polite second person, by language; only words that
# mean nothing else count ("sie", "ihr", "lei" also mean she or her).
_ADDRESS = {
    "de": (
        frozenset("du dich dir dein deine deinen deinem deiner deines".split()),
        frozenset({"ihnen"}),
    ),
    "fr": (frozenset("tu te toi ton ta tes".split()), frozenset("vous votre vos".split())),
    "es": (frozenset("tú tu tus te contigo".split()), frozenset("usted ustedes".split())),
    "nl": (frozenset("je jij jou jouw".split()), frozenset("u uw".split())),
    "it": (frozenset("tu ti tuo tua tuoi tue".split()), frozenset("lei sua suo".split())),
    "pt": (
        frozenset("tu teu tua teus tuas contigo".split()),
        frozenset("você senhor senhora".split()),
    ),
}
_GREETING_WORDS = re.compile(r"[\w’'-]+")
_FAMILIAR_GREETING = re.compile(r"^\s*(?:hi|hey|hello|hiya)\b", re.I)


def _familiar(body: str, language: str) -> bool:
    """Whether the mail addresses the candidate familiarly, so the draft may too."""
    if language not in _ADDRESS:  # English: a first-name greeting is the familiar form
        return bool(_FAMILIAR_GREETING.match(body))
    familiar, polite = _ADDRESS[language]
    words = _GREETING_WORDS.findall(body[:3000].lower())
    informal = sum(w in familiar for w in words)
    return informal > 0 and informal > sum(w in polite for w in words)


def _squash(value: str) -> str:
    return _NON_ALNUM.sub("", _ascii(value).lower())


def _ascii(value: str) -> str:
    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()


def _spells(value: str, squashed_domain: str) -> bool:
    """Whether a name and a mail domain label are the same words ("Solvéo Énergies", solveo-energies)."""
    name = _squash(value)
    return len(name) > 2 and (name in squashed_domain or squashed_domain in name)


_LAST_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _signature(body: str, lex: Lexicon) -> list[str]:
    """The lines after the last sign-off ("Best regards,") near the end; none without one."""
    lines = [line.strip() for line in body.split("\n")]
    tail_start = max(0, len(lines) - _SIGNATURE_LINES)
    sign_off = lex.pattern("sign_offs")
    for index in range(len(lines) - 1, tail_start - 1, -1):
        # The sign-off alone on its line, or ending one: "... your interest. Thanks,"
        line = _LAST_SENTENCE.split(lines[index])[-1].rstrip(",!.").lower()
        if line and len(line) <= 40 and sign_off.fullmatch(line):
            return [s for s in lines[index + 1 :] if s and s != "--"][:6]
    return []


def _contact(
    view: MailView, signature: list[str], users: frozenset[str]
) -> tuple[str | None, str | None]:
    """From, unless a robot; then Reply-To; then an address in the signature; else none."""
    sender = view.sender
    candidates: list[Address] = []
    if sender:
        candidates.append(sender)
    candidates.extend(view.reply_to)
    signature_text = "\n".join(signature)
    candidates.extend(Address("", e.lower()) for e in _EMAIL.findall(signature_text))

    chosen = next((a for a in candidates if is_writable_contact(a.email, users)), None)
    names = [person_name(a.name, a.email) for a in ([chosen] if chosen else []) + candidates[:1]]
    name = next((n for n in names if n), None)
    if name is None and signature:
        name = person_name(signature[0], chosen.email if chosen else "")
        # A lone first name counts when the sender's name says it too: "Pieter (Statik)"
        # signing "Pieter".
        if name and len(name.split()) < 2 and not (sender and _first_word(sender.name) == name):
            name = None
    if name is None and sender:
        # Or ends the mail with it, whatever the farewell before: "Fijne dag\nPieter".
        first = _first_word(sender.name)
        last = next((line.strip() for line in reversed(view.body.splitlines()) if line.strip()), "")
        # person_name trusts a lone word only from a mailbox of that name; here the
        # mail's last line vouches for it instead.
        if first and last == first and person_name(first, first.lower()):
            name = first
    return name, chosen.email if chosen else None


def _first_word(display: str) -> str:
    words = display.strip().strip("\"'").split()
    return words[0] if words else ""


def _vote(candidates: Iterable[tuple[str, float]]) -> str | None:
    scores: dict[str, float] = defaultdict(float)
    spelling: dict[str, str] = {}
    for value, weight in candidates:
        key = _NON_ALNUM.sub("", value.lower())
        if not key or value.lower() in _GENERIC:
            continue
        scores[key] += weight
        spelling.setdefault(key, value)
    if not scores:
        return None
    best = max(scores, key=lambda k: (scores[k], len(k)))
    return spelling[best]


# What a sender's name adds to a company's: "Uline Human Resources", "EY Talent Team",
# "Workday - JustEatTakeaway", "Mission Graduates Hiring".
_ORG_WORDS_AFTER = re.compile(
    r"(?:\s+(?:[-|,]\s+)?(?:global\s+)?(?:human\s+resources|hr|hiring|recruiting|recruitment"
    r"|talent(?:\s+(?:attraction|acquisition)(?:\s+(?:and|&)\s+acquisition)?)?|careers?"
    r"|people(?:\s+team)?|jobs|karriere|recrutement|werving)(?:\s+(?:team|group|department))?)+$",
    re.I,
)
_ATS_BEFORE = re.compile(r"^(?:workday|greenhouse|lever|icims|smartrecruiters)\b\s*[-|:]?\s*", re.I)
_ROBOT_NAME = re.compile(
    r"^(?:do[-\s]?not[-\s]?reply|no[-\s]?reply|noreply|mailer|notifications?)$", re.I
)


def _clean_company(raw: str) -> str:
    value = raw.strip(" \t.,;:!?\"'“”‘’()")
    value = _LEADING_ARTICLE.sub("", value)
    value = _ATS_BEFORE.sub("", value)
    value = _ORG_WORDS_AFTER.sub("", value).strip(" -|,")
    value = _POSSESSIVE.sub("", value)
    for _ in range(2):
        value = _LEGAL_SUFFIX.sub("", value).strip(" ,.")
    if _ROBOT_NAME.match(value):
        return ""
    return value if 1 < len(value) <= 60 else ""


# Where in the mail a value was found, and how much that is worth in the vote.
_SUBJECT_WEIGHT = 2.0
_BODY_WEIGHT = 1.0
_FALLBACK_FACTOR = 0.7
# Company and role are named in the subject and the opening lines.
_EXTRACTION_CHARS = 1500


def _scan_extractors(
    text: Text, subject_length: int, lex: Lexicon, fallback: Lexicon
) -> dict[str, list[tuple[str, float]]]:
    """Candidate titles and companies from subject and body, with their weights."""
    found: dict[str, list[tuple[str, float]]] = {"title": [], "company": []}
    words = text.words[: bisect_left(text.words, (_EXTRACTION_CHARS,))]
    clean = {"title": _clean_title, "company": _clean_company}
    for lexicon in (lex,) if lex is fallback else (lex, fallback):
        factor = 1.0 if lexicon is lex else _FALLBACK_FACTOR
        for name, matches in lexicon.extractors.scan(text.original, words).items():
            for match in matches:
                weight = _SUBJECT_WEIGHT if match.start() < subject_length else _BODY_WEIGHT
                value = clean[name](_group(match))
                if value:
                    found[name].append((value, weight * factor))
    return found


def _company(
    view: MailView, candidates: list[tuple[str, float]], signature: list[str]
) -> str | None:
    candidates = list(candidates)
    sender = view.sender
    domain_label = ""
    if sender:
        display = sender.name.strip()
        for pattern in _ORG_DISPLAY:
            match = pattern.match(display)
            if match:
                candidates.append((_clean_company(match.group("c")), 3.0))
                break
        else:
            if (
                display
                and "@" not in display
                and not person_name(display, sender.email)
                and not ROLE_WORDS.search(display)
            ):
                candidates.append((_clean_company(display), 1.5))
        if not is_ats_domain(sender.domain):
            labels = sender.domain.split(".")
            domain_label = labels[-2] if len(labels) >= 2 else labels[0]
    if domain_label:
        squashed = _squash(domain_label.removesuffix("-example"))
        # A signature line that spells the mail domain ("Grupo Tavira" at grupotavira.es)
        # is the company's own name, with its spaces and accents.
        for line in signature[:6]:
            for segment in _SIGNATURE_SEGMENTS.split(line):
                value = _clean_company(segment)
                if value and "@" not in value and _spells(value, squashed):
                    candidates.append((value, 2.5))
        boosted = [
            (value, weight + 2.0) for value, weight in candidates if _spells(value, squashed)
        ]
        candidates.extend(boosted)
    best = _vote((value, weight) for value, weight in candidates if value)
    if best is None and domain_label and domain_label not in SHARED_PROVIDERS:
        # A company's own mail domain names it when nothing else does: acme-robotics.com.
        return domain_label.replace("-", " ").title()
    return best


def _group(match: re.Match[str]) -> str:
    return next(v for v in match.groups() if v is not None)


# A spaced dash or a bar ends a title in a subject: "Data Engineer – Rückmeldung", "Analyst | Acme".
_TITLE_END = re.compile(r"\s+[-–—|]\s+")


# A title that runs on into the next sentence: "Data Analyst. We", "Scripps Health. After".
_SENTENCE_END = re.compile(r"[.!?]\s+(?=\S)")
# A requisition number before the title ("JR-0090067 Data Analyst"), or where the work is
# done after it ("Data Science Intern WFH").
_TITLE_BEFORE = re.compile(r"^(?:[A-Z]{1,4}[-_]?\d{3,}\w*\s+)+")
_TITLE_AFTER = re.compile(r"\s+\(?(?:wfh|remote|hybrid|on-?site)\)?$", re.I)


def _clean_title(raw: str) -> str:
    value = _TITLE_END.split(raw, maxsplit=1)[0]
    value = _SENTENCE_END.split(value, maxsplit=1)[0].strip(" \t.,;:!?\"'“”‘’")
    value = _TITLE_AFTER.sub("", _TITLE_BEFORE.sub("", value))
    if _MAY_BE_NOISE.search(value):
        for pattern in _TITLE_NOISE:
            value = pattern.sub("", value).strip(" -–,:")
    else:
        value = value.strip(" -–,:")
    words = value.split()
    while words and _TITLE_STOP.match(words[0]):
        words.pop(0)
    while words and words[-1].lower() in _TITLE_TRAILING:
        words.pop()
    value = " ".join(words)
    if not 2 <= len(value) <= 80 or len(words) > 10:
        return ""
    return value
