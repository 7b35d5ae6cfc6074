"""A state that cannot be trusted stops the daemon, loudly, and nothing is made on its word."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from daemon.ledger import StateBroken, is_broken

from .servers.dovecot import Dovecot
from .support import REPO, drafts, idle, one_account_config, rejection, settle

pytestmark = [pytest.mark.dovecot, pytest.mark.slow]


@pytest.mark.parametrize(
    ("error", "broken"),
    [
        (sqlite3.OperationalError("database is locked"), False),
        (sqlite3.OperationalError("database table is locked: actions"), False),
        (sqlite3.DatabaseError("database disk image is malformed"), True),
        (sqlite3.DatabaseError("file is not a database"), True),
        (sqlite3.OperationalError("disk I/O error"), True),
        (sqlite3.OperationalError("attempt to write a readonly database"), True),
        (StateBroken("deleted"), True),
        (ConnectionResetError("peer"), False),
    ],
)
def test_which_failures_mean_the_state_cannot_be_trusted(error: Exception, broken: bool) -> None:
    assert is_broken(error) is broken


def _run(config_file: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "daemon", "run", "--config", str(config_file)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )


def test_a_state_deleted_while_running_stops_the_daemon_before_it_acts(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch, policy='wait = "0s"')
    process = _run(config.source)
    try:
        idle(config)
        for path in tmp_path.glob("state.db*"):
            path.unlink()
        dovecot.append(user, rejection(1))  # recorded into the deleted file, then due at once
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()
    assert process.returncode == 2, stderr
    assert "Traceback" not in stderr
    assert f"debriefer: the state file {config.state_path} cannot be trusted" in stderr
    assert "it was deleted" in stderr
    settle()
    assert drafts(dovecot, user) == []


def test_a_damaged_state_at_start_is_one_clear_line(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch)
    config.state_path.write_bytes(b"this is no database, just bytes " * 200)
    process = _run(config.source)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 2, stderr
    assert "Traceback" not in stderr
    assert f"cannot use the state file {config.state_path}" in stderr


def test_a_state_folder_that_cannot_be_written_is_one_clear_line(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot.new_user()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the state folder should be\n")
    config = one_account_config(tmp_path, dovecot, user, monkeypatch)
    text = config.source.read_text().replace(str(config.state_path), str(blocker / "state.db"))
    config.source.write_text(text)
    process = _run(config.source)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 2, stderr
    assert "Traceback" not in stderr
    assert f"cannot use the state folder {blocker}" in stderr
