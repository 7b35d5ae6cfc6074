"""Single values, parsed or judged on their own (durations, send windows, hosts, addresses,
time-zone hints), and the default XDG paths of the config file and the state."""

from __future__ import annotations

import difflib
import ipaddress
import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from decide.window import SendWindow

# -- paths -----------------------------------------------------------------------------------


def _xdg_dir(variable: str, fallback: str) -> Path:
    # The XDG spec says to ignore a relative value, as if the variable were unset.
    value = os.environ.get(variable, "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / fallback


def default_config_path() -> Path:
    """``$XDG_CONFIG_HOME/debriefer/config.toml``, else ``~/.config/debriefer/config.toml``."""
    return _xdg_dir("XDG_CONFIG_HOME", ".config") / "debriefer" / "config.toml"


def default_state_path() -> Path:
    """``$XDG_STATE_HOME/debriefer/state.db``, else ``~/.local/state/debriefer/state.db``."""
    return _xdg_dir("XDG_STATE_HOME", ".local/state") / "debriefer" / "state.db"


# -- durations -------------------------------------------------------------------------------

_DURATION_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
# Largest unit first, each at most once: "1h30m" reads one way only, "30m1h" is a typo.
_DURATION = re.compile(
    r"\s*" + "".join(rf"(?:(?P<{unit}>[0-9]+)\s*{unit}\s*)?" for unit in _DURATION_UNITS)
)
_DURATION_HINT = 'use whole numbers with s, m, h, d or w, largest first, e.g. "36h" or "1h30m"'


def parse_duration(text: str, *, allow_zero: bool = False) -> timedelta:
    """``"30s"``, ``"15m"``, ``"36h"``, ``"2d"``, ``"1w"`` and combinations such as ``"1h30m"``.

    Units are s, m (minutes), h, d and w (7 days); there are no months, because
    "1M" would be too easy to misread.  Zero is refused unless ``allow_zero``:
    for an interval or a look-back it means a busy loop or nothing at all.
    """
    if not text.strip():
        raise ValueError(f"empty duration; {_DURATION_HINT}")
    shown = json.dumps(text, ensure_ascii=False)
    if text.strip().startswith("-"):
        raise ValueError(f"{shown} is negative; a duration must be zero or more")
    found = _DURATION.fullmatch(text)
    if not found or not any(found.groupdict().values()):
        raise ValueError(f"not a duration: {shown}; {_DURATION_HINT}")
    parts = {_DURATION_UNITS[unit]: int(n) for unit, n in found.groupdict().items() if n}
    try:
        value = timedelta(**parts)
    except OverflowError:
        raise ValueError(f"{shown} is too long") from None
    if not value and not allow_zero:
        raise ValueError(f"{shown} is zero; it must be longer than that")
    return value


def _format_duration(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    out = ""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            out += f"{seconds // size}{unit}"
            seconds %= size
    return out or "0s"


# -- send windows ----------------------------------------------------------------------------

_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK = r"[0-9]{1,2}:[0-9]{2}"
_SEND_WINDOW = re.compile(rf"\s*(?P<days>\S.*?)\s+(?P<start>{_CLOCK})\s*-\s*(?P<end>{_CLOCK})\s*")
_HOURS_ONLY = re.compile(rf"\s*{_CLOCK}\s*-\s*{_CLOCK}\s*")
_WINDOW_HINT = 'e.g. "Mon-Fri 09:00-17:00", "Mon,Wed,Fri 08:30-12:00" or "daily 09:00-18:00"'


def parse_send_window(text: str) -> SendWindow:
    """``"Mon-Fri 09:00-17:00"``: the days, then the hours on the wall clock, end exclusive.

    Days are ``daily`` or three-letter English names and ranges, separated by
    commas; a range may wrap (``Fri-Mon``).  The end must be later than the
    start: a window past midnight would belong to two days, and which of them
    the day names meant would be a guess.
    """
    shown = json.dumps(text, ensure_ascii=False)
    found = _SEND_WINDOW.fullmatch(text)
    if not found:
        if _HOURS_ONLY.fullmatch(text):
            raise ValueError(f"{shown} names no days; put them before the hours, {_WINDOW_HINT}")
        raise ValueError(
            f"not a send window: {shown}; write the days, then the hours, {_WINDOW_HINT}"
        )
    days = _window_days(found["days"], shown)
    start, end = _clock(found["start"], shown), _clock(found["end"], shown)
    if start >= end:
        raise ValueError(
            f"{shown} ends at or before it starts; a window cannot run overnight,"
            f" so the end must be later than the start on the same day, {_WINDOW_HINT}"
        )
    return SendWindow(frozenset(days), start, end, text.strip())


def _window_days(text: str, shown: str) -> set[int]:
    if text.strip().lower() == "daily":
        return set(range(7))
    days: set[int] = set()
    for part in text.split(","):
        first, dash, last = part.partition("-")
        low = _day(first, shown)
        high = _day(last, shown) if dash else low
        # Fri-Mon wraps over the weekend: count forward from the first day.
        days.update((low + step) % 7 for step in range((high - low) % 7 + 1))
    return days


def _day(name: str, shown: str) -> int:
    word = name.strip().lower()
    if word in _DAY_NAMES:
        return _DAY_NAMES.index(word)
    hint = f"use Mon, Tue, Wed, Thu, Fri, Sat, Sun or daily, {_WINDOW_HINT}"
    if not word:
        raise ValueError(f"a day is missing in {shown}; {hint}")
    raise ValueError(
        f"unknown day {json.dumps(name.strip(), ensure_ascii=False)} in {shown}; {hint}"
    )


def _clock(text: str, shown: str) -> time:
    hour, minute = (int(part) for part in text.split(":"))
    if hour > 23 or minute > 59:
        raise ValueError(f"{text} in {shown} is not a time of day; use 00:00 to 23:59")
    return time(hour, minute)


# -- hosts and addresses ---------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    """True for ``localhost``, 127.0.0.0/8 and ``::1``: the only hosts a password may cross
    unencrypted to, because the traffic never leaves the machine."""
    host = host.strip().lower().removesuffix(".")
    if host == "localhost":
        return True
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def _looks_like_address(text: str) -> bool:
    local, at, domain = text.strip().rpartition("@")
    return bool(at and local and domain and not re.search(r"\s|[<>,;]", text.strip()))


# -- time zones ------------------------------------------------------------------------------


def _zone_hint(name: str) -> str:
    """A likely zone, else the expected form.  Only Area/City names are offered as
    close: "CEST" is one letter from "EST", a fixed offset five hours off."""
    known = available_timezones()
    by_case = {zone.lower(): zone for zone in known}
    places = [zone for zone in known if "/" in zone and not zone.startswith("Etc/")]
    close = [by_case[name.lower()]] if name.lower() in by_case else []
    close = close or difflib.get_close_matches(name, places, n=1, cutoff=0.6)
    if close:
        return f'did you mean "{close[0]}"?'
    return (
        'use an IANA name such as "Europe/Berlin" or "America/New_York",'
        " not an abbreviation or an offset"
    )


# -- the machine's zone -------------------------------------------------------------

_LOCALTIME = Path("/etc/localtime")
_TIMEZONE_FILE = Path("/etc/timezone")


def local_zone() -> tzinfo:
    """The machine's zone as an IANA zone, so DST rules come with it; UTC if none is found.

    A fixed offset (what ``datetime.now().astimezone()`` gives) would be
    wrong for half the year, hence the search for the zone's name: ``$TZ``,
    then the ``/etc/localtime`` link, then ``/etc/timezone``.
    """
    for name in _zone_names():
        zone = _zone(name)
        if zone is not None:
            return zone
    return UTC


def _zone_names() -> Iterator[str]:
    yield os.environ.get("TZ", "").removeprefix(":")
    try:
        target = os.readlink(_LOCALTIME)
    except OSError:  # missing, or a copied file rather than a link
        target = ""
    yield target
    try:
        contents = _TIMEZONE_FILE.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        contents = ""
    yield contents


def _zone(name: str) -> ZoneInfo | None:
    """The zone ``name`` (or a path ending in ``zoneinfo/<name>``) names, else None."""
    key = name.strip().rpartition("zoneinfo/")[2]
    if not key:
        return None
    try:
        return ZoneInfo(key)
    except (ValueError, ZoneInfoNotFoundError, OSError):
        return None
