"""What every benchmark needs: a config for a private Dovecot, and child processes
measured by the kernel (wall time, peak RSS, CPU) rather than by themselves."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.servers.dovecot import Dovecot, MailUser

ROOT = Path(__file__).resolve().parents[1]
IDENTITY = '[identity]\nname = "Alex Candidate"\nemail = "alex.candidate@example.net"\n\n'


def write_config(
    path: Path, dovecot: Dovecot, users: list[MailUser], *, lookback: str = "3650d"
) -> dict[str, str]:
    """A config with one account per user, passwords in the environment it returns.

    The lookback is long: the generated mail is dated over the past year or so,
    and every message should be in the scan.
    """
    env = dict(os.environ)
    accounts = []
    for n, user in enumerate(users):
        env[f"BENCH_PASSWORD_{n}"] = user.password
        accounts.append(
            f'[[accounts]]\nname = "acct{n}"\nhost = "127.0.0.1"\nport = {dovecot.imap_port}\n'
            f'security = "none"\nusername = "{user.name}"\npassword_env = "BENCH_PASSWORD_{n}"\n'
        )
    state = path.parent / "state.db"
    path.write_text(
        IDENTITY
        + "\n".join(accounts)
        + f'\n[policy]\nlookback = "{lookback}"\n\n[state]\npath = "{state}"\n',
        encoding="utf-8",
    )
    return env


def debriefer(*args: str) -> list[str]:
    """The argv of a debriefer command, run by this Python from this checkout."""
    return [sys.executable, "-m", "daemon", *args]


@dataclass(frozen=True)
class Child:
    """A finished child process as the kernel accounted for it."""

    seconds: float
    peak_rss_mib: float  # the child's own, plus each of its worker processes' own
    processes: int
    cpu_seconds: float
    returncode: int


def vm_hwm_kib(pid: int) -> int:
    """The peak RSS of ``pid``'s current program; 0 once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _family(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with contextlib.suppress(OSError):  # gone meanwhile
            children = Path(f"/proc/{current}/task/{current}/children").read_text()
            todo += [int(child) for child in children.split()]
    return found


def run_child(argv: list[str], env: dict[str, str], stdout: Path) -> Child:
    """Run to the end, measuring the peak RSS of the child and of any workers it starts.

    Not wait4's ru_maxrss: Linux carries the RSS of the forked copy of this
    (much bigger) process over the exec into that figure.  VmHWM, read every
    few ms, is the peak of each process's own program; it only ever grows, so
    the last read before exit misses at most the last few ms.  Peaks of
    different processes are added up: an upper bound of what they held at once.
    """
    started = time.perf_counter()
    with stdout.open("wb") as out, (stdout.with_suffix(".err")).open("wb") as err:
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=ROOT)
    peaks: dict[int, int] = {}
    try:
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            for member in _family(proc.pid):
                peaks[member] = max(peaks.get(member, 0), vm_hwm_kib(member))
            time.sleep(0.005)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Child(
        seconds,
        sum(peaks.values()) / 1024,
        len(peaks),
        usage.ru_utime + usage.ru_stime,
        proc.returncode,
    )


@contextlib.contextmanager
def daemon(config: Path, env: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen]:
    """``debriefer run`` as its own process, as a user runs it, stopped with SIGTERM (then
    killed, if it hangs) at the end; a timeout inside shows the end of its log."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            debriefer("run", "--config", str(config)), stdout=log, stderr=log, env=env, cwd=ROOT
        )
        try:
            yield process
        except TimeoutError as exc:
            log.flush()
            tail = log_path.read_text(errors="replace")[-2000:]
            raise TimeoutError(f"{exc}; the daemon's log ends:\n{tail}") from None
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
