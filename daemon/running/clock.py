"""Now, for every decision the running daemon makes about time.

When an action is due or lapses, the send window, how far back an inbox is read, and
when the supervisor wakes the outbox all ask one ``Clock``.  The daemon runs on the
system's; a test passes one it moves forward (two days in an instant), and
``jumped`` tells the supervisor to look at what fell due.  What the ledger stamps
(when a row was written, when a request was made) stays on the system clock, as do
the dates the mail server gives: the reply relation compares the two, so both must
keep the same time.  A test that moves the clock moves due times, not that.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime


class Clock:
    """Called, it gives the time now, in UTC."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []

    def __call__(self) -> datetime:
        return datetime.now(UTC)

    def on_jump(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` (from any thread) whenever the time jumps."""
        self._listeners.append(listener)

    def jumped(self) -> None:
        for listener in list(self._listeners):
            listener()
