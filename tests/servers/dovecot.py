"""A throwaway Dovecot IMAP server for the test suite.

One ``Dovecot`` owns one self-contained instance: config, TLS material, logs,
sockets and maildirs all live in a short directory under /tmp, and every
dovecot/doveadm call gets ``-c DIR/dovecot.conf``, so /etc/dovecot is never
read and a system-wide Dovecot (if any) is never touched.  Tests create a fresh
user each (a few ms) instead of restarting or cleaning the server.

Works as root (CI: helper processes then run as dovecot/dovenull, mail belongs
to the stock ``mail`` user, because Dovecot refuses mail access as root) and as
an ordinary user (everything runs as that user).

``Dovecot(idle=False)`` is a server whose CAPABILITY lists leave out IDLE, so
clients have to poll; see ``_hide_idle``.
"""

from __future__ import annotations

import contextlib
import grp
import imaplib
import itertools
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import trustme
from imapclient import IMAPClient

HOST = "127.0.0.1"
# Dovecot lives in /usr/sbin, which an ordinary user's PATH may not contain.
_SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
_START_TIMEOUT = 10.0
_STOP_TIMEOUT = 5.0
_CLIENT_TIMEOUT = 10.0
_APPENDUID = re.compile(rb"\[APPENDUID \d+ (\d+)\]")
_SPECIAL_FOLDERS = {"Drafts": "\\Drafts", "Sent": "\\Sent", "Junk": "\\Junk", "Trash": "\\Trash"}


def find_binary(name: str = "dovecot") -> str | None:
    """Full path of a Dovecot tool, also when /usr/sbin is not on PATH."""
    return shutil.which(name, path=_SEARCH_PATH)


@dataclass(frozen=True)
class MailUser:
    name: str
    password: str


class DovecotError(RuntimeError):
    """The test server misbehaved; the message carries the end of its log."""


def _free_ports(count: int) -> list[int]:
    """Distinct free loopback ports (all sockets held open together, then released)."""
    with contextlib.ExitStack() as stack:
        ports = []
        for _ in range(count):
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind((HOST, 0))
            ports.append(sock.getsockname()[1])
        return ports


def _live_group_members(pgid: int) -> list[int]:
    """Pids in the process group that are not zombies.

    Orphaned zombies are reaped by PID 1 at its own pace (seconds on some
    container inits); they hold no sockets or files, so they don't count.
    """
    members = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


