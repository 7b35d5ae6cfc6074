"""Files other people may write, when the config runs a command: refused at start, shown by doctor.

A config with ``password_command`` runs that command as the user.  Whoever can
write the config, or the folder that holds it, can change the command;
whoever can write the templates or the state can change what is drafted and to
whom.  So when the config runs a command, each of those must be writable by
the user alone: not by another user who owns it, not by a shared group, not
by everyone.  A group only the user belongs to (the Debian "user private
group") is the user's own.
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
from collections.abc import Iterator
from pathlib import Path

from daemon.config import Config


def commands_in(config: Config) -> list[str]:
    """The config keys that run a command."""
    keys = [
        f"accounts[{index}].password_command"
        for index, account in enumerate(config.accounts)
        if account.password.command
    ]
    if config.smtp is not None and config.smtp.password.command:
        keys.append("smtp.password_command")
    return keys


def unsafe_paths(config: Config) -> list[str]:
    """One problem per file or folder others may write, naming the chmod that fixes it;
    [] when the config runs no command."""
    keys = commands_in(config)
    if not keys:
        return []
    runs = f"{keys[0]} runs a command as you" if len(keys) == 1 else "the config runs commands"
    problems = []
    for path in _guarded(config):
        why = _writable_by_others(path)
        if why:
            fix = f"chmod go-w {path}" if "owned by" not in why else f"chown {_me()} {path}"
            problems.append(
                f"{path} {why}, and {runs}: anyone who can write it can too. Fix: {fix}"
            )
    return problems


def _guarded(config: Config) -> Iterator[Path]:
    yield config.source
    yield config.source.parent
    if config.templates_dir is not None:
        yield config.templates_dir
        yield from sorted(config.templates_dir.iterdir())
    yield config.state_path
    yield config.state_path.parent


def _writable_by_others(path: Path) -> str | None:
    try:
        found = path.stat()
    except OSError:
        return None  # not made yet (the state), or gone: nothing to guard
    if found.st_uid not in (os.getuid(), 0):
        return f"is owned by {_user(found.st_uid)}"
    mode = found.st_mode
    if stat.S_ISDIR(mode) and mode & stat.S_ISVTX:
        return None  # sticky, like /tmp: others may add files but not replace ours
    if mode & stat.S_IWOTH:
        return f"can be written by everyone (mode {stat.S_IMODE(mode):o})"
    if mode & stat.S_IWGRP and not _own_group(found.st_gid):
        return f"can be written by the group {_group(found.st_gid)} (mode {stat.S_IMODE(mode):o})"
    return None


def _own_group(gid: int) -> bool:
    """A group whose only member is the user: their private group."""
    try:
        group = grp.getgrgid(gid)
    except KeyError:
        return False
    me = _me()
    return group.gr_name == me and set(group.gr_mem) <= {me}


def _me() -> str:
    return _user(os.getuid())


def _user(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _group(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)
