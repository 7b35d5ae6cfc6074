"""The systemd user unit, sd_notify, and what doctor hears about the service.

systemd itself is asked where it is present: ``systemd-analyze verify`` reads
every unit we write (it also checks that ExecStart's program exists), and
the readiness test runs the real daemon against the real Dovecot with a real
notify socket.  No user systemd is needed or started.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from daemon.cli import main
from daemon.errors import UserError
from daemon.running import sdnotify
from daemon.running.service_unit import (
    UNIT_NAME,
    Launch,
    _judge,
    current_launch,
    render_unit,
    service_report,
    unit_path,
)

from .servers.dovecot import Dovecot
from .support import WAIT, run_debriefer, write_accounts_config

ODD = "my 100% $HOME dir"  # a space, a specifier and a variable, all to be kept literally

VALID_CONFIG = """\
[identity]
name = "Alex Candidate"
email = "alex.candidate@example.net"

[[accounts]]
name = "main"
host = "127.0.0.1"
security = "none"
username = "alex"
password_command = "echo not-a-real-password"

[state]
path = "state.db"
"""


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private XDG_CONFIG_HOME: the unit lands here, never in the real home."""
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


def valid_config(folder: Path, text: str = VALID_CONFIG) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


# -- the unit text ----------------------------------------------------------------------------


