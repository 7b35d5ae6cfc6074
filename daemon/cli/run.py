"""``debriefer run``: check everything a running daemon needs, then run it until stopped."""

from __future__ import annotations

import argparse
import logging
import signal

from daemon.config import Config, ConfigError, load_config
from daemon.errors import UserError
from daemon.ledger import Ledger, single_writer
from daemon.mail.render import check_templates
from daemon.permissions import unsafe_paths
from daemon.running.supervisor import run_daemon
from daemon.secrets import resolve_secret

log = logging.getLogger(__name__)


def _config(args: argparse.Namespace) -> Config:
    return load_config(args.config)


def _check_secrets_at_start(config: Config) -> None:
    """An unset variable can never appear in a running process: refuse to start.

    Commands and the keyring are asked at each login instead: a keyring may
    still be locked when the service starts, and a token helper may be slow.
    """
    problems = []
    for account in config.accounts:
        if account.password.env:
            try:
                resolve_secret(account.password)
            except UserError as exc:
                problems.append(str(exc))
    if problems:
        raise ConfigError(problems)


def cmd_run(args: argparse.Namespace) -> int:
    config = _config(args)
    unsafe = unsafe_paths(config)
    if unsafe:
        raise ConfigError(unsafe)
    _check_secrets_at_start(config)
    check_templates(config)
    with single_writer(config.state_path), Ledger(config.state_path) as state:
        log.info("debriefer starting: %d account(s), state in %s", len(config.accounts), state.path)
        failure = run_daemon(config, state, stop_signals=(signal.SIGTERM, signal.SIGINT))
    if failure is not None:
        # Exit status 2: the unit does not restart it (running/service_unit.py).
        raise UserError(failure)
    log.info("debriefer stopped")
    return 0
