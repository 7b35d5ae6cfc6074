"""init, doctor, status and explain, as a user meets them: against real servers.

Dovecot marks Drafts and Sent with SPECIAL-USE; the embedded pymap server does
not, which is how a server without SPECIAL-USE is tested.  Every failure must be
one line on stderr, exit status 2 (init) or a FAIL line (doctor), no traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import os
import socket
import stat
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from imapclient import IMAPClient

from classifiers import Label, classify
from daemon.cli import doctor, main
from daemon.cli.init import Answers, render_config, run_init
from daemon.config import load_config
from daemon.ledger import MEMORY, Ledger, SeenMessage
from daemon.mail.demo_server import EmbeddedImap
from daemon.mail.providers import guess_host, guess_security
from daemon.pipeline import pipeline
from daemon.running.outbox import Outbox

from .servers.dovecot import Dovecot, MailUser
from .servers.smtp import SmtpServer
from .support import (
    actions,
    build_mail,
    one_account_config,
    rows,
    running,
    schedule_one,
    wait_for,
)

PASSWORD_VARIABLE = "DEBRIEFER_INIT_PASSWORD"  # noqa: S105 - a variable name


def init_args(config: Path, **options: object) -> list[str]:
    argv = ["init", "--config", str(config), "--name", "Alex Candidate"]
    argv += ["--email", "alex@example.org"]
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        argv += [flag] if value is True else [flag, str(value)]
    return argv


def dovecot_options(dovecot: Dovecot, user: MailUser, *, tls: bool = True) -> dict[str, object]:
    options: dict[str, object] = {
        "host": "127.0.0.1",
        "username": user.name,
        "password_env": PASSWORD_VARIABLE,
    }
    if tls:
        options.update(port=dovecot.imaps_port, security="tls", ca_file=dovecot.ca_file)
    else:
        options.update(port=dovecot.imap_port, security="none")
    return options


def asked_for_everything(target: Path) -> argparse.Namespace:
    """`init`'s arguments with no answer given: every question is asked on the terminal."""
    return argparse.Namespace(
        config=target,
        force=False,
        no_login_test=False,
        **dict.fromkeys(
            ("name", "email", "host", "port", "security", "username", "password_command"), None
        ),
        password_env=None,
        password_keyring=False,
        auth=None,
        drafts=None,
        sent=None,
        ca_file=None,
    )


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("debriefer: ")
    return lines[0]


@pytest.fixture
def pymap_server() -> Iterator[EmbeddedImap]:
    """An IMAP server without SPECIAL-USE, with Drafts and Sent made by hand."""
    server = EmbeddedImap("alex", "pymap-secret").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def no_user_service(monkeypatch: pytest.MonkeyPatch) -> None:
    """doctor asks systemctl about the user's unit; the answer must not depend on the
    machine the tests run on (test_service.py tests service_report itself)."""
    monkeypatch.setattr(doctor, "service_report", lambda: (None, "not installed (test)"))


def make_folders(server: EmbeddedImap, *names: str) -> None:
    with IMAPClient(server.host, port=server.port, ssl=False) as client:
        client.login(server.user, server.password)
        for name in names:
            client.create_folder(name)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- init ----------------------------------------------------------------------------------