def test_print_shows_the_unit_and_writes_nothing(
    xdg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = valid_config(tmp_path / ODD)
    assert main(["install-service", "--print", "--config", str(config)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    for expected in (
        "[Unit]",
        "[Service]",
        "Type=notify",
        "NotifyAccess=main",
        "WatchdogSec=2min",
        "Restart=on-failure",
        "RestartPreventExitStatus=2",
        "StartLimitBurst=5",
        "NoNewPrivileges=yes",
        "UMask=0077",
        "[Install]",
        "WantedBy=default.target",
    ):
        assert expected in lines
    assert any(line.startswith("Description=") for line in lines)
    # Quoted for the space, %% for the specifier, $$ against variable expansion.
    escaped = str(config).replace("%", "%%").replace("$", "$$")
    exec_start = [line for line in lines if line.startswith("ExecStart=")]
    assert exec_start == [f'ExecStart={current_launch().argv[0]} run --config "{escaped}"']
    assert not xdg.exists()


def test_without_config_the_daemon_finds_its_default() -> None:
    unit = render_unit(Launch(["/opt/debriefer/bin/debriefer"]), None)
    assert "ExecStart=/opt/debriefer/bin/debriefer run\n" in unit
    assert "WorkingDirectory" not in unit


def test_arguments_with_quotes_and_control_characters_are_c_escaped() -> None:
    config = Path('/home/a"b\\c\td/config.toml')
    unit = render_unit(Launch(["/usr/bin/debriefer"]), config)
    assert 'run --config "/home/a\\"b\\\\c\\td/config.toml"\n' in unit


def test_a_program_path_systemd_cannot_hold_is_refused() -> None:
    with pytest.raises(UserError, match="quotes, backslashes"):
        render_unit(Launch(['/opt/it"s/debriefer']), None)


def test_a_path_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(UserError, match="not UTF-8"):
        render_unit(Launch(["/usr/bin/debriefer"]), Path(os.fsdecode(b"/home/caf\xe9/c.toml")))


def test_the_running_debriefer_is_the_one_installed() -> None:
    launch = current_launch()
    assert Path(launch.argv[0]).is_absolute()
    if len(launch.argv) == 1:  # a debriefer script, of this very interpreter's environment
        assert Path(launch.argv[0]).name == "debriefer"
        assert os.access(launch.argv[0], os.X_OK)
    else:
        assert launch.argv[1:] == ["-m", "daemon"]
        assert launch.working_directory is not None


# -- installing -------------------------------------------------------------------------------


def test_install_writes_the_unit_then_reports_updates(
    xdg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = valid_config(tmp_path / "one")
    assert main(["install-service", "--config", str(config)]) == 0
    out, err = capsys.readouterr()
    path = xdg / "systemd" / "user" / UNIT_NAME
    assert unit_path() == path
    assert f"{UNIT_NAME} installed: {path}" in out
    assert "systemctl --user daemon-reload" in out
    assert f"systemctl --user enable --now {UNIT_NAME}" in out
    assert "loginctl enable-linger" in out
    assert "journalctl --user -u debriefer" in out
    assert err == ""
    first = path.read_text(encoding="utf-8")
    assert f"--config {config}" in first
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in path.parent.iterdir()] == [UNIT_NAME]  # no temporary file left

    assert main(["install-service", "--config", str(config)]) == 0
    assert f"{UNIT_NAME} is up to date" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == first

    other = valid_config(tmp_path / "two")
    assert main(["install-service", "--config", str(other)]) == 0
    out = capsys.readouterr().out
    assert f"{UNIT_NAME} updated: {path}" in out
    assert f"systemctl --user restart {UNIT_NAME}" in out
    assert f"--config {other}" in path.read_text(encoding="utf-8")


def test_a_broken_config_is_not_installed(xdg: Path, tmp_path: Path) -> None:
    broken = tmp_path / "config.toml"
    broken.write_text('[identity]\nname = 1\n[[accounts]]\nport = "x"\n', encoding="utf-8")
    env = {**os.environ, "XDG_CONFIG_HOME": str(xdg)}
    done = run_debriefer("install-service", "--config", str(broken), env=env, timeout=WAIT)
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith("debriefer: not installed: the service would fail to start: ")
    assert str(broken) in done.stderr
    assert "more; see `debriefer doctor`" in done.stderr
    assert not xdg.exists()

    missing = run_debriefer(
        "install-service", "--config", str(tmp_path / "nope.toml"), env=env, timeout=WAIT
    )
    assert missing.returncode == 2
    assert len(missing.stderr.splitlines()) == 1, missing.stderr
    assert "no config file here" in missing.stderr
    assert not xdg.exists()


def test_print_with_a_broken_config_warns_and_still_prints(
    xdg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["install-service", "--print", "--config", str(tmp_path / "nope.toml")]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("# Written by `debriefer install-service`")
    assert "debriefer: warning: " in err
    assert "no config file here" in err
    assert "the service would fail at start" in err
    assert not xdg.exists()


def test_a_password_from_the_environment_is_warned_about(
    xdg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = VALID_CONFIG.replace(
        'password_command = "echo not-a-real-password"', 'password_env = "MY_MAIL_PASSWORD"'
    )
    config = valid_config(tmp_path, text)
    assert main(["install-service", "--config", str(config)]) == 0
    out, err = capsys.readouterr()
    assert "installed" in out
    assert "environment variable MY_MAIL_PASSWORD, which the service" in err
    assert "Environment=" in err


def test_the_unit_names_the_default_config_too(
    xdg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The service does not see this shell's XDG_CONFIG_HOME: the path is always written."""
    valid_config(xdg / "debriefer")
    assert main(["install-service", "--print"]) == 0
    [exec_start] = [
        line for line in capsys.readouterr().out.splitlines() if line.startswith("ExecStart=")
    ]
    assert exec_start.endswith(f" run --config {xdg / 'debriefer' / 'config.toml'}")


def test_a_password_command_off_the_service_path_is_warned_about(
    xdg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A helper in ~/.local/bin works in a shell and is "not found" in the service."""
    text = VALID_CONFIG.replace(
        'password_command = "echo not-a-real-password"',
        'password_command = "my-token-helper-xyz --account work"',
    )
    config = valid_config(tmp_path, text)
    assert main(["install-service", "--config", str(config)]) == 0
    err = capsys.readouterr().err
    assert "password_command runs 'my-token-helper-xyz', which the service will not find" in err


# -- systemd's own reading of the unit -----------------------------------------------------


def systemd_verify(unit: Path, tmp_path: Path) -> None:
    """``systemd-analyze --user verify``; fails on any complaint about our unit."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    runtime = tmp_path / "runtime"  # a user manager in test mode needs one, even a fresh one
    runtime.mkdir(mode=0o700, exist_ok=True)
    done = subprocess.run(
        [analyze, "--user", "verify", str(unit)],
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_RUNTIME_DIR": str(runtime), "SYSTEMD_PAGER": ""},
        timeout=60,
        check=False,
    )
    ours = [line for line in done.stderr.splitlines() if unit.name in line or str(unit) in line]
    assert done.returncode == 0, done.stderr
    assert ours == [], done.stderr


def test_systemd_accepts_the_installed_unit(
    xdg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = valid_config(tmp_path / ODD)
    assert main(["install-service", "--config", str(config)]) == 0
    capsys.readouterr()
    systemd_verify(unit_path(), tmp_path)


def test_systemd_finds_a_program_under_an_odd_path(tmp_path: Path) -> None:
    """verify checks ExecStart's program exists: only a correctly unquoted path passes."""
    folder = tmp_path / ODD
    folder.mkdir()
    (folder / "debriefer").symlink_to(current_launch().argv[0])
    unit = tmp_path / "units" / UNIT_NAME
    unit.parent.mkdir()
    unit.write_text(render_unit(Launch([str(folder / "debriefer")]), tmp_path / ODD / "c.toml"))
    systemd_verify(unit, tmp_path)


def test_systemd_accepts_the_python_m_daemon_fallback(tmp_path: Path) -> None:
    folder = tmp_path / ODD
    folder.mkdir()
    launch = Launch([os.path.abspath(sys.executable), "-m", "daemon"], folder)
    unit = tmp_path / "units" / UNIT_NAME
    unit.parent.mkdir()
    unit.write_text(render_unit(launch, None))
    assert f"WorkingDirectory={str(folder).replace('%', '%%')}\n" in unit.read_text()
    systemd_verify(unit, tmp_path)


# -- sd_notify --------------------------------------------------------------------------------


@contextlib.contextmanager
def listening(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    """A bound datagram socket and the NOTIFY_SOCKET value that reaches it."""
    # sun_path holds 107 bytes; a long pytest tmp_path falls back to a short folder.
    folder = tmp_path if len(str(tmp_path)) < 90 else Path(tempfile.mkdtemp(dir="/tmp"))
    path = folder / "notify.sock"
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.bind(str(path))
            yield sock, str(path)
    finally:
        path.unlink(missing_ok=True)
        if folder != tmp_path:
            shutil.rmtree(folder, ignore_errors=True)


def test_notify_does_nothing_outside_systemd(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert sdnotify.notify("READY=1") is False


def test_notify_reaches_a_socket_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with listening(tmp_path) as (sock, address):
        monkeypatch.setenv("NOTIFY_SOCKET", address)
        assert sdnotify.notify("READY=1", "STATUS=two\nlines") is True
        sock.settimeout(WAIT)
        assert sock.recv(4096) == b"READY=1\nSTATUS=two lines"


def test_notify_reaches_an_abstract_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    name = f"debriefer-test-{os.getpid()}-{time.monotonic_ns()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        monkeypatch.setenv("NOTIFY_SOCKET", "@" + name)
        assert sdnotify.notify("WATCHDOG=1") is True
        sock.settimeout(WAIT)
        assert sock.recv(4096) == b"WATCHDOG=1"


@pytest.mark.parametrize("value", ["/nonexistent/notify.sock", "relative.sock", "vsock:2:1234"])
def test_notify_never_raises(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTIFY_SOCKET", value)
    assert sdnotify.notify("READY=1") is False


@pytest.mark.parametrize(
    ("usec", "pid", "expected"),
    [
        (None, None, None),
        ("1000000", None, 1.0),
        ("120000000", "self", 120.0),
        ("1000000", "1", None),  # the watchdog belongs to another process
        ("0", None, None),
        ("soon", None, None),
    ],
)
def test_watchdog_interval(
    usec: str | None, pid: str | None, expected: float | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in (("WATCHDOG_USEC", usec), ("WATCHDOG_PID", pid)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, str(os.getpid()) if value == "self" else value)
    assert sdnotify.watchdog_interval() == expected


def test_the_daemon_tells_systemd_ready_alive_and_stopping(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot.new_user()
    config = write_accounts_config(tmp_path, dovecot, [user], monkeypatch)
    log = tmp_path / "daemon.log"
    with listening(tmp_path) as (sock, address), log.open("w") as stderr:
        env = {**os.environ, "NOTIFY_SOCKET": address, "WATCHDOG_USEC": "1000000"}
        env.pop("WATCHDOG_PID", None)
        process = subprocess.Popen(
            [sys.executable, "-m", "daemon", "run", "--config", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=env,
        )
        received: list[str] = []

        def until(field: str, count: int = 1) -> None:
            deadline = time.monotonic() + WAIT
            while received.count(field) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or process.poll() is not None:
                    pytest.fail(f"no {count}x {field} in {received}: {log.read_text()}")
                sock.settimeout(min(remaining, 1.0))
                with contextlib.suppress(TimeoutError):
                    received.extend(sock.recv(4096).decode().split("\n"))

        try:
            until("READY=1")
            assert "STATUS=watching 1 account(s)" in received
            until("WATCHDOG=1", received.count("WATCHDOG=1") + 2)
            assert "STOPPING=1" not in received
            process.send_signal(signal.SIGTERM)
            until("STOPPING=1")
            assert process.wait(timeout=WAIT) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert "Traceback" not in log.read_text()


# -- what doctor hears ------------------------------------------------------------------------


def test_service_report_without_a_user_manager(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No user bus to talk to (as on this test machine): a line to show, not an exception."""
    if shutil.which("systemctl") is None:
        pytest.skip("systemctl is not installed")
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={runtime}/bus")
    healthy, text = service_report()
    assert healthy is None
    assert text.startswith("systemd not available (systemctl --user: ")


def test_service_report_without_systemctl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert service_report() == (None, "systemd not available (no systemctl)")


def test_service_report_on_this_machine_never_raises() -> None:
    healthy, text = service_report()
    assert healthy in (True, False, None)
    assert text
    assert "\n" not in text


@pytest.mark.parametrize(
    ("shown", "healthy", "says"),
    [
        ("loaded active running enabled success", True, "debriefer.service is active (running)"),
        ("not-found inactive dead - success", None, "not installed (debriefer install-service)"),
        ("loaded failed failed enabled watchdog", False, "failed (watchdog)"),
        ("loaded activating auto-restart enabled exit-code", False, "failed (exit-code)"),
        ("loaded inactive dead disabled success", False, "enable --now"),
        ("loaded inactive dead enabled success", False, "systemctl --user start"),
        ("masked inactive dead masked success", False, "unmask"),
        ("loaded activating start enabled success", None, "is activating (start)"),
    ],
)
def test_service_states_read_as_health(
    shown: str, healthy: bool | None, says: str, xdg: Path
) -> None:
    keys = ("LoadState", "ActiveState", "SubState", "UnitFileState", "Result")
    values = ["" if value == "-" else value for value in shown.split()]
    result = _judge(dict(zip(keys, values, strict=True)))
    assert result[0] is healthy
    assert says in result[1]


def test_a_unit_written_but_not_loaded_is_a_failure(xdg: Path) -> None:
    unit_path().parent.mkdir(parents=True)
    unit_path().write_text(render_unit(Launch(["/usr/bin/debriefer"]), None))
    healthy, text = _judge({"LoadState": "not-found", "ActiveState": "inactive"})
    assert healthy is False
    assert "daemon-reload" in text


def test_the_daemon_log_leaves_library_chatter_to_verbose() -> None:
    from daemon.cli import CHATTY_LIBRARIES, _configure_logging

    saved = {name: logging.getLogger(name).level for name in CHATTY_LIBRARIES}
    try:
        _configure_logging(0, daemon=True)
        assert logging.getLogger("apscheduler").level == logging.WARNING
        _configure_logging(1, daemon=True)  # -v: theirs too, at the root's level
        assert logging.getLogger("apscheduler").level == logging.NOTSET
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def test_lines_for_the_journal_carry_their_priority(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from daemon.cli import JournalFormatter, to_journal

    record = logging.LogRecord(
        "daemon.running.watcher", logging.WARNING, "", 0, "a: b\nc", (), None
    )
    assert JournalFormatter(journal=True).format(record) == (
        "<4>WARNING daemon.running.watcher: a: b\n<4>c"
    )
    assert (
        JournalFormatter(journal=False).format(record) == "WARNING daemon.running.watcher: a: b\nc"
    )
    with (tmp_path / "stream").open("w") as stream:
        found = os.fstat(stream.fileno())
        monkeypatch.setenv("JOURNAL_STREAM", f"{found.st_dev}:{found.st_ino}")
        assert to_journal(stream)
        monkeypatch.setenv("JOURNAL_STREAM", "1:2")
        assert not to_journal(stream)
