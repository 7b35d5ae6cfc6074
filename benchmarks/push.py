"""Push latency: from APPEND to the verdict in the state, while ``debriefer run`` idles.

The daemon runs as its own process, as a user runs it; the state is read the
way ``debriefer status`` reads it, every 2 ms, by one read-only connection.
The baseline, measured in the same run, is a bare imapclient IDLE client
seeing the same kind of APPEND: Dovecot itself holds IDLE notifications back
for about half a second, so the difference is what the daemon adds.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import harness

from daemon.ledger import Ledger, StateError
from tests.servers.dovecot import Dovecot
from tests.support import build_mail

BODY = (
    "Dear Alex,\n\nThank you for applying for the Data Engineer role at Northwind.\n"
    "Unfortunately we have decided not to move forward with your application.\n\n"
    "Kind regards,\nJordan Reyes"
)
POLL = 0.002
# Between a verdict and the next APPEND: the daemon goes back into IDLE within a few
# ms, and an APPEND before that can go unseen until the next IDLE refresh (Dovecot
# 2.3 does not report mail that arrived between the last SEARCH and IDLE), which
# is a different figure from the latency of mail arriving while idling.
SETTLE = 0.3


def message(n: int) -> bytes:
    raw = build_mail(f"Your application ({n})", BODY)
    return raw.replace(b"<test-1@northwind.example>", f"<bench-{n}@northwind.example>".encode())


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"nothing after {timeout:.0f} s")
        time.sleep(POLL)


def open_state(path: Path, timeout: float = 30.0) -> Ledger:
    """The daemon's state, read-only, once the daemon has created it."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return Ledger(path, read_only=True)
        except StateError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@dataclass(frozen=True)
class Latencies:
    daemon: list[float]
    bare: list[float]

    @staticmethod
    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20, method="inclusive")[18]


def bare_idle(dovecot: Dovecot, rounds: int) -> list[float]:
    """A bare IDLE client: APPEND from a second connection until EXISTS arrives."""
    user = dovecot.new_user("base")
    with dovecot.client(user) as watcher, dovecot.client(user) as appender:
        watcher.select_folder("INBOX", readonly=True)
        times = []
        for n in range(rounds):
            watcher.idle()
            start = time.perf_counter()
            appender.append("INBOX", message(n))
            while not any(r[1:2] == (b"EXISTS",) for r in watcher.idle_check(timeout=5)):
                pass
            times.append(time.perf_counter() - start)
            watcher.idle_done()
    return times


def daemon_idle(dovecot: Dovecot, workdir: Path, rounds: int) -> list[float]:
    user = dovecot.new_user("push")
    config = workdir / "push.toml"
    env = harness.write_config(config, dovecot, [user])
    state_path = config.parent / "state.db"
    with (
        harness.daemon(config, env, workdir / "push-daemon.log"),
        open_state(state_path) as reader,
        dovecot.client(user) as appender,
    ):

        def idling() -> bool:
            return reader.account_statuses().get("acct0", {}).get("state") == "idle"

        wait_until(idling)
        times = []
        for n in range(rounds):
            time.sleep(SETTLE)
            start = time.perf_counter()
            appender.append("INBOX", message(n))
            wait_until(lambda n=n: sum(reader.label_counts().values()) > n)
            times.append(time.perf_counter() - start)
    return times


def push_latency(dovecot: Dovecot, workdir: Path, rounds: int) -> Latencies:
    return Latencies(daemon_idle(dovecot, workdir, rounds), bare_idle(dovecot, rounds))