class Dovecot:
    """One Dovecot instance with a plain IMAP and an implicit-TLS IMAPS listener.

    With ``idle=False`` the server never advertises IDLE (it would still accept
    the command: only what clients are told changes).
    """

    def __init__(self, ca: trustme.CA | None = None, *, idle: bool = True) -> None:
        dovecot_bin, doveadm_bin = find_binary("dovecot"), find_binary("doveadm")
        if dovecot_bin is None or doveadm_bin is None:
            raise DovecotError("dovecot/doveadm not found (Debian: apt-get install dovecot-imapd)")
        self.dovecot_bin: str = dovecot_bin
        self.doveadm_bin: str = doveadm_bin
        self.host = HOST
        self.imap_port, self.imaps_port = _free_ports(2)
        # Short path: Dovecot's unix sockets live in DIR/run and must stay < ~108 bytes.
        self.dir = Path(tempfile.mkdtemp(prefix="dvc-", dir="/tmp"))
        # mkdtemp makes 0700; as root, the auth (dovecot) and imap (mail) processes must get in.
        self.dir.chmod(0o755)
        self.conf = self.dir / "dovecot.conf"
        self.log_file = self.dir / "dovecot.log"
        self.ca = ca or trustme.CA()
        self.ca_file = self.dir / "ca.pem"
        self._proc: subprocess.Popen[bytes] | None = None
        self._names = itertools.count(1)
        self.idle = idle
        # The explicit imap_capability list, once _hide_idle has written it.
        self.capabilities: tuple[str, ...] | None = None
        try:
            self._setup()
        except BaseException:
            shutil.rmtree(self.dir, ignore_errors=True)
            raise

    # -- lifecycle -------------------------------------------------------------

    def _setup(self) -> None:
        if os.geteuid() == 0:
            mail = pwd.getpwnam("mail")  # Debian's stock mail user (uid 8)
            mail_uid, mail_gid = mail.pw_uid, mail.pw_gid
            privileges = "default_internal_user = dovecot\ndefault_login_user = dovenull\n"
        else:
            mail_uid, mail_gid = os.getuid(), os.getgid()
            # From the uid, not $USER/$LOGNAME, which may name someone else after su/setpriv.
            user, group = pwd.getpwuid(mail_uid).pw_name, grp.getgrgid(mail_gid).gr_name
            privileges = (
                f"default_internal_user = {user}\ndefault_internal_group = {group}\n"
                f"default_login_user = {user}\n"
            )
        for sub in ("run", "state", "home", "users.d"):
            (self.dir / sub).mkdir(mode=0o755)
        if os.geteuid() == 0:
            os.chown(self.dir / "home", mail_uid, mail_gid)

        self.ca.cert_pem.write_to_path(str(self.ca_file))
        leaf = self.ca.issue_cert(HOST, "localhost")
        cert_file, key_file = self.dir / "cert.pem", self.dir / "key.pem"
        cert_file.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
        leaf.private_key_pem.write_to_path(str(key_file))
        key_file.chmod(0o600)

        mailboxes = "".join(
            f"  mailbox {name} {{\n    special_use = {use}\n    auto = subscribe\n  }}\n"
            for name, use in _SPECIAL_FOLDERS.items()
        )
        d = self.dir
        self.conf.write_text(
            f"""# Generated by tests/servers/dovecot.py; reads nothing from /etc/dovecot.
base_dir = {d}/run
state_dir = {d}/state
instance_name = dvc-{self.imap_port}
log_path = {self.log_file}
protocols = imap
listen = {HOST}
{privileges}mail_uid = {mail_uid}
mail_gid = {mail_gid}
first_valid_uid = {mail_uid}
first_valid_gid = {mail_gid}

ssl = yes
ssl_cert = <{cert_file}
ssl_key = <{key_file}
ssl_dh = </usr/share/dovecot/dh.pem
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2
# Tests log in wrongly on purpose: no artificial delay for failures.
auth_failure_delay = 0

# One file per user: a new file is read on first lookup, whereas a shared
# passwd-file is re-read at most once a second and misses fresh users.
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/users.d/%u
}}
userdb {{
  driver = static
  args = home={d}/home/%u
}}

mail_location = maildir:~/Maildir
mail_fsync = never
mail_max_userip_connections = 100
namespace inbox {{
  inbox = yes
  separator = /
{mailboxes}}}

service imap-login {{
  chroot =
  inet_listener imap {{
    address = {HOST}
    port = {self.imap_port}
  }}
  inet_listener imaps {{
    address = {HOST}
    port = {self.imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
  # No per-IP auth penalty: after a few failed logins it would slow every
  # login from 127.0.0.1 (including good ones) by several seconds.
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""
        )

    def start(self) -> None:
        """Start in the foreground as our child, leading its own process group."""
        if self._proc is not None:
            return
        self._launch()
        if self.idle or self.capabilities is not None:
            return
        try:
            self._hide_idle()
        except BaseException:
            self.stop()
            raise

    def _launch(self) -> None:
        # A stale anvil-auth-penalty socket from an earlier run stalls auth for ~5 s.
        shutil.rmtree(self.dir / "run", ignore_errors=True)
        (self.dir / "run").mkdir(mode=0o755)
        with (self.dir / "stderr.log").open("ab") as stderr:
            self._proc = subprocess.Popen(
                [self.dovecot_bin, "-F", "-c", str(self.conf)],
                stdin=subprocess.DEVNULL,
                stdout=stderr,
                stderr=stderr,
                start_new_session=True,  # so stop() can signal every helper process at once
            )
        try:
            self._wait_for_greeting()
        except BaseException:
            self.stop()
            raise

    def _hide_idle(self) -> None:
        """Advertise this build's own post-login CAPABILITY list, minus IDLE.

        Dovecot can only replace its list (``imap_capability = A B C``) or add
        to it (``+X``), never drop one item, and the replacement also turns off
        what it would append by itself (SPECIAL-USE, LITERAL+, ...).  So the
        first start runs with the defaults, logs in once to read the full list
        (it varies between Dovecot versions), then restarts with that list
        minus IDLE.  The setting is global, so imap-login's pre-login list (the
        greeting and CAPABILITY before LOGIN) becomes the same list, to which
        imap-login still appends STARTTLS and AUTH=...; neither lists IDLE.
        """
        probe = self.new_user("capprobe")
        full = self._post_login_capabilities(probe)
        if "IDLE" not in full:
            raise DovecotError(f"expected IDLE among the default capabilities: {full}")
        wanted = tuple(cap for cap in full if cap != "IDLE")
        self.stop()
        with self.conf.open("a") as conf:
            conf.write(
                "\n# Dovecot(idle=False): the default post-login list without IDLE.\n"
                f"imap_capability = {' '.join(wanted)}\n"
            )
        self.capabilities = wanted
        self._launch()
        seen = self._post_login_capabilities(probe)
        if seen != wanted:
            raise DovecotError(f"CAPABILITY after login is {seen}, wanted {wanted}")

    def _post_login_capabilities(self, user: MailUser) -> tuple[str, ...]:
        """What a client is told after LOGIN, spelt as the server spells it."""
        imap = imaplib.IMAP4(HOST, self.imap_port, timeout=_CLIENT_TIMEOUT)
        try:
            imap.login(user.name, user.password)
            _, data = imap.capability()
        finally:
            with contextlib.suppress(Exception):
                imap.logout()
        return tuple(data[-1].decode().split())

    def _wait_for_greeting(self) -> None:
        """Ready means a "* OK" greeting: the port accepts connections earlier than that."""
        assert self._proc is not None
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise DovecotError(
                    f"dovecot exited with {self._proc.returncode}\n{self.log_tail()}"
                )
            try:
                with socket.create_connection((HOST, self.imap_port), timeout=2) as sock:
                    if sock.makefile("rb").readline().startswith(b"* OK"):
                        return
            except OSError:
                pass
            time.sleep(0.01)
        raise DovecotError(f"no IMAP greeting after {_START_TIMEOUT} s\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop every process of the instance.

        SIGTERM goes to the whole process group: signalling only the master
        leaves logged-in imap processes (and their sessions) alive.
        """
        proc, self._proc = self._proc, None
        if proc is None:
            return
        pgid = proc.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
        try:
            proc.wait(timeout=_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            proc.wait()
        deadline = time.monotonic() + _STOP_TIMEOUT
        while _live_group_members(pgid):
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pgid, signal.SIGKILL)
            time.sleep(0.005)

    def restart(self) -> None:
        """Same directory and ports, so mail and UIDVALIDITY survive; sessions do not."""
        self.stop()
        self.start()

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        """The end of Dovecot's own log and stderr, for error messages."""
        text = []
        for path in (self.dir / "stderr.log", self.log_file):
            with contextlib.suppress(OSError):
                text += path.read_text(errors="replace").splitlines()[-lines:]
        return "\n".join(text)

    def _doveadm(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.doveadm_bin, "-c", str(self.conf), *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )

    # -- users and mail --------------------------------------------------------

    def new_user(self, prefix: str = "u") -> MailUser:
        """A brand-new user with an empty mailbox (created on first login)."""
        user = MailUser(f"{prefix}{next(self._names)}-{secrets.token_hex(3)}", secrets.token_hex(8))
        path = self.dir / "users.d" / user.name
        # Written whole, then renamed: Dovecot must never read half a line.
        partial = path.with_name(f".{user.name}.tmp")
        partial.write_text(f"{user.name}:{{PLAIN}}{user.password}\n")
        partial.chmod(0o644)
        partial.replace(path)
        return user

    def client(self, user: MailUser, tls: bool = False) -> IMAPClient:
        """A logged-in client; the caller logs out.  TLS trusts only the session CA."""
        context = ssl.create_default_context(cafile=str(self.ca_file)) if tls else None
        port = self.imaps_port if tls else self.imap_port
        client = IMAPClient(HOST, port, ssl=tls, ssl_context=context, timeout=_CLIENT_TIMEOUT)
        try:
            client.login(user.name, user.password)
        except BaseException:
            client.shutdown()
            raise
        return client

    def append(
        self, user: MailUser, raw: bytes, folder: str = "INBOX", flags: Iterable[bytes] = ()
    ) -> int:
        """Deliver a message as a mail client would, returning its UID."""
        with self.client(user) as client:
            response = client.append(folder, raw, flags=tuple(flags))
        match = _APPENDUID.search(response)
        if match is None:
            raise DovecotError(f"no APPENDUID in {response!r}")
        return int(match.group(1))

    def flags(self, user: MailUser, folder: str = "INBOX") -> dict[int, tuple[bytes, ...]]:
        r"""Every message's flags by UID, read with EXAMINE so nothing changes.

        \Recent is left out: it is per-session state, not a stored flag, so it
        would differ between two otherwise identical reads.
        """
        with self.client(user) as client:
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            found = client.get_flags(uids) if uids else {}
        return {
            uid: tuple(flag for flag in found[uid] if flag != b"\\Recent") for uid in sorted(found)
        }

    def uidvalidity(self, user: MailUser, folder: str = "INBOX") -> int:
        with self.client(user) as client:
            return int(client.folder_status(folder, [b"UIDVALIDITY"])[b"UIDVALIDITY"])

    def kick(self, user: MailUser) -> None:
        """Disconnect the user's sessions with a BYE; the server stays up."""
        self._doveadm("kick", user.name)

    def change_uidvalidity(self, user: MailUser, folder: str = "INBOX") -> int:
        """Give a folder a new UIDVALIDITY, keeping its messages; returns the new value.

        ``doveadm mailbox update`` changes it under Dovecot's own locks, so it is
        safe even with sessions open (a selected one gets "BYE ... inconsistent").
        The kick then drops every session of the user, as after a server-side
        rebuild, so clients must reconnect and find the new value.
        """
        before = self.uidvalidity(user, folder)
        wanted = before + 1
        result = self._doveadm(
            "mailbox", "update", "-u", user.name, "--uid-validity", str(wanted), folder
        )
        self.kick(user)
        after = self.uidvalidity(user, folder)
        if after != wanted:
            raise DovecotError(
                f"UIDVALIDITY of {folder} is {after}, wanted {wanted}: {result.stderr}"
            )
        return after
