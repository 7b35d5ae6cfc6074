"""Where the scan's per-message time goes: pyinstrument over the work a dry run does
for each message (parse, classify, rules, fingerprint), on the benchmark's mailbox.

    .venv/bin/pip install '.[bench]'     # pyinstrument
    .venv/bin/python benchmarks/profile_scan.py [--messages N]

No IMAP and no Dovecot: the messages come from the cache benchmarks/run.py
fills (made here if missing), cut and line-ended as a FETCH returns them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import maildir  # noqa: E402 - after the path set-up
import scanning  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2_000)
    args = parser.parse_args(argv)
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("profile_scan.py needs pyinstrument: .venv/bin/pip install '.[bench]'")
        return 2
    intake, batch = scanning.judging_inputs(maildir.source_for(args.messages), args.messages)
    scanning.judge_all(intake, batch)  # warm: compiled patterns, imports
    started = time.perf_counter()
    scanning.judge_all(intake, batch)
    seconds = time.perf_counter() - started
    profiler = Profiler(interval=0.0005)
    with profiler:
        scanning.judge_all(intake, batch)
    print(profiler.output_text(color=sys.stdout.isatty()))
    print(f"{len(batch):,} messages, {seconds / len(batch) * 1e3:.3f} ms each unprofiled")
    return 0


if __name__ == "__main__":
    sys.exit(main())
