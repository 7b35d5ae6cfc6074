"""Push latency alone, under its old name: ``benchmarks/run.py --only push``.

    python benchmarks/idle_latency.py [--rounds N]

The measurement itself lives in benchmarks/push.py and now runs the daemon as
its own process; see run.py for every other figure.
"""

from __future__ import annotations

import argparse
import sys

import run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=run.FULL.pushes)
    args = parser.parse_args(argv)
    return run.main(["--only", "push", "--pushes", str(args.rounds)])


if __name__ == "__main__":
    sys.exit(main())
