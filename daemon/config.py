"""The TOML configuration: loaded once, checked completely, then frozen.

Every problem in the file is collected before anything is reported, so a user
fixes a config in one round instead of one error per restart.  Each problem
names the file, the line and the key (``config.toml:12: accounts[0].port:
...``).  ``tomllib`` keeps no positions, so ``_Locator`` re-reads the (already
valid) text to find where each key is written.

Paths may start with ``~``; a relative path is taken relative to the folder
of the config file, not to wherever the daemon happens to be started.

No message built here ever shows the value of a ``password*`` key: a user who
pasted a password into the wrong key must not find it again in a log.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import difflib
import ipaddress
import json
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from email.utils import parseaddr
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import re2

from classifiers.language import LANGUAGES
from classifiers.verdict import Label

from .errors import UserError
from .timing import SendWindow, local_zone

__all__ = [
    "AccountConfig",
    "Config",
    "ConfigError",
    "Identity",
    "Policy",
    "Rule",
    "RuleMatch",
    "SecretSource",
    "SendWindow",
    "SmtpConfig",
    "default_config_path",
    "default_state_path",
    "is_loopback",
    "load_config",
    "parse_duration",
    "parse_send_window",
]

KeyPath = tuple[str | int, ...]

SECURITY_MODES = ("tls", "starttls", "none")
# How the secret is presented: a password (LOGIN / AUTH PLAIN) or an OAuth2 access token (XOAUTH2).
AUTH_MODES = ("password", "oauth2")
MODES = ("draft", "send")
ACTIONS = ("ignore", "draft", "send")
LABELS = tuple(label.value for label in Label)
IMAP_PORTS = {"tls": 993, "starttls": 143, "none": 143}
SMTP_PORTS = {"tls": 465, "starttls": 587, "none": 25}

DEFAULT_IDLE_REFRESH = timedelta(minutes=24)
# RFC 2177: servers may drop an IDLE after 30 minutes, so re-issue it before then.
IDLE_REFRESH_RANGE = (timedelta(minutes=1), timedelta(minutes=29))
DEFAULT_POLL_INTERVAL = timedelta(seconds=60)
KEYRING_SERVICE = "debriefer"


class ConfigError(UserError):
    """The config cannot be used; ``problems`` holds one line per problem, all of them."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


# -- paths -----------------------------------------------------------------------------------


