"""``debriefer init``: from nothing to a tested, commented config file.

It asks only what it cannot guess (name, address, server; port and security
follow from the server), tests the login and finds Drafts and Sent the way the
daemon will, and writes the file 0600.  Without a terminal every answer must
come from an option, and a missing one is an error naming that option, so a
script never hangs on a question.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .config import (
    IMAP_PORTS,
    KEYRING_SERVICE,
    SECURITY_MODES,
    AccountConfig,
    SecretSource,
    default_config_path,
    is_loopback,
    load_config,
)
from .errors import UserError
from .imap import LoginFailed
from .probe import Probe, probe_account
from .secrets import resolve_secret


@dataclass(frozen=True, slots=True)
class Provider:
    host: str
    hint: str = ""
    oauth2: bool = False  # basic authentication is switched off there


_GMAIL = Provider(
    "imap.gmail.com",
    "Gmail: turn on 2-step verification, then make an app password"
    " (myaccount.google.com/apppasswords) and give debriefer that, not your Google password.",
)
_MICROSOFT = Provider(
    "outlook.office365.com",
    "Outlook / Microsoft 365 take no passwords over IMAP: debriefer logs in with an OAuth2"
    " access token (auth = oauth2) that your password_command prints; see the README.",
    oauth2=True,
)
# Where the big providers keep IMAP, so most people only type their address.
PROVIDERS: dict[str, Provider] = {
    "gmail.com": _GMAIL,
    "googlemail.com": _GMAIL,
    "outlook.com": _MICROSOFT,
    "hotmail.com": _MICROSOFT,
    "live.com": _MICROSOFT,
    "msn.com": _MICROSOFT,
    "fastmail.com": Provider(
        "imap.fastmail.com",
        "Fastmail: make an app password with IMAP access (Settings, Privacy & Security).",
    ),
    "fastmail.fm": Provider("imap.fastmail.com"),
    "icloud.com": Provider("imap.mail.me.com", "iCloud: use an app-specific password."),
    "me.com": Provider("imap.mail.me.com", "iCloud: use an app-specific password."),
    "yahoo.com": Provider("imap.mail.yahoo.com", "Yahoo: use an app password."),
    "gmx.de": Provider("imap.gmx.net"),
    "gmx.net": Provider("imap.gmx.net"),
    "web.de": Provider("imap.web.de"),
    "posteo.de": Provider("posteo.de"),
    "mailbox.org": Provider("imap.mailbox.org"),
    "proton.me": Provider(
        "127.0.0.1", "Proton Mail: run Proton Mail Bridge; it listens on port 1143."
    ),
}


def guess_host(email: str) -> str:
    domain = email.rpartition("@")[2].lower()
    provider = PROVIDERS.get(domain)
    return provider.host if provider else f"imap.{domain}"


def guess_security(port: int | None, host: str) -> str:
    """993 is IMAP over TLS everywhere; any other port is STARTTLS unless it is a
    local bridge, which usually speaks plain text on loopback."""
    if port is None or port == IMAP_PORTS["tls"]:
        return "tls"
    return "none" if is_loopback(host) and port != IMAP_PORTS["starttls"] else "starttls"


@dataclass
class Answers:
    name: str
    email: str
    host: str
    port: int
    security: str
    username: str
    source: tuple[str, str]  # ("command" | "env" | "keyring", the command or variable)
    auth: str = "password"
    ca_file: Path | None = None
    drafts: str | None = None
    sent: str | None = None
    notes: list[str] = field(default_factory=list)


class Asker:
    """Takes an option's value if given, else asks on a terminal, else notes it missing."""

    def __init__(self, interactive: bool, stdin: TextIO, out: TextIO) -> None:
        self.interactive = interactive
        self.stdin = stdin
        self.out = out
        self.missing: list[str] = []

    def ask(
        self,
        question: str,
        given: str | None,
        option: str,
        default: str | None = None,
        check: Callable[[str], str | None] = lambda _: None,
    ) -> str:
        if given is not None:
            problem = check(given)
            if problem:
                raise UserError(f"{option}: {problem}")
            return given
        if not self.interactive:
            if default is not None:
                return default
            self.missing.append(option)
            return ""
        while True:
            shown = f" [{default}]" if default else ""
            self.out.write(f"{question}{shown}: ")
            self.out.flush()
            line = self.stdin.readline()
            if not line:
                raise UserError("init stopped: no more input")
            answer = line.strip() or (default or "")
            problem = check(answer) if answer else "an answer is needed"
            if not problem:
                return answer
            self.out.write(f"  {problem}\n")


def _plain_text(value: str) -> str | None:
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return "control characters are not allowed"
    return None


def _address(value: str) -> str | None:
    local, _, domain = value.partition("@")
    if not local or "." not in domain or any(c.isspace() for c in value):
        return f"{value!r} is not an email address"
    return _plain_text(value)


def _port(value: str) -> str | None:
    return None if value.isdigit() and 0 < int(value) < 65536 else "a port is a number, 1-65535"


def _security(value: str) -> str | None:
    return None if value in SECURITY_MODES else "one of: " + ", ".join(SECURITY_MODES)


