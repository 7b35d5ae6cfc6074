"""Every speed and memory figure of debriefer, each next to a baseline from the same run.

    .venv/bin/python benchmarks/run.py [--quick] [--only NAME ...]

NAME is one of: scan (``debriefer scan --dry-run`` against a bare imapclient
loop doing its IMAP reads), memory (peak RSS of a big and a small scan), push
(APPEND to verdict while idling), idle (CPU and wakeups of an idle daemon with
three accounts), classifier (benchmarks/classifier.py's speed, for reference).
A private Dovecot on 127.0.0.1 serves a generated inbox, cached under /tmp
between runs.  The figures are printed and appended to benchmarks/RESULTS.md.
The full run takes about 15 minutes, ten of them the idle window.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import idle_cost  # noqa: E402 - after the path set-up
import maildir  # noqa: E402
import push  # noqa: E402
import results  # noqa: E402
import scanning  # noqa: E402
from results import Figure  # noqa: E402

from tests.servers.dovecot import Dovecot  # noqa: E402

SECTIONS = ("scan", "memory", "push", "idle", "classifier")


@dataclass(frozen=True)
class Sizes:
    scan: int  # messages in the big scan
    small: int  # messages in the small scan its memory is compared with
    rounds: int  # scan rounds, each side
    pushes: int  # APPENDs timed, each side
    idle_seconds: float


FULL = Sizes(scan=20_000, small=2_000, rounds=3, pushes=100, idle_seconds=600)
# The small scan stays at or above scan.POOL_FROM, so both scans run the same way.
QUICK = Sizes(scan=2_000, small=1_000, rounds=1, pushes=20, idle_seconds=60)


def _seconds(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s" + (
        f" (median of {len(values)})" if len(values) > 1 else ""
    )


def measure_scan(
    dovecot: Dovecot, sizes: Sizes, only: set[str], work: Path, notes: list[str]
) -> list[Figure]:
    source, summary = maildir.cached_mailbox(sizes.scan)
    notes.append(
        f"mailbox: {summary['count']:,} generated messages, {summary['bytes'] / 1e6:,.0f} MB,"
        f" median {summary['median_size'] / 1000:.0f} KB, largest"
        f" {summary['largest'] / 1e6:.1f} MB, {summary['over_128k']} over 128 KiB;"
        f" kinds {summary['kinds']}, languages {summary['languages']}"
    )
    big = dovecot.new_user("scan")
    indexed = maildir.install(dovecot, big, source, sizes.scan)
    notes.append(f"Dovecot indexed the {sizes.scan:,} linked files in {indexed:.1f} s")
    figures = []
    big_rss: tuple[float, int] | None = None
    if "scan" in only:
        scan = scanning.scan_vs_bare(dovecot, big, sizes.scan, work, sizes.rounds)
        big_rss = max(scan.scan_rss_mib), scan.processes
        floor = scanning.judge_alone(source, min(sizes.scan, 2_000))
        bare = statistics.median(scan.bare_seconds)
        figures += [
            Figure(
                f"scan --dry-run, {sizes.scan:,} messages",
                _seconds(scan.scan_seconds)
                + f", {sizes.scan / statistics.median(scan.scan_seconds):,.0f} msg/s",
                f"bare imapclient fetch {_seconds(scan.bare_seconds)},"
                f" {scan.fetched_bytes / 1e6:,.0f} MB",
                f"{scan.ratio:.2f}x",
                "≤ 1.3x",
                scan.ratio <= 1.3,
            ),
            Figure(
                "the same scan against the bare loop with imaplib's debug formatting off,"
                " as the scan runs imapclient",
                _seconds(scan.scan_seconds),
                f"quiet bare fetch {_seconds(scan.quiet_bare_seconds)}",
                f"{statistics.median(scan.scan_seconds) / statistics.median(scan.quiet_bare_seconds):.2f}x",
            ),
            Figure(
                "the same scan on one process (workers off)",
                _seconds(scan.one_process_seconds),
                f"bare imapclient fetch {_seconds(scan.bare_seconds)}",
                f"{statistics.median(scan.one_process_seconds) / bare:.2f}x",
            ),
            Figure(
                "CPU time (user + system) of the scan and its workers; Dovecot's not counted",
                _seconds(scan.scan_cpu_seconds) + f" on {_cores()} cores",
                f"bare imapclient fetch {_seconds(scan.bare_cpu_seconds)}",
                f"{statistics.median(scan.scan_cpu_seconds) / statistics.median(scan.bare_cpu_seconds):.2f}x",
            ),
            Figure(
                "scan's per-message work alone (parse, classify, fingerprint), one core",
                f"{floor:,.0f} msg/s",
                f"bare fetch {sizes.scan / bare:,.0f} msg/s",
                f"{sizes.scan / floor / bare:.2f}x",
            ),
        ]
    if "memory" in only:
        small = dovecot.new_user("small")
        maildir.install(dovecot, small, source, sizes.small)
        rounds = sizes.rounds if big_rss is not None else 1
        if big_rss is None:
            big_rss = scanning.peak_rss(dovecot, big, sizes.scan, work, rounds)
        big_mib, big_n = big_rss
        small_mib, small_n = scanning.peak_rss(dovecot, small, sizes.small, work, rounds)
        figures.append(
            Figure(
                f"peak RSS, scan of {sizes.scan:,}",
                f"{big_mib:.1f} MiB over {big_n} processes",
                f"scan of {sizes.small:,}: {small_mib:.1f} MiB over {small_n} processes",
                f"{big_mib / small_mib:.2f}x",
                "≤ 1.2x",
                big_mib <= 1.2 * small_mib,
            )
        )
    return figures


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def measure_push(dovecot: Dovecot, sizes: Sizes, work: Path) -> list[Figure]:
    found = push.push_latency(dovecot, work, sizes.pushes)
    median, bare_median = statistics.median(found.daemon), statistics.median(found.bare)
    p95, bare_p95 = push.Latencies.p95(found.daemon), push.Latencies.p95(found.bare)
    return [
        Figure(
            f"push latency, median of {sizes.pushes}",
            f"{median:.3f} s",
            f"bare IDLE client {bare_median:.3f} s",
            f"{median / bare_median:.2f}x",
            "< 1 s",
            median < 1.0,
        ),
        Figure(
            f"push latency, p95 of {sizes.pushes}",
            f"{p95:.3f} s",
            f"bare IDLE client {bare_p95:.3f} s",
            f"{p95 / bare_p95:.2f}x",
        ),
    ]


def measure_idle(dovecot: Dovecot, sizes: Sizes, work: Path) -> list[Figure]:
    source = maildir.source_for(idle_cost.MESSAGES_EACH)
    cost = idle_cost.idle_cost(dovecot, work, source, sizes.idle_seconds)
    window = f"{cost.seconds:.0f} s"
    return [
        Figure(
            f"idle CPU, {idle_cost.ACCOUNTS} accounts, {window}",
            f"{cost.cpu_seconds:.2f} s = {cost.cpu_per_10_min:.2f} s per 10 min",
            target="< 1 s per 10 min",
            passed=cost.cpu_per_10_min < 1.0,
        ),
        Figure(
            f"idle wakeups, {idle_cost.ACCOUNTS} accounts, {window}",
            f"{cost.wakeups_per_second:.1f}/s ({cost.wakeups:,});"
            f" threads {cost.threads[0]} → {cost.threads[1]}",
        ),
    ]


_SPEED = re.compile(r"^\s+(text/plain only|text \+ HTML alternative)\s.*classify\(bytes\) ([\d.]+)")


def measure_classifier() -> list[Figure]:
    """benchmarks/classifier.py as its owner runs it; its ms/msg read back as msg/s."""
    found = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "classifier.py")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    figures = []
    for line in found.stdout.splitlines():
        match = _SPEED.match(line)
        if match:
            shape, ms = match.groups()
            figures.append(
                Figure(f"classifier.py, dev corpus, {shape}", f"{1000 / float(ms):,.0f} msg/s")
            )
    if not figures:
        reason = (found.stderr or found.stdout).strip().splitlines()[-1:] or ["no output"]
        figures.append(Figure("classifier.py", f"no figure: {reason[0]}"))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a minute of idling")
    parser.add_argument(
        "--only", action="append", choices=SECTIONS, metavar="NAME", help=", ".join(SECTIONS)
    )
    parser.add_argument("--rounds", type=int, help="scan rounds per side")
    parser.add_argument("--pushes", type=int, help="APPENDs timed per side")
    parser.add_argument("--idle-seconds", type=float, help="length of the idle window")
    parser.add_argument("--fresh-cache", action="store_true", help="generate the mailbox anew")
    parser.add_argument("--no-record", action="store_true", help="print only; leave RESULTS.md")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    for name in ("rounds", "pushes", "idle_seconds"):
        if getattr(args, name) is not None:
            sizes = replace(sizes, **{name: getattr(args, name)})
    only = set(args.only or SECTIONS)
    if args.fresh_cache:
        maildir.clear_cache()

    notes = [f"load (1, 5, 15 min) at start: {results.load()}"]
    figures: list[Figure] = []
    with contextlib.ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="debriefer-bench-")))
        dovecot = None
        if only - {"classifier"}:
            dovecot = Dovecot()
            stack.callback(dovecot.cleanup)
            dovecot.start()
        for name in SECTIONS:
            if name not in only or (name == "memory" and "scan" in only):
                continue
            print(f"-- {name}", file=sys.stderr, flush=True)
            part = work / name
            part.mkdir()
            if name in ("scan", "memory"):
                assert dovecot is not None
                found = measure_scan(dovecot, sizes, only, part, notes)
            elif name == "push":
                assert dovecot is not None
                found = measure_push(dovecot, sizes, part)
            elif name == "idle":
                assert dovecot is not None
                found = measure_idle(dovecot, sizes, part)
            else:
                found = measure_classifier()
            for figure in found:
                print(" | ".join(cell for cell in figure.cells() if cell), flush=True)
            figures += found
    notes.append(f"load at end: {results.load()}")
    title = "quick run (--quick)" if args.quick else "full run"
    if args.only:
        title += f", only {', '.join(sorted(only))}"
    text = results.section(title, notes, figures)
    print("\n" + text)
    if not args.no_record:
        results.append(text)
        print(f"appended to {results.RESULTS.relative_to(ROOT)}", file=sys.stderr)
    missed = [f.name for f in figures if f.passed is False]
    print(f"missed: {'; '.join(missed)}" if missed else "every target met", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
