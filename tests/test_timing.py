"""Send windows on the wall clock, through DST changes, and finding the machine's zone."""

from __future__ import annotations

import os
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from daemon.config import values as zones
from daemon.config.values import local_zone
from decide.window import SendWindow, next_send_time

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def window(days: str, start: str, end: str) -> SendWindow:
    """Built by hand, so these tests do not depend on the config's parser."""
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    numbers = frozenset(range(7)) if days == "daily" else frozenset(map(names.index, days.split()))
    return SendWindow(
        numbers, time.fromisoformat(start), time.fromisoformat(end), f"{days} {start}-{end}"
    )


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def berlin(*args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=BERLIN, fold=fold)


WORKDAYS = window("Mon Tue Wed Thu Fri", "09:00", "17:00")
LONG_WEEKEND = window("Fri Sat Sun Mon", "10:00", "18:00")  # what "Fri-Mon" parses to
DAILY = window("daily", "09:00", "18:00")
WEDNESDAY = window("Wed", "09:00", "10:00")

# 2025-01-15 is a Wednesday; Berlin is UTC+1 in winter.
CASES = {
    "inside": (WORKDAYS, berlin(2025, 1, 15, 10, 0), utc(2025, 1, 15, 9, 0)),
    "at the start": (WORKDAYS, berlin(2025, 1, 15, 9, 0), utc(2025, 1, 15, 8, 0)),
    "a second before the end": (
        WORKDAYS,
        berlin(2025, 1, 15, 16, 59, 59),
        utc(2025, 1, 15, 15, 59, 59),
    ),
    "at the end, which is excluded": (WORKDAYS, berlin(2025, 1, 15, 17, 0), utc(2025, 1, 16, 8, 0)),
    "early the same day": (WORKDAYS, berlin(2025, 1, 15, 7, 30), utc(2025, 1, 15, 8, 0)),
    "friday evening waits for monday": (
        WORKDAYS,
        berlin(2025, 1, 17, 18, 0),
        utc(2025, 1, 20, 8, 0),
    ),
    "saturday waits for monday": (WORKDAYS, berlin(2025, 1, 18, 12, 0), utc(2025, 1, 20, 8, 0)),
    "given in another zone, inside": (
        WORKDAYS,
        datetime(2025, 1, 15, 3, 0, tzinfo=NEW_YORK),  # 09:00 in Berlin
        utc(2025, 1, 15, 8, 0),
    ),
    "given in another zone, after hours": (
        WORKDAYS,
        datetime(2025, 1, 15, 12, 0, tzinfo=NEW_YORK),  # 18:00 in Berlin
        utc(2025, 1, 16, 8, 0),
    ),
    "wrapping range, tuesday waits for friday": (
        LONG_WEEKEND,
        berlin(2025, 1, 14, 12, 0),
        utc(2025, 1, 17, 9, 0),
    ),
    "wrapping range, sunday is inside": (
        LONG_WEEKEND,
        berlin(2025, 1, 19, 12, 0),
        utc(2025, 1, 19, 11, 0),
    ),
    "wrapping range, monday evening waits for friday": (
        LONG_WEEKEND,
        berlin(2025, 1, 20, 18, 30),
        utc(2025, 1, 24, 9, 0),
    ),
    "daily, sunday evening waits for monday": (
        DAILY,
        berlin(2025, 1, 19, 20, 0),
        utc(2025, 1, 20, 8, 0),
    ),
    "daily, saturday night waits for sunday": (
        DAILY,
        berlin(2025, 1, 18, 23, 59),
        utc(2025, 1, 19, 8, 0),
    ),
    "one day a week, at its end": (WEDNESDAY, berlin(2025, 1, 15, 10, 0), utc(2025, 1, 22, 8, 0)),
}


@pytest.mark.parametrize(("win", "when", "expected"), CASES.values(), ids=CASES.keys())
def test_next_send_time(win: SendWindow, when: datetime, expected: datetime) -> None:
    result = next_send_time(when, win, BERLIN)
    assert result == expected
    assert result.tzinfo is UTC


def test_no_window_means_now_in_utc() -> None:
    result = next_send_time(berlin(2025, 1, 18, 3, 0), None, BERLIN)
    assert (result, result.tzinfo) == (utc(2025, 1, 18, 2, 0), UTC)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="must be timezone-aware"):
        next_send_time(datetime(2025, 1, 15, 10, 0), WORKDAYS, BERLIN)
    with pytest.raises(ValueError, match="must be timezone-aware"):
        next_send_time(datetime(2025, 1, 15, 10, 0), None, BERLIN)


# -- daylight saving time --------------------------------------------------------------------
# Berlin: on 2025-03-30 the clock jumps from 02:00 CET to 03:00 CEST (01:00 UTC); on
# 2025-10-26 it goes back from 03:00 CEST to 02:00 CET (01:00 UTC), so 02:00-03:00 repeats.

