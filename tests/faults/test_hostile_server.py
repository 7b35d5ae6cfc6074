"""Servers that misbehave in ways Dovecot never does, against the real daemon process.

A 2 GB literal must not grow the daemon's memory; a server that finds new
mail only with an explicit UID range (GNU Mailutils) must still have its new
mail read; one that announces mail on every IDLE must not be asked 46 times a
second; and a session that has just caught up must not leave its first IDLE
at once for news the EXAMINE already brought.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers.dovecot import MailUser
from tests.servers.scripted import ScriptedImap

from .support import (
    DaemonProcess,
    daemon_process,
    environment,
    messages,
    ordinary,
    state_path,
    wait_for,
    write_config,
)

pytestmark = pytest.mark.fault

USER = MailUser("alex", "scripted-secret")
GIGABYTES = 2 * 2**30
# What a 2 GB literal may add to the daemon's peak memory (the bar).
MEMORY_BOUND = 20 * 2**20


@pytest.fixture
def server() -> Iterator[ScriptedImap]:
    with ScriptedImap(USER.name, USER.password) as scripted:
        yield scripted


@pytest.fixture
def daemon(server: ScriptedImap, tmp_path: Path) -> Iterator[DaemonProcess]:
    config = write_config(tmp_path, port=server.port, user=USER)
    env = environment(DEBRIEFER_FAULT_PASSWORD=USER.password)
    with daemon_process(config, tmp_path / "daemon.log", env) as process:
        yield process


def recorded(daemon: DaemonProcess) -> int:
    return len(messages(state_path(daemon.config)))


def watching(daemon: DaemonProcess, count: int) -> None:
    """Wait until the daemon has recorded ``count`` messages and gone back to waiting."""
    wait_for(lambda: recorded(daemon) >= count, f"{count} messages", explain=daemon.output)
    wait_for(
        lambda: "watching INBOX" in daemon.output(), "the daemon to watch", explain=daemon.output
    )


def peak_memory(daemon: DaemonProcess) -> int:
    """The process's peak resident set so far (VmHWM), in bytes."""
    assert daemon.process is not None
    status = Path(f"/proc/{daemon.process.pid}/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024


def test_a_2_gb_literal_is_read_past_without_holding_it(
    server: ScriptedImap, daemon: DaemonProcess
) -> None:
    server.deliver(ordinary("before"))
    daemon.start()
    watching(daemon, 1)
    idle_peak = peak_memory(daemon)

    uid = server.deliver(ordinary("huge"))
    server.huge_literal[uid] = GIGABYTES
    wait_for(lambda: recorded(daemon) >= 2, "the huge message to be judged", explain=daemon.output)

    grown = peak_memory(daemon) - idle_peak
    assert grown < MEMORY_BOUND, f"the peak grew by {grown / 2**20:.1f} MB"
    assert "2147483648-byte literal; kept the first" in daemon.output()
    assert daemon.alive()
    assert daemon.stop() == 0


def test_new_mail_is_found_where_uid_n_star_finds_nothing(
    server: ScriptedImap, daemon: DaemonProcess
) -> None:
    server.star_finds_nothing = True
    server.deliver(ordinary("first"))
    daemon.start()
    watching(daemon, 1)

    server.deliver(ordinary("while-idle"))  # announced by EXISTS during IDLE
    wait_for(lambda: recorded(daemon) >= 2, "mail that came during IDLE", explain=daemon.output)
    assert "only by an explicit UID range" in daemon.output()
    assert daemon.stop() == 0

    server.deliver(ordinary("while-stopped"))  # seen only in the EXAMINE's UIDNEXT
    daemon.start()
    wait_for(lambda: recorded(daemon) >= 3, "mail that came while stopped", explain=daemon.output)
    assert daemon.stop() == 0


def test_a_server_announcing_mail_on_every_idle_gets_a_backoff(
    server: ScriptedImap, daemon: DaemonProcess
) -> None:
    server.exists_on_idle = True
    server.deliver(ordinary("only"))
    daemon.start()
    watching(daemon, 1)
    time.sleep(8)
    # Without the backoff this is hundreds (46 a second was measured); with it, the
    # first few wake-ups and then waits of 1-2, 2-4 and 4-8 s.
    idles = server.count("IDLE")
    assert 4 <= idles <= 12, f"{idles} IDLE commands in 8 s\n{daemon.output()}"
    assert "keeps announcing mail that is not there" in daemon.output()

    server.exists_on_idle = False
    assert daemon.alive()
    assert daemon.stop() == 0


def test_the_first_idle_after_a_catch_up_waits_for_news(
    server: ScriptedImap, daemon: DaemonProcess
) -> None:
    server.deliver(ordinary("known"))
    daemon.start()
    watching(daemon, 1)
    time.sleep(2)  # a wasted round trip would be over in milliseconds
    assert server.count("IDLE") == 1, "\n".join(server.commands)
    assert server.count("DONE") == 0, "\n".join(server.commands)
    assert server.count("SEARCH") == 1, "\n".join(server.commands)
    assert daemon.stop() == 0
