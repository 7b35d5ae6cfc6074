"""Errors the user can act on: the CLI shows them as one line, without a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; shown as one line, without a traceback."""


def describe_failure(exc: BaseException) -> str:
    """One line about a failure, for logs and status.  Exception texts from imaplib,
    aiosmtplib and our own errors never carry a password."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__