DST = {
    "the opening moves with the offset in spring": (
        DAILY,
        berlin(2025, 3, 29, 18, 0),
        utc(2025, 3, 30, 7, 0),  # 09:00 CEST
    ),
    "monday after the spring change": (
        WORKDAYS,
        berlin(2025, 3, 28, 18, 0),
        utc(2025, 3, 31, 7, 0),
    ),
    "a skipped start opens at the jump": (
        window("daily", "02:30", "04:00"),
        utc(2025, 3, 30, 0, 15),  # 01:15 CET
        utc(2025, 3, 30, 1, 0),  # 03:00 CEST
    ),
    "right after the jump is inside": (
        window("daily", "02:30", "04:00"),
        utc(2025, 3, 30, 1, 0),
        utc(2025, 3, 30, 1, 0),
    ),
    "a window skipped whole waits a week": (
        window("Sun", "02:00", "02:59"),
        utc(2025, 3, 29, 12, 0),
        utc(2025, 4, 6, 0, 0),  # 02:00 CEST the next Sunday
    ),
    "the opening moves with the offset in autumn": (
        DAILY,
        berlin(2025, 10, 25, 18, 0),
        utc(2025, 10, 26, 8, 0),  # 09:00 CET
    ),
    "a repeated start opens the first time": (
        window("daily", "02:30", "03:30"),
        utc(2025, 10, 26, 0, 0),  # 02:00 CEST
        utc(2025, 10, 26, 0, 30),  # 02:30 CEST
    ),
    "the repeated hour opens the window again": (
        window("daily", "02:30", "02:45"),
        utc(2025, 10, 26, 0, 50),  # 02:50 CEST
        utc(2025, 10, 26, 1, 30),  # 02:30 CET
    ),
    "inside on the second pass": (
        window("daily", "02:30", "02:45"),
        berlin(2025, 10, 26, 2, 35, fold=1),
        utc(2025, 10, 26, 1, 35),
    ),
    "after the second pass waits a day": (
        window("daily", "02:30", "02:45"),
        utc(2025, 10, 26, 1, 50),  # 02:50 CET
        utc(2025, 10, 27, 1, 30),
    ),
}


@pytest.mark.parametrize(("win", "when", "expected"), DST.values(), ids=DST.keys())
def test_dst_in_berlin(win: SendWindow, when: datetime, expected: datetime) -> None:
    assert next_send_time(when, win, BERLIN) == expected


def test_spring_forward_in_new_york() -> None:
    # 2025-03-09: 02:00 EST becomes 03:00 EDT at 07:00 UTC.
    when = utc(2025, 3, 9, 6, 0)  # 01:00 EST
    assert next_send_time(when, window("daily", "02:15", "05:00"), NEW_YORK) == utc(
        2025, 3, 9, 7, 0
    )


def test_a_half_hour_change() -> None:
    # Lord Howe Island moves from UTC+10:30 to UTC+11 at 02:00 on 2025-10-05 (15:30 UTC).
    zone = ZoneInfo("Australia/Lord_Howe")
    when = utc(2025, 10, 4, 15, 0)  # 01:30 local
    assert next_send_time(when, window("daily", "02:10", "03:00"), zone) == utc(2025, 10, 4, 15, 30)


# -- the machine's zone ----------------------------------------------------------------------


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No TZ, no /etc/localtime, no /etc/timezone, until a test puts them in ``tmp_path``."""
    monkeypatch.delenv("TZ", raising=False)
    monkeypatch.setattr(zones, "_LOCALTIME", tmp_path / "localtime")
    monkeypatch.setattr(zones, "_TIMEZONE_FILE", tmp_path / "timezone")
    return tmp_path


def key(zone: object) -> str:
    assert isinstance(zone, ZoneInfo), zone
    return zone.key


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        (":America/New_York", "America/New_York"),
        (":/usr/share/zoneinfo/Asia/Tokyo", "Asia/Tokyo"),
    ],
)
def test_local_zone_from_tz(
    machine: Path, monkeypatch: pytest.MonkeyPatch, tz: str, expected: str
) -> None:
    os.symlink("/usr/share/zoneinfo/Europe/Paris", machine / "localtime")
    monkeypatch.setenv("TZ", tz)
    assert key(local_zone()) == expected


@pytest.mark.parametrize(
    "tz", ["", "CET-1CEST,M3.5.0,M10.5.0/3", "Nowhere/Land", ":/etc/localtime"]
)
def test_local_zone_from_the_localtime_link(
    machine: Path, monkeypatch: pytest.MonkeyPatch, tz: str
) -> None:
    monkeypatch.setenv("TZ", tz)
    os.symlink("../usr/share/zoneinfo/Europe/Paris", machine / "localtime")
    (machine / "timezone").write_text("Asia/Tokyo\n")
    assert key(local_zone()) == "Europe/Paris"


def test_local_zone_from_etc_timezone(machine: Path) -> None:
    (machine / "localtime").write_bytes(b"TZif, a copy rather than a link")
    (machine / "timezone").write_text("America/New_York\n")
    assert key(local_zone()) == "America/New_York"


def test_a_link_to_no_known_zone_is_passed_over(machine: Path) -> None:
    os.symlink("/opt/zones/Somewhere", machine / "localtime")
    (machine / "timezone").write_text("Europe/Berlin\n")
    assert key(local_zone()) == "Europe/Berlin"


def test_local_zone_falls_back_to_utc(machine: Path) -> None:
    assert local_zone() is UTC
    (machine / "timezone").write_text("not a zone\n")
    assert local_zone() is UTC
