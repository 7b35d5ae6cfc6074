"""The machine a run was on, and the row set each run appends to RESULTS.md."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tests.servers.dovecot import find_binary

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = """# Benchmark results

Each run of `benchmarks/run.py` appends one section; earlier sections stay.
Every ratio compares two figures measured in the same run, on the same
machine, usually alternated round by round: compare ratios across runs, not
absolute times.  A loaded machine (see "load") slows both sides.
"""


def _first(path: str, prefix: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def dovecot_version() -> str:
    binary = find_binary("dovecot")
    if binary is None:
        return "not installed"
    found = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    return found.stdout.strip() or "?"


def machine() -> str:
    ram_kib = _first("/proc/meminfo", "MemTotal").split()[0]
    ram = f"{int(ram_kib) / 2**20:.1f} GiB RAM" if ram_kib.isdigit() else "? RAM"
    return (
        f"{_first('/proc/cpuinfo', 'model name')}, {os.cpu_count()} cores, {ram}, "
        f"Linux {platform.release()}, Python {platform.python_version()}, "
        f"Dovecot {dovecot_version()}"
    )


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


@dataclass(frozen=True)
class Figure:
    name: str
    measured: str
    baseline: str = ""
    ratio: str = ""
    target: str = "reference"
    passed: bool | None = None

    def cells(self) -> list[str]:
        verdict = {True: "pass", False: "**MISSED**", None: ""}[self.passed]
        return [self.name, self.measured, self.baseline, self.ratio, self.target, verdict]


def section(title: str, notes: list[str], figures: list[Figure]) -> str:
    """A markdown section: when, where, how loaded, then one row per figure."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"## {stamp}, {title}", "", f"Machine: {machine()}.", ""]
    lines += [f"- {note}" for note in notes]
    lines += [
        "",
        "| figure | measured | same-run baseline | ratio | target | result |",
        "|---|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(figure.cells()) + " |" for figure in figures]
    return "\n".join(lines) + "\n"


def append(text: str, path: Path = RESULTS) -> None:
    """Add a section, writing the header first if the file is new."""
    existing = path.read_text(encoding="utf-8") if path.exists() else HEADER
    path.write_text(existing.rstrip("\n") + "\n\n" + text, encoding="utf-8")
