"""``debriefer install-service``: write the systemd user unit (``running/service_unit``),
after the checks ``debriefer run`` makes at start, and say what comes next."""

from __future__ import annotations

import argparse
import os
import pwd
import sys
from pathlib import Path

from daemon.config import ConfigError, default_config_path, load_config
from daemon.errors import UserError
from daemon.mail.render import check_templates
from daemon.running.service_unit import (
    UNIT_NAME,
    current_launch,
    render_unit,
    service_warnings,
    unit_path,
    write_unit,
)

# -- the command ------------------------------------------------------------------------------


def _check_config(path: Path | None) -> tuple[list[str], list[str]]:
    """(problems that stop the daemon at start, warnings about running as a service)."""
    try:
        config = load_config(path)
        check_templates(config)
    except ConfigError as exc:
        return exc.problems, []
    except UserError as exc:
        return [str(exc)], []
    return [], service_warnings(config)


def cmd_install_service(args: argparse.Namespace) -> int:
    # Always named: the service does not see this shell's XDG_CONFIG_HOME.
    config = Path(os.path.abspath((args.config or default_config_path()).expanduser()))
    problems, warnings = _check_config(config)
    unit = render_unit(current_launch(), config)
    if args.print_only:
        # Writes nothing, so a broken config is only worth a warning: the unit may be
        # meant for later, or for another machine.
        for line in [*problems, *warnings]:
            print(f"debriefer: warning: {line}", file=sys.stderr)
        if problems:
            print(
                "debriefer: warning: the service would fail at start until this is fixed",
                file=sys.stderr,
            )
        sys.stdout.write(unit)
        return 0
    if problems:
        more = (
            f" (and {len(problems) - 1} more; see `debriefer doctor`)" if len(problems) > 1 else ""
        )
        raise UserError(f"not installed: the service would fail to start: {problems[0]}{more}")
    path = unit_path()
    try:
        outcome = write_unit(path, unit)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    for line in warnings:
        print(f"debriefer: warning: {line}", file=sys.stderr)
    _print_next_steps(path, outcome)
    return 0


def _print_next_steps(path: Path, outcome: str) -> None:
    try:
        user = pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # a uid without a passwd entry (some containers)
        user = "$USER"
    done = {"unchanged": "is up to date"}.get(outcome, outcome)
    print(f"{UNIT_NAME} {done}: {path}")
    print("Enable and start it with:")
    print("    systemctl --user daemon-reload")
    print(f"    systemctl --user enable --now {UNIT_NAME}")
    if outcome == "updated":
        print(f"and restart it if it was running: systemctl --user restart {UNIT_NAME}")
    print(
        f"To keep it running while you are logged out: loginctl enable-linger {user};"
        " logs: journalctl --user -u debriefer"
    )
