"""Turn a template and what we know about a message into a draft's subject and body.

Why this is its own module, and why it is strict:

* A draft lands in the user's mailbox under the user's name, so a template
  mistake must stop that one draft with a message naming the file and line,
  never turn into "Dear None," or "the  role at ." in a mail.  Hence
  StrictUndefined, and the checks on the output (a ``Subject:`` line with a
  subject, then a body with tidy blank lines).
* Company, job title, contact name and subjects come from strangers' mail.
  ``clean_field`` makes each of them one short line; ``render`` applies it
  again to those slots, so a CR/LF in a subject can never reach a header line
  even when a caller forgets.
* Users override or add templates in their own folder.  For template name N
  and language L the first file found wins::

      user_dir/N.L.txt.j2   user_dir/N.txt.j2   shipped/N.L.txt.j2
      user_dir/N.en.txt.j2  shipped/N.en.txt.j2

  so a user file with a shipped file's name replaces it, a language-neutral
  user file serves every language, and English is the last resort.  A rule's
  custom template (``feedback_request_detailed``) may live in the user folder
  only; ``check_template`` lets the daemon refuse to start when it is missing.

Context the templates see (every optional value may be None, and ``render``
supplies None for any of them the caller leaves out):

    identity           .name and .email of the user (required), .signature
                       (None, or the lines to sign with instead of the name)
    language           the language code asked for ("de"), even when the
                       file used is the English fallback
    company            str | None
    job_title          str | None
    contact_name       str | None
    contact_first_name str | None, the contact's first name, for a familiar greeting
    familiar           bool | None: the mail said du, tu, tú, je... (in English,
                       greeted by first name): answer in kind
    rejection_subject  str | None, the rejection's subject
    reply_subject      str | None, the feedback reply's subject (thank-you)
    rejection_date     datetime.date | None

and what the earlier thread in the mailbox showed (``policy.history``; all None
when it was not read):

    interviewed        bool | None: an interview was arranged or recalled (False:
                       the application only)
    interview_date     datetime.date | None, the day of the last interview
    interviewer        str | None, the person who invited to it

Two filters: ``reply_prefixed``: ``{{ rejection_subject | reply_prefixed }}``
gives "Re: <subject>" unless the subject already starts with a reply prefix
(Re:, RE:, AW:, Antw:, Réf :, ...); ``day_month``: ``{{ interview_date |
day_month(language) }}`` gives the day as a sentence in that language says it
("12 November", "12. November", "12 de noviembre").
"""

from __future__ import annotations

import re
import sys
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import FrameType, SimpleNamespace
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from classifiers.history import MONTHS
from classifiers.language import LANGUAGES
from daemon.config import Config, ConfigError
from daemon.errors import UserError
from daemon.mail.templates import shipped_templates_dir
from decide.plan import TEMPLATES

SUFFIX = ".txt.j2"
# The most a template may take to render: a user's template that loops must cost one
# draft, not the outbox.
RENDER_BUDGET = 2.0
FALLBACK_LANGUAGE = "en"

# The mail-derived one-line slots, and the most characters each may render as.
FIELD_LIMITS: dict[str, int] = {
    "company": 100,
    "job_title": 150,
    "contact_name": 80,
    "contact_first_name": 80,
    "interviewer": 80,
    "rejection_subject": 200,
    "reply_subject": 200,
}
OPTIONAL_KEYS: tuple[str, ...] = (
    *FIELD_LIMITS,
    "rejection_date",
    "familiar",
    "interviewed",
    "interview_date",
)

# What a draft's template may be given, for the check at start.
SAMPLE_VALUES: dict[str, Any] = {
    "identity": SimpleNamespace(
        name="Alex Candidate", email="alex@example.org", signature="Alex Candidate\n+1 555 0100"
    ),
    "company": "Northwind",
    "job_title": "Data Engineer",
    "contact_name": "Jordan Reyes",
    "contact_first_name": "Jordan",
    "familiar": False,
    "rejection_subject": "Your application",
    "reply_subject": "Re: Your application",
    "rejection_date": date(2026, 1, 5),
    "interviewed": True,
    "interview_date": date(2025, 12, 12),
    "interviewer": "Sam Okafor",
}

