"""A config that runs a command must be writable by the user alone, and what it guards too."""

from __future__ import annotations

import grp
import io
import os
from pathlib import Path

import pytest

from daemon.cli.doctor import Report, check_config
from daemon.config import load_config
from daemon.permissions import unsafe_paths

from .support import run_debriefer

IDENTITY = '[identity]\nname = "Ada Lovelace"\nemail = "ada@example.org"\n'
ACCOUNT = (
    '\n[[accounts]]\nname = "main"\nhost = "imap.example.org"\n'
    'username = "ada@example.org"\n{password}\n'
)
COMMAND = 'password_command = "pass show mail/ada"'


def write(folder: Path, password: str = COMMAND, extra: str = "") -> Path:
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / "config.toml"
    state = folder / "state" / "state.db"
    text = IDENTITY + ACCOUNT.format(password=password) + f'\n[state]\npath = "{state}"\n' + extra
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def test_a_private_config_is_fine(tmp_path: Path) -> None:
    assert unsafe_paths(load_config(write(tmp_path / "c"))) == []


def test_a_world_writable_config_with_a_command_refuses_to_start(tmp_path: Path) -> None:
    path = write(tmp_path / "c")
    path.chmod(0o666)
    done = run_debriefer("run", "--config", str(path), timeout=60)
    assert done.returncode == 2
    err = done.stderr
    assert f"debriefer: {path} can be written by everyone (mode 666)" in err
    assert "accounts[0].password_command runs a command as you" in err
    assert f"Fix: chmod go-w {path}" in err


def test_doctor_names_the_same_problem(tmp_path: Path) -> None:
    path = write(tmp_path / "c")
    path.chmod(0o666)
    out = io.StringIO()
    report = Report(out)
    check_config(path, report)
    assert report.failures == 1
    assert f"[FAIL] permissions: {path} can be written by everyone" in out.getvalue()


def test_without_a_command_nothing_is_at_stake(tmp_path: Path) -> None:
    path = write(tmp_path / "c", password='password_env = "MAIL_PASSWORD"')  # noqa: S106
    path.chmod(0o666)
    assert unsafe_paths(load_config(path)) == []


def test_templates_and_the_state_folder_are_guarded_too(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "feedback_request.en.txt.j2").write_text("Subject: hi\n\nbody\n")
    templates.chmod(0o777)
    path = write(tmp_path / "c", extra=f'\n[templates]\ndir = "{templates}"\n')
    state_folder = tmp_path / "c" / "state"
    state_folder.mkdir(mode=0o777)
    state_folder.chmod(0o777)  # past the umask
    problems = unsafe_paths(load_config(path))
    assert [p.split(" can be")[0] for p in problems] == [str(templates), str(state_folder)]


def test_a_sticky_shared_folder_is_no_risk(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp: others cannot replace our files in it
    assert unsafe_paths(load_config(write(shared))) == []


@pytest.mark.skipif(os.getuid() != 0, reason="giving a file to another group needs root")
def test_a_shared_group_may_not_write_it(tmp_path: Path) -> None:
    path = write(tmp_path / "c")
    shared = next(g for g in grp.getgrall() if g.gr_gid != 0 and g.gr_name != "root")
    os.chown(path, 0, shared.gr_gid)
    path.chmod(0o660)
    (problem,) = unsafe_paths(load_config(path))
    assert f"can be written by the group {shared.gr_name} (mode 660)" in problem
