"""What the fault tests share: mail to deliver, config files, the daemon as a real
process, and reading back what it did (state, Drafts, Sent) as a user would."""

from __future__ import annotations

import contextlib
import email
import email.policy
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TypeVar

import pytest
from imapclient.imapclient import DRAFTS, SENT

from tests.servers.dovecot import Dovecot, MailUser
from tests.support import USER, build_mail

T = TypeVar("T")

REPO = Path(__file__).resolve().parents[2]
WAIT = 60.0  # seconds: a ceiling for a loaded 2-core CI machine, never an expectation
PENDING = ("scheduled", "drafting", "sending")

_FIRST = "Jordan Sam Alex Robin Kim Lee Noa Ari Dana Chris Jamie Morgan Taylor Casey Riley".split()
_LAST = "Reyes Novak Okafor Lindqvist Moreau Tanaka Silva Becker Haddad Kowalski".split()
_COMPANIES = "Northwind Contoso Fabrikam Tailspin Wingtip Litware Proseware Adatum".split()
_ROLES = ("Data Engineer", "Backend Developer", "Product Analyst", "Site Reliability Engineer")
_BODIES = (
    "Dear Alex,\n\nThank you for your interest in the {role} role at {company}.\n"
    "Unfortunately we have decided not to move forward with your application.\n\n"
    "Best regards,\n{name}\nTalent Acquisition, {company}",
    "Hi Alex,\n\nThanks for taking the time to interview for the {role} position at"
    " {company}. After careful consideration we have decided to proceed with other"
    " candidates whose experience more closely matches our needs.\n\n"
    "We wish you all the best in your search.\n\n{name}\nRecruiting, {company}",
    "Dear Alex,\n\nWe appreciate your application for the {role} role at {company}."
    " Regrettably, we will not be moving forward with your candidacy at this time.\n\n"
    "Kind regards,\n{name}\n{company} People Team",
)


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    company: str
    role: str


