"""The config file: every mistake is reported with its line and key, all at once."""

from __future__ import annotations

import dataclasses
import logging
import re
from datetime import UTC, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from daemon.cli import main
from daemon.config import (
    _ACCOUNT_KEYS,
    _MATCHERS,
    _POLICY_KEYS,
    _RULE_KEYS,
    _SMTP_KEYS,
    _TOP_KEYS,
    Config,
    ConfigError,
    Policy,
    RuleMatch,
    SendWindow,
    default_config_path,
    default_state_path,
    is_loopback,
    load_config,
    parse_duration,
    parse_send_window,
)
from daemon.config import values as zones
from daemon.errors import UserError

ROOT = Path(__file__).resolve().parents[1]
CANARY = "hunter2-Tr0ub4dor"  # planted in inputs; must never come out in a message or log

IDENTITY = '[identity]\nname = "Ada Lovelace"\nemail = "ada@example.org"\n'
ACCOUNT = (
    '\n[[accounts]]\nname = "main"\nhost = "imap.example.org"\n'
    'username = "ada@example.org"\npassword_command = "pass show mail/ada"\n'
)
VALID = IDENTITY + ACCOUNT
SMTP = (
    '\n[smtp]\nhost = "smtp.example.org"\nusername = "ada@example.org"\n'
    'password_env = "SMTP_PASSWORD"\n'
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value.problems


def where(path: Path, text: str) -> str:
    """``file:line:`` for the line a case marks with ``# <-``; just ``file:`` if none is."""
    lines = [n for n, row in enumerate(text.splitlines(), 1) if "# <-" in row]
    assert len(lines) <= 1
    return f"{path}:{lines[0]}:" if lines else f"{path}:"


# id: (config text with the offending line marked, key named, words the message must contain)
ERRORS: dict[str, tuple[str, str, str]] = {
    "unknown top-level table": (VALID + "[polcy]  # <-\n", "polcy", 'did you mean "policy"'),
    "unknown account key": (VALID + 'hots = "x"  # <-\n', "accounts[0].hots", '"host"'),
    "unknown key, nothing close": (
        VALID + "frobnicate = 1  # <-\n",
        "accounts[0].frobnicate",
        "unknown key (valid keys: name, host",
    ),
    "port as a string": (
        VALID + 'port = "993"  # <-\n',
        "accounts[0].port",
        'expected an integer, got "993"',
    ),
    "port as a boolean": (
        VALID + "port = true  # <-\n",
        "accounts[0].port",
        "expected an integer, got true",
    ),
    "port as a float": (VALID + "port = 993.0  # <-\n", "accounts[0].port", "got 993.0"),
    "port out of range": (
        VALID + "port = 70000  # <-\n",
        "accounts[0].port",
        "between 1 and 65535, got 70000",
    ),
    "port zero": (VALID + "port = 0  # <-\n", "accounts[0].port", "between 1 and 65535"),
    "unknown security": (
        VALID + 'security = "tsl"  # <-\n',
        "accounts[0].security",
        'expected "tls", "starttls" or "none", got "tsl"',
    ),
    "unknown auth": (
        VALID + 'auth = "oauth"  # <-\n',
        "accounts[0].auth",
        'expected "password" or "oauth2", got "oauth"',
    ),
    "unknown smtp auth": (
        VALID + SMTP + 'auth = "xoauth2"  # <-\n',
        "smtp.auth",
        'expected "password" or "oauth2", got "xoauth2"',
    ),
    "plain text to a remote host": (
        VALID + 'security = "none"  # <-\n',
        "accounts[0].security",
        'loopback host (localhost, 127.0.0.0/8, ::1), not "imap.example.org"',
    ),
    "missing identity": (ACCOUNT, "identity", "required table is missing; add [identity]"),
    "missing identity.email": (
        '[identity]  # <-\nname = "Ada"\n' + ACCOUNT,
        "identity.email",
        "required key is missing",
    ),
    "missing identity.name": (
        '[identity]  # <-\nemail = "ada@example.org"\n' + ACCOUNT,
        "identity.name",
        "required key is missing",
    ),
    "signature too long": (
        '[identity]\nname = "Ada"\nemail = "ada@example.org"\nsignature = "'
        + "\\n".join(f"line {n}" for n in range(9))
        + '"  # <-\n'
        + ACCOUNT,
        "identity.signature",
        "at most 8 lines, not 9",
    ),
    "signature with a tab": (
        '[identity]\nname = "Ada"\nemail = "ada@example.org"\nsignature = "Ada\\tLovelace"  # <-\n'
        + ACCOUNT,
        "identity.signature",
        "only text and line breaks",
    ),
    "identity is not a table": (
        'identity = "Ada"  # <-\n' + ACCOUNT,
        "identity",
        'expected a table, got "Ada"',
    ),
    "email is not an address": (
        '[identity]\nname = "Ada"\nemail = "ada at example.org"  # <-\n' + ACCOUNT,
        "identity.email",
        'not an email address: "ada at example.org"',
    ),
    "name with a line break": (
        '[identity]\nname = "Ada\\nBcc: x@evil.example"  # <-\nemail = "ada@example.org"\n'
        + ACCOUNT,
        "identity.name",
        "one line",
    ),
    "empty string": (
        IDENTITY + ACCOUNT.replace('host = "imap.example.org"', 'host = ""  # <-'),
        "accounts[0].host",
        "must not be empty",
    ),
    "host is a URL": (
        IDENTITY + ACCOUNT.replace('"imap.example.org"', '"imaps://imap.example.org"  # <-'),
        "accounts[0].host",
        "not a URL",
    ),
    "host with a port": (
        IDENTITY + ACCOUNT.replace('"imap.example.org"', '"imap.example.org:993"  # <-'),
        "accounts[0].host",
        "without a port",
    ),
    "missing host": (
        IDENTITY + '[[accounts]]  # <-\nusername = "ada"\npassword_env = "PW"\n',
        "accounts[0].host",
        "required key is missing",
    ),
    "missing username": (
        IDENTITY + '[[accounts]]  # <-\nhost = "imap.example.org"\npassword_env = "PW"\n',
        "accounts[0].username",
        "required key is missing",
    ),
    "no accounts": (IDENTITY + "[policy]\n", "accounts", "at least one [[accounts]]"),
    "empty accounts array": ("accounts = []  # <-\n" + IDENTITY, "accounts", "at least one"),
    "accounts as a single table": (
        IDENTITY + '[accounts]  # <-\nhost = "imap.example.org"\n',
        "accounts",
        "expected an array of tables ([[accounts]]), got a table",
    ),
    "duplicate account names": (
        VALID + ACCOUNT.replace('name = "main"', 'name = "main"  # <-'),
        "accounts[1].name",
        '"main" is already the name of accounts[0]',
    ),
    "duplicate default names": (
        IDENTITY
        + ACCOUNT.replace('name = "main"\n', "")
        + ACCOUNT.replace('name = "main"\n', "").replace("[[accounts]]", "[[accounts]]  # <-"),
        "accounts[1].name",
        '"ada@example.org" is already the name of accounts[0]',
    ),
    "no password source": (
        IDENTITY
        + ACCOUNT.replace("[[accounts]]", "[[accounts]]  # <-").replace(
            'password_command = "pass show mail/ada"\n', ""
        ),
        "accounts[0]",
        "no password source; set password_command, password_env or password_keyring = true",
    ),
    "two password sources": (
        VALID + 'password_env = "IMAP_PASSWORD"  # <-\n',
        "accounts[0].password_env",
        "only one password source, not both password_command and password_env",
    ),
    "keyring false and nothing else": (
        IDENTITY
        + ACCOUNT.replace(
            'password_command = "pass show mail/ada"', "password_keyring = false  # <-"
        ),
        "accounts[0].password_keyring",
        "is false",
    ),
    "password_command not a string": (
        IDENTITY + ACCOUNT.replace('"pass show mail/ada"', "['pass', 'show']  # <-"),
        "accounts[0].password_command",
        "expected a string, got an array",
    ),
    "bad duration": (
        VALID + '[policy]\nwait = "2x"  # <-\n',
        "policy.wait",
        'not a duration: "2x"',
    ),
    "negative duration": (
        VALID + '[policy]\nlookback = "-1d"  # <-\n',
        "policy.lookback",
        "negative",
    ),
    "zero lookback": (VALID + '[policy]\nlookback = "0s"  # <-\n', "policy.lookback", "zero"),
    "duration as a number": (
        VALID + "[policy]\nwait = 172800  # <-\n",
        "policy.wait",
        'expected a duration such as "2d" or "1h30m", got 172800',
    ),
    "idle_refresh too long": (
        VALID + 'idle_refresh = "30m"  # <-\n',
        "accounts[0].idle_refresh",
        'between 1m and 29m, got "30m"',
    ),
    "idle_refresh too short": (
        VALID + 'idle_refresh = "30s"  # <-\n',
        "accounts[0].idle_refresh",
        "between 1m and 29m",
    ),
    "poll_interval zero": (
        VALID + 'poll_interval = "0s"  # <-\n',
        "accounts[0].poll_interval",
        "zero",
    ),
    "min_confidence above 1": (
        VALID + "[policy]\nmin_confidence = 1.5  # <-\n",
        "policy.min_confidence",
        "between 0 and 1, got 1.5",
    ),
    "min_confidence as a string": (
        VALID + '[policy]\nmin_confidence = "0.8"  # <-\n',
        "policy.min_confidence",
        'expected a number between 0 and 1, got "0.8"',
    ),
    "thank_you as a string": (
        VALID + '[policy]\nthank_you = "yes"  # <-\n',
        "policy.thank_you",
        'expected true or false, got "yes"',
    ),
    "unknown mode": (
        VALID + '[policy]\nmode = "auto"  # <-\n',
        "policy.mode",
        'expected "draft" or "send", got "auto"',
    ),
    "send without smtp": (
        VALID + '[policy]\nmode = "send"  # <-\n',
        "smtp",
        'a [smtp] table is required because policy.mode = "send"',
    ),
    "a sending rule without smtp": (
        VALID
        + '[[rules]]\nname = "eager"\nmatch = { company = "Contoso" }\naction = "send"  # <-\n',
        "smtp",
        "rules[0] (eager) sends",
    ),
    "smtp in clear text to a remote host": (
        VALID + SMTP + 'security = "none"  # <-\n',
        "smtp.security",
        'not "smtp.example.org"',
    ),
    "smtp without a username": (
        VALID
        + SMTP.replace('username = "ada@example.org"\n', "").replace("[smtp]", "[smtp]  # <-"),
        "smtp.username",
        "required key is missing",
    ),
    "bad regular expression": (
        VALID
        + '[[rules]]\nname = "r"\nmatch = { body = ["(?i)we (will not"] }  # <-\nlabel = "rejection"\n',
        "rules[0].match.body[0]",
        'bad regular expression "(?i)we (will not": missing ): (?i)we (will not (rules use RE2',
    ),
    "bad regular expression as a single string": (
        VALID + '[[rules]]\nname = "r"\nmatch = { subject = "[" }  # <-\nlabel = "other"\n',
        "rules[0].match.subject",
        "missing ]",
    ),
    "a backreference RE2 cannot run in linear time": (
        VALID
        + '[[rules]]\nname = "r"\nmatch = { subject = "(Absage) \\\\1" }  # <-\nlabel = "other"\n',
        "rules[0].match.subject",
        "no backreferences or lookaround",
    ),
    "unknown matcher": (
        VALID
        + '[[rules]]\nname = "r"\nmatch = { sender = "a@b.example" }  # <-\naction = "ignore"\n',
        "rules[0].match.sender",
        "unknown key",
    ),
    "misspelt matcher": (
        VALID
        + '[[rules]]\nname = "r"\naction = "ignore"\n[rules.match]\nfrom_ = "a@b.example"  # <-\n',
        "rules[0].match.from_",
        'did you mean "from"',
    ),
    "empty match": (
        VALID + '[[rules]]\nname = "r"\nmatch = {}  # <-\naction = "ignore"\n',
        "rules[0].match",
        "at least one matcher",
    ),
    "empty matcher list": (
        VALID + '[[rules]]\nname = "r"\nmatch = { company = [] }  # <-\naction = "ignore"\n',
        "rules[0].match.company",
        "must not be an empty list",
    ),
    "matcher value not a string": (
        VALID
        + '[[rules]]\nname = "r"\naction = "ignore"\nmatch = { company = [\n  "Contoso",\n  42,  # <-\n] }\n',
        "rules[0].match.company[1]",
        "expected a string, got 42",
    ),
    "missing match": (
        VALID + '[[rules]]  # <-\nname = "r"\naction = "ignore"\n',
        "rules[0].match",
        "required key is missing",
    ),
    "rule label": (
        VALID + '[[rules]]\nname = "r"\nmatch = { company = "X" }\nlabel = "spam"  # <-\n',
        "rules[0].label",
        'expected "rejection", "feedback_reply" or "other", got "spam"',
    ),
    "label matcher": (
        VALID + '[[rules]]\nname = "r"\naction = "ignore"\nmatch.label = "rejected"  # <-\n',
        "rules[0].match.label",
        'got "rejected"',
    ),
    "language matcher": (
        VALID + '[[rules]]\nname = "r"\naction = "ignore"\nmatch.language = ["en", "sv"]  # <-\n',
        "rules[0].match.language[1]",
        'expected "en", "de", "fr", "es", "nl", "it" or "pt", got "sv"',
    ),
    "from matcher without an address": (
        VALID + '[[rules]]\nname = "r"\naction = "ignore"\nmatch.from = "initech.example"  # <-\n',
        "rules[0].match.from",
        "use from_domain",
    ),
    "unknown action": (
        VALID + '[[rules]]\nname = "r"\nmatch = { company = "X" }\naction = "delete"  # <-\n',
        "rules[0].action",
        'expected "ignore", "draft" or "send", got "delete"',
    ),
    "rule that does nothing": (
        VALID + '[[rules]]  # <-\nname = "r"\nmatch = { company = "X" }\n',
        "rules[0]",
        "this rule does nothing",
    ),
    "lookback per rule": (
        VALID
        + '[[rules]]\nname = "r"\nmatch.company = "X"\naction = "draft"\nlookback = "3d"  # <-\n',
        "rules[0].lookback",
        "cannot be set per rule",
    ),
    "mode contradicts action": (
        VALID
        + SMTP
        + '[[rules]]\nname = "r"\nmatch = { company = "X" }\naction = "draft"\nmode = "send"  # <-\n',
        "rules[0].mode",
        'contradicts action = "draft"',
    ),
    "bad duration in a rule": (
        VALID + '[[rules]]\nname = "r"\nmatch = { company = "X" }\nwait = "5 days"  # <-\n',
        "rules[0].wait",
        "not a duration",
    ),
    "expire zero": (VALID + '[policy]\nexpire = "0s"  # <-\n', "policy.expire", "is zero"),
    "expire not a duration": (
        VALID + '[policy]\nexpire = "a week"  # <-\n',
        "policy.expire",
        'not a duration: "a week"',
    ),
    "wait not shorter than the default expire": (
        VALID + '[policy]\nwait = "7d"  # <-\n',
        "policy.wait",
        '"7d" must be shorter than expire = "7d" (the default); a request lapses',
    ),
    "expire not longer than the default wait": (
        VALID + '[policy]\nexpire = "1d"  # <-\n',
        "policy.expire",
        '"1d" must be longer than wait = "2d" (the default)',
    ),
    "wait and expire both set in the policy": (
        VALID + '[policy]\nwait = "3d"\nexpire = "1d12h"  # <-\n',
        "policy.expire",
        '"1d12h" must be longer than wait = "3d" (set here)',
    ),
    "a wrong wait is not compared with expire": (
        VALID + '[policy]\nwait = "3 days"  # <-\nexpire = "1h"\n',
        "policy.wait",
        "not a duration",
    ),
    "a rule's wait against the policy's expire": (
        VALID
        + '[policy]\nexpire = "5d"\n'
        + '[[rules]]\nname = "r"\nmatch = { company = "X" }\nwait = "6d"  # <-\n',
        "rules[0].wait",
        '"6d" must be shorter than expire = "5d" (from policy.expire)',
    ),
    "a rule's expire against the default wait": (
        VALID + '[[rules]]\nname = "r"\nmatch = { company = "X" }\nexpire = "2d"  # <-\n',
        "rules[0].expire",
        '"2d" must be longer than wait = "2d" (the default)',
    ),
    "a rule's expire against the policy's wait": (
        VALID
        + '[policy]\nwait = "1d"\n'
        + '[[rules]]\nname = "r"\nmatch = { company = "X" }\nexpire = "12h"  # <-\n',
        "rules[0].expire",
        '"12h" must be longer than wait = "1d" (from policy.wait)',
    ),
    "a rule's own wait and expire": (
        VALID
        + '[[rules]]\nname = "r"\nmatch = { company = "X" }\n'
        + 'expire = "3d"  # <-\nwait = "4d"\n',
        "rules[0].expire",
        '"3d" must be longer than wait = "4d" (set here)',
    ),
    "a bad policy is reported once, not again for each rule": (
        VALID
        + '[policy]\nwait = "8d"  # <-\n'
        + '[[rules]]\nname = "r"\nmatch = { company = "X" }\nlabel = "other"\n',
        "policy.wait",
        '"8d" must be shorter than expire = "7d" (the default)',
    ),
    "zero expire in a rule": (
        VALID + '[[rules]]\nname = "r"\nmatch = { company = "X" }\nexpire = "0m"  # <-\n',
        "rules[0].expire",
        "is zero",
    ),
    "overnight send window": (
        VALID + '[policy]\nsend_window = "Mon-Fri 22:00-06:00"  # <-\n',
        "policy.send_window",
        '"Mon-Fri 22:00-06:00" ends at or before it starts; a window cannot run overnight',
    ),
    "send window with a full day name": (
        VALID + '[policy]\nsend_window = "Monday-Friday 09:00-17:00"  # <-\n',
        "policy.send_window",
        'unknown day "Monday" in "Monday-Friday 09:00-17:00"; use Mon, Tue, Wed, Thu, Fri,'
        ' Sat, Sun or daily, e.g. "Mon-Fri 09:00-17:00"',
    ),
    "send window without days": (
        VALID + '[policy]\nsend_window = "09:00-17:00"  # <-\n',
        "policy.send_window",
        '"09:00-17:00" names no days; put them before the hours',
    ),
    "send window not a string": (
        VALID + "[policy]\nsend_window = 9  # <-\n",
        "policy.send_window",
        "expected a string, got 9",
    ),
    "send window in a rule": (
        VALID
        + '[[rules]]\nname = "r"\nmatch = { company = "X" }\nsend_window = "Sat 25:00-26:00"  # <-\n',
        "rules[0].send_window",
        '25:00 in "Sat 25:00-26:00" is not a time of day; use 00:00 to 23:59',
    ),
    "misspelt time zone": (
        VALID + '[policy]\ntimezone = "Europe/Berln"  # <-\n',
        "policy.timezone",
        'unknown time zone "Europe/Berln"; did you mean "Europe/Berlin"?',
    ),
    "time zone in the wrong case": (
        VALID + '[policy]\ntimezone = "europe/berlin"  # <-\n',
        "policy.timezone",
        'did you mean "Europe/Berlin"?',
    ),
    "time zone abbreviation": (
        VALID + '[policy]\ntimezone = "CEST"  # <-\n',
        "policy.timezone",
        'unknown time zone "CEST"; use an IANA name such as "Europe/Berlin"',
    ),
    "time zone as a path": (
        VALID + '[policy]\ntimezone = "/etc/localtime"  # <-\n',
        "policy.timezone",
        'unknown time zone "/etc/localtime"',
    ),
    "time zone in a rule": (
        VALID
        + '[[rules]]\nname = "r"\nmatch = { company = "X" }\ntimezone = "Mars/Olympus"  # <-\n',
        "rules[0].timezone",
        'unknown time zone "Mars/Olympus"',
    ),
    "copy_to_sent as a string": (
        VALID + SMTP + 'copy_to_sent = "no"  # <-\n',
        "smtp.copy_to_sent",
        'expected true or false, got "no"',
    ),
    "template as a path": (
        VALID + '[[rules]]\nname = "r"\nmatch = { company = "X" }\ntemplate = "../x"  # <-\n',
        "rules[0].template",
        "not a path",
    ),
    "duplicate rule names": (
        VALID
        + '[[rules]]\nname = "r"\nmatch = { company = "X" }\nlabel = "other"\n'
        + '[[rules]]\nname = "r"  # <-\nmatch = { company = "Y" }\nlabel = "other"\n',
        "rules[1].name",
        "already the name of rules[0]",
    ),
    "second rule, third matcher": (
        VALID
        + '[[rules]]\nname = "a"\nmatch = { company = "X" }\nlabel = "other"\n'
        + '[[rules]]\nname = "b"\nlabel = "other"\n'
        + '[rules.match]\ncompany = "Y"\nsubject = "ok"\nbody = "(bad"  # <-\n',
        "rules[1].match.body",
        "bad regular expression",
    ),
    "rules as a table": (
        VALID + "[rules]  # <-\n",
        "rules",
        "expected an array of tables ([[rules]]), got a table",
    ),
    "missing ca_file": (
        VALID + 'ca_file = "no-such-ca.pem"  # <-\n',
        "accounts[0].ca_file",
        "no such file: ",
    ),
    "missing templates dir": (
        VALID + '[templates]\ndir = "/nonexistent/templates"  # <-\n',
        "templates.dir",
        "no such directory: /nonexistent/templates",
    ),
    "unknown key in state": (
        VALID + '[state]\nfile = "x.db"  # <-\n',
        "state.file",
        "unknown key",
    ),
    "quoted key": (VALID + '"user name" = "x"  # <-\n', 'accounts[0]."user name"', "unknown key"),
    "dotted key under an account": (
        VALID + 'folders.drafts = "Drafts"  # <-\n',
        "accounts[0].folders",
        "unknown key",
    ),
    "second account": (
        VALID + ACCOUNT.replace('"main"', '"work"') + "port = -1  # <-\n",
        "accounts[1].port",
        "between 1 and 65535",
    ),
}


@pytest.mark.parametrize(("text", "key", "words"), ERRORS.values(), ids=ERRORS.keys())
def test_each_error_names_the_line_and_the_key(
    tmp_path: Path, text: str, key: str, words: str
) -> None:
    path = write(tmp_path, text)
    problems = problems_of(path)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{where(path, text)} {key}: "), problems
    assert words in problems[0]


def test_all_problems_are_reported_at_once_in_file_order(tmp_path: Path) -> None:
    text = (
        '[identity]\nname = "Ada"\nemail = "ada@example.org"\ncolour = "blue"\n'
        + ACCOUNT
        + 'port = "993"\nsecurity = "tsl"\n'
        + '[policy]\nwait = "2x"\nmin_confidence = 2\n'
    )
    path = write(tmp_path, text)
    problems = problems_of(path)
    assert [p.split(": ")[0] for p in problems] == [
        f"{path}:4",
        f"{path}:11",
        f"{path}:12",
        f"{path}:14",
        f"{path}:15",
    ]
    assert "identity.colour" in problems[0]
    assert "accounts[0].port" in problems[1]
    assert "policy.min_confidence" in problems[4]


def test_toml_syntax_error_reports_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, VALID + "port = 993 994\n")
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:10:12: TOML syntax error: ")
    assert "(at line" not in problem