# The same shape the config (daemon/config/check.py) accepts for a rule's template: a name, never a path.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*")
_LANGUAGE = re.compile(r"[a-z]{2,3}")
# Reply markers mail clients put in front of a subject, in the languages our
# recruiters write and a few more Outlook locales; an optional counter
# ("Re[2]:") and a space before the colon ("RE :", French style) are allowed.
_REPLY_PREFIX = re.compile(
    r"(?:re|aw|antw|antwort|réf\.?|sv|vs|rif|r|res|odp|ynt)\s*(?:\[\d+\]|\(\d+\))?\s*:",
    re.IGNORECASE,
)
# Zero-width (non-)joiners carry meaning in names and emoji; other format
# characters (bidi overrides, BOM, zero-width space) only hide or reorder text.
_KEEP_FORMAT = frozenset("\u200c\u200d")
_TRUNCATED_TAIL = " ,;:.-–—/&("
_BLANK_RUNS = re.compile(r"\n{3,}")
_SIGNATURE_SEPARATOR = "-- "


class TemplateError(UserError):
    """A template that is missing, broken, or renders to something that is not a mail."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """A draft's subject (one line) and body (ends with one newline), and the file used."""

    subject: str
    body: str
    source: Path


def clean_field(value: str | None, limit: int) -> str | None:
    """``value`` made safe for a one-line slot of at most ``limit`` characters.

    Every kind of whitespace (CR, LF, tab, U+2028/2029, ...) becomes one space,
    control and format characters go, and a value longer than ``limit`` is cut
    at a word boundary and ends in "…".  None when nothing is left.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    if value is None:
        return None
    kept = "".join(" " if ch.isspace() else "" if _is_control(ch) else ch for ch in value)
    text = " ".join(kept.split())
    if len(text) > limit:
        text = _truncate(text, limit)
    return text or None


def reply_prefixed(subject: str) -> str:
    """``subject`` as a reply's subject: "Re: " in front unless a reply prefix is there.

    Whitespace is collapsed to single spaces; an empty subject stays empty.
    """
    text = " ".join(subject.split())
    if not text or _REPLY_PREFIX.match(text):
        return text
    return f"Re: {text}"


# How a day goes with its month; English and German write the month capitalised.
_CAPITALISED_MONTHS = frozenset({"en", "de"})
_DAY_MONTH = {"de": "{d}. {m}", "es": "{d} de {m}", "pt": "{d} de {m}"}


def day_month(day: date, language: str = FALLBACK_LANGUAGE) -> str:
    """``day`` as a sentence in ``language`` names it: "12 November", "12. November",
    "1er décembre", "12 de noviembre"; English for a language without its own table."""
    code = _language(language) or FALLBACK_LANGUAGE
    code = code if code in MONTHS else FALLBACK_LANGUAGE
    month = MONTHS[code][day.month - 1]
    if code in _CAPITALISED_MONTHS:
        month = month.capitalize()
    number = "1er" if code == "fr" and day.day == 1 else str(day.day)
    return _DAY_MONTH.get(code, "{d} {m}").format(d=number, m=month)


def render(
    name: str,
    language: str,
    context: Mapping[str, Any],
    *,
    user_dir: Path | None = None,
) -> Rendered:
    """Render template ``name`` in ``language`` (or its fallback) with ``context``.

    Raises TemplateError when no file is found, the file does not compile, a
    variable is undefined, or the output has no ``Subject:`` line or no body.
    """
    _check_name(name)
    source = _find(name, language, user_dir)
    template = _load(_environment(user_dir), source)
    values: dict[str, Any] = {**dict.fromkeys(OPTIONAL_KEYS), **context, "language": language}
    for key, limit in FIELD_LIMITS.items():
        if isinstance(values[key], str):
            values[key] = clean_field(values[key], limit)
    try:
        text = _render_in_time(template, values)
    except TemplateTooSlow:
        raise TemplateError(
            f"{source}: took longer than {RENDER_BUDGET:g} s to render (a loop that never ends?)"
        ) from None
    except Exception as error:  # a user's template may fail in any way; name where
        raise TemplateError(f"{_location(error, source)}: {_describe(error)}") from error
    return _parse(text, source)


class TemplateTooSlow(Exception):
    """A template ran past RENDER_BUDGET."""


def _render_in_time(template: jinja2.Template, values: dict[str, Any]) -> str:
    """Render, stopping a template that loops past the budget: a trace function checks
    the clock on each line the template runs and raises in its frame.  Only this thread
    is traced, only while rendering; shipped templates take well under a millisecond."""
    deadline = time.monotonic() + RENDER_BUDGET

    def tracer(frame: FrameType, event: str, arg: object) -> Any:
        if time.monotonic() > deadline:
            raise TemplateTooSlow
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        return template.render(values)
    finally:
        sys.settrace(previous)


def check_template(name: str, user_dir: Path | None = None) -> Path:
    """The file ``name`` renders from in English, or failing that one of its variants.

    For the daemon's start: raises TemplateError when the template exists in
    no language at all, or when any of its files does not compile.
    """
    _check_name(name)
    shipped = shipped_templates_dir()
    folders = [folder for folder in (user_dir, shipped) if folder is not None]
    found = [path for folder in folders for path in _variants(folder, name)]
    if not found:
        searched = " and ".join(str(folder) for folder in folders)
        raise TemplateError(
            f'template "{name}" not found in any language: no {name}.<language>{SUFFIX}'
            f" or {name}{SUFFIX} in {searched}"
        )
    environment = _environment(user_dir)
    for path in found:
        _compile(environment, path)
    # Rendered too, once with every value and once with none known, as drafts will be:
    # a missing Subject line or {{ company.upper() }} on an unknown company shows now.
    for language in LANGUAGES:
        try:
            _find(name, language, user_dir)
        except TemplateError:
            continue  # no file serves this language (a rule's German-only template)
        for values in (SAMPLE_VALUES, {"identity": SAMPLE_VALUES["identity"]}):
            render(name, language, values, user_dir=user_dir)
    try:
        return _find(name, FALLBACK_LANGUAGE, user_dir)
    except TemplateError:
        return found[0]


def check_templates(config: Config) -> None:
    """Every template the config can reach, checked at start: a rule naming one that does not
    exist would otherwise fail days later, at the draft."""
    problems = []
    for index, rule in enumerate(config.rules):
        if rule.template:
            try:
                check_template(rule.template, config.templates_dir)
            except UserError as exc:
                problems.append(f"rules[{index}] ({rule.name}).template: {exc}")
    for name in TEMPLATES.values():  # a broken override of a shipped template, too
        try:
            check_template(name, config.templates_dir)
        except UserError as exc:
            problems.append(f"templates.dir: {exc}")
    if problems:
        raise ConfigError(problems)


def _is_control(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category in ("Cc", "Cs") or (category == "Cf" and ch not in _KEEP_FORMAT)


def _truncate(text: str, limit: int) -> str:
    head = text[: limit - 1]
    if text[limit - 1] != " " and " " in head:  # the cut fell inside a word
        head = head.rsplit(" ", 1)[0]
    head = head.rstrip(_TRUNCATED_TAIL) or text[: limit - 1].rstrip()
    return f"{head}…"


def _check_name(name: str) -> None:
    if not _NAME.fullmatch(name):
        raise TemplateError(f"not a template name: {name!r} (letters, digits, _ - and .)")


def _language(code: str) -> str | None:
    """The primary subtag of ``code`` ("de-AT" -> "de"), or None when it is not a code."""
    primary = re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]
    return primary if _LANGUAGE.fullmatch(primary) else None


def _candidates(name: str, language: str, user_dir: Path | None) -> list[Path]:
    shipped = shipped_templates_dir()
    code = _language(language)
    order: list[Path] = []
    if user_dir is not None:
        if code:
            order.append(user_dir / f"{name}.{code}{SUFFIX}")
        order.append(user_dir / f"{name}{SUFFIX}")
    if code:
        order.append(shipped / f"{name}.{code}{SUFFIX}")
    if user_dir is not None:
        order.append(user_dir / f"{name}.{FALLBACK_LANGUAGE}{SUFFIX}")
    order.append(shipped / f"{name}.{FALLBACK_LANGUAGE}{SUFFIX}")
    return list(dict.fromkeys(order))


def _find(name: str, language: str, user_dir: Path | None) -> Path:
    candidates = _candidates(name, language, user_dir)
    for path in candidates:
        if path.is_file():
            return path
    by_folder: dict[Path, list[str]] = {}
    for path in candidates:
        by_folder.setdefault(path.parent, []).append(path.name)
    searched = "; ".join(f"{', '.join(names)} in {folder}" for folder, names in by_folder.items())
    raise TemplateError(
        f'template "{name}" not found for language "{language}" (looked for {searched})'
    )


def _variants(folder: Path, name: str) -> list[Path]:
    """``name``'s files in ``folder``: the language-neutral one and one per language."""
    if not folder.is_dir():
        return []
    pattern = re.compile(re.escape(name) + r"(?:\.[a-z]{2,3})?" + re.escape(SUFFIX))
    return sorted(path for path in folder.iterdir() if pattern.fullmatch(path.name))


