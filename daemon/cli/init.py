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
import shlex
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from daemon.config import (
    ENV_NAME,
    IMAP_PORTS,
    KEYRING_SERVICE,
    SECURITY_MODES,
    AccountConfig,
    SecretSource,
    default_config_path,
    is_loopback,
    load_config,
)
from daemon.errors import UserError
from daemon.mail.imap import LoginFailed
from daemon.mail.probe import Probe, probe_account
from daemon.mail.providers import guess_host, guess_security, provider_of
from daemon.secrets import resolve_secret


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
            problem = check(given) if given.strip() else "must not be empty"
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
    provider = provider_of(email)
    notes = [provider.hint] if provider and provider.hint else []
    for note in notes:  # before the questions it helps to answer
        asker.out.write(f"Note: {note}\n")
    host = asker.ask(
        "IMAP server", args.host, "--host", guess_host(email) if email else None, _plain_text
    )
    known = provider if provider and host == provider.host else None
    security_given = args.security or (known.security if known and args.port is None else None)
    port_default = (known.port if known else None) or IMAP_PORTS[security_given or "tls"]
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
        security_given or guess_security(port, host),
        _security,
    )
    username = asker.ask("IMAP username", args.username, "--username", email or None, _plain_text)
    source = _password_source(args, asker)
    if asker.missing:
        raise UserError(
            "missing "
            + ", ".join(asker.missing)
            + " (no terminal to ask on; see debriefer init -h)"
        )
    answers = Answers(name, email, host, port, security, username, source, notes=notes)
    answers.drafts, answers.sent = args.drafts, args.sent
    answers.ca_file = _ca_file(args.ca_file)
    answers.auth = args.auth or ("oauth2" if provider and provider.oauth2 else "password")
    return answers


def _ca_file(given: Path | None) -> Path | None:
    """Absolute, so the login test and the daemon (relative to the config) read the same."""
    if given is None:
        return None
    path = given.expanduser().absolute()
    if not path.is_file():
        raise UserError(f"--ca-file: no such file: {path}")
    return path


def _password_source(args: argparse.Namespace, asker: Asker) -> tuple[str, str]:
    if args.password_command:
        return ("command", args.password_command)
    if args.password_env:
        problem = _env_name(args.password_env)
        if problem:  # the value is not repeated: it may be the password itself
            raise UserError(f"--password-env: {problem}")
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
    """The rule the config applies, so what init accepts the daemon accepts."""
    if ENV_NAME.fullmatch(value):
        return None
    return "the name of an environment variable: ASCII letters, digits and _"


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


def _keyring_password(answers: Answers, asker: Asker) -> tuple[str, Callable[[], None] | None]:
    """The password in the keyring; or one typed now, with how to store it once the
    login has shown it is right (a wrong one stored would be found, and fail, forever)."""
    source = secret_source(answers)
    try:
        import keyring
    except ImportError:
        raise UserError(
            "--password-keyring needs the keyring package; install it into debriefer's"
            " environment: .venv/bin/pip install keyring"
        ) from None
    problem = "the system keyring cannot be used ({}); use --password-command or --password-env"
    try:
        stored = keyring.get_password(KEYRING_SERVICE, source.keyring_user)
    except Exception as exc:  # no backend, a locked or broken one: all keyring's own errors
        raise UserError(problem.format(type(exc).__name__)) from None
    if stored:
        return stored, None
    if not asker.interactive:
        raise UserError(
            f"no password in the keyring for service {KEYRING_SERVICE!r}, user"
            f" {source.keyring_user!r}; store it first: keyring set {KEYRING_SERVICE}"
            f" {source.keyring_user}"
        )
    typed = getpass.getpass(f"Password for {answers.username} (to store in the keyring): ")

    def store() -> None:
        try:
            keyring.set_password(KEYRING_SERVICE, source.keyring_user, typed)
        except Exception as exc:
            raise UserError(problem.format(type(exc).__name__)) from None
        asker.out.write("  stored in the system keyring\n")

    return typed, store


def test_login(answers: Answers, asker: Asker) -> Probe:
    """Log in as the daemon would and settle where the drafts go."""
    out = asker.out
    account = account_of(answers)
    store = None
    if answers.source[0] == "keyring":
        password, store = _keyring_password(answers, asker)
    else:
        password = resolve_secret(account.password)
    out.write(f"Logging in to {answers.host}:{answers.port} ({answers.security}) ...\n")
    out.flush()
    try:
        probe = probe_account(account, password)
    except LoginFailed as exc:
        hint = next(iter(answers.notes), "check the username and the password")
        raise UserError(f"{exc}: {hint}") from None
    if store is not None:
        store()
    out.write(f"  logged in as {answers.username}; {len(probe.folders)} folders\n")
    listing = ", ".join(repr(f) for f in probe.folders[:30])
    for option, configured, found in (
        ("--drafts", answers.drafts, probe.drafts),
        ("--sent", answers.sent, probe.sent),
    ):
        if configured and found.name is None:
            raise UserError(f"{option} {configured!r}: the server has no such folder ({listing})")
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
            " name yours with --sent\n"
        )
    elif probe.sent.how == "by its name":
        answers.sent = probe.sent.name
    return probe


