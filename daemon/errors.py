"""Errors the user can act on: the CLI shows them as one line, without a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; shown as one line, without a traceback."""
