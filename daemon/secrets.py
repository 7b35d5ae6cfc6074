"""Passwords, fetched at the moment they are needed and never kept or shown.

A ``password_command`` runs again on every call, so a helper that hands out
short-lived tokens (OAuth, a rotating app password) keeps working across
reconnects.  Errors name the account and what went wrong (exit status, unset
variable), never the command's output or its stderr, which could hold the
secret or part of it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess

from daemon.config import KEYRING_SERVICE, SecretSource
from daemon.errors import UserError, remember_secret

__all__ = ["COMMAND_TIMEOUT", "SecretError", "resolve_secret", "shown_variable"]

log = logging.getLogger(__name__)

# Long enough for a GPG agent to ask for its passphrase, short enough to notice a hang.
COMMAND_TIMEOUT = 30.0


class SecretError(UserError):
    """A password could not be obtained; the message never contains any of it."""


def resolve_secret(source: SecretSource, *, timeout: float = COMMAND_TIMEOUT) -> str:
    """The password ``source`` points to, fetched now (not cached), and remembered for
    ``errors.scrub``."""
    if source.command is not None:
        secret = _from_command(source, timeout)
    elif source.env is not None:
        secret = _from_env(source)
    elif source.keyring:
        secret = _from_keyring(source)
    else:
        raise SecretError(f"{source.label}: no password source is configured")
    remember_secret(secret)
    return secret


def _from_command(source: SecretSource, timeout: float) -> str:
    assert source.command is not None
    log.debug("%s: running password_command", source.label)
    # /bin/sh -c because the config holds a shell command line ("pass show x | head -1").
    # Its own session lets a timeout kill the whole pipeline, not just the shell, so no
    # leftover child holds the pipe open.  stdin is closed: a daemon has nobody to ask.
    with subprocess.Popen(
        ["/bin/sh", "-c", source.command],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    ) as process:
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise SecretError(
                f"{source.label}: password_command did not finish within {timeout:g} s"
            ) from None
        except BaseException:
            _kill_group(process)
            raise
    if process.returncode != 0:
        # The shell's own codes: the command was never run, so say why in words.
        why = _SHELL_FAILURES.get(process.returncode, "its output is not shown; run it yourself")
        raise SecretError(
            f"{source.label}: password_command failed with exit status {process.returncode} ({why})"
        )
    try:
        text = output.decode("utf-8")
    except UnicodeDecodeError:
        raise SecretError(
            f"{source.label}: password_command printed bytes that are not UTF-8"
        ) from None
    text = text.removesuffix("\n").removesuffix("\r")
    if not text:
        raise SecretError(f"{source.label}: password_command printed nothing")
    if "\n" in text or "\r" in text:
        raise SecretError(
            f"{source.label}: password_command printed more than one line; make it print only"
            ' the password (e.g. "pass show mail/me | head -n 1")'
        )
    return text


_SHELL_FAILURES = {
    127: "command not found: give its full path, as a service does not see your shell's PATH",
    126: "the command is not executable: check its permissions",
}


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def where_from(source: SecretSource) -> str:
    """Where the password came from, for a person to check; never the command's text,
    which may hold the secret itself."""
    if source.command:
        return "the password password_command printed"
    if source.env:
        return f"the password in the environment variable {shown_variable(source.env)}"
    return f"the password in the keyring (service {KEYRING_SERVICE!r}, {source.keyring_user})"


def shown_variable(name: str) -> str:
    """How to name ``password_env``'s variable in a message.  Variables are named in
    capitals; a lower-case "name" may be a password typed into the wrong place (an app
    password is a valid name), so it is not repeated."""
    return name if name.upper() == name else "named by password_env"


def _from_env(source: SecretSource) -> str:
    assert source.env is not None
    value = os.environ.get(source.env)
    shown = shown_variable(source.env)
    if value is None:
        raise SecretError(f"{source.label}: environment variable {shown} is not set")
    if not value:
        raise SecretError(f"{source.label}: environment variable {shown} is empty")
    return value


def _from_keyring(source: SecretSource) -> str:
    try:
        import keyring  # optional: only users of password_keyring install it
    except ImportError:
        raise SecretError(
            f"{source.label}: password_keyring needs the keyring package;"
            " install it into debriefer's environment: .venv/bin/pip install keyring"
        ) from None
    try:
        value = keyring.get_password(KEYRING_SERVICE, source.keyring_user)
    except Exception as exc:  # each backend (Secret Service, KWallet...) fails its own way
        raise SecretError(f"{source.label}: keyring: {type(exc).__name__}: {exc}") from None
    if not value:
        raise SecretError(
            f"{source.label}: no password in the keyring for service {KEYRING_SERVICE!r},"
            f" user {source.keyring_user!r}; store it with:"
            f" keyring set {KEYRING_SERVICE} {source.keyring_user}"
        )
    return value
