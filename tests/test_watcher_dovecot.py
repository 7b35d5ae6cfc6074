"""The watcher against a real Dovecot: IDLE, restarts, reconnects, renumbering, flags.

Each test gets fresh mail users on the session's Dovecot.  Waits poll the state
file with a generous timeout; nothing here asserts how fast anything is.
"""

from __future__ import annotations

import functools
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from daemon.cli import main, scan
from daemon.config import load_config
from daemon.ledger import Ledger
from daemon.running.supervisor import LOGIN_REFUSALS

from .servers.dovecot import Dovecot
from .support import (
    WAIT,
    account_state,
    build_mail,
    idle,
    ordinary,
    rejection,
    rows,
    run_debriefer,
    running,
    subjects,
    wait_for,
    write_accounts_config,
)

pytestmark = pytest.mark.dovecot


def test_mail_appended_while_idling_is_classified(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot.new_user()
    config = load_config(write_accounts_config(tmp_path, dovecot, [user], monkeypatch))
    with running(config):
        idle(config)
        dovecot.append(user, rejection(1))
        dovecot.append(user, ordinary(1))
        found = wait_for(lambda: len(rows(config)) == 2 and rows(config), "two messages")
    by_subject = {r["subject"]: r for r in found}
    assert by_subject["Your application (1)"]["label"] == "rejection"
    assert by_subject["Your application (1)"]["message_id"] == "<rej-1@northwind.example>"
    assert by_subject["Lunch on Friday? (1)"]["label"] == "other"


def test_mail_that_arrived_while_stopped_is_processed_once(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot.new_user()
    dovecot.append(user, rejection(1))  # before the first start: inside the lookback window
    config = load_config(write_accounts_config(tmp_path, dovecot, [user], monkeypatch))
    with running(config):
        idle(config)
        wait_for(lambda: len(rows(config)) == 1, "the first scan")
    dovecot.append(user, rejection(2))
    dovecot.append(user, ordinary(2))
    with running(config):
        idle(config)
        wait_for(lambda: len(rows(config)) == 3, "the catch-up after a restart")
    first = {r["uid"]: r["processed_at"] for r in rows(config)}
    with running(config):
        idle(config)
    again = {r["uid"]: r["processed_at"] for r in rows(config)}
    assert again == first, "a restart without new mail processed something again"
    assert subjects(config) == [
        "Lunch on Friday? (2)",
        "Your application (1)",
        "Your application (2)",
    ]


def test_reconnects_and_catches_up_after_the_server_restarts(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot.new_user()
    config = load_config(write_accounts_config(tmp_path, dovecot, [user], monkeypatch))
    # The first retry waits 3-6 s: mail appended right after the restart lands
    # while the daemon is still disconnected, so only the catch-up can find it.  (With
    # 1-2 s, a loaded machine's restart and APPEND outlasted the "reconnecting" window.)
    with running(config, backoff_base=6.0):
        idle(config)
        dovecot.restart()
        dovecot.append(user, rejection(1))
        wait_for(lambda: account_state(config, "acct0") == "reconnecting", "a reconnect")
        wait_for(lambda: len(rows(config)) == 1, "the catch-up after reconnecting")
        idle(config)
    with running(config):
        idle(config)
        dovecot.kick(user)  # a BYE with the server still up
        dovecot.append(user, rejection(2))
        wait_for(lambda: len(rows(config)) == 2, "mail after a kick")
    assert subjects(config) == ["Your application (1)", "Your application (2)"]


def test_a_uidvalidity_change_reprocesses_nothing(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot.new_user()
    config = load_config(write_accounts_config(tmp_path, dovecot, [user], monkeypatch))
    with running(config):
        idle(config)
        dovecot.append(user, rejection(1))
        dovecot.append(user, ordinary(1))
        wait_for(lambda: len(rows(config)) == 2, "the first two messages")
    before = {r["message_id"]: r["processed_at"] for r in rows(config)}
    new_validity = dovecot.change_uidvalidity(user)
    dovecot.append(user, rejection(2))
    with running(config):
        idle(config)
        wait_for(lambda: len(rows(config)) == 3, "the message that arrived after renumbering")
    after = {r["message_id"]: r["processed_at"] for r in rows(config)}
    assert {k: after[k] for k in before} == before
    with Ledger(config.state_path, read_only=True) as state:
        folder = state.folder("acct0", "INBOX")
    assert folder is not None
    assert folder.uidvalidity == new_validity


def test_flags_of_user_messages_are_never_changed(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot.new_user()
    dovecot.append(user, rejection(1))
    dovecot.append(user, rejection(2), flags=(b"\\Seen",))
    dovecot.append(user, ordinary(3), flags=(b"\\Flagged", b"\\Answered"))
    before = dovecot.flags(user)
    config_path = write_accounts_config(tmp_path, dovecot, [user], monkeypatch)
    config = load_config(config_path)
    with running(config):
        idle(config)
        wait_for(lambda: len(rows(config)) == 3, "the first scan")
        dovecot.append(user, ordinary(4))
        wait_for(lambda: len(rows(config)) == 4, "a message while idling")
    assert main(["scan", "--config", str(config_path), "--json"]) == 0
    after = dovecot.flags(user)
    assert {uid: after[uid] for uid in before} == before
    assert b"\\Seen" not in after[max(after)]


def test_two_accounts_run_side_by_side(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice, bob = dovecot.new_user("alice"), dovecot.new_user("bob")
    config = load_config(write_accounts_config(tmp_path, dovecot, [alice, bob], monkeypatch))
    with running(config):
        idle(config, "acct0")
        idle(config, "acct1")
        dovecot.append(alice, rejection(1))
        dovecot.append(bob, rejection(2))
        dovecot.append(bob, ordinary(3))
        wait_for(lambda: len(rows(config)) == 3, "mail in both accounts")
    by_account = {(r["account"], r["subject"]) for r in rows(config)}
    assert by_account == {
        ("acct0", "Your application (1)"),
        ("acct1", "Your application (2)"),
        ("acct1", "Lunch on Friday? (3)"),
    }


def test_a_failing_account_does_not_stop_the_others(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = dovecot.new_user()
    monkeypatch.setenv("DEBRIEFER_TEST_WRONG", "not-the-password")
    broken = (
        '\n[[accounts]]\nname = "broken"\nhost = "127.0.0.1"\n'
        f'port = {dovecot.imap_port}\nsecurity = "none"\nusername = "nobody-here"\n'
        'password_env = "DEBRIEFER_TEST_WRONG"\n'
    )
    config = load_config(
        write_accounts_config(tmp_path, dovecot, [good], monkeypatch, extra_account=broken)
    )
    with running(config):
        idle(config)
        dovecot.append(good, rejection(1))
        wait_for(lambda: len(rows(config)) == 1, "mail in the working account")
        wait_for(lambda: account_state(config, "broken") == "reconnecting", "the broken one")


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_encrypted_account_trusting_a_private_ca(
    security: str, dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot.new_user()
    dovecot.append(user, rejection(1))
    config = load_config(
        write_accounts_config(tmp_path, dovecot, [user], monkeypatch, security=security)
    )
    with running(config):
        idle(config)
        wait_for(lambda: len(rows(config)) == 1, "the first scan over TLS")
        dovecot.append(user, rejection(2))  # read by imap.idle_check through the TLS layer
        wait_for(lambda: len(rows(config)) == 2, "mail pushed while idling over TLS")
        assert account_state(config, "acct0") == "idle"


def test_scan_dry_run_writes_nothing_and_prints_json(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = dovecot.new_user()
    dovecot.append(user, rejection(1))
    dovecot.append(user, b"\r\n")  # nothing a parser can use: reported, not fatal
    config_path = write_accounts_config(tmp_path, dovecot, [user], monkeypatch)
    assert main(["scan", "--config", str(config_path), "--dry-run", "--json"]) == 0
    assert not (tmp_path / "state.db").exists()
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["label"] for line in lines] == ["rejection", None]
    first = lines[0]
    for key in ("account", "folder", "uid", "message_id", "subject", "confidence", "reasons"):
        assert key in first
    assert first["company"] == "Northwind"
    assert "error" in lines[1]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("as_json", [False, True])
def test_scan_on_a_terminal_shows_progress_and_clears_it(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    as_json: bool,
) -> None:
    """The bar goes to stderr on a terminal, never with --json, and is wiped at the end."""
    user = dovecot.new_user()
    for n in range(3):
        dovecot.append(user, rejection(n))
    config_path = write_accounts_config(tmp_path, dovecot, [user], monkeypatch)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    # Drawn from the first batch on, not after a second: three messages take less.
    monkeypatch.setattr(scan, "ScanProgress", functools.partial(scan.ScanProgress, delay=0.0))
    argv = ["scan", "--config", str(config_path), "--dry-run"] + (["--json"] if as_json else [])
    assert main(argv) == 0
    out = capsys.readouterr().out.splitlines()
    rows = [line for line in out if line.startswith(("acct0", "{"))]
    assert len(rows) == 3
    if as_json:
        assert terminal.getvalue() == ""
    else:
        assert "acct0 INBOX 3/3 messages (100%)" in terminal.getvalue()
        assert terminal.getvalue().endswith("\r\x1b[K")


def test_run_in_a_subprocess_shows_in_status_and_stops_on_sigterm(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot.new_user()
    config_path = write_accounts_config(tmp_path, dovecot, [user], monkeypatch)
    env = dict(os.environ)

    def status() -> dict:
        done = run_debriefer(
            "status", "--config", str(config_path), "--json", env=env, timeout=WAIT
        )
        return json.loads(done.stdout) if done.returncode == 0 else {}

    process = subprocess.Popen(
        [sys.executable, "-m", "daemon", "run", "--config", str(config_path)],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        wait_for(lambda: status().get("accounts", [{}])[0].get("state") == "idle", "idle")
        dovecot.append(user, rejection(1))
        report = wait_for(lambda: (s := status()) and s["messages"] and s, "status to show it")
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=WAIT)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert user.password not in stderr
    # At the default level, every line is one of ours: no library's chatter (APScheduler's
    # "Adding job tentatively", "Running job") around them.
    origins = {line.split(" ", 2)[1] for line in stderr.splitlines() if line.strip()}
    assert origins, stderr
    assert all(origin.startswith("daemon.") for origin in origins), stderr
    message = report["messages"][0]
    assert (message["message_id"], message["label"]) == ("<rej-1@northwind.example>", "rejection")
    assert report["counts"] == {"rejection": 1}


def test_a_refused_login_rests_its_account_while_the_others_go_on(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Retried every few seconds forever, a wrong password could get a provider to lock the
    account: after LOGIN_REFUSALS the account rests, says why in status, and the other
    account is watched as ever."""
    users = [dovecot.new_user(), dovecot.new_user()]
    config = load_config(write_accounts_config(tmp_path, dovecot, users, monkeypatch))
    monkeypatch.setenv("DEBRIEFER_TEST_PASSWORD_0", "not-the-password")
    with running(config, backoff_base=0.01):
        idle(config, "acct1")
        wait_for(lambda: account_state(config, "acct0") == "login refused", "acct0 to rest")
        time.sleep(1.0)  # at a 0.01 s backoff, dozens more tries would fit in here
        with Ledger(config.state_path, read_only=True) as state:
            detail = state.account_statuses()["acct0"]["detail"]
        dovecot.append(users[1], build_mail("Hello", "Just saying hello."))
        wait_for(lambda: account_state(config, "acct1") == "idle", "acct1 still watching")
    tries = [r for r in caplog.records if "acct0: login refused for" in r.getMessage()]
    assert len(tries) == LOGIN_REFUSALS - 1  # each logged as a reconnect; the last rests
    (rest,) = [r for r in caplog.records if "login refused 3 times in a row" in r.getMessage()]
    assert "the environment variable DEBRIEFER_TEST_PASSWORD_0" in rest.getMessage()
    assert "not-the-password" not in caplog.text
    assert detail.startswith(f"login refused for {users[0].name}: check the password in the")