def _xdg_dir(variable: str, fallback: str) -> Path:
    # The XDG spec says to ignore a relative value, as if the variable were unset.
    value = os.environ.get(variable, "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / fallback


def default_config_path() -> Path:
    """``$XDG_CONFIG_HOME/debriefer/config.toml``, else ``~/.config/debriefer/config.toml``."""
    return _xdg_dir("XDG_CONFIG_HOME", ".config") / "debriefer" / "config.toml"


def default_state_path() -> Path:
    """``$XDG_STATE_HOME/debriefer/state.db``, else ``~/.local/state/debriefer/state.db``."""
    return _xdg_dir("XDG_STATE_HOME", ".local/state") / "debriefer" / "state.db"


# -- durations -------------------------------------------------------------------------------

_DURATION_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
# Largest unit first, each at most once: "1h30m" reads one way only, "30m1h" is a typo.
_DURATION = re.compile(
    r"\s*" + "".join(rf"(?:(?P<{unit}>[0-9]+)\s*{unit}\s*)?" for unit in _DURATION_UNITS)
)
_DURATION_HINT = 'use whole numbers with s, m, h, d or w, largest first, e.g. "36h" or "1h30m"'


def parse_duration(text: str, *, allow_zero: bool = False) -> timedelta:
    """``"30s"``, ``"15m"``, ``"36h"``, ``"2d"``, ``"1w"`` and combinations such as ``"1h30m"``.

    Units are s, m (minutes), h, d and w (7 days); there are no months, because
    "1M" would be too easy to misread.  Zero is refused unless ``allow_zero``:
    for an interval or a look-back it means a busy loop or nothing at all.
    """
    if not text.strip():
        raise ValueError(f"empty duration; {_DURATION_HINT}")
    shown = json.dumps(text, ensure_ascii=False)
    if text.strip().startswith("-"):
        raise ValueError(f"{shown} is negative; a duration must be zero or more")
    found = _DURATION.fullmatch(text)
    if not found or not any(found.groupdict().values()):
        raise ValueError(f"not a duration: {shown}; {_DURATION_HINT}")
    parts = {_DURATION_UNITS[unit]: int(n) for unit, n in found.groupdict().items() if n}
    try:
        value = timedelta(**parts)
    except OverflowError:
        raise ValueError(f"{shown} is too long") from None
    if not value and not allow_zero:
        raise ValueError(f"{shown} is zero; it must be longer than that")
    return value


def _format_duration(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    out = ""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            out += f"{seconds // size}{unit}"
            seconds %= size
    return out or "0s"


# -- send windows ----------------------------------------------------------------------------

_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK = r"[0-9]{1,2}:[0-9]{2}"
_SEND_WINDOW = re.compile(rf"\s*(?P<days>\S.*?)\s+(?P<start>{_CLOCK})\s*-\s*(?P<end>{_CLOCK})\s*")
_HOURS_ONLY = re.compile(rf"\s*{_CLOCK}\s*-\s*{_CLOCK}\s*")
_WINDOW_HINT = 'e.g. "Mon-Fri 09:00-17:00", "Mon,Wed,Fri 08:30-12:00" or "daily 09:00-18:00"'


def parse_send_window(text: str) -> SendWindow:
    """``"Mon-Fri 09:00-17:00"``: the days, then the hours on the wall clock, end exclusive.

    Days are ``daily`` or three-letter English names and ranges, separated by
    commas; a range may wrap (``Fri-Mon``).  The end must be later than the
    start: a window past midnight would belong to two days, and which of them
    the day names meant would be a guess.
    """
    shown = json.dumps(text, ensure_ascii=False)
    found = _SEND_WINDOW.fullmatch(text)
    if not found:
        if _HOURS_ONLY.fullmatch(text):
            raise ValueError(f"{shown} names no days; put them before the hours, {_WINDOW_HINT}")
        raise ValueError(
            f"not a send window: {shown}; write the days, then the hours, {_WINDOW_HINT}"
        )
    days = _window_days(found["days"], shown)
    start, end = _clock(found["start"], shown), _clock(found["end"], shown)
    if start >= end:
        raise ValueError(
            f"{shown} ends at or before it starts; a window cannot run overnight,"
            f" so the end must be later than the start on the same day, {_WINDOW_HINT}"
        )
    return SendWindow(frozenset(days), start, end, text.strip())


def _window_days(text: str, shown: str) -> set[int]:
    if text.strip().lower() == "daily":
        return set(range(7))
    days: set[int] = set()
    for part in text.split(","):
        first, dash, last = part.partition("-")
        low = _day(first, shown)
        high = _day(last, shown) if dash else low
        # Fri-Mon wraps over the weekend: count forward from the first day.
        days.update((low + step) % 7 for step in range((high - low) % 7 + 1))
    return days


def _day(name: str, shown: str) -> int:
    word = name.strip().lower()
    if word in _DAY_NAMES:
        return _DAY_NAMES.index(word)
    hint = f"use Mon, Tue, Wed, Thu, Fri, Sat, Sun or daily, {_WINDOW_HINT}"
    if not word:
        raise ValueError(f"a day is missing in {shown}; {hint}")
    raise ValueError(
        f"unknown day {json.dumps(name.strip(), ensure_ascii=False)} in {shown}; {hint}"
    )


def _clock(text: str, shown: str) -> time:
    hour, minute = (int(part) for part in text.split(":"))
    if hour > 23 or minute > 59:
        raise ValueError(f"{text} in {shown} is not a time of day; use 00:00 to 23:59")
    return time(hour, minute)


# -- hosts -----------------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    """True for ``localhost``, 127.0.0.0/8 and ``::1``: the only hosts a password may cross
    unencrypted to, because the traffic never leaves the machine."""
    host = host.strip().lower().removesuffix(".")
    if host == "localhost":
        return True
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# -- the frozen result -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the drafts come from; ``email`` also marks the user's own messages.

    ``signature`` replaces the name under the drafts, and may run to a few lines.
    """

    name: str
    email: str
    signature: str | None = None

    @property
    def id_domain(self) -> str:
        """The right-hand side of the Message-IDs we make: the user's own domain."""
        return self.email.rpartition("@")[2] or "debriefer.invalid"


@dataclass(frozen=True, slots=True)
class SecretSource:
    """Where a password comes from; never the password itself.

    Exactly one of ``command``, ``env`` and ``keyring`` is set.  ``label``
    names the account in messages (``accounts[0] (main)``); ``keyring_user``
    is the entry looked up under the service ``debriefer`` (``username@host``).
    """

    command: str | None
    env: str | None
    keyring: bool
    label: str
    keyring_user: str = ""


@dataclass(frozen=True, slots=True)
class AccountConfig:
    """One IMAP mailbox to watch."""

    name: str
    host: str
    port: int
    security: str
    username: str
    password: SecretSource
    inbox: str = "INBOX"
    drafts: str | None = None
    sent: str | None = None
    ca_file: Path | None = None
    idle_refresh: timedelta = DEFAULT_IDLE_REFRESH
    poll_interval: timedelta = DEFAULT_POLL_INTERVAL
    auth: str = "password"


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    """The outgoing server, used only when a feedback request is sent rather than drafted."""

    host: str
    port: int
    security: str
    username: str
    password: SecretSource
    ca_file: Path | None = None
    # Gmail and Microsoft 365 file what goes through their SMTP server in Sent
    # themselves; a second copy there would be a duplicate.
    copy_to_sent: bool = True
    auth: str = "password"


@dataclass(frozen=True, slots=True)
class Policy:
    """When and how a feedback request is made; rules may override parts of it.

    A request is due ``wait`` after the rejection and lapses, undone, after
    ``expire``.  In send mode it goes out only inside ``send_window``, read on
    the clock of ``timezone`` (None: the machine's zone); no window: any time.
    """

    mode: str = "draft"
    wait: timedelta = timedelta(days=2)
    lookback: timedelta = timedelta(days=14)
    # How far before a rejection the inbox and Sent are read for the earlier thread
    # (application, interview) that the draft mentions; zero reads nothing.
    history: timedelta = timedelta(days=120)
    # None: the classifier's operating point for the mode (classifiers.operating_point).
    min_confidence: float | None = None
    thank_you: bool = True
    expire: timedelta = timedelta(days=7)
    send_window: SendWindow | None = None
    timezone: str | None = None

    def zone(self) -> tzinfo:
        """The zone ``send_window`` is read in; looked up on each call, so a machine that
        moves zones is followed."""
        return ZoneInfo(self.timezone) if self.timezone else local_zone()


class Searcher(Protocol):
    """A compiled rule pattern: ``search`` is all the rules need."""

    def search(self, text: str) -> object | None: ...


_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # the config check reports it, once, with file and line


def linear_pattern(text: str) -> Searcher:
    """A user's pattern, compiled by RE2: matching takes time linear in the text, so no
    pattern ("(a+)+$") meeting an unlucky mail can pin a core.  RE2 has no
    backreferences or lookaround; such a pattern raises ``re2.error`` here, at start."""
    try:
        return re2.compile(text, options=_RE2_OPTIONS)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        reason = reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)
        raise re2.error(
            f"{reason} (rules use RE2 syntax: no backreferences or lookaround, so that"
            " matching always takes linear time)"
        ) from None


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """The conditions of one rule.  An empty tuple is a matcher the rule does not use.

    ``from_`` holds lower-case addresses, ``from_domain`` lower-case domains
    (a subdomain matches too), ``company`` case-folded names; ``subject`` and
    ``body`` are searched with the patterns as written, in RE2's linear time.
    """

    from_: tuple[str, ...] = ()
    from_domain: tuple[str, ...] = ()
    subject: tuple[Searcher, ...] = ()
    body: tuple[Searcher, ...] = ()
    company: tuple[str, ...] = ()
    label: tuple[str, ...] = ()
    language: tuple[str, ...] = ()

    def matches(
        self,
        *,
        sender: str,
        subject: str,
        body: str,
        company: str | None,
        label: str,
        language: str,
    ) -> bool:
        """All matchers the rule uses must match; within one matcher, any value will do."""
        address = parseaddr(sender)[1].lower() or sender.strip().lower()
        domain = address.rpartition("@")[2]
        if self.from_ and address not in self.from_:
            return False
        if self.from_domain and not any(
            domain == d or domain.endswith("." + d) for d in self.from_domain
        ):
            return False
        if self.subject and not any(p.search(subject) for p in self.subject):
            return False
        if self.body and not any(p.search(body) for p in self.body):
            return False
        if self.company and (company is None or company.strip().casefold() not in self.company):
            return False
        if self.label and str(label) not in self.label:
            return False
        return not (self.language and language not in self.language)


@dataclass(frozen=True, slots=True)
class Rule:
    """A user's exception to the classifier or the policy; the first matching rule wins.

    ``overrides`` holds the policy keys this rule sets (any but ``lookback`` and ``history``),
    already converted: a ``timedelta``, a ``SendWindow``, a zone name...
    """

    name: str
    match: RuleMatch
    action: str | None = None
    label: str | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    template: str | None = None

    def policy(self, base: Policy) -> Policy:
        """``base`` with this rule's overrides; an ``action`` of draft or send sets the mode."""
        changes = dict(self.overrides)
        if self.action in MODES:
            changes["mode"] = self.action
        return dataclasses.replace(base, **changes)


@dataclass(frozen=True, slots=True)
class Config:
    identity: Identity
    accounts: tuple[AccountConfig, ...]
    smtp: SmtpConfig | None
    policy: Policy
    rules: tuple[Rule, ...]
    templates_dir: Path | None
    state_path: Path
    source: Path


# -- where keys are written ------------------------------------------------------------------

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


class _Locator:
    """Line numbers of tables, keys and array items in a TOML text that tomllib accepted.

    A small scanner: it follows table headers (counting ``[[x]]`` to know the
    index), dotted keys, inline tables and arrays, and skips strings and
    comments.  It trusts the text to be valid, and on anything it does not
    expect it stops and keeps what it found: line numbers are a courtesy.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.lines: dict[KeyPath, int] = {}
        self._newlines = [i for i, char in enumerate(text) if char == "\n"]
        self._arrays: dict[KeyPath, int] = {}
        self._table: KeyPath = ()
        with contextlib.suppress(IndexError, ValueError):
            self._document()

    def line_of(self, path: KeyPath) -> int | None:
        """The line of ``path``, else of its closest parent that is written down."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None

    # scanning

    def _line(self) -> int:
        return bisect.bisect_left(self._newlines, self.pos) + 1

    def _peek(self, size: int = 1) -> str:
        return self.text[self.pos : self.pos + size]

    def _skip(self, *, newlines: bool) -> None:
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char in " \t" or (newlines and char in "\r\n"):
                self.pos += 1
            elif char == "#":
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            else:
                return

    def _expect(self, token: str) -> None:
        if self._peek(len(token)) != token:
            raise ValueError(f"expected {token!r} at offset {self.pos}")
        self.pos += len(token)

    def _document(self) -> None:
        while True:
            self._skip(newlines=True)
            if self.pos >= len(self.text):
                return
            line = self._line()
            if self._peek(2) == "[[":
                self.pos += 2
                self._header(self._key(), line, array=True)
                self._skip(newlines=False)
                self._expect("]]")
            elif self._peek() == "[":
                self.pos += 1
                self._header(self._key(), line, array=False)
                self._skip(newlines=False)
                self._expect("]")
            else:
                self._key_value(self._table)

    def _header(self, parts: list[str], line: int, *, array: bool) -> None:
        resolved: list[str | int] = []
        for index, part in enumerate(parts):
            resolved.append(part)
            self.lines.setdefault(tuple(resolved), line)
            # [rules.match] after [[rules]] belongs to the latest rules item.
            if index < len(parts) - 1 and tuple(resolved) in self._arrays:
                resolved.append(self._arrays[tuple(resolved)])
        if array:
            count = self._arrays.get(tuple(resolved), -1) + 1
            self._arrays[tuple(resolved)] = count
            resolved.append(count)
        self._table = tuple(resolved)
        self.lines[self._table] = line

    def _key_value(self, table: KeyPath) -> None:
        line = self._line()
        parts = self._key()
        for end in range(1, len(parts) + 1):
            self.lines.setdefault((*table, *parts[:end]), line)
        self._skip(newlines=False)
        self._expect("=")
        self._skip(newlines=False)
        self._value((*table, *parts))

    def _key(self) -> list[str]:
        parts = []
        while True:
            self._skip(newlines=False)
            char = self._peek()
            if char in "\"'":
                start = self.pos
                self._string()
                parts.append(self._decode_key(self.text[start : self.pos]))
            else:
                found = _BARE_KEY.match(self.text, self.pos)
                if not found:
                    raise ValueError(f"no key at offset {self.pos}")
                parts.append(found.group())
                self.pos = found.end()
            self._skip(newlines=False)
            if self._peek() != ".":
                return parts
            self.pos += 1

    @staticmethod
    def _decode_key(quoted: str) -> str:
        if quoted.startswith("'"):
            return quoted[1:-1]
        body, out, index = quoted[1:-1], [], 0
        while index < len(body):
            char = body[index]
            if char == "\\" and index + 1 < len(body):
                code = body[index + 1]
                if code in "uU":
                    width = 4 if code == "u" else 8
                    out.append(chr(int(body[index + 2 : index + 2 + width], 16)))
                    index += 2 + width
                    continue
                out.append(_ESCAPES.get(code, code))
                index += 2
                continue
            out.append(char)
            index += 1
        return "".join(out)

    def _string(self) -> None:
        quote = self._peek()
        if self._peek(3) == quote * 3:
            self.pos += 3
            while self._peek(3) != quote * 3:
                self.pos += 2 if quote == '"' and self._peek() == "\\" else 1
                if self.pos >= len(self.text):
                    raise ValueError("unterminated string")
            self.pos += 3
            # Up to two quotes may end the content right before the closing three.
            for _ in range(2):
                if self._peek() == quote:
                    self.pos += 1
            return
        self.pos += 1
        while self._peek() != quote:
            self.pos += 2 if quote == '"' and self._peek() == "\\" else 1
            if self.pos >= len(self.text):
                raise ValueError("unterminated string")
        self.pos += 1

    def _value(self, path: KeyPath) -> None:
        char = self._peek()
        if char in "\"'":
            self._string()
        elif char == "[":
            self.pos += 1
            index = 0
            while True:
                self._skip(newlines=True)
                if self._peek() == "]":
                    self.pos += 1
                    return
                self.lines.setdefault((*path, index), self._line())
                self._value((*path, index))
                index += 1
                self._skip(newlines=True)
                if self._peek() == ",":
                    self.pos += 1
        elif char == "{":
            self.pos += 1
            while True:
                self._skip(newlines=True)
                if self._peek() == "}":
                    self.pos += 1
                    return
                self._key_value(path)
                self._skip(newlines=True)
                if self._peek() == ",":
                    self.pos += 1
        else:
            start = self.pos
            while self.pos < len(self.text) and self.text[self.pos] not in ",]}#\r\n":
                self.pos += 1
            if self.pos == start:
                raise ValueError(f"no value at offset {start}")


# -- checking --------------------------------------------------------------------------------


def _dotted(path: KeyPath) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = part if _BARE_KEY.fullmatch(part) else json.dumps(part, ensure_ascii=False)
            out += f".{name}" if out else name
    return out


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime | date | time):
        return "a date or time"
    return type(value).__name__


