"""Reading a config file and checking every key into a ``Config``: all problems are collected,
each as ``file:line: key: message``, before any is reported, so a user fixes them in one
round.  No message built here ever shows the value of a ``password*`` key."""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import re2

from classifiers.language import LANGUAGES
from daemon.errors import UserError
from decide.window import SendWindow

from .locate import _BARE_KEY, _Locator
from .model import (
    ACTIONS,
    AUTH_MODES,
    DEFAULT_IDLE_REFRESH,
    DEFAULT_POLL_INTERVAL,
    IDLE_REFRESH_RANGE,
    IMAP_PORTS,
    LABELS,
    MODES,
    SECURITY_MODES,
    SMTP_PORTS,
    AccountConfig,
    Config,
    Identity,
    KeyPath,
    Policy,
    Rule,
    RuleMatch,
    SecretSource,
    SmtpConfig,
    linear_pattern,
    sends,
)
from .values import (
    _format_duration,
    _is_ip,
    _looks_like_address,
    _zone_hint,
    default_config_path,
    default_state_path,
    is_loopback,
    parse_duration,
    parse_send_window,
)


class ConfigError(UserError):
    """The config cannot be used; ``problems`` holds one line per problem, all of them."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


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


def _check_host(check: _Checker, table: Mapping[str, Any], path: KeyPath) -> str:
    host = check.string(table, path, "host", required=True) or ""
    if "://" in host or "/" in host:
        check.error((*path, "host"), f"a host name, not a URL: {_describe(host)}")
    elif ":" in host and not is_loopback(host) and not _is_ip(host):
        check.error(
            (*path, "host"), f"a host name without a port (set port = ...): {_describe(host)}"
        )
    return host.strip()


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