def contacts(count: int) -> list[Contact]:
    """``count`` distinct recruiters, each at their own address."""
    found = []
    for n in range(count):
        first, last = _FIRST[n % len(_FIRST)], _LAST[(n // len(_FIRST)) % len(_LAST)]
        company = _COMPANIES[n % len(_COMPANIES)]
        found.append(
            Contact(
                f"{first} {last}",
                f"{first}.{last}.{n}@{company}.example".lower(),
                company,
                _ROLES[n % len(_ROLES)],
            )
        )
    return found


def rejection(contact: Contact, tag: str, variant: int = 0) -> bytes:
    """A plain rejection from ``contact``; ``tag`` makes its Message-ID and subject unique."""
    body = _BODIES[variant % len(_BODIES)].format(
        role=contact.role, company=contact.company, name=contact.name
    )
    raw = build_mail(
        f"Your application: {contact.role} ({tag})", body, sender=(contact.name, contact.email)
    )
    return with_message_id(raw, f"<rej-{tag}@{contact.company.lower()}.example>")


def ordinary(tag: str) -> bytes:
    """Mail that is nobody's rejection, from someone who is no contact."""
    raw = build_mail(
        f"Lunch on Friday? ({tag})",
        "Shall we meet at noon at the usual place?",
        sender=("Pat Friend", "pat@friends.example"),
    )
    return with_message_id(raw, f"<other-{tag}@friends.example>")


def with_message_id(raw: bytes, message_id: str) -> bytes:
    return raw.replace(b"<test-1@northwind.example>", message_id.encode())


# -- config ---------------------------------------------------------------------


def write_config(
    directory: Path,
    *,
    port: int,
    user: MailUser,
    password: str = 'password_env = "DEBRIEFER_FAULT_PASSWORD"',  # noqa: S107 - a variable name
    policy: str = 'wait = "1s"',
    security: str = "none",
    ca_file: Path | None = None,
    extra: str = "",
) -> Path:
    """A real config file; the state lives in ``directory/state/`` (made by the daemon)."""
    ca = f'ca_file = "{ca_file}"\n' if ca_file else ""
    text = (
        f'[identity]\nname = "Alex Candidate"\nemail = "{USER}"\n\n'
        f'[[accounts]]\nname = "acct0"\nhost = "127.0.0.1"\nport = {port}\n'
        f'security = "{security}"\nusername = "{user.name}"\n{password}\n{ca}\n'
        f'[policy]\nlookback = "30d"\n{policy}\n\n'
        f'[state]\npath = "{directory / "state" / "state.db"}"\n{extra}'
    )
    path = directory / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def smtp_section(
    port: int, username: str, *, security: str = "none", ca: Path | None = None
) -> str:
    host = "127.0.0.1" if security == "none" else "localhost"
    return (
        f'\n[smtp]\nhost = "{host}"\nport = {port}\nsecurity = "{security}"\n'
        f'username = "{username}"\npassword_env = "DEBRIEFER_FAULT_SMTP_PASSWORD"\n'
        + (f'ca_file = "{ca}"\n' if ca else "")
    )


def state_path(config_path: Path) -> Path:
    return config_path.parent / "state" / "state.db"


# -- the daemon as a process ----------------------------------------------------


class DaemonProcess:
    """``debriefer run`` as a child process, its stderr appended to one log file."""

    def __init__(self, config: Path, log: Path, env: dict[str, str], *, verbose: str = "-v"):
        self.config = config
        self.log = log
        self.env = {**env, "PYTHONUNBUFFERED": "1"}
        self.verbose = verbose
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        assert self.process is None
        with self.log.open("ab") as log:
            log.write(f"\n=== start {self.starts + 1}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                [sys.executable, "-m", "daemon", self.verbose, "run", "--config", str(self.config)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                cwd=REPO,
                env=self.env,
            )
        self.starts += 1

    def kill(self) -> None:
        """SIGKILL: no handler runs, nothing is flushed or confirmed."""
        process, self.process = self.process, None
        assert process is not None
        process.kill()
        process.wait()

    def stop(self) -> int:
        """SIGTERM and wait for a clean exit; returns the exit status."""
        process, self.process = self.process, None
        assert process is not None
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def close(self) -> None:
        """Whatever happened in the test: no daemon is left behind."""
        if self.process is not None:
            self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


class ForkedDaemon(DaemonProcess):
    """The same daemon, forked by ``forkserver.py`` from a process that has done the
    imports: a run is worth killing within milliseconds of its start, not 0.4 s."""

    def __init__(self, config: Path, log: Path, env: dict[str, str], *, verbose: str = "-v"):
        super().__init__(config, log, env, verbose=verbose)
        self.server: subprocess.Popen[str] | None = None
        self.pid: int | None = None

    def _ask(self, *words: object) -> str:
        if self.server is None:
            self.server = subprocess.Popen(
                [sys.executable, "-m", "tests.faults.forkserver"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                cwd=REPO,
                env=self.env,
                text=True,
            )
            assert self.server.stdout is not None
            assert self.server.stdout.readline().strip() == "ready"
        assert self.server.stdin is not None
        assert self.server.stdout is not None
        self.server.stdin.write(" ".join(map(str, words)) + "\n")
        self.server.stdin.flush()
        return self.server.stdout.readline().strip()

    def start(self) -> None:
        assert self.pid is None
        with self.log.open("ab") as log:
            log.write(f"\n=== start {self.starts + 1}\n".encode())
        self.pid = int(self._ask("start", self.config, self.log, self.verbose))
        self.starts += 1

    def kill(self) -> None:
        pid, self.pid = self.pid, None
        assert pid is not None
        self._ask("signal", pid, int(signal.SIGKILL))
        self._ask("wait", pid, WAIT)

    def stop(self) -> int:
        pid = self.pid
        assert pid is not None
        self._ask("signal", pid, int(signal.SIGTERM))
        status = self._ask("wait", pid, WAIT)
        if status == "alive":
            self.kill()
            raise subprocess.TimeoutExpired("debriefer run", WAIT)
        self.pid = None
        return int(status)

    def alive(self) -> bool:
        return self.pid is not None and self._ask("wait", self.pid, 0) == "alive"

    def close(self) -> None:
        if self.pid is not None:
            self.kill()
        if self.server is not None:
            self.server.kill()
            self.server.communicate()  # reaps it and closes both pipes
            self.server = None


@contextlib.contextmanager
def daemon_process(
    config: Path, log: Path, env: dict[str, str], *, verbose: str = "-v", forked: bool = False
) -> Iterator[DaemonProcess]:
    kind = ForkedDaemon if forked else DaemonProcess
    daemon = kind(config, log, env, verbose=verbose)
    try:
        yield daemon
    finally:
        daemon.close()


def wait_for(
    condition: Callable[[], T],
    what: str,
    timeout: float = WAIT,
    explain: Callable[[], str] = str,
) -> T:
    """Poll until ``condition`` holds; on timeout fail with ``explain()``'s account."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n{explain()}")
        time.sleep(0.1)


def environment(**variables: str) -> dict[str, str]:
    return {**os.environ, **variables}


# -- reading back ---------------------------------------------------------------


def query(path: Path, sql: str, *args: Any) -> list[dict]:
    """Rows from the state file, read-only; [] while it (or the table) does not exist yet."""
    if not path.exists():
        return []
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    db.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in db.execute(sql, args)]
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []
        raise
    finally:
        db.close()


def actions(path: Path) -> list[dict]:
    return query(path, "SELECT * FROM actions ORDER BY id")


def messages(path: Path) -> list[dict]:
    return query(path, "SELECT * FROM messages ORDER BY id")


def integrity(path: Path) -> str:
    db = sqlite3.connect(path)
    try:
        return ";".join(row[0] for row in db.execute("PRAGMA integrity_check"))
    finally:
        db.close()


def folder_messages(dovecot: Dovecot, user: MailUser, flag: bytes) -> list[EmailMessage]:
    """Everything in the folder SPECIAL-USE marks with ``flag``, parsed."""
    return [
        email.message_from_bytes(raw, policy=email.policy.default)
        for raw in raw_folder(dovecot, user, flag)
    ]


def raw_folder(dovecot: Dovecot, user: MailUser, flag: bytes) -> list[bytes]:
    """Every message in the folder SPECIAL-USE marks with ``flag``, as stored, by UID."""
    with dovecot.client(user) as client:
        folder = client.find_special_folder(flag)
        client.select_folder(folder, readonly=True)
        uids = client.search("ALL")
        fetched = client.fetch(uids, ["BODY.PEEK[]"]) if uids else {}
    return [fetched[uid][b"BODY[]"] for uid in sorted(fetched)]


def drafts(dovecot: Dovecot, user: MailUser) -> list[EmailMessage]:
    return folder_messages(dovecot, user, DRAFTS)


def sent(dovecot: Dovecot, user: MailUser) -> list[EmailMessage]:
    return folder_messages(dovecot, user, SENT)


def address_of(header: object) -> str | None:
    """The one address in a parsed To header, lower-case; None without one."""
    addresses = getattr(header, "addresses", ())
    return addresses[0].addr_spec.lower() if len(addresses) == 1 else None
