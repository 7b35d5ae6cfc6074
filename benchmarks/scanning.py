"""``debriefer scan --dry-run`` against the bare IMAP work it cannot avoid, and its memory.

Both sides are child processes reading the same seeded INBOX with the same
FETCH items in the same batches, alternated round by round so that a busy
neighbour on the machine slows both alike; the figure is the ratio of medians.
Peak RSS comes from wait4, per process: a big and a small scan, each alone.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import harness

from daemon.config import load_config
from daemon.mail import imap
from daemon.running.intake import Intake
from tests.servers.dovecot import Dovecot, MailUser

SINCE = date(2000, 1, 1)  # before every generated message; the config's lookback agrees
# The same command with its worker processes turned off, for the same-run comparison.
_ONE_PROCESS = (
    "import sys, daemon.cli.scan as scan; scan.POOL_FROM = sys.maxsize;"
    " from daemon.cli import main; sys.exit(main(sys.argv[1:]))"
)


@dataclass(frozen=True)
class ScanFigures:
    messages: int
    scan_seconds: list[float]
    bare_seconds: list[float]
    one_process_seconds: list[float]
    scan_rss_mib: list[float]
    bare_rss_mib: list[float]
    fetched_bytes: int
    processes: int  # the scan's own and its workers
    scan_cpu_seconds: list[float]  # user + system, the scan and its workers
    bare_cpu_seconds: list[float]
    quiet_bare_seconds: list[float]  # the bare loop with imaplib's debug formatting off

    @property
    def ratio(self) -> float:
        return statistics.median(self.scan_seconds) / statistics.median(self.bare_seconds)


def _scan(
    config: Path, env: dict[str, str], out: Path, expected: int, *, workers: bool = True
) -> harness.Child:
    command = ["scan", "--dry-run", "--config", str(config)]
    argv = (
        harness.debriefer(*command) if workers else [sys.executable, "-c", _ONE_PROCESS, *command]
    )
    child = harness.run_child(argv, env, out)
    if child.returncode != 0:
        raise RuntimeError(f"scan failed: {out.with_suffix('.err').read_text()[-2000:]}")
    rows = sum(1 for line in out.open("rb") if line.startswith(b"acct"))
    if rows != expected:
        raise RuntimeError(f"the scan printed {rows} rows for {expected} messages")
    return child


def _bare(
    dovecot: Dovecot, user: MailUser, out: Path, *, quiet: bool = False
) -> tuple[harness.Child, dict]:
    argv = [
        sys.executable,
        str(harness.ROOT / "benchmarks" / "bare_fetch.py"),
        *(["--quiet"] if quiet else []),
        str(dovecot.imap_port),
        user.name,
        SINCE.isoformat(),
        str(imap.FETCH_BATCH),
        *imap.FETCH_ITEMS,
    ]
    child = harness.run_child(argv, {**os.environ, "BENCH_PASSWORD": user.password}, out)
    if child.returncode != 0:
        raise RuntimeError(f"bare fetch failed: {out.with_suffix('.err').read_text()[-2000:]}")
    return child, json.loads(out.read_text())


def scan_vs_bare(
    dovecot: Dovecot, user: MailUser, count: int, workdir: Path, rounds: int
) -> ScanFigures:
    config = workdir / "scan.toml"
    env = harness.write_config(config, dovecot, [user])
    _bare(dovecot, user, workdir / "warm.out")  # page cache and Dovecot's own cache
    scans, bares, quiet_bares, singles = [], [], [], []
    fetched = 0
    for n in range(rounds):
        bare, report = _bare(dovecot, user, workdir / f"bare-{n}.out")
        if report["messages"] != count:
            raise RuntimeError(f"the bare fetch saw {report['messages']} of {count} messages")
        fetched = report["bytes"]
        bares.append(bare)
        quiet_bares.append(_bare(dovecot, user, workdir / f"quiet-{n}.out", quiet=True)[0])
        scans.append(_scan(config, env, workdir / f"scan-{n}.out", count))
        singles.append(_scan(config, env, workdir / f"one-{n}.out", count, workers=False))
    return ScanFigures(
        count,
        [c.seconds for c in scans],
        [c.seconds for c in bares],
        [c.seconds for c in singles],
        [c.peak_rss_mib for c in scans],
        [c.peak_rss_mib for c in bares],
        fetched,
        max(c.processes for c in scans),
        [c.cpu_seconds for c in scans],
        [c.cpu_seconds for c in bares],
        [c.seconds for c in quiet_bares],
    )


def peak_rss(
    dovecot: Dovecot, user: MailUser, count: int, workdir: Path, rounds: int
) -> tuple[float, int]:
    """The highest peak RSS over ``rounds`` scans of this user's INBOX, in MiB, and the
    number of processes it was spread over."""
    config = workdir / f"memory-{count}.toml"
    env = harness.write_config(config, dovecot, [user])
    runs = [_scan(config, env, workdir / f"memory-{count}-{n}.out", count) for n in range(rounds)]
    return max(c.peak_rss_mib for c in runs), max(c.processes for c in runs)


def judge_alone(source: Path, count: int) -> float:
    """Messages per second of the scan's own work on each message, with no IMAP at all:
    the first ``count`` cached messages cut as the fetch cuts them, judged on one core."""
    intake, batch = judging_inputs(source, count)
    started = time.perf_counter()
    judge_all(intake, batch)
    return len(batch) / (time.perf_counter() - started)


def judging_inputs(source: Path, count: int) -> tuple[Intake, list[imap.Fetched]]:
    """A dry run's intake, and the first ``count`` cached messages as a FETCH returns them."""
    names = sorted((p.name for p in (source / "cur").iterdir()), key=lambda n: int(n.split(".")[0]))
    raws = [(source / "cur" / name).read_bytes()[: imap.FETCH_BYTES] for name in names[:count]]
    # LF as stored, CRLF as an IMAP server sends it.
    batch = [imap.Fetched(n, raw.replace(b"\n", b"\r\n"), None) for n, raw in enumerate(raws)]
    config_file = source.parent / "judge-alone.toml"
    config_file.write_text(
        harness.IDENTITY + '[[accounts]]\nname = "a"\nhost = "127.0.0.1"\nsecurity = "none"\n'
        'username = "a"\npassword_env = "UNUSED"\n'
    )
    config = load_config(config_file)
    return Intake(config, config.accounts[0], None), batch


def judge_all(intake: Intake, batch: list[imap.Fetched]) -> None:
    for fetched in batch:
        intake.judge(fetched, "INBOX", 1)
