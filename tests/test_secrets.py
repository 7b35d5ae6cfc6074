"""Passwords: fetched fresh on each call, and never part of an error or a log line."""

from __future__ import annotations

import logging
import shlex
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from daemon.config import SecretSource, load_config
from daemon.errors import UserError
from daemon.secrets import COMMAND_TIMEOUT, SecretError, resolve_secret

CANARY = "hunter2-Tr0ub4dor"  # planted in inputs; must never come out in a message or log
LABEL = "accounts[0] (main)"


def command(text: str) -> SecretSource:
    return SecretSource(command=text, env=None, keyring=False, label=LABEL)


def env(name: str) -> SecretSource:
    return SecretSource(command=None, env=name, keyring=False, label=LABEL)


def keyring_source() -> SecretSource:
    return SecretSource(
        command=None,
        env=None,
        keyring=True,
        label=LABEL,
        keyring_user="ada@example.org@imap.example.org",
    )


@pytest.fixture(autouse=True)
def _no_secret_in_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every test here also checks that nothing it logged, even at DEBUG, holds the secret."""
    caplog.set_level(logging.DEBUG)
    yield
    assert CANARY not in caplog.text


# -- password_command ------------------------------------------------------------------------

OUTPUTS = {
    "one trailing newline is dropped": (f"printf '%s\\n' {CANARY}", CANARY),
    "no newline at all": (f"printf %s {CANARY}", CANARY),
    "a CRLF line end": (f"printf '%s\\r\\n' {CANARY}", CANARY),
    "spaces are part of the password": ("printf ' a b \\n'", " a b "),
    "a pipeline through the shell": ("echo abc | tr a-z A-Z", "ABC"),
    "shell variables": ('X=from-sh; echo "$X"', "from-sh"),
    "non-ASCII": ("printf 'pässwörd\\n'", "pässwörd"),
}


@pytest.mark.parametrize(("shell", "expected"), OUTPUTS.values(), ids=OUTPUTS.keys())
def test_command_output(shell: str, expected: str) -> None:
    assert resolve_secret(command(shell)) == expected


def test_command_runs_again_on_every_call(tmp_path: Path) -> None:
    """A helper that rotates tokens must be asked each time, not once at start."""
    counter = shlex.quote(str(tmp_path / "count"))
    rotating = command(
        f"n=$(cat {counter} 2>/dev/null || echo 0); n=$((n + 1)); echo $n > {counter};"
        " echo token-$n"
    )
    assert [resolve_secret(rotating) for _ in range(3)] == ["token-1", "token-2", "token-3"]


FAILURES = {
    "non-zero exit": (
        f"echo {CANARY}; echo {CANARY} >&2; exit 3",
        "password_command failed with exit status 3",
    ),
    "command not found": (
        "no-such-command-for-debriefer",
        "exit status 127 (command not found: give its full path",
    ),
    "no output": ("true", "password_command printed nothing"),
    "only a newline": ("echo", "password_command printed nothing"),
    "more than one line": (f"printf '%s\\nuser: ada\\n' {CANARY}", "more than one line"),
    "not UTF-8": (f"printf '{CANARY}\\377\\n'", "not UTF-8"),
    "stdin is closed, not waited on": ("cat", "printed nothing"),
}


@pytest.mark.parametrize(("shell", "words"), FAILURES.values(), ids=FAILURES.keys())
def test_command_failures_name_the_account_never_the_output(shell: str, words: str) -> None:
    with pytest.raises(SecretError) as caught:
        resolve_secret(command(shell))
    message = str(caught.value)
    assert message.startswith(f"{LABEL}: ")
    assert words in message
    assert CANARY not in message
    assert isinstance(caught.value, UserError)


def test_a_hanging_command_is_stopped_with_its_children() -> None:
    """The timeout ends the whole pipeline; a child holding the pipe does not block us."""
    hanging = command(f"echo {CANARY}; sleep 60 & sleep 60; wait")
    with pytest.raises(SecretError, match=r"did not finish within 0\.2 s") as caught:
        resolve_secret(hanging, timeout=0.2)
    assert CANARY not in str(caught.value)


def test_default_timeout_is_thirty_seconds() -> None:
    assert COMMAND_TIMEOUT == 30.0


# -- password_env ----------------------------------------------------------------------------


def test_env_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBRIEFER_TEST_PW", CANARY)
    assert resolve_secret(env("DEBRIEFER_TEST_PW")) == CANARY


def test_env_variable_is_read_on_every_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBRIEFER_TEST_PW", "first")
    source = env("DEBRIEFER_TEST_PW")
    assert resolve_secret(source) == "first"
    monkeypatch.setenv("DEBRIEFER_TEST_PW", "second")
    assert resolve_secret(source) == "second"


def test_missing_env_variable_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEBRIEFER_TEST_PW", raising=False)
    with pytest.raises(SecretError) as caught:
        resolve_secret(env("DEBRIEFER_TEST_PW"))
    assert str(caught.value) == f"{LABEL}: environment variable DEBRIEFER_TEST_PW is not set"


def test_a_lower_case_variable_name_is_not_repeated(monkeypatch: pytest.MonkeyPatch) -> None:
    """An app password like "abcdefghijklmnop" is also a valid variable name."""
    monkeypatch.delenv("qwzxrtplmnbvcdfg", raising=False)
    source = SecretSource(command=None, env="qwzxrtplmnbvcdfg", keyring=False, label=LABEL)
    with pytest.raises(SecretError) as caught:
        resolve_secret(source)
    assert "qwzxrtplmnbvcdfg" not in str(caught.value)
    assert str(caught.value) == f"{LABEL}: environment variable named by password_env is not set"


def test_empty_env_variable_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBRIEFER_TEST_PW", "")
    with pytest.raises(SecretError, match="environment variable DEBRIEFER_TEST_PW is empty"):
        resolve_secret(env("DEBRIEFER_TEST_PW"))


# -- password_keyring ------------------------------------------------------------------------


def fake_keyring(monkeypatch: pytest.MonkeyPatch, behaviour) -> list[tuple[str, str]]:
    calls: list[tuple[str, str]] = []

    def get_password(service: str, user: str) -> str | None:
        calls.append((service, user))
        return behaviour()

    module = types.ModuleType("keyring")
    module.get_password = get_password  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", module)
    return calls


def test_keyring_entry_is_service_debriefer_user_at_host(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = fake_keyring(monkeypatch, lambda: CANARY)
    assert resolve_secret(keyring_source()) == CANARY
    assert calls == [("debriefer", "ada@example.org@imap.example.org")]


def test_keyring_without_an_entry_says_how_to_add_one(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_keyring(monkeypatch, lambda: None)
    with pytest.raises(SecretError) as caught:
        resolve_secret(keyring_source())
    assert "keyring set debriefer ada@example.org@imap.example.org" in str(caught.value)


def test_keyring_backend_failure_is_a_secret_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def locked() -> str:
        raise RuntimeError("the collection is locked")

    fake_keyring(monkeypatch, locked)
    with pytest.raises(SecretError, match="RuntimeError: the collection is locked"):
        resolve_secret(keyring_source())


def test_keyring_not_installed_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # makes `import keyring` fail
    with pytest.raises(SecretError, match=r"\.venv/bin/pip install keyring"):
        resolve_secret(keyring_source())


# -- from the config -------------------------------------------------------------------------


def test_sources_from_a_loaded_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBRIEFER_TEST_SMTP", "smtp-" + CANARY)
    path = tmp_path / "config.toml"
    path.write_text(
        '[identity]\nname = "Ada"\nemail = "ada@example.org"\n'
        '[[accounts]]\nname = "main"\nhost = "imap.example.org"\nusername = "ada"\n'
        f"password_command = \"printf '%s\\\\n' {CANARY}\"\n"
        '[smtp]\nhost = "smtp.example.org"\nusername = "ada"\n'
        'password_env = "DEBRIEFER_TEST_SMTP"\n'
    )
    config = load_config(path)
    assert resolve_secret(config.accounts[0].password) == CANARY
    assert config.smtp is not None
    assert resolve_secret(config.smtp.password) == "smtp-" + CANARY


def test_no_source_at_all_is_an_error() -> None:
    empty = SecretSource(command=None, env=None, keyring=False, label=LABEL)
    with pytest.raises(SecretError, match="no password source"):
        resolve_secret(empty)
