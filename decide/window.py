"""When a due feedback request may go out: the send window, read on the user's wall clock.

Pure: the zone comes in (``daemon.config.values.local_zone`` reads the
machine's).  Windows are wall-clock times ("09:00" means nine on
the clock in the policy's zone), so they follow daylight saving time: the
arithmetic is done with ``zoneinfo`` rather than with fixed UTC offsets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

__all__ = ["SendWindow", "next_send_time"]


@dataclass(frozen=True, slots=True)
class SendWindow:
    """Sending is allowed on ``days`` (0 is Monday) from ``start`` until just before ``end``.

    ``start`` is before ``end``: a window never runs past midnight.  ``text``
    is the window as the user wrote it, so messages can quote it.
    """

    days: frozenset[int]
    start: time
    end: time
    text: str


# -- the window ------------------------------------------------------------------------------


def next_send_time(when: datetime, window: SendWindow | None, zone: tzinfo) -> datetime:
    """``when`` if it is in ``window`` (read in ``zone``), else the window's next opening; UTC.

    The end is exclusive.  A start that the clock skips on a spring-forward
    day opens at the jump (02:30 opens at 03:00); a window skipped whole does
    not open that day.  On a fall-back day the clock shows the repeated hour
    twice, and so the window may open twice.
    """
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"when must be timezone-aware, got {when.isoformat()}")
    if window is None or _inside(when, window, zone):
        return when.astimezone(UTC)
    today = when.astimezone(zone).date()
    # Two weeks: a window on one weekday that DST skips whole opens the week after.
    for offset in range(15):
        day = today + timedelta(days=offset)
        if day.weekday() not in window.days:
            continue
        for opening in _openings(day, window.start, zone):
            if opening > when and _inside(opening, window, zone):
                return opening
    raise ValueError(f"the send window {window.text!r} never opens")


def _inside(moment: datetime, window: SendWindow, zone: tzinfo) -> bool:
    local = moment.astimezone(zone)
    return local.weekday() in window.days and window.start <= local.time() < window.end


def _openings(day: date, clock: time, zone: tzinfo) -> list[datetime]:
    """The instants (UTC, in order) at which ``zone``'s clock first shows ``clock`` on ``day``.

    Usually one; two when a fall-back repeats it; when a spring-forward skips
    it, the jump, which is the first instant after it.
    """
    wall = datetime.combine(day, clock, tzinfo=zone)
    found = sorted(
        {
            instant
            for instant in (wall.astimezone(UTC), wall.replace(fold=1).astimezone(UTC))
            if instant.astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None)
        }
    )
    return found or [_jump(wall)]


def _jump(wall: datetime) -> datetime:
    """The UTC instant of the clock change that skipped ``wall``, found by bisection.

    For a skipped time, fold=1 reads it with the offset after the change (an
    instant before the change) and fold=0 with the offset before it (an
    instant after); zoneinfo does not expose the change itself.
    """
    before = wall.replace(fold=1).astimezone(UTC)
    after = wall.replace(fold=0).astimezone(UTC)
    offset_after = after.astimezone(wall.tzinfo).utcoffset()
    while after - before > timedelta(seconds=1):
        middle = before + timedelta(seconds=int((after - before).total_seconds()) // 2)
        if middle.astimezone(wall.tzinfo).utcoffset() == offset_after:
            after = middle
        else:
            before = middle
    return after
