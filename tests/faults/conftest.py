"""The fault suite's shared pieces: its figures, printed at the end of the run.

Every test here is marked ``fault`` (left out of the default run by addopts;
``scripts/test.sh`` runs them as a second pytest invocation).  Tests add what
they did and what they found to ``figures``; ``pytest_terminal_summary``
prints the totals, so CI output shows how hard the daemon was pushed and that
nothing was duplicated or lost.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis writes nothing into the checkout, and a loaded CI machine is not a failure.
settings.register_profile(
    "faults",
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.load_profile("faults")

_HERE = Path(__file__).parent

# The order and wording of the summary lines.
_LINES = (
    ("kills", "SIGKILLs survived"),
    ("kills_mid_action", "  ... that left a draft or send half-done"),
    ("restarts", "daemon starts"),
    ("uncertain_sends", "sends a kill left as MAY HAVE BEEN SENT drafts"),
    ("contacts", "contacts checked"),
    ("faults", "network faults injected"),
    ("hostile", "hostile messages tried"),
    ("hostile_e2e", "  ... of them through Dovecot and the daemon"),
    ("drafts_checked", "drafts parsed for injected headers"),
    ("secrets_checked", "places searched for a password"),
    ("duplicates", "duplicates found"),
    ("losses", "losses"),
)


class Figures(Counter[str]):
    """Totals over the whole session; a test adds to them as it goes."""

    ran = False


FIGURES = Figures()


@pytest.fixture(scope="session")
def figures() -> Figures:
    FIGURES.ran = True
    return FIGURES


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test in this folder without the fault marker would slow the default run."""
    for item in items:
        if _HERE in Path(str(item.fspath)).parents and item.get_closest_marker("fault") is None:
            raise pytest.UsageError(f"{item.nodeid} is in tests/faults but not marked fault")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FIGURES.ran:
        return
    terminalreporter.section("fault suite figures")
    for key, label in _LINES:
        terminalreporter.write_line(f"{label:<46} {FIGURES[key]}")
    for key in sorted(k for k in FIGURES if k.startswith("fault:")):
        terminalreporter.write_line(f"  {key.removeprefix('fault:'):<44} {FIGURES[key]}")
