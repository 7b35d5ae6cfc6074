"""How long from APPEND to a classified message visible in ``status``, while idling.

    python benchmarks/idle_latency.py [--rounds N]

Starts a private Dovecot (the test suite's harness; needs the dovecot package,
which scripts/setup.sh installs), runs the daemon against it, appends a
rejection N times and measures until the message is in the state file, read
the way ``debriefer status`` reads it.  The baseline, measured in the same run,
is a bare imapclient IDLE loop seeing the same APPEND: Dovecot itself batches
notifications for about 0.5 s, so the ratio shows what the daemon adds.
Target: every round under 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from daemon.config import load_config  # noqa: E402 - after the path set-up
from daemon.state import State  # noqa: E402
from daemon.watcher import Daemon  # noqa: E402
from tests.conftest import build_mail  # noqa: E402
from tests.servers.dovecot import Dovecot  # noqa: E402

BODY = (
    "Dear Alex,\n\nThank you for applying for the Data Engineer role at Northwind.\n"
    "Unfortunately we have decided not to move forward with your application.\n\n"
    "Kind regards,\nJordan Reyes"
)


def message(n: int) -> bytes:
    raw = build_mail(f"Your application ({n})", BODY)
    return raw.replace(b"<test-1@northwind.example>", f"<bench-{n}@northwind.example>".encode())


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> float:
    """Seconds until ``condition()`` held, polled every millisecond."""
    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("no result within 30 s")
        time.sleep(0.001)
    return time.perf_counter() - start


def baseline(dovecot: Dovecot, rounds: int) -> list[float]:
    """A bare IDLE client: APPEND from a second connection until EXISTS arrives."""
    user = dovecot.new_user("base")
    watcher = dovecot.client(user)
    watcher.select_folder("INBOX", readonly=True)
    times = []
    try:
        for n in range(rounds):
            watcher.idle()
            start = time.perf_counter()
            dovecot.append(user, message(n))
            while not any(r[1:2] == (b"EXISTS",) for r in watcher.idle_check(timeout=5)):
                pass
            times.append(time.perf_counter() - start)
            watcher.idle_done()
    finally:
        watcher.logout()
    return times


def daemon_rounds(dovecot: Dovecot, workdir: Path, rounds: int) -> list[float]:
    user = dovecot.new_user("bench")
    config_path = workdir / "config.toml"
    config_path.write_text(
        '[identity]\nname = "Alex"\nemail = "alex.candidate@example.net"\n\n'
        f'[[accounts]]\nname = "bench"\nhost = "127.0.0.1"\nport = {dovecot.imap_port}\n'
        f'security = "none"\nusername = "{user.name}"\npassword_env = "BENCH_PASSWORD"\n\n'
        f'[state]\npath = "{workdir / "state.db"}"\n',
        encoding="utf-8",
    )
    os.environ["BENCH_PASSWORD"] = user.password
    config = load_config(config_path)
    state = State(config.state_path)
    daemon = Daemon(config, state)
    thread = threading.Thread(target=lambda: asyncio.run(daemon.run()))
    thread.start()

    def count() -> int:
        with State(config.state_path, read_only=True) as reader:
            return sum(reader.label_counts().values())

    def idling() -> bool:
        with State(config.state_path, read_only=True) as reader:
            return reader.account_statuses().get("bench", {}).get("state") == "idle"

    times = []
    try:
        wait_until(idling)
        for n in range(rounds):
            start = time.perf_counter()
            dovecot.append(user, message(n))
            wait_until(lambda n=n: count() == n + 1)
            times.append(time.perf_counter() - start)
    finally:
        daemon.request_stop()
        thread.join()
        state.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args(argv)
    dovecot = Dovecot()
    dovecot.start()
    try:
        with tempfile.TemporaryDirectory() as workdir:
            base = baseline(dovecot, args.rounds)
            ours = daemon_rounds(dovecot, Path(workdir), args.rounds)
    finally:
        dovecot.cleanup()
    print(f"APPEND -> visible, {args.rounds} rounds (target: every round < 2 s)")
    for name, times in (("bare imapclient IDLE", base), ("debriefer run + status", ours)):
        print(f"  {name:<24} median {statistics.median(times):.3f} s, max {max(times):.3f} s")
    ratio = statistics.median(ours) / statistics.median(base)
    print(f"  ratio (median) {ratio:.2f}x; {'OK' if max(ours) < 2.0 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