def gather(args: argparse.Namespace, asker: Asker) -> Answers:
    name = asker.ask("Your name, as your drafts are signed", args.name, "--name", check=_plain_text)
    email = asker.ask("Your email address", args.email, "--email", check=_address)
    host = asker.ask(
        "IMAP server", args.host, "--host", guess_host(email) if email else None, _plain_text
    )
    security_given = args.security
    port_default = IMAP_PORTS[security_given] if security_given else IMAP_PORTS["tls"]
    port_text = asker.ask(
        "IMAP port",
        str(args.port) if args.port is not None else None,
        "--port",
        str(port_default),
        _port,
    )
    port = int(port_text) if port_text else port_default
    security = asker.ask(
        "Security (tls, starttls, none)",
        security_given,
        "--security",
        guess_security(port, host),
        _security,
    )
    username = asker.ask("IMAP username", args.username, "--username", email or None, _plain_text)
    source = _password_source(args, asker)
    answers = Answers(name, email, host, port, security, username, source, ca_file=args.ca_file)
    answers.drafts, answers.sent = args.drafts, args.sent
    if asker.missing:
        raise UserError(
            "missing "
            + ", ".join(asker.missing)
            + " (no terminal to ask on; see debriefer init -h)"
        )
    provider = PROVIDERS.get(email.rpartition("@")[2].lower())
    answers.auth = args.auth or ("oauth2" if provider and provider.oauth2 else "password")
    if provider and provider.hint:
        answers.notes.append(provider.hint)
    return answers


def _password_source(args: argparse.Namespace, asker: Asker) -> tuple[str, str]:
    if args.password_command:
        return ("command", args.password_command)
    if args.password_env:
        return ("env", args.password_env)
    if args.password_keyring:
        return ("keyring", "")
    if not asker.interactive:
        asker.missing.append("one of --password-command, --password-env, --password-keyring")
        return ("command", "")
    asker.out.write(
        "Where does debriefer get the password? It is never written to the config.\n"
        "  1  a command that prints it (pass, secret-tool, an OAuth2 token helper)\n"
        "  2  an environment variable\n"
        "  3  the system keyring\n"
    )
    choice = asker.ask(
        "Choose", None, "", "1", lambda v: None if v in ("1", "2", "3") else "1, 2 or 3"
    )
    if choice == "1":
        return ("command", asker.ask("Command", None, "--password-command", check=_plain_text))
    if choice == "2":
        variable = asker.ask(
            "Variable name", None, "--password-env", "DEBRIEFER_PASSWORD", _env_name
        )
        return ("env", variable)
    return ("keyring", "")


def _env_name(value: str) -> str | None:
    ok = value and (value[0].isalpha() or value[0] == "_")
    ok = ok and all(c.isalnum() or c == "_" for c in value)
    return None if ok else "letters, digits and _ only"


def secret_source(answers: Answers) -> SecretSource:
    kind, value = answers.source
    return SecretSource(
        command=value if kind == "command" else None,
        env=value if kind == "env" else None,
        keyring=kind == "keyring",
        label=f"{answers.username}@{answers.host}",
        keyring_user=f"{answers.username}@{answers.host}",
    )


def account_of(answers: Answers) -> AccountConfig:
    return AccountConfig(
        name="main",
        host=answers.host,
        port=answers.port,
        security=answers.security,
        username=answers.username,
        password=secret_source(answers),
        drafts=answers.drafts,
        sent=answers.sent,
        ca_file=answers.ca_file,
        auth=answers.auth,
    )


def _store_in_keyring(answers: Answers, asker: Asker) -> None:
    """Offer to put the password in the keyring when it is not there yet."""
    source = secret_source(answers)
    try:
        import keyring
    except ImportError:
        raise UserError(
            "the keyring needs the keyring package: pip install 'debriefer[keyring]'"
        ) from None
    with contextlib.suppress(UserError):
        resolve_secret(source)
        return
    if not asker.interactive:
        raise UserError(
            f"no password in the keyring for service {KEYRING_SERVICE!r}, user"
            f" {source.keyring_user!r}; store it first (keyring set {KEYRING_SERVICE}"
            f" {source.keyring_user})"
        )
    password = getpass.getpass(f"Password for {answers.username} (stored in the keyring): ")
    keyring.set_password(KEYRING_SERVICE, source.keyring_user, password)


def test_login(answers: Answers, asker: Asker) -> Probe:
    """Log in as the daemon would and settle where the drafts go."""
    if answers.source[0] == "keyring":
        _store_in_keyring(answers, asker)
    out = asker.out
    account = account_of(answers)
    password = resolve_secret(account.password)
    out.write(f"Logging in to {answers.host}:{answers.port} ({answers.security}) ...\n")
    out.flush()
    try:
        probe = probe_account(account, password)
    except LoginFailed as exc:
        hint = next(iter(answers.notes), "check the username and the password")
        raise UserError(f"{exc}: {hint}") from None
    out.write(f"  logged in as {answers.username}; {len(probe.folders)} folders\n")
    if not probe.special_use:
        out.write("  the server does not mark Drafts and Sent (no SPECIAL-USE); found by name:\n")
    for role, found in (("Drafts", probe.drafts), ("Sent", probe.sent)):
        where = repr(found.name) if found.name else "none"
        out.write(f"  {role}: {where} ({found.how})\n")
    if probe.drafts.name is None:
        answers.drafts = _choose_folder("Drafts", "--drafts", probe, asker)
    elif probe.drafts.how == "by its name":
        answers.drafts = probe.drafts.name  # written down: a renamed folder is then noticed
    if probe.sent.name is None:
        out.write(
            "  without a Sent folder, debriefer cannot see that you already wrote to someone;"
            " name it with --sent if it exists\n"
        )
    elif probe.sent.how == "by its name":
        answers.sent = probe.sent.name
    return probe