# What to ask again after a failed login test, and the step a failure points to.
_STEPS = {
    "server": "the server, port and security",
    "login": "the username and where the password comes from",
    "ca": "a CA file, for a server whose certificate is self-signed",
}


def _login_until_it_works(answers: Answers, asker: Asker) -> Probe:
    """On a terminal, a failed login test keeps every answer: it says what went wrong,
    offers to ask again only the step that failed, and tries again."""
    while True:
        try:
            return test_login(answers, asker)
        except UserError as exc:
            if not asker.interactive:
                raise
            asker.out.write(f"  {exc}\n")
            step = _step_for(str(exc))
            choices = ", ".join(f"{name} ({what})" for name, what in _STEPS.items())
            asker.out.write(f"What would you like to change? {choices}, or quit\n")
            answer = asker.ask(
                "Change", None, "", step, lambda v: None if v in (*_STEPS, "quit") else "?"
            )
            if answer == "quit":
                raise
            _ask_again(answer, answers, asker)


def _step_for(failure: str) -> str:
    if "certificate" in failure and "not trusted" in failure:
        return "ca"
    if any(word in failure for word in ("login refused", "password", "keyring", "variable")):
        return "login"
    return "server"


def _ask_again(step: str, answers: Answers, asker: Asker) -> None:
    if step == "ca":
        path = asker.ask(
            "CA file (PEM) that signed the server's certificate",
            None,
            "--ca-file",
            str(answers.ca_file or ""),
            lambda v: None if Path(v).expanduser().is_file() else "no such file",
        )
        answers.ca_file = _ca_file(Path(path))
    elif step == "server":
        answers.host = asker.ask("IMAP server", None, "--host", answers.host, _plain_text)
        answers.port = int(asker.ask("IMAP port", None, "--port", str(answers.port), _port))
        answers.security = asker.ask(
            "Security (tls, starttls, none)", None, "--security", answers.security, _security
        )
    else:
        answers.username = asker.ask(
            "IMAP username", None, "--username", answers.username, _plain_text
        )
        unset = argparse.Namespace(password_command=None, password_env=None, password_keyring=False)
        answers.source = _password_source(unset, asker)


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
        "# lines under your drafts instead of the name (at most 8):",
        '# signature = """Your Name',
        '# a phone number, a link"""',
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
        "# min_confidence = 0.8  # how sure a rejection must be; unset: chosen by mode (README)",
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


def write_private(path: Path, text: str, check: Callable[[Path], object]) -> None:
    """Write ``text`` to ``path`` atomically, readable by the owner only (0600) from the
    first byte: the file names the password's source and the user's addresses.  ``check``
    reads the new file before it takes the place of the old one."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temporary, 0o600)
        check(Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _writable_target(path: Path) -> None:
    """Fail before any question, not after the login test."""
    if path.is_dir():
        raise UserError(f"{path} is a folder; --config names the file to write")
    for folder in path.parents:
        if folder.exists():
            if not folder.is_dir():
                raise UserError(f"cannot write {path}: {folder} is not a folder")
            if not os.access(folder, os.W_OK | os.X_OK):
                raise UserError(f"cannot write {path}: no permission in {folder}")
            return


def run_init(args: argparse.Namespace, *, interactive: bool, stdin: TextIO, out: TextIO) -> int:
    target = (args.config or default_config_path()).expanduser().absolute()
    _writable_target(target)
    if target.exists() and not args.force:
        raise UserError(f"{target} already exists; `debriefer init --force` overwrites it")
    asker = Asker(interactive, stdin, out)
    answers = gather(args, asker)
    if answers.security == "none" and not is_loopback(answers.host):
        raise UserError("--security none is allowed only for a loopback host (a local bridge)")
    if args.no_login_test:
        out.write("Not testing the login (--no-login-test).\n")
    else:
        _login_until_it_works(answers, asker)
    try:  # what we write must be what the daemon reads: checked before it replaces anything
        write_private(target, render_config(answers), load_config)
    except OSError as exc:
        raise UserError(f"cannot write {target}: {exc.strerror or exc}") from None
    option = f" --config {shlex.quote(str(target))}" if args.config else ""
    out.write(
        f"\nWrote {target} (readable only by you).\n"
        "Next:\n"
        f"  debriefer scan --dry-run{option}     what it finds in the lookback window;"
        " writes nothing\n"
        f"  debriefer run{option}                watch in the foreground (Ctrl-C stops)\n"
        f"  debriefer install-service{option}    run it as a systemd user service\n"
    )
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    return run_init(args, interactive=sys.stdin.isatty(), stdin=sys.stdin, out=sys.stdout)