def _describe(value: object, *, secret: bool = False) -> str:
    """The value as the user wrote it, short; only its kind if it may be a password."""
    if secret or isinstance(value, list | dict | datetime | date | time):
        return _kind(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return json.dumps(shown, ensure_ascii=False)
    return repr(value)


def _is_secret_key(key: str | int) -> bool:
    return isinstance(key, str) and key.lower().startswith(("password", "passwd", "secret"))


def _choices(values: Iterable[str]) -> str:
    quoted = [json.dumps(v) for v in values]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else quoted[0]


_PASSWORD_SOURCES = ("password_command", "password_env", "password_keyring")
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TEMPLATE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

_ACCOUNT_KEYS = (
    "name",
    "host",
    "port",
    "security",
    "username",
    "auth",
    *_PASSWORD_SOURCES,
    "inbox",
    "drafts",
    "sent",
    "ca_file",
    "idle_refresh",
    "poll_interval",
)
_SMTP_KEYS = (
    "host",
    "port",
    "security",
    "username",
    "auth",
    *_PASSWORD_SOURCES,
    "ca_file",
    "copy_to_sent",
)
_POLICY_KEYS = (
    "mode",
    "wait",
    "expire",
    "lookback",
    "history",
    "min_confidence",
    "thank_you",
    "send_window",
    "timezone",
)
_GLOBAL_POLICY_KEYS = ("lookback", "history")
_RULE_OVERRIDES = tuple(key for key in _POLICY_KEYS if key not in _GLOBAL_POLICY_KEYS)
_LAPSE_KEYS = ("wait", "expire")
_RULE_KEYS = ("name", "match", "action", "label", "template", *_RULE_OVERRIDES)
_MATCHERS = ("from", "from_domain", "subject", "body", "company", "label", "language")
_TOP_KEYS = ("identity", "accounts", "smtp", "policy", "rules", "templates", "state")

_USE_A_SOURCE = (
    "a password may not be written in the config; use password_command,"
    " password_env or password_keyring = true"
)
_RULE_HINTS = {
    "lookback": "lookback cannot be set per rule; it is how far back the first scan reaches",
    "history": "history cannot be set per rule; it is how far back drafts read the earlier thread",
}


class _Checker:
    """Collects problems as ``file:line: key: message`` while reading the parsed TOML."""

    def __init__(self, source: Path, locator: _Locator) -> None:
        self.source = source
        self.locator = locator
        self._problems: list[tuple[float, int, str]] = []

    @property
    def problems(self) -> list[str]:
        """In file order, so the list reads like the file; problems without a line last."""
        return [text for _, _, text in sorted(self._problems)]

    @property
    def count(self) -> int:
        """How many problems so far: a check that raised it found its value wrong."""
        return len(self._problems)

    def error(self, path: KeyPath, message: str, *, at: KeyPath | None = None) -> None:
        line = self.locator.line_of(at if at is not None else path)
        where = f"{self.source}:{line}:" if line else f"{self.source}:"
        key = f" {_dotted(path)}:" if path else ""
        order = float(line) if line else float("inf")
        self._problems.append((order, len(self._problems), f"{where}{key} {message}"))

    def type_error(self, path: KeyPath, expected: str, value: object) -> None:
        self.error(
            path, f"expected {expected}, got {_describe(value, secret=_is_secret_key(path[-1]))}"
        )

    # tables and keys

    def table(
        self,
        value: object,
        path: KeyPath,
        allowed: Iterable[str],
        hints: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """``value`` as a table with only ``allowed`` keys; anything else is reported.

        An unknown key is named with the closest valid one, never with its
        value: it may be a password under a misspelt name.
        """
        if not isinstance(value, dict):
            self.type_error(path, "a table", value)
            return {}
        allowed = tuple(allowed)
        for key in value:
            if key in allowed:
                continue
            hint = _USE_A_SOURCE if key == "password" else (hints or {}).get(key)
            if hint is None:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                hint = "unknown key" + (f'; did you mean "{close[0]}"?' if close else "")
                if not close:
                    hint += " (valid keys: " + ", ".join(allowed) + ")"
            self.error((*path, key), hint)
        return value

    def array_of_tables(self, value: object, path: KeyPath) -> list[object]:
        if isinstance(value, list):
            return value
        name = _dotted(path)
        self.error(path, f"expected an array of tables ([[{name}]]), got {_kind(value)}")
        return []

    # scalars

    def string(
        self,
        table: Mapping[str, Any],
        path: KeyPath,
        key: str,
        *,
        required: bool = False,
        choices: Iterable[str] | None = None,
        multiline: bool = False,
    ) -> str | None:
        """A non-empty string, or None when absent (reported if ``required``) or wrong."""
        if key not in table:
            if required:
                self.error((*path, key), "required key is missing", at=path)
            return None
        value = table[key]
        secret = _is_secret_key(key)
        if not isinstance(value, str):
            self.type_error((*path, key), "a string", value)
            return None
        if not value.strip():
            self.error((*path, key), "must not be empty")
            return None
        if not multiline and _CONTROL.search(value):
            self.error((*path, key), "must be one line without control characters")
            return None
        if choices is not None and value not in (choices := tuple(choices)):
            self.error(
                (*path, key),
                f"expected {_choices(choices)}, got {_describe(value, secret=secret)}",
            )
            return None
        return value

    def integer(
        self, table: Mapping[str, Any], path: KeyPath, key: str, default: int, low: int, high: int
    ) -> int:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.type_error((*path, key), "an integer", value)
            return default
        if not low <= value <= high:
            self.error((*path, key), f"must be between {low} and {high}, got {value}")
            return default
        return value

    def boolean(self, table: Mapping[str, Any], path: KeyPath, key: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.type_error((*path, key), "true or false", value)
            return default
        return value

    def fraction(self, table: Mapping[str, Any], path: KeyPath, key: str, default: float) -> float:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.type_error((*path, key), "a number between 0 and 1", value)
            return default
        if not 0 <= value <= 1:
            self.error((*path, key), f"must be between 0 and 1, got {value!r}")
            return default
        return float(value)

    def duration(
        self,
        table: Mapping[str, Any],
        path: KeyPath,
        key: str,
        default: timedelta,
        *,
        allow_zero: bool = False,
        low: timedelta | None = None,
        high: timedelta | None = None,
    ) -> timedelta:
        if key not in table:
            return default
        value = table[key]
        if not isinstance(value, str):
            self.type_error((*path, key), 'a duration such as "2d" or "1h30m"', value)
            return default
        try:
            result = parse_duration(value, allow_zero=allow_zero)
        except ValueError as exc:
            self.error((*path, key), str(exc))
            return default
        if low is not None and high is not None and not low <= result <= high:
            span = f"{_format_duration(low)} and {_format_duration(high)}"
            self.error((*path, key), f"must be between {span}, got {json.dumps(value)}")
            return default
        return result

    def send_window(self, table: Mapping[str, Any], path: KeyPath, key: str) -> SendWindow | None:
        """A window such as "Mon-Fri 09:00-17:00", or None when absent or wrong."""
        text = self.string(table, path, key)
        if text is None:
            return None
        try:
            return parse_send_window(text)
        except ValueError as exc:
            self.error((*path, key), str(exc))
            return None

    def zone_name(self, table: Mapping[str, Any], path: KeyPath, key: str) -> str | None:
        """An IANA zone name that zoneinfo knows; checked now, so a typo stops the start."""
        name = (self.string(table, path, key) or "").strip()
        if not name:
            return None
        try:
            ZoneInfo(name)
        except (ValueError, ZoneInfoNotFoundError, OSError):
            self.error((*path, key), f"unknown time zone {_describe(name)}; {_zone_hint(name)}")
            return None
        return name

    def path(
        self, table: Mapping[str, Any], path: KeyPath, key: str, *, kind: str | None = None
    ) -> Path | None:
        """A path from the config: ``~`` expanded, relative to the config's folder.

        ``kind`` ("file" or "directory") asks that it exist already: a typo in
        a CA file or template folder should stop the start, not a login later.
        """
        text = self.string(table, path, key)
        if text is None:
            return None
        try:
            result = Path(text).expanduser()
        except RuntimeError:  # "~someone" for a user this system does not know
            self.error((*path, key), f"cannot expand {_describe(text)}: no such user")
            return None
        if not result.is_absolute():
            result = self.source.absolute().parent / result
        if kind == "file" and not result.is_file():
            self.error((*path, key), f"no such file: {result}")
        elif kind == "directory" and not result.is_dir():
            self.error((*path, key), f"no such directory: {result}")
        return result


def _zone_hint(name: str) -> str:
    """A likely zone, else the expected form.  Only Area/City names are offered as
    close: "CEST" is one letter from "EST", a fixed offset five hours off."""
    known = available_timezones()
    by_case = {zone.lower(): zone for zone in known}
    places = [zone for zone in known if "/" in zone and not zone.startswith("Etc/")]
    close = [by_case[name.lower()]] if name.lower() in by_case else []
    close = close or difflib.get_close_matches(name, places, n=1, cutoff=0.6)
    if close:
        return f'did you mean "{close[0]}"?'
    return (
        'use an IANA name such as "Europe/Berlin" or "America/New_York",'
        " not an abbreviation or an offset"
    )


# -- sections --------------------------------------------------------------------------------


def _check_identity(check: _Checker, data: Mapping[str, Any]) -> Identity:
    path: KeyPath = ("identity",)
    if "identity" not in data:
        check.error(path, "required table is missing; add [identity] with name and email")
        return Identity("", "")
    table = check.table(data["identity"], path, ("name", "email", "signature"))
    if not table:
        if isinstance(data["identity"], dict):
            check.error(path, "name and email are required")
        return Identity("", "")
    name = check.string(table, path, "name", required=True) or ""
    email = check.string(table, path, "email", required=True) or ""
    if email and not _looks_like_address(email):
        check.error((*path, "email"), f"not an email address: {_describe(email)}")
    return Identity(name.strip(), email.strip(), _signature(check, table, path))


SIGNATURE_LINES = 8


def _signature(check: _Checker, table: Mapping[str, Any], path: KeyPath) -> str | None:
    """A few lines of plain text: no control characters but line breaks."""
    text = check.string(table, path, "signature", multiline=True)
    if text is None:
        return None
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    if len(lines) > SIGNATURE_LINES:
        check.error((*path, "signature"), f"at most {SIGNATURE_LINES} lines, not {len(lines)}")
        return None
    if any(_CONTROL.search(line) for line in lines):
        check.error((*path, "signature"), "must hold only text and line breaks")
        return None
    return "\n".join(lines)


def _looks_like_address(text: str) -> bool:
    local, at, domain = text.strip().rpartition("@")
    return bool(at and local and domain and not re.search(r"\s|[<>,;]", text.strip()))


def _check_host(check: _Checker, table: Mapping[str, Any], path: KeyPath) -> str:
    host = check.string(table, path, "host", required=True) or ""
    if "://" in host or "/" in host:
        check.error((*path, "host"), f"a host name, not a URL: {_describe(host)}")
    elif ":" in host and not is_loopback(host) and not _is_ip(host):
        check.error(
            (*path, "host"), f"a host name without a port (set port = ...): {_describe(host)}"
        )
    return host.strip()


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def _check_security(
    check: _Checker, table: Mapping[str, Any], path: KeyPath, host: str, ports: Mapping[str, int]
) -> tuple[str, int]:
    security = check.string(table, path, "security", choices=SECURITY_MODES) or "tls"
    if security == "none" and host and not is_loopback(host):
        check.error(
            (*path, "security"),
            '"none" would send the password unencrypted; it is allowed only for a loopback'
            f' host (localhost, 127.0.0.0/8, ::1), not {_describe(host)}; use "tls" or "starttls"',
        )
    port = check.integer(table, path, "port", ports[security], 1, 65535)
    return security, port


def _check_secret(
    check: _Checker, table: Mapping[str, Any], path: KeyPath, label: str, keyring_user: str
) -> SecretSource:
    command = check.string(table, path, "password_command", multiline=True)
    env = check.string(table, path, "password_env")
    if env is not None and not ENV_NAME.fullmatch(env):
        # Never shown: someone may have put the password itself here.
        check.error(
            (*path, "password_env"),
            "must be the name of an environment variable (letters, digits and _),"
            " not the password itself",
        )
        env = None
    keyring = check.boolean(table, path, "password_keyring", False)
    given = [key for key in _PASSWORD_SOURCES if key in table]
    if len(given) > 1:
        check.error(
            (*path, given[1]),
            f"set only one password source, not both {given[0]} and {given[1]}",
        )
    elif not given and "password" not in table:
        check.error(
            path,
            "no password source; set password_command, password_env or password_keyring = true",
        )
    elif given == ["password_keyring"] and table["password_keyring"] is False:
        check.error((*path, "password_keyring"), "is false and no other password source is set")
    return SecretSource(command, env, keyring, label, keyring_user)


def _check_accounts(check: _Checker, data: Mapping[str, Any]) -> tuple[AccountConfig, ...]:
    if "accounts" not in data:
        check.error(("accounts",), "at least one [[accounts]] table is required")
        return ()
    items = check.array_of_tables(data["accounts"], ("accounts",))
    if isinstance(data["accounts"], list) and not items:
        check.error(("accounts",), "at least one [[accounts]] table is required")
    accounts: list[AccountConfig] = []
    first_use: dict[str, int] = {}
    for index, item in enumerate(items):
        path: KeyPath = ("accounts", index)
        table = check.table(item, path, _ACCOUNT_KEYS)
        if not isinstance(item, dict):
            continue
        host = _check_host(check, table, path)
        username = (check.string(table, path, "username", required=True) or "").strip()
        given_name = check.string(table, path, "name")
        name = (given_name or "").strip() or (username if "@" in username else f"{username}@{host}")
        if name in first_use:
            check.error(
                (*path, "name"),
                f"{_describe(name)} is already the name of accounts[{first_use[name]}];"
                " account names must be unique",
            )
        first_use.setdefault(name, index)
        security, port = _check_security(check, table, path, host, IMAP_PORTS)
        secret = _check_secret(
            check, table, path, f"accounts[{index}] ({name})", f"{username}@{host}"
        )
        accounts.append(
            AccountConfig(
                name=name,
                host=host,
                port=port,
                security=security,
                username=username,
                password=secret,
                inbox=check.string(table, path, "inbox") or "INBOX",
                drafts=check.string(table, path, "drafts"),
                sent=check.string(table, path, "sent"),
                ca_file=check.path(table, path, "ca_file", kind="file"),
                idle_refresh=check.duration(
                    table,
                    path,
                    "idle_refresh",
                    DEFAULT_IDLE_REFRESH,
                    low=IDLE_REFRESH_RANGE[0],
                    high=IDLE_REFRESH_RANGE[1],
                ),
                poll_interval=check.duration(table, path, "poll_interval", DEFAULT_POLL_INTERVAL),
                auth=check.string(table, path, "auth", choices=AUTH_MODES) or "password",
            )
        )
    return tuple(accounts)


def _check_smtp(check: _Checker, data: Mapping[str, Any]) -> SmtpConfig | None:
    if "smtp" not in data:
        return None
    path: KeyPath = ("smtp",)
    table = check.table(data["smtp"], path, _SMTP_KEYS)
    if not isinstance(data["smtp"], dict):
        return None
    host = _check_host(check, table, path)
    username = (check.string(table, path, "username", required=True) or "").strip()
    security, port = _check_security(check, table, path, host, SMTP_PORTS)
    secret = _check_secret(check, table, path, "smtp", f"{username}@{host}")
    ca_file = check.path(table, path, "ca_file", kind="file")
    copy_to_sent = check.boolean(table, path, "copy_to_sent", True)
    auth = check.string(table, path, "auth", choices=AUTH_MODES) or "password"
    return SmtpConfig(host, port, security, username, secret, ca_file, copy_to_sent, auth)


def _policy_value(check: _Checker, table: Mapping[str, Any], path: KeyPath, key: str) -> Any:
    """One policy key, converted.  The defaults given to the checks are placeholders:
    ``_policy_values`` tells a wrong value by the problem it adds."""
    if key == "mode":
        return check.string(table, path, key, choices=MODES)
    if key in ("wait", "expire", "lookback", "history"):
        # A zero wait is a real choice: act as soon as the rejection is seen; a zero
        # history reads no earlier mail.
        return check.duration(table, path, key, timedelta(0), allow_zero=key in ("wait", "history"))
    if key == "min_confidence":
        return check.fraction(table, path, key, 0.0)
    if key == "thank_you":
        return check.boolean(table, path, key, False)
    if key == "send_window":
        return check.send_window(table, path, key)
    return check.zone_name(table, path, key)  # timezone


def _policy_values(
    check: _Checker, table: Mapping[str, Any], path: KeyPath, keys: Iterable[str]
) -> dict[str, Any]:
    """The policy keys written in ``table``, converted; a key with a wrong value is left out,
    so that later checks which combine keys do not report it a second time."""
    values: dict[str, Any] = {}
    for key in keys:
        if key in table:
            before = check.count
            value = _policy_value(check, table, path, key)
            if check.count == before and value is not None:
                values[key] = value
    return values


def _check_wait_before_expire(
    check: _Checker,
    path: KeyPath,
    table: Mapping[str, Any],
    given: Mapping[str, Any],
    policy: Policy,
    origin: str,
) -> None:
    """A request that lapses before it is due would never be made: say so at the key
    this table set (expire if it set both); ``origin`` says where the other value is from.

    ``given`` holds the keys of ``table`` that were valid; a wrong one is already
    reported, and comparing the value standing in for it would only mislead.
    """
    if policy.wait < policy.expire or any(k in table and k not in given for k in _LAPSE_KEYS):
        return
    wait = json.dumps(_format_duration(policy.wait))
    expire = json.dumps(_format_duration(policy.expire))
    lapses = "a request lapses when expire has passed, so it would never fall due"
    if "expire" in given:
        source = "set here" if "wait" in given else origin
        check.error(
            (*path, "expire"),
            f"{expire} must be longer than wait = {wait} ({source}); {lapses}",
        )
    elif "wait" in given:
        check.error(
            (*path, "wait"),
            f"{wait} must be shorter than expire = {expire} ({origin}); {lapses}",
        )


def _check_policy(check: _Checker, data: Mapping[str, Any]) -> Policy:
    path: KeyPath = ("policy",)
    table = check.table(data.get("policy", {}), path, _POLICY_KEYS)
    values = _policy_values(check, table, path, _POLICY_KEYS)
    policy = dataclasses.replace(Policy(), **values)
    _check_wait_before_expire(check, path, table, values, policy, "the default")
    return policy


def _matcher_values(check: _Checker, value: object, path: KeyPath) -> list[tuple[KeyPath, str]]:
    """A matcher's strings with their own key paths; a single string counts as a list of one."""
    if isinstance(value, str):
        items: list[tuple[KeyPath, object]] = [(path, value)]
    elif isinstance(value, list):
        if not value:
            check.error(path, "must not be an empty list")
        items = [((*path, index), item) for index, item in enumerate(value)]
    else:
        check.type_error(path, "a string or a list of strings", value)
        return []
    out = []
    for item_path, item in items:
        if not isinstance(item, str):
            check.type_error(item_path, "a string", item)
        elif not item.strip():
            check.error(item_path, "must not be empty")
        else:
            out.append((item_path, item))
    return out


def _check_match(check: _Checker, value: object, path: KeyPath) -> RuleMatch:
    table = check.table(value, path, _MATCHERS)
    if isinstance(value, dict) and not value:
        check.error(path, "needs at least one matcher: " + ", ".join(_MATCHERS))
    found: dict[str, tuple[Any, ...]] = {}
    for key in _MATCHERS:
        if key not in table:
            continue
        values = _matcher_values(check, table[key], (*path, key))
        converted: list[Any] = []
        for item_path, item in values:
            text = item.strip()
            if key == "from":
                address = text.lower().strip("<>")
                if not _looks_like_address(address):
                    check.error(
                        item_path,
                        f"not an email address: {_describe(item)}"
                        + ("; use from_domain for a domain" if "@" not in item else ""),
                    )
                converted.append(address)
            elif key == "from_domain":
                # "*.example" means what "example" already does: the domain and every
                # subdomain.  Any other wildcard would silently never match.
                domain = text.lower().removeprefix("@").removeprefix("*.").removesuffix(".")
                if not domain or re.search(r"[\s@/<>*?]", domain):
                    check.error(
                        item_path,
                        f"not a domain name: {_describe(item)} (a domain matches its"
                        " subdomains too, so no wildcard is needed)",
                    )
                converted.append(domain)
            elif key in ("subject", "body"):
                try:
                    converted.append(linear_pattern(item))
                except re2.error as exc:
                    check.error(item_path, f"bad regular expression {_describe(item)}: {exc}")
            elif key == "company":
                converted.append(text.casefold())
            elif key == "label" and text not in LABELS:
                check.error(item_path, f"expected {_choices(LABELS)}, got {_describe(item)}")
            elif key == "language" and text not in LANGUAGES:
                check.error(item_path, f"expected {_choices(LANGUAGES)}, got {_describe(item)}")
            else:
                converted.append(text)
        found["from_" if key == "from" else key] = tuple(converted)
    return RuleMatch(**found)


def _check_rules(check: _Checker, data: Mapping[str, Any], policy: Policy) -> tuple[Rule, ...]:
    if "rules" not in data:
        return ()
    rules: list[Rule] = []
    first_use: dict[str, int] = {}
    for index, item in enumerate(check.array_of_tables(data["rules"], ("rules",))):
        path: KeyPath = ("rules", index)
        table = check.table(item, path, _RULE_KEYS, _RULE_HINTS)
        if not isinstance(item, dict):
            continue
        name = (check.string(table, path, "name") or "").strip() or f"rules[{index}]"
        if name in first_use:
            check.error(
                (*path, "name"),
                f"{_describe(name)} is already the name of rules[{first_use[name]}];"
                " rule names must be unique, since reasons and explain name the rule",
            )
        first_use.setdefault(name, index)
        if "match" in table:
            match = _check_match(check, table["match"], (*path, "match"))
        else:
            check.error((*path, "match"), "required key is missing", at=path)
            match = RuleMatch()
        action = check.string(table, path, "action", choices=ACTIONS)
        label = check.string(table, path, "label", choices=LABELS)
        template = check.string(table, path, "template")
        if template is not None and not _TEMPLATE_NAME.fullmatch(template):
            check.error(
                (*path, "template"),
                'a template name such as "feedback_request_detailed", not a path:'
                f" {_describe(template)}",
            )
        overrides = _policy_values(check, table, path, _RULE_OVERRIDES)
        if "mode" in overrides and action is not None and action != overrides["mode"]:
            check.error(
                (*path, "mode"),
                f"contradicts action = {json.dumps(action)}; set only action",
            )
        if not (set(table) & {"action", "label", "template", *_RULE_OVERRIDES}):
            check.error(
                path,
                "this rule does nothing: give it an action, a label, a template or one of "
                + ", ".join(_RULE_OVERRIDES),
            )
        rule = Rule(name, match, action, label, overrides, template)
        origin = _origin(data, overrides)
        _check_wait_before_expire(check, path, table, overrides, rule.policy(policy), origin)
        rules.append(rule)
    return tuple(rules)


def _origin(data: Mapping[str, Any], overrides: Mapping[str, Any]) -> str:
    """Where a rule's wait or expire comes from when the rule leaves it to the policy."""
    key = "wait" if "expire" in overrides else "expire"
    written = isinstance(data.get("policy"), dict) and key in data["policy"]
    return f"from policy.{key}" if written else "the default"


def sends(policy: Policy, rules: tuple[Rule, ...]) -> list[tuple[KeyPath, str]]:
    """What in the config can send mail, with where it says so: the policy's mode, a
    rule's action, or a rule's own ``mode``.  Empty when everything is drafted."""
    reasons: list[tuple[KeyPath, str]] = []
    if policy.mode == "send":
        reasons.append((("policy", "mode"), 'policy.mode = "send"'))
    for index, rule in enumerate(rules):
        if rule.action == "send" or rule.overrides.get("mode") == "send":
            key = "action" if rule.action == "send" else "mode"
            reasons.append((("rules", index, key), f"rules[{index}] ({rule.name}) sends"))
    return reasons


def _check_config(check: _Checker, data: Mapping[str, Any]) -> Config:
    check.table(data, (), _TOP_KEYS)
    identity = _check_identity(check, data)
    accounts = _check_accounts(check, data)
    smtp = _check_smtp(check, data)
    policy = _check_policy(check, data)
    rules = _check_rules(check, data, policy)
    if smtp is None and "smtp" not in data and (senders := sends(policy, rules)):
        where, why = senders[0]
        check.error(("smtp",), f"a [smtp] table is required because {why}", at=where)

    templates = check.table(data.get("templates", {}), ("templates",), ("dir",))
    templates_dir = check.path(templates, ("templates",), "dir", kind="directory")
    state = check.table(data.get("state", {}), ("state",), ("path",))
    state_path = check.path(state, ("state",), "path") or default_state_path()
    return Config(
        identity=identity,
        accounts=accounts,
        smtp=smtp,
        policy=policy,
        rules=rules,
        templates_dir=templates_dir,
        state_path=state_path,
        source=check.source,
    )


# -- loading ---------------------------------------------------------------------------------

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$")


def _read(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            [
                f"{path}: no config file here; `debriefer init` writes one (or copy"
                " config.example.toml there and edit it), or pass --config PATH"
            ]
        ) from None
    except IsADirectoryError:
        raise ConfigError([f"{path}: is a directory, not a config file"]) from None
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Name the line only: the bytes around it may be part of a password.
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError([f"{path}:{line}: not valid UTF-8 text"]) from None


# Deeper than any real config; tomllib itself gives up near Python's recursion limit.
MAX_NESTING = 100


def _too_deep(text: str) -> int:
    """The line where brackets and braces first nest deeper than MAX_NESTING (a rough
    count that ignores quoting: it only has to point near the place)."""
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        for char in line:
            depth += (char in "[{") - (char in "]}")
            if depth > MAX_NESTING:
                return number
    return 1


def load_config(path: Path | None = None) -> Config:
    """Read, parse and check the config at ``path`` (default: ``default_config_path()``).

    Raises ``ConfigError`` with every problem found; passwords are not
    resolved here, only where they come from is checked.
    """
    source = (path or default_config_path()).expanduser()
    text = _read(source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = _TOML_POSITION.search(message)
        where = f"{source}:"
        if position and position.group(1):
            where = f"{source}:{position.group(1)}:{position.group(2)}:"
        if position:
            message = message[: position.start()]
        raise ConfigError([f"{where} TOML syntax error: {message}"]) from None
    except RecursionError:  # tomllib recurses once per level of [ and {
        line = _too_deep(text)
        raise ConfigError(
            [f"{source}:{line}: lists or tables nested too deeply (more than {MAX_NESTING} levels)"]
        ) from None
    check = _Checker(source, _Locator(text))
    config = _check_config(check, data)
    if check.problems:
        raise ConfigError(check.problems)
    return config