def test_a_config_nested_50000_deep_is_one_clear_problem(tmp_path: Path) -> None:
    depth = 50_000
    path = write(tmp_path, VALID + "junk = " + "[" * depth + "]" * depth + "\n")
    (problem,) = problems_of(path)
    line = VALID.count("\n") + 1
    assert problem == f"{path}:{line}: lists or tables nested too deeply (more than 100 levels)"


def test_missing_file_is_one_clear_problem(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "config.toml"
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}: no config file here")
    assert "config.example.toml" in problem


def test_a_directory_is_not_a_config(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path)
    assert "is a directory" in problem


def test_invalid_utf8_names_the_line_only(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(VALID.encode() + b'password_command = "echo s\xe9cret"\n')
    (problem,) = problems_of(path)
    assert problem == f"{path}:10: not valid UTF-8 text"


@pytest.mark.parametrize("verb", ["run", "scan", "status"])
def test_config_error_is_a_user_error_and_the_cli_prints_every_problem(
    verb: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad config stops every verb with one line per problem, no traceback, no start."""
    path = write(tmp_path, VALID + 'port = "993"\nsecurity = "tsl"\n')
    with pytest.raises(UserError):
        load_config(path)
    assert main([verb, "--config", str(path)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        f'debriefer: {path}:10: accounts[0].port: expected an integer, got "993"',
        f'debriefer: {path}:11: accounts[0].security: expected "tls", "starttls" or "none",'
        ' got "tsl"',
    ]


# -- secrets stay out of messages ------------------------------------------------------------

SECRET_LEAKS = {
    "literal password": VALID + f'password = "{CANARY}"\n',
    "literal smtp password": VALID + SMTP + f'password = "{CANARY}"\n',
    "password in password_env": IDENTITY
    + ACCOUNT.replace('password_command = "pass show mail/ada"', f'password_env = "{CANARY}"'),
    "password as keyring flag": IDENTITY
    + ACCOUNT.replace('password_command = "pass show mail/ada"', f'password_keyring = "{CANARY}"'),
    "misspelt password key": VALID + f'passwort = "{CANARY}"\n',
    "password under identity": IDENTITY + f'password = "{CANARY}"\n' + ACCOUNT,
    "password at the top": f'password = "{CANARY}"\n' + VALID,
    "password beside a syntax error": VALID + f'password = "{CANARY}\n',
    "password in a number key": VALID + f'password_command = 1\npassword = "{CANARY}"\n',
}


@pytest.mark.parametrize("text", SECRET_LEAKS.values(), ids=SECRET_LEAKS.keys())
def test_errors_never_show_a_password(
    tmp_path: Path, text: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    shown = str(caught.value) + "\n".join(caught.value.problems) + caplog.text
    assert caught.value.problems
    assert CANARY not in shown
    assert "hunter2" not in shown


def test_a_literal_password_is_refused_with_the_alternatives(tmp_path: Path) -> None:
    path = write(tmp_path, VALID + f'password = "{CANARY}"\n')
    (problem,) = problems_of(path)
    assert problem == (
        f"{path}:10: accounts[0].password: a password may not be written in the config;"
        " use password_command, password_env or password_keyring = true"
    )


# -- durations -------------------------------------------------------------------------------

DURATIONS = {
    "30s": timedelta(seconds=30),
    "15m": timedelta(minutes=15),
    "36h": timedelta(hours=36),
    "2d": timedelta(days=2),
    "1w": timedelta(weeks=1),
    "1h30m": timedelta(hours=1, minutes=30),
    "1d 12h": timedelta(days=1, hours=12),
    " 2d ": timedelta(days=2),
    "1w2d3h4m5s": timedelta(weeks=1, days=2, hours=3, minutes=4, seconds=5),
    "90m": timedelta(minutes=90),
}


@pytest.mark.parametrize(("text", "expected"), DURATIONS.items())
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


BAD_DURATIONS = {
    "": "empty duration",
    "   ": "empty duration",
    "2x": 'not a duration: "2x"',
    "-1d": "negative",
    "0s": "zero",
    "0d0h": "zero",
    "1.5h": "not a duration",
    "30m1h": "not a duration",
    "1h1h": "not a duration",
    "h": "not a duration",
    "2D": "not a duration",
    "2": "not a duration",
    "\uff12d": "not a duration",  # a full-width digit is not a digit here
    "99999999999999d": "too long",
}


@pytest.mark.parametrize(("text", "words"), BAD_DURATIONS.items())
def test_bad_durations(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=re.escape(words)):
        parse_duration(text)


def test_zero_is_allowed_where_it_means_now() -> None:
    assert parse_duration("0s", allow_zero=True) == timedelta(0)


def test_durations_in_the_config(tmp_path: Path) -> None:
    text = (
        VALID
        + 'idle_refresh = "29m"\npoll_interval = "15s"\n'
        + '[policy]\nwait = "0s"\nlookback = "1w"\n'
    )
    config = load_config(write(tmp_path, text))
    assert config.accounts[0].idle_refresh == timedelta(minutes=29)
    assert config.accounts[0].poll_interval == timedelta(seconds=15)
    assert config.policy.wait == timedelta(0)
    assert config.policy.lookback == timedelta(weeks=1)


# -- send windows, time zones ---------------------------------------------------------------

WEEKDAYS = frozenset(range(5))
SEND_WINDOWS = {
    "Mon-Fri 09:00-17:00": (WEEKDAYS, time(9), time(17)),
    "Mon,Wed,Fri 08:30-12:00": (frozenset({0, 2, 4}), time(8, 30), time(12)),
    "Sat-Sun 10:00-18:00": (frozenset({5, 6}), time(10), time(18)),
    "daily 09:00-18:00": (frozenset(range(7)), time(9), time(18)),
    "DAILY 00:00-23:59": (frozenset(range(7)), time(0), time(23, 59)),
    "Fri-Mon 10:00-16:00": (frozenset({4, 5, 6, 0}), time(10), time(16)),
    "Sun-Sat 10:00-16:00": (frozenset(range(7)), time(10), time(16)),
    "Wed-Wed 10:00-16:00": (frozenset({2}), time(10), time(16)),
    "mon, TUE , Thu-fri 7:05-7:06": (frozenset({0, 1, 3, 4}), time(7, 5), time(7, 6)),
    " Sat - Mon  09:00 - 12:00 ": (frozenset({5, 6, 0}), time(9), time(12)),
    "Mon,Mon-Tue 09:00-10:00": (frozenset({0, 1}), time(9), time(10)),
}


@pytest.mark.parametrize(("text", "expected"), SEND_WINDOWS.items(), ids=SEND_WINDOWS.keys())
def test_send_windows(text: str, expected: tuple) -> None:
    assert parse_send_window(text) == SendWindow(*expected, text=text.strip())


BAD_SEND_WINDOWS = {
    "": 'not a send window: ""; write the days, then the hours, e.g. "Mon-Fri 09:00-17:00"',
    "Mon-Fri": "not a send window",
    "Mon-Fri 9-17": "not a send window",
    "Mon-Fri 09:00": "not a send window",
    "Mon-Fri 09:00-17:00 CET": "not a send window",
    "09:00-17:00": '"09:00-17:00" names no days; put them before the hours',
    "Monday 09:00-17:00": 'unknown day "Monday"',
    "weekdays 09:00-17:00": 'unknown day "weekdays"',
    "Mon,,Fri 09:00-17:00": 'a day is missing in "Mon,,Fri 09:00-17:00"',
    "Mon- 09:00-17:00": "a day is missing",
    "daily,Sat 09:00-17:00": 'unknown day "daily"',
    "Mon-Fri 22:00-06:00": "a window cannot run overnight",
    "Mon-Fri 09:00-09:00": "ends at or before it starts",
    "Mon-Fri 24:00-24:30": "24:00 in",
    "Mon-Fri 09:60-10:00": "09:60 in",
}


@pytest.mark.parametrize(("text", "words"), BAD_SEND_WINDOWS.items(), ids=BAD_SEND_WINDOWS.keys())
def test_bad_send_windows(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=re.escape(words)):
        parse_send_window(text)


def test_policy_zone_defaults_to_the_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    zone = load_config(write(tmp_path, VALID)).policy.zone()
    assert isinstance(zone, ZoneInfo)
    assert zone.key == "Asia/Tokyo"
    monkeypatch.delenv("TZ")
    monkeypatch.setattr(zones, "_LOCALTIME", tmp_path / "no-localtime")
    monkeypatch.setattr(zones, "_TIMEZONE_FILE", tmp_path / "no-timezone")
    assert Policy().zone() is UTC
    assert Policy(timezone="Europe/Berlin").zone() is ZoneInfo("Europe/Berlin")


def test_smtp_copies_to_sent_by_default(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, VALID + SMTP))
    assert config.smtp is not None
    assert config.smtp.copy_to_sent is True


# -- loopback --------------------------------------------------------------------------------

LOOPBACK = {
    "localhost": True,
    "LocalHost": True,
    "localhost.": True,
    "127.0.0.1": True,
    "127.4.5.6": True,
    "::1": True,
    "[::1]": True,
    "128.0.0.1": False,
    "10.0.0.1": False,
    "::2": False,
    "0.0.0.0": False,  # noqa: S104 - a host name under test, nothing binds to it
    "localhost.example.org": False,
    "mylocalhost": False,
    "imap.example.org": False,
    "": False,
}


@pytest.mark.parametrize(("host", "expected"), LOOPBACK.items())
def test_loopback(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "::1"])
def test_plain_imap_to_a_loopback_host_is_allowed(tmp_path: Path, host: str) -> None:
    text = IDENTITY + ACCOUNT.replace('"imap.example.org"', f'"{host}"') + 'security = "none"\n'
    account = load_config(write(tmp_path, text)).accounts[0]
    assert (account.security, account.port) == ("none", 143)


# -- what a valid config becomes -------------------------------------------------------------


def test_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state-home"))
    config = load_config(write(tmp_path, VALID))
    (account,) = config.accounts
    assert (account.name, account.port, account.security, account.inbox) == (
        "main",
        993,
        "tls",
        "INBOX",
    )
    assert (account.drafts, account.sent, account.ca_file) == (None, None, None)
    assert account.idle_refresh == timedelta(minutes=24)
    assert account.poll_interval == timedelta(seconds=60)
    assert account.password.command == "pass show mail/ada"
    assert account.password.env is None
    assert account.password.keyring is False
    assert account.password.label == "accounts[0] (main)"
    assert config.policy == Policy()
    assert config.policy.wait == timedelta(days=2)
    assert config.policy.lookback == timedelta(days=14)
    assert config.policy.expire == timedelta(days=7)
    assert config.policy.send_window is None
    assert config.policy.timezone is None
    assert config.smtp is None
    assert config.rules == ()
    assert config.templates_dir is None
    assert config.state_path == tmp_path / "state-home" / "debriefer" / "state.db"
    assert config.source == tmp_path / "config.toml"


def test_full_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "ca.pem").write_text("not checked here\n")
    (tmp_path / "tpl").mkdir()
    text = (
        IDENTITY
        + '\n[[accounts]]\nhost = "mail.example.org"\nsecurity = "starttls"\nusername = "ada"\n'
        + 'password_keyring = true\ndrafts = "Entwürfe"\nsent = "Gesendet"\nca_file = "ca.pem"\n'
        + SMTP
        + 'security = "starttls"\nca_file = "~/ca.pem"\ncopy_to_sent = false\n'
        + '[policy]\nmode = "send"\nmin_confidence = 1\nthank_you = false\nexpire = "10d"\n'
        + 'send_window = "Mon-Fri 09:00-17:00"\ntimezone = "America/New_York"\n'
        + '[templates]\ndir = "~/tpl"\n[state]\npath = "state/db.sqlite"\n'
    )
    config = load_config(write(tmp_path, text))
    (account,) = config.accounts
    assert account.name == "ada@mail.example.org"
    assert account.port == 143
    assert account.password.keyring is True
    assert account.password.keyring_user == "ada@mail.example.org"
    assert (account.drafts, account.sent) == ("Entwürfe", "Gesendet")
    assert account.ca_file == tmp_path / "ca.pem"
    assert config.smtp is not None
    assert (config.smtp.port, config.smtp.security) == (587, "starttls")
    assert config.smtp.password.env == "SMTP_PASSWORD"
    assert config.smtp.password.label == "smtp"
    assert config.smtp.ca_file == tmp_path / "ca.pem"
    assert config.smtp.copy_to_sent is False
    assert config.policy.mode == "send"
    assert config.policy.min_confidence == 1.0
    assert isinstance(config.policy.min_confidence, float)
    assert config.policy.thank_you is False
    assert config.policy.expire == timedelta(days=10)
    assert config.policy.send_window == SendWindow(
        frozenset({0, 1, 2, 3, 4}), time(9), time(17), "Mon-Fri 09:00-17:00"
    )
    assert config.policy.timezone == "America/New_York"
    zone = config.policy.zone()
    assert isinstance(zone, ZoneInfo)
    assert zone.key == "America/New_York"
    assert config.templates_dir == tmp_path / "tpl"
    assert config.state_path == tmp_path / "state" / "db.sqlite"


def test_default_paths_follow_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    assert default_config_path() == tmp_path / "home/.config/debriefer/config.toml"
    assert default_state_path() == tmp_path / "home/.local/state/debriefer/state.db"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "st"))
    assert default_config_path() == tmp_path / "cfg/debriefer/config.toml"
    assert default_state_path() == tmp_path / "st/debriefer/state.db"
    # The XDG spec: a relative value is invalid and ignored.
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/cfg")
    assert default_config_path() == tmp_path / "home/.config/debriefer/config.toml"


def test_load_config_reads_the_default_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "debriefer").mkdir()
    (tmp_path / "debriefer" / "config.toml").write_text(VALID)
    assert load_config().source == tmp_path / "debriefer" / "config.toml"


def test_the_example_config_loads() -> None:
    """The example is what users copy; its password sources are never run here."""
    config = load_config(ROOT / "config.example.toml")
    assert isinstance(config, Config)
    assert config.policy.mode == "draft"
    assert config.accounts[0].password.command
    assert config.smtp is None
    assert [rule.name for rule in config.rules][:3] == [
        "never ask Initech",
        "big companies take longer",
        "a phrase my recruiters use",
    ]


def test_the_example_config_documents_every_key() -> None:
    text = (ROOT / "config.example.toml").read_text()
    for key in (*_TOP_KEYS, *_ACCOUNT_KEYS, *_SMTP_KEYS, *_POLICY_KEYS, *_RULE_KEYS, *_MATCHERS):
        assert re.search(rf"(^|[\s{{\[#]){key}\b", text, re.MULTILINE), key
    assert re.search(r"^# dir = ", text, re.MULTILINE)


# -- rules -----------------------------------------------------------------------------------

RULES = """
[[rules]]
name = "never ask Initech"
match = { from_domain = ["initech.example", "@Initrode.Example"] }
action = "ignore"

[[rules]]
name = "big companies take longer"
match = { company = ["Contoso", "Fabrikam"], label = "rejection" }
wait = "5d"
min_confidence = 0.6
template = "feedback_request_detailed"

[[rules]]
name = "one recruiter, in German, about a role"
match.from = ["Jordan.Reyes@Northwind.example"]
match.language = "de"
match.subject = ["(?i)bewerbung", "(?i)application"]
match.body = '(?i)leider'
label = "rejection"
thank_you = false
"""


@pytest.fixture
def rules(tmp_path: Path) -> tuple:
    return load_config(write(tmp_path, VALID + RULES)).rules


def facts(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "sender": "someone@example.com",
        "subject": "Your application",
        "body": "Thank you for applying.",
        "company": None,
        "label": "other",
        "language": "en",
    }
    return {**base, **changes}


RULE_CASES = {
    "domain": (0, facts(sender="hr@initech.example"), True),
    "subdomain": (0, facts(sender="Jobs <no-reply@jobs.INITECH.example>"), True),
    "second domain, written with @": (0, facts(sender="x@initrode.example"), True),
    "lookalike domain": (0, facts(sender="x@notinitech.example"), False),
    "other domain": (0, facts(sender="x@initech.example.com"), False),
    "company, any case, with the label": (
        1,
        facts(company="  contoso ", label="rejection"),
        True,
    ),
    "company, other label": (1, facts(company="Contoso", label="other"), False),
    "company unknown": (1, facts(label="rejection"), False),
    "company is only a part": (1, facts(company="Contoso Ltd", label="rejection"), False),
    "every matcher": (
        2,
        facts(
            sender='"Jordan Reyes" <jordan.reyes@northwind.example>',
            subject="Ihre BEWERBUNG",
            body="Leider haben wir uns anders entschieden.",
            language="de",
        ),
        True,
    ),
    "every matcher but the language": (
        2,
        facts(
            sender="jordan.reyes@northwind.example",
            subject="Ihre Bewerbung",
            body="leider",
            language="nl",
        ),
        False,
    ),
    "every matcher but the body": (
        2,
        facts(
            sender="jordan.reyes@northwind.example",
            subject="Your application",
            body="We are happy to invite you",
            language="de",
        ),
        False,
    ),
    "every matcher but the sender": (
        2,
        facts(sender="x@northwind.example", subject="Bewerbung", body="leider", language="de"),
        False,
    ),
}


@pytest.mark.parametrize(("index", "given", "expected"), RULE_CASES.values(), ids=RULE_CASES.keys())
def test_rule_matching(rules: tuple, index: int, given: dict, expected: bool) -> None:
    assert rules[index].match.matches(**given) is expected


def test_a_wildcard_domain_means_the_domain_and_its_subdomains(tmp_path: Path) -> None:
    rule = '\n[[rules]]\nname = "x"\nmatch = {{ from_domain = "{}" }}\naction = "ignore"\n'
    (ignore,) = load_config(write(tmp_path, VALID + rule.format("*.Initech.example"))).rules
    assert ignore.match.from_domain == ("initech.example",)
    assert ignore.match.matches(**facts(sender="hr@jobs.initech.example"))
    (problem,) = problems_of(write(tmp_path, VALID + rule.format("mail.*.example")))
    assert 'not a domain name: "mail.*.example" (a domain matches its subdomains too' in problem


def test_rules_carry_their_overrides(rules: tuple) -> None:
    ignore, slow, forced = rules
    assert ignore.action == "ignore"
    assert ignore.match.from_domain == ("initech.example", "initrode.example")
    assert slow.overrides == {"wait": timedelta(days=5), "min_confidence": 0.6}
    assert slow.template == "feedback_request_detailed"
    assert slow.policy(Policy()) == Policy(wait=timedelta(days=5), min_confidence=0.6)
    assert forced.label == "rejection"
    assert forced.policy(Policy()).thank_you is False
    assert forced.match.from_ == ("jordan.reyes@northwind.example",)


NEW_OVERRIDES = """
[policy]
wait = "1d"
send_window = "daily 08:00-20:00"
timezone = "Europe/Berlin"

[[rules]]
name = "quick and short-lived, on weekday mornings in New York"
match = { company = "Contoso" }
wait = "0s"
expire = "2d"
send_window = "Mon-Fri 09:00-12:00"
timezone = "America/New_York"
mode = "draft"

[[rules]]
name = "only a longer life"
match = { company = "Fabrikam" }
expire = "30d"
"""


def test_every_policy_key_but_lookback_can_be_overridden(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, VALID + NEW_OVERRIDES))
    base = config.policy
    assert base == Policy(
        wait=timedelta(days=1),
        send_window=SendWindow(frozenset(range(7)), time(8), time(20), "daily 08:00-20:00"),
        timezone="Europe/Berlin",
    )
    quick, longer = config.rules
    morning = SendWindow(WEEKDAYS, time(9), time(12), "Mon-Fri 09:00-12:00")
    assert quick.overrides == {
        "mode": "draft",
        "wait": timedelta(0),
        "expire": timedelta(days=2),
        "send_window": morning,
        "timezone": "America/New_York",
    }
    assert quick.policy(base) == Policy(
        wait=timedelta(0),
        expire=timedelta(days=2),
        send_window=morning,
        timezone="America/New_York",
    )
    assert longer.overrides == {"expire": timedelta(days=30)}
    assert longer.policy(base) == dataclasses.replace(base, expire=timedelta(days=30))


def test_a_rule_with_only_a_send_window_does_something(tmp_path: Path) -> None:
    text = (
        VALID
        + '[[rules]]\nname = "r"\nmatch = { company = "X" }\nsend_window = "Sat 10:00-11:00"\n'
    )
    (rule,) = load_config(write(tmp_path, text)).rules
    assert rule.overrides == {
        "send_window": SendWindow(frozenset({5}), time(10), time(11), "Sat 10:00-11:00")
    }


def test_a_rule_action_sets_the_mode(tmp_path: Path) -> None:
    text = (
        VALID + SMTP + '[[rules]]\nname = "go"\nmatch = { label = "rejection" }\naction = "send"\n'
    )
    (rule,) = load_config(write(tmp_path, text)).rules
    assert rule.policy(Policy()).mode == "send"


def test_an_empty_match_matches_everything() -> None:
    assert RuleMatch().matches(**facts())


def test_line_numbers_survive_strings_that_look_like_toml(tmp_path: Path) -> None:
    """Headers and keys inside strings and comments do not move the count."""
    text = (
        IDENTITY
        + "# [[accounts]] in a comment\n"
        + ACCOUNT.replace(
            '"pass show mail/ada"',
            '"""\n[[accounts]]\nport = "1"\n\\"""\n"""',
        )
        + "inbox = 'C:\\Inbox [[x]]'  # a literal string; [[y]] in a comment\n"
        + 'drafts = "say \\"hi\\" = [[z]]"\n'
        + "sent = '''\nport = 2\n'''\n"
        + 'port = "993"\n'
        + "[[accounts]]\n"
    )
    path = write(tmp_path, text)
    problems = problems_of(path)
    # The control-character check refuses the multi-line folder name; the rest is counted.
    assert [p.split(": ")[0] + ": " + p.split(": ")[1] for p in problems] == [
        f"{path}:17: accounts[0].sent",
        f"{path}:20: accounts[0].port",
        f"{path}:21: accounts[1].host",
        f"{path}:21: accounts[1].username",
        f"{path}:21: accounts[1]",
    ]


def test_relative_paths_are_relative_to_the_config_not_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "config.toml").write_text(VALID + '[state]\npath = "data/state.db"\n')
    monkeypatch.chdir(tmp_path)
    config = load_config(Path("conf/config.toml"))
    assert config.state_path == tmp_path / "conf" / "data" / "state.db"
    assert config.state_path.is_absolute()


def test_inline_array_of_accounts_is_located(tmp_path: Path) -> None:
    text = (
        "accounts = [\n"
        + '  { host = "a.example", username = "a", password_env = "A" },\n'
        + '  { host = "b.example", username = "b", password_env = "B", port = "1" },  # <-\n'
        + "]\n"
        + IDENTITY
    )
    path = write(tmp_path, text)
    (problem,) = problems_of(path)
    assert problem.startswith(f"{where(path, text)} accounts[1].port: expected an integer")
