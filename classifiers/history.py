"""What the earlier mail with a company tells a draft: was there an interview, when, with whom, for
which role.

The career advice behind debriefer is specific: thank the person you spoke with for the
interview, on its date, and name the role; after an application alone, ask about the
application.  The rejection rarely says all that, but the mailbox often does: the
invitation a fortnight earlier, the scheduling mail, the user's own application in Sent.
``daemon/mail/lookback.py`` fetches those mails; this module reads them.  Pure, like the rest of
``classifiers``: views and dates in, a ``History`` out.

Precision over recall throughout: a date or a name goes into a draft under the user's
name, so an interview counts only when a mail invites to it, confirms it or recalls it
as past, never when one only says an interview *may* follow.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from .classify import ENGLISH, LEXICONS
from .extract import extract
from .language import detect_language
from .message import MailView
from .scoring import Text
from .senders import is_writable_contact, person_name
from .text import MONTHS, sentences

# The usual short forms of month names; a short form is read only in the mail's own
# language and in English, since "set" or "out" are words elsewhere.
_SHORT_MONTHS: dict[str, tuple[str, ...]] = {
    "en": "jan feb mar apr may jun jul aug sep oct nov dec".split(),
    "de": "jan feb mär apr mai jun jul aug sep okt nov dez".split(),
    "fr": "janv févr mars avr mai juin juil août sept oct nov déc".split(),
    "es": "ene feb mar abr may jun jul ago sep oct nov dic".split(),
    "nl": "jan feb mrt apr mei jun jul aug sep okt nov dec".split(),
    "it": "gen feb mar apr mag giu lug ago set ott nov dic".split(),
    "pt": "jan fev mar abr mai jun jul ago set out nov dez".split(),
}
_EXTRA_SPELLINGS = {"jänner": 1, "maerz": 3, "fevrier": 2, "aout": 8, "decembre": 12}
_EXTRA_SPELLINGS |= {"setiembre": 9, "marco": 3, "sept": 9}


def _month_table(language: str) -> dict[str, int]:
    table = dict(_EXTRA_SPELLINGS)
    for names in MONTHS.values():
        table.update((name, number) for number, name in enumerate(names, start=1))
    for code in {"en", language}:
        for number, name in enumerate(_SHORT_MONTHS.get(code, ()), start=1):
            table.setdefault(name, number)
    return table


def _date_patterns(language: str) -> tuple[dict[str, int], list[re.Pattern[str]]]:
    months = _month_table(language)
    names = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    day = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th|er|º|°)?"
    year = r"(?P<y>20\d\d)"
    patterns = [
        # 12 November 2026, 12. November, 12 de noviembre de 2026, 1er décembre
        rf"\b{day}\.?\s*(?:de\s+)?(?P<m>{names})\b\.?(?:,?\s*(?:de\s+)?{year})?",
        # November 12, 2026; Nov. 12th
        rf"\b(?P<m>{names})\b\.?\s+{day}\b(?:,?\s*{year})?",
        # 2026-11-12
        r"\b(?P<y>20\d\d)-(?P<mn>[01]\d)-(?P<d>[0-3]\d)\b",
        # 12.11.2026, 12.11. (day first, as everywhere these are written)
        r"\b(?P<d>[0-3]?\d)\.(?P<mn>[01]?\d)\.(?:(?P<y>20\d\d)\b)?",
    ]
    if language != "en":  # 12/11/2026 is the 12th everywhere but in American English
        patterns.append(r"\b(?P<d>[0-3]?\d)/(?P<mn>[01]?\d)(?:/(?P<y>20\d\d))?\b")
    return months, [re.compile(p, re.IGNORECASE) for p in patterns]


_PATTERNS_BY_LANGUAGE = {code: _date_patterns(code) for code in MONTHS}


def find_dates(text: str, language: str, written: date) -> list[date]:
    """The calendar days ``text`` names, in order; a date without a year is the next one
    on or after the day the mail was written (a week's grace for "last Tuesday")."""
    months, patterns = _PATTERNS_BY_LANGUAGE.get(language, _PATTERNS_BY_LANGUAGE["en"])
    found: list[tuple[int, date]] = []
    taken: list[range] = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            if any(match.start() in span for span in taken):
                continue
            groups = match.groupdict()
            month = int(groups["mn"]) if groups.get("mn") else months[groups["m"].lower()]
            day = int(groups["d"])
            year = int(groups["y"]) if groups.get("y") else written.year
            try:
                when = date(year, month, day)
            except ValueError:
                continue
            if not groups.get("y") and when < written - timedelta(days=7):
                try:
                    when = date(year + 1, month, day)
                except ValueError:
                    continue
            found.append((match.start(), when))
            taken.append(range(match.start(), match.end()))
    return [when for _, when in sorted(found)]


_CALENDAR_START = re.compile(rb"^DTSTART[^:\r\n]*:(\d{4})(\d\d)(\d\d)", re.MULTILINE)


def calendar_start(raw: bytes) -> date | None:
    """The first event's day in an attached calendar invitation (text/calendar)."""
    match = _CALENDAR_START.search(raw)
    if match is None:
        return None
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        return None


# -- what a mail says about an interview -----------------------------------------------

_INTERVIEW = re.compile(
    r"\b(?:interview\w*|phone screen|video call|(?:video|phone|teams|zoom) ?call"
    r"|vorstellungsgespräch\w*|\w*gespräch\w*|entretien\w*|entrevue|entrevista\w*"
    r"|sollicitatiegesprek\w*|\w*gesprek\w*|colloqui\w*|conversa)\b",
    re.IGNORECASE,
)
# An invitation, a booking or a confirmation; "we will invite you if..." is caught below.
_INVITES = re.compile(
    r"\b(?:invite|inviting|invitation|schedul\w+|book (?:a|your)|confirm\w*|calendar"
    r"|looking forward to (?:speaking|meeting|talking|our)|would like to (?:meet|speak|talk)"
    r"|available|availability|time slot|slot|reschedul\w+"
    r"|ein(?:laden|ladung)|einzuladen|laden|termin\w*|bestätig\w*|freuen uns auf"
    r"|invit\w+|convi\w+|convocation|convocar\w*|rendez-vous|disponibilit\w+|confirm\w+"
    r"|cita|agend\w+|uitnodig\w+|nodig(?:en|t)|afspraak|bevestig\w+|appuntamento|conferm\w+"
    r"|on (?:monday|tuesday|wednesday|thursday|friday)|at \d{1,2}[:.]\d\d)\b",
    re.IGNORECASE,
)
# Only a possibility: an interview that may follow is no interview.  Per language, since
# "si", "se" and "als" are also plain words elsewhere ("als developer", "si svolgerà").
_CONDITIONAL = {
    code: re.compile(rf"\b(?:{words})\b", re.IGNORECASE)
    for code, words in {
        "en": r"if|should (?:your?|we)|once|whether|in case|(?:may|might|could) (?:\w+ )?"
        r"(?:invite|contact|reach|ask|schedule|be)|potential(?:ly)?|possibly|next steps? (?:may|will)",
        "de": r"falls|wenn|sofern|sobald|ggf|gegebenenfalls|eventuell\w*|möglicherweise",
        "fr": r"si|s'il|s’il|éventuel\w*|le cas échéant|dès que",
        "es": r"si|en caso|eventual\w*|cuando",
        "nl": r"indien|mocht|zodra|eventueel|als (?:je|jij|u|we|wij)",
        "it": r"se|qualora|nel caso|eventual\w*",
        "pt": r"caso|eventual\w*|se (?:o |a |você|for|houver)",
    }.items()
}
# An interview recalled as past, in the rejection itself.
_MET = re.compile(
    r"\b(?:(?:thank|thanks)\w*(?: you)? (?:again )?for (?:taking the time to )?"
    r"(?:interview\w*|meet\w*|speak\w*|talk\w*|(?:the|your|our) (?:interview|conversation"
    r"|call|chat|meeting)\w*)|after (?:your|our|the) (?:interview|conversation|call|meeting)s?"
    r"|(?:pleasure|great|nice|enjoyed) (?:to )?(?:meet|speak|talk|meeting|speaking|talking)"
    r"|following (?:your|our|the) (?:interview|conversation|call|meeting)s?"
    r"|(?:the|your) (?:interview|interviews) (?:with us|you had)"
    r"|nach (?:dem|unserem|ihrem|deinem) (?:\w+ )?(?:gespräch|interview)\w*"
    r"|(?:für|fuer) (?:das|unser|ihr|dein) (?:\w+ )?(?:gespräch|interview)\w*"
    r"|suite à (?:notre|votre) (?:entretien|échange|rencontre)"
    r"|(?:pour|de) (?:notre|votre) (?:entretien|échange|rencontre)"
    r"|(?:tras|después de) (?:la|nuestra|su|tu) (?:entrevista|conversación|reunión)"
    r"|por (?:la|nuestra|su|tu) (?:entrevista|conversación|reunión)"
    r"|(?:na|voor) (?:het|ons|jouw|uw) (?:\w+ )?gesprek\w*"
    r"|(?:dopo|per) (?:il|il nostro|il suo|il tuo) colloquio"
    r"|(?:após|depois da|pela) (?:a |nossa |sua |tua )?(?:entrevista|conversa))",
    re.IGNORECASE,
)
_NOT_MET = re.compile(
    r"\b(?:not|no|nicht|kein\w*|pas|ne|no|niet|geen|non|não)\b[^.!?\n]{0,60}"
    r"(?:interview|gespräch|entretien|entrevista|gesprek|colloquio)",
    re.IGNORECASE,
)
_APPLIED = re.compile(
    r"\b(?:appl(?:y|ied|ying|ication)|bewerb\w*|candidat\w*|postul\w*|solicitud|sollicit\w*)\b",
    re.IGNORECASE,
)
# "your interview with Jordan Reyes": who the user met when a robot does the scheduling.
_WITH_PERSON = re.compile(
    r"\b(?:with|mit|avec|con|met|com)\s+(?P<name>[A-ZÀ-Þ][\w'’-]+\s+[A-ZÀ-Þ][\w'’-]+)"
)


def interview_recalled(view: MailView) -> bool:
    """Whether a mail (a rejection) speaks of an interview the user already had."""
    for sentence in sentences(f"{view.subject}\n{view.body}"):
        if _MET.search(sentence) and not _NOT_MET.search(sentence):
            return True
    return False


def _invites_to_interview(text: str, language: str) -> bool:
    known = _CONDITIONAL.keys()
    for sentence in sentences(text):
        if (
            _INTERVIEW.search(sentence)
            and _INVITES.search(sentence)
            and not any(_CONDITIONAL[code].search(sentence) for code in {"en", language} & known)
        ):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Earlier:
    """One earlier mail as the look-back read it."""

    when: datetime
    folder: str
    subject: str
    kind: str  # "interview", "application" or "other"
    interview_on: date | None = None
    person: str | None = None
    person_email: str | None = None
    job_title: str | None = None
    message_id: str = ""  # lower-case

    def describe(self) -> str:
        what = {
            "interview": "about an interview",
            "application": "your application",
            "other": "a mail",
        }[self.kind]
        parts = [f"{self.folder} {self.when.date().isoformat()}: {what}"]
        if self.interview_on:
            parts.append(f"on {self.interview_on.isoformat()}")
        if self.person:
            parts.append(f"with {self.person}")
        if self.job_title:
            parts.append(f"for {self.job_title}")
        return " ".join(parts) + f' ("{self.subject[:80]}")'


def read_earlier(
    view: MailView,
    when: datetime,
    folder: str,
    *,
    sent: bool,
    users: frozenset[str],
    calendar_day: date | None = None,
    message_id: str = "",
) -> Earlier:
    """What one earlier mail of the thread says: an invitation or a confirmation of an
    interview (and its date, and with whom), the user's application, or nothing of use.
    ``sent`` says the user wrote it; ``calendar_day`` is its calendar invitation's day."""
    whole = f"{view.subject}\n{view.body}"
    text = Text(whole)
    language = detect_language([word for _, word in text.words[:400]])
    lex = LEXICONS.get(language, ENGLISH)
    title = extract(view, text, lex, ENGLISH, users, language).job_title
    interview = calendar_day is not None or _invites_to_interview(whole, language)
    if interview:
        day = calendar_day
        if day is None:
            days = [
                d
                for d in find_dates(view.body, language, when.date())
                if when.date() <= d <= when.date() + timedelta(days=90)
            ]
            day = days[0] if days else None
        person, email = (None, None) if sent else _who(view, users)
        return Earlier(
            when, folder, view.subject, "interview", day, person, email, title, message_id.lower()
        )
    kind = "application" if sent and _APPLIED.search(whole) else "other"
    return Earlier(when, folder, view.subject, kind, job_title=title, message_id=message_id.lower())


def _who(view: MailView, users: frozenset[str]) -> tuple[str | None, str | None]:
    """The person who invites (a person's From), or the one named "with ..." by a robot."""
    sender = view.sender
    if sender and is_writable_contact(sender.email, users):
        name = person_name(sender.name, sender.email)
        if name:
            return name, sender.email.lower()
    for sentence in sentences(view.body):
        if _INTERVIEW.search(sentence):
            match = _WITH_PERSON.search(sentence)
            if match and person_name(match.group("name")):
                return match.group("name"), None
    return None, None


@dataclass(frozen=True, slots=True)
class History:
    """What the templates learn from the earlier thread; ``found`` says what and where."""

    interviewed: bool = False
    interview_date: date | None = None
    interviewer: str | None = None
    interviewer_email: str | None = None
    job_title: str | None = None
    found: tuple[str, ...] = field(default=())

    def to_json(self) -> str:
        values = asdict(self)
        values["interview_date"] = self.interview_date.isoformat() if self.interview_date else None
        values["found"] = list(self.found)
        return json.dumps(values, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> History | None:
        if not text:
            return None
        values = json.loads(text)
        day = values.get("interview_date")
        values["interview_date"] = date.fromisoformat(day) if day else None
        values["found"] = tuple(values.get("found") or ())
        return cls(**values)


def _same_role(one: str | None, other: str | None) -> bool:
    """Whether two titles may name the same job (either unknown counts as the same)."""
    if not one or not other:
        return True
    a, b = _squash(one), _squash(other)
    return a in b or b in a


def _squash(value: str) -> str:
    return re.sub(r"\W+", "", value.casefold())


def summarize(
    earlier: Iterable[Earlier],
    rejection: MailView,
    received: datetime,
    job_title: str | None,
) -> History:
    """The earlier thread in short: the latest interview before the rejection, who held
    it, and the role's title, leaving out mails about another role at the same company."""
    relevant = sorted(
        (e for e in earlier if e.when <= received and _same_role(e.job_title, job_title)),
        key=lambda e: e.when,
    )
    interviews = [e for e in relevant if e.kind == "interview"]
    dated = [e for e in interviews if e.interview_on and e.interview_on <= received.date()]
    interview_date = dated[-1].interview_on if dated else None
    people = [e for e in reversed(interviews) if e.person]
    titles = [e.job_title for e in relevant if e.job_title]
    exact = _exact_title(job_title, titles)
    found = tuple(e.describe() for e in relevant if e.kind != "other")
    return History(
        interviewed=bool(interviews) or interview_recalled(rejection),
        interview_date=interview_date,
        interviewer=people[0].person if people else None,
        interviewer_email=people[0].person_email if people else None,
        job_title=exact,
        found=found,
    )


def _exact_title(current: str | None, earlier: Sequence[str]) -> str | None:
    """The rejection's title, or the fuller one an earlier mail gave for the same role."""
    if not earlier:
        return current
    if current is None:
        return max(set(earlier), key=earlier.count)
    fuller = [t for t in earlier if _squash(current) in _squash(t)]
    return max(fuller, key=len) if fuller else current
