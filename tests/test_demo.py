"""`debriefer demo`, as the README's first command runs it (CI runs it too)."""

from __future__ import annotations

import io

import pytest

from classifiers import classify
from daemon.cli.demo import run_demo, sample_inbox

from .support import run_debriefer

pytestmark = pytest.mark.slow


def test_the_sample_inbox_holds_two_rejections_and_two_near_misses() -> None:
    labels = [classify(raw).label.value for raw in sample_inbox()]
    assert labels == ["rejection", "rejection", "other", "other"]


def test_the_demo_runs_the_whole_flow_and_shows_three_drafts() -> None:
    out = io.StringIO()
    assert run_demo(out=out, wait="1s") == 0
    shown = out.getvalue()
    assert "The Drafts folder now holds 3 drafts:" in shown
    assert "To: Jordan Reyes <jordan.reyes@northwind.example>" in shown
    assert "To: Miriam Keller <miriam.keller@kaltwasser-energie.example>" in shown
    assert "Guten Tag Miriam Keller," in shown
    assert "thank-you to jordan.reyes@northwind.example: drafted" in shown
    assert "'Interview invitation: Analytics Engineer': other" in shown
    assert shown.count("-> nothing to do") == 2


def test_the_readme_command_runs_clean() -> None:
    """`debriefer demo` as a user types it: the status table and the drafts on stdout,
    and not one warning (a reconnect, say) on stderr."""
    shown = run_debriefer("demo", "--wait", "1s", timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert "RECEIVED      COMPANY / ROLE" in shown.stdout
    assert "The Drafts folder now holds 3 drafts:" in shown.stdout
    assert "WARNING" not in shown.stderr + shown.stdout
    assert "Traceback" not in shown.stderr