def _choose_folder(role: str, option: str, probe: Probe, asker: Asker) -> str:
    listing = ", ".join(repr(f) for f in probe.folders[:30])
    if not asker.interactive:
        raise UserError(f"no {role} folder found; name one with {option} (folders: {listing})")
    asker.out.write(f"Which folder holds your drafts? The server has: {listing}\n")

    def exists(value: str) -> str | None:
        return None if value in probe.folders else "not a folder on the server"

    return asker.ask(f"{role} folder", None, option, check=exists)


def _toml(value: str) -> str:
    """A TOML basic string; our inputs have no control characters, but quote safely anyway."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if ord(c) >= 32 and ord(c) != 127 else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


OAUTH2_LINE = 'auth = "oauth2"   # the password source prints an OAuth2 access token'


def render_config(answers: Answers) -> str:
    kind, value = answers.source
    password_line = {
        "command": f"password_command = {_toml(value)}   # run on every login; prints the password",
        "env": f"password_env = {_toml(value)}   # the environment variable holding the password",
        "keyring": 'password_keyring = true   # system keyring: service "debriefer",'
        f" user {_toml(answers.username + '@' + answers.host)}",
    }[kind]
    folder_lines = [
        f"{key} = {_toml(name)}" if name else f'# {key} = "..."   # found by SPECIAL-USE'
        for key, name in (("drafts", answers.drafts), ("sent", answers.sent))
    ]
    ca_line = f"ca_file = {_toml(str(answers.ca_file))}" if answers.ca_file else None
    lines = [
        "# debriefer configuration, written by `debriefer init`.",
        "# Every key is explained in config.example.toml; `debriefer doctor` checks this file.",
        "",
        "[identity]",
        f"name = {_toml(answers.name)}   # how your drafts are signed",
        f"email = {_toml(answers.email)}   # mail from this address is yours, never a rejection",
        "",
        "[[accounts]]",
        'name = "main"',
        f"host = {_toml(answers.host)}",
        f"port = {answers.port}",
        f"security = {_toml(answers.security)}   # tls | starttls | none (loopback only)",
        f"username = {_toml(answers.username)}",
        *([OAUTH2_LINE] if answers.auth == "oauth2" else []),
        password_line,
        'inbox = "INBOX"',
        *folder_lines,
        *([ca_line] if ca_line else []),
        "",
        "[policy]",
        'mode = "draft"          # "draft": you review and send every request | "send": over SMTP',
        'wait = "2d"             # how long after a rejection its feedback request is due',
        'expire = "7d"           # a request not done by then is dropped, never sent late',
        'lookback = "14d"        # how far back the first run looks',
        "min_confidence = 0.8    # how sure the classifier must be that a mail is a rejection",
        "thank_you = true        # draft a thank-you when someone answers with feedback",
        "",
        "# Rules come after classification; the first that matches wins. For example:",
        "# [[rules]]",
        '# name = "never ask Initech"',
        '# match = { from_domain = ["initech.example"] }',
        '# action = "ignore"',
        "",
    ]
    return "\n".join(lines)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, readable by the owner only (0600) from the
    first byte: the file names the password's source and the user's addresses."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=".config-", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def run_init(args: argparse.Namespace, *, interactive: bool, stdin: TextIO, out: TextIO) -> int:
    target = (args.config or default_config_path()).expanduser().absolute()
    if target.exists() and not args.force:
        raise UserError(f"{target} already exists; `debriefer init --force` overwrites it")
    asker = Asker(interactive, stdin, out)
    answers = gather(args, asker)
    for note in answers.notes:
        out.write(f"Note: {note}\n")
    if answers.security == "none" and not is_loopback(answers.host):
        raise UserError("--security none is allowed only for a loopback host (a local bridge)")
    if args.no_login_test:
        out.write("Not testing the login (--no-login-test).\n")
    else:
        test_login(answers, asker)
    write_private(target, render_config(answers))
    load_config(target)  # what we wrote must be what the daemon reads
    out.write(
        f"\nWrote {target} (readable only by you).\n"
        "Next:\n"
        "  debriefer scan --dry-run     what it would find in the last two weeks, writing nothing\n"
        "  debriefer run                watch in the foreground (Ctrl-C stops)\n"
        "  debriefer install-service    run it as a systemd user service\n"
    )
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    return run_init(args, interactive=sys.stdin.isatty(), stdin=sys.stdin, out=sys.stdout)
