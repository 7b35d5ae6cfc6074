"""The scan's progress bar as pure logic (what it says, and when it draws), and the
reader thread and worker processes that feed it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from imapclient.fixed_offset import FixedOffset

from daemon.cli.scan import ScanProgress, _judging, progress_line, read_ahead
from daemon.config import load_config
from daemon.mail.imap import Fetched
from daemon.running.intake import Intake

from .support import build_mail

REJECTION = (
    "Thank you for applying for the Data Engineer role at Northwind. Unfortunately we have"
    " decided not to move forward with your application."
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _bar(
    clock: FakeClock, total: int = 20_000, **options: object
) -> tuple[ScanProgress, io.StringIO]:
    stream = io.StringIO()
    options.setdefault("width", 100)
    return ScanProgress("INBOX", total, stream, clock=clock, **options), stream


def test_the_line_gives_count_rate_and_time_left() -> None:
    """Thousands separators, messages per second so far, and the rest at that rate."""
    assert progress_line("INBOX", 1_240, 20_000, 4.0) == (
        "INBOX 1,240/20,000 messages (6%), 310/s, 1:01 left"
    )


def test_the_line_before_any_message_has_no_rate() -> None:
    """Nothing done yet means no rate to divide by."""
    assert progress_line("INBOX", 0, 20_000, 3.0) == "INBOX 0/20,000 messages (0%)"


def test_hours_appear_only_when_needed() -> None:
    """A long remainder reads h:mm:ss, a short one m:ss."""
    assert progress_line("a INBOX", 10, 100_000, 10.0).endswith("1/s, 27:46:30 left")
    assert progress_line("a INBOX", 99, 100, 99.0).endswith("1/s, 0:01 left")


def test_nothing_is_drawn_during_the_first_second() -> None:
    """Most scans end before a bar would help: they never print one."""
    clock = FakeClock()
    bar, stream = _bar(clock)
    clock.now += 0.9
    bar.advance(50)
    assert stream.getvalue() == ""


def test_redraws_are_throttled() -> None:
    """After the delay, a redraw at most every interval, however many batches arrive."""
    clock = FakeClock()
    bar, stream = _bar(clock)
    clock.now += 1.0
    bar.advance(50)
    for _ in range(9):
        clock.now += 0.02
        bar.advance(50)
    clock.now += 0.1
    bar.advance(50)
    draws = stream.getvalue().count("\r")
    assert draws == 2
    # 550 messages in 1.28 s: 430/s, and 19,450 to go at that rate.
    assert stream.getvalue().endswith("INBOX 550/20,000 messages (2%), 430/s, 0:45 left\x1b[K")


def test_finish_erases_the_bar() -> None:
    """The terminal is left as it was: the line is cleared, not left behind."""
    clock = FakeClock()
    bar, stream = _bar(clock)
    clock.now += 2.0
    bar.advance(100)
    bar.finish()
    assert stream.getvalue().endswith("\r\x1b[K")
    assert not bar.visible


def test_rows_for_the_same_terminal_lift_the_bar_and_put_it_back() -> None:
    """Rows printed while the bar shows never end up behind it."""
    clock = FakeClock()
    bar, stream = _bar(clock)
    clock.now += 2.0
    bar.advance(100)
    with bar.hidden():
        stream.write("ROW\n")
    assert stream.getvalue().endswith(
        "\r\x1b[KROW\n\rINBOX 100/20,000 messages (0%), 50/s, 6:38 left\x1b[K"
    )


def test_a_narrow_terminal_gets_a_line_that_does_not_wrap() -> None:
    """A wrapped line cannot be redrawn in place with a carriage return."""
    clock = FakeClock()
    bar, stream = _bar(clock, width=30)
    clock.now += 2.0
    bar.advance(100)
    drawn = stream.getvalue().removeprefix("\r").removesuffix("\x1b[K")
    assert drawn == "INBOX 100/20,000 messages (0%"[:29]


def test_a_disabled_bar_never_writes() -> None:
    """Not a terminal, or --json: the counting goes on, the drawing does not."""
    clock = FakeClock()
    bar, stream = _bar(clock, enabled=False)
    clock.now += 5.0
    bar.advance(1_000)
    with bar.hidden():
        pass
    bar.finish()
    assert stream.getvalue() == ""
    assert bar.done == 1_000


def test_read_ahead_keeps_order_and_raises_the_readers_error() -> None:
    """Items arrive in order; a failure on the reader thread surfaces in the caller."""

    def source() -> Iterator[int]:
        yield from range(5)
        raise ConnectionError("gone")

    seen: list[int] = []
    with pytest.raises(ConnectionError, match="gone"):
        seen.extend(read_ahead(source(), depth=2))
    assert seen == [0, 1, 2, 3, 4]


def _intake(tmp_path: Path) -> Intake:
    """A dry-run intake (no state) for a one-account config."""
    config_file = tmp_path / "config.toml"
    config_file.write_text(
        '[identity]\nname = "Alex"\nemail = "alex.candidate@example.net"\n\n'
        '[[accounts]]\nname = "a"\nhost = "127.0.0.1"\nsecurity = "none"\n'
        'username = "a"\npassword_env = "UNUSED"\n'
    )
    config = load_config(config_file)
    return Intake(config, config.accounts[0], None)


def test_workers_give_the_same_rows_in_the_same_order(tmp_path: Path) -> None:
    """A long dry run classifies on worker processes; what it prints must not change."""
    intake = _intake(tmp_path)
    # INTERNALDATE as imapclient parses it, in a tzinfo of its own that pickle cannot take.
    received = datetime(2026, 3, 1, 9, 30, tzinfo=FixedOffset(120))
    batches = [
        [
            Fetched(uid, build_mail(f"Your application ({uid})", body), received)
            for uid in range(start, start + 3)
        ]
        for start, body in ((1, REJECTION), (4, "Lunch on Friday?"), (7, REJECTION))
    ]
    with _judging(intake, 1, workers=1) as here, _judging(intake, 1, workers=2) as pooled:
        expected = list(here(batches))
        assert list(pooled(batches)) == expected
    assert [row["uid"] for rows in expected for row in rows] == list(range(1, 10))
    assert expected[0][0]["label"] == "rejection"


def test_a_received_time_from_the_future_is_taken_as_now(tmp_path: Path) -> None:
    """A server that dates a rejection 2099 must not schedule its request for 2099."""
    intake = _intake(tmp_path)
    raw = build_mail(
        "Your application",
        "Dear Alex,\n\nThank you for your interest in the Data Engineer role at Northwind. "
        "Unfortunately we have decided not to move forward with your application.\n\n"
        "Best regards,\nJordan Reyes",
    )
    before = datetime.now(UTC)
    judged = intake.judge(Fetched(1, raw, datetime(2099, 1, 1, tzinfo=UTC)), "INBOX", 1)
    assert judged.seen.received_at is not None
    received = datetime.fromisoformat(judged.seen.received_at)
    assert before - timedelta(seconds=1) <= received <= datetime.now(UTC)
    decided = intake.plan(judged)
    assert decided is not None
    assert decided.action is not None
    assert decided.action.due_at < datetime(2030, 1, 1, tzinfo=UTC)