@pytest.mark.dovecot
def test_init_tests_the_login_finds_the_folders_and_writes_a_private_config(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = dovecot.new_user()
    monkeypatch.setenv(PASSWORD_VARIABLE, user.password)
    target = tmp_path / "conf" / "config.toml"
    assert main(init_args(target, **dovecot_options(dovecot, user))) == 0
    out = capsys.readouterr().out
    assert f"logged in as {user.name}" in out
    assert "Drafts: 'Drafts' (SPECIAL-USE)" in out
    assert "Sent: 'Sent' (SPECIAL-USE)" in out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    config = load_config(target)
    [account] = config.accounts
    assert (account.host, account.port, account.security) == (
        "127.0.0.1",
        dovecot.imaps_port,
        "tls",
    )
    assert account.password.env == PASSWORD_VARIABLE
    assert account.drafts is None  # SPECIAL-USE finds it; nothing to keep in sync
    assert config.identity.email == "alex@example.org"
    assert user.password not in target.read_text()


@pytest.mark.dovecot
def test_init_refuses_to_overwrite_without_force(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = dovecot.new_user()
    monkeypatch.setenv(PASSWORD_VARIABLE, user.password)
    target = tmp_path / "config.toml"
    target.write_text("# mine\n")
    assert main(init_args(target, **dovecot_options(dovecot, user))) == 2
    assert "already exists; `debriefer init --force`" in one_line_error(capsys.readouterr().err)
    assert target.read_text() == "# mine\n"
    assert main([*init_args(target, **dovecot_options(dovecot, user)), "--force"]) == 0
    assert load_config(target).identity.name == "Alex Candidate"


@pytest.mark.dovecot
def test_init_with_a_wrong_password_says_so_and_writes_nothing(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = dovecot.new_user()
    monkeypatch.setenv(PASSWORD_VARIABLE, "not-the-password-42")
    target = tmp_path / "config.toml"
    assert main(init_args(target, **dovecot_options(dovecot, user))) == 2
    captured = capsys.readouterr()
    line = one_line_error(captured.err)
    assert f"login refused for {user.name}" in line
    assert "check the username and the password" in line
    assert "not-the-password-42" not in captured.out + captured.err
    assert not target.exists()


def test_init_against_an_unreachable_host_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(PASSWORD_VARIABLE, "x")
    target = tmp_path / "config.toml"
    port = closed_port()
    argv = init_args(target, host="127.0.0.1", port=port, password_env=PASSWORD_VARIABLE)
    assert main(argv) == 2
    line = one_line_error(capsys.readouterr().err)
    assert f"nothing answers at 127.0.0.1:{port} (connection refused)" in line
    assert not target.exists()


@pytest.mark.dovecot
def test_init_refuses_a_certificate_it_cannot_verify(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = dovecot.new_user()
    monkeypatch.setenv(PASSWORD_VARIABLE, user.password)
    options = dovecot_options(dovecot, user)
    del options["ca_file"]
    assert main(init_args(tmp_path / "config.toml", **options)) == 2
    line = one_line_error(capsys.readouterr().err)
    assert "the certificate of 127.0.0.1 is not trusted" in line
    assert "ca_file" in line


def test_init_on_a_server_without_special_use_finds_folders_by_name(
    pymap_server: EmbeddedImap,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_folders(pymap_server, "Entwürfe", "Gesendet")
    monkeypatch.setenv(PASSWORD_VARIABLE, pymap_server.password)
    target = tmp_path / "config.toml"
    argv = init_args(
        target,
        host=pymap_server.host,
        port=pymap_server.port,
        username=pymap_server.user,
        password_env=PASSWORD_VARIABLE,
    )
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "no SPECIAL-USE" in out
    assert "Drafts: 'Entwürfe' (by its name)" in out
    [account] = load_config(target).accounts
    assert account.security == "none"  # guessed: a loopback bridge on a non-standard port
    assert (account.drafts, account.sent) == ("Entwürfe", "Gesendet")


def test_init_without_a_drafts_folder_asks_for_one_by_option(
    pymap_server: EmbeddedImap,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_folders(pymap_server, "Work", "Outbox")
    monkeypatch.setenv(PASSWORD_VARIABLE, pymap_server.password)
    target = tmp_path / "config.toml"
    options = {
        "host": pymap_server.host,
        "port": pymap_server.port,
        "username": pymap_server.user,
        "password_env": PASSWORD_VARIABLE,
    }
    assert main(init_args(target, **options)) == 2
    line = one_line_error(capsys.readouterr().err)
    assert "no Drafts folder found; name one with --drafts" in line
    assert "'Work'" in line
    assert not target.exists()
    assert main(init_args(target, **options, drafts="Work")) == 0
    assert "Drafts: 'Work' (configured)" in capsys.readouterr().out
    assert load_config(target).accounts[0].drafts == "Work"


def test_init_refuses_a_mistyped_folder_and_keeps_the_config_option_in_its_advice(
    pymap_server: EmbeddedImap,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_folders(pymap_server, "Drafts", "Sent")
    monkeypatch.setenv(PASSWORD_VARIABLE, pymap_server.password)
    target = tmp_path / "my config.toml"
    options = {
        "host": pymap_server.host,
        "port": pymap_server.port,
        "username": pymap_server.user,
        "password_env": PASSWORD_VARIABLE,
    }
    assert main(init_args(target, **options, sent="Snet")) == 2
    line = one_line_error(capsys.readouterr().err)
    assert "--sent 'Snet': the server has no such folder" in line
    assert not target.exists()
    assert main(init_args(target, **options)) == 0
    out = capsys.readouterr().out
    assert f"debriefer scan --dry-run --config '{target}'" in out


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"ca_file": "missing-ca.pem"}, "--ca-file: no such file: "),
        ({"password_env": "1BAD"}, "--password-env: the name of an environment variable"),
        ({"name": " "}, "--name: must not be empty"),
    ],
)
def test_init_checks_its_options_before_connecting(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    options: dict[str, str],
    problem: str,
) -> None:
    argv = init_args(
        tmp_path / "c.toml",
        host="127.0.0.1",
        port=closed_port(),
        **{"password_env": PASSWORD_VARIABLE, **options},
    )
    if "name" in options:  # the later --name wins in argparse; drop the first
        del argv[argv.index("--name") : argv.index("--name") + 2]
    assert main(argv) == 2
    line = one_line_error(capsys.readouterr().err)
    assert problem in line
    assert "nothing answers" not in line  # refused before any connection
    assert not (tmp_path / "c.toml").exists()


def test_init_into_a_folder_or_under_a_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "plain-file").write_text("")
    for target, problem in (
        (tmp_path, "is a folder; --config names the file to write"),
        (tmp_path / "plain-file" / "config.toml", "is not a folder"),
    ):
        assert main(init_args(target, host="127.0.0.1", password_env=PASSWORD_VARIABLE)) == 2
        assert problem in one_line_error(capsys.readouterr().err)


def test_init_without_a_terminal_names_every_missing_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "--config", str(tmp_path / "c.toml"), "--email", "alex@gmail.com"]) == 2
    line = one_line_error(capsys.readouterr().err)
    assert "missing --name, one of --password-command, --password-env" in line
    assert "--host" not in line  # guessed from the address


