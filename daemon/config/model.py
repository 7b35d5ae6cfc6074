"""The frozen result of loading a config: ``Config`` and the dataclasses it holds.

Free of file reading and TOML parsing, so that pure code may import it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import timedelta, tzinfo
from email.utils import parseaddr
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import re2

from classifiers.verdict import Label
from daemon.config.values import local_zone
from decide.window import SendWindow

# Where a value is written in the TOML, e.g. ("accounts", 0, "port").
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


def user_addresses(config: Config, account: AccountConfig) -> frozenset[str]:
    """The user's own addresses on this account: the identity's, and the login when it is one."""
    addresses = {config.identity.email.lower()}
    if "@" in account.username:
        addresses.add(account.username.lower())
    return frozenset(addresses)