@lru_cache(maxsize=8)
def _environment(user_dir: Path | None) -> jinja2.Environment:
    # User folder first: _find's order guarantees that whenever it picks a
    # shipped file, the user folder has no file of that name to shadow it.
    folders = [str(user_dir)] if user_dir is not None else []
    folders.append(str(shipped_templates_dir()))
    # Sandboxed: a user's template reaches the values it is given, not Python's insides
    # ({{ identity.__class__.__mro__ }}), and it cannot change them.
    environment = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(folders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain-text mail; HTML escaping would garble "AT&T"
        keep_trailing_newline=True,
        auto_reload=True,  # an edited template applies to the next draft
    )
    environment.filters["reply_prefixed"] = reply_prefixed
    environment.filters["day_month"] = day_month
    return environment


def _load(environment: jinja2.Environment, source: Path) -> jinja2.Template:
    try:
        return environment.get_template(source.name)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(
            f"{error.filename or source}:{error.lineno}: {error.message}"
        ) from error
    except (OSError, UnicodeDecodeError, jinja2.TemplateNotFound) as error:
        raise TemplateError(f"{source}: cannot read the template: {error}") from error


def _compile(environment: jinja2.Environment, source: Path) -> None:
    try:
        environment.parse(source.read_text(encoding="utf-8"), source.name, str(source))
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(f"{source}:{error.lineno}: {error.message}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise TemplateError(f"{source}: cannot read the template: {error}") from error


def _location(error: BaseException, source: Path) -> str:
    """``file:line`` of the innermost template frame in ``error``'s traceback."""
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:  # a broken include
        return f"{error.filename}:{error.lineno}"
    where = str(source)
    frame = error.__traceback__
    while frame is not None:
        filename = frame.tb_frame.f_code.co_filename
        # Jinja rewrites the traceback so template frames carry the template's
        # file name and line; Python frames end in .py, generated ones in <...>.
        if not filename.endswith(".py") and not filename.startswith("<"):
            where = f"{filename}:{frame.tb_lineno}"
        frame = frame.tb_next
    return where


def _describe(error: BaseException) -> str:
    if isinstance(error, jinja2.TemplateError) and error.message:
        return error.message
    return f"{type(error).__name__}: {error}"


def _parse(text: str, source: Path) -> Rendered:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    first = lines[0] if lines else ""
    if not first.startswith("Subject:"):
        raise TemplateError(
            f'{source}: the first line must be "Subject: ...", then a blank line, then the'
            f" body; it is {first[:60]!r}"
        )
    subject = " ".join(first.removeprefix("Subject:").split())
    if not subject:
        raise TemplateError(f"{source}: the subject is empty")
    # "-- " is the signature separator (RFC 3676) and keeps its trailing space.
    tidy = (line if line == _SIGNATURE_SEPARATOR else line.rstrip() for line in lines[1:])
    body = _BLANK_RUNS.sub("\n\n", "\n".join(tidy)).strip("\n")
    if not body:
        raise TemplateError(f"{source}: the body is empty")
    return Rendered(subject=subject, body=f"{body}\n", source=source)
