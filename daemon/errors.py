"""Errors the user can act on: the CLI shows them as one line, without a traceback."""

from __future__ import annotations

import base64
import binascii
import logging
import re


class UserError(Exception):
    """A problem the user can fix; shown as one line, without a traceback."""


def describe_failure(exc: BaseException) -> str:
    """One line about a failure, for logs and status, scrubbed of every secret this
    process has handled: a server may echo the AUTH line it refused in its error."""
    text = scrub(str(exc)).strip()
    text = text.splitlines()[0] if text else ""
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


# Secrets this process has fetched (secrets.resolve_secret), so that any text from a
# server can be scrubbed of them before it is logged, stored or shown.
_SECRETS: set[str] = set()
_REDACTED = "[redacted]"
# Runs of base64, in which AUTH PLAIN, LOGIN and XOAUTH2 carry a secret.
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{8,}={0,2}")
_SHORTEST = 4  # shorter "secrets" (an empty variable) would redact ordinary words


def remember_secret(secret: str) -> None:
    """Note a password or token the process holds, for ``scrub``."""
    if len(secret) >= _SHORTEST:
        _SECRETS.add(secret)


def scrub(text: str) -> str:
    """``text`` without any remembered secret, plain or inside base64."""
    if not _SECRETS or not text:
        return text
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, _REDACTED)
    return _BASE64_RUN.sub(_scrub_base64, text)


def _scrub_base64(match: re.Match[str]) -> str:
    run = match.group()
    try:
        decoded = base64.b64decode(run + "=" * (-len(run) % 4)).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return run
    return _REDACTED if any(secret in decoded for secret in _SECRETS) else run


class ScrubSecrets(logging.Filter):
    """A log handler's filter: every record's text and traceback without a secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _SECRETS:
            record.msg, record.args = scrub(record.getMessage()), None
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            if record.exc_text:
                record.exc_text = scrub(record.exc_text)
        return True
