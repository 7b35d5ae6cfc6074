"""What ``debriefer run`` costs while nothing happens: CPU seconds and wakeups.

Three accounts on a private Dovecot, each caught up and idling; the daemon is
its own process, and the window starts once every account says "idle".

CPU is utime + stime from /proc/PID/stat (the whole process, every thread).
Wakeups are context switches summed over the daemon's threads
(/proc/PID/task/*/status): a voluntary switch is a thread going to sleep, so
each one is followed by a wakeup, and the involuntary ones are preemptions;
together they count how often the kernel had to run the daemon, which is what
costs a laptop's battery even when each run is short.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import harness
import maildir
from push import open_state, wait_until

from tests.servers.dovecot import Dovecot

ACCOUNTS = 3
MESSAGES_EACH = 20
_TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Usage:
    cpu_seconds: float
    switches: int
    threads: int


@dataclass(frozen=True)
class IdleCost:
    seconds: float
    cpu_seconds: float
    wakeups: int
    threads: tuple[int, int]

    @property
    def cpu_per_10_min(self) -> float:
        return self.cpu_seconds * 600 / self.seconds

    @property
    def wakeups_per_second(self) -> float:
        return self.wakeups / self.seconds


def usage(pid: int) -> Usage:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    cpu = (int(fields[11]) + int(fields[12])) / _TICK
    switches = threads = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            status = (task / "status").read_text()
        except OSError:  # the thread ended meanwhile
            continue
        threads += 1
        for line in status.splitlines():
            if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                switches += int(line.split()[1])
    return Usage(cpu, switches, threads)


def idle_cost(dovecot: Dovecot, workdir: Path, source: Path, seconds: float) -> IdleCost:
    users = [dovecot.new_user("idle") for _ in range(ACCOUNTS)]
    for user in users:
        maildir.install(dovecot, user, source, MESSAGES_EACH)
    config = workdir / "idle.toml"
    env = harness.write_config(config, dovecot, users)
    with (
        harness.daemon(config, env, workdir / "idle-daemon.log") as daemon,
        open_state(config.parent / "state.db") as reader,
    ):

        def states() -> set[str]:
            statuses = reader.account_statuses()
            return {statuses.get(f"acct{n}", {}).get("state", "") for n in range(ACCOUNTS)}

        wait_until(lambda: states() == {"idle"}, timeout=60)
        time.sleep(2)  # the outbox's first look and the catch-up's logging settle
        before, started = usage(daemon.pid), time.monotonic()
        time.sleep(seconds)
        after, elapsed = usage(daemon.pid), time.monotonic() - started
        if states() != {"idle"}:
            raise RuntimeError(f"an account left IDLE during the window: {states()}")
    return IdleCost(
        elapsed,
        after.cpu_seconds - before.cpu_seconds,
        after.switches - before.switches,
        (before.threads, after.threads),
    )
