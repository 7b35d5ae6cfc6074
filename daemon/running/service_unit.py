"""The systemd user unit that runs ``debriefer run``: its text, where it goes, its health.

The unit runs the very debriefer that installed it (same virtualenv, same
code), with ``--config`` only when one was named.  systemd learns that the
daemon is up from ``READY=1`` and that its event loop still turns from
``WATCHDOG=1`` (see ``sdnotify``), so a wedged daemon is restarted, while a
config error (exit 2) is not restarted in a loop.

Hardening kept to what works in a *user* unit on any kernel: the settings
that need user namespaces there (ProtectSystem=, ProtectHome=, PrivateTmp=,
PrivateDevices=, the ProtectKernel*= family) fail on systems without
unprivileged user namespaces, and ProtectHome= would hide the config, the
state and the tools ``password_command`` runs.  RestrictAddressFamilies= and
SystemCallFilter= are left out for the same tools (gpg, pass, password
managers' CLIs), and MemoryDenyWriteExecute= for libffi, which some keyring
backends load.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

from daemon.config import Config, default_config_path, default_state_path
from daemon.errors import UserError
from daemon.secrets import shown_variable

UNIT_NAME = "debriefer.service"
SYSTEMCTL_TIMEOUT = 5.0  # seconds; doctor must not hang on a stuck user bus

# systemd refuses these in the program path, escaped or not ("special characters").
_NOT_IN_EXECUTABLE = re.compile(r"[\"'\\\x00-\x1f\x7f]")
# Words that systemd takes as they are: no quotes, specifiers, variables, spaces or ";".
_PLAIN_WORD = re.compile(r"[A-Za-z0-9_./:@+,=-]+")
# The folder holding this package: a source checkout, or site-packages.
_SOURCE_ROOT = Path(__file__).resolve().parents[2]  # above daemon/running/
_C_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


class Launch(NamedTuple):
    """How the service starts debriefer: argv before ``run``, and where (for ``-m``)."""

    argv: list[str]
    working_directory: Path | None = None


def unit_path() -> Path:
    """``$XDG_CONFIG_HOME/systemd/user/debriefer.service`` (default ``~/.config/...``)."""
    # The same XDG_CONFIG_HOME rule as the config file's default location.
    return default_config_path().parents[1] / "systemd" / "user" / UNIT_NAME


def current_launch() -> Launch:
    """The debriefer running now, so the service runs the same installation.

    A ``debriefer`` script from ``sys.argv[0]`` (looked up on PATH when it has
    no slash), else the one beside this interpreter (``python -m daemon`` in a
    virtualenv), else ``python -m daemon`` started in the folder holding this
    package: ``-m`` looks in the working directory first, which keeps an
    unrelated ``daemon`` module (python-daemon) from being found instead.
    """
    argv0 = sys.argv[0] if sys.argv else ""
    candidates = []
    if Path(argv0).name == "debriefer":
        candidates.append(argv0 if os.sep in argv0 else shutil.which(argv0))
    if sys.executable:
        candidates.append(str(Path(sys.executable).parent / "debriefer"))
    for found in candidates:
        if found and os.path.isfile(found) and os.access(found, os.X_OK):
            return Launch([os.path.abspath(found)])
    if not sys.executable:
        raise UserError("cannot tell which Python runs debriefer; run .venv/bin/debriefer instead")
    return Launch([os.path.abspath(sys.executable), "-m", "daemon"], _SOURCE_ROOT)


def _specifiers(text: str) -> str:
    """systemd expands ``%x`` in most settings; ``%%`` is a literal percent sign."""
    return text.replace("%", "%%")


def _quote_executable(path: str) -> str:
    if _NOT_IN_EXECUTABLE.search(path):
        raise UserError(
            f"systemd cannot run a program whose path contains quotes, backslashes or control"
            f" characters: {path!r}; install debriefer in another folder"
        )
    # The program path is never searched for $VARIABLES, so a $ stays as it is.
    quoted = _specifiers(path)
    return quoted if _PLAIN_WORD.fullmatch(path) else f'"{quoted}"'


def _quote_argument(word: str) -> str:
    """One argument, double-quoted with C escapes if need be; ``$$`` against variable expansion."""
    if _PLAIN_WORD.fullmatch(word):
        return word
    escaped = "".join(
        _C_ESCAPES.get(ch, f"\\x{ord(ch):02x}" if ord(ch) < 0x20 or ord(ch) == 0x7F else ch)
        for ch in word
    )
    return '"' + _specifiers(escaped).replace("$", "$$") + '"'


def _plain_value(text: str, what: str) -> str:
    """A setting that takes the rest of the line as is (no quotes, no escapes)."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        raise UserError(f"{what} contains a control character, which a unit file cannot hold")
    return _specifiers(text)