def test_init_asks_on_a_terminal_with_guessed_defaults(
    pymap_server: EmbeddedImap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_folders(pymap_server, "Drafts")
    monkeypatch.setenv("MY_IMAP_PASSWORD", pymap_server.password)
    answers = [
        "Alex Candidate",
        "not an address",  # asked again
        "alex@example.org",
        pymap_server.host,
        str(pymap_server.port),
        "",  # security: the guess
        pymap_server.user,
        "2",  # an environment variable
        "MY_IMAP_PASSWORD",
    ]
    out = io.StringIO()
    target = tmp_path / "config.toml"
    args = asked_for_everything(target)
    stdin = io.StringIO("\n".join(answers) + "\n")
    assert run_init(args, interactive=True, stdin=stdin, out=out) == 0
    shown = out.getvalue()
    assert "IMAP server [imap.example.org]: " in shown
    assert "'not an address' is not an email address" in shown
    assert "Security (tls, starttls, none) [none]: " in shown
    assert "IMAP username [alex@example.org]: " in shown
    account = load_config(target).accounts[0]
    assert (account.username, account.password.env) == ("alex", "MY_IMAP_PASSWORD")
    assert account.drafts == "Drafts"


@pytest.mark.dovecot
def test_init_for_a_microsoft_address_logs_in_with_an_oauth2_token(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Outlook addresses default to auth = oauth2; Dovecot checks the XOAUTH2 token."""
    user = dovecot.new_user()
    token = tmp_path / "token"
    token.write_text(user.password)
    target = tmp_path / "config.toml"
    options = dovecot_options(dovecot, user, tls=False)
    del options["password_env"]
    argv = init_args(target, **options, password_command=f"cat {token}")
    argv[argv.index("alex@example.org")] = "alex@outlook.com"
    assert main(argv) == 0
    assert "Note: Outlook / Microsoft 365 take no passwords" in capsys.readouterr().out
    assert load_config(target).accounts[0].auth == "oauth2"
    assert f"user=<{user.name}>, method=XOAUTH2" in dovecot.log_tail(200)


def test_guesses_for_host_and_security() -> None:
    assert guess_host("someone@gmail.com") == "imap.gmail.com"
    assert guess_host("someone@Outlook.com") == "outlook.office365.com"
    assert guess_host("someone@example.org") == "imap.example.org"
    assert guess_security(None, "imap.example.org") == "tls"
    assert guess_security(993, "imap.example.org") == "tls"
    assert guess_security(143, "imap.example.org") == "starttls"
    assert guess_security(1143, "127.0.0.1") == "none"
    assert guess_security(143, "127.0.0.1") == "starttls"


def test_the_written_config_quotes_what_the_user_typed(tmp_path: Path) -> None:
    answers = Answers(
        name='Zoë "Z" O\'Brien \\ Jr.',
        email="zoe@example.org",
        host="imap.example.org",
        port=993,
        security="tls",
        username="zoe@example.org",
        source=("command", "pass show 'mail/zoe' | head -1"),
        drafts="[Gmail]/Drafts",
    )
    text = render_config(answers)
    data = tomllib.loads(text)
    assert data["identity"]["name"] == answers.name
    assert data["accounts"][0]["password_command"] == answers.source[1]
    assert data["accounts"][0]["drafts"] == "[Gmail]/Drafts"
    path = tmp_path / "config.toml"
    path.write_text(text)
    assert load_config(path).identity.name == answers.name


# -- doctor --------------------------------------------------------------------------------


@pytest.mark.dovecot
def test_doctor_passes_a_working_setup_and_notes_the_missing_state(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch)
    assert main(["doctor", "--config", str(config.source)]) == 0
    out = capsys.readouterr().out
    assert "[ ok ] config: " in out
    assert "[ ok ] templates: every template renders" in out
    assert f"[ ok ] account acct0: logged in to 127.0.0.1:{dovecot.imap_port}" in out
    assert "[ ok ] account acct0: Drafts is 'Drafts' (SPECIAL-USE)" in out
    assert "does not exist yet" in out
    assert "[ -- ] service: not installed (test)" in out
    assert out.rstrip().endswith("everything looks right")


@pytest.mark.dovecot
def test_doctor_reports_a_wrong_password_and_a_damaged_state(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch)
    monkeypatch.setenv("DEBRIEFER_TEST_PASSWORD", "wrong-password-77")
    config.state_path.write_bytes(b"this is not a database" * 100)
    os.chmod(config.state_path, 0o644)
    assert main(["doctor", "--config", str(config.source)]) == 1
    out = capsys.readouterr().out
    assert f"[FAIL] account acct0: login refused for {user.name}" in out
    assert "is readable by others (mode 644): chmod 600 it" in out
    assert "[FAIL] state: " in out
    assert "wrong-password-77" not in out
    assert "Traceback" not in out
    assert out.rstrip().endswith("3 problem(s)")


def test_doctor_on_a_server_without_special_use_and_an_unreachable_one(
    pymap_server: EmbeddedImap,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_folders(pymap_server, "Drafts")
    monkeypatch.setenv(PASSWORD_VARIABLE, pymap_server.password)
    port = closed_port()
    path = tmp_path / "config.toml"
    path.write_text(
        '[identity]\nname = "Alex"\nemail = "alex@example.org"\n\n'
        + "".join(
            f'[[accounts]]\nname = "{name}"\nhost = "127.0.0.1"\nport = {port}\n'
            f'security = "none"\nusername = "alex"\npassword_env = "{PASSWORD_VARIABLE}"\n\n'
            for name, port in (("pymap", pymap_server.port), ("gone", port))
        )
        + f'[state]\npath = "{tmp_path / "state.db"}"\n'
    )
    out = io.StringIO()
    assert doctor.run_doctor(path, out) == 1
    shown = out.getvalue()
    assert "[ ok ] account pymap: Drafts is 'Drafts' (by its name)" in shown
    assert "[ -- ] account pymap: no Sent folder (not found): sent mail cannot be checked" in shown
    assert f"[FAIL] account gone: nothing answers at 127.0.0.1:{port}" in shown


def test_doctor_counts_a_rule_that_sends_as_sending(
    pymap_server: EmbeddedImap,
    smtp_server: SmtpServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A rule's own ``mode = "send"`` sends as surely as ``action = "send"``: without a Sent
    folder to check, a send might repeat what the user wrote, and doctor says so."""
    make_folders(pymap_server, "Drafts")
    monkeypatch.setenv(PASSWORD_VARIABLE, pymap_server.password)
    monkeypatch.setenv("SMTP_PASSWORD", smtp_server.password)
    path = tmp_path / "config.toml"
    path.write_text(
        '[identity]\nname = "Alex"\nemail = "alex@example.org"\n\n'
        f'[[accounts]]\nname = "pymap"\nhost = "127.0.0.1"\nport = {pymap_server.port}\n'
        f'security = "none"\nusername = "alex"\npassword_env = "{PASSWORD_VARIABLE}"\n\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_server.port}\nsecurity = "starttls"\n'
        f'username = "{smtp_server.username}"\npassword_env = "SMTP_PASSWORD"\n'
        f'ca_file = "{smtp_server.ca_file}"\n\n'
        '[[rules]]\nname = "send to Contoso"\nmatch = { company = ["Contoso"] }\n'
        'mode = "send"\n\n'
        f'[state]\npath = "{tmp_path / "state.db"}"\n'
    )
    out = io.StringIO()
    assert doctor.run_doctor(path, out) == 1
    shown = out.getvalue()
    assert "[FAIL] account pymap: no Sent folder (not found): sent mail cannot be checked" in shown
    assert f"[ ok ] smtp: logged in to 127.0.0.1:{smtp_server.port}" in shown


def test_scan_and_run_describe_a_failure_as_doctor_does(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv(PASSWORD_VARIABLE, "x")
    port = closed_port()
    path = tmp_path / "config.toml"
    path.write_text(
        '[identity]\nname = "Alex"\nemail = "alex@example.org"\n\n'
        f'[[accounts]]\nname = "gone"\nhost = "127.0.0.1"\nport = {port}\n'
        f'security = "none"\nusername = "alex"\npassword_env = "{PASSWORD_VARIABLE}"\n\n'
        f'[state]\npath = "{tmp_path / "state.db"}"\n'
    )
    explained = f"gone: nothing answers at 127.0.0.1:{port} (connection refused): check the host"
    assert main(["scan", "--dry-run", "--config", str(path)]) == 1
    assert f"debriefer: {explained}" in capsys.readouterr().err
    with running(load_config(path)):
        wait_for(lambda: explained in caplog.text, "the daemon to say why")
    assert "ConnectionRefusedError" not in caplog.text


def test_doctor_fails_a_configured_folder_the_server_does_not_have(
    pymap_server: EmbeddedImap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_folders(pymap_server, "Drafts")
    monkeypatch.setenv(PASSWORD_VARIABLE, pymap_server.password)
    path = tmp_path / "config.toml"
    path.write_text(
        '[identity]\nname = "Alex"\nemail = "alex@example.org"\n\n'
        f'[[accounts]]\nname = "main"\nhost = "127.0.0.1"\nport = {pymap_server.port}\n'
        f'security = "none"\nusername = "alex"\npassword_env = "{PASSWORD_VARIABLE}"\n'
        f'sent = "Snet"\n\n[state]\npath = "{tmp_path / "state.db"}"\n'
    )
    out = io.StringIO()
    assert doctor.run_doctor(path, out) == 1
    assert "[FAIL] account main: no Sent folder (configured as 'Snet'" in out.getvalue()


def test_doctor_lists_config_problems_with_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[identity]\nname = "Alex"\nemail = 42\n')
    out = io.StringIO()
    assert doctor.run_doctor(path, out) == 1
    shown = out.getvalue()
    assert f"[FAIL] config: {path}:3: identity.email" in shown
    assert "Traceback" not in shown


@pytest.mark.dovecot
def test_doctor_checks_the_smtp_login_when_something_is_sent(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    smtp_server: SmtpServer,
) -> None:
    user = dovecot.new_user()
    smtp = (
        f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_server.port}\nsecurity = "starttls"\n'
        f'username = "{smtp_server.username}"\npassword_env = "SMTP_PASSWORD"\n'
        f'ca_file = "{smtp_server.ca_file}"\n'
    )
    config = one_account_config(
        tmp_path, dovecot, user, monkeypatch, policy='mode = "send"', extra=smtp
    )
    monkeypatch.setenv("SMTP_PASSWORD", smtp_server.password)
    out = io.StringIO()
    assert doctor.run_doctor(config.source, out) == 0
    assert f"[ ok ] smtp: logged in to 127.0.0.1:{smtp_server.port}" in out.getvalue()
    monkeypatch.setenv("SMTP_PASSWORD", "bad-smtp-password")
    out = io.StringIO()
    assert doctor.run_doctor(config.source, out) == 1
    assert "[FAIL] smtp: login refused for" in out.getvalue()
    assert "bad-smtp-password" not in out.getvalue()


# -- status and explain --------------------------------------------------------------------


@pytest.mark.dovecot
def test_status_shows_the_pipeline_in_the_users_zone_and_explain_tells_why(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = dovecot.new_user()
    config = one_account_config(
        tmp_path, dovecot, user, monkeypatch, policy='wait = "1h"\ntimezone = "Asia/Tokyo"'
    )
    schedule_one(config, dovecot, user)
    capsys.readouterr()
    assert main(["status", "--config", str(config.source)]) == 0
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.startswith("ID"))
    assert header.split() == "ID RECEIVED COMPANY / ROLE CONTACT REQUEST REPLY THANK-YOU".split()
    [row] = [line for line in out.splitlines() if "jordan.reyes@northwind.example" in line]
    assert "Northwind / Data Engineer" in row
    received = datetime.fromisoformat(rows(config)[0]["received_at"])
    due = datetime.fromisoformat(actions(config)[0]["due_at"])
    tokyo = ZoneInfo("Asia/Tokyo")
    assert row.startswith(f"{rows(config)[0]['id']} ")
    assert received.astimezone(tokyo).strftime("%d %b %H:%M") in row
    assert "due " + due.astimezone(tokyo).strftime("%d %b %H:%M") in row
    assert "times in Asia/Tokyo" in out

    assert main(["explain", "rej-1@northwind.example", "--config", str(config.source)]) == 0
    shown = capsys.readouterr().out
    assert "verdict: rejection" in shown
    assert "rule: none matched" in shown
    assert "outcome: feedback request due" in shown
    assert "feedback request to jordan.reyes@northwind.example: scheduled" in shown
    assert "JST" in shown  # in the policy's zone

    assert main(["explain", "<nope@example.org>", "--config", str(config.source)]) == 2
    assert "no message <nope@example.org> is recorded" in one_line_error(capsys.readouterr().err)


def test_explain_a_file_with_the_rules_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[identity]\nname = "Alex"\nemail = "alex@example.org"\n\n'
        '[[accounts]]\nhost = "imap.example.org"\nusername = "alex"\npassword_env = "X"\n\n'
        '[[rules]]\nname = "slow company"\nmatch = { company = ["Northwind"] }\nwait = "5d"\n\n'
        f'[state]\npath = "{tmp_path / "state.db"}"\n'
    )
    mail = tmp_path / "rejection.eml"
    mail.write_bytes(
        b"From: Jordan Reyes <jordan.reyes@northwind.example>\r\nTo: alex@example.org\r\n"
        b"Subject: Your application\r\nDate: Mon, 02 Nov 2026 09:00:00 +0000\r\n"
        b"Message-ID: <file-1@northwind.example>\r\n\r\n"
        b"Dear Alex,\r\n\r\nThank you for applying for the Data Engineer role at Northwind."
        b" Unfortunately we have decided not to move forward with your application.\r\n\r\n"
        b"Best regards,\r\nJordan Reyes\r\n"
    )
    assert main(["explain", str(mail), "--config", str(config), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["label"] == "rejection"
    assert found["rule"] == "slow company"
    assert found["outcome"].startswith("would be: feedback request due 2026-11-07")
    assert not (tmp_path / "state.db").exists()  # explain writes nothing
    assert main(["explain", "<file-1@northwind.example>", "--config", str(config)]) == 2
    assert "nothing is recorded yet" in one_line_error(capsys.readouterr().err)
    (tmp_path / "state.db").write_bytes(b"not a database at all" * 200)
    for verb in ("status", "explain"):
        argv = [verb, "--config", str(config)]
        assert main([*argv, "<file-1@northwind.example>"] if verb == "explain" else argv) == 2
        assert "state.db" in one_line_error(capsys.readouterr().err)


def test_the_pipeline_follows_a_rejection_to_its_reply_and_thank_you() -> None:
    def message(id_: int, label: str, **fields: object) -> dict[str, object]:
        base = dict.fromkeys(
            ("company", "job_title", "contact_email", "sender", "outcome", "refs"), None
        )
        return {
            **base,
            "id": id_,
            "label": label,
            "message_id": f"<m{id_}@x>",
            "subject": f"s{id_}",
            "received_at": f"2026-11-0{id_}T10:00:00+00:00",
            **fields,
        }

    def action(id_: int, kind: str, source: int, state: str, **fields: object) -> dict:
        return {
            "id": id_,
            "kind": kind,
            "source_id": source,
            "state": state,
            "to_email": None,
            "message_id": f"<a{id_}@me>",
            "due_at": "2026-11-05T10:00:00+00:00",
            "updated_at": "2026-11-05T10:00:00+00:00",
            "detail": "",
            **fields,
        }

    messages = [
        message(1, "rejection", contact_email="jo@n.example", company="Northwind"),
        message(2, "rejection", sender="noreply@ats.example", outcome="suppressed: bulk"),
        # Threaded to our request, from another address: the intake related it (thread_of).
        message(
            3,
            "feedback_reply",
            sender="someone@else.example",
            refs="<a10@me>",
            thread_of=1,
            answer="feedback",
        ),
        message(4, "other"),
    ]
    actions = [
        action(10, "request", 1, "drafted", to_email="jo@n.example"),
        action(11, "thank_you", 3, "scheduled"),
    ]
    second, first = pipeline(messages, actions)  # newest first
    assert first["contact"] == "jo@n.example"
    assert first["request"]["state"] == "drafted"
    assert first["reply"]["subject"] == "s3"  # threaded to our request, from another address
    assert first["thank_you"]["state"] == "scheduled"
    assert second["request"] is None
    assert second["outcome"] == "suppressed: bulk"
    assert second["reply"] is None


def test_a_reply_goes_to_the_latest_rejection_before_it_and_only_there() -> None:
    """Status shows a reply where the intake related it (decide.relation, through the
    ledger), never by a second reckoning of its own."""
    sender = "jo@n.example"

    def seen(id_: int, day: int) -> SeenMessage:
        received = f"2026-11-{day:02d}T10:00:00+00:00"
        return SeenMessage(
            "a", "INBOX", 1, id_, f"f{id_}", f"<m{id_}@x>", f"s{id_}", sender, received
        )

    def record(ledger: Ledger, id_: int, label: str, day: int) -> None:
        message = seen(id_, day)
        verdict = classify(build_mail(f"s{id_}", "Thanks for your time."))
        verdict = dataclasses.replace(verdict, label=Label(label))
        received = datetime.fromisoformat(message.received_at or "")
        thread = ledger.thread_of("a", sender, frozenset(), received, message.message_id)
        ledger.record(message, verdict, thread=thread)

    with Ledger(MEMORY) as ledger:
        record(ledger, 1, "feedback_reply", 1)  # before any rejection: belongs to none
        record(ledger, 2, "rejection", 5)
        record(ledger, 3, "rejection", 10)
        record(ledger, 4, "feedback_reply", 12)
        newest, oldest = pipeline(ledger.messages(), ledger.actions())
    assert newest["subject"] == "s3"
    assert newest["reply"]["subject"] == "s4"
    assert oldest["reply"] is None


@pytest.mark.dovecot
def test_status_shows_why_a_due_request_is_held_up_and_what_fixes_it(
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user = dovecot.new_user()
    config = one_account_config(tmp_path, dovecot, user, monkeypatch, policy='wait = "1h"')
    schedule_one(config, dovecot, user)
    monkeypatch.setenv("DEBRIEFER_TEST_PASSWORD", "changed-since")
    later = datetime.now(UTC) + timedelta(hours=2)
    with Ledger(config.state_path) as state:
        assert Outbox(config, state, clock=lambda: later).run_due() == 0
    capsys.readouterr()
    assert main(["status", "--config", str(config.source)]) == 0
    out = capsys.readouterr().out
    [row] = [line for line in out.splitlines() if "jordan.reyes@northwind.example" in line]
    assert "held up, due" in row
    assert (
        f"held up: login refused for {user.name}: check the password in the environment"
        " variable DEBRIEFER_TEST_PASSWORD"
    ) in out
    assert "changed-since" not in out

    monkeypatch.setenv("DEBRIEFER_TEST_PASSWORD", user.password)  # the user fixes it
    with Ledger(config.state_path) as state:
        assert Outbox(config, state, clock=lambda: later).run_due() == 1
    assert main(["status", "--config", str(config.source)]) == 0
    assert "held up" not in capsys.readouterr().out


@pytest.mark.dovecot
def test_init_on_a_terminal_keeps_every_answer_through_failed_logins(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An untrusted certificate leads to the CA question, a refused login to the login
    questions; nothing answered before is asked again."""
    user = dovecot.new_user()
    monkeypatch.setenv("WRONG_PASSWORD", "not-the-password")
    monkeypatch.setenv("RIGHT_PASSWORD", user.password)
    answers = [
        "Alex Candidate",
        "alex@example.org",
        "127.0.0.1",
        str(dovecot.imaps_port),
        "tls",
        user.name,
        "2",
        "WRONG_PASSWORD",
        "",  # Change [ca]: the certificate is self-signed
        str(dovecot.ca_file),
        "",  # Change [login]: the password was wrong
        "",  # the username as before
        "2",
        "RIGHT_PASSWORD",
    ]
    args = asked_for_everything(tmp_path / "config.toml")
    out = io.StringIO()
    stdin = io.StringIO("\n".join(answers) + "\n")
    assert run_init(args, interactive=True, stdin=stdin, out=out) == 0
    shown = out.getvalue()
    assert "is not trusted" in shown
    assert "Change [ca]: " in shown
    assert "login refused" in shown
    assert "Change [login]: " in shown
    assert shown.count("Your name") == 1  # asked once, kept through both failures
    account = load_config(args.config).accounts[0]
    assert (account.ca_file, account.password.env) == (dovecot.ca_file, "RIGHT_PASSWORD")
    assert "not-the-password" not in shown
