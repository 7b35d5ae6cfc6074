"""The state damaged under a running daemon: it stops, loudly, and makes nothing twice.

Three contacts' requests are drafted, then the state file is damaged while
the daemon runs (bytes overwritten in its pages or its header, or its
write-ahead log deleted), and three more contacts' rejections arrive.  The
daemon must exit with status 2 and one line naming the file, make nothing
while the state cannot be trusted, and a fresh start on a new state must
rebuild from the mailbox without a second draft for anyone.
"""

from __future__ import annotations

import contextlib
import os
import random
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from tests.servers.dovecot import Dovecot

from .conftest import Figures
from .support import (
    address_of,
    contacts,
    daemon_process,
    drafts,
    environment,
    rejection,
    state_path,
    wait_for,
    write_config,
)

pytestmark = [pytest.mark.fault, pytest.mark.dovecot]

PAGE = 4096


def checkpoint(db: Path) -> None:
    """Move what the write-ahead log holds into the file, as SQLite does from time to
    time: bytes overwritten in pages the log still holds would do no harm."""
    with contextlib.closing(sqlite3.connect(db)) as connection:
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert busy == 0


def overwrite_pages(db: Path) -> None:
    """Random bytes over every page but the first, where the tables' rows live."""
    checkpoint(db)
    size = db.stat().st_size
    with db.open("r+b") as file:
        file.seek(PAGE)
        file.write(random.randbytes(max(size - PAGE, PAGE)))  # noqa: S311 - test noise


def overwrite_header(db: Path) -> None:
    checkpoint(db)
    with db.open("r+b") as file:
        file.write(random.randbytes(PAGE))  # noqa: S311 - test noise


def delete_log(db: Path) -> None:
    os.unlink(db.with_name(db.name + "-wal"))


@pytest.mark.parametrize("damage", [overwrite_pages, overwrite_header, delete_log])
def test_a_state_damaged_while_running_stops_the_daemon_and_nothing_is_made_twice(
    dovecot: Dovecot, tmp_path: Path, figures: Figures, damage
) -> None:
    user = dovecot.new_user("damage")
    people = contacts(6)
    config = write_config(tmp_path, port=dovecot.imap_port, user=user)
    db = state_path(config)
    env = environment(DEBRIEFER_FAULT_PASSWORD=user.password)

    def drafted() -> Counter:
        return Counter(address_of(d["To"]) for d in drafts(dovecot, user))

    for n, person in enumerate(people[:3]):
        dovecot.append(user, rejection(person, f"{n}a"))
    with daemon_process(config, tmp_path / "daemon.log", env) as daemon:
        daemon.start()
        wait_for(lambda: len(drafted()) == 3, "three drafts", explain=daemon.output)
        damage(db)
        for n, person in enumerate(people[3:], start=3):
            dovecot.append(user, rejection(person, f"{n}a"))
        process = daemon.process
        assert process is not None
        wait_for(lambda: process.poll() is not None, "the daemon to stop", explain=daemon.output)
        daemon.process = None
        log = daemon.output()
    assert process.returncode == 2, log
    assert "Traceback" not in log
    assert f"the state file {db} cannot be trusted" in log
    made_while_damaged = sum(drafted().values()) - 3

    # The user moves the file aside and starts again: the mailbox remembers.
    for part in db.parent.glob(db.name + "*"):
        part.rename(part.with_name(part.name + ".broken"))
    with daemon_process(config, tmp_path / "daemon.log", env) as daemon:
        daemon.start()
        wait_for(lambda: len(drafted()) == 6, "a draft for every contact", explain=daemon.output)
        wait_for(lambda: "watching INBOX" in daemon.output().split("=== start 2")[-1], "a catch-up")
        assert daemon.stop() == 0
    counts = drafted()
    figures["contacts"] += len(people)
    figures["duplicates"] += sum(n - 1 for n in counts.values())
    assert set(counts) == {p.email for p in people}
    assert all(n == 1 for n in counts.values()), counts
    assert made_while_damaged <= 3  # a draft made before the damage was seen is no harm