def _documentation() -> str | None:
    """The README, when this is a source checkout (a wheel does not ship it)."""
    readme = _SOURCE_ROOT / "README.md"
    return _plain_value(readme.as_uri(), "the README path") if readme.is_file() else None


def render_unit(launch: Launch, config: Path | None) -> str:
    """The unit file text; ``config`` must already be absolute."""
    words = [_quote_executable(launch.argv[0])]
    words += [_quote_argument(word) for word in [*launch.argv[1:], "run"]]
    if config is not None:
        words += [_quote_argument("--config"), _quote_argument(str(config))]
    docs = _documentation()
    where = []
    if launch.working_directory is not None:
        where = [f"WorkingDirectory={_plain_value(str(launch.working_directory), 'the path')}"]
    unit = "\n".join(
        [
            "# Written by `debriefer install-service`; run it again after moving debriefer or its",
            "# config.  Keep changes of your own in a drop-in: systemctl --user edit debriefer",
            "[Unit]",
            "Description=debriefer: feedback requests after job rejections",
            *([f"Documentation={docs}"] if docs else []),
            "# A daemon that keeps crashing gives up after 5 starts in 10 minutes.",
            "StartLimitIntervalSec=10min",
            "StartLimitBurst=5",
            "",
            "[Service]",
            "# READY=1 once the accounts are being watched, WATCHDOG=1 every minute from the",
            "# event loop: a daemon whose loop is stuck for 2 minutes is restarted.",
            "Type=notify",
            "NotifyAccess=main",
            "ExecStart=" + " ".join(words),
            *where,
            "SyslogIdentifier=debriefer",
            "WatchdogSec=2min",
            "Restart=on-failure",
            "RestartSec=30s",
            "# Exit 2 is a config or usage error: restarting cannot fix it.",
            "RestartPreventExitStatus=2",
            "# Longer than one network timeout (60 s), so a draft or send in flight is finished",
            "# and recorded rather than cut off.",
            "TimeoutStopSec=75s",
            "# Hardening that works in a user unit without user namespaces.",
            "NoNewPrivileges=yes",
            "UMask=0077",
            "LockPersonality=yes",
            "RestrictRealtime=yes",
            "RestrictSUIDSGID=yes",
            "",
            "[Install]",
            "WantedBy=default.target",
            "",
        ]
    )
    try:
        unit.encode("utf-8")
    except UnicodeEncodeError:  # a file name in another encoding than the system's UTF-8
        raise UserError("a path in the unit is not UTF-8 text, which systemd requires") from None
    return unit


# What a systemd user manager usually puts in a service's PATH.
SERVICE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def service_warnings(config: Config) -> list[str]:
    """What works from a shell but not in a service, which has none of its variables."""
    sources = [(f"account {a.name}", a.password) for a in config.accounts]
    if config.smtp is not None:
        sources.append(("[smtp]", config.smtp.password))
    warnings = []
    for who, source in sources:
        if source.env:
            warnings.append(
                f"{who} reads its password from the environment variable"
                f" {shown_variable(source.env)}, which the service will not have:"
                " add Environment= with `systemctl --user edit debriefer`,"
                " or use password_command or password_keyring"
            )
        program = _first_word(source.command or "")
        if program and "/" not in program and shutil.which(program, path=SERVICE_PATH) is None:
            warnings.append(
                f"{who}: password_command runs {program!r}, which the service will not find"
                f" on its PATH ({SERVICE_PATH}); write its full path"
                + (f" ({shutil.which(program)})" if shutil.which(program) else "")
            )
    if os.environ.get("XDG_STATE_HOME") and config.state_path == default_state_path():
        warnings.append(
            "XDG_STATE_HOME is set here but not in the service, which will keep its state"
            " in ~/.local/state/debriefer; set [state] path in the config to use one place"
        )
    return warnings


def _first_word(command: str) -> str:
    try:
        words = shlex.split(command)
    except ValueError:
        return ""
    return words[0] if words else ""


def write_unit(path: Path, text: str) -> str:
    """Write atomically; returns "installed", "updated" or "unchanged"."""
    try:
        old = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        old = None
    except (OSError, UnicodeDecodeError):
        old = ""
    if old == text:
        return "unchanged"
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside, then renamed: systemd never reads half a unit.
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.chmod(0o644)  # nothing secret in it; unit files are usually 0644
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return "installed" if old is None else "updated"


# -- for `debriefer doctor` -------------------------------------------------------------------


def service_report() -> tuple[bool | None, str]:
    """(True, healthy) / (False, what is wrong) / (None, not installed or no systemd).

    Never raises: doctor reports every check, whatever this one finds.
    """
    try:
        return _service_report()
    except Exception as exc:  # a report, not a crash
        return None, f"could not ask systemd: {type(exc).__name__}: {exc}"


def _service_report() -> tuple[bool | None, str]:
    systemctl = shutil.which("systemctl")
    if systemctl is None:
        return None, "systemd not available (no systemctl)"
    properties = "LoadState,ActiveState,SubState,UnitFileState,Result"
    try:
        done = subprocess.run(
            [systemctl, "--user", "--no-pager", "show", "-p", properties, UNIT_NAME],
            capture_output=True,
            text=True,
            timeout=SYSTEMCTL_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return (
            None,
            f"systemd not available (systemctl --user gave no answer in {SYSTEMCTL_TIMEOUT:.0f} s)",
        )
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[0]
        return None, f"systemd not available (systemctl --user: {why})"
    shown = dict(line.partition("=")[::2] for line in done.stdout.splitlines() if "=" in line)
    return _judge(shown)


def _judge(shown: dict[str, str]) -> tuple[bool | None, str]:
    load, active, sub = shown.get("LoadState"), shown.get("ActiveState"), shown.get("SubState")
    enabled, result = shown.get("UnitFileState", ""), shown.get("Result", "")
    name = UNIT_NAME
    if load == "not-found":
        if unit_path().is_file():
            return False, f"{unit_path()} is written but not loaded: systemctl --user daemon-reload"
        return None, "not installed (debriefer install-service)"
    if load == "masked":
        return False, f"{name} is masked: systemctl --user unmask {name}"
    if load != "loaded":
        return (
            False,
            f"{name} could not be loaded ({load}): systemd-analyze --user verify {unit_path()}",
        )
    if active == "active":
        return True, f"{name} is active ({sub})"
    if active == "failed" or sub == "auto-restart":
        return False, f"{name} failed ({result or sub}): journalctl --user -u debriefer"
    if active in ("activating", "deactivating", "reloading"):
        return None, f"{name} is {active} ({sub})"
    if enabled != "enabled":
        return False, f"{name} is installed but not enabled: systemctl --user enable --now {name}"
    return False, f"{name} is enabled but {active} ({sub}): systemctl --user start {name}"
